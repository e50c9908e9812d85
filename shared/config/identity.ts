/**
 * The city user pool's shape, shared by the City stack (infra/city-stack.ts), the code that reads
 * tokens and changes users, and the local user pool (infra/local/cognito.ts).
 */

/**
 * The scope claims the API reads from the token (`custom:<name>`, shared/http/caller.ts): those of
 * ../shared/API.md plus `streetId`, which a street admin's scope needs. Only the identity functions
 * write them (the app client may read them, never write).
 */
export const SCOPE_ATTRIBUTES = ['memberId', 'communityId', 'streetId', 'teamId', 'district'] as const;

/** The district chosen at sign-up: written by the app once, at sign-up (immutable), checked by the pre-sign-up trigger. */
export const SIGN_UP_DISTRICT = 'signUpDistrict';
export const SIGN_UP_ATTRIBUTE = `custom:${SIGN_UP_DISTRICT}`;

/**
 * How long an ID (and access) token lives: a role granted or revoked reaches the user's token at
 * the next refresh, at most this long after the change.
 */
export const TOKEN_VALIDITY_MINUTES = 60;

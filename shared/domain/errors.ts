/**
 * Domain errors carry a stable `code`; shared/http/problem.ts maps each code to an HTTP status
 * in one place. Services and rules throw these; nothing below the HTTP layer picks a status.
 */
export const ERROR_CODES = [
  // input
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'BAD_CURSOR',
  'BAD_IDEMPOTENCY_KEY',
  // identity and access
  'UNAUTHORIZED',
  'FORBIDDEN',
  'WRONG_DISTRICT',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  // references in a body to things that do not exist
  'UNKNOWN_STREET',
  'UNKNOWN_COMMUNITY',
  'UNKNOWN_GRID',
  // state
  'PROFILE_REQUIRED',
  'MEMBER_ALREADY_EXISTS',
  'CHECKIN_ALREADY_PENDING',
  'CHECKIN_NOT_PENDING',
  'ALREADY_CHECKED_IN',
  'CONCURRENT_UPDATE',
  'IDEMPOTENCY_IN_PROGRESS',
  'IDEMPOTENCY_KEY_REUSED',
  'CORRECTION_ALREADY_PENDING',
  'CORRECTION_NOT_PENDING',
  'CORRECTION_NO_CHANGE',
  'TOO_MANY_CORRECTIONS',
  'NO_CONFIRMED_SERVICE',
  'UNKNOWN_MEMBER',
  'UNKNOWN_TEAM',
  'TEAM_INACTIVE',
  'ALREADY_TEAM_MEMBER',
  'JOIN_ALREADY_PENDING',
  'JOIN_NOT_PENDING',
  'FLAG_ALREADY_GRANTED',
  'THEME_ALREADY_KICKED_OFF',
  'ALREADY_SIGNED_UP',
  'SIGNUP_CLOSED',
  'NOT_SIGNED_UP',
  'ATTENDANCE_CLOSED',
  'ATTENDANCE_CODE_INVALID',
  'ATTENDANCE_CODE_EXPIRED',
  'NOT_CHECKED_IN',
  'ALREADY_CHECKED_OUT',
  'ACTIVITY_CLOSED',
  'ACTIVITY_NOT_ENDED',
  'WISH_ACTION_NOT_ALLOWED',
  'WISH_ALREADY_CLAIMED',
  'CLAIM_LIMIT_REACHED',
  'ATTENDANCE_CODE_LOCKED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  /** JSON pointer-ish path: `body.phone`, `query.limit`, `params.communityId`. */
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { readonly errors?: readonly FieldError[]; readonly [k: string]: unknown } = {},
  ) {
    super(`${code}: ${detail}`);
  }
}

export const notFound = (what: string): DomainError => new DomainError('NOT_FOUND', `${what} not found`);
export const forbidden = (detail = 'not allowed for your role or scope'): DomainError =>
  new DomainError('FORBIDDEN', detail);

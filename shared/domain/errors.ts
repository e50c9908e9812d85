/**
 * Every error code, declared once: its kind and the title problem documents show, grouped by
 * kind. Services and rules throw `DomainError` with a code; nothing below the HTTP layer picks a
 * status: shared/http/problem.ts maps each kind to one HTTP status (the statuses and titles are the
 * API contract, pinned by test/unit/error-codes.test.ts). A new code is one line under its kind.
 */
const CODES_BY_KIND = {
  // the request itself is malformed
  invalid: {
    VALIDATION_FAILED: 'The request is not valid',
    MALFORMED_JSON: 'The body is not valid JSON',
    BAD_CURSOR: 'The cursor is not valid for this list',
    BAD_IDEMPOTENCY_KEY: 'The Idempotency-Key header is not valid',
  },
  // no valid token
  unauthenticated: {
    UNAUTHORIZED: 'A valid token is required',
  },
  // not allowed for this caller
  forbidden: {
    FORBIDDEN: 'Not allowed',
    WRONG_DISTRICT: 'The token is for another district',
    NOT_SIGNED_UP: 'You have no confirmed place in this activity',
    ATTENDANCE_CODE_INVALID: 'The attendance code is not valid for this activity',
    ATTENDANCE_CODE_EXPIRED: 'The attendance code has expired: ask the leader for a new one',
    QUALIFICATION_REQUIRED: 'A valid qualification is required: missing, or it expires before the activity starts',
    SELF_GRANT: 'Nobody grants or revokes their own roles',
    SAME_PERSON: 'The nominator, the nominee and the approver must be three different people',
  },
  // no such thing, or the caller may not know it exists
  'not-found': {
    NOT_FOUND: 'Not found',
    ROUTE_NOT_FOUND: 'No such route',
  },
  // the current state does not allow it
  conflict: {
    PROFILE_REQUIRED: 'Create your member profile first',
    MEMBER_ALREADY_EXISTS: 'The member profile already exists',
    CHECKIN_ALREADY_PENDING: 'A check-in request is already pending',
    CHECKIN_NOT_PENDING: 'The check-in request is no longer pending',
    ALREADY_CHECKED_IN: 'Already checked in there',
    CONCURRENT_UPDATE: 'Changed by someone else meanwhile: read it again and retry',
    ALREADY_EVALUATED: 'This service has been evaluated already',
    EVALUATION_CLOSED: 'The 10 working days to evaluate this service have passed',
    FIFTH_STAR_NOT_DUE: 'The member has no fifth star waiting for review',
    NO_SHOW_NOT_CONTESTABLE: 'Only a counted no-show can be contested',
    NO_SHOW_NOT_CONTESTED: 'Only a contested no-show can be decided',
    NOMINATION_NOT_UNDER_REVIEW: 'The nomination is not waiting for its review',
    NOMINATION_NOT_ON_NOTICE: 'The nomination is not on public notice',
    NOTICE_OVER: 'The public notice has ended',
    NOMINATION_NOT_APPROVED: 'Only an approved nomination admits a member to the pool',
    ALREADY_IN_POOL: 'The member is in the reserve-cadre pool already',
    NOT_IN_POOL: 'The member is not in the reserve-cadre pool',
    CAPACITY_BELOW_CONFIRMED: 'More members have a confirmed place than that capacity',
    NOTICE_MANDATORY: 'This kind of notice cannot be switched off',
    CORRECTION_ALREADY_PENDING: 'A correction of this record is already pending',
    CORRECTION_NOT_PENDING: 'The correction is no longer pending',
    TOO_MANY_CORRECTIONS: 'This record has had the most corrections allowed',
    NO_CONFIRMED_SERVICE: 'No confirmed service to certify yet',
    TEAM_INACTIVE: 'The team is not active',
    ALREADY_TEAM_MEMBER: 'Already a member of this team',
    JOIN_ALREADY_PENDING: 'A request to join this team is already pending',
    JOIN_NOT_PENDING: 'The join request is no longer pending',
    FLAG_ALREADY_GRANTED: 'The team has already been given its flag',
    THEME_ALREADY_KICKED_OFF: "The month's theme has already been kicked off",
    ALREADY_SIGNED_UP: 'You are already signed up for this activity',
    SIGNUP_CLOSED: 'Sign-up is closed: the activity has started or is closed',
    ATTENDANCE_CLOSED: 'Attendance is open from 30 minutes before the start to 30 minutes after the end',
    NOT_CHECKED_IN: 'Check in before checking out',
    ALREADY_CHECKED_OUT: 'Already checked out',
    ACTIVITY_CLOSED: 'The activity is closed',
    ACTIVITY_NOT_ENDED: 'The activity has not ended yet',
    WISH_ACTION_NOT_ALLOWED: "The wish's state does not allow this action",
    WISH_ALREADY_CLAIMED: 'The wish has already been claimed or taken on',
    CLAIM_LIMIT_REACHED: 'You hold the most open wish claims allowed: complete or release one first',
    CALL_NOT_OPEN: 'The call does not take submissions yet',
    CALL_CLOSED: 'The call is closed: submissions are frozen',
    CALL_NOT_CLOSED: 'The call has not closed yet',
    TEAM_ALREADY_ENTERED: 'The team already has an entry in this call',
    CORE_MEMBER_NOT_ON_TEAM: 'A core member is not an active member of the team',
    REVIEWER_ALREADY_ASSIGNED: 'That reviewer is already assigned to this submission',
    REVIEWER_CONFLICT: 'The reviewer belongs to the submitting team or its community',
    SCORES_LOCKED: 'The scores are submitted and locked',
    RESULTS_PUBLISHED: 'The results are published',
    REVIEWS_INCOMPLETE: 'Some eligible submissions lack reviewers or scores',
    NOTICE_NOT_ENDED: 'The results are not yet through their public notice',
    ALREADY_AWARDED: 'The project is already awarded',
    AWARD_OVER_BUDGET: 'The awards would exceed the budget',
    AWARD_OVER_TIER: "The awards would exceed a tier's count",
    BOOKING_OVERLAP: 'The station is booked for part of that time',
    WEEKLY_CAP_REACHED: "The team has used this week's hours at the station",
    BOOKING_NOT_CONFIRMED: 'The booking is cancelled already',
    ROLE_ALREADY_HELD: 'The user already holds this role with this scope',
    ROLE_NOT_HELD: 'The user does not hold this role',
    SCOPE_CONFLICT: "The role's scope conflicts with a scope the user holds",
    ALREADY_LEADS_TEAM: 'The member already leads another team',
    MFA_REQUIRED: 'Admin roles need an authenticator app (MFA) set up first',
    NOT_TEAM_MEMBER: 'The member is not an active member of this team',
    LEADER_CANNOT_LEAVE: "The team's leader hands the team over before leaving",
    NAME_TAKEN: 'That name is already used in the same place',
  },
  // the body is too large
  'too-large': {
    PAYLOAD_TOO_LARGE: 'The body is too large',
  },
  // the body is not JSON
  'unsupported-type': {
    UNSUPPORTED_MEDIA_TYPE: 'The body must be application/json',
  },
  // the request names something that does not exist
  'unknown-reference': {
    UNKNOWN_STREET: 'The street does not exist',
    UNKNOWN_COMMUNITY: 'The community does not exist',
    UNKNOWN_GRID: 'The grid does not exist in that community',
    UNKNOWN_MEMBER: 'The member does not exist (no member profile)',
    UNKNOWN_TEAM: 'The team does not exist',
    UNKNOWN_STATION: 'The micro-station does not exist',
    UNKNOWN_USER: 'No such user in this district',
  },
  // well-formed, but cannot be done as asked
  unprocessable: {
    IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was used with another request',
    CORRECTION_NO_CHANGE: 'The requested hours equal the recorded hours',
    OUTSIDE_OPENING_HOURS: 'The station is not open for all of that time',
    BOOKING_TOO_FAR: 'Bookings start at most 30 days ahead',
    STATION_CLOSED: 'The station is closed for part of that time',
    STATION_BOOKING_REQUIRED: "An activity at a micro-station needs the team's booking of the station for its time",
  },
  // too many tries
  'rate-limited': {
    ATTENDANCE_CODE_LOCKED: 'Too many wrong attendance codes',
  },
  // a bug: no internals are shown
  internal: {
    INTERNAL: 'Internal error',
  },
  // a dependency does not answer: retry later
  unavailable: {
    UNAVAILABLE: 'Temporarily unavailable',
  },
} as const satisfies Record<string, Record<string, string>>;

type ByKind = typeof CODES_BY_KIND;
export type ErrorKind = keyof ByKind;
export type ErrorCode = { [K in ErrorKind]: keyof ByKind[K] }[ErrorKind] & string;

function byCode(table: ByKind): Record<ErrorCode, { readonly kind: ErrorKind; readonly title: string }> {
  const out: Record<string, { kind: ErrorKind; title: string }> = {};
  for (const [kind, codes] of Object.entries(table))
    for (const [code, title] of Object.entries(codes)) out[code] = { kind: kind as ErrorKind, title };
  return out;
}

/** code -> { kind, title } (pure: a bundle that never reads it, the jobs function's, leaves the titles out). */
export const ERRORS = /* @__PURE__ */ byCode(CODES_BY_KIND);
export const ERROR_CODES = /* @__PURE__ */ Object.keys(ERRORS) as ErrorCode[];

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

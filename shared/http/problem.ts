import { DomainError, type ErrorCode, type FieldError } from '../domain/errors.ts';

/**
 * The one place where error codes become HTTP statuses, as RFC 9457 problem documents:
 * `{ type, title, status, detail, code, errors? }` with `content-type: application/problem+json`.
 */
const STATUS: Record<ErrorCode, { status: number; title: string }> = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The body must be application/json' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The body is too large' },
  BAD_CURSOR: { status: 400, title: 'The cursor is not valid for this list' },
  BAD_IDEMPOTENCY_KEY: { status: 400, title: 'The Idempotency-Key header is not valid' },
  UNAUTHORIZED: { status: 401, title: 'A valid token is required' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  WRONG_DISTRICT: { status: 403, title: 'The token is for another district' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  UNKNOWN_STREET: { status: 422, title: 'The street does not exist' },
  UNKNOWN_COMMUNITY: { status: 422, title: 'The community does not exist' },
  UNKNOWN_GRID: { status: 422, title: 'The grid does not exist in that community' },
  PROFILE_REQUIRED: { status: 409, title: 'Create your member profile first' },
  MEMBER_ALREADY_EXISTS: { status: 409, title: 'The member profile already exists' },
  CHECKIN_ALREADY_PENDING: { status: 409, title: 'A check-in request is already pending' },
  CHECKIN_NOT_PENDING: { status: 409, title: 'The check-in request is no longer pending' },
  ALREADY_CHECKED_IN: { status: 409, title: 'Already checked in there' },
  CONCURRENT_UPDATE: { status: 409, title: 'Changed by someone else meanwhile: read it again and retry' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'This Idempotency-Key was used with another request' },
  CORRECTION_ALREADY_PENDING: { status: 409, title: 'A correction of this record is already pending' },
  CORRECTION_NOT_PENDING: { status: 409, title: 'The correction is no longer pending' },
  CORRECTION_NO_CHANGE: { status: 422, title: 'The requested hours equal the recorded hours' },
  TOO_MANY_CORRECTIONS: { status: 409, title: 'This record has had the most corrections allowed' },
  NO_CONFIRMED_SERVICE: { status: 409, title: 'No confirmed service to certify yet' },
  UNKNOWN_MEMBER: { status: 422, title: 'The member does not exist (no member profile)' },
  UNKNOWN_TEAM: { status: 422, title: 'The team does not exist' },
  TEAM_INACTIVE: { status: 409, title: 'The team is not active' },
  ALREADY_TEAM_MEMBER: { status: 409, title: 'Already a member of this team' },
  JOIN_ALREADY_PENDING: { status: 409, title: 'A request to join this team is already pending' },
  JOIN_NOT_PENDING: { status: 409, title: 'The join request is no longer pending' },
  FLAG_ALREADY_GRANTED: { status: 409, title: 'The team has already been given its flag' },
  THEME_ALREADY_KICKED_OFF: { status: 409, title: "The month's theme has already been kicked off" },
  ALREADY_SIGNED_UP: { status: 409, title: 'You are already signed up for this activity' },
  SIGNUP_CLOSED: { status: 409, title: 'Sign-up is closed: the activity has started or is closed' },
  NOT_SIGNED_UP: { status: 403, title: 'You have no confirmed place in this activity' },
  ATTENDANCE_CLOSED: { status: 409, title: 'Attendance is open from 30 minutes before the start to 30 minutes after the end' },
  ATTENDANCE_CODE_INVALID: { status: 403, title: 'The attendance code is not valid for this activity' },
  ATTENDANCE_CODE_EXPIRED: { status: 403, title: 'The attendance code has expired: ask the leader for a new one' },
  NOT_CHECKED_IN: { status: 409, title: 'Check in before checking out' },
  ALREADY_CHECKED_OUT: { status: 409, title: 'Already checked out' },
  ACTIVITY_CLOSED: { status: 409, title: 'The activity is closed' },
  ACTIVITY_NOT_ENDED: { status: 409, title: 'The activity has not ended yet' },
  WISH_ACTION_NOT_ALLOWED: { status: 409, title: "The wish's state does not allow this action" },
  WISH_ALREADY_CLAIMED: { status: 409, title: 'The wish has already been claimed or taken on' },
  CLAIM_LIMIT_REACHED: { status: 409, title: 'You hold the most open wish claims allowed: complete or release one first' },
  ATTENDANCE_CODE_LOCKED: { status: 429, title: 'Too many wrong attendance codes' },
  UNAVAILABLE: { status: 503, title: 'Temporarily unavailable' },
  INTERNAL: { status: 500, title: 'Internal error' },
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: readonly FieldError[];
  [extra: string]: unknown;
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code].status;
}

export function toProblem(err: unknown): Problem {
  if (err instanceof DomainError) {
    const { status, title } = STATUS[err.code];
    const { errors, ...extra } = err.extra;
    return {
      ...extra,
      type: `https://pioneer.example/problems/${err.code.toLowerCase().replaceAll('_', '-')}`,
      title,
      status,
      detail: err.detail,
      code: err.code,
      ...(errors && errors.length > 0 ? { errors } : {}),
    };
  }
  return {
    type: 'https://pioneer.example/problems/internal',
    title: STATUS.INTERNAL.title,
    status: 500,
    detail: 'Something went wrong on our side. It has been logged; retrying later may help.',
    code: 'INTERNAL',
  };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

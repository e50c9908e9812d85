import { describe, expect, it } from 'vitest';
import { DomainError, ERROR_CODES, type ErrorCode } from '../../shared/domain/errors.ts';
import { problemHeaders, statusOf, toProblem } from '../../shared/http/problem.ts';

/**
 * The error codes are part of the API contract: each code's status and title, pinned here. A new
 * code is one line in shared/domain/errors.ts and one line here; changing a status or title of an
 * existing code is a contract change and fails this test.
 */
const CONTRACT: Record<ErrorCode, [status: number, title: string]> = {
  VALIDATION_FAILED: [400, 'The request is not valid'],
  MALFORMED_JSON: [400, 'The body is not valid JSON'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'The body must be application/json'],
  PAYLOAD_TOO_LARGE: [413, 'The body is too large'],
  BAD_CURSOR: [400, 'The cursor is not valid for this list'],
  BAD_IDEMPOTENCY_KEY: [400, 'The Idempotency-Key header is not valid'],
  UNAUTHORIZED: [401, 'A valid token is required'],
  FORBIDDEN: [403, 'Not allowed'],
  WRONG_DISTRICT: [403, 'The token is for another district'],
  NOT_FOUND: [404, 'Not found'],
  ROUTE_NOT_FOUND: [404, 'No such route'],
  UNKNOWN_STREET: [422, 'The street does not exist'],
  UNKNOWN_COMMUNITY: [422, 'The community does not exist'],
  UNKNOWN_GRID: [422, 'The grid does not exist in that community'],
  PROFILE_REQUIRED: [409, 'Create your member profile first'],
  MEMBER_ALREADY_EXISTS: [409, 'The member profile already exists'],
  CHECKIN_ALREADY_PENDING: [409, 'A check-in request is already pending'],
  CHECKIN_NOT_PENDING: [409, 'The check-in request is no longer pending'],
  ALREADY_CHECKED_IN: [409, 'Already checked in there'],
  CONCURRENT_UPDATE: [409, 'Changed by someone else meanwhile: read it again and retry'],
  CAPACITY_BELOW_CONFIRMED: [409, 'More members have a confirmed place than that capacity'],
  NOTICE_MANDATORY: [409, 'This kind of notice cannot be switched off'],
  IDEMPOTENCY_KEY_REUSED: [422, 'This Idempotency-Key was used with another request'],
  CORRECTION_ALREADY_PENDING: [409, 'A correction of this record is already pending'],
  CORRECTION_NOT_PENDING: [409, 'The correction is no longer pending'],
  CORRECTION_NO_CHANGE: [422, 'The requested hours equal the recorded hours'],
  TOO_MANY_CORRECTIONS: [409, 'This record has had the most corrections allowed'],
  NO_CONFIRMED_SERVICE: [409, 'No confirmed service to certify yet'],
  UNKNOWN_MEMBER: [422, 'The member does not exist (no member profile)'],
  UNKNOWN_TEAM: [422, 'The team does not exist'],
  TEAM_INACTIVE: [409, 'The team is not active'],
  ALREADY_TEAM_MEMBER: [409, 'Already a member of this team'],
  JOIN_ALREADY_PENDING: [409, 'A request to join this team is already pending'],
  JOIN_NOT_PENDING: [409, 'The join request is no longer pending'],
  FLAG_ALREADY_GRANTED: [409, 'The team has already been given its flag'],
  THEME_ALREADY_KICKED_OFF: [409, "The month's theme has already been kicked off"],
  ALREADY_SIGNED_UP: [409, 'You are already signed up for this activity'],
  SIGNUP_CLOSED: [409, 'Sign-up is closed: the activity has started or is closed'],
  NOT_SIGNED_UP: [403, 'You have no confirmed place in this activity'],
  ATTENDANCE_CLOSED: [409, 'Attendance is open from 30 minutes before the start to 30 minutes after the end'],
  ATTENDANCE_CODE_INVALID: [403, 'The attendance code is not valid for this activity'],
  ATTENDANCE_CODE_EXPIRED: [403, 'The attendance code has expired: ask the leader for a new one'],
  NOT_CHECKED_IN: [409, 'Check in before checking out'],
  ALREADY_CHECKED_OUT: [409, 'Already checked out'],
  ACTIVITY_CLOSED: [409, 'The activity is closed'],
  ACTIVITY_NOT_ENDED: [409, 'The activity has not ended yet'],
  WISH_ACTION_NOT_ALLOWED: [409, "The wish's state does not allow this action"],
  WISH_ALREADY_CLAIMED: [409, 'The wish has already been claimed or taken on'],
  CLAIM_LIMIT_REACHED: [409, 'You hold the most open wish claims allowed: complete or release one first'],
  CALL_NOT_OPEN: [409, 'The call does not take submissions yet'],
  CALL_CLOSED: [409, 'The call is closed: submissions are frozen'],
  CALL_NOT_CLOSED: [409, 'The call has not closed yet'],
  TEAM_ALREADY_ENTERED: [409, 'The team already has an entry in this call'],
  CORE_MEMBER_NOT_ON_TEAM: [409, 'A core member is not an active member of the team'],
  REVIEWER_ALREADY_ASSIGNED: [409, 'That reviewer is already assigned to this submission'],
  REVIEWER_CONFLICT: [409, 'The reviewer belongs to the submitting team or its community'],
  SCORES_LOCKED: [409, 'The scores are submitted and locked'],
  RESULTS_PUBLISHED: [409, 'The results are published'],
  REVIEWS_INCOMPLETE: [409, 'Some eligible submissions lack reviewers or scores'],
  NOTICE_NOT_ENDED: [409, 'The results are not yet through their public notice'],
  ALREADY_AWARDED: [409, 'The project is already awarded'],
  AWARD_OVER_BUDGET: [409, 'The awards would exceed the budget'],
  AWARD_OVER_TIER: [409, "The awards would exceed a tier's count"],
  BOOKING_OVERLAP: [409, 'The station is booked for part of that time'],
  WEEKLY_CAP_REACHED: [409, "The team has used this week's hours at the station"],
  BOOKING_NOT_CONFIRMED: [409, 'The booking is cancelled already'],
  QUALIFICATION_REQUIRED: [403, 'A valid qualification is required: missing, or it expires before the activity starts'],
  UNKNOWN_STATION: [422, 'The micro-station does not exist'],
  OUTSIDE_OPENING_HOURS: [422, 'The station is not open for all of that time'],
  BOOKING_TOO_FAR: [422, 'Bookings start at most 30 days ahead'],
  STATION_CLOSED: [422, 'The station is closed for part of that time'],
  STATION_BOOKING_REQUIRED: [
    422,
    "An activity at a micro-station needs the team's booking of the station for its time",
  ],
  ATTENDANCE_CODE_LOCKED: [429, 'Too many wrong attendance codes'],
  SELF_GRANT: [403, 'Nobody grants or revokes their own roles'],
  ROLE_ALREADY_HELD: [409, 'The user already holds this role with this scope'],
  ROLE_NOT_HELD: [409, 'The user does not hold this role'],
  SCOPE_CONFLICT: [409, "The role's scope conflicts with a scope the user holds"],
  ALREADY_LEADS_TEAM: [409, 'The member already leads another team'],
  MFA_REQUIRED: [409, 'Admin roles need an authenticator app (MFA) set up first'],
  NOT_TEAM_MEMBER: [409, 'The member is not an active member of this team'],
  UNKNOWN_USER: [422, 'No such user in this district'],
  UNAVAILABLE: [503, 'Temporarily unavailable'],
  INTERNAL: [500, 'Internal error'],
};

describe('error codes', () => {
  it('are declared once, each with the status and title of the contract', () => {
    expect([...ERROR_CODES].sort()).toEqual(Object.keys(CONTRACT).sort());
    for (const code of ERROR_CODES) {
      const problem = toProblem(new DomainError(code, 'detail'));
      expect([problem.status, problem.title], code).toEqual(CONTRACT[code]);
      expect(statusOf(code), code).toBe(CONTRACT[code][0]);
      expect(problem.type, code).toBe(`https://pioneer.example/problems/${code.toLowerCase().replaceAll('_', '-')}`);
    }
  });

  it('carry their extras and field errors; an empty list of field errors is left out', () => {
    const errors = [{ field: 'body.name', message: 'required' }];
    expect(toProblem(new DomainError('VALIDATION_FAILED', 'see errors', { errors, hint: 'x' }))).toEqual({
      type: 'https://pioneer.example/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'see errors',
      code: 'VALIDATION_FAILED',
      errors,
      hint: 'x',
    });
    expect(toProblem(new DomainError('VALIDATION_FAILED', 'x', { errors: [] }))).not.toHaveProperty('errors');
    // An extra can never replace what the problem says.
    expect(toProblem(new DomainError('NOT_FOUND', 'gone', { status: 200, code: 'OK', title: 't' }))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      title: 'Not found',
    });
  });

  it('turn anything that is not a DomainError into a 500 without internals', () => {
    const problem = toProblem(new Error('SELECT * FROM secrets'));
    expect(problem).toEqual({
      type: 'https://pioneer.example/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: 'Something went wrong on our side. It has been logged; retrying later may help.',
      code: 'INTERNAL',
    });
  });

  it('answer with their content type, never cached; a 503 says when to retry (its retryAfter, else 1 second)', () => {
    const headers = (err: unknown) => problemHeaders(err, toProblem(err));
    expect(headers(new DomainError('NOT_FOUND', 'gone', { retryAfter: 5 }))).toEqual({
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    });
    const unavailable = (retryAfter: unknown) => new DomainError('UNAVAILABLE', 'the table is away', { retryAfter });
    expect(headers(unavailable(7))).toEqual({
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      'retry-after': '7',
    });
    // Only a whole, positive number of seconds is passed on.
    for (const odd of [undefined, 0, -3, 2.5, 'soon', Number.NaN])
      expect(headers(unavailable(odd))['retry-after'], String(odd)).toBe('1');
    expect(headers(unavailable('12'))['retry-after']).toBe('12');
    // A 503 from anything else (a problem built by hand) waits a second too.
    expect(problemHeaders(new Error('x'), { ...toProblem(new Error('x')), status: 503 })['retry-after']).toBe('1');
    // The body never carries it.
    expect(toProblem(unavailable(7))).not.toHaveProperty('retryAfter');
  });
});

import * as z from 'zod/mini';
import { MAX_CAPACITY } from '../domain/activity.ts';
import { CATEGORIES } from '../domain/categories.ts';
import type { Contract } from '../http/api.ts';
import { describe, Id, IsoTime, Month, PageQuery, Line, Text, pageOf } from './common.ts';

/** Schemas of the activities routes: publish, list, read, sign-up, cancel, attendance, close. */

export const ActivityView = z.object({
  activityId: Id,
  teamId: Id,
  teamName: z.string(),
  leaderMemberId: Id,
  leaderName: z.string(),
  title: z.string(),
  content: z.string(),
  category: z.enum(CATEGORIES),
  streetId: Id,
  communityId: Id,
  communityName: z.optional(z.string()),
  address: z.optional(z.string()),
  stationId: z.optional(Id),
  startsAt: IsoTime,
  endsAt: IsoTime,
  capacity: z.number(),
  themeMonth: z.optional(Month),
  kind: z.enum(['regular', 'service-day']),
  status: describe(z.enum(['open', 'closing', 'closed']), '`closing` while a close is writing its records'),
  confirmedCount: z.number(),
  waitlistedCount: z.number(),
  createdAt: IsoTime,
  closedAt: z.optional(IsoTime),
  peopleServed: z.optional(z.number()),
  summary: z.optional(z.string()),
});

export const SignupView = z.object({
  activityId: Id,
  memberId: Id,
  memberName: z.string(),
  status: z.enum(['confirmed', 'waitlisted']),
  ticket: describe(
    z.number(),
    'arrival order: the instant the sign-up arrived, in milliseconds since 1970; the waitlist is served in ticket order (then by member id)',
  ),
  signedUpAt: IsoTime,
  promotedAt: z.optional(IsoTime),
  checkedInAt: z.optional(IsoTime),
  checkedOutAt: z.optional(IsoTime),
});

const ActivityParams = z.strictObject({ activityId: Id });
const Code = z.strictObject({
  code: describe(z.string().check(z.regex(/^\d{6}$/, 'six digits')), "the leader's current attendance code"),
});

export const publishActivity = {
  method: 'POST',
  path: '/activities',
  body: z
    .strictObject({
      teamId: describe(z.optional(Id), "if given, must be the caller's own team (custom:teamId)"),
      title: Line(100),
      content: Text(2000),
      category: z.enum(CATEGORIES),
      communityId: Id,
      address: z.optional(Line(200)),
      stationId: describe(z.optional(Id), 'a micro-station, instead of (or besides) an address'),
      startsAt: describe(IsoTime, 'ISO-8601 with offset, in the future'),
      endsAt: describe(IsoTime, 'after startsAt, within 24 hours of it'),
      capacity: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_CAPACITY)),
      themeMonth: z.optional(Month),
    })
    .check(
      z.refine((b) => b.address !== undefined || b.stationId !== undefined, {
        message: 'give an address or a stationId',
        path: ['address'],
      }),
    ),
  response: ActivityView,
  status: 201,
  idempotent: true,
  description: 'A team leader publishes an activity of their own team. The community must exist (422).',
} as const satisfies Contract;

export const listActivities = {
  method: 'GET',
  path: '/activities',
  query: z
    .strictObject({
      ...PageQuery,
      month: z.optional(Month),
      teamId: z.optional(Id),
      communityId: z.optional(Id),
      order: describe(z._default(z.enum(['asc', 'desc']), 'desc'), 'by start time; newest first by default'),
    })
    .check(
      z.refine((q) => !(q.teamId && q.communityId), {
        message: 'filter by teamId or by communityId, not both',
        path: ['communityId'],
      }),
    ),
  response: pageOf(ActivityView),
  description:
    'Activities of a month (default: the current month), of a team, or of a community, optionally within a month (Asia/Shanghai), by start time.',
} as const satisfies Contract;

export const getActivity = {
  method: 'GET',
  path: '/activities/{activityId}',
  params: ActivityParams,
  response: ActivityView,
} as const satisfies Contract;

export const signUp = {
  method: 'POST',
  path: '/activities/{activityId}/signups',
  params: ActivityParams,
  response: SignupView,
  status: 201,
  idempotent: true,
  description:
    '`confirmed` while places are free, else `waitlisted` in arrival order; 409 when already signed up or after the start.',
} as const satisfies Contract;

export const cancelSignup = {
  method: 'DELETE',
  path: '/activities/{activityId}/signups/me',
  params: ActivityParams,
  status: 204,
  description:
    'Cancels my sign-up (until the start); a confirmed place goes to the first on the waitlist in the same transaction.',
} as const satisfies Contract;

export const listSignups = {
  method: 'GET',
  path: '/activities/{activityId}/signups',
  params: ActivityParams,
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(SignupView),
  description: "Sign-ups in arrival order, for the team's leader and admins of the activity's place.",
} as const satisfies Contract;

export const issueAttendanceCode = {
  method: 'POST',
  path: '/activities/{activityId}/attendance-code',
  params: ActivityParams,
  response: z.object({ activityId: Id, code: z.string(), expiresAt: IsoTime }),
  description: 'A new six-digit code, valid ten minutes; the previous code stops working.',
} as const satisfies Contract;

const AttendanceView = z.object({
  activityId: Id,
  memberId: Id,
  action: z.enum(['check-in', 'check-out']),
  at: IsoTime,
});

export const checkIn = {
  method: 'POST',
  path: '/activities/{activityId}/check-in',
  params: ActivityParams,
  body: Code,
  response: AttendanceView,
  description: 'From 30 minutes before the start to 30 minutes after the end, with a confirmed place.',
} as const satisfies Contract;

export const checkOut = {
  method: 'POST',
  path: '/activities/{activityId}/check-out',
  params: ActivityParams,
  body: Code,
  response: AttendanceView,
} as const satisfies Contract;

export const closeActivity = {
  method: 'POST',
  path: '/activities/{activityId}/close',
  params: ActivityParams,
  body: z.strictObject({
    peopleServed: z.number().check(z.int(), z.minimum(0), z.maximum(100_000)),
    summary: Text(2000),
  }),
  response: ActivityView,
  description:
    'After the end: writes one service record per attendee with hours > 0 and adds to the counters. Closing a closed activity returns it unchanged.',
} as const satisfies Contract;

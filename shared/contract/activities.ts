import * as z from 'zod/mini';
import { MAX_CAPACITY } from '../domain/activity.ts';
import type { Contract } from '../http/api.ts';
import {
  Category,
  describe,
  documented,
  Id,
  IsoTime,
  Line,
  Month,
  named,
  pageOf,
  PageQuery,
  requires,
  Text,
} from './common.ts';
import { QualificationName } from './qualification.ts';

/** Schemas of the activities routes: publish, list, read, sign-up, cancel, attendance, close. */

export const ActivityView = named(
  'Activity',
  z.object({
    activityId: Id,
    teamId: Id,
    teamName: z.string(),
    leaderMemberId: Id,
    leaderName: z.string(),
    title: z.string(),
    content: z.string(),
    category: Category,
    streetId: Id,
    communityId: Id,
    communityName: z.optional(z.string()),
    address: z.optional(z.string()),
    stationId: z.optional(Id),
    startsAt: IsoTime,
    endsAt: IsoTime,
    capacity: z.number(),
    themeMonth: z.optional(Month),
    requiresQualification: describe(
      z.optional(QualificationName),
      'signing up needs a grant of it (or a tier above) valid at the start',
    ),
    courseId: z.optional(Id),
    kind: z.enum(['regular', 'service-day', 'training']),
    status: describe(
      z.enum(['open', 'closing', 'closed', 'cancelled']),
      '`closing` while a close is writing its records; `cancelled` by its leader before the start',
    ),
    confirmedCount: z.number(),
    waitlistedCount: z.number(),
    createdAt: IsoTime,
    updatedAt: describe(z.optional(IsoTime), "the leader's last change of its time, place or capacity"),
    cancelledAt: z.optional(IsoTime),
    cancelReason: z.optional(z.string()),
    closedAt: z.optional(IsoTime),
    peopleServed: z.optional(z.number()),
    summary: z.optional(z.string()),
  }),
);

export const SignupView = named(
  'Signup',
  z.object({
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
  }),
);

// ---------- examples (the document's; a test holds each to its schema) ----------

const ACTIVITY = {
  activityId: 'ac_01KC2A3B4C5D6E7F8G9H0J1K2M',
  teamId: 'team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N',
  teamName: '红星义诊队',
  leaderMemberId: 'm-demo-1',
  leaderName: '王小明',
  title: '关爱老人义诊',
  content: '为辖区 70 岁以上老人量血压、测血糖',
  category: 'health',
  streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
  communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  communityName: '红星社区',
  address: '红星社区党群服务中心',
  startsAt: '2026-12-05T01:00:00.000Z',
  endsAt: '2026-12-05T04:00:00.000Z',
  capacity: 30,
  themeMonth: '2026-12',
  kind: 'regular',
  status: 'open',
  confirmedCount: 12,
  waitlistedCount: 0,
  createdAt: '2026-11-20T08:00:00.000Z',
};
const CLOSED = {
  ...ACTIVITY,
  status: 'closed',
  closedAt: '2026-12-05T05:00:00.000Z',
  peopleServed: 86,
  summary: '为 86 位老人提供义诊',
};
const SIGNUP = {
  activityId: ACTIVITY.activityId,
  memberId: 'm-demo-2',
  memberName: '李芳',
  status: 'confirmed',
  ticket: 1795226400000,
  signedUpAt: '2026-11-21T02:00:00.000Z',
};

const ActivityParams = z.strictObject({ activityId: Id });
const Code = z.strictObject({
  code: describe(z.string().check(z.regex(/^\d{6}$/, 'six digits')), "the leader's current attendance code"),
});

export const publishActivity = {
  method: 'POST',
  path: '/activities',
  body: documented(
    z
      .strictObject({
        teamId: describe(z.optional(Id), "if given, must be the caller's own team (custom:teamId)"),
        title: Line(100),
        content: Text(2000),
        category: Category,
        communityId: Id,
        address: z.optional(Line(200)),
        stationId: describe(z.optional(Id), 'a micro-station, instead of (or besides) an address'),
        startsAt: describe(IsoTime, 'ISO-8601 with offset, in the future'),
        endsAt: describe(IsoTime, 'after startsAt, within 24 hours of it'),
        capacity: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_CAPACITY)),
        themeMonth: z.optional(Month),
        requiresQualification: describe(
          z.optional(QualificationName),
          'signing up will need a grant of it (or a tier above) valid at the start',
        ),
      })
      .check(
        z.refine((b) => b.address !== undefined || b.stationId !== undefined, {
          message: 'give an address or a stationId',
          path: ['address'],
        }),
      ),
    {
      anyOf: [requires('address'), requires('stationId')],
      description:
        'An address or a stationId (or both). startsAt lies in the future; endsAt after it, within 24 hours.',
    },
  ),
  response: ActivityView,
  status: 201,
  idempotent: true,
  description:
    "A team leader publishes an activity of their own team. The community must exist (422); an activity at a micro-station needs the team's confirmed booking of that station covering its time (422 STATION_BOOKING_REQUIRED).",
  rules: {
    'body.startsAt': 'in the future',
    'body.endsAt': 'after startsAt, and within 24 hours of it',
    'body.themeMonth': 'the month startsAt falls in (Asia/Shanghai)',
  },
  tag: 'activities',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'STATION_BOOKING_REQUIRED', 'TEAM_INACTIVE', 'UNKNOWN_COMMUNITY'],
  examples: {
    body: {
      title: ACTIVITY.title,
      content: ACTIVITY.content,
      category: ACTIVITY.category,
      communityId: ACTIVITY.communityId,
      address: ACTIVITY.address,
      startsAt: '2026-12-05T09:00:00+08:00',
      endsAt: '2026-12-05T12:00:00+08:00',
      capacity: ACTIVITY.capacity,
      themeMonth: ACTIVITY.themeMonth,
    },
    response: { ...ACTIVITY, confirmedCount: 0 },
  },
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
  rules: { 'query.communityId': 'not together with teamId' },
  tag: 'activities',
  errors: [],
  examples: { query: { month: '2026-12', order: 'asc', limit: 20 }, response: { items: [ACTIVITY] } },
} as const satisfies Contract;

export const getActivity = {
  method: 'GET',
  path: '/activities/{activityId}',
  params: ActivityParams,
  response: ActivityView,
  tag: 'activities',
  errors: ['NOT_FOUND'],
  examples: { params: { activityId: ACTIVITY.activityId }, response: ACTIVITY },
} as const satisfies Contract;

export const signUp = {
  method: 'POST',
  path: '/activities/{activityId}/signups',
  params: ActivityParams,
  response: SignupView,
  status: 201,
  idempotent: true,
  description:
    '`confirmed` while places are free, else `waitlisted` in arrival order; 409 when already signed up or after the start; 403 QUALIFICATION_REQUIRED when the activity requires a qualification the member holds no grant of (or of a tier above) valid at its start.',
  tag: 'activities',
  errors: [
    'ALREADY_SIGNED_UP',
    'CONCURRENT_UPDATE',
    'NOT_FOUND',
    'PROFILE_REQUIRED',
    'QUALIFICATION_REQUIRED',
    'SIGNUP_CLOSED',
  ],
  examples: { params: { activityId: ACTIVITY.activityId }, response: SIGNUP },
} as const satisfies Contract;

export const cancelSignup = {
  method: 'DELETE',
  path: '/activities/{activityId}/signups/me',
  params: ActivityParams,
  status: 204,
  description:
    'Cancels my sign-up (until the start); a confirmed place goes to the first on the waitlist in the same transaction.',
  tag: 'activities',
  errors: ['CONCURRENT_UPDATE', 'NOT_FOUND', 'SIGNUP_CLOSED'],
  examples: { params: { activityId: ACTIVITY.activityId } },
} as const satisfies Contract;

export const listSignups = {
  method: 'GET',
  path: '/activities/{activityId}/signups',
  params: ActivityParams,
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(SignupView),
  description: "Sign-ups in arrival order, for the team's leader and admins of the activity's place.",
  tag: 'activities',
  errors: ['FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { activityId: ACTIVITY.activityId },
    query: { limit: 20 },
    response: {
      items: [
        SIGNUP,
        { ...SIGNUP, memberId: 'm-demo-3', memberName: '张伟', status: 'waitlisted', ticket: 1795226700000 },
      ],
    },
  },
} as const satisfies Contract;

export const issueAttendanceCode = {
  method: 'POST',
  path: '/activities/{activityId}/attendance-code',
  params: ActivityParams,
  response: z.object({ activityId: Id, code: z.string(), expiresAt: IsoTime }),
  description: 'A new six-digit code, valid ten minutes; the previous code stops working.',
  tag: 'activities',
  errors: ['ACTIVITY_CLOSED', 'ATTENDANCE_CLOSED', 'FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { activityId: ACTIVITY.activityId },
    response: { activityId: ACTIVITY.activityId, code: '482913', expiresAt: '2026-12-05T00:50:00.000Z' },
  },
} as const satisfies Contract;

const AttendanceView = named(
  'Attendance',
  z.object({
    activityId: Id,
    memberId: Id,
    action: z.enum(['check-in', 'check-out']),
    at: IsoTime,
  }),
);

export const checkIn = {
  method: 'POST',
  path: '/activities/{activityId}/check-in',
  params: ActivityParams,
  body: Code,
  response: AttendanceView,
  description: 'From 30 minutes before the start to 30 minutes after the end, with a confirmed place.',
  tag: 'activities',
  errors: [
    'ACTIVITY_CLOSED',
    'ALREADY_CHECKED_IN',
    'ALREADY_CHECKED_OUT',
    'ATTENDANCE_CLOSED',
    'ATTENDANCE_CODE_EXPIRED',
    'ATTENDANCE_CODE_INVALID',
    'ATTENDANCE_CODE_LOCKED',
    'CONCURRENT_UPDATE',
    'NOT_CHECKED_IN',
    'NOT_FOUND',
    'NOT_SIGNED_UP',
  ],
  examples: {
    params: { activityId: ACTIVITY.activityId },
    body: { code: '482913' },
    response: {
      activityId: ACTIVITY.activityId,
      memberId: SIGNUP.memberId,
      action: 'check-in',
      at: '2026-12-05T00:55:00.000Z',
    },
  },
} as const satisfies Contract;

export const checkOut = {
  method: 'POST',
  path: '/activities/{activityId}/check-out',
  params: ActivityParams,
  body: Code,
  response: AttendanceView,
  tag: 'activities',
  errors: [
    'ACTIVITY_CLOSED',
    'ALREADY_CHECKED_IN',
    'ALREADY_CHECKED_OUT',
    'ATTENDANCE_CLOSED',
    'ATTENDANCE_CODE_EXPIRED',
    'ATTENDANCE_CODE_INVALID',
    'ATTENDANCE_CODE_LOCKED',
    'CONCURRENT_UPDATE',
    'NOT_CHECKED_IN',
    'NOT_FOUND',
    'NOT_SIGNED_UP',
  ],
  examples: {
    params: { activityId: ACTIVITY.activityId },
    body: { code: '730154' },
    response: {
      activityId: ACTIVITY.activityId,
      memberId: SIGNUP.memberId,
      action: 'check-out',
      at: '2026-12-05T04:05:00.000Z',
    },
  },
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
  tag: 'activities',
  errors: ['ACTIVITY_NOT_ENDED', 'CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { activityId: ACTIVITY.activityId },
    body: { peopleServed: 86, summary: CLOSED.summary },
    response: CLOSED,
  },
} as const satisfies Contract;

// ---------- leaders: change and cancel; my sign-ups ----------

export const changeActivity = {
  method: 'PATCH',
  path: '/activities/{activityId}',
  params: ActivityParams,
  body: documented(
    z
      .strictObject({
        startsAt: describe(z.optional(IsoTime), 'ISO-8601 with offset, in the future'),
        endsAt: describe(z.optional(IsoTime), 'after startsAt, within 24 hours of it'),
        address: z.optional(Line(200)),
        stationId: z.optional(Id),
        capacity: describe(
          z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_CAPACITY))),
          'never below the confirmed count; a larger one promotes from the waitlist in arrival order',
        ),
      })
      .check(z.refine((b) => Object.keys(b).length > 0, { message: 'change at least one field', path: ['startsAt'] })),
    { minProperties: 1, description: 'At least one of the fields.' },
  ),
  response: ActivityView,
  description:
    "The team's leader changes the time, place or capacity of an open activity before it starts. Everyone signed up is told of a new time or place (reminders follow the new time); a larger capacity promotes from the waitlist in arrival order; a capacity below the confirmed count is refused (409), so no confirmed member is dropped.",
  rules: {
    'body.startsAt': 'in the future',
    'body.endsAt': 'after startsAt, and within 24 hours of it',
  },
  tag: 'activities',
  errors: ['CAPACITY_BELOW_CONFIRMED', 'CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND', 'SIGNUP_CLOSED'],
  examples: {
    params: { activityId: ACTIVITY.activityId },
    body: { startsAt: '2026-12-06T09:00:00+08:00', endsAt: '2026-12-06T12:00:00+08:00', capacity: 40 },
    response: {
      ...ACTIVITY,
      startsAt: '2026-12-06T01:00:00.000Z',
      endsAt: '2026-12-06T04:00:00.000Z',
      capacity: 40,
      updatedAt: '2026-11-25T08:00:00.000Z',
    },
  },
} as const satisfies Contract;

export const cancelActivity = {
  method: 'POST',
  path: '/activities/{activityId}/cancel',
  params: ActivityParams,
  body: z.strictObject({ reason: Line(200) }),
  response: ActivityView,
  description:
    "The team's leader cancels an open activity before it starts; everyone signed up is told (an urgent notice that cannot be switched off), and no reminder follows.",
  tag: 'activities',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND', 'SIGNUP_CLOSED'],
  examples: {
    params: { activityId: ACTIVITY.activityId },
    body: { reason: '天气预警，活动取消' },
    response: {
      ...ACTIVITY,
      status: 'cancelled',
      cancelledAt: '2026-12-04T02:00:00.000Z',
      cancelReason: '天气预警，活动取消',
    },
  },
} as const satisfies Contract;

const MySignupView = named(
  'MySignup',
  z.object({
    ...SignupView.shape,
    activity: describe(z.optional(ActivityView), 'the activity as it is now'),
    waitlistPlace: describe(z.optional(z.number()), 'on the waitlist: my place in it (1 is next)'),
  }),
);

export const listMySignups = {
  method: 'GET',
  path: '/members/me/signups',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(MySignupView),
  description: 'My sign-ups, newest first, each with its activity and, when waitlisted, my place on the waitlist.',
  tag: 'activities',
  errors: [],
  examples: {
    query: { limit: 20 },
    response: {
      items: [
        {
          ...SIGNUP,
          memberId: 'm-demo-3',
          memberName: '张伟',
          status: 'waitlisted',
          ticket: 1795226700000,
          activity: ACTIVITY,
          waitlistPlace: 2,
        },
        { ...SIGNUP, activity: ACTIVITY },
      ],
    },
  },
} as const satisfies Contract;

import * as z from 'zod/mini';
import type { Contract } from '../http/api.ts';
import { MAX_CAPACITY } from '../domain/activity.ts';
import { ActivityView } from './activities.ts';
import { QualificationName } from './qualification.ts';
import { TrainingEntryView } from './record-parts.ts';
import {
  describe,
  documented,
  Id,
  IsoTime,
  Line,
  named,
  pageOf,
  PageQuery,
  QueryInt,
  requires,
  Text,
} from './common.ts';

/** Schemas of the qualification routes: grants, my qualifications and training, what expires soon. */

export const GrantView = named(
  'Grant',
  z.object({
    memberId: Id,
    qualification: QualificationName,
    grantedAt: IsoTime,
    validUntil: describe(z.optional(IsoTime), 'when it expires; absent: it does not'),
    source: z.enum(['course', 'admin']),
    courseId: z.optional(Id),
    grantedBy: Id,
    communityId: z.optional(Id),
  }),
);

const GRANT = {
  memberId: 'm-demo-2',
  qualification: 'professional',
  grantedAt: '2026-11-20T08:00:00.000Z',
  validUntil: '2027-11-20T08:00:00.000Z',
  source: 'admin',
  grantedBy: 'admin-hongxing',
  communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
};

export const grantQualification = {
  method: 'POST',
  path: '/members/{memberId}/qualifications',
  params: z.strictObject({ memberId: Id }),
  body: z.strictObject({
    qualification: QualificationName,
    validUntil: describe(z.optional(IsoTime), 'in the future; absent: it does not expire'),
  }),
  response: GrantView,
  description:
    "Admins of the member's community (or above) grant a qualification. A re-grant only ever extends: an earlier expiry than the one held leaves the grant as it is (and is answered with it).",
  rules: { 'body.validUntil': 'in the future' },
  tag: 'training',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'UNKNOWN_MEMBER'],
  examples: {
    params: { memberId: GRANT.memberId },
    body: { qualification: 'professional', validUntil: '2027-11-20T16:00:00+08:00' },
    response: GRANT,
  },
} as const satisfies Contract;

export const myQualifications = {
  method: 'GET',
  path: '/members/me/qualifications',
  response: z.object({
    memberId: Id,
    grants: z.array(GrantView),
    training: describe(z.array(TrainingEntryView), 'the training part of my record, newest first'),
    trainingHours: describe(z.number(), 'hours of completed training, kept apart from service hours'),
  }),
  description: 'My qualification grants, my training entries and my training hours.',
  tag: 'training',
  errors: [],
  examples: {
    response: { memberId: GRANT.memberId, grants: [GRANT], training: [], trainingHours: 0 },
  },
} as const satisfies Contract;

export const expiringQualifications = {
  method: 'GET',
  path: '/qualifications/expiring',
  query: z
    .strictObject({
      days: QueryInt(1, 366),
      memberId: z.optional(Id),
      teamId: z.optional(Id),
      communityId: z.optional(Id),
    })
    .check(
      z.refine((q) => [q.memberId, q.teamId, q.communityId].filter((v) => v !== undefined).length === 1, {
        message: 'give exactly one of memberId, teamId, communityId',
        path: ['memberId'],
      }),
    ),
  response: z.object({ from: IsoTime, to: IsoTime, items: z.array(GrantView) }),
  description:
    "Grants expiring within `days` days (1-366) from now, soonest first: a member's (the member, or district admins), a team's active members' (its leader, or district admins), a community's (its admins and above).",
  rules: { 'query.memberId': 'exactly one of memberId, teamId, communityId' },
  tag: 'training',
  errors: ['FORBIDDEN'],
  examples: {
    query: { days: 30, communityId: GRANT.communityId },
    response: { from: '2027-10-25T00:00:00.000Z', to: '2027-11-24T00:00:00.000Z', items: [GRANT] },
  },
} as const satisfies Contract;

// ---------- courses ----------

const SessionMarkView = z.object({ activityId: Id, startsAt: IsoTime, closed: z.boolean() });

export const CourseView = named(
  'Course',
  z.object({
    courseId: Id,
    name: z.string(),
    content: z.string(),
    tier: QualificationName,
    requires: describe(z.optional(QualificationName), 'enrolling (signing up for a session) needs a valid grant of it'),
    studyHours: z.number(),
    validityMonths: describe(z.optional(z.number()), 'how long the qualification it grants lasts; absent: no expiry'),
    completionRule: describe(
      z.enum(['any', 'every', 'last']),
      '`any` one attended session; `every` every session attended (one missed: no grant); `last` the last session attended',
    ),
    teamId: Id,
    organiser: z.string(),
    streetId: Id,
    communityId: Id,
    sessionCount: z.number(),
    createdAt: IsoTime,
  }),
);

const COURSE = {
  courseId: 'crs_01KC6A7B8C9D0E1F2G3H4J5K6M',
  name: '应急救护专业培训',
  content: '心肺复苏与 AED 使用',
  tier: 'professional',
  requires: 'pre-service',
  studyHours: 8,
  validityMonths: 24,
  completionRule: 'every',
  teamId: 'team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N',
  organiser: '红星义诊队',
  streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
  communityId: GRANT.communityId,
  sessionCount: 2,
  createdAt: '2026-11-20T08:00:00.000Z',
};

export const createCourse = {
  method: 'POST',
  path: '/courses',
  body: z.strictObject({
    name: Line(100),
    content: Text(2000),
    tier: QualificationName,
    requires: describe(z.optional(QualificationName), 'default: the tier below (none for pre-service)'),
    studyHours: z.number().check(z.minimum(0.5), z.maximum(200), z.multipleOf(0.5)),
    validityMonths: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(120))),
    completionRule: z.enum(['any', 'every', 'last']),
    communityId: Id,
  }),
  response: CourseView,
  status: 201,
  idempotent: true,
  description: "A team's leader creates a course of the team, held in a community; its sessions follow.",
  tag: 'training',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'TEAM_INACTIVE', 'UNKNOWN_COMMUNITY'],
  examples: {
    body: {
      name: COURSE.name,
      content: COURSE.content,
      tier: 'professional',
      studyHours: 8,
      validityMonths: 24,
      completionRule: 'every',
      communityId: COURSE.communityId,
    },
    response: { ...COURSE, sessionCount: 0 },
  },
} as const satisfies Contract;

export const listCourses = {
  method: 'GET',
  path: '/courses',
  query: z.strictObject({ ...PageQuery, teamId: z.optional(Id) }),
  response: pageOf(CourseView),
  description: "Courses, newest first; or one team's.",
  tag: 'training',
  errors: [],
  examples: { query: { limit: 20 }, response: { items: [COURSE] } },
} as const satisfies Contract;

export const getCourse = {
  method: 'GET',
  path: '/courses/{courseId}',
  params: z.strictObject({ courseId: Id }),
  response: z.object({ ...CourseView.shape, sessions: z.array(SessionMarkView) }),
  description: 'A course with its sessions (activities of kind `training`), by start.',
  tag: 'training',
  errors: ['NOT_FOUND'],
  examples: {
    params: { courseId: COURSE.courseId },
    response: {
      ...COURSE,
      sessions: [
        { activityId: 'ac_01KC7A8B9C0D1E2F3G4H5J6K7M', startsAt: '2026-12-05T01:00:00.000Z', closed: true },
        { activityId: 'ac_01KC7A8B9C0D1E2F3G4H5J6K7N', startsAt: '2026-12-12T01:00:00.000Z', closed: false },
      ],
    },
  },
} as const satisfies Contract;

export const addSession = {
  method: 'POST',
  path: '/courses/{courseId}/sessions',
  params: z.strictObject({ courseId: Id }),
  body: documented(
    z
      .strictObject({
        startsAt: describe(IsoTime, 'in the future'),
        endsAt: describe(IsoTime, 'after startsAt, within 24 hours of it'),
        capacity: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_CAPACITY)),
        address: z.optional(Line(200)),
        stationId: describe(z.optional(Id), "a micro-station: the team's booking must cover the session"),
      })
      .check(
        z.refine((b) => b.address !== undefined || b.stationId !== undefined, {
          message: 'give an address or a stationId',
          path: ['address'],
        }),
      ),
    { anyOf: [requires('address'), requires('stationId')] },
  ),
  response: ActivityView,
  status: 201,
  idempotent: true,
  description:
    "The leader of the course's team adds a session: an activity of kind `training` (sign up, waitlist, attendance code and close as for any activity). Signing up needs the qualification the course requires, valid at the session's start. Its close writes no service record: it marks who attended and completes the course for those who meet its rule (a training entry, training hours, the grant: extended, never shortened).",
  rules: { 'body.startsAt': 'in the future', 'body.endsAt': 'after startsAt, and within 24 hours of it' },
  tag: 'training',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND', 'STATION_BOOKING_REQUIRED'],
  examples: {
    params: { courseId: COURSE.courseId },
    body: {
      startsAt: '2026-12-05T09:00:00+08:00',
      endsAt: '2026-12-05T13:00:00+08:00',
      capacity: 40,
      address: '党群服务中心三楼',
    },
    response: {
      activityId: 'ac_01KC7A8B9C0D1E2F3G4H5J6K7M',
      teamId: COURSE.teamId,
      teamName: COURSE.organiser,
      leaderMemberId: 'm-demo-1',
      leaderName: '王小明',
      title: COURSE.name,
      content: COURSE.content,
      category: 'health',
      streetId: COURSE.streetId,
      communityId: COURSE.communityId,
      communityName: '红星社区',
      address: '党群服务中心三楼',
      startsAt: '2026-12-05T01:00:00.000Z',
      endsAt: '2026-12-05T05:00:00.000Z',
      capacity: 40,
      requiresQualification: 'pre-service',
      courseId: COURSE.courseId,
      kind: 'training',
      status: 'open',
      confirmedCount: 0,
      waitlistedCount: 0,
      createdAt: '2026-11-21T08:00:00.000Z',
    },
  },
} as const satisfies Contract;

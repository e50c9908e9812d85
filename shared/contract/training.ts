import * as z from 'zod/mini';
import { TIERS } from '../domain/training.ts';
import type { Contract } from '../http/api.ts';
import { describe, Id, IsoTime, named, QueryInt } from './common.ts';

/** Schemas of the qualification routes: grants, my qualifications and training, what expires soon. */

export const QualificationName = named(
  'Qualification',
  describe(
    z.enum(TIERS),
    'pre-service (岗前) ⊂ professional (专业) ⊂ backbone (骨干): a grant of a tier satisfies every tier below it',
  ),
);

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

const TrainingEntryView = named(
  'TrainingEntry',
  z.object({
    entryId: Id,
    memberId: Id,
    memberName: z.string(),
    courseId: Id,
    name: z.string(),
    content: z.string(),
    tier: QualificationName,
    studyHours: z.number(),
    organiser: z.string(),
    teamId: Id,
    streetId: Id,
    communityId: Id,
    date: z.string(),
    completedAt: IsoTime,
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
      days: describe(QueryInt(1, 366), 'the window from now, in days'),
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
    "Grants expiring within `days` days, soonest first: a member's (the member, or district admins), a team's active members' (its leader, or district admins), a community's (its admins and above).",
  rules: { 'query.memberId': 'exactly one of memberId, teamId, communityId' },
  tag: 'training',
  errors: ['FORBIDDEN'],
  examples: {
    query: { days: 30, communityId: GRANT.communityId },
    response: { from: '2027-10-25T00:00:00.000Z', to: '2027-11-24T00:00:00.000Z', items: [GRANT] },
  },
} as const satisfies Contract;

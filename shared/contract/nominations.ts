import * as z from 'zod/mini';
import { AWARD_LEVELS } from '../domain/member-record.ts';
import { AUDIT_ACTIONS, CADRE_STATUSES, NOMINATION_STATUSES } from '../domain/nominations.ts';
import { EVALUATION_RATINGS } from '../domain/points.ts';
import type { Contract } from '../http/api.ts';
import { Day, describe, Id, IsoTime, Line, named, pageOf, PageQuery, Text } from './common.ts';

/** Schemas of exemplary nominations (先进典型) and the reserve-cadre pool (后备干部). */

const NOMINATION_ID = 'nm_01KDA1B2C3D4E5F6G7H8J9K0M1';
const MEMBER_ID = 'm-demo-2';
const NominationParams = z.strictObject({ nominationId: Id });
const Status = named('NominationStatus', z.enum(NOMINATION_STATUSES));

const Evidence = named(
  'NominationEvidence',
  describe(
    z.object({
      year: z.string(),
      confirmedHours: z.number(),
      points: z.number(),
      yearPoints: z.number(),
      star: z.number(),
      ratings: z.object({
        count: z.number(),
        ...Object.fromEntries(EVALUATION_RATINGS.map((r) => [r, z.number()])),
      }),
      noShows: describe(z.number(), 'unexcused no-shows this year'),
      takenAt: IsoTime,
    }),
    'read by the platform when the nomination was made: hours, points, star, the community’s ratings, no-shows',
  ),
);

const NominationView = named(
  'Nomination',
  z.object({
    nominationId: Id,
    memberId: Id,
    memberName: z.string(),
    communityId: Id,
    streetId: Id,
    title: z.string(),
    level: z.enum(AWARD_LEVELS),
    reason: z.string(),
    evidence: Evidence,
    nominatedBy: Id,
    nominatorRole: z.enum(['community_admin', 'street_admin', 'team_leader']),
    nominatedAt: IsoTime,
    status: Status,
    objections: describe(z.number(), 'objections received during the notice'),
    reviewerId: z.optional(Id),
    noticeFrom: z.optional(Day),
    noticeUntil: describe(z.optional(Day), 'the notice’s last day: 5 working days after the day it opened'),
    decidedBy: z.optional(Id),
    decidedAt: z.optional(IsoTime),
    decisionNote: z.optional(z.string()),
    awardId: describe(z.optional(Id), 'the award entry in the member’s record, once approved'),
  }),
);

const EVIDENCE = {
  year: '2026',
  confirmedHours: 326.5,
  points: 402,
  yearPoints: 118,
  star: 2,
  ratings: { count: 4, excellent: 3, good: 1, fair: 0, poor: 0 },
  noShows: 0,
  takenAt: '2026-12-01T02:00:00.000Z',
};
const NOMINATION = {
  nominationId: NOMINATION_ID,
  memberId: MEMBER_ID,
  memberName: '王小明',
  communityId: 'co-hongxing',
  streetId: 'st-chunxi',
  title: '2026年度优秀党员志愿者',
  level: 'district',
  reason: '常年参与社区义诊与助老服务',
  evidence: EVIDENCE,
  nominatedBy: 'm-admin-1',
  nominatorRole: 'community_admin',
  nominatedAt: '2026-12-01T02:00:00.000Z',
  status: 'under-review',
  objections: 0,
};

export const nominate = {
  method: 'POST',
  path: '/nominations',
  body: z.strictObject({
    memberId: Id,
    title: Line(60),
    reason: Text(1000),
    level: z._default(z.enum(AWARD_LEVELS), 'district'),
  }),
  response: NominationView,
  status: 201,
  idempotent: true,
  description:
    'A community admin (of the member’s community), a street admin (of its street) or a team leader (of a team the member is active in) nominates a member, never themselves. The platform takes the evidence as it stands. Out of scope: 404.',
  tag: 'nominations',
  errors: ['CONCURRENT_UPDATE', 'NOT_FOUND', 'SAME_PERSON'],
  examples: {
    body: { memberId: MEMBER_ID, title: NOMINATION.title, reason: NOMINATION.reason, level: 'district' },
    response: NOMINATION,
  },
} as const satisfies Contract;

export const listNominations = {
  method: 'GET',
  path: '/nominations',
  query: z.strictObject({ ...PageQuery, status: z._default(Status, 'under-review') }),
  response: pageOf(NominationView),
  tag: 'nominations',
  errors: [],
  examples: { query: { status: 'under-review', limit: 20 }, response: { items: [NOMINATION] } },
} as const satisfies Contract;

const AuditView = named(
  'NominationAudit',
  z.object({
    auditId: Id,
    nominationId: Id,
    at: IsoTime,
    action: z.enum(AUDIT_ACTIONS),
    actor: Id,
    note: z.optional(z.string()),
  }),
);
const ObjectionView = named(
  'Objection',
  z.object({
    objectionId: Id,
    nominationId: Id,
    at: IsoTime,
    text: z.string(),
    by: describe(z.optional(Id), 'who objected: shown to district admins only'),
  }),
);

export const getNomination = {
  method: 'GET',
  path: '/nominations/{nominationId}',
  params: NominationParams,
  response: named(
    'NominationFile',
    z.object({ nomination: NominationView, audit: z.array(AuditView), objections: z.array(ObjectionView) }),
  ),
  description:
    'The nomination, its append-only audit trail and its objections, oldest first: for district admins, admins of the nominee’s street or community, and the nominator.',
  tag: 'nominations',
  errors: ['NOT_FOUND'],
  examples: {
    params: { nominationId: NOMINATION_ID },
    response: {
      nomination: NOMINATION,
      audit: [
        {
          auditId: 'na_01KDA1B2C3D4E5F6G7H8J9K0M2',
          nominationId: NOMINATION_ID,
          at: NOMINATION.nominatedAt,
          action: 'nominated',
          actor: 'm-admin-1',
        },
      ],
      objections: [],
    },
  },
} as const satisfies Contract;

const ON_NOTICE = {
  ...NOMINATION,
  status: 'on-notice',
  reviewerId: 'm-district-1',
  noticeFrom: '2026-12-02',
  noticeUntil: '2026-12-09',
};

export const openNotice = {
  method: 'POST',
  path: '/nominations/{nominationId}/notice',
  params: NominationParams,
  response: NominationView,
  description:
    'A district admin, neither the nominee nor the nominator, reviews the nomination and puts it on public notice: today and the 5 working days after (Monday to Friday in Asia/Shanghai, without public holidays, with make-up working weekends). Objections go to them.',
  tag: 'nominations',
  errors: ['CONCURRENT_UPDATE', 'NOMINATION_NOT_UNDER_REVIEW', 'NOT_FOUND', 'SAME_PERSON'],
  examples: { params: { nominationId: NOMINATION_ID }, response: ON_NOTICE },
} as const satisfies Contract;

export const nominationNotices = {
  method: 'GET',
  path: '/nomination-notices',
  response: named(
    'NominationNotices',
    z.object({
      items: z.array(
        named(
          'NominationNotice',
          z.object({
            nominationId: Id,
            name: describe(z.string(), 'masked: 王*'),
            communityId: Id,
            streetId: Id,
            title: z.string(),
            reason: z.string(),
            evidence: z.object({ confirmedHours: z.number(), star: z.number() }),
            noticeFrom: Day,
            noticeUntil: Day,
          }),
        ),
      ),
    }),
  ),
  description: 'No token. Every nomination whose public notice (公示) runs today, the nominee’s name masked.',
  tag: 'nominations',
  errors: [],
  examples: {
    response: {
      items: [
        {
          nominationId: NOMINATION_ID,
          name: '王*',
          communityId: NOMINATION.communityId,
          streetId: NOMINATION.streetId,
          title: NOMINATION.title,
          reason: NOMINATION.reason,
          evidence: { confirmedHours: 326.5, star: 2 },
          noticeFrom: '2026-12-02',
          noticeUntil: '2026-12-09',
        },
      ],
    },
  },
} as const satisfies Contract;

export const objectToNomination = {
  method: 'POST',
  path: '/nominations/{nominationId}/objections',
  params: NominationParams,
  body: z.strictObject({ text: Text(1000) }),
  response: named('ObjectionReceipt', z.object({ objectionId: Id, nominationId: Id, at: IsoTime, text: z.string() })),
  status: 201,
  idempotent: true,
  description:
    'Anyone signed in objects while the notice runs (through its last day); the reviewer gets a notice (nomination-objection).',
  tag: 'nominations',
  errors: ['CONCURRENT_UPDATE', 'NOMINATION_NOT_ON_NOTICE', 'NOT_FOUND', 'NOTICE_OVER'],
  examples: {
    params: { nominationId: NOMINATION_ID },
    body: { text: '该同志今年有两次未到岗' },
    response: {
      objectionId: 'ob_01KDA1B2C3D4E5F6G7H8J9K0M3',
      nominationId: NOMINATION_ID,
      at: '2026-12-03T02:00:00.000Z',
      text: '该同志今年有两次未到岗',
    },
  },
} as const satisfies Contract;

export const decideNomination = {
  method: 'POST',
  path: '/nominations/{nominationId}/decision',
  params: NominationParams,
  body: z.strictObject({ approve: z.boolean(), note: Text(500) }),
  response: NominationView,
  description:
    'After the notice’s last day, a district admin who is neither the nominee nor the nominator approves (the title becomes an award in the member’s record) or rejects.',
  tag: 'nominations',
  errors: ['CONCURRENT_UPDATE', 'NOMINATION_NOT_ON_NOTICE', 'NOT_FOUND', 'NOTICE_NOT_ENDED', 'SAME_PERSON'],
  examples: {
    params: { nominationId: NOMINATION_ID },
    body: { approve: true, note: '公示无异议' },
    response: {
      ...ON_NOTICE,
      status: 'approved',
      decidedBy: 'm-district-2',
      decidedAt: '2026-12-10T02:00:00.000Z',
      decisionNote: '公示无异议',
      awardId: 'aw_01KDA1B2C3D4E5F6G7H8J9K0M1',
    },
  },
} as const satisfies Contract;

const CadreView = named(
  'ReserveCadre',
  z.object({
    memberId: Id,
    memberName: z.string(),
    communityId: Id,
    streetId: Id,
    nominationId: Id,
    title: z.string(),
    basis: z.string(),
    admittedAt: IsoTime,
    admittedBy: Id,
    reviewDueOn: describe(Day, 'the yearly review: a year after admission'),
    status: z.enum(CADRE_STATUSES),
    exitedAt: z.optional(IsoTime),
    exitedBy: z.optional(Id),
    exitReason: z.optional(z.string()),
  }),
);
const CADRE = {
  memberId: MEMBER_ID,
  memberName: '王小明',
  communityId: 'co-hongxing',
  streetId: 'st-chunxi',
  nominationId: NOMINATION_ID,
  title: NOMINATION.title,
  basis: '先进典型，群众认可度高',
  admittedAt: '2026-12-11T02:00:00.000Z',
  admittedBy: 'm-street-1',
  reviewDueOn: '2027-12-11',
  status: 'active',
};

export const admitCadre = {
  method: 'POST',
  path: '/reserve-cadres',
  body: z.strictObject({ nominationId: Id, basis: Text(1000) }),
  response: CadreView,
  status: 201,
  description:
    'A street admin (of the nominee’s street) or district admin admits the member of an approved nomination to the pool of their community, once.',
  tag: 'nominations',
  errors: ['ALREADY_IN_POOL', 'CONCURRENT_UPDATE', 'NOMINATION_NOT_APPROVED', 'NOT_FOUND'],
  examples: { body: { nominationId: NOMINATION_ID, basis: CADRE.basis }, response: CADRE },
} as const satisfies Contract;

export const listCadres = {
  method: 'GET',
  path: '/reserve-cadres',
  query: z.strictObject({ ...PageQuery, streetId: z.optional(Id), communityId: z.optional(Id) }),
  response: pageOf(CadreView),
  description:
    "A street admin sees their street's pool (or one of its communities'); a district admin any street's, or the district's.",
  rules: { 'query.communityId': 'only with the streetId of its street' },
  tag: 'nominations',
  errors: ['FORBIDDEN'],
  examples: { query: { streetId: 'st-chunxi', limit: 20 }, response: { items: [CADRE] } },
} as const satisfies Contract;

export const exitCadre = {
  method: 'POST',
  path: '/reserve-cadres/{memberId}/exit',
  params: z.strictObject({ memberId: Id }),
  body: z.strictObject({ reason: Text(500) }),
  response: CadreView,
  tag: 'nominations',
  errors: ['CONCURRENT_UPDATE', 'NOT_FOUND', 'NOT_IN_POOL'],
  examples: {
    params: { memberId: MEMBER_ID },
    body: { reason: '调任其他社区' },
    response: {
      ...CADRE,
      status: 'exited',
      exitedAt: '2027-03-01T02:00:00.000Z',
      exitedBy: 'm-street-1',
      exitReason: '调任其他社区',
    },
  },
} as const satisfies Contract;

import * as z from 'zod/mini';
import { NO_SHOW_STATUSES } from '../domain/no-shows.ts';
import { FACT_KINDS, RANK_SCOPES } from '../domain/points.ts';
import type { Contract } from '../http/api.ts';
import { Day, describe, Id, IsoTime, named, PageQuery, pageOf, QueryInt, Text } from './common.ts';
import { EVALUATION, EvaluationRatingName, EvaluationView } from './record-parts.ts';

/** Schemas of record-based evaluation: points, rankings, stars, evaluations, the five-part record. */

const Period = named(
  'Period',
  describe(
    z.string().check(z.regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'a year YYYY or a month YYYY-MM')),
    'a year YYYY or a month YYYY-MM (Asia/Shanghai; years reset on 1 January)',
  ),
);
const Year = describe(z.string().check(z.regex(/^\d{4}$/, 'a year YYYY')), 'a year YYYY (Asia/Shanghai)');
const RankScope = named('RankScope', z.enum(RANK_SCOPES));
const Rating = EvaluationRatingName;

const Place = z.object({ streetId: z.string(), communityId: z.string(), teamId: z.optional(z.string()) });

export const LedgerEntryView = named(
  'LedgerEntry',
  z.object({
    memberId: Id,
    kind: z.enum(FACT_KINDS),
    sourceId: describe(z.string(), 'the fact: a record id, a wish id, an evaluation id, a training completion id'),
    rule: z.string(),
    ruleVersion: z.number(),
    revision: describe(z.number(), '0 as first confirmed; each accepted correction (or revocation) is the next'),
    effect: describe(z.enum(['grant', 'reversal']), 'a reversal takes back what the previous revision granted'),
    points: z.number(),
    hours: describe(z.number(), 'confirmed service hours it adds (or takes back): what stars count'),
    at: describe(IsoTime, "the fact's instant: its year and month"),
    postedAt: describe(IsoTime, 'when this revision happened: the month its points count in the statistics'),
    year: z.string(),
    month: z.string(),
    place: Place,
    revisionRef: z.optional(z.string()),
  }),
);

const RuleView = named(
  'PointRule',
  z.object({
    code: z.string(),
    fact: z.enum(FACT_KINDS),
    unit: z.enum(['hour', 'event', 'star']),
    pointsPerUnit: z.number(),
    capPerEvent: z.optional(z.number()),
    capPerYear: z.optional(z.number()),
    version: z.number(),
    validFrom: Day,
    validTo: z.optional(Day),
    basis: z.string(),
  }),
);

const Figures = named('PeriodFigures', z.object({ period: z.string(), points: z.number(), hours: z.number() }));

const ENTRY = {
  memberId: 'm-demo-2',
  kind: 'service-record',
  sourceId: 'sr_7K2M9Q4T1V8X3Z6B0D5F2H7J9L',
  rule: 'service-hours',
  ruleVersion: 1,
  revision: 0,
  effect: 'grant',
  points: 3,
  hours: 3,
  at: '2026-12-05T05:00:00.000Z',
  postedAt: '2026-12-05T05:00:00.000Z',
  year: '2026',
  month: '2026-12',
  place: {
    streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
    communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
    teamId: 'team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N',
  },
};
const RULE = {
  code: 'service-hours',
  fact: 'service-record',
  unit: 'hour',
  pointsPerUnit: 1,
  capPerEvent: 24,
  version: 1,
  validFrom: '2020-01-01',
  basis: 'our choice: 1 point per confirmed hour',
};

export const myPoints = {
  method: 'GET',
  path: '/members/me/points',
  query: z.strictObject({ ...PageQuery, year: z.optional(Year) }),
  response: named(
    'MyPoints',
    z.object({
      star: describe(z.number(), 'stars by confirmed service hours: 100 / 300 / 600 / 1,000 / 1,500 h'),
      fifthStarDue: describe(z.boolean(), 'the hours reach the fifth star, which waits for a district admin'),
      totalHours: z.number(),
      totalPoints: z.number(),
      year: Figures,
      month: Figures,
      items: describe(z.array(LedgerEntryView), 'my ledger entries, newest first'),
      nextCursor: describe(z.optional(z.string()), 'absent on the last page'),
      rules: describe(z.array(RuleView), 'the rules in force, as data'),
    }),
  ),
  description:
    'My star, points of the year (default this year) and of this month (or December of a past year), and my ledger entries, newest first, with the rules that made them.',
  tag: 'evaluation',
  errors: [],
  examples: {
    query: { limit: 20, year: '2026' },
    response: {
      star: 0,
      fifthStarDue: false,
      totalHours: 3,
      totalPoints: 3,
      year: { period: '2026', points: 3, hours: 3 },
      month: { period: '2026-12', points: 3, hours: 3 },
      items: [ENTRY],
      rules: [RULE],
    },
  },
} as const satisfies Contract;

const RankQuery = {
  scope: RankScope,
  id: describe(Id, "the scope's id: the district id, a streetId, communityId or teamId"),
  period: Period,
};

export const memberRanking = {
  method: 'GET',
  path: '/rankings/members',
  query: z.strictObject({ ...RankQuery, limit: z._default(QueryInt(1, 100), 100) }),
  response: named(
    'MemberRanking',
    z.object({
      items: z.array(
        z.object({
          rank: z.number(),
          memberId: Id,
          name: describe(z.string(), 'masked: surname and a star'),
          points: z.number(),
          hours: z.number(),
          reachedAt: describe(IsoTime, 'when the score was reached: the earlier ranks first on a tie'),
        }),
      ),
    }),
  ),
  tag: 'evaluation',
  errors: ['NOT_FOUND'],
  examples: {
    query: { scope: 'community', id: ENTRY.place.communityId, period: '2026', limit: 100 },
    response: {
      items: [
        { rank: 1, memberId: 'm-demo-2', name: '李*', points: 3, hours: 3, reachedAt: '2026-12-05T05:00:00.000Z' },
      ],
    },
  },
} as const satisfies Contract;

export const teamRanking = {
  method: 'GET',
  path: '/rankings/teams',
  query: z.strictObject({ period: Period, limit: z._default(QueryInt(1, 100), 100) }),
  response: named(
    'TeamRanking',
    z.object({
      items: z.array(
        z.object({
          rank: z.number(),
          teamId: Id,
          name: z.string(),
          points: z.number(),
          hours: z.number(),
          reachedAt: IsoTime,
        }),
      ),
    }),
  ),
  tag: 'evaluation',
  errors: [],
  examples: {
    query: { period: '2026-12', limit: 10 },
    response: {
      items: [
        {
          rank: 1,
          teamId: ENTRY.place.teamId,
          name: '红星义诊队',
          points: 3,
          hours: 3,
          reachedAt: '2026-12-05T05:00:00.000Z',
        },
      ],
    },
  },
} as const satisfies Contract;

export const myRank = {
  method: 'GET',
  path: '/rankings/members/me',
  query: z.strictObject(RankQuery),
  response: named(
    'MyRank',
    z.object({
      ranked: describe(z.boolean(), 'false when I earned nothing in that scope and period'),
      rank: z.optional(z.number()),
      points: z.number(),
      hours: z.number(),
      reachedAt: z.optional(IsoTime),
    }),
  ),
  tag: 'evaluation',
  errors: ['NOT_FOUND'],
  examples: {
    query: { scope: 'district', id: 'jinjiang', period: '2026' },
    response: { ranked: true, rank: 1, points: 3, hours: 3, reachedAt: '2026-12-05T05:00:00.000Z' },
  },
} as const satisfies Contract;

const Candidate = named(
  'FifthStarCandidate',
  z.object({ memberId: Id, name: z.string(), hours: z.number(), points: z.number() }),
);

export const listFifthStarDue = {
  method: 'GET',
  path: '/star-reviews',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(Candidate),
  tag: 'evaluation',
  errors: [],
  examples: {
    query: { limit: 20 },
    response: { items: [{ memberId: 'm-demo-2', name: '李芳', hours: 1502.5, points: 1530 }] },
  },
} as const satisfies Contract;

export const decideFifthStar = {
  method: 'POST',
  path: '/members/{memberId}/fifth-star',
  params: z.strictObject({ memberId: Id }),
  body: z.strictObject({ approve: z.boolean(), note: Text(500) }),
  response: named('StarDecision', z.object({ memberId: Id, star: z.number(), hours: z.number() })),
  idempotent: true,
  tag: 'evaluation',
  errors: ['CONCURRENT_UPDATE', 'FIFTH_STAR_NOT_DUE'],
  examples: {
    params: { memberId: 'm-demo-2' },
    body: { approve: true, note: '服务记录齐全，群众评价好' },
    response: { memberId: 'm-demo-2', star: 5, hours: 1502.5 },
  },
} as const satisfies Contract;

export const evaluateService = {
  method: 'POST',
  path: '/service-records/{recordId}/evaluation',
  params: z.strictObject({ recordId: Id }),
  body: z.strictObject({ rating: Rating, note: z.optional(Text(500)) }),
  response: EvaluationView,
  status: 201,
  idempotent: true,
  tag: 'evaluation',
  errors: ['ALREADY_EVALUATED', 'CONCURRENT_UPDATE', 'EVALUATION_CLOSED', 'NOT_FOUND'],
  examples: {
    params: { recordId: ENTRY.sourceId },
    body: { rating: 'excellent', note: '服务耐心细致' },
    response: EVALUATION,
  },
} as const satisfies Contract;

// ---------- no-shows ----------

const NoShowView = named(
  'NoShow',
  z.object({
    activityId: Id,
    memberId: Id,
    memberName: z.string(),
    teamId: Id,
    communityId: Id,
    streetId: Id,
    closedAt: IsoTime,
    year: z.string(),
    status: z.enum(NO_SHOW_STATUSES),
    contestReason: z.optional(z.string()),
    contestedAt: z.optional(IsoTime),
    decidedAt: z.optional(IsoTime),
    decidedBy: z.optional(z.string()),
    decisionReason: z.optional(z.string()),
  }),
);
const NO_SHOW = {
  activityId: 'ac_01KC2A3B4C5D6E7F8G9H0J1K2M',
  memberId: 'm-demo-2',
  memberName: '李芳',
  teamId: ENTRY.place.teamId,
  communityId: ENTRY.place.communityId,
  streetId: ENTRY.place.streetId,
  closedAt: '2026-12-05T09:00:00.000Z',
  year: '2026',
  status: 'counted',
};
const CONTESTED = {
  ...NO_SHOW,
  status: 'contested',
  contestReason: '当天临时住院，已提前电话请假',
  contestedAt: '2026-12-06T01:00:00.000Z',
};

export const myNoShows = {
  method: 'GET',
  path: '/members/me/no-shows',
  query: z.strictObject({ year: z.optional(Year) }),
  response: named(
    'MyNoShows',
    z.object({
      year: z.string(),
      count: describe(z.number(), 'unexcused no-shows this year (resets on 1 January)'),
      reviewThreshold: describe(z.number(), "this many in a year opens a review for the member's community"),
      items: z.array(NoShowView),
    }),
  ),
  tag: 'evaluation',
  errors: [],
  examples: { query: { year: '2026' }, response: { year: '2026', count: 1, reviewThreshold: 5, items: [NO_SHOW] } },
} as const satisfies Contract;

export const contestNoShow = {
  method: 'POST',
  path: '/members/me/no-shows/{activityId}/correction',
  params: z.strictObject({ activityId: Id }),
  body: z.strictObject({ reason: Text(500) }),
  response: NoShowView,
  tag: 'evaluation',
  errors: ['CONCURRENT_UPDATE', 'NOT_FOUND', 'NO_SHOW_NOT_CONTESTABLE'],
  examples: {
    params: { activityId: NO_SHOW.activityId },
    body: { reason: CONTESTED.contestReason },
    response: CONTESTED,
  },
} as const satisfies Contract;

export const decideNoShow = {
  method: 'POST',
  path: '/no-shows/{activityId}/members/{memberId}/decision',
  params: z.strictObject({ activityId: Id, memberId: Id }),
  body: z.strictObject({ excuse: z.boolean(), reason: Text(500) }),
  response: NoShowView,
  tag: 'evaluation',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND', 'NO_SHOW_NOT_CONTESTED'],
  examples: {
    params: { activityId: NO_SHOW.activityId, memberId: NO_SHOW.memberId },
    body: { excuse: true, reason: '有住院证明' },
    response: {
      ...CONTESTED,
      status: 'excused',
      decidedAt: '2026-12-07T02:00:00.000Z',
      decidedBy: 'leader-sub-1',
      decisionReason: '有住院证明',
    },
  },
} as const satisfies Contract;

export const listNoShowReviews = {
  method: 'GET',
  path: '/communities/{communityId}/no-show-reviews',
  params: z.strictObject({ communityId: Id }),
  query: z.strictObject({ ...PageQuery, year: z.optional(Year) }),
  response: pageOf(
    named(
      'NoShowReview',
      z.object({
        communityId: Id,
        memberId: Id,
        memberName: z.string(),
        year: z.string(),
        count: describe(z.number(), 'the count that opened it'),
        openedAt: IsoTime,
      }),
    ),
  ),
  tag: 'evaluation',
  errors: ['FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { communityId: NO_SHOW.communityId },
    query: { year: '2026', limit: 20 },
    response: {
      items: [
        {
          communityId: NO_SHOW.communityId,
          memberId: 'm-demo-2',
          memberName: '李芳',
          year: '2026',
          count: 5,
          openedAt: '2026-12-05T09:00:00.000Z',
        },
      ],
    },
  },
} as const satisfies Contract;

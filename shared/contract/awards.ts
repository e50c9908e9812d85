import * as z from 'zod/mini';
import type { Contract } from '../http/api.ts';
import { CALL_STATUSES } from '../domain/featured.ts';
import { Category, Day, describe, Id, IsoTime, named, pageOf, PageQuery, QueryInt } from './common.ts';
import { AwardView, FeaturedAwardFields, RecordAwardView } from './record-parts.ts';

/**
 * Schemas of the awards routes (the `awards` function): a featured-project call's awards within
 * its tiers and budget, the award entries of a member's record and a team's history; and the reads
 * across calls (the district's calls, a reviewer's assignments, a call's award report), kept here
 * so that the `featured` bundle stays small.
 */

const CALL_ID = 'fc_01KD2A3B4C5D6E7F8G9H0J1K2M';
const SUB_ID = 'fs_01KD3A3B4C5D6E7F8G9H0J1K2M';
const TEAM_ID = 'team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N';
const CallParams = z.strictObject({ callId: Id });

const TrackedAwardView = named(
  'TrackedAward',
  z.object({
    ...FeaturedAwardFields,
    status: describe(
      z.object({ keepRunning: z.enum(['running', 'met', 'broken']), report: z.enum(['due', 'overdue']) }),
      "today's state of the conditions: the team still active until keepRunningUntil; the report against its due date",
    ),
  }),
);

const AWARD = {
  awardId: 'aw_01KD9A3B4C5D6E7F8G9H0J1K2M',
  kind: 'featured-project',
  title: '2026年度特色项目 · 一等奖',
  year: 2026,
  callId: CALL_ID,
  submissionId: SUB_ID,
  teamId: TEAM_ID,
  teamName: '红星义诊队',
  projectTitle: '小牛哥·先锋骑手',
  category: 'health',
  tierId: 'first',
  tierName: '一等奖',
  tierRank: 1,
  amount: 50000,
  rank: 1,
  total: '86.40',
  awardedOn: '2026-05-20',
  awardedBy: 'admin-sub-1',
  conditions: { keepRunningUntil: '2027-05-20', reportDueOn: '2026-11-20' },
};

export const awardFeaturedProjects = {
  method: 'POST',
  path: '/featured-calls/{callId}/awards',
  params: CallParams,
  body: z.strictObject({
    awards: z.array(z.strictObject({ submissionId: Id, tierId: Id })).check(z.minLength(1), z.maxLength(30)),
  }),
  response: named(
    'FeaturedAwards',
    z.object({
      awards: z.array(AwardView),
      awardedAmount: z.number(),
      budget: z.number(),
      city: describe(
        z.literal('queued'),
        "the awards wait in the call's outbox, written with them; the table's stream puts them on the city bus (retried; the award report says when they reached it)",
      ),
      cityDeliveryId: describe(Id, 'the outbox item of this batch'),
    }),
  ),
  status: 201,
  idempotent: true,
  description:
    "After the notice: every award of the batch or none. Over a tier's count (AWARD_OVER_TIER) or the budget (AWARD_OVER_BUDGET), counting earlier batches, nothing changes. Each award becomes an entry in each core member's record and in the team's history; the batch goes to the city through the call's outbox (written in the same transaction, delivered from the table's stream).",
  rules: {
    'body.awards': 'each submission once, ranked in this call; each tier one of the call; at most 99 items in all',
  },
  tag: 'featured',
  errors: [
    'ALREADY_AWARDED',
    'AWARD_OVER_BUDGET',
    'AWARD_OVER_TIER',
    'CONCURRENT_UPDATE',
    'NOT_FOUND',
    'NOTICE_NOT_ENDED',
  ],
  examples: {
    params: { callId: CALL_ID },
    body: { awards: [{ submissionId: SUB_ID, tierId: 'first' }] },
    response: {
      awards: [AWARD],
      awardedAmount: 50000,
      budget: 100000,
      city: 'queued',
      cityDeliveryId: 'cd_01KD9A3B4C5D6E7F8G9H0J1K2M',
    },
  },
} as const satisfies Contract;

export const myAwards = {
  method: 'GET',
  path: '/members/me/awards',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(RecordAwardView),
  description: 'The awards part of my record, newest first: featured projects and exemplary titles.',
  tag: 'featured',
  errors: [],
  examples: { query: { limit: 20 }, response: { items: [AWARD] } },
} as const satisfies Contract;

export const teamAwards = {
  method: 'GET',
  path: '/teams/{teamId}/awards',
  params: z.strictObject({ teamId: Id }),
  response: z.object({ items: z.array(TrackedAwardView) }),
  description: "The team's award history, newest first, each award with how its conditions stand today.",
  tag: 'featured',
  errors: ['NOT_FOUND'],
  examples: {
    params: { teamId: TEAM_ID },
    response: { items: [{ ...AWARD, status: { keepRunning: 'running', report: 'due' } }] },
  },
} as const satisfies Contract;

// ---------- the reads across calls ----------

const CallStatus = describe(
  z.enum(CALL_STATUSES),
  'upcoming (before opensOn), open (taking submissions), review (closed, results not published), notice (on public notice), awarding (after the notice)',
);
const CallSummaryView = named(
  'FeaturedCallSummary',
  z.object({
    callId: Id,
    year: z.number(),
    title: z.string(),
    categories: z.array(Category),
    opensOn: Day,
    closesOn: Day,
    budget: z.number(),
    awardedAmount: z.number(),
    status: CallStatus,
    resultsPublishedAt: z.optional(IsoTime),
    noticeFrom: z.optional(Day),
    noticeUntil: z.optional(Day),
  }),
);
const CALL_SUMMARY = {
  callId: CALL_ID,
  year: 2026,
  title: '2026年度特色项目',
  categories: ['health', 'elderly-care'],
  opensOn: '2026-03-01',
  closesOn: '2026-04-30',
  budget: 100000,
  awardedAmount: 0,
  status: 'open',
};

export const listFeaturedCalls = {
  method: 'GET',
  path: '/featured-calls',
  query: z.strictObject({
    year: z.optional(QueryInt(2000, 2100)),
    status: z.optional(CallStatus),
    ...PageQuery,
  }),
  response: pageOf(CallSummaryView),
  description:
    "The district's featured-project calls, newest year first, or one year's; `status` keeps those in that state today (a page may then hold fewer than `limit`: follow nextCursor).",
  tag: 'featured',
  errors: [],
  examples: { query: { year: 2026, status: 'open' }, response: { items: [CALL_SUMMARY] } },
} as const satisfies Contract;

const AssignmentView = named(
  'FeaturedReviewAssignment',
  z.object({
    callId: Id,
    submissionId: Id,
    status: describe(z.enum(['assigned', 'submitted']), 'submitted: my scores are in and locked'),
    assignedAt: IsoTime,
    submittedAt: z.optional(IsoTime),
    callTitle: z.optional(z.string()),
    year: z.optional(z.number()),
    projectTitle: z.optional(z.string()),
    teamName: z.optional(z.string()),
  }),
);

export const myReviewAssignments = {
  method: 'GET',
  path: '/members/me/review-assignments',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(AssignmentView),
  description:
    "The submissions I am assigned to review, every call's, newest assignment first, each with whether my scores are submitted.",
  tag: 'featured',
  errors: [],
  examples: {
    query: { limit: 20 },
    response: {
      items: [
        {
          callId: CALL_ID,
          submissionId: SUB_ID,
          status: 'assigned',
          assignedAt: '2026-05-06T02:00:00.000Z',
          callTitle: '2026年度特色项目',
          year: 2026,
          projectTitle: '小牛哥·先锋骑手',
          teamName: '红星义诊队',
        },
      ],
    },
  },
} as const satisfies Contract;

const ReportAwardView = named(
  'FeaturedReportAward',
  z.object({
    ...FeaturedAwardFields,
    teamActive: describe(z.boolean(), 'whether the team is still active (keep running)'),
    status: z.object({ keepRunning: z.enum(['running', 'met', 'broken']), report: z.enum(['due', 'overdue']) }),
  }),
);

export const featuredAwardReport = {
  method: 'GET',
  path: '/featured-calls/{callId}/award-report',
  params: CallParams,
  response: named(
    'FeaturedAwardReport',
    z.object({
      callId: Id,
      year: z.number(),
      title: z.string(),
      asOf: describe(Day, "today (Asia/Shanghai): the day the conditions' status is computed for"),
      budget: z.number(),
      budgetUsed: z.number(),
      budgetLeft: z.number(),
      tiers: z.array(
        z.object({
          tierId: Id,
          name: z.string(),
          count: z.number(),
          amount: z.number(),
          awarded: z.number(),
          left: z.number(),
        }),
      ),
      awards: z.array(ReportAwardView),
      cityDeliveries: describe(
        z.array(
          z.object({
            cityDeliveryId: Id,
            awards: z.number(),
            status: z.enum(['pending', 'sent']),
            createdAt: IsoTime,
            sentAt: z.optional(IsoTime),
            failedAttempts: z.number(),
          }),
        ),
        'each batch on its way to the city bus (the outbox): pending until the bus took it',
      ),
    }),
  ),
  description:
    "For admins: the call's awards by tier then rank, each with its tier, amount, team, conditions (keep running, report due) and how they stand today; the budget used and left, each tier's count used and left; and the batches' delivery to the city.",
  tag: 'featured',
  errors: ['NOT_FOUND'],
  examples: {
    params: { callId: CALL_ID },
    response: {
      callId: CALL_ID,
      year: 2026,
      title: '2026年度特色项目',
      asOf: '2026-06-01',
      budget: 100000,
      budgetUsed: 50000,
      budgetLeft: 50000,
      tiers: [{ tierId: 'first', name: '一等奖', count: 1, amount: 50000, awarded: 1, left: 0 }],
      awards: [{ ...AWARD, teamActive: true, status: { keepRunning: 'running', report: 'due' } }],
      cityDeliveries: [
        {
          cityDeliveryId: 'cd_01KD9A3B4C5D6E7F8G9H0J1K2M',
          awards: 1,
          status: 'sent',
          createdAt: '2026-05-20T02:00:00.000Z',
          sentAt: '2026-05-20T02:00:01.000Z',
          failedAttempts: 0,
        },
      ],
    },
  },
} as const satisfies Contract;

import * as z from 'zod/mini';
import type { Contract } from '../http/api.ts';
import { describe, Id, named, pageOf, PageQuery } from './common.ts';
import { AwardView, FeaturedAwardFields, RecordAwardView } from './record-parts.ts';

/**
 * Schemas of the awards routes (the `awards` function): a featured-project call's awards within
 * its tiers and budget, the award entries of a member's record and a team's history.
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
      city: describe(z.enum(['sent', 'failed']), 'whether the awards were handed to the city bus'),
    }),
  ),
  status: 201,
  description:
    "After the notice: every award of the batch or none. Over a tier's count (AWARD_OVER_TIER) or the budget (AWARD_OVER_BUDGET), counting earlier batches, nothing changes. Each award becomes an entry in each core member's record and in the team's history, and goes to the city.",
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
    response: { awards: [AWARD], awardedAmount: 50000, budget: 100000, city: 'sent' },
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

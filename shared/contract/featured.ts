import * as z from 'zod/mini';
import { CATEGORIES } from '../domain/categories.ts';
import { TIE_RULE } from '../domain/featured.ts';
import type { Contract } from '../http/api.ts';
import { Category, Day, describe, Id, IsoTime, Line, Month, named, pageOf, PageQuery, Text } from './common.ts';

/** Schemas of the featured-projects routes (特色项目): calls, submissions, review, notice, awards. */

const int = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));

const Criterion = named(
  'FeaturedCriterion',
  z.strictObject({
    criterionId: Id,
    name: Line(40),
    weight: describe(int(1, 100), "percent of a reviewer's stage score; the criteria's weights add up to 100"),
    max: describe(int(1, 100), 'the highest score a reviewer may give (whole numbers from 0)'),
  }),
);
const Stage = named(
  'FeaturedStage',
  z.strictObject({
    stageId: Id,
    name: Line(40),
    weight: describe(int(1, 100), "percent of the total; the stages' weights add up to 100"),
  }),
);
const Tier = named(
  'FeaturedTier',
  z.strictObject({
    tierId: Id,
    name: Line(40),
    count: describe(int(1, 100), 'projects this tier may award'),
    amount: describe(int(0, 10_000_000), 'yuan per awarded project'),
  }),
);
const EligibilityRules = named(
  'FeaturedEligibilityRules',
  z.strictObject({
    minTeamHours: describe(int(0, 1_000_000), "service hours of the team's members in the evidence window"),
    minYearsRunning: describe(int(0, 50), "whole years from the project's start to the close"),
    oneEntryPerTeam: z.boolean(),
    barredYearsAfterTopAward: describe(
      int(0, 10),
      'a top-tier winner is barred from the calls of this many years after',
    ),
  }),
);
const AwardConditions = named(
  'FeaturedAwardConditions',
  z.strictObject({
    keepRunningMonths: describe(int(1, 60), 'the project keeps running this many months after the award'),
    reportWithinMonths: describe(int(1, 24), 'a report is due this many months after the award'),
  }),
);

const RankedEntry = named(
  'FeaturedRankedEntry',
  z.object({
    rank: z.number(),
    submissionId: Id,
    teamId: Id,
    teamName: z.string(),
    title: z.string(),
    category: Category,
    total: describe(z.string(), 'the total, rounded half up to 2 decimals (the order uses the exact value)'),
    stages: z.array(z.object({ stageId: Id, mean: z.string() })),
    reviewers: z.number(),
    tieBrokenBy: describe(
      z.optional(z.enum(['stage', 'submittedAt', 'submissionId'])),
      "present when the total equals the entry above's: the rule that put this one below it",
    ),
  }),
);

export const CallView = named(
  'FeaturedCall',
  z.object({
    callId: Id,
    year: z.number(),
    title: z.string(),
    categories: z.array(Category),
    opensOn: Day,
    closesOn: Day,
    evidenceFrom: Month,
    evidenceTo: Month,
    criteria: z.array(Criterion),
    stages: z.array(Stage),
    tiers: z.array(Tier),
    budget: z.number(),
    eligibility: EligibilityRules,
    awardConditions: AwardConditions,
    noticeWorkingDays: z.number(),
    minReviewers: z.number(),
    awardedAmount: z.number(),
    awardedByTier: describe(z.record(z.string(), z.number()), 'tier id -> projects awarded so far'),
    createdAt: IsoTime,
    createdBy: z.string(),
    resultsPublishedAt: z.optional(IsoTime),
    noticeFrom: z.optional(Day),
    noticeUntil: z.optional(Day),
    ranking: z.optional(z.array(RankedEntry)),
  }),
);

const BudgetLine = z.strictObject({ item: Line(60), amount: int(0, 10_000_000) });

export const SubmissionView = named(
  'FeaturedSubmission',
  z.object({
    callId: Id,
    submissionId: Id,
    teamId: Id,
    teamName: z.string(),
    communityId: z.optional(Id),
    leaderMemberId: Id,
    category: Category,
    title: z.string(),
    plan: z.string(),
    budget: z.array(z.object({ item: z.string(), amount: z.number() })),
    budgetTotal: z.number(),
    startedOn: Day,
    coreMembers: z.array(z.object({ memberId: Id, name: z.string() })),
    evidence: describe(
      z.object({
        from: Month,
        to: Month,
        activities: z.number(),
        volunteerHours: z.number(),
        peopleServed: z.number(),
        wishesCompleted: z.number(),
      }),
      "the team's counted facts of the call's evidence window, attached by the platform",
    ),
    eligibility: z.object({
      eligible: z.boolean(),
      checks: z.array(
        z.object({
          rule: z.enum(['minTeamHours', 'minYearsRunning', 'oneEntryPerTeam', 'barredAfterTopAward', 'category']),
          passed: z.boolean(),
          detail: z.string(),
        }),
      ),
    }),
    contentHash: describe(z.string(), 'SHA-256 (hex) of what was submitted and the evidence; frozen from the close'),
    version: z.number(),
    submittedAt: IsoTime,
    updatedAt: IsoTime,
  }),
);

const ScoreLine = z.strictObject({ stageId: Id, criterionId: Id, score: int(0, 100) });

export const ReviewView = named(
  'FeaturedReview',
  z.object({
    callId: Id,
    submissionId: Id,
    reviewerId: Id,
    reviewerName: z.string(),
    status: z.enum(['assigned', 'submitted']),
    assignedAt: IsoTime,
    assignedBy: z.string(),
    scores: z.optional(z.array(z.object({ stageId: Id, criterionId: Id, score: z.number() }))),
    submittedAt: z.optional(IsoTime),
  }),
);

// ---------- examples ----------

const CALL_ID = 'fc_01KD2A3B4C5D6E7F8G9H0J1K2M';
const SUB_ID = 'fs_01KD3A3B4C5D6E7F8G9H0J1K2M';
const TEAM_ID = 'team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N';
const CALL_BODY = {
  year: 2026,
  title: '2026年度党员志愿服务特色项目',
  categories: ['health', 'elderly-care'],
  opensOn: '2026-03-01',
  closesOn: '2026-04-30',
  evidenceFrom: '2025-05',
  evidenceTo: '2026-04',
  criteria: [
    { criterionId: 'creativity', name: '创新性', weight: 30, max: 10 },
    { criterionId: 'reach', name: '覆盖面', weight: 30, max: 10 },
    { criterionId: 'brand', name: '品牌影响', weight: 20, max: 5 },
    { criterionId: 'effect', name: '社会效果', weight: 20, max: 5 },
  ],
  stages: [
    { stageId: 'materials', name: '书面材料', weight: 40 },
    { stageId: 'roadshow', name: '路演', weight: 60 },
  ],
  tiers: [
    { tierId: 'first', name: '一等奖', count: 1, amount: 50000 },
    { tierId: 'second', name: '二等奖', count: 3, amount: 20000 },
  ],
  budget: 100000,
  eligibility: { minTeamHours: 200, minYearsRunning: 2, oneEntryPerTeam: true, barredYearsAfterTopAward: 2 },
  awardConditions: { keepRunningMonths: 12, reportWithinMonths: 6 },
  noticeWorkingDays: 5,
  minReviewers: 3,
};
const RANKED = {
  rank: 1,
  submissionId: SUB_ID,
  teamId: TEAM_ID,
  teamName: '红星义诊队',
  title: '小牛哥·先锋骑手',
  category: 'health',
  total: '86.40',
  stages: [
    { stageId: 'materials', mean: '84.00' },
    { stageId: 'roadshow', mean: '88.00' },
  ],
  reviewers: 5,
};
const CALL = {
  callId: CALL_ID,
  ...CALL_BODY,
  awardedAmount: 0,
  awardedByTier: { first: 0, second: 0 },
  createdAt: '2026-02-20T02:00:00.000Z',
  createdBy: 'admin-sub-1',
};
const SUBMISSION_BODY = {
  category: 'health',
  title: '小牛哥·先锋骑手',
  plan: '外卖骑手党员在送餐途中探访独居老人，每周一次。',
  budget: [
    { item: '物资', amount: 8000 },
    { item: '培训', amount: 2000 },
  ],
  startedOn: '2023-05-01',
  coreMemberIds: ['m-demo-1', 'm-demo-2', 'm-demo-3'],
};
const SUBMISSION = {
  callId: CALL_ID,
  submissionId: SUB_ID,
  teamId: TEAM_ID,
  teamName: '红星义诊队',
  communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  leaderMemberId: 'm-demo-1',
  category: 'health',
  title: SUBMISSION_BODY.title,
  plan: SUBMISSION_BODY.plan,
  budget: SUBMISSION_BODY.budget,
  budgetTotal: 10000,
  startedOn: '2023-05-01',
  coreMembers: [
    { memberId: 'm-demo-1', name: '王小明' },
    { memberId: 'm-demo-2', name: '李芳' },
    { memberId: 'm-demo-3', name: '张伟' },
  ],
  evidence: {
    from: '2025-05',
    to: '2026-04',
    activities: 48,
    volunteerHours: 612.5,
    peopleServed: 1320,
    wishesCompleted: 17,
  },
  eligibility: {
    eligible: true,
    checks: [
      {
        rule: 'minTeamHours',
        passed: true,
        detail: '612.5 service hours from 2025-05 to 2026-04; at least 200 needed',
      },
    ],
  },
  contentHash: '9f2c4e1d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e',
  version: 1,
  submittedAt: '2026-03-10T02:00:00.000Z',
  updatedAt: '2026-03-10T02:00:00.000Z',
};
const SCORES = [
  { stageId: 'materials', criterionId: 'creativity', score: 8 },
  { stageId: 'materials', criterionId: 'reach', score: 9 },
  { stageId: 'materials', criterionId: 'brand', score: 4 },
  { stageId: 'materials', criterionId: 'effect', score: 4 },
  { stageId: 'roadshow', criterionId: 'creativity', score: 9 },
  { stageId: 'roadshow', criterionId: 'reach', score: 9 },
  { stageId: 'roadshow', criterionId: 'brand', score: 4 },
  { stageId: 'roadshow', criterionId: 'effect', score: 5 },
];
const REVIEW = {
  callId: CALL_ID,
  submissionId: SUB_ID,
  reviewerId: 'm-expert-1',
  reviewerName: '赵教授',
  status: 'assigned',
  assignedAt: '2026-05-06T02:00:00.000Z',
  assignedBy: 'admin-sub-1',
};
const CallParams = z.strictObject({ callId: Id });
const SubmissionParams = z.strictObject({ callId: Id, submissionId: Id });

export const openFeaturedCall = {
  method: 'POST',
  path: '/featured-calls',
  body: z.strictObject({
    year: int(2000, 2100),
    title: Line(100),
    categories: z.array(Category).check(z.minLength(1), z.maxLength(CATEGORIES.length)),
    opensOn: Day,
    closesOn: Day,
    evidenceFrom: describe(Month, 'first month of the evidence window'),
    evidenceTo: describe(Month, 'last month of the evidence window (at most 12 months, not after the close)'),
    criteria: z.array(Criterion).check(z.minLength(1), z.maxLength(12)),
    stages: z.array(Stage).check(z.minLength(1), z.maxLength(5)),
    tiers: describe(z.array(Tier).check(z.minLength(1), z.maxLength(10)), 'the top tier first'),
    budget: describe(int(0, 1_000_000_000), 'yuan, for every award of the call together'),
    eligibility: EligibilityRules,
    awardConditions: AwardConditions,
    noticeWorkingDays: z._default(int(5, 30), 5),
    minReviewers: z._default(int(1, 15), 3),
  }),
  response: CallView,
  status: 201,
  idempotent: true,
  description:
    "A district admin opens the year's call: categories, dates, rubric, stage weights, tiers, budget, eligibility rules.",
  rules: {
    'body.criteria': "the criteria's weights add up to 100, each criterionId once",
    'body.stages': "the stages' weights add up to 100, each stageId once",
    'body.tiers': 'each tierId once',
    'body.closesOn': 'on or after opensOn',
    'body.opensOn': "in the call's year",
    'body.evidenceTo': 'on or after evidenceFrom, at most 12 months, not after the month of closesOn',
  },
  tag: 'featured',
  errors: ['CONCURRENT_UPDATE'],
  examples: { body: CALL_BODY, response: CALL },
} as const satisfies Contract;

export const getFeaturedCall = {
  method: 'GET',
  path: '/featured-calls/{callId}',
  params: CallParams,
  response: CallView,
  tag: 'featured',
  errors: ['NOT_FOUND'],
  examples: { params: { callId: CALL_ID }, response: CALL },
} as const satisfies Contract;

const SubmissionBody = z.strictObject({
  category: Category,
  title: Line(100),
  plan: Text(5000),
  budget: z.array(BudgetLine).check(z.minLength(1), z.maxLength(30)),
  startedOn: describe(Day, 'when the project started (years running are counted to the close)'),
  coreMemberIds: describe(
    z.array(Id).check(z.minLength(3), z.maxLength(7)),
    "3 to 7 active members of the team; an award becomes an entry in each one's record",
  ),
});

const SUBMISSION_ERRORS = [
  'CALL_CLOSED',
  'CALL_NOT_OPEN',
  'CONCURRENT_UPDATE',
  'CORE_MEMBER_NOT_ON_TEAM',
  'FORBIDDEN',
  'NOT_FOUND',
  'UNKNOWN_TEAM',
] as const;

export const submitFeaturedProject = {
  method: 'POST',
  path: '/featured-calls/{callId}/submissions',
  params: CallParams,
  body: SubmissionBody,
  response: SubmissionView,
  status: 201,
  idempotent: true,
  description:
    "The leader of the team their token names submits its project. The platform attaches the team's evidence of the window and computes eligibility, each rule explained; the content hash covers what was submitted.",
  rules: { 'body.coreMemberIds': 'each member once' },
  tag: 'featured',
  errors: [...SUBMISSION_ERRORS, 'TEAM_ALREADY_ENTERED'],
  examples: { params: { callId: CALL_ID }, body: SUBMISSION_BODY, response: SUBMISSION },
} as const satisfies Contract;

export const editFeaturedSubmission = {
  method: 'PUT',
  path: '/featured-calls/{callId}/submissions/{submissionId}',
  params: SubmissionParams,
  body: SubmissionBody,
  response: SubmissionView,
  description:
    'The team leader replaces the submission until the end of the close date (Asia/Shanghai); from then on it is frozen (409 CALL_CLOSED) and its hash stays.',
  rules: { 'body.coreMemberIds': 'each member once' },
  tag: 'featured',
  errors: [...SUBMISSION_ERRORS],
  examples: {
    params: { callId: CALL_ID, submissionId: SUB_ID },
    body: SUBMISSION_BODY,
    response: { ...SUBMISSION, version: 2 },
  },
} as const satisfies Contract;

export const getFeaturedSubmission = {
  method: 'GET',
  path: '/featured-calls/{callId}/submissions/{submissionId}',
  params: SubmissionParams,
  response: SubmissionView,
  description:
    "For the team's leader, district and city admins, and the submission's assigned reviewers (404 to others).",
  tag: 'featured',
  errors: ['NOT_FOUND'],
  examples: { params: { callId: CALL_ID, submissionId: SUB_ID }, response: SUBMISSION },
} as const satisfies Contract;

export const listFeaturedSubmissions = {
  method: 'GET',
  path: '/featured-calls/{callId}/submissions',
  params: CallParams,
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(SubmissionView),
  description: "The call's submissions, for admins assigning reviewers.",
  tag: 'featured',
  errors: ['NOT_FOUND'],
  examples: { params: { callId: CALL_ID }, query: { limit: 20 }, response: { items: [SUBMISSION] } },
} as const satisfies Contract;

export const assignFeaturedReviewer = {
  method: 'POST',
  path: '/featured-calls/{callId}/submissions/{submissionId}/reviewers',
  params: SubmissionParams,
  body: z.strictObject({ reviewerId: describe(Id, "the reviewer's member id") }),
  response: ReviewView,
  status: 201,
  description:
    "Refused (409 REVIEWER_CONFLICT) when the reviewer is a member (or pending member) of the submitting team, one of its core members, or checked in to the team's community.",
  tag: 'featured',
  errors: [
    'CONCURRENT_UPDATE',
    'NOT_FOUND',
    'RESULTS_PUBLISHED',
    'REVIEWER_ALREADY_ASSIGNED',
    'REVIEWER_CONFLICT',
    'UNKNOWN_MEMBER',
  ],
  examples: {
    params: { callId: CALL_ID, submissionId: SUB_ID },
    body: { reviewerId: 'm-expert-1' },
    response: REVIEW,
  },
} as const satisfies Contract;

export const scoreFeaturedSubmission = {
  method: 'POST',
  path: '/featured-calls/{callId}/submissions/{submissionId}/scores',
  params: SubmissionParams,
  body: z.strictObject({ scores: z.array(ScoreLine).check(z.minLength(1), z.maxLength(60)) }),
  response: ReviewView,
  description:
    'An assigned reviewer scores every criterion of every stage once, after the close; the scores are then locked (409 SCORES_LOCKED).',
  rules: { 'body.scores': "one whole score from 0 to the criterion's max for each stage and criterion of the call" },
  tag: 'featured',
  errors: ['CALL_NOT_CLOSED', 'CONCURRENT_UPDATE', 'NOT_FOUND', 'RESULTS_PUBLISHED', 'SCORES_LOCKED'],
  examples: {
    params: { callId: CALL_ID, submissionId: SUB_ID },
    body: { scores: SCORES },
    response: { ...REVIEW, status: 'submitted', scores: SCORES, submittedAt: '2026-05-08T02:00:00.000Z' },
  },
} as const satisfies Contract;

export const publishFeaturedResults = {
  method: 'POST',
  path: '/featured-calls/{callId}/results',
  params: CallParams,
  response: CallView,
  description: `Ranks the eligible submissions and puts the ranking on public notice for the call's working days. Total = Σ stages (weight/100 × mean of the reviewers' stage scores, the highest and lowest dropped from 5 reviewers on); a reviewer's stage score = Σ criteria weight × score / max. ${TIE_RULE}`,
  tag: 'featured',
  errors: ['CALL_NOT_CLOSED', 'CONCURRENT_UPDATE', 'NOT_FOUND', 'RESULTS_PUBLISHED', 'REVIEWS_INCOMPLETE'],
  examples: {
    params: { callId: CALL_ID },
    response: {
      ...CALL,
      resultsPublishedAt: '2026-05-12T02:00:00.000Z',
      noticeFrom: '2026-05-12',
      noticeUntil: '2026-05-19',
      ranking: [RANKED],
    },
  },
} as const satisfies Contract;

export const featuredNotice = {
  method: 'GET',
  path: '/featured-calls/{callId}/notice',
  params: CallParams,
  response: named(
    'FeaturedNotice',
    z.object({
      callId: Id,
      year: z.number(),
      title: z.string(),
      noticeFrom: Day,
      noticeUntil: Day,
      tieRule: z.string(),
      ranking: z.array(RankedEntry),
    }),
  ),
  description: 'No token. The ranked results on public notice (公示): teams and projects, no personal data.',
  tag: 'featured',
  errors: ['NOT_FOUND'],
  examples: {
    params: { callId: CALL_ID },
    response: {
      callId: CALL_ID,
      year: 2026,
      title: CALL.title,
      noticeFrom: '2026-05-12',
      noticeUntil: '2026-05-19',
      tieRule: TIE_RULE,
      ranking: [RANKED],
    },
  },
} as const satisfies Contract;

import { createHash } from 'node:crypto';
import { workingDaysAfterDay } from './calendar.ts';
import type { Category } from './categories.ts';
import { DomainError, type FieldError } from './errors.ts';
import { dayOf } from './time.ts';

/**
 * Featured projects (特色项目): a district's yearly call, its teams' submissions with evidence from
 * the platform's own facts, conflict-free review, the ranked public notice, and awards within the
 * tiers and the budget (以奖代补). Pure rules only: the call's shape, the submission window,
 * eligibility, the content hash, the scoring formula and its tie rule, the notice's working days,
 * the award checks, the conditions attached to an award.
 */

export interface Criterion {
  readonly criterionId: string;
  readonly name: string;
  /** Percent of a reviewer's stage score; the criteria's weights add up to 100. */
  readonly weight: number;
  /** The highest score a reviewer may give (integers 0..max). */
  readonly max: number;
}

export interface Stage {
  readonly stageId: string;
  readonly name: string;
  /** Percent of the total; the stages' weights add up to 100. */
  readonly weight: number;
}

export interface Tier {
  readonly tierId: string;
  readonly name: string;
  /** How many projects this tier may award. */
  readonly count: number;
  /** Yuan per awarded project. */
  readonly amount: number;
}

export interface EligibilityRules {
  /** Service hours the team's members served in the evidence window. */
  readonly minTeamHours: number;
  /** Whole years from the project's start to the close date. */
  readonly minYearsRunning: number;
  readonly oneEntryPerTeam: boolean;
  /** A team whose project won the top tier is barred from calls up to this many years later. */
  readonly barredYearsAfterTopAward: number;
}

export interface AwardConditions {
  /** The project must keep running this many months after the award. */
  readonly keepRunningMonths: number;
  /** A report on the project is due this many months after the award. */
  readonly reportWithinMonths: number;
}

export interface RankedEntry {
  readonly rank: number;
  readonly submissionId: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly title: string;
  readonly category: Category;
  /** The total, rounded half up to 2 decimals (the order uses the exact value). */
  readonly total: string;
  /** Each stage's trimmed mean of the reviewers' stage scores (0-100), 2 decimals. */
  readonly stages: readonly { readonly stageId: string; readonly mean: string }[];
  readonly reviewers: number;
  /** When the total equals the entry above's: the rule that put this one below it. */
  readonly tieBrokenBy?: TieRule;
}

export interface FeaturedCall {
  readonly callId: string;
  readonly year: number;
  readonly title: string;
  readonly categories: readonly Category[];
  readonly opensOn: string;
  readonly closesOn: string;
  /** The evidence window: months YYYY-MM, at most 12. */
  readonly evidenceFrom: string;
  readonly evidenceTo: string;
  readonly criteria: readonly Criterion[];
  readonly stages: readonly Stage[];
  readonly tiers: readonly Tier[];
  readonly budget: number;
  readonly eligibility: EligibilityRules;
  readonly awardConditions: AwardConditions;
  /** Working days the ranked results stay on public notice before awards (at least 5). */
  readonly noticeWorkingDays: number;
  /** Reviewers every eligible submission needs before the results can be published. */
  readonly minReviewers: number;
  /** Awarded so far: the total amount, and the projects per tier. */
  readonly awardedAmount: number;
  readonly awardedByTier: Readonly<Record<string, number>>;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly resultsPublishedAt?: string;
  /** First and last day (Asia/Shanghai) of the notice; awards from the next day on. */
  readonly noticeFrom?: string;
  readonly noticeUntil?: string;
  readonly ranking?: readonly RankedEntry[];
}

export interface Evidence {
  readonly from: string;
  readonly to: string;
  readonly activities: number;
  readonly volunteerHours: number;
  readonly peopleServed: number;
  readonly wishesCompleted: number;
}

export interface EligibilityCheck {
  readonly rule: 'minTeamHours' | 'minYearsRunning' | 'oneEntryPerTeam' | 'barredAfterTopAward' | 'category';
  readonly passed: boolean;
  readonly detail: string;
}

export interface Eligibility {
  readonly eligible: boolean;
  readonly checks: readonly EligibilityCheck[];
}

export interface BudgetLine {
  readonly item: string;
  readonly amount: number;
}

export interface CoreMember {
  readonly memberId: string;
  readonly name: string;
}

export interface Submission {
  readonly callId: string;
  readonly submissionId: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly communityId?: string;
  readonly leaderMemberId: string;
  readonly category: Category;
  readonly title: string;
  readonly plan: string;
  readonly budget: readonly BudgetLine[];
  readonly budgetTotal: number;
  readonly startedOn: string;
  readonly coreMembers: readonly CoreMember[];
  readonly evidence: Evidence;
  readonly eligibility: Eligibility;
  /** SHA-256 (hex) of what was submitted (contentOf): unchanged from the close on. */
  readonly contentHash: string;
  readonly version: number;
  readonly submittedAt: string;
  readonly updatedAt: string;
}

export type ReviewStatus = 'assigned' | 'submitted';

/** Scores of one reviewer: one integer 0..max per stage and criterion. */
export type Scores = readonly { readonly stageId: string; readonly criterionId: string; readonly score: number }[];

export interface Review {
  readonly callId: string;
  readonly submissionId: string;
  readonly reviewerId: string;
  readonly reviewerName: string;
  readonly status: ReviewStatus;
  readonly assignedAt: string;
  readonly assignedBy: string;
  readonly scores?: Scores;
  readonly submittedAt?: string;
  /** What the reviewer's list of assignments shows, copied at the assignment. */
  readonly callTitle?: string;
  readonly year?: number;
  readonly projectTitle?: string;
  readonly teamName?: string;
}

/** An award, as kept with the call, in the team's history and (one entry each) in each core member's record. */
export interface AwardEntry {
  readonly awardId: string;
  readonly kind: 'featured-project';
  /** What the record shows: `<year>年度特色项目 · <tier name>`. */
  readonly title: string;
  readonly year: number;
  readonly callId: string;
  readonly submissionId: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly projectTitle: string;
  readonly category: Category;
  readonly tierId: string;
  readonly tierName: string;
  /** 1 for the top tier. */
  readonly tierRank: number;
  readonly amount: number;
  readonly rank: number;
  readonly total: string;
  readonly awardedOn: string;
  readonly awardedBy: string;
  readonly conditions: { readonly keepRunningUntil: string; readonly reportDueOn: string };
}

// ---------- the call ----------

const invalid = (errors: FieldError[]) => new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors });

/** What JSON Schema cannot say about a call: sums of weights, unique ids, dates in order. */
export function callErrors(c: {
  year: number;
  opensOn: string;
  closesOn: string;
  evidenceFrom: string;
  evidenceTo: string;
  criteria: readonly Criterion[];
  stages: readonly Stage[];
  tiers: readonly Tier[];
}): FieldError[] {
  const errors: FieldError[] = [];
  const sum = (xs: readonly { weight: number }[]) => xs.reduce((s, x) => s + x.weight, 0);
  const unique = (ids: readonly string[]) => new Set(ids).size === ids.length;
  if (sum(c.criteria) !== 100) errors.push({ field: 'body.criteria', message: "the criteria's weights add up to 100" });
  if (!unique(c.criteria.map((x) => x.criterionId)))
    errors.push({ field: 'body.criteria', message: 'each criterionId once' });
  if (sum(c.stages) !== 100) errors.push({ field: 'body.stages', message: "the stages' weights add up to 100" });
  if (!unique(c.stages.map((x) => x.stageId))) errors.push({ field: 'body.stages', message: 'each stageId once' });
  if (!unique(c.tiers.map((x) => x.tierId))) errors.push({ field: 'body.tiers', message: 'each tierId once' });
  if (c.closesOn < c.opensOn) errors.push({ field: 'body.closesOn', message: 'on or after opensOn' });
  if (c.opensOn.slice(0, 4) !== String(c.year)) errors.push({ field: 'body.opensOn', message: 'in the call’s year' });
  if (c.evidenceTo < c.evidenceFrom) errors.push({ field: 'body.evidenceTo', message: 'on or after evidenceFrom' });
  else if (monthsBetween(c.evidenceFrom, c.evidenceTo) > 12)
    errors.push({ field: 'body.evidenceTo', message: 'at most 12 months from evidenceFrom' });
  if (c.evidenceTo > c.closesOn.slice(0, 7))
    errors.push({ field: 'body.evidenceTo', message: 'not after the month of closesOn' });
  return errors;
}

export function assertCall(c: Parameters<typeof callErrors>[0]): void {
  const errors = callErrors(c);
  if (errors.length > 0) throw invalid(errors);
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/** Every month of the evidence window, oldest first. */
export function evidenceMonths(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let i = 0; i < monthsBetween(from, to); i++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The first instant (UTC ms) of a day in Asia/Shanghai. */
export const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00+08:00`);

export type Window = 'before' | 'open' | 'closed';

/** Where a call stands: before it opens, taking submissions, in review, on notice, awarding. */
export type CallStatus = 'upcoming' | 'open' | 'review' | 'notice' | 'awarding';
export const CALL_STATUSES: readonly CallStatus[] = ['upcoming', 'open', 'review', 'notice', 'awarding'];

export function callStatus(
  call: Pick<FeaturedCall, 'opensOn' | 'closesOn' | 'resultsPublishedAt' | 'noticeUntil'>,
  nowIso: string,
): CallStatus {
  const w = submissionWindow(call, Date.parse(nowIso));
  if (w !== 'closed') return w === 'before' ? 'upcoming' : 'open';
  if (!call.resultsPublishedAt) return 'review';
  return noticeEnded(call, nowIso) ? 'awarding' : 'notice';
}

/** Submissions and edits are taken from opensOn 00:00 to the end of closesOn (Asia/Shanghai). */
export function submissionWindow(call: Pick<FeaturedCall, 'opensOn' | 'closesOn'>, nowMs: number): Window {
  if (nowMs < dayStartMs(call.opensOn)) return 'before';
  return nowMs < dayStartMs(call.closesOn) + 86_400_000 ? 'open' : 'closed';
}

// ---------- submissions ----------

/** Whole years from `startedOn` to `until` (both YYYY-MM-DD). */
export function wholeYears(startedOn: string, until: string): number {
  const [sy, sm, sd] = startedOn.split('-').map(Number) as [number, number, number];
  const [uy, um, ud] = until.split('-').map(Number) as [number, number, number];
  let years = uy - sy;
  if (um < sm || (um === sm && ud < sd)) years--;
  return Math.max(0, years);
}

/** The eligibility of a submission, rule by rule, each with why. */
export function eligibilityOf(
  call: Pick<FeaturedCall, 'year' | 'closesOn' | 'categories' | 'eligibility' | 'tiers'>,
  s: { category: Category; startedOn: string; evidence: Evidence },
  pastAwards: readonly Pick<AwardEntry, 'year' | 'tierRank' | 'callId'>[],
): Eligibility {
  const r = call.eligibility;
  const years = wholeYears(s.startedOn, call.closesOn);
  const barredBy = pastAwards.find(
    (a) => a.tierRank === 1 && a.year < call.year && call.year - a.year <= r.barredYearsAfterTopAward,
  );
  const checks: EligibilityCheck[] = [
    {
      rule: 'category',
      passed: call.categories.includes(s.category),
      detail: `category ${s.category}; the call takes ${call.categories.join(', ')}`,
    },
    {
      rule: 'minTeamHours',
      passed: s.evidence.volunteerHours >= r.minTeamHours,
      detail: `${s.evidence.volunteerHours} service hours from ${s.evidence.from} to ${s.evidence.to}; at least ${r.minTeamHours} needed`,
    },
    {
      rule: 'minYearsRunning',
      passed: years >= r.minYearsRunning,
      detail: `running ${years} whole year(s) since ${s.startedOn} at the close (${call.closesOn}); at least ${r.minYearsRunning} needed`,
    },
    {
      rule: 'oneEntryPerTeam',
      passed: true,
      detail: r.oneEntryPerTeam ? "the team's only entry in this call" : 'the call takes several entries per team',
    },
    {
      rule: 'barredAfterTopAward',
      passed: barredBy === undefined,
      detail: barredBy
        ? `the team won the top tier in ${barredBy.year}; barred for ${r.barredYearsAfterTopAward} year(s) after`
        : `no top award within ${r.barredYearsAfterTopAward} year(s) before ${call.year}`,
    },
  ];
  return { eligible: checks.every((c) => c.passed), checks };
}

/** What the hash covers: everything the team submitted and the evidence attached, in a fixed order. */
export function contentOf(
  s: Omit<Submission, 'contentHash' | 'eligibility' | 'version' | 'submittedAt' | 'updatedAt'>,
) {
  return {
    callId: s.callId,
    submissionId: s.submissionId,
    teamId: s.teamId,
    category: s.category,
    title: s.title,
    plan: s.plan,
    budget: s.budget.map((b) => ({ item: b.item, amount: b.amount })),
    startedOn: s.startedOn,
    coreMemberIds: s.coreMembers.map((m) => m.memberId),
    evidence: {
      from: s.evidence.from,
      to: s.evidence.to,
      activities: s.evidence.activities,
      volunteerHours: s.evidence.volunteerHours,
      peopleServed: s.evidence.peopleServed,
      wishesCompleted: s.evidence.wishesCompleted,
    },
  };
}

export function contentHash(content: ReturnType<typeof contentOf>): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

// ---------- scores ----------

/** What is wrong with a reviewer's scores against the rubric: exactly one integer 0..max per stage and criterion. */
export function scoreErrors(call: Pick<FeaturedCall, 'stages' | 'criteria'>, scores: Scores): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  scores.forEach((g, i) => {
    const criterion = call.criteria.find((c) => c.criterionId === g.criterionId);
    if (!call.stages.some((s) => s.stageId === g.stageId))
      errors.push({ field: 'body.scores', message: `item ${i}: not a stage of this call` });
    else if (!criterion) errors.push({ field: 'body.scores', message: `item ${i}: not a criterion of this call` });
    else if (seen.has(`${g.stageId} ${g.criterionId}`))
      errors.push({ field: 'body.scores', message: `item ${i}: each stage and criterion once` });
    else if (g.score > criterion.max)
      errors.push({
        field: 'body.scores',
        message: `item ${i}: at most ${criterion.max} for ${criterion.criterionId}`,
      });
    seen.add(`${g.stageId} ${g.criterionId}`);
  });
  for (const st of call.stages)
    for (const c of call.criteria)
      if (!seen.has(`${st.stageId} ${c.criterionId}`))
        errors.push({ field: 'body.scores', message: `no score for stage ${st.stageId}, criterion ${c.criterionId}` });
  return errors;
}

/** Exact non-negative fractions (BigInt), so that ties are ties and not rounding noise. */
export class Fraction {
  readonly n: bigint;
  readonly d: bigint;
  constructor(n: bigint, d: bigint = 1n) {
    const g = gcd(n < 0n ? -n : n, d);
    this.n = g === 0n ? 0n : n / g;
    this.d = g === 0n ? 1n : d / g;
  }
  add(o: Fraction): Fraction {
    return new Fraction(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  mul(o: Fraction): Fraction {
    return new Fraction(this.n * o.n, this.d * o.d);
  }
  div(k: bigint): Fraction {
    return new Fraction(this.n, this.d * k);
  }
  cmp(o: Fraction): number {
    const l = this.n * o.d;
    const r = o.n * this.d;
    return l === r ? 0 : l < r ? -1 : 1;
  }
  /** Rounded half up to 2 decimals, as text (`73.47`). */
  fixed2(): string {
    const hundredths = (this.n * 200n + this.d) / (2n * this.d);
    const whole = hundredths / 100n;
    const cents = hundredths % 100n;
    return `${whole}.${String(cents).padStart(2, '0')}`;
  }
  toString(): string {
    return this.d === 1n ? String(this.n) : `${this.n}/${this.d}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** A reviewer's score of one stage, 0-100: Σ over criteria of weight × score / max. */
export function stageScore(criteria: readonly Criterion[], scores: Scores, stageId: string): Fraction {
  return criteria.reduce((sum, c) => {
    const given = scores.find((g) => g.stageId === stageId && g.criterionId === c.criterionId)?.score ?? 0;
    return sum.add(new Fraction(BigInt(c.weight) * BigInt(given), BigInt(c.max)));
  }, new Fraction(0n));
}

/** The number of reviewers from which the highest and lowest stage scores are dropped. */
export const TRIM_FROM_REVIEWERS = 5;

/** The mean of the reviewers' stage scores, dropping one highest and one lowest when there are 5 or more. */
export function trimmedMean(values: readonly Fraction[]): Fraction {
  if (values.length === 0) return new Fraction(0n);
  const sorted = [...values].sort((a, b) => a.cmp(b));
  const kept = sorted.length >= TRIM_FROM_REVIEWERS ? sorted.slice(1, -1) : sorted;
  return kept.reduce((s, v) => s.add(v), new Fraction(0n)).div(BigInt(kept.length));
}

export interface Scored {
  readonly submissionId: string;
  readonly submittedAt: string;
  /** Exact total: Σ over stages of (weight / 100) × the stage's trimmed mean. */
  readonly total: Fraction;
  readonly stages: ReadonlyMap<string, Fraction>;
  readonly reviewers: number;
}

/** A submission's total from its reviewers' scores. */
export function scoreSubmission(
  call: Pick<FeaturedCall, 'stages' | 'criteria'>,
  s: { submissionId: string; submittedAt: string },
  reviews: readonly Scores[],
): Scored {
  const stages = new Map<string, Fraction>();
  let total = new Fraction(0n);
  for (const stage of call.stages) {
    const mean = trimmedMean(reviews.map((r) => stageScore(call.criteria, r, stage.stageId)));
    stages.set(stage.stageId, mean);
    total = total.add(mean.mul(new Fraction(BigInt(stage.weight), 100n)));
  }
  return { submissionId: s.submissionId, submittedAt: s.submittedAt, total, stages, reviewers: reviews.length };
}

/**
 * The tie rule, in order, for equal exact totals: (1) the higher mean of the heaviest stage (the
 * stages by weight, heaviest first, the earlier listed first among equal weights, each compared in
 * turn), (2) the earlier first submission, (3) the smaller submission id.
 */
export type TieRule = 'stage' | 'submittedAt' | 'submissionId';
export const TIE_RULE =
  'Equal totals (exact, before rounding) are ordered by the stages’ means, heaviest stage first (among equal weights the one listed first), then by the earlier first submission, then by the smaller submission id.';

export function rank(
  call: Pick<FeaturedCall, 'stages'>,
  scored: readonly Scored[],
): { s: Scored; tieBrokenBy?: TieRule }[] {
  const byWeight = [...call.stages].map((st, i) => ({ st, i })).sort((a, b) => b.st.weight - a.st.weight || a.i - b.i);
  const decide = (a: Scored, b: Scored): { c: number; rule?: TieRule } => {
    const t = b.total.cmp(a.total);
    if (t !== 0) return { c: t };
    for (const { st } of byWeight) {
      const c = b.stages.get(st.stageId)!.cmp(a.stages.get(st.stageId)!);
      if (c !== 0) return { c, rule: 'stage' };
    }
    if (a.submittedAt !== b.submittedAt) return { c: a.submittedAt < b.submittedAt ? -1 : 1, rule: 'submittedAt' };
    return { c: a.submissionId < b.submissionId ? -1 : 1, rule: 'submissionId' };
  };
  const sorted = [...scored].sort((a, b) => decide(a, b).c);
  return sorted.map((s, i) => {
    const rule = i > 0 ? decide(sorted[i - 1]!, s).rule : undefined;
    return rule ? { s, tieBrokenBy: rule } : { s };
  });
}

// ---------- notice and awards ----------

export const MIN_NOTICE_WORKING_DAYS = 5;

/** The last day of a notice that starts on `fromDay`: it stays up for `workingDays` working days counted from the next one. */
export function noticeUntil(fromDay: string, workingDays: number): string {
  return workingDaysAfterDay(fromDay, workingDays);
}

export function noticeEnded(call: Pick<FeaturedCall, 'noticeUntil'>, nowIso: string): boolean {
  return call.noticeUntil !== undefined && dayOf(nowIso) > call.noticeUntil;
}

/**
 * Whether a set of new awards fits the call: each tier within its count, the amounts within the
 * budget, counting what was awarded before. The first overrun found, or undefined.
 */
export function awardOverrun(
  call: Pick<FeaturedCall, 'tiers' | 'budget' | 'awardedAmount' | 'awardedByTier'>,
  tierIds: readonly string[],
): { code: 'AWARD_OVER_TIER' | 'AWARD_OVER_BUDGET'; detail: string } | undefined {
  for (const tier of call.tiers) {
    const n = tierIds.filter((t) => t === tier.tierId).length;
    const before = call.awardedByTier[tier.tierId] ?? 0;
    if (before + n > tier.count)
      return {
        code: 'AWARD_OVER_TIER',
        detail: `tier ${tier.tierId} awards at most ${tier.count}: ${before} awarded, ${n} more asked`,
      };
  }
  const amount = tierIds.reduce((s, t) => s + (call.tiers.find((x) => x.tierId === t)?.amount ?? 0), 0);
  if (call.awardedAmount + amount > call.budget)
    return {
      code: 'AWARD_OVER_BUDGET',
      detail: `the budget is ${call.budget}: ${call.awardedAmount} awarded, ${amount} more asked`,
    };
  return undefined;
}

/** `day` plus `months` calendar months (the last day of the month when it has no such day). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export type ConditionStatus = 'running' | 'met' | 'broken';
export type ReportStatus = 'due' | 'overdue';

/** How an award's conditions stand today: the project kept running (its team active) until the date, and the report. */
export function conditionsOf(
  a: Pick<AwardEntry, 'conditions'>,
  teamActive: boolean,
  today: string,
): { keepRunning: ConditionStatus; report: ReportStatus } {
  const keepRunning: ConditionStatus = !teamActive
    ? 'broken'
    : today > a.conditions.keepRunningUntil
      ? 'met'
      : 'running';
  return { keepRunning, report: today > a.conditions.reportDueOn ? 'overdue' : 'due' };
}

/** The city event of a call's awards (source pioneer.district, like the monthly rollup). */
export const FEATURED_DETAIL_TYPE = 'FeaturedProjectsAwarded';

export interface FeaturedProjectsAwarded {
  readonly district: string;
  readonly callId: string;
  readonly year: number;
  readonly awardedAt: string;
  readonly awards: readonly Pick<
    AwardEntry,
    | 'awardId'
    | 'submissionId'
    | 'teamId'
    | 'teamName'
    | 'projectTitle'
    | 'category'
    | 'tierId'
    | 'tierName'
    | 'tierRank'
    | 'amount'
    | 'rank'
    | 'total'
    | 'awardedOn'
  >[];
}

/**
 * A batch of awards on its way to the city (the outbox): written in the awards' transaction,
 * delivered from the table's stream (shared/config/streams.ts, `city-delivery`), then marked sent.
 */
export interface CityDelivery {
  readonly callId: string;
  readonly batchId: string;
  readonly detailType: typeof FEATURED_DETAIL_TYPE;
  readonly detail: FeaturedProjectsAwarded;
  readonly status: 'pending' | 'sent';
  readonly createdAt: string;
  readonly sentAt?: string;
  /** Puts on the city bus that failed (each retried from the stream). */
  readonly failedAttempts?: number;
  readonly lastError?: string;
}

import type { Category } from '../domain/categories.ts';
import { nowIso, nowMs } from '../domain/clock.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import {
  assertCall,
  contentHash,
  contentOf,
  eligibilityOf,
  evidenceMonths,
  MIN_NOTICE_WORKING_DAYS,
  noticeUntil,
  rank,
  scoreErrors,
  scoreSubmission,
  submissionWindow,
  type AwardConditions,
  type BudgetLine,
  type Criterion,
  type EligibilityRules,
  type FeaturedCall,
  type RankedEntry,
  type Review,
  type Scores,
  type Stage,
  type Submission,
  type Tier,
} from '../domain/featured.ts';
import { newId } from '../domain/ids.ts';
import { maskPersonalData } from '../domain/masking.ts';
import { hasRole, type Caller } from '../domain/policy.ts';
import { dayOf } from '../domain/time.ts';
import type { Page } from '../db/cursor.ts';
import * as store from '../db/featured.ts';
import { committing } from '../db/idempotency.ts';

/**
 * Featured projects (特色项目): the district's yearly call, a team's submission with the
 * platform's evidence, reviewers without conflicts, locked scores, the ranked public notice, and
 * awards within the tiers and the budget, all or none, which reach the city on its bus.
 */

export interface CallInput {
  year: number;
  title: string;
  categories: Category[];
  opensOn: string;
  closesOn: string;
  evidenceFrom: string;
  evidenceTo: string;
  criteria: Criterion[];
  stages: Stage[];
  tiers: Tier[];
  budget: number;
  eligibility: EligibilityRules;
  awardConditions: AwardConditions;
  noticeWorkingDays: number;
  minReviewers: number;
}

export async function openCall(caller: Caller, input: CallInput): Promise<FeaturedCall> {
  assertCall(input);
  const call: FeaturedCall = {
    callId: newId('fc'),
    ...input,
    noticeWorkingDays: Math.max(MIN_NOTICE_WORKING_DAYS, input.noticeWorkingDays),
    awardedAmount: 0,
    awardedByTier: Object.fromEntries(input.tiers.map((t) => [t.tierId, 0])),
    createdAt: nowIso(),
    createdBy: caller.sub,
  };
  return committing(call, () => store.createCall(call));
}

export async function getCall(callId: string): Promise<FeaturedCall> {
  const c = await store.getCall(callId);
  if (!c) throw notFound('call');
  return c;
}

export interface SubmissionInput {
  category: Category;
  title: string;
  plan: string;
  budget: BudgetLine[];
  startedOn: string;
  coreMemberIds: string[];
}

function assertCoreMembers(ids: readonly string[]): void {
  if (new Set(ids).size !== ids.length)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', {
      errors: [{ field: 'body.coreMemberIds', message: 'each member once' }],
    });
}

/** The submission as the team submitted it now, with the evidence and eligibility the platform computes. */
async function build(
  caller: Caller,
  callId: string,
  input: SubmissionInput,
  existingId?: string,
): Promise<{ submission: Submission; call: FeaturedCall; readVersion?: number }> {
  const teamId = caller.teamId;
  if (!teamId) throw forbidden('a team leader submits for the team their token names');
  assertCoreMembers(input.coreMemberIds);
  const first = await store.getCall(callId);
  if (!first) throw notFound('call');
  const months = evidenceMonths(first.evidenceFrom, first.evidenceTo);
  const ctx = await store.submissionContext(callId, teamId, input.coreMemberIds, months, existingId);
  const call = ctx.call ?? first;
  const team = ctx.team;
  if (!team) throw new DomainError('UNKNOWN_TEAM', `no team ${teamId}`);
  if (team.leaderMemberId !== caller.memberId) throw forbidden("only the team's leader submits its project");
  if (existingId) {
    if (!ctx.existing || ctx.existing.teamId !== teamId) throw notFound('submission');
  }
  const window = submissionWindow(call, nowMs());
  if (window === 'before') throw new DomainError('CALL_NOT_OPEN', `the call opens on ${call.opensOn}`);
  if (window === 'closed')
    throw new DomainError('CALL_CLOSED', `the call closed at the end of ${call.closesOn}: submissions are frozen`);
  for (const m of input.coreMemberIds) {
    const place = ctx.places.get(m);
    if (place?.status !== 'active')
      throw new DomainError('CORE_MEMBER_NOT_ON_TEAM', `core member ${m} is not an active member of the team`);
  }
  const at = nowIso();
  const base = {
    callId,
    submissionId: existingId ?? newId('fs'),
    teamId,
    teamName: team.name,
    ...(team.communityId ? { communityId: team.communityId } : {}),
    leaderMemberId: team.leaderMemberId,
    category: input.category,
    title: input.title,
    plan: input.plan,
    budget: input.budget,
    budgetTotal: input.budget.reduce((s, b) => s + b.amount, 0),
    startedOn: input.startedOn,
    coreMembers: input.coreMemberIds.map((m) => ({
      memberId: m,
      name: ctx.profiles.get(m)?.name ?? ctx.places.get(m)?.memberName ?? m,
    })),
    evidence: { from: call.evidenceFrom, to: call.evidenceTo, ...ctx.evidence },
  };
  const submission: Submission = {
    ...base,
    eligibility: eligibilityOf(call, base, ctx.pastAwards),
    contentHash: contentHash(contentOf(base)),
    version: (ctx.existing?.version ?? 0) + 1,
    submittedAt: ctx.existing?.submittedAt ?? at,
    updatedAt: at,
  };
  return { submission, call, ...(ctx.existing ? { readVersion: ctx.existing.version } : {}) };
}

export async function submit(caller: Caller, callId: string, input: SubmissionInput): Promise<Submission> {
  const { submission, call } = await build(caller, callId, input);
  return committing(submission, () => store.createSubmission(submission, call.eligibility.oneEntryPerTeam));
}

export async function editSubmission(
  caller: Caller,
  callId: string,
  submissionId: string,
  input: SubmissionInput,
): Promise<Submission> {
  const { submission, readVersion } = await build(caller, callId, input, submissionId);
  await store.updateSubmission(submission, readVersion!);
  return submission;
}

/** The submission for its team's leader, the district's and city's admins, and its assigned reviewers; 404 to others. */
export async function getSubmission(caller: Caller, callId: string, submissionId: string): Promise<Submission> {
  const reviewer = hasRole(caller, 'member', 'team_leader') ? caller.memberId : undefined;
  const { submission, review } = await store.submissionAndReview(callId, submissionId, reviewer);
  if (!submission) throw notFound('submission');
  const leads = hasRole(caller, 'team_leader') && caller.teamId === submission.teamId;
  const admin = hasRole(caller, 'district_admin', 'city_admin');
  if (!leads && !admin && !review) throw notFound('submission');
  // A phone or ID number typed into the free text is shown to its author and the admins only.
  return leads || admin
    ? submission
    : {
        ...submission,
        title: maskPersonalData(submission.title),
        plan: maskPersonalData(submission.plan),
        budget: submission.budget.map((b) => ({ ...b, item: maskPersonalData(b.item) })),
      };
}

export async function listSubmissions(
  callId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Submission>> {
  await getCall(callId);
  return store.listSubmissions(callId, limit, cursor);
}

export async function assignReviewer(
  caller: Caller,
  callId: string,
  submissionId: string,
  reviewerId: string,
): Promise<Review> {
  const { call, submission, profile } = await store.assignmentContext(callId, submissionId, reviewerId);
  if (!call || !submission) throw notFound('submission');
  if (call.resultsPublishedAt)
    throw new DomainError('RESULTS_PUBLISHED', 'the results are published: reviews are closed');
  if (!profile) throw new DomainError('UNKNOWN_MEMBER', `no member profile ${reviewerId}`);
  // The team's membership is checked by the assignment's transaction itself (a condition on the
  // reviewer's place in the team); the community here and again in the transaction.
  const conflict = reviewerConflict(submission, reviewerId, profile.communityId);
  if (conflict) throw new DomainError('REVIEWER_CONFLICT', conflict);
  const review: Review = {
    callId,
    submissionId,
    reviewerId,
    reviewerName: profile.name,
    status: 'assigned',
    assignedAt: nowIso(),
    assignedBy: caller.sub,
  };
  await store.assignReviewer(review, {
    teamId: submission.teamId,
    ...(submission.communityId ? { communityId: submission.communityId } : {}),
  });
  return review;
}

/** Why a reviewer may not review a submission (as far as the submission and the profile tell), or undefined. */
export function reviewerConflict(
  s: Pick<Submission, 'communityId' | 'coreMembers' | 'leaderMemberId'>,
  reviewerId: string,
  reviewerCommunityId: string | undefined,
): string | undefined {
  if (reviewerId === s.leaderMemberId || s.coreMembers.some((m) => m.memberId === reviewerId))
    return 'the reviewer belongs to the submitting team';
  if (s.communityId && reviewerCommunityId === s.communityId)
    return "the reviewer is checked in to the submitting team's community";
  return undefined;
}

export async function submitScores(
  caller: Caller,
  callId: string,
  submissionId: string,
  scores: Scores,
): Promise<Review> {
  const { call, submission, review } = await store.submissionAndReview(callId, submissionId, caller.memberId);
  if (!call || !submission || !review) throw notFound('assignment');
  if (call.resultsPublishedAt)
    throw new DomainError('RESULTS_PUBLISHED', 'the results are published: reviews are closed');
  if (submissionWindow(call, nowMs()) !== 'closed')
    throw new DomainError('CALL_NOT_CLOSED', `reviews start after the close (${call.closesOn})`);
  if (review.status === 'submitted')
    throw new DomainError('SCORES_LOCKED', 'your scores for this submission are submitted and locked');
  const errors = scoreErrors(call, scores);
  if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors });
  const at = nowIso();
  await store.submitScores(review, scores, at);
  return { ...review, status: 'submitted', scores, submittedAt: at };
}

/** The ranking from the call's whole partition (pure once read). */
export function rankingOf(
  call: FeaturedCall,
  submissions: readonly Submission[],
  reviews: readonly Review[],
): { ranking: RankedEntry[]; incomplete: string[] } {
  const eligible = submissions.filter((s) => s.eligibility.eligible);
  const incomplete: string[] = [];
  const scored = eligible.map((s) => {
    const mine = reviews.filter((r) => r.submissionId === s.submissionId);
    const done = mine.filter((r) => r.status === 'submitted' && r.scores);
    if (done.length < mine.length || done.length < call.minReviewers) incomplete.push(s.submissionId);
    return scoreSubmission(
      call,
      s,
      done.map((r) => r.scores!),
    );
  });
  const bySubmission = new Map(eligible.map((s) => [s.submissionId, s]));
  const ranking = rank(call, scored).map(({ s, tieBrokenBy }, i): RankedEntry => {
    const sub = bySubmission.get(s.submissionId)!;
    return {
      rank: i + 1,
      submissionId: s.submissionId,
      teamId: sub.teamId,
      teamName: sub.teamName,
      title: sub.title,
      category: sub.category,
      total: s.total.fixed2(),
      stages: [...s.stages].map(([stageId, v]) => ({ stageId, mean: v.fixed2() })),
      reviewers: s.reviewers,
      ...(tieBrokenBy ? { tieBrokenBy } : {}),
    };
  });
  return { ranking, incomplete };
}

export async function publishResults(caller: Caller, callId: string): Promise<FeaturedCall> {
  void caller; // role checked by the route table
  const { call, submissions, reviews } = await store.wholeCall(callId);
  if (!call) throw notFound('call');
  if (call.resultsPublishedAt) throw new DomainError('RESULTS_PUBLISHED', 'the results are already published');
  if (submissionWindow(call, nowMs()) !== 'closed')
    throw new DomainError('CALL_NOT_CLOSED', `results come after the close (${call.closesOn})`);
  const { ranking, incomplete } = rankingOf(call, submissions, reviews);
  if (incomplete.length > 0)
    throw new DomainError(
      'REVIEWS_INCOMPLETE',
      `every eligible submission needs at least ${call.minReviewers} reviewers and every assigned reviewer's scores`,
      { submissionIds: incomplete },
    );
  const at = nowIso();
  const from = dayOf(at);
  const fields = {
    resultsPublishedAt: at,
    noticeFrom: from,
    noticeUntil: noticeUntil(from, call.noticeWorkingDays),
    ranking,
  };
  await store.publishResults(callId, fields);
  return { ...call, ...fields };
}

export interface Notice {
  callId: string;
  year: number;
  title: string;
  noticeFrom: string;
  noticeUntil: string;
  tieRule: string;
  ranking: readonly RankedEntry[];
}

export async function notice(callId: string, tieRule: string): Promise<Notice> {
  const call = await store.getCall(callId);
  if (!call?.resultsPublishedAt || !call.ranking) throw notFound('notice');
  return {
    callId,
    year: call.year,
    title: call.title,
    noticeFrom: call.noticeFrom!,
    noticeUntil: call.noticeUntil!,
    tieRule,
    ranking: call.ranking,
  };
}

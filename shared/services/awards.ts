import { env } from '../config/env.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import {
  addMonths,
  awardOverrun,
  callStatus,
  type CallStatus,
  type FeaturedCall,
  conditionsOf,
  FEATURED_DETAIL_TYPE,
  noticeEnded,
  type AwardEntry,
  type CityDelivery,
  type FeaturedProjectsAwarded,
} from '../domain/featured.ts';
import { newId } from '../domain/ids.ts';
import type { Caller } from '../domain/policy.ts';
import { ROLLUP_EVENT_SOURCE } from '../domain/rollup.ts';
import { dayOf } from '../domain/time.ts';
import * as store from '../db/featured.ts';
import { committing } from '../db/idempotency.ts';
import { publisher } from '../events/publisher.ts';
import { addMetric } from '../metrics/metrics.ts';

/**
 * Awards of featured projects (以奖代补): after the notice, a batch of awards within the tiers and
 * the budget, all or none, each an entry in every core member's record and in the team's
 * history, and in the same transaction FeaturedProjectsAwarded in the call's outbox, which the
 * table's stream delivers to the city bus (`deliverToCity`, retried, then the failure queue); the
 * awards part of a member's record and a team's history with its conditions.
 */

export interface AwardsResult {
  awards: AwardEntry[];
  awardedAmount: number;
  budget: number;
  /** The awards wait in the call's outbox for the city bus (delivered from the table's stream). */
  city: 'queued';
  /** The outbox item's id (the award report says when it reached the city bus). */
  cityDeliveryId: string;
}

export async function award(
  caller: Caller,
  callId: string,
  wanted: readonly { submissionId: string; tierId: string }[],
): Promise<AwardsResult> {
  const ids = wanted.map((w) => w.submissionId);
  if (new Set(ids).size !== ids.length)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', {
      errors: [{ field: 'body.awards', message: 'each submission once' }],
    });
  const { call, submissions } = await store.awardContext(callId, ids);
  if (!call) throw notFound('call');
  if (!call.resultsPublishedAt || !call.ranking)
    throw new DomainError('NOTICE_NOT_ENDED', 'the results are not published yet');
  const at = nowIso();
  if (!noticeEnded(call, at))
    throw new DomainError('NOTICE_NOT_ENDED', `the results are on notice until ${call.noticeUntil} (working days)`);
  const errors = wanted.flatMap((w, i) => [
    ...(call.tiers.some((t) => t.tierId === w.tierId)
      ? []
      : [{ field: 'body.awards', message: `item ${i}: ${w.tierId} is not a tier of this call` }]),
    ...(call.ranking!.some((r) => r.submissionId === w.submissionId)
      ? []
      : [{ field: 'body.awards', message: `item ${i}: ${w.submissionId} is not a ranked submission of this call` }]),
  ]);
  if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors });
  const items =
    store.ITEMS_PER_BATCH +
    wanted.reduce((n, w) => n + store.itemsPerAward(submissions.get(w.submissionId)!.coreMembers.length), 0);
  if (items > MAX_TRANSACTION_ITEMS)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', {
      errors: [
        {
          field: 'body.awards',
          message: `too many for one decision (${items} items, at most ${MAX_TRANSACTION_ITEMS}): award in smaller batches`,
        },
      ],
    });
  const over = awardOverrun(
    call,
    wanted.map((w) => w.tierId),
  );
  if (over?.code === 'AWARD_OVER_TIER') throw new DomainError('AWARD_OVER_TIER', over.detail);
  if (over) throw new DomainError('AWARD_OVER_BUDGET', over.detail);
  const day = dayOf(at);
  const tierRank = (id: string) => call.tiers.findIndex((t) => t.tierId === id) + 1;
  const awards = wanted.map((w) => {
    const s = submissions.get(w.submissionId)!;
    const tier = call.tiers.find((t) => t.tierId === w.tierId)!;
    const ranked = call.ranking!.find((r) => r.submissionId === w.submissionId)!;
    const entry: AwardEntry = {
      awardId: newId('aw'),
      kind: 'featured-project',
      title: `${call.year}年度特色项目 · ${tier.name}`,
      year: call.year,
      callId,
      submissionId: s.submissionId,
      teamId: s.teamId,
      teamName: s.teamName,
      projectTitle: s.title,
      category: s.category,
      tierId: tier.tierId,
      tierName: tier.name,
      tierRank: tierRank(tier.tierId),
      amount: tier.amount,
      rank: ranked.rank,
      total: ranked.total,
      awardedOn: day,
      awardedBy: caller.sub,
      conditions: {
        keepRunningUntil: addMonths(day, call.awardConditions.keepRunningMonths),
        reportDueOn: addMonths(day, call.awardConditions.reportWithinMonths),
      },
    };
    return { entry, coreMemberIds: s.coreMembers.map((m) => m.memberId) };
  });
  const entries = awards.map((a) => a.entry);
  const detail: FeaturedProjectsAwarded = {
    district: env().districtId,
    callId,
    year: call.year,
    awardedAt: at,
    awards: entries.map((e) => ({
      awardId: e.awardId,
      submissionId: e.submissionId,
      teamId: e.teamId,
      teamName: e.teamName,
      projectTitle: e.projectTitle,
      category: e.category,
      tierId: e.tierId,
      tierName: e.tierName,
      tierRank: e.tierRank,
      amount: e.amount,
      rank: e.rank,
      total: e.total,
      awardedOn: e.awardedOn,
    })),
  };
  const delivery: CityDelivery = {
    callId,
    batchId: newId('cd'),
    detailType: FEATURED_DETAIL_TYPE,
    detail,
    status: 'pending',
    createdAt: at,
  };
  const sum = entries.reduce((s, e) => s + e.amount, 0);
  const answer = {
    awards: entries,
    awardedAmount: call.awardedAmount + sum,
    budget: call.budget,
    city: 'queued' as const,
    cityDeliveryId: delivery.batchId,
  };
  try {
    // With an Idempotency-Key, the answer is stored in the awards' transaction.
    return await committing(answer, () => store.putAwards(call, awards, delivery));
  } catch (err) {
    // Another batch won the call's totals meanwhile: say which limit this one now passes.
    if (err instanceof DomainError && err.code === 'AWARD_OVER_BUDGET') {
      const now = await store.getCall(callId, true);
      if (
        now &&
        awardOverrun(
          now,
          wanted.map((w) => w.tierId),
        )?.code === 'AWARD_OVER_TIER'
      )
        throw new DomainError(
          'AWARD_OVER_TIER',
          `awarded meanwhile: ${
            awardOverrun(
              now,
              wanted.map((w) => w.tierId),
            )!.detail
          }`,
        );
    }
    throw err;
  }
}

/**
 * The stream consumer `city-delivery` (shared/config/streams.ts): a new outbox item's event onto the
 * city bus, then the item marked sent. A failed put counts in CityDeliveriesFailed (alarmed) and on
 * the item, and throws: the stream retries the record, then its failure queue gets it. Running it
 * again for a record already delivered puts the same event again, which the city stores once (one
 * item per award).
 */
export async function deliverToCity(d: CityDelivery): Promise<{ delivered: string; awards: number }> {
  try {
    await publisher(ROLLUP_EVENT_SOURCE).publish(d.detailType, d.detail);
  } catch (err) {
    addMetric('CityDeliveriesFailed');
    await store
      .cityDeliveryFailed(d.callId, d.batchId, err instanceof Error ? err.message : String(err))
      .catch(() => undefined);
    throw err;
  }
  await store.cityDeliverySent(d.callId, d.batchId, nowIso());
  return { delivered: d.batchId, awards: d.detail.awards.length };
}

/** DynamoDB's limit on a transaction's items, less the Idempotency-Key's record. */
export const MAX_TRANSACTION_ITEMS = 99;

export const myAwards = (caller: Caller, limit: number, cursor: string | undefined) =>
  store.memberAwards(caller.memberId, limit, cursor);

export interface TrackedAward extends AwardEntry {
  readonly status: ReturnType<typeof conditionsOf>;
}

/** A team's award history, each award with how its conditions stand today. */
export async function teamAwards(teamId: string): Promise<{ items: TrackedAward[] }> {
  const { team, awards } = await store.teamAwards(teamId);
  if (!team) throw notFound('team');
  const today = dayOf(nowIso());
  return {
    items: awards
      .sort((a, b) => (a.awardedOn < b.awardedOn ? 1 : a.awardedOn > b.awardedOn ? -1 : 0))
      .map((a) => ({ ...a, status: conditionsOf(a, team.status === 'active', today) })),
  };
}

// ---------- the reads across calls ----------

export type CallSummary = Pick<
  FeaturedCall,
  | 'callId'
  | 'year'
  | 'title'
  | 'categories'
  | 'opensOn'
  | 'closesOn'
  | 'budget'
  | 'awardedAmount'
  | 'resultsPublishedAt'
  | 'noticeFrom'
  | 'noticeUntil'
> & { status: CallStatus };

/** The district's calls (one Query), newest year first; `status` keeps those in that state today. */
export async function listCalls(
  q: { year?: number | undefined; status?: CallStatus | undefined },
  limit: number,
  cursor: string | undefined,
): Promise<{ items: CallSummary[]; nextCursor?: string }> {
  const page = await store.listCalls(q.year, limit, cursor);
  const at = nowIso();
  const items = page.items
    .map((c) => ({
      callId: c.callId,
      year: c.year,
      title: c.title,
      categories: c.categories,
      opensOn: c.opensOn,
      closesOn: c.closesOn,
      budget: c.budget,
      awardedAmount: c.awardedAmount,
      status: callStatus(c, at),
      ...(c.resultsPublishedAt ? { resultsPublishedAt: c.resultsPublishedAt } : {}),
      ...(c.noticeFrom ? { noticeFrom: c.noticeFrom } : {}),
      ...(c.noticeUntil ? { noticeUntil: c.noticeUntil } : {}),
    }))
    .filter((c) => q.status === undefined || c.status === q.status);
  return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** The caller's review assignments, every call's (one Query of their index partition). */
export async function myReviewAssignments(caller: Caller, limit: number, cursor: string | undefined) {
  const page = await store.reviewerAssignments(caller.memberId, limit, cursor);
  return {
    items: page.items.map((r) => ({
      callId: r.callId,
      submissionId: r.submissionId,
      status: r.status,
      assignedAt: r.assignedAt,
      ...(r.submittedAt ? { submittedAt: r.submittedAt } : {}),
      ...(r.callTitle !== undefined ? { callTitle: r.callTitle } : {}),
      ...(r.year !== undefined ? { year: r.year } : {}),
      ...(r.projectTitle !== undefined ? { projectTitle: r.projectTitle } : {}),
      ...(r.teamName !== undefined ? { teamName: r.teamName } : {}),
    })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/**
 * A call's award report: its awards (tier, amount, team, conditions and how they stand today),
 * the budget and each tier used and left, and the batches' delivery to the city. The call, its
 * awards and its outbox items in one round trip; the awarded teams (their status) in a second.
 */
export async function awardReport(callId: string) {
  const { call, awards, deliveries } = await store.awardReportContext(callId);
  if (!call) throw notFound('call');
  const teams = await store.teamsById([...new Set(awards.map((a) => a.teamId))]);
  const today = dayOf(nowIso());
  const budgetUsed = awards.reduce((s, a) => s + a.amount, 0);
  return {
    callId: call.callId,
    year: call.year,
    title: call.title,
    asOf: today,
    budget: call.budget,
    budgetUsed,
    budgetLeft: call.budget - budgetUsed,
    tiers: call.tiers.map((t) => {
      const awarded = awards.filter((a) => a.tierId === t.tierId).length;
      return { tierId: t.tierId, name: t.name, count: t.count, amount: t.amount, awarded, left: t.count - awarded };
    }),
    awards: awards
      .sort((a, b) => a.tierRank - b.tierRank || a.rank - b.rank)
      .map((a) => {
        const active = teams.get(a.teamId)?.status === 'active';
        return { ...a, teamActive: active, status: conditionsOf(a, active, today) };
      }),
    cityDeliveries: deliveries
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map((d) => ({
        cityDeliveryId: d.batchId,
        awards: d.detail.awards.length,
        status: d.status,
        createdAt: d.createdAt,
        ...(d.sentAt ? { sentAt: d.sentAt } : {}),
        failedAttempts: d.failedAttempts ?? 0,
      })),
  };
}

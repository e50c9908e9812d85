import { env } from '../config/env.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import {
  addMonths,
  awardOverrun,
  conditionsOf,
  FEATURED_DETAIL_TYPE,
  noticeEnded,
  type AwardEntry,
  type FeaturedProjectsAwarded,
} from '../domain/featured.ts';
import { newId } from '../domain/ids.ts';
import type { Caller } from '../domain/policy.ts';
import { ROLLUP_EVENT_SOURCE } from '../domain/rollup.ts';
import { dayOf } from '../domain/time.ts';
import * as store from '../db/featured.ts';
import { publisher } from '../events/publisher.ts';

/**
 * Awards of featured projects (以奖代补): after the notice, a batch of awards within the tiers and
 * the budget, all or none, each an entry in every core member's record and in the team's
 * history, then FeaturedProjectsAwarded on the city bus; the awards part of a member's record and
 * a team's history with its conditions.
 */

export interface AwardsResult {
  awards: AwardEntry[];
  awardedAmount: number;
  budget: number;
  /** Whether the awards were handed to the city bus (`failed`: awarded, not yet at the city). */
  city: 'sent' | 'failed';
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
    1 + wanted.reduce((n, w) => n + store.itemsPerAward(submissions.get(w.submissionId)!.coreMembers.length), 0);
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
  try {
    await store.putAwards(call, awards);
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
  let city: AwardsResult['city'] = 'sent';
  try {
    await publisher(ROLLUP_EVENT_SOURCE).publish(FEATURED_DETAIL_TYPE, detail);
  } catch {
    city = 'failed';
  }
  const sum = entries.reduce((s, e) => s + e.amount, 0);
  return { awards: entries, awardedAmount: call.awardedAmount + sum, budget: call.budget, city };
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

import { env } from '../config/env.ts';
import type { Page } from '../db/cursor.ts';
import { committing } from '../db/idempotency.ts';
import * as ledger from '../db/ledger.ts';
import { putEvaluation, readServiceRecord, teamNames } from '../db/member-record.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { maskName } from '../domain/masking.ts';
import { evaluationDeadline, evaluationIdFor, evaluationOpen, type Evaluation } from '../domain/member-record.ts';
import {
  DEFAULT_RULES,
  fifthStarDue,
  starFor,
  type EvaluationRating,
  type LedgerEntry,
  type PointRule,
  type RankScope,
} from '../domain/points.ts';
import { administers, type Caller } from '../domain/policy.ts';
import { dayOf, monthOf } from '../domain/time.ts';

/**
 * Use cases of record-based evaluation (纪实评价): my points and their entries, rankings, my rank,
 * the fifth star's review, the community's evaluations, and the five-part record. The ledger
 * itself is written by the stream consumer only (shared/services/ledger.ts).
 */

// ---------- points ----------

export interface PeriodFigures {
  readonly period: string;
  readonly points: number;
  readonly hours: number;
}

export interface MyPoints {
  readonly star: number;
  readonly fifthStarDue: boolean;
  readonly totalHours: number;
  readonly totalPoints: number;
  readonly year: PeriodFigures;
  readonly month: PeriodFigures;
  readonly items: LedgerEntry[];
  readonly nextCursor: string | undefined;
  readonly rules: readonly PointRule[];
}

export async function myPoints(
  caller: Caller,
  q: { year?: string; limit: number; cursor?: string },
): Promise<MyPoints> {
  const now = nowIso();
  const year = q.year ?? monthOf(now).slice(0, 4);
  const month = monthOf(now).startsWith(year) ? monthOf(now) : `${year}-12`;
  const [[all, y, m], page] = await Promise.all([
    ledger.getTotals(caller.memberId, ['ALL', year, month]),
    ledger.listEntries(caller.memberId, q.limit, q.cursor),
  ]);
  const hours = all?.hours ?? 0;
  const approved = all?.fifthApproved ?? false;
  return {
    star: all?.star ?? starFor(hours, approved),
    fifthStarDue: fifthStarDue(hours, approved),
    totalHours: hours,
    totalPoints: all?.points ?? 0,
    year: { period: year, points: y?.points ?? 0, hours: y?.hours ?? 0 },
    month: { period: month, points: m?.points ?? 0, hours: m?.hours ?? 0 },
    items: page.items,
    nextCursor: page.nextCursor,
    rules: DEFAULT_RULES,
  };
}

// ---------- rankings ----------

/** A ranking's scope id; the district must be this stack's (404 otherwise). */
function scopeIdOf(q: { scope: RankScope; id: string }): string {
  if (q.scope === 'district' && q.id !== env().districtId) throw notFound('district');
  return q.id;
}

export interface RankedMember {
  readonly rank: number;
  readonly memberId: string;
  /** Masked: surname and a star. */
  readonly name: string;
  readonly points: number;
  readonly hours: number;
  readonly reachedAt: string;
}

/** The best members of a scope in a period: one Query, and one BatchGetItem for their (masked) names. */
export async function memberRanking(
  _caller: Caller,
  q: { scope: RankScope; id: string; period: string; limit: number },
): Promise<{ items: RankedMember[] }> {
  const scopeId = scopeIdOf(q);
  const rows = await ledger.topOfRanking({ subject: 'member', scope: q.scope, scopeId, period: q.period }, q.limit);
  const profiles = await ledger.profilesOf(rows.map((r) => r.subjectId));
  return {
    items: rows.map((r, i) => ({
      rank: i + 1,
      memberId: r.subjectId,
      name: maskName(profiles.get(r.subjectId)?.name ?? ''),
      points: r.points,
      hours: r.hours,
      reachedAt: r.reachedAt,
    })),
  };
}

export interface RankedTeam {
  readonly rank: number;
  readonly teamId: string;
  readonly name: string;
  readonly points: number;
  readonly hours: number;
  readonly reachedAt: string;
}

/** The district's best teams in a period (the points their members earned in the team's service). */
export async function teamRanking(
  _caller: Caller,
  q: { period: string; limit: number },
): Promise<{ items: RankedTeam[] }> {
  const rows = await ledger.topOfRanking(
    { subject: 'team', scope: 'district', scopeId: env().districtId, period: q.period },
    q.limit,
  );
  const teams = await teamNames(rows.map((r) => r.subjectId));
  return {
    items: rows.map((r, i) => ({
      rank: i + 1,
      teamId: r.subjectId,
      name: teams.get(r.subjectId) ?? '',
      points: r.points,
      hours: r.hours,
      reachedAt: r.reachedAt,
    })),
  };
}

export interface MyRank {
  readonly ranked: boolean;
  readonly rank?: number;
  readonly points: number;
  readonly hours: number;
  readonly reachedAt?: string;
}

/** My place in a ranking: my score (one GetItem), then a count of the scores above it (Queries of 1 MB). */
export async function myRank(caller: Caller, q: { scope: RankScope; id: string; period: string }): Promise<MyRank> {
  const scopeId = scopeIdOf(q);
  const ref = { subject: 'member' as const, scope: q.scope, scopeId, period: q.period };
  const score = await ledger.getScore({ ...ref, subjectId: caller.memberId });
  if (!score) return { ranked: false, points: 0, hours: 0 };
  const above = await ledger.countAbove(ref, score.rankSk);
  return { ranked: true, rank: above.count + 1, points: score.points, hours: score.hours, reachedAt: score.reachedAt };
}

// ---------- the fifth star ----------

export interface FifthStarCandidate {
  readonly memberId: string;
  readonly name: string;
  readonly hours: number;
  readonly points: number;
}

export async function listFifthStarDue(
  _caller: Caller,
  limit: number,
  cursor: string | undefined,
): Promise<Page<FifthStarCandidate>> {
  const page = await ledger.listFifthStarDue(limit, cursor);
  const found = await ledger.profilesAndTotals(page.items);
  return {
    items: found.map((f) => ({
      memberId: f.memberId,
      name: f.profile?.name ?? '',
      hours: f.all?.hours ?? 0,
      points: f.all?.points ?? 0,
    })),
    nextCursor: page.nextCursor,
  };
}

/** A district (or city) admin approves or refuses a member's fifth star; the change is recorded. */
export async function decideFifthStar(
  caller: Caller,
  memberId: string,
  input: { approve: boolean; note: string },
): Promise<{ memberId: string; star: number; hours: number }> {
  // The totals and the profile (where the star counts in the statistics), in one round trip.
  const { all, profile } = await ledger.memberHead(memberId);
  if (!all || !fifthStarDue(all.hours, all.fifthApproved ?? false))
    throw new DomainError('FIFTH_STAR_NOT_DUE', 'the member has no fifth star waiting for review');
  const star = input.approve ? 5 : (all.star ?? 4);
  const place =
    profile?.communityId && profile.streetId
      ? { communityId: profile.communityId, streetId: profile.streetId }
      : undefined;
  const change =
    star !== (all.star ?? 0)
      ? {
          at: nowIso(),
          seq: all.version,
          from: all.star ?? 0,
          to: star,
          hours: all.hours,
          reason: `fifth star reviewed: ${input.note}`,
          by: caller.sub,
          ...(place ? { place } : {}),
        }
      : undefined;
  try {
    await committing({ memberId, star, hours: all.hours }, () =>
      ledger.decideFifthStar(
        memberId,
        all,
        { star, fifthApproved: input.approve, due: false },
        change,
        env().districtId,
      ),
    );
  } catch (err) {
    if (err instanceof ledger.LedgerRaced)
      throw new DomainError('CONCURRENT_UPDATE', "the member's totals changed meanwhile: read them again and retry");
    throw err;
  }
  return { memberId, star, hours: all.hours };
}

// ---------- evaluations ----------

/** The community (an admin of the record's community, or above) rates a service within 10 working days of it. */
export async function evaluate(
  caller: Caller,
  recordId: string,
  input: { rating: EvaluationRating; note?: string },
): Promise<Evaluation> {
  const r = await readServiceRecord(recordId, true);
  if (!r || !administers(caller, r)) throw notFound('service record');
  const at = nowIso();
  if (!evaluationOpen(r.date, at))
    throw new DomainError(
      'EVALUATION_CLOSED',
      `a service of ${r.date} could be evaluated until ${evaluationDeadline(r.date)} (10 working days)`,
    );
  const v: Evaluation = {
    evaluationId: evaluationIdFor(recordId),
    memberId: r.memberId,
    recordId,
    rating: input.rating,
    date: dayOf(at),
    enteredAt: at,
    enteredBy: caller.sub,
    communityId: r.communityId,
    streetId: r.streetId,
    ...(input.note ? { note: input.note } : {}),
  };
  return committing(v, () => putEvaluation(v));
}

import { env } from '../config/env.ts';
import {
  LedgerRaced,
  readLedgerState,
  scoreOf,
  writeLedger,
  type LedgerWrite,
  type ScoreRef,
  type TotalsRow,
} from '../db/ledger.ts';
import { readServiceRecord, wishOutcome } from '../db/member-record.ts';
import {
  addToTotals,
  entriesFor,
  evaluationFacts,
  fifthStarDue,
  memberRankScopes,
  rankSortKey,
  recordFacts,
  starFor,
  trainingFacts,
  wishConfirmedFacts,
  yearOf,
  type LedgerEntry,
  type LedgerFact,
  type PeriodTotals,
  type TrainingCompletion,
} from '../domain/points.ts';
import { recordIdFor, type ServiceRecord } from '../domain/records.ts';
import { monthOf } from '../domain/time.ts';
import { DomainError } from '../domain/errors.ts';
import type { ActivityClose } from '../domain/activity.ts';
import { recordNoShows } from './no-shows.ts';

/**
 * The ledger consumer: the table's stream (shared/config/streams.ts, `ledger`) delivers each
 * change of a confirmed fact's item; the consumer turns it into facts (shared/domain/points.ts)
 * and posts each revision not yet posted, one transaction a revision (entries, totals, star,
 * scores and rank keys). Idempotent: a change delivered twice, or an older image after a newer
 * one, posts nothing new, because every entry is keyed by its source and revision.
 */
export interface ChangeImage {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly newImage?: Record<string, unknown>;
}

const MAX_ATTEMPTS = 20;

/** The facts an item's image stands for (none when it is not a confirmed fact yet). */
export async function factsOfImage(image: Record<string, unknown>): Promise<LedgerFact[]> {
  switch (image.type) {
    case 'service-record': {
      const r = image as unknown as ServiceRecord;
      // A completed micro-wish's record counts once its resident (or the job) confirmed the wish.
      if (r.source === 'wish') {
        const w = await wishOutcome(r.activityId);
        if (w?.status !== 'confirmed') return [];
      }
      return recordFacts(r);
    }
    case 'wish-event': {
      if (image.eventType !== 'WishConfirmed') return [];
      // The event names no claimant: the wish does (a team's claim earns its members nothing here).
      const wish = await wishOutcome(String(image.wishId));
      const facts = wishConfirmedFacts(image as Parameters<typeof wishConfirmedFacts>[0], wish?.claimant);
      if (facts.length === 0) return [];
      // The wish's record waited for this confirmation: its hours count now.
      const record = await readServiceRecord(recordIdFor(String(image.wishId), facts[0]!.memberId), true);
      return [...facts, ...(record ? recordFacts(record) : [])];
    }
    case 'evaluation':
      return evaluationFacts(image as unknown as Parameters<typeof evaluationFacts>[0]);
    case 'training-entry':
      return trainingFacts(image as unknown as TrainingCompletion);
    default:
      return [];
  }
}

/** Applies one stream change: every fact it stands for, every revision not yet posted. */
export async function applyChange(change: ChangeImage): Promise<{ posted: number; noShows?: number }> {
  if (change.eventName === 'REMOVE' || !change.newImage) return { posted: 0 };
  // A close: its no-shows (not ledger facts: they earn nothing, and count per year).
  if (change.newImage.type === 'activity-close') {
    const added = await recordNoShows(change.newImage as unknown as ActivityClose);
    return { posted: 0, ...(added ? { noShows: added } : {}) };
  }
  let posted = 0;
  for (const fact of await factsOfImage(change.newImage)) posted += await postFact(fact);
  return { posted };
}

function scoreRefs(fact: LedgerFact, districtId: string): ScoreRef[] {
  const periods = [yearOf(fact.at), monthOf(fact.at)];
  const refs: ScoreRef[] = [];
  for (const period of periods) {
    for (const s of memberRankScopes(districtId, fact.place))
      refs.push({ subject: 'member', subjectId: fact.memberId, scope: s.scope, scopeId: s.id, period });
    if (fact.place.teamId)
      refs.push({ subject: 'team', subjectId: fact.place.teamId, scope: 'district', scopeId: districtId, period });
  }
  return refs;
}

/**
 * Posts one revision of a fact (and nothing if it, or a later one, is posted already): returns the
 * entries written. Retries on a lost race (another delivery of the same member or team wrote first).
 */
export async function postFact(fact: LedgerFact, districtId = env().districtId): Promise<number> {
  const year = yearOf(fact.at);
  const month = monthOf(fact.at);
  const periods = ['ALL', year, month];
  const refs = scoreRefs(fact, districtId);
  for (let attempt = 0; ; attempt++) {
    const state = await readLedgerState(fact.memberId, fact, periods, refs);
    const latest = Math.max(-1, ...state.entries.map((e) => e.revision));
    if (latest >= fact.revision) return 0;
    // The latest posted revision's grants are what this one reverses.
    const previous = new Map<string, { points: number; hours: number; ruleVersion: number }>();
    for (const e of state.entries) if (e.effect === 'grant' && e.revision === latest) previous.set(e.rule, e);
    const yearRow = state.totals.get(year);
    const entries = entriesFor(fact, previous, yearRow?.rules ?? {});
    try {
      await writeLedger(plan(fact, entries, state.totals, (r) => scoreOf(state, r), refs, periods, districtId));
      return entries.length;
    } catch (err) {
      // A condition that failed (someone posted first) or a conflict that outlasted the client's
      // retries: read again and plan again (a retried stream batch would do the same).
      const again = err instanceof LedgerRaced || (err instanceof DomainError && err.code === 'CONCURRENT_UPDATE');
      if (!again || attempt + 1 >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * (attempt + 1)));
    }
  }
}

function plan(
  fact: LedgerFact,
  entries: readonly LedgerEntry[],
  totals: ReadonlyMap<string, TotalsRow>,
  score: (r: ScoreRef) => ReturnType<typeof scoreOf>,
  refs: readonly ScoreRef[],
  periods: readonly string[],
  districtId: string,
): LedgerWrite {
  const at = fact.postedAt;
  const rows: LedgerWrite['totals'][number][] = [];
  let fifthDue = false;
  let starChange: LedgerWrite['starChange'];
  for (const period of periods) {
    const before = totals.get(period);
    const t = addToTotals(before, entries, at);
    if (period === 'ALL') {
      const approved = before?.fifthApproved ?? false;
      // A fifth star approved and then lost (hours fell below) must be reviewed again.
      const stillApproved = approved && t.hours >= 1500;
      const star = starFor(t.hours, stillApproved);
      const from = before?.star ?? 0;
      fifthDue = fifthStarDue(t.hours, stillApproved);
      if (star !== from)
        starChange = {
          at,
          seq: before?.version ?? 0,
          from,
          to: star,
          hours: t.hours,
          reason: star > from ? 'hours reached' : `hours fell (${fact.kind} ${fact.id} revision ${fact.revision})`,
          place: { streetId: fact.place.streetId, communityId: fact.place.communityId },
        };
      rows.push({ period, before: before?.version, after: { ...t, star, fifthApproved: stillApproved } });
    } else if (/^\d{4}$/.test(period)) {
      const rules = { ...(before?.rules ?? {}) };
      for (const e of entries) rules[e.rule] = Math.round(((rules[e.rule] ?? 0) + e.points) * 2) / 2;
      rows.push({ period, before: before?.version, after: { ...t, rules } });
    } else {
      rows.push({ period, before: before?.version, after: t });
    }
  }
  const scores = refs.map((ref) => {
    const before = score(ref);
    const after: PeriodTotals = addToTotals(before, entries, at);
    return { ref, ...(before ? { before } : {}), after: { ...after, rankSk: rankSortKey(after, ref.subjectId) } };
  });
  return {
    memberId: fact.memberId,
    districtId,
    entries,
    totals: rows,
    fifthDue,
    ...(starChange ? { starChange } : {}),
    scores,
  };
}

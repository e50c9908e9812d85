import {
  addHalves,
  addToTotals,
  entriesFor,
  entryId,
  memberRankScopes,
  starFor,
  yearOf,
  type LedgerEntry,
  type LedgerFact,
  type PeriodTotals,
} from '../../shared/domain/points.ts';
import { monthOf } from '../../shared/domain/time.ts';

/**
 * The ledger as the rules say it must be: the facts replayed in memory, in delivery order, through
 * the rules (shared/domain/points.ts entriesFor), a revision posted once however often it is
 * delivered. The property tests and the ledger benchmark compare what the consumer stored with it.
 */
export class LedgerReplay {
  readonly entries = new Map<string, LedgerEntry>();
  /** member|kind|id -> latest revision posted */
  private readonly latest = new Map<string, number>();
  /** member|kind|id -> rule -> latest grant */
  private readonly grants = new Map<string, Map<string, LedgerEntry>>();
  /** member|period -> totals (and per rule, for years) */
  readonly totals = new Map<string, PeriodTotals & { rules: Record<string, number> }>();
  /** subject|id|scope|scopeId|period -> totals */
  readonly scores = new Map<string, PeriodTotals>();

  constructor(private readonly districtId: string) {}

  apply(fact: LedgerFact): number {
    const src = `${fact.memberId}|${fact.kind}|${fact.id}`;
    const latest = this.latest.get(src) ?? -1;
    if (latest >= fact.revision) return 0;
    const year = yearOf(fact.at);
    const month = monthOf(fact.at);
    const yearRow = this.totals.get(`${fact.memberId}|${year}`);
    const previous = this.grants.get(src) ?? new Map<string, LedgerEntry>();
    const entries = entriesFor(fact, previous, yearRow?.rules ?? {});
    const grants = new Map<string, LedgerEntry>();
    for (const e of entries) {
      this.entries.set(`${fact.memberId}|${entryId(e)}`, e);
      if (e.effect === 'grant') grants.set(e.rule, e);
    }
    this.grants.set(src, grants);
    this.latest.set(src, fact.revision);
    for (const period of ['ALL', year, month]) {
      const key = `${fact.memberId}|${period}`;
      const before = this.totals.get(key);
      const rules = { ...(before?.rules ?? {}) };
      for (const e of entries) rules[e.rule] = addHalves(rules[e.rule] ?? 0, e.points);
      this.totals.set(key, { ...addToTotals(before, entries, fact.postedAt), rules });
    }
    for (const period of [year, month]) {
      const refs = memberRankScopes(this.districtId, fact.place).map((s) => `member|${fact.memberId}|${s.scope}|${s.id}`);
      if (fact.place.teamId) refs.push(`team|${fact.place.teamId}|district|${this.districtId}`);
      for (const r of refs) {
        const key = `${r}|${period}`;
        this.scores.set(key, addToTotals(this.scores.get(key), entries, fact.postedAt));
      }
    }
    return entries.length;
  }

  /** The star a member has by their hours (no fifth-star reviews in the replays). */
  star(memberId: string): number {
    return starFor(this.totals.get(`${memberId}|ALL`)?.hours ?? 0, false);
  }
}

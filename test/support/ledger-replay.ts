import fc from 'fast-check';
import { ledgerTotalKey } from '../../shared/db/keys.ts';
import { queryAll } from '../../shared/db/table.ts';
import { applyChange } from '../../shared/services/ledger.ts';
import {
  addHalves,
  addToTotals,
  entriesFor,
  entryId,
  memberRankScopes,
  compareRank,
  recordFacts,
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
      const refs = memberRankScopes(this.districtId, fact.place).map(
        (s) => `member|${fact.memberId}|${s.scope}|${s.id}`,
      );
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

// ---------- generated members and their facts (the property test, the ledger benchmark) ----------

const STREETS = ['st-a', 'st-b'];
const COMMUNITIES = ['co-a1', 'co-a2', 'co-b1'];
const TEAMS = ['team-x', 'team-y'];

export type Image = Record<string, unknown>;

export interface MemberPlan {
  readonly records: { hours: number; corrections: number[]; day: number; team: number; community: number }[];
  readonly evaluations: { rating: number; day: number }[];
  readonly trainings: { hours: number; day: number }[];
}

const half = fc.integer({ min: 0, max: 48 }).map((n) => n / 2);
export const planArb: fc.Arbitrary<MemberPlan> = fc.record({
  records: fc.array(
    fc.record({
      hours: half,
      corrections: fc.array(half, { maxLength: 3 }),
      day: fc.integer({ min: 0, max: 500 }),
      team: fc.integer({ min: 0, max: 2 }),
      community: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 4 },
  ),
  evaluations: fc.array(fc.record({ rating: fc.integer({ min: 0, max: 3 }), day: fc.integer({ min: 0, max: 500 }) }), {
    maxLength: 2,
  }),
  trainings: fc.array(fc.record({ hours: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 0, max: 500 }) }), {
    maxLength: 2,
  }),
});

const T0 = Date.parse('2025-10-01T02:00:00.000Z');
export const dayAt = (d: number, minutes = 0) => new Date(T0 + d * 86_400_000 + minutes * 60_000).toISOString();
const RATINGS = ['poor', 'fair', 'good', 'excellent'] as const;

/** Every image the stream would carry for a member, in order (a record's versions one after another). */
export function imagesOf(memberId: string, plan: MemberPlan): Image[][] {
  const chains: Image[][] = [];
  for (const [i, r] of plan.records.entries()) {
    const community = COMMUNITIES[r.community]!;
    const base = {
      type: 'service-record',
      source: 'activity',
      recordId: `sr-${memberId}-${i}`,
      memberId,
      activityId: `ac-${i}`,
      recordedAt: dayAt(r.day),
      communityId: community,
      streetId: community.startsWith('co-a') ? STREETS[0] : STREETS[1],
      ...(r.team < 2 ? { teamId: TEAMS[r.team] } : {}),
    };
    const chain: Image[] = [{ ...base, hours: r.hours, history: [{ kind: 'created', at: base.recordedAt }] }];
    let hours = r.hours;
    const history: Image[] = [{ kind: 'created', at: base.recordedAt }];
    r.corrections.forEach((after, k) => {
      history.push({
        kind: 'correction-accepted',
        at: dayAt(r.day + 1 + k, 7),
        correctionId: `cr-${i}-${k}`,
        hoursBefore: hours,
        hoursAfter: after,
      });
      hours = after;
      chain.push({ ...base, hours, history: [...history] });
    });
    chains.push(chain);
  }
  for (const [i, v] of plan.evaluations.entries())
    chains.push([
      {
        type: 'evaluation',
        evaluationId: `ev-${memberId}-${i}`,
        memberId,
        rating: RATINGS[v.rating],
        enteredAt: dayAt(v.day, 30),
        streetId: STREETS[0],
        communityId: COMMUNITIES[0],
      },
    ]);
  for (const [i, t] of plan.trainings.entries())
    chains.push([
      {
        type: 'training-entry',
        entryId: `tc-${memberId}-${i}`,
        memberId,
        studyHours: t.hours,
        completedAt: dayAt(t.day, 45),
        streetId: STREETS[1],
        communityId: COMMUNITIES[2],
      },
    ]);
  return chains;
}

/** The replay's facts of an image (no reads: these kinds need none). */
function factsOf(image: Image): LedgerFact[] {
  if (image.type === 'service-record') return recordFacts(image as never);
  if (image.type === 'evaluation') {
    const stars = { excellent: 3, good: 2, fair: 1, poor: 0 }[image.rating as string]!;
    return [
      {
        kind: 'evaluation',
        id: String(image.evaluationId),
        memberId: String(image.memberId),
        at: String(image.enteredAt),
        postedAt: String(image.enteredAt),
        revision: 0,
        units: stars,
        hours: 0,
        place: { streetId: String(image.streetId), communityId: String(image.communityId) },
      },
    ];
  }
  return [
    {
      kind: 'training-completed',
      id: String(image.entryId),
      memberId: String(image.memberId),
      at: String(image.completedAt),
      postedAt: String(image.completedAt),
      revision: 0,
      units: Number(image.studyHours),
      hours: 0,
      place: { streetId: String(image.streetId), communityId: String(image.communityId) },
    },
  ];
}

/**
 * Delivers each member's images through the consumer, each twice, then the first image of each
 * chain again (an old image after the newest), members in parallel (a member's own in order, as a
 * stream shard keeps them); the replay gets the same deliveries.
 */
export async function deliver(
  members: readonly { memberId: string; plan: MemberPlan }[],
  replay: LedgerReplay,
  parallel = 8,
  onDelivery: () => void = () => {},
): Promise<void> {
  const queue = [...members];
  // A delivery that fails (DynamoDB Local's lock timeouts under load) is delivered again, as a
  // stream batch is retried: the consumer is idempotent.
  const send = async (image: Image) => {
    onDelivery();
    for (let attempt = 0; ; attempt++) {
      try {
        await applyChange({ eventName: 'MODIFY', newImage: image });
        return;
      } catch (err) {
        if (attempt >= 5 || (err as { code?: string }).code !== 'UNAVAILABLE') throw err;
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
    }
  };
  const worker = async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      const chains = imagesOf(m.memberId, m.plan);
      for (const chain of chains)
        for (const image of chain) {
          for (const f of factsOf(image)) replay.apply(f);
          await send(image);
          await send(image);
        }
      for (const chain of chains) await send(chain[0]!);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** Differences between the stored ledger of `memberIds` and the replay. */
export async function differences(memberIds: readonly string[], replay: LedgerReplay): Promise<string[]> {
  const out: string[] = [];
  for (const memberId of memberIds) {
    const items = await queryAll({ partition: `LEDGER#${memberId}`, consistent: true });
    const stored = new Map(items.filter((i) => i.type === 'ledger-entry').map((i) => [String(i.entryId), i] as const));
    const expected = [...replay.entries.entries()].filter(([k]) => k.startsWith(`${memberId}|`));
    if (stored.size !== expected.length) out.push(`${memberId}: ${stored.size} entries, expected ${expected.length}`);
    for (const [k, e] of expected) {
      const s = stored.get(k.slice(memberId.length + 1));
      if (!s || Number(s.points) !== e.points || Number(s.hours) !== e.hours)
        out.push(`${k}: stored ${s ? `${s.points}/${s.hours}` : 'nothing'}, expected ${e.points}/${e.hours}`);
    }
    for (const [k, t] of replay.totals) {
      if (!k.startsWith(`${memberId}|`)) continue;
      const row = items.find((i) => i.sk === ledgerTotalKey(memberId, k.split('|')[1]!).sk);
      if (!row || Number(row.points) !== t.points || Number(row.hours) !== t.hours || row.reachedAt !== t.reachedAt)
        out.push(
          `${k}: stored ${row?.points}/${row?.hours}/${row?.reachedAt}, expected ${t.points}/${t.hours}/${t.reachedAt}`,
        );
    }
    const all = items.find((i) => i.sk === 'TOTAL#ALL');
    if (all && Number(all.star) !== replay.star(memberId))
      out.push(`${memberId}: star ${all.star}, expected ${replay.star(memberId)}`);
  }
  return out;
}

/** The replay's ranking (subject ids, best first) of one scope and period. */
export function replayRanking(replay: LedgerReplay, subject: string, scope: string, scopeId: string, period: string) {
  const rows = [...replay.scores]
    .filter(([k]) => {
      const [s, , sc, sid, p] = k.split('|');
      return s === subject && sc === scope && sid === scopeId && p === period;
    })
    .map(([k, t]) => ({ ...t, id: k.split('|')[1]! }));
  return rows.sort(compareRank);
}

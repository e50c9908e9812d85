import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { countAbove, getScore, listStarChanges, topOfRanking } from '../../shared/db/ledger.ts';
import { ledgerTotalKey } from '../../shared/db/keys.ts';
import { getItem, queryAll } from '../../shared/db/table.ts';
import { compareRank, recordFacts, type LedgerFact } from '../../shared/domain/points.ts';
import { applyChange } from '../../shared/services/ledger.ts';
import { LedgerReplay } from '../support/ledger-replay.ts';
import { useFreshTable } from '../support/table.ts';

/**
 * The ledger's invariant, as a property: any members' facts (service records with accepted
 * corrections and revocations, evaluations, trainings), each image delivered twice and older
 * images again after newer ones, as the stream may, leave in the table exactly the ledger the
 * rules give when the facts are replayed in memory (test/support/ledger-replay.ts): the same
 * entries, the same totals per member, year and month, the same stars and the same rankings.
 * (The benchmark `npm run bench -- ledger` runs the same check with 10,000 members.)
 */
const D = LOCAL_DISTRICT_ID;
const STREETS = ['st-a', 'st-b'];
const COMMUNITIES = ['co-a1', 'co-a2', 'co-b1'];
const TEAMS = ['team-x', 'team-y'];

type Image = Record<string, unknown>;

interface MemberPlan {
  readonly records: { hours: number; corrections: number[]; day: number; team: number; community: number }[];
  readonly evaluations: { rating: number; day: number }[];
  readonly trainings: { hours: number; day: number }[];
}

const half = fc.integer({ min: 0, max: 48 }).map((n) => n / 2);
const planArb: fc.Arbitrary<MemberPlan> = fc.record({
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
const dayAt = (d: number, minutes = 0) => new Date(T0 + d * 86_400_000 + minutes * 60_000).toISOString();
const RATINGS = ['poor', 'fair', 'good', 'excellent'] as const;

/** Every image the stream would carry for a member, in order (a record's versions one after another). */
export function imagesOf(memberId: string, plan: MemberPlan): Image[][] {
  const chains: Image[][] = [];
  plan.records.forEach((r, i) => {
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
  });
  plan.evaluations.forEach((v, i) =>
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
    ]),
  );
  plan.trainings.forEach((t, i) =>
    chains.push([
      {
        type: 'training-completion',
        completionId: `tc-${memberId}-${i}`,
        memberId,
        hours: t.hours,
        completedAt: dayAt(t.day, 45),
        streetId: STREETS[1],
        communityId: COMMUNITIES[2],
      },
    ]),
  );
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
      id: String(image.completionId),
      memberId: String(image.memberId),
      at: String(image.completedAt),
      postedAt: String(image.completedAt),
      revision: 0,
      units: Number(image.hours),
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
): Promise<void> {
  const queue = [...members];
  const worker = async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      const chains = imagesOf(m.memberId, m.plan);
      for (const chain of chains)
        for (const image of chain) {
          for (const f of factsOf(image)) replay.apply(f);
          await applyChange({ eventName: 'MODIFY', newImage: image });
          await applyChange({ eventName: 'MODIFY', newImage: image });
        }
      for (const chain of chains) await applyChange({ eventName: 'MODIFY', newImage: chain[0]! });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** Differences between the stored ledger of `memberIds` and the replay. */
export async function differences(memberIds: readonly string[], replay: LedgerReplay): Promise<string[]> {
  const out: string[] = [];
  for (const memberId of memberIds) {
    const items = await queryAll({ partition: `LEDGER#${memberId}`, consistent: true });
    const stored = new Map(
      items.filter((i) => i.type === 'ledger-entry').map((i) => [String(i.entryId), i] as const),
    );
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
        out.push(`${k}: stored ${row?.points}/${row?.hours}/${row?.reachedAt}, expected ${t.points}/${t.hours}/${t.reachedAt}`);
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

describe('the points ledger against a replay of its facts', () => {
  beforeAll(async () => {
    await useFreshTable();
  });

  it('stores exactly the replayed ledger, however often and in whatever order images come', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 5, maxLength: 10 }), async (plans) => {
        run++;
        const members = plans.map((plan, i) => ({ memberId: `m-${run}-${i}`, plan }));
        const replay = new LedgerReplay(D);
        await deliver(members, replay);
        expect(await differences(members.map((m) => m.memberId), replay)).toEqual([]);
      }),
      { numRuns: 2, seed: 1313 },
    );
  }, 300_000);

  it('ranks members and teams as the replay does, and counts who is above a member', async () => {
    // A fresh table: the rankings hold these members only.
    await useFreshTable();
    const members = fc.sample(planArb, { numRuns: 30, seed: 77 }).map((plan, i) => ({ memberId: `r-${i}`, plan }));
    const replay = new LedgerReplay(D);
    await deliver(members, replay);
    for (const period of ['2025', '2026', '2025-11']) {
      const top = await topOfRanking({ subject: 'member', scope: 'district', scopeId: D, period }, 100);
      const expected = replayRanking(replay, 'member', 'district', D, period);
      expect(top.map((r) => [r.subjectId, r.points])).toEqual(
        expected.slice(0, 100).map((r) => [r.id, r.points]),
      );
    }
    const teams = await topOfRanking({ subject: 'team', scope: 'district', scopeId: D, period: '2025' }, 10);
    expect(teams.map((t) => t.subjectId).sort()).toEqual(
      replayRanking(replay, 'team', 'district', D, '2025')
        .map((t) => t.id)
        .sort(),
    );
    // My rank: one more than those above me.
    const community = 'co-a1';
    const ranking = replayRanking(replay, 'member', 'community', community, '2025');
    expect(ranking.length).toBeGreaterThan(5);
    const me = ranking[Math.floor(ranking.length / 2)]!;
    const mine = await getScore({ subject: 'member', subjectId: me.id, scope: 'community', scopeId: community, period: '2025' });
    const above = await countAbove({ subject: 'member', scope: 'community', scopeId: community, period: '2025' }, mine!.rankSk);
    expect(above.count).toBe(ranking.indexOf(me));
  }, 300_000);

  it('a revoked record lowers the points and the star; the change is recorded', async () => {
    const record = (hours: number, history: Image[] = []) => ({
      type: 'service-record',
      source: 'activity',
      recordId: 'sr-star',
      memberId: 'm-star',
      activityId: 'ac-star',
      recordedAt: dayAt(3),
      communityId: 'co-a1',
      streetId: 'st-a',
      hours,
      history: [{ kind: 'created', at: dayAt(3) }, ...history],
    });
    for (let i = 0; i < 5; i++)
      await applyChange({
        eventName: 'INSERT',
        newImage: { ...record(20), recordId: `sr-base-${i}`, recordedAt: dayAt(1 + i) },
      });
    await applyChange({ eventName: 'INSERT', newImage: record(4) }); // 104 h: one star
    const all = () => getItem('LEDGER#m-star', 'TOTAL#ALL', true);
    expect(await all()).toMatchObject({ points: 104, hours: 104, star: 1 });
    const revoked = record(0, [
      { kind: 'correction-accepted', at: dayAt(4), correctionId: 'cr-revoke', hoursBefore: 4, hoursAfter: 0 },
    ]);
    expect(await applyChange({ eventName: 'MODIFY', newImage: revoked })).toEqual({ posted: 2 });
    expect(await applyChange({ eventName: 'MODIFY', newImage: revoked })).toEqual({ posted: 0 });
    expect(await all()).toMatchObject({ points: 100, hours: 100, star: 1 });
    const lower = record(0, [
      { kind: 'correction-accepted', at: dayAt(4), correctionId: 'cr-revoke', hoursBefore: 4, hoursAfter: 0 },
      { kind: 'correction-accepted', at: dayAt(5), correctionId: 'cr-2', hoursBefore: 0, hoursAfter: 0 },
    ]);
    await applyChange({ eventName: 'MODIFY', newImage: { ...lower, recordId: 'sr-base-0', hours: 0 } });
    // sr-base-0 had 20 h and no corrections: its image above is revision 2 (two accepted corrections to 0).
    expect(await all()).toMatchObject({ points: 80, hours: 80, star: 0 });
    const changes = await listStarChanges('m-star');
    expect(changes.map((c) => [c.from, c.to])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const entries = await queryAll({ partition: 'LEDGER#m-star', beginsWith: 'ENTRY#service-record#sr-star#', consistent: true });
    expect(entries.map((e) => [e.effect, e.points])).toEqual([
      ['grant', 4],
      ['grant', 0],
      ['reversal', -4],
    ]);
  });
});

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { countAbove, getScore, listStarChanges, topOfRanking } from '../../shared/db/ledger.ts';
import { getItem, queryAll } from '../../shared/db/table.ts';
import { applyChange } from '../../shared/services/ledger.ts';
import {
  dayAt,
  deliver,
  differences,
  LedgerReplay,
  planArb,
  replayRanking,
  type Image,
} from '../support/ledger-replay.ts';
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
        expect(
          await differences(
            members.map((m) => m.memberId),
            replay,
          ),
        ).toEqual([]);
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
      expect(top.map((r) => [r.subjectId, r.points])).toEqual(expected.slice(0, 100).map((r) => [r.id, r.points]));
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
    const mine = await getScore({
      subject: 'member',
      subjectId: me.id,
      scope: 'community',
      scopeId: community,
      period: '2025',
    });
    const above = await countAbove(
      { subject: 'member', scope: 'community', scopeId: community, period: '2025' },
      mine!.rankSk,
    );
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
    const entries = await queryAll({
      partition: 'LEDGER#m-star',
      beginsWith: 'ENTRY#service-record#sr-star#',
      consistent: true,
    });
    expect(entries.map((e) => [e.effect, e.points])).toEqual([
      ['grant', 4],
      ['grant', 0],
      ['reversal', -4],
    ]);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import { allItems, snapshot } from '../support/inspect.ts';
import { seedRecord } from '../support/records.ts';
import { codeOf } from '../support/callers.ts';
import { measureDb, stopMeasuringDb } from '../../shared/db/client.ts';
import { counterUpdate } from '../../shared/db/counters.ts';
import { placeScopes } from '../../shared/domain/counters.ts';
import { putSnapshot } from '../../shared/db/stats.ts';
import { transact } from '../../shared/db/table.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { ROLLUP_DETAIL_TYPE, type MonthlyRollupFrozen } from '../../shared/domain/rollup.ts';
import { figuresOf } from '../../shared/domain/stats.ts';
import type { Team } from '../../shared/domain/team.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { handler as jobs } from '../../functions/jobs/index.ts';
import { runRollup } from '../../shared/services/stats.ts';

/**
 * The monthly rollup against DynamoDB Local: one immutable snapshot per scope with counters
 * (and always the district's), twice gives identical snapshots, late changes never alter them,
 * a half-finished run is completed, and it reads the counters only.
 */
const D = 'jinjiang';
const events: { detailType: string; detail: MonthlyRollupFrozen }[] = [];
const team = { teamId: 'tm-r1', leaderName: '队长' } as Pick<Team, 'teamId' | 'leaderName'>;

async function bump(
  p: { streetId: string; communityId: string; gridId?: string },
  month: string,
  inc: Record<string, number>,
) {
  await transact(
    placeScopes({ districtId: D, ...p }).map((ref) => counterUpdate(ref, month, inc)),
    () => new DomainError('CONCURRENT_UPDATE', 'x'),
  );
}
const frozenItems = async (month: string) =>
  (await allItems())
    .filter((i) => String(i.sk) === `FROZEN#${month}`)
    .sort((a, b) => String(a.pk).localeCompare(String(b.pk)));

beforeAll(async () => {
  await useFreshTable();
  setPublisher({
    publish: async (detailType, detail) => void events.push({ detailType, detail: detail as MonthlyRollupFrozen }),
  });
  // March 2025: records (as a close writes them) in two streets, and check-ins down to grids.
  freezeClock('2025-03-20T02:00:00.000Z');
  for (let i = 0; i < 3; i++)
    await seedRecord({ memberId: `m-${i}`, team, hours: 2, streetId: 'st-1', communityId: 'co-11' });
  await seedRecord({ memberId: 'm-9', team, hours: 1, streetId: 'st-2', communityId: 'co-21' });
  resetClock();
  await bump({ streetId: 'st-1', communityId: 'co-11', gridId: 'gr-111' }, '2025-03', { checkIns: 2 });
  await bump({ streetId: 'st-1', communityId: 'co-12', gridId: 'gr-121' }, '2025-03', {
    checkIns: 1,
    wishesCompleted: 1,
  });
  await bump({ streetId: 'st-2', communityId: 'co-21' }, '2025-03', { checkIns: 5 });
});
afterEach(() => resetClock());
afterAll(() => setPublisher(undefined));

// district, st-1, st-2, co-11, co-12, co-21, gr-111, gr-121, tm-r1
const SCOPES = 9;

describe('the rollup', () => {
  it('freezes last month by default: a snapshot per scope, the district total, one event; reads only counters', async () => {
    freezeClock('2025-04-01T02:00:00.000+08:00');
    const m = measureDb();
    let r: Awaited<ReturnType<typeof runRollup>>;
    try {
      r = await runRollup({});
    } finally {
      stopMeasuringDb();
    }
    expect(r).toMatchObject({
      month: '2025-03',
      alreadyFrozen: false,
      created: SCOPES,
      existing: 0,
      scopes: SCOPES,
      published: true,
    });
    expect(r.frozenAt).toBe('2025-03-31T18:00:00.000Z');
    // 1 Get (frozen?) + 1 Query per parent (district, 2 streets, 3 communities) + 1 Get (district live) + 1 Put per scope
    // + 1 BatchGetItem of the streets' names, which the event carries for the city.
    expect(m.calls).toBe(1 + 6 + 1 + SCOPES + 1);

    const items = await frozenItems('2025-03');
    expect(items.map((i) => i.pk)).toEqual([
      'STATS#community#co-11',
      'STATS#community#co-12',
      'STATS#community#co-21',
      `STATS#district#${D}`,
      'STATS#grid#gr-111',
      'STATS#grid#gr-121',
      'STATS#street#st-1',
      'STATS#street#st-2',
      'STATS#team#tm-r1',
    ]);
    const d = items.find((i) => i.pk === `STATS#district#${D}`)!;
    expect(d).toMatchObject({
      gsi1pk: 'STATS-FROZEN#2025-03#city#city',
      gsi1sk: `district#${D}`,
      frozenAt: r.frozenAt,
      month: '2025-03',
    });
    expect(d.figures).toMatchObject({ checkIns: 8, volunteerHours: 7, wishesCompleted: 1, activities: 0 });
    expect(items.find((i) => i.pk === 'STATS#grid#gr-121')).toMatchObject({
      gsi1pk: 'STATS-FROZEN#2025-03#community#co-12',
      gsi1sk: 'grid#gr-121',
    });
    expect(items.find((i) => i.pk === 'STATS#team#tm-r1')!.figures).toMatchObject({ volunteerHours: 7 });

    expect(events).toHaveLength(1);
    expect(events[0]!.detailType).toBe(ROLLUP_DETAIL_TYPE);
    expect(events[0]!.detail).toEqual({
      district: D,
      month: '2025-03',
      frozenAt: r.frozenAt,
      figures: d.figures,
      streets: [
        { streetId: 'st-1', figures: items.find((i) => i.pk === 'STATS#street#st-1')!.figures },
        { streetId: 'st-2', figures: items.find((i) => i.pk === 'STATS#street#st-2')!.figures },
      ],
    });
  });

  it('twice changes nothing: identical snapshots, 0 new, the same event again; late changes never alter a snapshot', async () => {
    const before = await frozenItems('2025-03');
    const table = await snapshot();
    freezeClock('2025-04-02T09:00:00.000+08:00');
    const again = await runRollup({ month: '2025-03' });
    expect(again).toMatchObject({
      month: '2025-03',
      alreadyFrozen: true,
      created: 0,
      existing: SCOPES,
      frozenAt: before[0]!.frozenAt,
    });
    expect(await snapshot()).toBe(table);
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual(events[0]);

    // A late change to March, even in a new community: the frozen month stays as it was.
    await bump({ streetId: 'st-2', communityId: 'co-new', gridId: 'gr-new' }, '2025-03', { checkIns: 7 });
    const third = await runRollup({ month: '2025-03' });
    expect(third).toMatchObject({ created: 0, existing: SCOPES });
    expect(await frozenItems('2025-03')).toEqual(before);
  });

  it('a month with nothing still gets a zero snapshot of the district', async () => {
    freezeClock('2025-04-01T02:00:00.000+08:00');
    const r = await runRollup({ month: '2024-11' });
    expect(r).toMatchObject({ created: 1, existing: 0, scopes: 1 });
    const [d] = await frozenItems('2024-11');
    expect(d).toMatchObject({ pk: `STATS#district#${D}`, figures: figuresOf(undefined) });
    expect(events.at(-1)!.detail).toMatchObject({ month: '2024-11', figures: figuresOf(undefined), streets: [] });
  });

  it('finishes a run that stopped half-way, keeping what it had written', async () => {
    await bump({ streetId: 'st-1', communityId: 'co-11' }, '2025-02', { checkIns: 3 });
    await bump({ streetId: 'st-2', communityId: 'co-21' }, '2025-02', { checkIns: 4 });
    // The first run froze st-1 (with 2 check-ins then) and stopped before the rest.
    await putSnapshot({
      scope: 'street',
      id: 'st-1',
      month: '2025-02',
      parentScope: 'district',
      parentId: D,
      frozenAt: '2025-03-01T00:00:00.000Z',
      figures: figuresOf({ checkIns: 2 }),
    });
    freezeClock('2025-03-01T03:00:00.000+08:00');
    const r = await runRollup({});
    expect(r).toMatchObject({ month: '2025-02', created: 4, existing: 1, scopes: 5 });
    const st1 = (await frozenItems('2025-02')).find((i) => i.pk === 'STATS#street#st-1')!;
    expect(st1).toMatchObject({ frozenAt: '2025-03-01T00:00:00.000Z', figures: { checkIns: 2 } });
    expect(events.at(-1)!.detail.streets.find((s) => s.streetId === 'st-1')!.figures.checkIns).toBe(2);
    expect(events.at(-1)!.detail.figures.checkIns).toBe(7);
  });

  it('refuses a month that has not ended and a malformed month, writing nothing', async () => {
    freezeClock('2025-04-15T00:00:00.000Z');
    const table = await snapshot();
    const n = events.length;
    for (const month of ['2025-04', '2025-05', '2025-4', '2025-13', 202503, ''])
      expect(await codeOf(runRollup({ month })), String(month)).toBe('VALIDATION_FAILED');
    expect(await snapshot()).toBe(table);
    expect(events).toHaveLength(n);
  });

  it('runs as the scheduled `rollup` job of the jobs function', async () => {
    freezeClock('2025-04-15T00:00:00.000Z');
    const out = await jobs({ job: 'rollup', args: { month: '2025-03' } });
    expect(out).toMatchObject({ job: 'rollup', month: '2025-03', created: 0, existing: SCOPES, alreadyFrozen: true });
  });
});

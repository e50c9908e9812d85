import { liveCounters } from '../support/counters.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import { seedRecord } from '../support/records.ts';
import { codeOf, who } from '../support/callers.ts';
import { counterUpdate } from '../../shared/db/counters.ts';
import { placeScopes } from '../../shared/domain/counters.ts';
import { communityItem, gridItem, streetItem } from '../../shared/db/places.ts';
import { transact } from '../../shared/db/table.ts';
import { teamItem } from '../../shared/db/teams.ts';
import { putNew } from '../../shared/db/writes.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { COUNTER_NAMES } from '../../shared/domain/stats.ts';
import { BOM } from '../../shared/views/csv.ts';
import type { Team } from '../../shared/domain/team.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import * as svc from '../../shared/services/stats.ts';

/** The statistics read side against DynamoDB Local: live and frozen months, children, names, CSV, public figures. */
const D = 'jinjiang';
const admin = who('district_admin');
const at = '2025-01-01T00:00:00.000Z';
const team: Team = {
  teamId: 'tm-s1',
  name: '红星义诊队',
  category: 'health',
  scope: 'district',
  leaderMemberId: 'lead-1',
  leaderName: '队长',
  status: 'active',
  memberCount: 1,
  createdAt: at,
};

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

const M = '2025-03';
beforeAll(async () => {
  await useFreshTable();
  setPublisher({ publish: async () => {} });
  await putNew(streetItem({ streetId: 'st-a', name: '春熙路街道', createdAt: at }));
  await putNew(streetItem({ streetId: 'st-b', name: '书院街街道', createdAt: at }));
  await putNew(
    communityItem({ communityId: 'co-a', name: '红星社区', streetId: 'st-a', kind: 'urban', createdAt: at }),
  );
  await putNew(
    communityItem({ communityId: 'co-a2', name: '太古里社区', streetId: 'st-a', kind: 'urban', createdAt: at }),
  );
  await putNew(
    communityItem({ communityId: 'co-b', name: '合江亭社区', streetId: 'st-b', kind: 'urban', createdAt: at }),
  );
  await putNew(
    communityItem({ communityId: 'co-quiet', name: '安静社区', streetId: 'st-b', kind: 'rural', createdAt: at }),
  );
  await putNew(gridItem({ gridId: 'gr-a1', communityId: 'co-a', name: '红星一网格', createdAt: at }));
  await putNew(gridItem({ gridId: 'gr-a2', communityId: 'co-a', name: '红星二网格', createdAt: at }));
  await putNew(teamItem(team));
  // Through the write paths' own code: service records as a close writes them (volunteerHours on district, street, community, team).
  freezeClock('2025-03-10T04:00:00.000Z');
  for (let i = 0; i < 6; i++)
    await seedRecord({ memberId: `m-${i}`, team, hours: 2, streetId: 'st-a', communityId: 'co-a' });
  await seedRecord({ memberId: 'm-b', team, hours: 1.5, streetId: 'st-b', communityId: 'co-b' });
  resetClock();
  await bump({ streetId: 'st-a', communityId: 'co-a', gridId: 'gr-a1' }, M, { checkIns: 3, wishesPosted: 1 });
  await bump({ streetId: 'st-a', communityId: 'co-a', gridId: 'gr-a2' }, M, { checkIns: 4 });
  await bump({ streetId: 'st-a', communityId: 'co-a2' }, M, { checkIns: 1 });
  await bump({ streetId: 'st-b', communityId: 'co-b' }, M, {
    checkIns: 9,
    activities: 6,
    volunteerTimes: 7,
    peopleServed: 40,
  });
  await bump({ streetId: 'st-b', communityId: 'co-b' }, '2025-02', { checkIns: 100 });
});
afterEach(() => resetClock());
afterAll(() => setPublisher(undefined));

describe('a live month', () => {
  it("the district: its figures, every counter name, its streets' and team's, with names; not frozen", async () => {
    const s = await svc.monthlyStats(admin, { month: M, scope: 'district', id: D });
    expect(s).toMatchObject({ month: M, scope: 'district', id: D, name: '锦江区', frozen: false });
    expect(s.frozenAt).toBeUndefined();
    expect(Object.keys(s.figures).sort()).toEqual([...COUNTER_NAMES].sort());
    expect(s.figures).toMatchObject({
      checkIns: 17,
      volunteerHours: 13.5,
      activities: 6,
      peopleServed: 40,
      wishesPosted: 1,
      ratingSum: 0,
    });
    expect(s.children.map((c) => [c.scope, c.id, c.name])).toEqual([
      ['street', 'st-a', '春熙路街道'],
      ['street', 'st-b', '书院街街道'],
      ['team', 'tm-s1', '红星义诊队'],
    ]);
    expect(s.children.find((c) => c.id === 'st-a')!.figures).toMatchObject({ checkIns: 8, volunteerHours: 12 });
    expect(s.children.find((c) => c.id === 'tm-s1')!.figures).toMatchObject({ volunteerHours: 13.5, checkIns: 0 });
  });

  it('a street lists its communities; a community its grids; a grid and a team none', async () => {
    const street = await svc.monthlyStats(admin, { month: M, scope: 'street', id: 'st-a' });
    expect(street.children.map((c) => [c.id, c.name, c.figures.checkIns])).toEqual([
      ['co-a', '红星社区', 7],
      ['co-a2', '太古里社区', 1],
    ]);
    const community = await svc.monthlyStats(admin, { month: M, scope: 'community', id: 'co-a' });
    expect(community.figures).toMatchObject({ checkIns: 7, volunteerHours: 12 });
    expect(community.children.map((c) => [c.scope, c.id, c.name, c.figures.checkIns])).toEqual([
      ['grid', 'gr-a1', '红星一网格', 3],
      ['grid', 'gr-a2', '红星二网格', 4],
    ]);
    const grid = await svc.monthlyStats(admin, { month: M, scope: 'grid', id: 'gr-a1', communityId: 'co-a' });
    expect(grid).toMatchObject({ name: '红星一网格', figures: { checkIns: 3, wishesPosted: 1 }, children: [] });
    const t = await svc.monthlyStats(who('team_leader', { memberId: 'lead-1', teamId: 'tm-s1' }), {
      month: M,
      scope: 'team',
      id: 'tm-s1',
    });
    expect(t).toMatchObject({ name: '红星义诊队', figures: { volunteerHours: 13.5 }, children: [] });
  });

  it('a scope without counters that month is all zeros, with no children', async () => {
    const s = await svc.monthlyStats(admin, { month: '2024-07', scope: 'community', id: 'co-quiet' });
    expect(s.frozen).toBe(false);
    expect(Object.values(s.figures).every((v) => v === 0)).toBe(true);
    expect(s.children).toEqual([]);
  });

  it('unknown scopes are 404, a grid needs its community, and scope rules hold', async () => {
    expect(await codeOf(svc.monthlyStats(admin, { month: M, scope: 'district', id: 'shuangliu' }))).toBe('NOT_FOUND');
    expect(await codeOf(svc.monthlyStats(admin, { month: M, scope: 'street', id: 'st-none' }))).toBe('NOT_FOUND');
    expect(await codeOf(svc.monthlyStats(admin, { month: M, scope: 'team', id: 'tm-none' }))).toBe('NOT_FOUND');
    expect(await codeOf(svc.monthlyStats(admin, { month: M, scope: 'grid', id: 'gr-a1', communityId: 'co-b' }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(svc.monthlyStats(admin, { month: M, scope: 'grid', id: 'gr-a1' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(svc.monthlyStats(admin, { month: M, scope: 'street', id: 'st-a', communityId: 'co-a' }))).toBe(
      'VALIDATION_FAILED',
    );
    const ca = who('community_admin', { communityId: 'co-a' });
    expect(await codeOf(svc.monthlyStats(ca, { month: M, scope: 'grid', id: 'gr-a2', communityId: 'co-a' }))).toBe(
      'ok',
    );
    expect(await codeOf(svc.monthlyStats(ca, { month: M, scope: 'community', id: 'co-b' }))).toBe('FORBIDDEN');
    expect(await codeOf(svc.monthlyStats(ca, { month: M, scope: 'street', id: 'st-a' }))).toBe('FORBIDDEN');
    const sa = who('street_admin', { streetId: 'st-b' });
    expect(await codeOf(svc.monthlyStats(sa, { month: M, scope: 'community', id: 'co-b' }))).toBe('ok');
    expect(await codeOf(svc.monthlyStats(sa, { month: M, scope: 'street', id: 'st-a' }))).toBe('FORBIDDEN');
    expect(await codeOf(svc.monthlyStats(sa, { month: M, scope: 'team', id: 'tm-s1' }))).toBe('FORBIDDEN');
  });
});

describe('CSV', () => {
  it("one row per child, then the scope's total; BOM, CRLF, Chinese names", async () => {
    const out = await svc.monthlyCsv(admin, { month: M, scope: 'district', id: D });
    expect(out.fileName).toBe(`pioneer-${D}-${M}-district-${D}.csv`);
    expect(out.csv.startsWith(BOM)).toBe(true);
    const lines = out.csv.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => l.split(',').slice(0, 4))).toEqual([
      ['scope', 'id', 'name', 'checkIns'],
      ['street', 'st-a', '春熙路街道', '8'],
      ['street', 'st-b', '书院街街道', '9'],
      ['team', 'tm-s1', '红星义诊队', '0'],
      ['district', D, '锦江区', '17'],
    ]);
  });
});

describe('frozen against live', () => {
  it('after the rollup a month shows its snapshot, and a late change moves the live counter only', async () => {
    freezeClock('2025-04-01T00:00:00.000+08:00');
    const r = await svc.runRollup({});
    expect(r).toMatchObject({ month: M, alreadyFrozen: false, existing: 0 });
    // A change that lands in March after the freeze (only a clock at the month's edge could do it).
    await bump({ streetId: 'st-a', communityId: 'co-a', gridId: 'gr-a1' }, M, { checkIns: 50 });
    const s = await svc.monthlyStats(admin, { month: M, scope: 'street', id: 'st-a' });
    expect(s).toMatchObject({ frozen: true, frozenAt: r.frozenAt, figures: { checkIns: 8 } });
    expect(s.children.map((c) => [c.id, c.name, c.figures.checkIns])).toEqual([
      ['co-a', '红星社区', 7],
      ['co-a2', '太古里社区', 1],
    ]);
    const live = await liveCounters('street', 'st-a', M);
    expect(live.checkIns).toBe(58);
    const grids = await svc.monthlyStats(admin, { month: M, scope: 'community', id: 'co-a' });
    expect(grids.children.map((c) => c.figures.checkIns)).toEqual([3, 4]);
    // A scope with no counters in a frozen month: zeros, frozen.
    const quiet = await svc.monthlyStats(admin, { month: M, scope: 'community', id: 'co-quiet' });
    expect(quiet).toMatchObject({ frozen: true, frozenAt: r.frozenAt, figures: { checkIns: 0 }, children: [] });
    // Another month stays live.
    expect((await svc.monthlyStats(admin, { month: '2025-02', scope: 'district', id: D })).frozen).toBe(false);
  });
});

describe('public figures', () => {
  it('the district and every community, counts under 5 as "<5", no names of people', async () => {
    const p = await svc.publicStats('2025-03');
    expect(p).toMatchObject({
      month: '2025-03',
      frozen: true,
      suppressedBelow: 5,
      district: { id: D, name: '锦江区' },
    });
    // Frozen: the snapshot (17 check-ins), not the live 67.
    expect(p.district.figures).toEqual({
      activities: 6,
      volunteerTimes: 7,
      volunteerHours: 13.5,
      peopleServed: 40,
      wishesCompleted: '<5',
      checkIns: 17,
    });
    const byId = Object.fromEntries(p.communities.map((c) => [c.id, c]));
    expect(Object.keys(byId).sort()).toEqual(['co-a', 'co-a2', 'co-b', 'co-quiet']);
    expect(byId['co-a']!.figures).toMatchObject({ checkIns: 7, volunteerTimes: '<5', volunteerHours: '<5' });
    expect(byId['co-a2']!.figures.checkIns).toBe('<5');
    expect(byId['co-b']!.figures).toMatchObject({ checkIns: 9, activities: 6, volunteerTimes: 7, volunteerHours: 1.5 });
    expect(Object.values(byId['co-quiet']!.figures).every((v) => v === '<5')).toBe(true);
  });

  it('defaults to the current month (Asia/Shanghai), live', async () => {
    freezeClock('2025-02-28T16:30:00.000Z'); // 2025-03-01 00:30 in Shanghai
    const p = await svc.publicStats(undefined);
    expect(p.month).toBe('2025-03');
    freezeClock('2025-02-15T00:00:00.000Z');
    const feb = await svc.publicStats(undefined);
    expect(feb).toMatchObject({ month: '2025-02', frozen: false });
    expect(feb.communities.find((c) => c.id === 'co-b')!.figures.checkIns).toBe(100);
  });
});

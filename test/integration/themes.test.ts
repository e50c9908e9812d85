import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import { allItems } from '../support/inspect.ts';
import * as people from '../../shared/services/members.ts';
import * as teamsSvc from '../../shared/services/teams.ts';
import * as svc from '../../shared/services/themes.ts';
import * as activitiesSvc from '../../shared/services/activities.ts';
import { getTeam } from '../../shared/db/teams.ts';
import { handler as jobs } from '../../functions/jobs/index.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { codeOf, who } from '../support/callers.ts';

/** Monthly themes and the kickoff job against DynamoDB Local (no mocks). Each test has its own table. */
const district = who('district_admin');
const city = who('city_admin');

let n = 0;
async function team(kind: 'community' | 'street' | 'none' = 'community') {
  const street = await people.createStreet(district, { name: `街道${++n}` });
  const community = await people.createCommunity(district, {
    name: `社区${n}`,
    streetId: street.streetId,
    kind: 'urban',
    address: `${n}号`,
  });
  const lead = who('member', { memberId: `lead-${process.pid}-${++n}` });
  await people.createMember(lead, { name: '队长', phone: '13912345678', skills: [], categories: [] });
  const place =
    kind === 'community'
      ? { scope: 'community' as const, communityId: community.communityId }
      : kind === 'street'
        ? { scope: 'street' as const, streetId: street.streetId }
        : { scope: 'cross-region' as const };
  const t = await teamsSvc.createTeam(district, {
    name: `服务队${n}`,
    category: 'health',
    leaderMemberId: lead.memberId,
    ...place,
  });
  return { ...t, community };
}

const theme = (kickoffDate: string, extra: Partial<Parameters<typeof svc.setTheme>[2]> = {}) => ({
  title: '垃圾分类月',
  description: '推进垃圾分类进社区',
  kickoffDate,
  suggestedCategories: ['garbage-sorting' as const],
  expectedTeamIds: [],
  plannedFlagGrants: [],
  ...extra,
});

const activities = async () => (await allItems()).filter((i) => i.type === 'activity');
const kickoff = (date?: string) => svc.runKickoff({ date });

beforeEach(async () => {
  await useFreshTable();
});
afterEach(() => resetClock());

describe('setting themes', () => {
  it('city plan and district override: both stored, the district one applies', async () => {
    const c = await svc.setTheme(city, '2026-03', theme('2026-03-05'));
    expect(c).toMatchObject({ source: 'city', status: 'planned', applies: true, month: '2026-03' });
    const d = await svc.setTheme(district, '2026-03', theme('2026-03-12', { title: '锦江区主题' }));
    expect(d).toMatchObject({ source: 'district', applies: true });
    const again = await svc.setTheme(city, '2026-03', theme('2026-03-06', { title: '城市计划（修订）' }));
    expect(again.applies).toBe(false);
    expect(again.createdAt).toBe(c.createdAt);
    expect((await allItems()).filter((i) => i.type === 'theme')).toHaveLength(2);

    await svc.setTheme(city, '2026-12', theme('2026-12-05'));
    const plan = await svc.getYearPlan(2026);
    expect(plan.months).toHaveLength(12);
    expect(plan.months[2]!.theme).toMatchObject({ source: 'district', title: '锦江区主题' });
    expect(plan.months[11]!.theme).toMatchObject({ source: 'city', kickoffDate: '2026-12-05' });
    expect(plan.months.filter((m) => m.theme === null)).toHaveLength(10);
    expect((await svc.getYearPlan(2027)).months.every((m) => m.theme === null)).toBe(true);
  });

  it('the current theme is this month’s in Asia/Shanghai', async () => {
    await svc.setTheme(city, '2026-04', theme('2026-04-02', { title: '四月' }));
    freezeClock('2026-03-31T15:59:00Z'); // 23:59 on 31 March in Shanghai
    expect(await codeOf(svc.getCurrentTheme())).toBe('NOT_FOUND');
    freezeClock('2026-03-31T16:00:00Z'); // 00:00 on 1 April in Shanghai
    expect((await svc.getCurrentTheme()).title).toBe('四月');
    expect((await svc.getYearPlan(undefined)).year).toBe(2026);
  });

  it('refuses a kickoff date outside the month, unknown teams, and other roles; writes nothing', async () => {
    const t = await team();
    const before = (await allItems()).length;
    expect(await codeOf(svc.setTheme(city, '2026-03', theme('2026-04-01')))).toBe('VALIDATION_FAILED');
    expect(
      await codeOf(svc.setTheme(city, '2026-03', theme('2026-03-05', { expectedTeamIds: [t.teamId, 'team-none'] }))),
    ).toBe('UNKNOWN_TEAM');
    expect(await codeOf(svc.setTheme(city, '2026-03', theme('2026-03-05', { plannedFlagGrants: ['team-none'] })))).toBe(
      'UNKNOWN_TEAM',
    );
    expect(await codeOf(svc.setTheme(who('community_admin'), '2026-03', theme('2026-03-05')))).toBe('FORBIDDEN');
    expect((await allItems()).length).toBe(before);
  });
});

describe('the kickoff job', () => {
  it('does nothing on a day that is not the kickoff date, or with no theme', async () => {
    await team();
    expect(await kickoff('2026-03-05')).toMatchObject({ kickedOff: false, created: 0, themeMonth: '2026-03' });
    await svc.setTheme(city, '2026-03', theme('2026-03-05'));
    for (const day of ['2026-03-04', '2026-03-06', '2026-04-05'])
      expect(await kickoff(day)).toMatchObject({ kickedOff: false, created: 0, existing: 0 });
    expect(await activities()).toEqual([]);
    expect((await svc.getYearPlan(2026)).months[2]!.theme?.status).toBe('planned');
  });

  it('creates the expected teams’ service-day activities, once; again the same or next day adds nothing', async () => {
    const a = await team();
    const b = await team();
    const notExpected = await team();
    void notExpected;
    await svc.setTheme(city, '2026-12', theme('2026-12-05', { expectedTeamIds: [a.teamId, b.teamId] }));
    const first = await kickoff('2026-12-05');
    expect(first).toMatchObject({
      kickedOff: true,
      source: 'city',
      themeMonth: '2026-12',
      created: 2,
      existing: 0,
      skipped: 0,
    });
    const items = await activities();
    expect(items.map((i) => i.activityId).sort()).toEqual([`sd-202612-${a.teamId}`, `sd-202612-${b.teamId}`].sort());
    const act = items.find((i) => i.teamId === a.teamId)!;
    expect(act).toMatchObject({
      pk: `ACTIVITY#sd-202612-${a.teamId}`,
      sk: 'ACTIVITY',
      kind: 'service-day',
      themeMonth: '2026-12',
      startsAt: '2026-12-05T01:00:00.000Z',
      endsAt: '2026-12-05T04:00:00.000Z',
      capacity: 30,
      communityId: a.community.communityId,
      streetId: a.community.streetId,
      address: a.community.address,
      teamName: a.name,
      leaderMemberId: a.leaderMemberId,
      category: 'health',
      status: 'open',
      confirmedCount: 0,
      waitlistedCount: 0,
    });
    const snapshot = JSON.stringify(items);
    expect(await kickoff('2026-12-05')).toMatchObject({ kickedOff: true, created: 0, existing: 2 });
    expect(await kickoff('2026-12-06')).toMatchObject({ kickedOff: false, created: 0, existing: 0 });
    expect(JSON.stringify(await activities())).toBe(snapshot);
    const marked = (await svc.getYearPlan(2026)).months[11]!.theme!;
    expect(marked.status).toBe('kicked-off');
    expect(await codeOf(svc.setTheme(city, '2026-12', theme('2026-12-06')))).toBe('THEME_ALREADY_KICKED_OFF');
    expect(await codeOf(svc.setTheme(district, '2026-12', theme('2026-12-20')))).toBe('THEME_ALREADY_KICKED_OFF');
  });

  it('with no expected teams, serves every active team; a street team in its street’s first community; a team with no place is skipped', async () => {
    const a = await team('community');
    const s = await team('street');
    const none = await team('none');
    await svc.setTheme(district, '2026-06', theme('2026-06-10'));
    const r = await kickoff('2026-06-10');
    expect(r).toMatchObject({ kickedOff: true, source: 'district', created: 2, existing: 0, skipped: 1 });
    expect(r.skippedTeams).toEqual([{ teamId: none.teamId, reason: expect.any(String) }]);
    const items = await activities();
    expect(items.map((i) => i.teamId).sort()).toEqual([a.teamId, s.teamId].sort());
    expect(items.find((i) => i.teamId === s.teamId)).toMatchObject({ communityId: s.community.communityId });
    expect(await kickoff('2026-06-10')).toMatchObject({ created: 0, existing: 2, skipped: 1 });
  });

  it('gives each service day a place: the community’s address (else its name), which the leader can change', async () => {
    freezeClock('2026-12-01T02:00:00.000Z');
    const withAddress = await team();
    const noAddress = await team();
    // A community registered without an address: the service day used to have no place at all.
    const bare = await people.createCommunity(district, {
      name: `无地址社区${n}`,
      streetId: noAddress.community.streetId,
      kind: 'urban',
    });
    const lead = who('member', { memberId: `lead-${process.pid}-${++n}` });
    await people.createMember(lead, { name: '队长', phone: '13912345678', skills: [], categories: [] });
    const t = await teamsSvc.createTeam(district, {
      name: `服务队${n}`,
      category: 'health',
      leaderMemberId: lead.memberId,
      scope: 'community',
      communityId: bare.communityId,
    });
    await svc.setTheme(district, '2026-12', theme('2026-12-05', { expectedTeamIds: [withAddress.teamId, t.teamId] }));
    expect(await kickoff('2026-12-05')).toMatchObject({ created: 2 });
    const items = await activities();
    expect(items.find((i) => i.teamId === withAddress.teamId)).toMatchObject({
      address: withAddress.community.address,
      communityName: withAddress.community.name,
    });
    expect(items.find((i) => i.teamId === t.teamId)).toMatchObject({ address: bare.name, communityName: bare.name });
    // The leader sets the precise place through PATCH /activities/{activityId}.
    const leader = who('team_leader', { memberId: lead.memberId, teamId: t.teamId });
    const edited = await activitiesSvc.editActivity(leader, `sd-202612-${t.teamId}`, { address: '社区广场东侧' });
    expect(edited.address).toBe('社区广场东侧');
    expect((await activities()).find((i) => i.teamId === t.teamId)).toMatchObject({ address: '社区广场东侧' });
  });

  it('records the planned flag grants once, and never over an earlier grant', async () => {
    const a = await team();
    const b = await team();
    await teamsSvc.grantFlag(district, b.teamId, { date: '2026-01-15' });
    await svc.setTheme(
      city,
      '2026-07',
      theme('2026-07-01', { expectedTeamIds: [a.teamId], plannedFlagGrants: [a.teamId, b.teamId] }),
    );
    expect(await kickoff('2026-07-01')).toMatchObject({ flagsGranted: 1, flagsAlreadyGranted: 1, created: 1 });
    expect(await getTeam(a.teamId, true)).toMatchObject({
      flagGrantedOn: '2026-07-01',
      flagGrantedAtKickoff: '2026-07',
    });
    expect(await getTeam(b.teamId, true)).toMatchObject({ flagGrantedOn: '2026-01-15' });
    expect((await getTeam(b.teamId, true))?.flagGrantedAtKickoff).toBeUndefined();
    expect(await kickoff('2026-07-01')).toMatchObject({ flagsGranted: 0, flagsAlreadyGranted: 2, created: 0 });
  });

  it('a district theme moves the kickoff to its own date', async () => {
    await team();
    await svc.setTheme(city, '2026-09', theme('2026-09-05'));
    await svc.setTheme(district, '2026-09', theme('2026-09-20'));
    expect(await kickoff('2026-09-05')).toMatchObject({ kickedOff: false, created: 0 });
    expect(await kickoff('2026-09-20')).toMatchObject({ kickedOff: true, source: 'district', created: 1 });
    const months = (await allItems()).filter((i) => i.type === 'theme');
    expect(months.map((t) => `${t.source}:${t.status}`).sort()).toEqual(['city:planned', 'district:kicked-off']);
  });

  it('concurrent runs create each activity exactly once', async () => {
    const ts = await Promise.all([team(), team(), team()]);
    await svc.setTheme(city, '2026-10', theme('2026-10-08'));
    const runs = await Promise.all(Array.from({ length: 5 }, () => kickoff('2026-10-08')));
    expect(runs.reduce((s, r) => s + r.created, 0)).toBe(3);
    expect(runs.reduce((s, r) => s + r.created + r.existing, 0)).toBe(15);
    expect((await activities()).map((i) => i.teamId).sort()).toEqual(ts.map((t) => t.teamId).sort());
  });

  it('runs through the jobs function, by default for today in Asia/Shanghai', async () => {
    await team();
    await svc.setTheme(city, '2026-11', theme('2026-11-02'));
    freezeClock('2026-11-01T16:05:00Z'); // 00:05 on 2 November in Shanghai
    const r = await jobs({ job: 'kickoff', args: {} });
    expect(r).toMatchObject({ job: 'kickoff', date: '2026-11-02', kickedOff: true, created: 1 });
    expect(await jobs({ job: 'kickoff', args: { date: '2026-11-02' } })).toMatchObject({ created: 0, existing: 1 });
    await expect(jobs({ job: 'kickoff', args: { date: '2026-11-31' } })).rejects.toThrow(/YYYY-MM-DD/);
  });
});

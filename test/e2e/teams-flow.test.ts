import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { allItems } from '../support/inspect.ts';
import { client, tokenFor, uniq } from '../support/client.ts';
import { monthOf } from '../../shared/domain/time.ts';

/**
 * Teams and monthly themes over HTTP through the local API Gateway emulator: register a team,
 * join and approve, flag grant; set the year plan, run the kickoff job (twice), read the
 * current theme. Plus the races: one member joining 20 times at once, 20 approvals at once.
 */
let server: { url: string; close(): Promise<void> };
let api: ReturnType<typeof client>;
const t: Record<string, string> = {};
const ids = { street: '', community: '', leader: '', team: '' };

async function newMember(name = '成员') {
  const memberId = uniq('m');
  const token = await tokenFor({ role: 'member', memberId });
  expect((await api.post('/members', token, { name, phone: '13912345678' })).status).toBe(201);
  return { memberId, token };
}

beforeAll(async () => {
  server = await startTestServer();
  api = client(server.url);
  t.district = await tokenFor({ role: 'district_admin' });
  t.city = await tokenFor({ role: 'city_admin' });
  ids.street = (await api.post('/streets', t.district, { name: '春熙路街道' })).body.streetId;
  ids.community = (await api.post('/communities', t.district, { name: '和平社区', streetId: ids.street, address: '和平街1号' })).body.communityId;
  ids.leader = (await newMember('王队长')).memberId;
});
afterAll(async () => {
  await server?.close();
});

describe('teams, end to end', () => {
  it('a district admin registers a team; anyone signed in lists and reads it', async () => {
    const body = { name: '法律援助志愿服务队', category: 'legal-aid', scope: 'community', communityId: ids.community, leaderMemberId: ids.leader };
    const key = uniq('team-key');
    const res = await api.post('/teams', t.district, body, { 'idempotency-key': key });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, streetId: ids.street, leaderName: '王队长', memberCount: 1, status: 'active' });
    ids.team = res.body.teamId;
    const replay = await api.post('/teams', t.district, body, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.body.teamId).toBe(ids.team);
    t.leader = await tokenFor({ role: 'team_leader', memberId: ids.leader, teamId: ids.team });

    const member = await tokenFor({ role: 'member', memberId: uniq('reader') });
    expect((await api.get(`/teams/${ids.team}`, member)).body).toEqual(res.body);
    const list = await api.get('/teams?category=legal-aid&limit=5', member);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { teamId: string }) => x.teamId)).toEqual([ids.team]);
    expect((await api.get('/teams?category=health', member)).body.items).toEqual([]);
    expect((await api.get('/teams/team-none', member)).status).toBe(404);
    expect((await api.post('/teams', t.district, { ...body, leaderMemberId: 'nobody' })).body.code).toBe('UNKNOWN_MEMBER');
  });

  it('members ask to join; the leader sees the requests, approves one, rejects another', async () => {
    const a = await newMember('甲');
    const b = await newMember('乙');
    const joined = await api.post(`/teams/${ids.team}/join`, a.token);
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ teamId: ids.team, memberId: a.memberId, status: 'pending', memberName: '甲' });
    expect((await api.post(`/teams/${ids.team}/join`, a.token)).body.code).toBe('JOIN_ALREADY_PENDING');
    await api.post(`/teams/${ids.team}/join`, b.token);
    const pending = await api.get(`/teams/${ids.team}/members?status=pending`, t.leader);
    expect(pending.status).toBe(200);
    expect(pending.body.items.map((x: { memberId: string }) => x.memberId)).toEqual([a.memberId, b.memberId]);

    const ok = await api.post(`/teams/${ids.team}/members/${a.memberId}/approve`, t.leader);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('active');
    const no = await api.post(`/teams/${ids.team}/members/${b.memberId}/reject`, t.leader, { reason: '请先完成岗前培训' });
    expect(no.body).toMatchObject({ status: 'rejected', reason: '请先完成岗前培训' });
    expect((await api.post(`/teams/${ids.team}/members/${a.memberId}/approve`, t.leader)).body.code).toBe('JOIN_NOT_PENDING');
    expect((await api.post(`/teams/${ids.team}/join`, a.token)).body.code).toBe('ALREADY_TEAM_MEMBER');

    expect((await api.get(`/teams/${ids.team}`, t.district)).body.memberCount).toBe(2);
    const roster = await api.get(`/teams/${ids.team}/members`, t.district);
    expect(roster.body.items.map((x: { memberId: string }) => x.memberId).sort()).toEqual([ids.leader, a.memberId].sort());
  });

  it('the flag grant is recorded once', async () => {
    const res = await api.post(`/teams/${ids.team}/flag-grant`, t.district, { date: '2026-03-05', kickoffMonth: '2026-03' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ flagGrantedOn: '2026-03-05', flagGrantedAtKickoff: '2026-03' });
    const again = await api.post(`/teams/${ids.team}/flag-grant`, t.city, { date: '2026-04-01' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('FLAG_ALREADY_GRANTED');
  });
});

describe('monthly themes and the kickoff, end to end', () => {
  it('the city plans the year, the district overrides a month, the kickoff job creates the service day once', async () => {
    const second = (await api.post('/teams', t.district, { name: '健康服务队', category: 'health', scope: 'street', streetId: ids.street, leaderMemberId: ids.leader })).body;
    const theme = { title: '垃圾分类宣传月', description: '垃圾分类进社区', kickoffDate: '2027-12-05', suggestedCategories: ['garbage-sorting'] };
    const city = await api.put('/themes/2027-12', t.city, theme);
    expect(city.status).toBe(200);
    expect(city.body).toMatchObject({ source: 'city', applies: true, status: 'planned', expectedTeamIds: [], plannedFlagGrants: [] });
    const own = await api.put('/themes/2027-12', t.district, {
      ...theme,
      title: '锦江区：文明城市',
      kickoffDate: '2027-12-12',
      expectedTeamIds: [ids.team, second.teamId],
      plannedFlagGrants: [second.teamId],
    });
    expect(own.body).toMatchObject({ source: 'district', applies: true });
    const cityAgain = await api.put('/themes/2027-12', t.city, { ...theme, title: '垃圾分类（修订）' });
    expect(cityAgain.body.applies).toBe(false);

    const plan = await api.get('/themes?year=2027', t.district);
    expect(plan.status).toBe(200);
    expect(plan.body.months).toHaveLength(12);
    expect(plan.body.months[11].theme).toMatchObject({ source: 'district', title: '锦江区：文明城市' });
    expect(plan.body.months.slice(0, 11).every((m: { theme: unknown }) => m.theme === null)).toBe(true);

    const before = (await allItems()).filter((i) => i.type === 'activity').length;
    const notToday = await api.post('/_local/jobs/kickoff', undefined, { date: '2027-12-05' });
    expect(notToday.status).toBe(200);
    expect(notToday.body).toMatchObject({ kickedOff: false, created: 0 });

    const run = await api.post('/_local/jobs/kickoff', undefined, { date: '2027-12-12' });
    expect(run.body).toMatchObject({ job: 'kickoff', themeMonth: '2027-12', kickedOff: true, source: 'district', created: 2, existing: 0, skipped: 0, flagsGranted: 1 });
    const twice = await api.post('/_local/jobs/kickoff', undefined, { date: '2027-12-12' });
    expect(twice.body).toMatchObject({ created: 0, existing: 2, flagsGranted: 0, flagsAlreadyGranted: 1 });
    const nextDay = await api.post('/_local/jobs/kickoff', undefined, { date: '2027-12-13' });
    expect(nextDay.body).toMatchObject({ kickedOff: false, created: 0 });
    const acts = (await allItems()).filter((i) => i.type === 'activity');
    expect(acts.length - before).toBe(2);
    expect(acts.filter((a) => a.kind === 'service-day').map((a) => a.activityId).sort()).toEqual(
      [`sd-202712-${ids.team}`, `sd-202712-${second.teamId}`].sort(),
    );
    expect((await api.get(`/teams/${second.teamId}`, t.district)).body).toMatchObject({ flagGrantedOn: '2027-12-12', flagGrantedAtKickoff: '2027-12' });

    const late = await api.put('/themes/2027-12', t.city, theme);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('THEME_ALREADY_KICKED_OFF');
    expect((await api.get('/themes?year=2027', t.district)).body.months[11].theme.status).toBe('kicked-off');
  });

  it('the current theme is the one of this month in Asia/Shanghai, else 404', async () => {
    const member = await tokenFor({ role: 'member', memberId: uniq('reader') });
    // The test runs at real time: pick the month that applies now (Shanghai), unless near a month's edge.
    const month = monthOf(new Date());
    if (monthOf(new Date(Date.now() + 60_000)) !== month) return;
    expect((await api.get('/themes/current', member)).status).toBe(404);
    const res = await api.put(`/themes/${month}`, t.city, { title: '本月主题', description: '说明', kickoffDate: `${month}-28` });
    expect(res.status).toBe(200);
    const current = await api.get('/themes/current', member);
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ month, title: '本月主题', source: 'city' });
  });
});

describe('races', () => {
  it('20 concurrent join requests by one member leave exactly one pending request', async () => {
    const m = await newMember();
    const results = await Promise.all(Array.from({ length: 20 }, () => api.post(`/teams/${ids.team}/join`, m.token)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect(results.every((r) => r.status < 500)).toBe(true);
    const stored = (await allItems()).filter((i) => i.type === 'team-member' && i.memberId === m.memberId);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe('pending');
  });

  it('20 concurrent approvals of different members leave memberCount exact', async () => {
    const before = (await api.get(`/teams/${ids.team}`, t.district)).body.memberCount as number;
    const ms = await Promise.all(Array.from({ length: 20 }, () => newMember()));
    for (const m of ms) expect((await api.post(`/teams/${ids.team}/join`, m.token)).status).toBe(201);
    const results = await Promise.all(ms.map((m) => api.post(`/teams/${ids.team}/members/${m.memberId}/approve`, t.leader)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const after = (await api.get(`/teams/${ids.team}`, t.district)).body.memberCount;
    expect(after).toBe(before + 20);
    const active = (await allItems()).filter((i) => i.type === 'team-member' && i.teamId === ids.team && i.status === 'active');
    expect(active).toHaveLength(after);
  });
});

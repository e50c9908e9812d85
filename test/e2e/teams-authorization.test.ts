import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { snapshot } from '../support/inspect.ts';
import { client, tokenFor, uniq } from '../support/client.ts';
import { badInputFailures, deniedFailures, type Attempt } from '../support/matrix.ts';

/**
 * The teams routes against outsiders and bad input. Authorization: a member cannot register
 * teams, another team's leader cannot decide this team's join requests, a community admin of
 * elsewhere cannot see its roster... each gets 401, 403 or 404. Bad input: 4xx problem+json,
 * never a 5xx. Either way nothing in the table changes.
 */
let server: { url: string; close(): Promise<void> };
let api: ReturnType<typeof client>;
const ids = { streetA: '', streetB: '', communityA: '', communityB: '', leaderA: '', leaderB: '', teamA: '', teamB: '', pending: '', member: '' };
const t: Record<string, string> = {};

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
  ids.streetA = (await api.post('/streets', t.district, { name: 'A街道' })).body.streetId;
  ids.streetB = (await api.post('/streets', t.district, { name: 'B街道' })).body.streetId;
  ids.communityA = (await api.post('/communities', t.district, { name: 'A社区', streetId: ids.streetA })).body.communityId;
  ids.communityB = (await api.post('/communities', t.district, { name: 'B社区', streetId: ids.streetB })).body.communityId;
  ids.leaderA = (await newMember('A队长')).memberId;
  ids.leaderB = (await newMember('B队长')).memberId;
  const mk = async (communityId: string, leaderMemberId: string) =>
    (await api.post('/teams', t.district, { name: '服务队', category: 'health', scope: 'community', communityId, leaderMemberId })).body.teamId as string;
  ids.teamA = await mk(ids.communityA, ids.leaderA);
  ids.teamB = await mk(ids.communityB, ids.leaderB);
  const p = await newMember();
  ids.pending = p.memberId;
  expect((await api.post(`/teams/${ids.teamA}/join`, p.token)).status).toBe(201);
  const m = await newMember();
  ids.member = m.memberId;
  t.member = m.token;
  t.fresh = await tokenFor({ role: 'member', memberId: uniq('fresh') });
  t.resident = await tokenFor({ role: 'resident', sub: uniq('r') });
  t.leaderA = await tokenFor({ role: 'team_leader', memberId: ids.leaderA, teamId: ids.teamA });
  t.leaderB = await tokenFor({ role: 'team_leader', memberId: ids.leaderB, teamId: ids.teamB });
  t.leaderBClaimingA = await tokenFor({ role: 'team_leader', memberId: ids.leaderB, teamId: ids.teamA });
  t.memberAsLeaderOfA = await tokenFor({ role: 'member', memberId: ids.leaderA, teamId: ids.teamA });
  t.adminOfB = await tokenFor({ role: 'community_admin', communityId: ids.communityB });
  t.adminOfA = await tokenFor({ role: 'community_admin', communityId: ids.communityA });
  t.streetAdminOfB = await tokenFor({ role: 'street_admin', streetId: ids.streetB });
  t.otherDistrictAdmin = await tokenFor({ role: 'district_admin', district: 'pujiang' });
  t.expired = await tokenFor({ role: 'district_admin', ttlSeconds: -60 });
});
afterAll(async () => {
  await server?.close();
});

describe('authorization of the teams routes', () => {
    const ROLE = [403];
  const HIDDEN = [403, 404];
  const team = () => ({ name: '新队', category: 'health', scope: 'community', communityId: ids.communityA, leaderMemberId: ids.member });
  const attempts: Attempt[] = [
    {
      method: 'POST',
      path: () => '/teams',
      body: team,
      deny: { member: ROLE, resident: ROLE, leaderA: ROLE, adminOfA: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
    },
    { method: 'POST', path: () => `/teams/${ids.teamA}/join`, deny: { resident: ROLE, adminOfA: ROLE, district: ROLE } },
    {
      method: 'GET',
      path: () => `/teams/${ids.teamA}/members?status=pending`,
      deny: { member: ROLE, resident: ROLE, leaderB: ROLE, leaderBClaimingA: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE, memberAsLeaderOfA: ROLE },
    },
    {
      method: 'POST',
      path: () => `/teams/${ids.teamA}/members/${ids.pending}/approve`,
      deny: { member: ROLE, resident: ROLE, leaderB: HIDDEN, leaderBClaimingA: HIDDEN, memberAsLeaderOfA: ROLE, adminOfA: ROLE, district: ROLE },
    },
    {
      method: 'POST',
      path: () => `/teams/${ids.teamA}/members/${ids.pending}/reject`,
      body: () => ({ reason: '不合适' }),
      deny: { member: ROLE, resident: ROLE, leaderB: HIDDEN, leaderBClaimingA: HIDDEN, memberAsLeaderOfA: ROLE, adminOfA: ROLE, district: ROLE },
    },
    {
      method: 'POST',
      path: () => `/teams/${ids.teamA}/flag-grant`,
      body: () => ({ date: '2026-03-05' }),
      deny: { member: ROLE, resident: ROLE, leaderA: ROLE, adminOfA: ROLE, streetAdminOfB: ROLE },
    },
    { method: 'GET', path: () => '/teams', deny: {} },
    { method: 'GET', path: () => `/teams/${ids.teamA}`, deny: {} },
  ];

  it('denies every outsider on every route and changes nothing', async () => {
    const before = await snapshot();
    const failures = await deniedFailures(api, attempts, t);
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('the leader of the team and admins of its scope see the roster', async () => {
    for (const who of ['leaderA', 'district', 'adminOfA']) {
      const res = await api.get(`/teams/${ids.teamA}/members?status=pending`, t[who]);
      expect(res.status, who).toBe(200);
      expect(res.body.items.map((x: { memberId: string }) => x.memberId)).toEqual([ids.pending]);
    }
  });
});

describe('bad input on the teams routes', () => {
  type Case = { name: string; method: string; path: string; token: string; body?: unknown; raw?: string; headers?: Record<string, string> };
  const long = (n: number) => 'x'.repeat(n);
  const badIds = ['a%23b', long(65), '%E4%B8%AD', '-lead', 'a.b'];
  const forged = () => Buffer.from(JSON.stringify({ pk: 'TEAM#other', sk: 'TEAM', gsi1pk: 'STREETS', gsi1sk: 'x' })).toString('base64url');

  function bodyCases(method: string, path: string, token: string, valid: Record<string, unknown>, mutations: Record<string, unknown>, optional: string[] = []): Case[] {
    const cases: Case[] = [
      { name: 'malformed JSON', method, path, token, raw: '{"name": "x",' },
      { name: 'JSON array', method, path, token, raw: '[]' },
      { name: 'JSON null', method, path, token, raw: 'null' },
      { name: 'JSON string', method, path, token, raw: '"x"' },
      { name: 'unknown field', method, path, token, body: { ...valid, extra: 1 } },
      { name: 'text/plain body', method, path, token, raw: JSON.stringify(valid), headers: { 'content-type': 'text/plain' } },
      { name: 'body over 64 KB', method, path, token, body: { ...valid, name: long(70_000) } },
    ];
    for (const key of Object.keys(valid)) {
      if (optional.includes(key)) continue;
      const { [key]: _, ...missing } = valid;
      void _;
      cases.push({ name: `missing ${key}`, method, path, token, body: missing });
    }
    for (const [name, value] of Object.entries(mutations)) cases.push({ name, method, path, token, body: { ...valid, ...(value as object) } });
    return cases.map((c) => ({ ...c, name: `${method} ${path.slice(0, 40)}: ${c.name}` }));
  }

  function cases(): Case[] {
    const valid = { name: '新队', category: 'health', scope: 'community', communityId: ids.communityA, leaderMemberId: ids.member };
    const list: Case[] = [
      ...bodyCases('POST', '/teams', 'district', valid, {
        'name too long': { name: long(65) },
        'name empty': { name: '  ' },
        'name with control chars': { name: 'a\u0007b' },
        'unknown category': { category: 'flying' },
        'unknown scope': { scope: 'planet' },
        'scope a number': { scope: 1 },
        'bad community id': { communityId: 'a#b' },
        'unknown community': { communityId: 'co-nowhere' },
        'community not in the street': { streetId: ids.streetB },
        'street team with a community': { scope: 'street', streetId: ids.streetA },
        'street team without a street': { scope: 'street', communityId: undefined },
        'unknown street': { scope: 'street', communityId: undefined, streetId: 'st-nowhere' },
        'unknown leader': { leaderMemberId: 'nobody' },
        'bad leader id': { leaderMemberId: long(65) },
        'description too long': { description: long(1001) },
        'memberCount smuggled': { memberCount: 100 },
        'status smuggled': { status: 'inactive' },
        'teamId smuggled': { teamId: 'mine' },
        'flag smuggled': { flagGrantedOn: '2026-01-01' },
      }),
      ...bodyCases('POST', `/teams/${ids.teamA}/flag-grant`, 'district', { date: '2026-03-05', kickoffMonth: '2026-03' }, {
        'date not a date': { date: 'tomorrow' },
        'date that does not exist': { date: '2026-02-30' },
        'date a number': { date: 20260305 },
        'date with time': { date: '2026-03-05T09:00:00Z' },
        'month 13': { kickoffMonth: '2026-13' },
        'date outside the kickoff month': { kickoffMonth: '2026-04' },
      }, ['kickoffMonth']),
      ...bodyCases('POST', `/teams/${ids.teamA}/members/${ids.pending}/reject`, 'leaderA', { reason: '不合适' }, {
        'reason too long': { reason: long(501) },
        'reason empty': { reason: '' },
        'reason a number': { reason: 5 },
      }, ['reason']),
      { name: 'join with a body field', method: 'POST', path: `/teams/${ids.teamA}/join`, token: 'fresh', body: { memberId: ids.member } },
      { name: 'join with malformed JSON', method: 'POST', path: `/teams/${ids.teamA}/join`, token: 'fresh', raw: '{' },
      { name: 'join without a profile', method: 'POST', path: `/teams/${ids.teamA}/join`, token: 'fresh' },
      { name: 'join an unknown team', method: 'POST', path: '/teams/team-nowhere/join', token: 'member' },
      { name: 'approve with a body field', method: 'POST', path: `/teams/${ids.teamA}/members/${ids.pending}/approve`, token: 'leaderA', body: { force: true } },
      { name: 'approve an unknown member', method: 'POST', path: `/teams/${ids.teamA}/members/nobody/approve`, token: 'leaderA' },
      { name: 'flag for an unknown team', method: 'POST', path: '/teams/team-nowhere/flag-grant', token: 'district', body: { date: '2026-03-05' } },
      { name: 'roster of an unknown team', method: 'GET', path: '/teams/team-nowhere/members', token: 'district' },
      { name: 'roster status rejected', method: 'GET', path: `/teams/${ids.teamA}/members?status=rejected`, token: 'district' },
      { name: 'roster status unknown', method: 'GET', path: `/teams/${ids.teamA}/members?status=maybe`, token: 'district' },
      { name: 'unknown category filter', method: 'GET', path: '/teams?category=flying', token: 'member' },
      { name: 'unknown query field', method: 'GET', path: '/teams?sort=name', token: 'member' },
    ];
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', `cursor=${forged()}`, 'cursor=%25%25%25', `cursor=${long(1100)}`]) {
      list.push({ name: `teams ?${q.slice(0, 20)}`, method: 'GET', path: `/teams?${q}`, token: 'member' });
      list.push({ name: `teams of a category ?${q.slice(0, 20)}`, method: 'GET', path: `/teams?category=health&${q}`, token: 'member' });
      list.push({ name: `roster ?${q.slice(0, 20)}`, method: 'GET', path: `/teams/${ids.teamA}/members?${q}`, token: 'district' });
    }
    for (const bad of badIds) {
      list.push({ name: `team ${bad.slice(0, 10)}`, method: 'GET', path: `/teams/${bad}`, token: 'member' });
      list.push({ name: `join ${bad.slice(0, 10)}`, method: 'POST', path: `/teams/${bad}/join`, token: 'member' });
      list.push({ name: `roster ${bad.slice(0, 10)}`, method: 'GET', path: `/teams/${bad}/members`, token: 'district' });
      list.push({ name: `approve team ${bad.slice(0, 10)}`, method: 'POST', path: `/teams/${bad}/members/${ids.pending}/approve`, token: 'leaderA' });
      list.push({ name: `approve member ${bad.slice(0, 10)}`, method: 'POST', path: `/teams/${ids.teamA}/members/${bad}/approve`, token: 'leaderA' });
      list.push({ name: `reject member ${bad.slice(0, 10)}`, method: 'POST', path: `/teams/${ids.teamA}/members/${bad}/reject`, token: 'leaderA' });
      list.push({ name: `flag ${bad.slice(0, 10)}`, method: 'POST', path: `/teams/${bad}/flag-grant`, token: 'district', body: { date: '2026-03-05' } });
    }
    return list;
  }

  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const before = await snapshot();
    const all = cases();
    const failures = await badInputFailures(api, all, t);
    expect(failures).toEqual([]);
    expect(all.length).toBeGreaterThan(120);
    expect(await snapshot()).toBe(before);
  });

  it('names the fields that failed, and the right codes for references', async () => {
    const res = await api.post('/teams', t.district, { name: '', category: 'flying', scope: 'community', leaderMemberId: ids.member, colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.name', 'body.category', 'body']));
    const noCommunity = await api.post('/teams', t.district, { name: '队', category: 'health', scope: 'community', leaderMemberId: ids.member });
    expect(noCommunity.body).toMatchObject({ status: 400, errors: [{ field: 'body.communityId' }] });
    const leader = await api.post('/teams', t.district, { name: '队', category: 'health', scope: 'community', communityId: ids.communityA, leaderMemberId: 'nobody' });
    expect(leader.body).toMatchObject({ status: 422, code: 'UNKNOWN_MEMBER' });
  });
});

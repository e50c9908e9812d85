import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { snapshot } from '../support/inspect.ts';
import { client, tokenFor, uniq } from '../support/client.ts';
import { badInputFailures } from '../support/matrix.ts';

/**
 * The monthly-theme routes against outsiders and bad input: only city and district admins set
 * themes (a community admin, a street admin, a team leader cannot); every signed-in caller
 * reads them. Bad input gets a 4xx problem+json, never a 5xx; nothing in the table changes.
 * A month whose kickoff ran cannot be set again (409).
 */
let server: { url: string; close(): Promise<void> };
let api: ReturnType<typeof client>;
const t: Record<string, string> = {};
let teamId = '';

beforeAll(async () => {
  server = await startTestServer();
  api = client(server.url);
  t.district = await tokenFor({ role: 'district_admin' });
  t.city = await tokenFor({ role: 'city_admin' });
  const street = (await api.post('/streets', t.district, { name: '街道' })).body.streetId;
  const community = (await api.post('/communities', t.district, { name: '社区', streetId: street })).body.communityId;
  const leader = uniq('lead');
  t.member = await tokenFor({ role: 'member', memberId: leader });
  await api.post('/members', t.member, { name: '队长', phone: '13912345678' });
  teamId = (await api.post('/teams', t.district, { name: '队', category: 'health', scope: 'community', communityId: community, leaderMemberId: leader })).body.teamId;
  t.leader = await tokenFor({ role: 'team_leader', memberId: leader, teamId });
  t.resident = await tokenFor({ role: 'resident', sub: uniq('r') });
  t.communityAdmin = await tokenFor({ role: 'community_admin', communityId: community });
  t.streetAdmin = await tokenFor({ role: 'street_admin', streetId: street });
  t.otherDistrictAdmin = await tokenFor({ role: 'district_admin', district: 'pujiang' });
  t.expired = await tokenFor({ role: 'city_admin', ttlSeconds: -60 });
  expect((await api.put('/themes/2026-05', t.city, { title: '五月', description: '劳动月', kickoffDate: '2026-05-06' })).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

const valid = () => ({ title: '垃圾分类月', description: '垃圾分类进社区', kickoffDate: '2026-03-05', suggestedCategories: ['garbage-sorting'], expectedTeamIds: [teamId], plannedFlagGrants: [teamId] });

describe('authorization of the theme routes', () => {
  it('only city and district admins set themes; nothing changes for the others', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    const deny: Array<[string, number]> = [
      ['member', 403],
      ['leader', 403],
      ['resident', 403],
      ['communityAdmin', 403],
      ['streetAdmin', 403],
      ['otherDistrictAdmin', 403],
      ['expired', 401],
      ['none', 401],
    ];
    for (const [who, status] of deny) {
      const res = await api.put('/themes/2026-03', t[who], valid());
      if (res.status !== status) failures.push(`PUT as ${who}: ${res.status} ${res.text.slice(0, 120)}`);
      for (const path of ['/themes?year=2026', '/themes/current']) {
        const read = await api.get(path, t[who]);
        const expected = who === 'expired' || who === 'none' ? 401 : who === 'otherDistrictAdmin' ? 403 : undefined;
        if (expected !== undefined && read.status !== expected) failures.push(`GET ${path} as ${who}: ${read.status}`);
        if (expected === undefined && read.status >= 500) failures.push(`GET ${path} as ${who}: ${read.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('every signed-in caller reads the year plan', async () => {
    for (const who of ['member', 'leader', 'resident', 'communityAdmin', 'streetAdmin', 'district', 'city']) {
      const res = await api.get('/themes?year=2026', t[who]);
      expect(res.status, who).toBe(200);
      expect(res.body.months[4].theme).toMatchObject({ title: '五月', source: 'city' });
    }
  });
});

describe('bad input on the theme routes', () => {
  type Case = { name: string; path?: string; method?: string; body?: unknown; raw?: string; headers?: Record<string, string>; token?: string };
  const long = (n: number) => 'x'.repeat(n);

  function cases(): Case[] {
    const v = valid();
    const list: Case[] = [
      { name: 'malformed JSON', raw: '{"title": "x",' },
      { name: 'JSON array', raw: '[]' },
      { name: 'JSON null', raw: 'null' },
      { name: 'no body' },
      { name: 'text/plain body', raw: JSON.stringify(v), headers: { 'content-type': 'text/plain' } },
      { name: 'body over 64 KB', body: { ...v, description: long(70_000) } },
      { name: 'unknown field', body: { ...v, extra: 1 } },
      { name: 'status smuggled', body: { ...v, status: 'kicked-off' } },
      { name: 'source smuggled', body: { ...v, source: 'city' } },
      { name: 'month smuggled', body: { ...v, month: '2026-04' } },
      { name: 'title too long', body: { ...v, title: long(101) } },
      { name: 'title empty', body: { ...v, title: ' ' } },
      { name: 'description too long', body: { ...v, description: long(2001) } },
      { name: 'title with control chars', body: { ...v, title: 'a\u0000b' } },
      { name: 'kickoff outside the month', body: { ...v, kickoffDate: '2026-04-01' } },
      { name: 'kickoff in another year', body: { ...v, kickoffDate: '2025-03-05' } },
      { name: 'kickoff that does not exist', body: { ...v, kickoffDate: '2026-02-30' }, path: '/themes/2026-02' },
      { name: 'kickoff not a date', body: { ...v, kickoffDate: '5 March' } },
      { name: 'kickoff a number', body: { ...v, kickoffDate: 20260305 } },
      { name: 'unknown category', body: { ...v, suggestedCategories: ['flying'] } },
      { name: 'categories not an array', body: { ...v, suggestedCategories: 'health' } },
      { name: 'too many categories', body: { ...v, suggestedCategories: Array(13).fill('health') } },
      { name: 'too many expected teams', body: { ...v, expectedTeamIds: Array.from({ length: 501 }, (_, i) => `t${i}`) } },
      { name: 'bad expected team id', body: { ...v, expectedTeamIds: ['a#b'] } },
      { name: 'unknown expected team', body: { ...v, expectedTeamIds: [teamId, 'team-nowhere'] } },
      { name: 'unknown flag team', body: { ...v, plannedFlagGrants: ['team-nowhere'] } },
      { name: 'too many flag grants', body: { ...v, plannedFlagGrants: Array.from({ length: 101 }, (_, i) => `t${i}`) } },
      { name: 'month 13', path: '/themes/2026-13', body: v },
      { name: 'month without zero', path: '/themes/2026-3', body: v },
      { name: 'month "current"', path: '/themes/current', body: v },
      { name: 'month a day', path: '/themes/2026-03-05', body: v },
      { name: 'month with #', path: '/themes/2026%2303', body: v },
      { name: 'year too short', method: 'GET', path: '/themes?year=26' },
      { name: 'year not a number', method: 'GET', path: '/themes?year=abc' },
      { name: 'year out of range', method: 'GET', path: '/themes?year=1999' },
      { name: 'unknown query field', method: 'GET', path: '/themes?year=2026&month=3' },
      { name: 'current with a query', method: 'GET', path: '/themes/current?month=2026-03' },
    ];
    for (const key of ['title', 'description', 'kickoffDate']) {
      const { [key]: _, ...missing } = v as Record<string, unknown>;
      void _;
      list.push({ name: `missing ${key}`, body: missing });
    }
    return list;
  }

  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const before = await snapshot();
    const all = cases().map((c) => ({ ...c, method: c.method ?? 'PUT', path: c.path ?? '/themes/2026-03', token: c.token ?? 'city' }));
    const failures = await badInputFailures(api, all, t);
    expect(failures).toEqual([]);
    expect(all.length).toBeGreaterThan(35);
    expect(await snapshot()).toBe(before);
  });

  it('says which field and which team', async () => {
    const date = await api.put('/themes/2026-03', t.city, { ...valid(), kickoffDate: '2026-04-01' });
    expect(date.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'body.kickoffDate' }] });
    const team = await api.put('/themes/2026-03', t.city, { ...valid(), expectedTeamIds: [teamId, 'team-nowhere'] });
    expect(team.body).toMatchObject({ status: 422, code: 'UNKNOWN_TEAM', errors: [{ field: 'body.expectedTeamIds.1' }] });
  });

  it('a month whose kickoff ran cannot be set again, by the city or the district', async () => {
    const run = await api.post('/_local/jobs/kickoff', undefined, { date: '2026-05-06' });
    expect(run.body).toMatchObject({ kickedOff: true, created: 1 });
    const before = await snapshot();
    for (const who of ['city', 'district']) {
      const res = await api.put('/themes/2026-05', t[who], { title: '改', description: '改', kickoffDate: '2026-05-20' });
      expect(res.status, who).toBe(409);
      expect(res.body.code).toBe('THEME_ALREADY_KICKED_OFF');
    }
    expect(await snapshot()).toBe(before);
  });
});

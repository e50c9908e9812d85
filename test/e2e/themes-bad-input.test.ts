import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../support/inspect.ts';
import { badInputFailures, expectRefusedWritingNothing } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Bad input on the monthly-theme routes gets a 4xx problem+json, never a 5xx, and nothing in the
 * table changes. A month whose kickoff ran cannot be set again (409).
 */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};
let teamId = '';

beforeAll(async () => {
  t.district = await e2e.districtAdmin();
  t.city = await mint.cityAdmin();
  const communityId = await e2e.community(await e2e.street());
  teamId = (await e2e.team({ communityId })).teamId;
  expect(
    (await api.put('/themes/2026-05', t.city, { title: '五月', description: '劳动月', kickoffDate: '2026-05-06' }))
      .status,
  ).toBe(200);
});

const valid = () => ({
  title: '垃圾分类月',
  description: '垃圾分类进社区',
  kickoffDate: '2026-03-05',
  suggestedCategories: ['garbage-sorting'],
  expectedTeamIds: [teamId],
  plannedFlagGrants: [teamId],
});

describe('bad input on the theme routes', () => {
  type Case = {
    name: string;
    path?: string;
    method?: string;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
    token?: string;
  };
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
      {
        name: 'too many expected teams',
        body: { ...v, expectedTeamIds: Array.from({ length: 501 }, (_, i) => `t${i}`) },
      },
      { name: 'bad expected team id', body: { ...v, expectedTeamIds: ['a#b'] } },
      { name: 'unknown expected team', body: { ...v, expectedTeamIds: [teamId, 'team-nowhere'] } },
      { name: 'unknown flag team', body: { ...v, plannedFlagGrants: ['team-nowhere'] } },
      {
        name: 'too many flag grants',
        body: { ...v, plannedFlagGrants: Array.from({ length: 101 }, (_, i) => `t${i}`) },
      },
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
    const all = cases().map((c) => ({
      ...c,
      method: c.method ?? 'PUT',
      path: c.path ?? '/themes/2026-03',
      token: c.token ?? 'city',
    }));
    expect(all.length).toBeGreaterThan(35);
    await expectRefusedWritingNothing(() => badInputFailures(api, all, t));
  });

  it('says which field and which team', async () => {
    const date = await api.put('/themes/2026-03', t.city, { ...valid(), kickoffDate: '2026-04-01' });
    expect(date.body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'body.kickoffDate' }],
    });
    const team = await api.put('/themes/2026-03', t.city, { ...valid(), expectedTeamIds: [teamId, 'team-nowhere'] });
    expect(team.body).toMatchObject({
      status: 422,
      code: 'UNKNOWN_TEAM',
      errors: [{ field: 'body.expectedTeamIds.1' }],
    });
  });

  it('a month whose kickoff ran cannot be set again, by the city or the district', async () => {
    const run = await e2e.runJob('kickoff', { date: '2026-05-06' });
    expect(run.body).toMatchObject({ kickedOff: true, created: 1 });
    const before = await snapshot();
    for (const who of ['city', 'district']) {
      const res = await api.put('/themes/2026-05', t[who], {
        title: '改',
        description: '改',
        kickoffDate: '2026-05-20',
      });
      expect(res.status, who).toBe(409);
      expect(res.body.code).toBe('THEME_ALREADY_KICKED_OFF');
    }
    expect(await snapshot()).toBe(before);
  });
});

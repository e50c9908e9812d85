import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../support/inspect.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * The monthly-theme routes against outsiders: only city and district admins set themes (a
 * community admin, a street admin, a team leader cannot); every signed-in caller reads them.
 * Refusals change nothing in the table.
 */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};
let teamId = '';

beforeAll(async () => {
  t.district = await e2e.districtAdmin();
  t.city = await mint.cityAdmin();
  const streetId = await e2e.street();
  const communityId = await e2e.community(streetId);
  const team = await e2e.team({ communityId });
  teamId = team.teamId;
  t.member = await mint.member(team.leader.memberId);
  t.leader = team.leader.token;
  t.resident = await mint.resident();
  t.communityAdmin = await mint.communityAdmin(communityId);
  t.streetAdmin = await mint.streetAdmin(streetId);
  Object.assign(t, await mint.outsiders({ role: 'city_admin' }));
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { snapshot } from '../support/inspect.ts';
import { client, tokenFor, uniq } from '../support/client.ts';
import { monthOf } from '../../shared/domain/time.ts';

/**
 * Who reads which statistics, over HTTP. A community admin reads their community and its grids,
 * not another community, their street or the district; a street admin their street and what is
 * in it, not another street; a team's leader their team; members and residents nothing. Each
 * refusal is a 4xx problem+json and writes nothing.
 */
let server: { url: string; close(): Promise<void> };
let api: ReturnType<typeof client>;
const t: Record<string, string> = {};
const ids = { streetA: '', streetB: '', a1: '', a2: '', b1: '', gridA1: '', gridB1: '', team: '', otherTeam: '' };
const month = monthOf(new Date());

async function newMember(name: string) {
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
  ids.streetA = (await api.post('/streets', t.district, { name: '甲街道' })).body.streetId;
  ids.streetB = (await api.post('/streets', t.district, { name: '乙街道' })).body.streetId;
  ids.a1 = (await api.post('/communities', t.district, { name: '甲一社区', streetId: ids.streetA })).body.communityId;
  ids.a2 = (await api.post('/communities', t.district, { name: '甲二社区', streetId: ids.streetA })).body.communityId;
  ids.b1 = (await api.post('/communities', t.district, { name: '乙一社区', streetId: ids.streetB })).body.communityId;
  ids.gridA1 = (await api.post(`/communities/${ids.a1}/grids`, t.district, { name: '网格' })).body.gridId;
  ids.gridB1 = (await api.post(`/communities/${ids.b1}/grids`, t.district, { name: '网格' })).body.gridId;
  const leader = await newMember('队长');
  const other = await newMember('别的队长');
  ids.team = (await api.post('/teams', t.district, { name: '服务队', category: 'other', scope: 'district', leaderMemberId: leader.memberId })).body.teamId;
  ids.otherTeam = (await api.post('/teams', t.district, { name: '别的队', category: 'other', scope: 'district', leaderMemberId: other.memberId })).body.teamId;
  t.member = leader.token;
  t.resident = await tokenFor({ role: 'resident', sub: uniq('res') });
  t.adminA1 = await tokenFor({ role: 'community_admin', communityId: ids.a1 });
  t.streetA = await tokenFor({ role: 'street_admin', streetId: ids.streetA });
  t.leader = await tokenFor({ role: 'team_leader', memberId: leader.memberId, teamId: ids.team });
  t.notLeader = await tokenFor({ role: 'team_leader', memberId: other.memberId, teamId: ids.team });
  t.foreignDistrict = await tokenFor({ role: 'district_admin', district: 'shuangliu' });
});
afterAll(async () => {
  await server?.close();
});

const q = (scope: string, id: () => string, extra = '') => () => `?month=${month}&scope=${scope}&id=${id()}${extra}`;
const district = q('district', () => 'jinjiang');
const streetA = q('street', () => ids.streetA);
const streetB = q('street', () => ids.streetB);
const a1 = q('community', () => ids.a1);
const a2 = q('community', () => ids.a2);
const b1 = q('community', () => ids.b1);
const gridA1 = () => `?month=${month}&scope=grid&id=${ids.gridA1}&communityId=${ids.a1}`;
const gridB1 = () => `?month=${month}&scope=grid&id=${ids.gridB1}&communityId=${ids.b1}`;
const team = q('team', () => ids.team);
const otherTeam = q('team', () => ids.otherTeam);

type Case = [name: string, query: () => string, token: string | undefined, status: number, code?: string];
const refusals: Case[] = [
  ['no token', district, undefined, 401],
  ['a member reads nothing (district)', district, 'member', 403, 'FORBIDDEN'],
  ['a member reads nothing (own community)', a1, 'member', 403, 'FORBIDDEN'],
  ['a resident reads nothing', b1, 'resident', 403, 'FORBIDDEN'],
  ["a community admin cannot read another community", a2, 'adminA1', 403, 'FORBIDDEN'],
  ["a community admin cannot read another street's community", b1, 'adminA1', 403, 'FORBIDDEN'],
  ["a community admin cannot read another community's grid", gridB1, 'adminA1', 403, 'FORBIDDEN'],
  ['a community admin cannot read their street', streetA, 'adminA1', 403, 'FORBIDDEN'],
  ['a community admin cannot read the district', district, 'adminA1', 403, 'FORBIDDEN'],
  ['a community admin cannot read a team', team, 'adminA1', 403, 'FORBIDDEN'],
  ['a street admin cannot read another street', streetB, 'streetA', 403, 'FORBIDDEN'],
  ["a street admin cannot read another street's community", b1, 'streetA', 403, 'FORBIDDEN'],
  ["a street admin cannot read another street's grid", gridB1, 'streetA', 403, 'FORBIDDEN'],
  ['a street admin cannot read the district', district, 'streetA', 403, 'FORBIDDEN'],
  ['a street admin cannot read a team', team, 'streetA', 403, 'FORBIDDEN'],
  ['a team leader cannot read another team', otherTeam, 'leader', 403, 'FORBIDDEN'],
  ['a team leader cannot read the district', district, 'leader', 403, 'FORBIDDEN'],
  ['a team leader cannot read a community', a1, 'leader', 403, 'FORBIDDEN'],
  ['a token naming a team its holder does not lead', team, 'notLeader', 403, 'FORBIDDEN'],
  ["another district's admin", district, 'foreignDistrict', 403, 'WRONG_DISTRICT'],
  ['an unknown street', q('street', () => 'st-none'), 'district', 404, 'NOT_FOUND'],
  ['an unknown community', q('community', () => 'co-none'), 'adminA1', 404, 'NOT_FOUND'],
  ['an unknown team', q('team', () => 'tm-none'), 'leader', 404, 'NOT_FOUND'],
  ['another district', q('district', () => 'shuangliu'), 'district', 404, 'NOT_FOUND'],
  ["a grid named in the wrong community", () => `?month=${month}&scope=grid&id=${ids.gridA1}&communityId=${ids.b1}`, 'district', 404, 'NOT_FOUND'],
];

describe('statistics authorization', () => {
  it.each(['/stats/monthly', '/stats/monthly.csv'])('%s refuses each outsider with a 4xx problem+json and writes nothing', async (path) => {
    const before = await snapshot();
    const failures: string[] = [];
    for (const [name, query, token, status, code] of refusals) {
      const res = await api.get(path + query(), token ? t[token] : undefined);
      if (res.status !== status) failures.push(`${name}: ${res.status} ${res.text.slice(0, 160)}`);
      // A missing token is refused by the gateway's JWT authorizer itself ({ message }), as in the cloud.
      else if (status !== 401 && !(res.headers.get('content-type') ?? '').startsWith('application/problem+json')) failures.push(`${name}: not problem+json`);
      else if (code && res.body.code !== code) failures.push(`${name}: ${res.body.code}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('lets each admin read their scope and below, and the leader their team', async () => {
    const allowed: [string, () => string][] = [
      ['district', district],
      ['district', gridB1],
      ['city', district],
      ['city', team],
      ['streetA', streetA],
      ['streetA', a2],
      ['streetA', gridA1],
      ['adminA1', a1],
      ['adminA1', gridA1],
      ['leader', team],
    ];
    for (const [who, query] of allowed) {
      const res = await api.get(`/stats/monthly${query()}`, t[who]);
      expect(res.status, `${who} ${query()}`).toBe(200);
      const csv = await api.get(`/stats/monthly.csv${query()}`, t[who]);
      expect(csv.status, `${who} csv ${query()}`).toBe(200);
    }
  });

  it('the public figures need no token, and a token changes nothing', async () => {
    const anon = await api.get('/stats/public');
    const signed = await api.get('/stats/public', t.member);
    expect(anon.status).toBe(200);
    expect(signed.body).toEqual(anon.body);
  });
});

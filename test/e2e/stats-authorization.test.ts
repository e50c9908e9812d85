import { beforeAll, describe, expect, it } from 'vitest';
import { monthOf } from '../../shared/domain/time.ts';
import { expectRefusedWritingNothing, refusalFailure } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Who reads which statistics, over HTTP. A community admin reads their community and its grids,
 * not another community, their street or the district; a street admin their street and what is
 * in it, not another street; a team's leader their team; members and residents nothing. Each
 * refusal is a 4xx problem+json and writes nothing.
 */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};
const ids = { streetA: '', streetB: '', a1: '', a2: '', b1: '', gridA1: '', gridB1: '', team: '', otherTeam: '' };
const month = monthOf(new Date());

beforeAll(async () => {
  t.district = await e2e.districtAdmin();
  t.city = await mint.cityAdmin();
  ids.streetA = await e2e.street('甲街道');
  ids.streetB = await e2e.street('乙街道');
  ids.a1 = await e2e.community(ids.streetA, '甲一社区');
  ids.a2 = await e2e.community(ids.streetA, '甲二社区');
  ids.b1 = await e2e.community(ids.streetB, '乙一社区');
  ids.gridA1 = await e2e.grid(ids.a1);
  ids.gridB1 = await e2e.grid(ids.b1);
  const team = await e2e.team({ category: 'other' });
  const otherTeam = await e2e.team({ category: 'other', name: '别的队' });
  ids.team = team.teamId;
  ids.otherTeam = otherTeam.teamId;
  t.member = await mint.member(team.leader.memberId);
  t.resident = await mint.resident();
  t.adminA1 = await mint.communityAdmin(ids.a1);
  t.streetA = await mint.streetAdmin(ids.streetA);
  t.leader = team.leader.token;
  t.notLeader = await mint.leader(otherTeam.leader.memberId, ids.team);
  t.foreignDistrict = await mint.districtAdmin({ district: 'shuangliu' });
});

const q =
  (scope: string, id: () => string, extra = '') =>
  () =>
    `?month=${month}&scope=${scope}&id=${id()}${extra}`;
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
  ['a community admin cannot read another community', a2, 'adminA1', 403, 'FORBIDDEN'],
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
  [
    'a grid named in the wrong community',
    () => `?month=${month}&scope=grid&id=${ids.gridA1}&communityId=${ids.b1}`,
    'district',
    404,
    'NOT_FOUND',
  ],
];

describe('statistics authorization', () => {
  it.each(['/stats/monthly', '/stats/monthly.csv'])(
    '%s refuses each outsider with a 4xx problem+json and writes nothing',
    async (path) => {
      await expectRefusedWritingNothing(async () => {
        const failures: string[] = [];
        for (const [name, query, token, status, code] of refusals) {
          const failure = refusalFailure(await api.get(path + query(), token ? t[token] : undefined), status, code);
          if (failure) failures.push(`${name}: ${failure}`);
        }
        return failures;
      });
    },
  );

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

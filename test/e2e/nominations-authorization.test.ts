import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { type Attempt, deniedFailures, expectRefusedWritingNothing } from '../support/matrix.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/**
 * Outsiders against the nominations and reserve-cadre routes: the nominee, another member, a
 * resident, the leader of a team the nominee is not on, admins of another community and street,
 * the community admin (who nominates but neither reviews nor sees the pool), a street admin (who
 * does not review), an admin of another district, an expired token, no token. Each gets 401, 403
 * (role) or 404 (out of scope), and nothing in the table changes. The pool is for street and
 * district admins only.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { member: '', street: '', community: '', onNotice: '', approved: '' };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  freezeClock('2026-12-07T02:00:00.000Z'); // a Monday
  const place = await e2e.place();
  ids.street = place.streetId;
  ids.community = place.communityId;
  const otherStreet = await e2e.street('另一街道');
  const otherCommunity = await e2e.community(otherStreet, '另一社区');
  const m = await e2e.checkedInMember({ communityId: ids.community, name: '王大锤' });
  ids.member = m.memberId;
  tokens.nominee = m.token;
  tokens.admin = await mint.communityAdmin(ids.community);
  tokens.streetAdmin = await mint.streetAdmin(ids.street);
  const reviewer = await mint.districtAdmin();
  const nominate = async () => {
    const res = await api.post('/nominations', tokens.admin, { memberId: ids.member, title: '优秀', reason: '积极' });
    expect(res.status, res.text).toBe(201);
    const id = res.body.nominationId as string;
    expect((await api.post(`/nominations/${id}/notice`, reviewer)).status).toBe(200);
    return id;
  };
  ids.onNotice = await nominate();
  ids.approved = await nominate();
  freezeClock('2026-12-15T02:00:00.000Z'); // after the notice
  expect(
    (await api.post(`/nominations/${ids.approved}/decision`, reviewer, { approve: true, note: '同意' })).status,
  ).toBe(200);
  expect(
    (await api.post('/reserve-cadres', tokens.streetAdmin, { nominationId: ids.approved, basis: '先进' })).status,
  ).toBe(201);
  // Back within the first notice, so that the objection route is open to in-scope callers.
  freezeClock('2026-12-08T02:00:00.000Z');
  tokens.memberB = await mint.member(uniq('mb'));
  tokens.resident = await mint.resident();
  tokens.otherLeader = (await e2e.team({ communityId: otherCommunity })).leader.token;
  tokens.adminOfB = await mint.communityAdmin(otherCommunity);
  tokens.streetAdminOfB = await mint.streetAdmin(otherStreet);
  Object.assign(tokens, await mint.outsiders({ role: 'member', memberId: ids.member }));
}, 120_000);
afterAll(() => resetClock());

const ROLE = [403];
const HIDDEN = [404];

const attempts: Attempt[] = [
  {
    method: 'POST',
    path: () => '/nominations',
    body: () => ({ memberId: ids.member, title: '优秀', reason: '积极' }),
    deny: {
      nominee: ROLE,
      memberB: ROLE,
      resident: ROLE,
      otherLeader: HIDDEN,
      adminOfB: HIDDEN,
      streetAdminOfB: HIDDEN,
    },
  },
  {
    method: 'GET',
    path: () => '/nominations',
    deny: { nominee: ROLE, resident: ROLE, otherLeader: ROLE, admin: ROLE, streetAdmin: ROLE, adminOfB: ROLE },
  },
  {
    method: 'GET',
    path: () => `/nominations/${ids.onNotice}`,
    deny: {
      nominee: ROLE,
      memberB: ROLE,
      resident: ROLE,
      otherLeader: HIDDEN,
      adminOfB: HIDDEN,
      streetAdminOfB: HIDDEN,
    },
  },
  {
    method: 'POST',
    path: () => `/nominations/${ids.onNotice}/notice`,
    deny: { nominee: ROLE, resident: ROLE, otherLeader: ROLE, admin: ROLE, streetAdmin: ROLE },
  },
  // Anyone signed in may object: only the three outsiders every matrix tries are refused.
  {
    method: 'POST',
    path: () => `/nominations/${ids.onNotice}/objections`,
    body: () => ({ text: '异议' }),
    deny: {},
  },
  {
    method: 'POST',
    path: () => `/nominations/${ids.onNotice}/decision`,
    body: () => ({ approve: true, note: '同意' }),
    deny: { nominee: ROLE, resident: ROLE, otherLeader: ROLE, admin: ROLE, streetAdmin: ROLE },
  },
  {
    method: 'POST',
    path: () => '/reserve-cadres',
    body: () => ({ nominationId: ids.approved, basis: '先进' }),
    deny: { nominee: ROLE, resident: ROLE, otherLeader: ROLE, admin: ROLE, adminOfB: ROLE, streetAdminOfB: HIDDEN },
  },
  {
    method: 'GET',
    path: () => `/reserve-cadres?streetId=${ids.street}`,
    deny: { nominee: ROLE, resident: ROLE, otherLeader: ROLE, admin: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'POST',
    path: () => `/reserve-cadres/${ids.member}/exit`,
    body: () => ({ reason: '调任' }),
    deny: { nominee: ROLE, resident: ROLE, otherLeader: ROLE, admin: ROLE, adminOfB: ROLE, streetAdminOfB: HIDDEN },
  },
];

describe('authorization of nominations and the reserve-cadre pool', () => {
  it('denies every outsider on every protected route and changes nothing', async () => {
    await expectRefusedWritingNothing(() => deniedFailures(api, attempts, tokens));
  });

  it('the public notice needs no token and names nobody in full; the pool shows only to street and district admins', async () => {
    const page = await api.get('/nomination-notices');
    expect(page.status).toBe(200);
    expect(page.body.items.map((i: { nominationId: string }) => i.nominationId)).toEqual([ids.onNotice]);
    expect(page.text).not.toContain('王大锤');
    expect(page.text).not.toContain(ids.member);
    expect((await api.get('/reserve-cadres', tokens.streetAdmin)).body.items).toHaveLength(1);
    expect((await api.get('/reserve-cadres', tokens.streetAdminOfB)).body.items).toEqual([]);
    expect((await api.get('/reserve-cadres', await mint.districtAdmin())).body.items).toHaveLength(1);
    expect((await api.get('/reserve-cadres', await mint.cityAdmin())).status).toBe(403);
  });
});

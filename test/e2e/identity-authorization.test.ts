import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type Attempt, deniedFailures, expectRefusedWritingNothing } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Every outsider on every roles route, against street A, community A in it, and a user T who
 * administers community A: residents and members (no admin role), the admins of street B and
 * community B (another scope), a team leader, a caller granting to themselves, and callers granting
 * at or above their own role; always too without a token, with an expired one and with another
 * district's admin. Each gets 401, 403 or 404 as problem+json, and the table is unchanged.
 */
// The table's stream is read by polling DynamoDB Local, which the whole suite shares: give it time.
vi.setConfig({ testTimeout: 90_000 });
const e2e = useE2e({ identity: true });
const { api } = e2e;
const ids = { streetA: '', communityA: '', streetB: '', communityB: '', target: '', other: '', team: '' };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const a = await e2e.place({ street: 'A街道', community: 'A社区' });
  ids.streetA = a.streetId;
  ids.communityA = a.communityId;
  ids.streetB = await e2e.street('B街道');
  ids.communityB = await e2e.community(ids.streetB, 'B社区');
  const target = await e2e.signUp({ mfa: true });
  const other = await e2e.signUp({ mfa: true });
  ids.target = target.sub;
  ids.other = other.sub;
  const granted = await api.post(`/users/${ids.target}/roles`, await e2e.districtAdmin(), {
    role: 'community_admin',
    communityId: ids.communityA,
    reason: '任命',
  });
  expect(granted.status, granted.text).toBe(201);
  ids.team = (await e2e.team({ communityId: ids.communityA })).teamId;

  tokens.resident = await mint.resident();
  tokens.member = await mint.member('m-outsider');
  tokens.teamLeader = await mint.leader('m-leader', ids.team);
  tokens.adminOfB = await mint.communityAdmin(ids.communityB);
  tokens.streetAdminOfB = await mint.streetAdmin(ids.streetB);
  tokens.adminOfA = await mint.communityAdmin(ids.communityA);
  tokens.streetAdminOfA = await mint.streetAdmin(ids.streetA);
  // The target acting on themselves, as a district admin (whose rank would otherwise let them).
  tokens.targetSelf = await mint.districtAdmin({ sub: ids.target });
  tokens.districtAdmin = await e2e.districtAdmin();
  Object.assign(tokens, await mint.outsiders());
});

const ROLE = [403];
const HIDDEN = [404];
const noAdmins = { resident: ROLE, member: ROLE, teamLeader: ROLE };

const attempts: Attempt[] = [
  {
    method: 'GET',
    path: () => `/users/${ids.target}/roles`,
    deny: { ...noAdmins, adminOfB: HIDDEN, streetAdminOfB: HIDDEN },
  },
  {
    method: 'POST',
    path: () => `/users/${ids.other}/roles`,
    body: () => ({ role: 'community_admin', communityId: ids.communityA, reason: 'x' }),
    // Community admins grant nothing; a street admin only in their own street.
    deny: { ...noAdmins, adminOfB: ROLE, adminOfA: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'POST',
    path: () => `/users/${ids.other}/roles`,
    body: () => ({ role: 'street_admin', streetId: ids.streetA, reason: 'x' }),
    // Nobody grants their own rank or above.
    deny: { ...noAdmins, streetAdminOfA: ROLE, adminOfA: ROLE },
  },
  {
    method: 'POST',
    path: () => `/users/${ids.other}/roles`,
    body: () => ({ role: 'district_admin', reason: 'x' }),
    deny: { ...noAdmins, streetAdminOfA: ROLE, districtAdmin: ROLE },
  },
  {
    method: 'POST',
    path: () => `/users/${ids.target}/roles`,
    body: () => ({ role: 'street_admin', streetId: ids.streetA, reason: 'x' }),
    // Nobody grants to themselves.
    deny: { targetSelf: ROLE },
  },
  {
    method: 'POST',
    path: () => `/users/${ids.target}/roles/community_admin/revoke`,
    body: () => ({ reason: 'x' }),
    deny: { ...noAdmins, adminOfA: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE, targetSelf: ROLE },
  },
  {
    method: 'GET',
    path: () => '/role-audit',
    deny: { ...noAdmins, adminOfA: ROLE, streetAdminOfA: ROLE },
  },
  {
    method: 'GET',
    path: () => `/role-audit?communityId=${ids.communityA}`,
    deny: { ...noAdmins, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'GET',
    path: () => `/role-audit?streetId=${ids.streetA}`,
    deny: { ...noAdmins, adminOfA: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'GET',
    path: () => `/role-audit?sub=${ids.target}`,
    deny: { ...noAdmins, adminOfB: HIDDEN, streetAdminOfB: HIDDEN },
  },
  {
    method: 'PUT',
    path: () => `/teams/${ids.team}/leader`,
    body: () => ({ memberId: 'm-x', reason: 'x' }),
    deny: { ...noAdmins, adminOfA: ROLE, streetAdminOfA: ROLE },
  },
];

describe('authorization of the roles routes', () => {
  it('denies every outsider on every roles route and changes nothing', async () => {
    await expectRefusedWritingNothing(() => deniedFailures(api, attempts, tokens));
  });

  it('the admins of the scope read it: community A for its admin, street A for its street admin', async () => {
    expect((await api.get(`/users/${ids.target}/roles`, tokens.adminOfA!)).status).toBe(200);
    expect((await api.get(`/users/${ids.target}/roles`, tokens.streetAdminOfA!)).status).toBe(200);
    const audit = await api.get(`/role-audit?streetId=${ids.streetA}`, tokens.streetAdminOfA!);
    expect(audit.body.items).toMatchObject([{ role: 'community_admin', target: ids.target }]);
  });
});

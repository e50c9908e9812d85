import { beforeAll, describe, expect, it } from 'vitest';
import { type Attempt, deniedFailures, expectRefusedWritingNothing } from '../support/matrix.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/**
 * A resident (on the routes that are not theirs: their own profile and check-in are), a member of another community, the admin of another community (and a street
 * admin of another street, a token of another district, no token) try every protected route of
 * the members context against community A's objects: each gets 401, 403 or 404, and nothing
 * in the table changes.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { streetA: '', communityA: '', memberA: '', pendingA: '' };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const a = await e2e.place({ street: 'A街道', community: 'A社区', grid: 'A网格' });
  const streetB = await e2e.street('B街道');
  const communityB = await e2e.community(streetB, 'B社区');
  ids.streetA = a.streetId;
  ids.communityA = a.communityId;
  // member A checked in to A; member P has a pending request to A; member B checked in to B
  ids.memberA = (await e2e.checkedInMember({ communityId: a.communityId })).memberId;
  ids.pendingA = await e2e.checkIn(await e2e.member(), a.communityId);
  const b = await e2e.checkedInMember({ communityId: communityB });

  tokens.resident = await mint.resident();
  tokens.memberOfB = b.token;
  tokens.adminOfB = await mint.communityAdmin(communityB);
  tokens.streetAdminOfB = await mint.streetAdmin(streetB);
  tokens.teamLeader = await mint.leader(uniq('tl'));
  Object.assign(tokens, await mint.outsiders());
});

const ROLE = [403];
const HIDDEN = [403, 404];

const attempts: Attempt[] = [
  {
    method: 'POST',
    path: () => '/streets',
    body: () => ({ name: 'x' }),
    deny: { resident: ROLE, memberOfB: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'POST',
    path: () => '/communities',
    body: () => ({ name: 'x', streetId: ids.streetA }),
    deny: { resident: ROLE, memberOfB: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'POST',
    path: () => `/communities/${ids.communityA}/grids`,
    body: () => ({ name: 'x' }),
    deny: { resident: ROLE, memberOfB: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE, teamLeader: ROLE },
  },
  {
    method: 'GET',
    path: () => `/communities/${ids.communityA}/check-ins`,
    deny: { resident: ROLE, memberOfB: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'POST',
    path: () => `/check-ins/${ids.pendingA}/approve`,
    deny: { resident: ROLE, memberOfB: ROLE, adminOfB: HIDDEN, streetAdminOfB: HIDDEN, teamLeader: ROLE },
  },
  {
    method: 'POST',
    path: () => `/check-ins/${ids.pendingA}/reject`,
    body: () => ({ reason: 'no' }),
    deny: { resident: ROLE, memberOfB: ROLE, adminOfB: HIDDEN, streetAdminOfB: HIDDEN },
  },
  {
    method: 'GET',
    path: () => `/communities/${ids.communityA}/members`,
    deny: { resident: ROLE, memberOfB: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE, teamLeader: ROLE },
  },
  {
    method: 'GET',
    path: () => `/members/${ids.memberA}`,
    deny: { resident: ROLE, memberOfB: ROLE, adminOfB: HIDDEN, streetAdminOfB: HIDDEN },
  },
  {
    method: 'POST',
    path: () => '/members',
    body: () => ({ name: 'x', phone: '13912345678' }),
    // A resident may: it is how they become a member (sign up, profile, check-in, approval).
    deny: { adminOfB: ROLE },
  },
  { method: 'GET', path: () => '/members/me', deny: { adminOfB: ROLE } },
  { method: 'PATCH', path: () => '/members/me', body: () => ({ name: 'x' }), deny: { adminOfB: ROLE } },
  {
    method: 'POST',
    path: () => '/check-ins',
    body: () => ({ communityId: ids.communityA }),
    deny: { adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  { method: 'GET', path: () => '/members/me/check-ins', deny: { adminOfB: ROLE } },
];

describe('authorization of the members context', () => {
  it('denies every outsider on every protected route and changes nothing', async () => {
    await expectRefusedWritingNothing(() => deniedFailures(api, attempts, tokens));
  });

  it('a caller cannot act for another member through the body', async () => {
    const mine = await mint.member(uniq('m'));
    const res = await api.post('/members', mine, { name: 'x', phone: '13912345678', memberId: ids.memberA });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body');
  });
});

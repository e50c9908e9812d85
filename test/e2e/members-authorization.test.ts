import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { snapshot } from '../support/inspect.ts';
import { client, tokenFor, uniq } from '../support/client.ts';
import { deniedFailures, type Attempt } from '../support/matrix.ts';

/**
 * A resident, a member of another community, the admin of another community (and a street
 * admin of another street, a token of another district, no token) try every protected route of
 * the members context against community A's objects: each gets 401, 403 or 404, and nothing
 * in the table changes.
 */
let server: { url: string; close(): Promise<void> };
let api: ReturnType<typeof client>;
const ids = { streetA: '', streetB: '', communityA: '', communityB: '', gridA: '', memberA: '', pendingA: '' };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  api = client(server.url);
  const district = await tokenFor({ role: 'district_admin' });
  ids.streetA = (await api.post('/streets', district, { name: 'A街道' })).body.streetId;
  ids.streetB = (await api.post('/streets', district, { name: 'B街道' })).body.streetId;
  ids.communityA = (await api.post('/communities', district, { name: 'A社区', streetId: ids.streetA })).body.communityId;
  ids.communityB = (await api.post('/communities', district, { name: 'B社区', streetId: ids.streetB })).body.communityId;
  ids.gridA = (await api.post(`/communities/${ids.communityA}/grids`, district, { name: 'A网格' })).body.gridId;

  // member A checked in to A; member P has a pending request to A; member B checked in to B
  const join = async (communityId: string, approve: boolean) => {
    const memberId = uniq('m');
    const t = await tokenFor({ role: 'member', memberId });
    await api.post('/members', t, { name: '成员', phone: '13912345678' });
    const ci = await api.post('/check-ins', t, { communityId });
    if (approve) expect((await api.post(`/check-ins/${ci.body.checkInId}/approve`, district)).status).toBe(200);
    return { memberId, token: t, checkInId: ci.body.checkInId as string };
  };
  ids.memberA = (await join(ids.communityA, true)).memberId;
  ids.pendingA = (await join(ids.communityA, false)).checkInId;
  const b = await join(ids.communityB, true);

  tokens.resident = await tokenFor({ role: 'resident', sub: uniq('r') });
  tokens.memberOfB = b.token;
  tokens.adminOfB = await tokenFor({ role: 'community_admin', communityId: ids.communityB });
  tokens.streetAdminOfB = await tokenFor({ role: 'street_admin', streetId: ids.streetB });
  tokens.teamLeader = await tokenFor({ role: 'team_leader', memberId: uniq('tl') });
  tokens.otherDistrictAdmin = await tokenFor({ role: 'district_admin', district: 'pujiang' });
  tokens.expired = await tokenFor({ role: 'district_admin', ttlSeconds: -60 });
});
afterAll(async () => {
  await server?.close();
});

const ROLE = [403];
const HIDDEN = [403, 404];

const attempts: Attempt[] = [
  { method: 'POST', path: () => '/streets', body: () => ({ name: 'x' }), deny: { resident: ROLE, memberOfB: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE } },
  { method: 'POST', path: () => '/communities', body: () => ({ name: 'x', streetId: ids.streetA }), deny: { resident: ROLE, memberOfB: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE } },
  { method: 'POST', path: () => `/communities/${ids.communityA}/grids`, body: () => ({ name: 'x' }), deny: { resident: ROLE, memberOfB: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE, teamLeader: ROLE } },
  { method: 'GET', path: () => `/communities/${ids.communityA}/check-ins`, deny: { resident: ROLE, memberOfB: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE } },
  { method: 'POST', path: () => `/check-ins/${ids.pendingA}/approve`, deny: { resident: ROLE, memberOfB: ROLE, adminOfB: HIDDEN, streetAdminOfB: HIDDEN, teamLeader: ROLE } },
  { method: 'POST', path: () => `/check-ins/${ids.pendingA}/reject`, body: () => ({ reason: 'no' }), deny: { resident: ROLE, memberOfB: ROLE, adminOfB: HIDDEN, streetAdminOfB: HIDDEN } },
  { method: 'GET', path: () => `/communities/${ids.communityA}/members`, deny: { resident: ROLE, memberOfB: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE, teamLeader: ROLE } },
  { method: 'GET', path: () => `/members/${ids.memberA}`, deny: { resident: ROLE, memberOfB: ROLE, adminOfB: HIDDEN, streetAdminOfB: HIDDEN } },
  { method: 'POST', path: () => '/members', body: () => ({ name: 'x', phone: '13912345678' }), deny: { resident: ROLE, adminOfB: ROLE } },
  { method: 'GET', path: () => '/members/me', deny: { resident: ROLE, adminOfB: ROLE } },
  { method: 'PATCH', path: () => '/members/me', body: () => ({ name: 'x' }), deny: { resident: ROLE, adminOfB: ROLE } },
  { method: 'POST', path: () => '/check-ins', body: () => ({ communityId: ids.communityA }), deny: { resident: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE } },
  { method: 'GET', path: () => '/members/me/check-ins', deny: { resident: ROLE, adminOfB: ROLE } },
];

describe('authorization of the members context', () => {
  it('denies every outsider on every protected route and changes nothing', async () => {
    const before = await snapshot();
    const failures = await deniedFailures(api, attempts, tokens);
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('a caller cannot act for another member through the body', async () => {
    const mine = await tokenFor({ role: 'member', memberId: uniq('m') });
    const res = await api.post('/members', mine, { name: 'x', phone: '13912345678', memberId: ids.memberA });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { mint, tokenFor, useE2e } from '../support/e2e.ts';
import { AT, CALL_BODY, coreTeam, scores, submissionBody } from '../support/featured-e2e.ts';
import { type Attempt, deniedFailures, expectRefusedWritingNothing } from '../support/matrix.ts';

/**
 * The featured-projects routes against outsiders: members and leaders cannot open calls, assign
 * reviewers, publish or award; another team's leader cannot submit for, read or edit this team's
 * submission; a member not assigned to a submission cannot read or score it; each gets 401, 403
 * or 404, and nothing in the table changes.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { callId: '', s1: '', teamA: '', reviewer: '' };
const t: Record<string, string> = {};
let core: string[] = [];

beforeAll(async () => {
  freezeClock(AT.open);
  t.district = await e2e.districtAdmin();
  t.city = await mint.cityAdmin();
  const place = await e2e.place();
  const teamA = await coreTeam(e2e, { communityId: place.communityId });
  const teamB = await e2e.team({ scope: 'district' });
  ids.teamA = teamA.teamId;
  core = teamA.core.map((m) => m.memberId);
  t.leaderA = teamA.leader.token;
  t.leaderB = teamB.leader.token;
  t.leaderBClaimingA = await mint.leader(teamB.leader.memberId, ids.teamA);
  t.memberAsLeaderOfA = await tokenFor({ role: 'member', memberId: teamA.leader.memberId, teamId: ids.teamA });
  t.coreMember = teamA.core[1]!.token;
  const member = await e2e.member('路人');
  t.member = member.token;
  const reviewer = await e2e.member('评委');
  ids.reviewer = reviewer.memberId;
  t.reviewer = reviewer.token;
  t.resident = await mint.resident();
  t.adminOfA = await mint.communityAdmin(place.communityId);
  t.streetAdmin = await mint.streetAdmin(place.streetId);
  Object.assign(t, await mint.outsiders());
  const call = await api.post('/featured-calls', t.district, CALL_BODY);
  expect(call.status, call.text).toBe(201);
  ids.callId = call.body.callId;
  const sub = await api.post(`/featured-calls/${ids.callId}/submissions`, t.leaderA, submissionBody(core));
  expect(sub.status, sub.text).toBe(201);
  ids.s1 = sub.body.submissionId;
  const assigned = await api.post(`/featured-calls/${ids.callId}/submissions/${ids.s1}/reviewers`, t.district, {
    reviewerId: ids.reviewer,
  });
  expect(assigned.status, assigned.text).toBe(201);
}, 180_000);
afterAll(() => resetClock());

describe('authorization of the featured-projects routes', () => {
  const ROLE = [403];
  const HIDDEN = [403, 404];
  const ADMINS_BELOW = { adminOfA: ROLE, streetAdmin: ROLE };
  const sub = () => `/featured-calls/${ids.callId}/submissions/${ids.s1}`;
  const attempts: Attempt[] = [
    {
      method: 'POST',
      path: () => '/featured-calls',
      body: () => CALL_BODY,
      deny: { member: ROLE, resident: ROLE, leaderA: ROLE, city: ROLE, ...ADMINS_BELOW },
    },
    { method: 'GET', path: () => `/featured-calls/${ids.callId}`, deny: {} },
    {
      method: 'POST',
      path: () => `/featured-calls/${ids.callId}/submissions`,
      body: () => submissionBody(core),
      deny: {
        member: ROLE,
        resident: ROLE,
        district: ROLE,
        memberAsLeaderOfA: ROLE,
        leaderBClaimingA: ROLE,
        ...ADMINS_BELOW,
      },
    },
    {
      method: 'GET',
      path: () => `/featured-calls/${ids.callId}/submissions`,
      deny: { member: ROLE, resident: ROLE, leaderA: ROLE, reviewer: ROLE, ...ADMINS_BELOW },
    },
    {
      method: 'GET',
      path: sub,
      deny: { member: HIDDEN, coreMember: HIDDEN, leaderB: HIDDEN, resident: ROLE, ...ADMINS_BELOW },
    },
    {
      method: 'PUT',
      path: sub,
      body: () => submissionBody(core, { plan: '别人改的' }),
      deny: {
        leaderB: HIDDEN,
        leaderBClaimingA: HIDDEN,
        memberAsLeaderOfA: ROLE,
        member: ROLE,
        district: ROLE,
        resident: ROLE,
        ...ADMINS_BELOW,
      },
    },
    {
      method: 'POST',
      path: () => `${sub()}/reviewers`,
      body: () => ({ reviewerId: ids.reviewer }),
      deny: { member: ROLE, leaderA: ROLE, reviewer: ROLE, city: ROLE, resident: ROLE, ...ADMINS_BELOW },
    },
    {
      method: 'POST',
      path: () => `${sub()}/scores`,
      body: () => ({ scores: scores([8, 8, 4, 4], [8, 8, 4, 4]) }),
      deny: { member: HIDDEN, leaderA: HIDDEN, coreMember: HIDDEN, district: ROLE, resident: ROLE, ...ADMINS_BELOW },
    },
    {
      method: 'POST',
      path: () => `/featured-calls/${ids.callId}/results`,
      deny: { member: ROLE, leaderA: ROLE, reviewer: ROLE, city: ROLE, resident: ROLE, ...ADMINS_BELOW },
    },
    {
      method: 'POST',
      path: () => `/featured-calls/${ids.callId}/awards`,
      body: () => ({ awards: [{ submissionId: ids.s1, tierId: 'first' }] }),
      deny: { member: ROLE, leaderA: ROLE, reviewer: ROLE, city: ROLE, resident: ROLE, ...ADMINS_BELOW },
    },
    {
      method: 'GET',
      path: () => '/members/me/awards',
      deny: { district: ROLE, resident: ROLE, city: ROLE, ...ADMINS_BELOW },
    },
    { method: 'GET', path: () => `/teams/${ids.teamA}/awards`, deny: {} },
  ];

  it('denies every outsider on every route and changes nothing', async () => {
    await expectRefusedWritingNothing(() => deniedFailures(api, attempts, t), e2e.tableName);
  }, 120_000);

  it('the public notice needs no token, and shows nothing before the results', async () => {
    const res = await api.get(`/featured-calls/${ids.callId}/notice`);
    expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
  }, 120_000);

  it("the team's leader, admins and the assigned reviewer read the submission", async () => {
    for (const who of ['leaderA', 'district', 'city', 'reviewer']) {
      const res = await api.get(`/featured-calls/${ids.callId}/submissions/${ids.s1}`, t[who]);
      expect(res.status, who).toBe(200);
    }
  }, 120_000);
});

import { beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeJwt } from 'jose';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { mint, useE2e, type User } from '../support/e2e.ts';

/**
 * The real path a person takes, end to end through the local user pool (its triggers run as the
 * City stack's cognito-triggers function), the city bus, the HTTP API and the table's stream (the
 * identity function projects each roles record onto the pool):
 *   sign up -> resident posts a wish -> profile and check-in -> approved -> the refreshed token is a
 *   member's -> claims a wish -> joins a team -> made its leader -> publishes an activity.
 * Every grant leaves an audit entry, readable by the admins of its scope.
 */
// The table's stream is read by polling DynamoDB Local, which the whole suite shares: give it time.
vi.setConfig({ testTimeout: 90_000 });
const e2e = useE2e({ identity: true });
const { api } = e2e;
const ids = { streetId: '', communityId: '', gridId: '' };
let da = '';
let user: User;

const claims = (token: string) => decodeJwt(token) as Record<string, unknown>;

const wish = (title: string) => ({
  title,
  description: '帮忙取药',
  category: 'elderly-care',
  communityId: ids.communityId,
  contactName: '李桂兰',
  contactPhone: '13700001234',
});

beforeAll(async () => {
  da = await e2e.districtAdmin();
  Object.assign(ids, await e2e.place());
});

describe('sign up, check in, lead', () => {
  it('signing up makes a resident of the chosen district, in the first token and in the district', async () => {
    user = await e2e.signUp();
    const c = claims(user.token);
    expect(c['cognito:groups']).toEqual(['resident']);
    expect(c['custom:district']).toBe(LOCAL_DISTRICT_ID);
    expect(c['custom:memberId']).toBeUndefined();
    const roles = await api.get(`/users/${user.sub}/roles`, da);
    expect(roles.status, roles.text).toBe(200);
    expect(roles.body).toMatchObject({ sub: user.sub, district: LOCAL_DISTRICT_ID, roles: ['resident'] });
    const audit = await api.get(`/role-audit?sub=${user.sub}`, da);
    expect(audit.body.items).toMatchObject([
      { action: 'grant', role: 'resident', actor: 'sign-up', source: 'sign-up' },
    ]);
  });

  it('a district this deployment does not serve is refused at sign-up', async () => {
    await expect(e2e.signUp({ district: 'atlantis' })).rejects.toThrow(
      /UserLambdaValidationException.*unknown district/,
    );
  });

  it('the resident posts a wish, creates a profile and asks to check in', async () => {
    const posted = await api.post('/wishes', user.token, wish('取药'));
    expect(posted.status, posted.text).toBe(201);
    const profile = await api.post('/members', user.token, { name: '王小明', phone: '13912340000' });
    expect(profile.status, profile.text).toBe(201);
    expect(profile.body.memberId).toBe(user.sub);
    const checkIn = await api.post('/check-ins', user.token, { communityId: ids.communityId, gridId: ids.gridId });
    expect(checkIn.status, checkIn.text).toBe(201);
    // Still a resident: members' routes are closed until the approval reaches the token.
    expect((await api.get('/wishes/suggested', user.token)).status).toBe(403);
    const approved = await api.post(
      `/check-ins/${checkIn.body.checkInId}/approve`,
      await mint.communityAdmin(ids.communityId),
    );
    expect(approved.status, approved.text).toBe(200);
  });

  it("after the approval, the refreshed token is a member's of that community", async () => {
    user.token = await e2e.refresh(user.sub);
    const c = claims(user.token);
    expect(c['cognito:groups']).toEqual(['resident', 'member']);
    expect(c['custom:memberId']).toBe(user.sub);
    expect(c['custom:communityId']).toBe(ids.communityId);
    expect((await api.get('/members/me', user.token)).body.communityId).toBe(ids.communityId);
    const audit = await api.get(
      `/role-audit?communityId=${ids.communityId}`,
      await mint.communityAdmin(ids.communityId),
    );
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.items).toMatchObject([
      {
        action: 'grant',
        role: 'member',
        target: user.sub,
        source: 'check-in',
        scope: { communityId: ids.communityId },
      },
    ]);
  });

  it('the member claims a published wish', async () => {
    const other = await e2e.signUp();
    const posted = await api.post('/wishes', other.token, wish('修灯'));
    const review = await api.post(`/wishes/${posted.body.wishId}/review`, da, { decision: 'publish' });
    expect(review.status, review.text).toBe(200);
    const claim = await api.post(`/wishes/${posted.body.wishId}/claim`, user.token);
    expect(claim.status, claim.text).toBe(200);
  });

  it('joins a team, is named its leader, and publishes an activity with the refreshed token', async () => {
    const team = await e2e.team({ communityId: ids.communityId });
    expect((await api.post(`/teams/${team.teamId}/join`, user.token)).status).toBe(201);
    const ok = await api.post(`/teams/${team.teamId}/members/${user.sub}/approve`, team.leader.token);
    expect(ok.status, ok.text).toBe(200);
    const named = await api.put(`/teams/${team.teamId}/leader`, da, { memberId: user.sub, reason: '换届' });
    expect(named.status, named.text).toBe(200);
    expect(named.body.leaderMemberId).toBe(user.sub);

    // The old token cannot publish yet; the refreshed one can.
    const body = {
      title: '义诊',
      content: '量血压',
      category: 'health',
      communityId: ids.communityId,
      address: '社区服务中心',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 90_000_000).toISOString(),
      capacity: 10,
    };
    expect((await api.post('/activities', user.token, body)).status).toBe(403);
    user.token = await e2e.refresh(user.sub);
    const c = claims(user.token);
    expect(c['cognito:groups']).toEqual(['resident', 'member', 'team_leader']);
    expect(c['custom:teamId']).toBe(team.teamId);
    const published = await api.post('/activities', user.token, body);
    expect(published.status, published.text).toBe(201);

    // The previous leader's record no longer holds the role (their team is the one that moved).
    const previous = await api.get(`/users/${team.leader.memberId}/roles`, da);
    expect(previous.body.roles).not.toContain('team_leader');
    const audit = await api.get(`/role-audit?sub=${user.sub}`, da);
    expect(audit.body.items.map((e: { role: string }) => e.role)).toEqual(['team_leader', 'member', 'resident']);
    expect(e2e.identity.streams.failures).toEqual([]);
  });
});

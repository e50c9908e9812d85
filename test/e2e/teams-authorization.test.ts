import { beforeAll, describe, expect, it } from 'vitest';
import { type Attempt, deniedFailures, expectRefusedWritingNothing } from '../support/matrix.ts';
import { mint, tokenFor, useE2e } from '../support/e2e.ts';

/**
 * The teams routes against outsiders: a member cannot register teams, another team's leader
 * cannot decide this team's join requests, a community admin of elsewhere cannot see its
 * roster... each gets 401, 403 or 404, and nothing in the table changes.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { communityA: '', teamA: '', pending: '', member: '' };
const t: Record<string, string> = {};

beforeAll(async () => {
  t.district = await e2e.districtAdmin();
  const streetA = await e2e.street('A街道');
  const streetB = await e2e.street('B街道');
  ids.communityA = await e2e.community(streetA, 'A社区');
  const communityB = await e2e.community(streetB, 'B社区');
  const teamA = await e2e.team({ communityId: ids.communityA });
  const teamB = await e2e.team({ communityId: communityB });
  ids.teamA = teamA.teamId;
  ids.pending = (await e2e.joinRequest(ids.teamA)).memberId;
  const m = await e2e.member();
  ids.member = m.memberId;
  t.member = m.token;
  t.resident = await mint.resident();
  t.leaderA = teamA.leader.token;
  t.leaderB = teamB.leader.token;
  t.leaderBClaimingA = await mint.leader(teamB.leader.memberId, ids.teamA);
  t.memberAsLeaderOfA = await tokenFor({ role: 'member', memberId: teamA.leader.memberId, teamId: ids.teamA });
  t.adminOfB = await mint.communityAdmin(communityB);
  t.adminOfA = await mint.communityAdmin(ids.communityA);
  t.streetAdminOfB = await mint.streetAdmin(streetB);
  Object.assign(t, await mint.outsiders());
});

describe('authorization of the teams routes', () => {
  const ROLE = [403];
  const HIDDEN = [403, 404];
  const team = () => ({
    name: '新队',
    category: 'health',
    scope: 'community',
    communityId: ids.communityA,
    leaderMemberId: ids.member,
  });
  const attempts: Attempt[] = [
    {
      method: 'POST',
      path: () => '/teams',
      body: team,
      deny: { member: ROLE, resident: ROLE, leaderA: ROLE, adminOfA: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
    },
    {
      method: 'POST',
      path: () => `/teams/${ids.teamA}/join`,
      deny: { resident: ROLE, adminOfA: ROLE, district: ROLE },
    },
    {
      method: 'GET',
      path: () => `/teams/${ids.teamA}/members?status=pending`,
      deny: {
        member: ROLE,
        resident: ROLE,
        leaderB: ROLE,
        leaderBClaimingA: ROLE,
        adminOfB: ROLE,
        streetAdminOfB: ROLE,
        memberAsLeaderOfA: ROLE,
      },
    },
    {
      method: 'POST',
      path: () => `/teams/${ids.teamA}/members/${ids.pending}/approve`,
      deny: {
        member: ROLE,
        resident: ROLE,
        leaderB: HIDDEN,
        leaderBClaimingA: HIDDEN,
        memberAsLeaderOfA: ROLE,
        adminOfA: ROLE,
        district: ROLE,
      },
    },
    {
      method: 'POST',
      path: () => `/teams/${ids.teamA}/members/${ids.pending}/reject`,
      body: () => ({ reason: '不合适' }),
      deny: {
        member: ROLE,
        resident: ROLE,
        leaderB: HIDDEN,
        leaderBClaimingA: HIDDEN,
        memberAsLeaderOfA: ROLE,
        adminOfA: ROLE,
        district: ROLE,
      },
    },
    {
      method: 'POST',
      path: () => `/teams/${ids.teamA}/flag-grant`,
      body: () => ({ date: '2026-03-05' }),
      deny: { member: ROLE, resident: ROLE, leaderA: ROLE, adminOfA: ROLE, streetAdminOfB: ROLE },
    },
    {
      // Leaving acts on the caller's own place only: admins hold no place to leave.
      method: 'POST',
      path: () => `/teams/${ids.teamA}/leave`,
      deny: { resident: ROLE, adminOfA: ROLE, district: ROLE, streetAdminOfB: ROLE },
    },
    { method: 'GET', path: () => '/members/me/teams', deny: { resident: ROLE, adminOfA: ROLE, district: ROLE } },
    { method: 'GET', path: () => '/teams', deny: {} },
    { method: 'GET', path: () => `/teams/${ids.teamA}`, deny: {} },
  ];

  it('denies every outsider on every route and changes nothing', async () => {
    await expectRefusedWritingNothing(() => deniedFailures(api, attempts, t));
  });

  it('the leader of the team and admins of its scope see the roster', async () => {
    for (const who of ['leaderA', 'district', 'adminOfA']) {
      const res = await api.get(`/teams/${ids.teamA}/members?status=pending`, t[who]);
      expect(res.status, who).toBe(200);
      expect(res.body.items.map((x: { memberId: string }) => x.memberId)).toEqual([ids.pending]);
    }
  });

  it('my teams are mine only, and leaving never touches another member’s place', async () => {
    const mine = await api.get('/members/me/teams', t.member);
    expect(mine.body.items).toEqual([]);
    const pendingsOwn = await api.get('/members/me/teams', await mint.member(ids.pending));
    expect(pendingsOwn.body.items).toEqual([
      expect.objectContaining({ teamId: ids.teamA, memberId: ids.pending, status: 'pending' }),
    ]);
    // Another team's leader, or a member claiming to lead this team, leaving: their own place only (none here).
    expect((await api.post(`/teams/${ids.teamA}/leave`, t.leaderB)).body.code).toBe('NOT_TEAM_MEMBER');
    expect((await api.post(`/teams/${ids.teamA}/leave`, t.member)).body.code).toBe('NOT_TEAM_MEMBER');
    const roster = await api.get(`/teams/${ids.teamA}/members?status=pending`, t.district);
    expect(roster.body.items.map((x: { memberId: string }) => x.memberId)).toEqual([ids.pending]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { allItems } from '../support/inspect.ts';
import { type TeamFixture, useE2e } from '../support/e2e.ts';

/**
 * Team races over HTTP: one member joining 20 times at once, 20 approvals at once, members leaving
 * and joining at once, one team name registered at once; exact counts.
 */
const e2e = useE2e();
const { api } = e2e;
let district = '';
let team: TeamFixture;

beforeAll(async () => {
  district = await e2e.districtAdmin();
  const communityId = await e2e.community(await e2e.street());
  team = await e2e.team({ communityId, name: '法律援助志愿服务队', category: 'legal-aid' });
});

describe('teams races', () => {
  it('20 concurrent join requests by one member leave exactly one pending request', async () => {
    const m = await e2e.member();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.post(`/teams/${team.teamId}/join`, m.token)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect(results.every((r) => r.status < 500)).toBe(true);
    const stored = (await allItems()).filter((i) => i.type === 'team-member' && i.memberId === m.memberId);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe('pending');
  });

  it('20 concurrent approvals of different members leave memberCount exact', async () => {
    const before = (await api.get(`/teams/${team.teamId}`, district)).body.memberCount as number;
    const ms = await Promise.all(Array.from({ length: 20 }, () => e2e.member()));
    for (const m of ms) await e2e.joinRequest(team.teamId, m);
    const results = await Promise.all(
      ms.map((m) => api.post(`/teams/${team.teamId}/members/${m.memberId}/approve`, team.leader.token)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const after = (await api.get(`/teams/${team.teamId}`, district)).body.memberCount;
    expect(after).toBe(before + 20);
    const active = (await allItems()).filter(
      (i) => i.type === 'team-member' && i.teamId === team.teamId && i.status === 'active',
    );
    expect(active).toHaveLength(after);
  });

  it('members leaving (each twice) while others are approved and others withdraw, all at once: memberCount exact', async () => {
    const [L, J, W] = [6, 6, 3];
    const t2 = await e2e.team({ name: '进出竞速队' });
    const count = async () => (await api.get(`/teams/${t2.teamId}`, district)).body.memberCount as number;
    const leaving = await Promise.all(Array.from({ length: L }, () => e2e.member()));
    const joining = await Promise.all(Array.from({ length: J }, () => e2e.member()));
    const withdrawing = await Promise.all(Array.from({ length: W }, () => e2e.member()));
    await Promise.all([...leaving, ...joining, ...withdrawing].map((m) => e2e.joinRequest(t2.teamId, m)));
    for (const m of leaving) await api.post(`/teams/${t2.teamId}/members/${m.memberId}/approve`, t2.leader.token);
    expect(await count()).toBe(1 + L);
    const results = await Promise.all([
      // Each leaver twice at once: one leaves, the other is a 409 (never a second decrement).
      ...leaving.flatMap((m) => [m, m].map((x) => api.post(`/teams/${t2.teamId}/leave`, x.token))),
      ...joining.map((m) => api.post(`/teams/${t2.teamId}/members/${m.memberId}/approve`, t2.leader.token)),
      ...withdrawing.map((m) => api.post(`/teams/${t2.teamId}/leave`, m.token)),
      // The leader cannot leave, whatever happens around it.
      api.post(`/teams/${t2.teamId}/leave`, t2.leader.token),
    ]);
    expect(results.every((r) => r.status < 500)).toBe(true);
    const leaves = results.slice(0, 2 * L);
    expect(leaves.filter((r) => r.status === 200)).toHaveLength(L);
    expect(leaves.filter((r) => r.status === 409 && r.body.code === 'NOT_TEAM_MEMBER')).toHaveLength(L);
    expect(results.slice(2 * L, 2 * L + J).map((r) => r.status)).toEqual(Array(J).fill(200));
    expect(results.slice(2 * L + J, 2 * L + J + W).map((r) => r.status)).toEqual(Array(W).fill(200));
    expect(results[2 * L + J + W]!.body.code).toBe('LEADER_CANNOT_LEAVE');
    // The leader, plus those approved, less those who left.
    expect(await count()).toBe(1 + J);
    const entries = (await allItems()).filter((i) => i.type === 'team-member' && i.teamId === t2.teamId);
    expect(entries.filter((i) => i.status === 'active')).toHaveLength(1 + J);
    expect(entries.filter((i) => i.status === 'left')).toHaveLength(L + W);
  });

  it('members leaving and asking again at the same time as approvals: count equals the active roster', async () => {
    const t3 = await e2e.team({ name: '反复竞速队' });
    const ms = await Promise.all(Array.from({ length: 6 }, () => e2e.member()));
    await Promise.all(ms.map((m) => e2e.joinRequest(t3.teamId, m)));
    for (const m of ms) await api.post(`/teams/${t3.teamId}/members/${m.memberId}/approve`, t3.leader.token);
    // Each member leaves, asks again, and the leader approves, twice, all members at once.
    await Promise.all(
      ms.map(async (m) => {
        for (let round = 0; round < 2; round++) {
          expect((await api.post(`/teams/${t3.teamId}/leave`, m.token)).status).toBe(200);
          expect((await api.post(`/teams/${t3.teamId}/join`, m.token)).status).toBe(201);
          expect((await api.post(`/teams/${t3.teamId}/members/${m.memberId}/approve`, t3.leader.token)).status).toBe(
            200,
          );
        }
      }),
    );
    const count = (await api.get(`/teams/${t3.teamId}`, district)).body.memberCount;
    const active = (await allItems()).filter(
      (i) => i.type === 'team-member' && i.teamId === t3.teamId && i.status === 'active',
    );
    expect(count).toBe(7);
    expect(active).toHaveLength(7);
  });

  it('10 concurrent registrations of one team name in one community: exactly one', async () => {
    const communityId = await e2e.community(await e2e.street());
    const leaders = await Promise.all(Array.from({ length: 10 }, () => e2e.member()));
    const results = await Promise.all(
      leaders.map((l, i) =>
        api.post('/teams', district, {
          name: i % 2 ? '同名竞速队' : ' 同名竞速队 ',
          category: 'health',
          scope: 'community',
          communityId,
          leaderMemberId: l.memberId,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === 'NAME_TAKEN')).toHaveLength(9);
    const teams = (await allItems()).filter((i) => i.type === 'team' && i.communityId === communityId);
    expect(teams).toHaveLength(1);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/**
 * Teams over HTTP through the local API Gateway emulator: register a team (with an
 * Idempotency-Key), list and read it, join and approve or reject, the flag grant.
 */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};
const ids = { street: '', community: '', leader: '', team: '' };

beforeAll(async () => {
  t.district = await e2e.districtAdmin();
  t.city = await mint.cityAdmin();
  ids.street = await e2e.street('春熙路街道');
  ids.community = await e2e.community(ids.street, '和平社区', { address: '和平街1号' });
  ids.leader = (await e2e.member('王队长')).memberId;
});

describe('teams, end to end', () => {
  it('a district admin registers a team; anyone signed in lists and reads it', async () => {
    const body = {
      name: '法律援助志愿服务队',
      category: 'legal-aid',
      scope: 'community',
      communityId: ids.community,
      leaderMemberId: ids.leader,
    };
    const key = uniq('team-key');
    const res = await api.post('/teams', t.district, body, { 'idempotency-key': key });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ...body,
      streetId: ids.street,
      leaderName: '王队长',
      memberCount: 1,
      status: 'active',
    });
    ids.team = res.body.teamId;
    const replay = await api.post('/teams', t.district, body, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.body.teamId).toBe(ids.team);
    t.leader = await mint.leader(ids.leader, ids.team);

    const member = await mint.member(uniq('reader'));
    expect((await api.get(`/teams/${ids.team}`, member)).body).toEqual(res.body);
    const list = await api.get('/teams?category=legal-aid&limit=5', member);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { teamId: string }) => x.teamId)).toEqual([ids.team]);
    expect((await api.get('/teams?category=health', member)).body.items).toEqual([]);
    expect((await api.get('/teams/team-none', member)).status).toBe(404);
    expect((await api.post('/teams', t.district, { ...body, leaderMemberId: 'nobody' })).body.code).toBe(
      'UNKNOWN_MEMBER',
    );
  });

  it('members ask to join; the leader sees the requests, approves one, rejects another', async () => {
    const a = await e2e.member('甲');
    const b = await e2e.member('乙');
    const joined = await api.post(`/teams/${ids.team}/join`, a.token);
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ teamId: ids.team, memberId: a.memberId, status: 'pending', memberName: '甲' });
    expect((await api.post(`/teams/${ids.team}/join`, a.token)).body.code).toBe('JOIN_ALREADY_PENDING');
    await api.post(`/teams/${ids.team}/join`, b.token);
    const pending = await api.get(`/teams/${ids.team}/members?status=pending`, t.leader);
    expect(pending.status).toBe(200);
    expect(pending.body.items.map((x: { memberId: string }) => x.memberId)).toEqual([a.memberId, b.memberId]);

    const ok = await api.post(`/teams/${ids.team}/members/${a.memberId}/approve`, t.leader);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('active');
    const no = await api.post(`/teams/${ids.team}/members/${b.memberId}/reject`, t.leader, {
      reason: '请先完成岗前培训',
    });
    expect(no.body).toMatchObject({ status: 'rejected', reason: '请先完成岗前培训' });
    expect((await api.post(`/teams/${ids.team}/members/${a.memberId}/approve`, t.leader)).body.code).toBe(
      'JOIN_NOT_PENDING',
    );
    expect((await api.post(`/teams/${ids.team}/join`, a.token)).body.code).toBe('ALREADY_TEAM_MEMBER');

    expect((await api.get(`/teams/${ids.team}`, t.district)).body.memberCount).toBe(2);
    const roster = await api.get(`/teams/${ids.team}/members`, t.district);
    expect(roster.body.items.map((x: { memberId: string }) => x.memberId).sort()).toEqual(
      [ids.leader, a.memberId].sort(),
    );
  });

  it('my teams and my join requests; leaving keeps memberCount exact; the leader hands over first; one may ask again', async () => {
    const me = await e2e.member('丙');
    const other = await e2e.team({ name: '书院街助老队' });
    const count = async () => (await api.get(`/teams/${ids.team}`, t.district)).body.memberCount as number;
    const before = await count();
    await e2e.joinRequest(ids.team, me);
    expect((await api.post(`/teams/${ids.team}/members/${me.memberId}/approve`, t.leader)).status).toBe(200);
    await e2e.joinRequest(other.teamId, me);
    expect(await count()).toBe(before + 1);

    // My teams: the active one with my role, the pending request, with the teams' names.
    const mine = await api.get('/members/me/teams', me.token);
    expect(mine.status).toBe(200);
    const byTeam = Object.fromEntries(mine.body.items.map((x: { teamId: string }) => [x.teamId, x]));
    expect(mine.body.items).toHaveLength(2);
    expect(byTeam[ids.team]).toMatchObject({
      status: 'active',
      role: 'member',
      teamName: '法律援助志愿服务队',
      teamStatus: 'active',
    });
    expect(byTeam[other.teamId]).toMatchObject({ status: 'pending', role: 'member', teamName: '书院街助老队' });
    const leaderMine = await api.get('/members/me/teams', t.leader);
    expect(leaderMine.body.items).toEqual([
      expect.objectContaining({ teamId: ids.team, role: 'leader', status: 'active' }),
    ]);
    const paged = await api.get('/members/me/teams?limit=1', me.token);
    expect(paged.body.items).toHaveLength(1);
    const rest = await api.get(`/members/me/teams?limit=1&cursor=${paged.body.nextCursor}`, me.token);
    expect([...paged.body.items, ...rest.body.items].map((x: { teamId: string }) => x.teamId).sort()).toEqual(
      [ids.team, other.teamId].sort(),
    );

    // Leaving: one transaction moves me to `left` and memberCount down by one; a retry with the key replays.
    const key = uniq('leave');
    const left = await api.post(`/teams/${ids.team}/leave`, me.token, undefined, { 'idempotency-key': key });
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({
      teamId: ids.team,
      memberId: me.memberId,
      status: 'left',
      leftAt: expect.any(String),
    });
    expect(left.body.decidedAt).toBeUndefined();
    const replay = await api.post(`/teams/${ids.team}/leave`, me.token, undefined, { 'idempotency-key': key });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(left.body);
    expect(await count()).toBe(before);
    // Leaving again (without the key) is a clear 409 and changes nothing.
    const twice = await api.post(`/teams/${ids.team}/leave`, me.token);
    expect(twice.body).toMatchObject({ status: 409, code: 'NOT_TEAM_MEMBER' });
    expect(twice.body.detail).toContain('you left this team');
    expect(await count()).toBe(before);
    const roster = await api.get(`/teams/${ids.team}/members`, t.district);
    expect(roster.body.items.map((x: { memberId: string }) => x.memberId)).not.toContain(me.memberId);

    // Withdrawing my pending request: no count moves; the leader no longer sees it.
    const otherCount = (await api.get(`/teams/${other.teamId}`, t.district)).body.memberCount;
    const withdrawn = await api.post(`/teams/${other.teamId}/leave`, me.token);
    expect(withdrawn.body).toMatchObject({ status: 'left' });
    expect((await api.get(`/teams/${other.teamId}`, t.district)).body.memberCount).toBe(otherCount);
    const pending = await api.get(`/teams/${other.teamId}/members?status=pending`, other.leader.token);
    expect(pending.body.items).toEqual([]);
    const after = await api.get('/members/me/teams', me.token);
    expect(after.body.items.map((x: { status: string }) => x.status)).toEqual(['left', 'left']);

    // The leader cannot leave before handing over; after an admin names a new leader, they can.
    expect((await api.post(`/teams/${ids.team}/leave`, t.leader)).body.code).toBe('LEADER_CANNOT_LEAVE');
    expect(await count()).toBe(before);

    // A member who left asks to join again, and is approved again.
    const again = await api.post(`/teams/${ids.team}/join`, me.token);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'pending' });
    expect(again.body.leftAt).toBeUndefined();
    expect((await api.post(`/teams/${ids.team}/members/${me.memberId}/approve`, t.leader)).status).toBe(200);
    expect(await count()).toBe(before + 1);
    const handed = await api.put(`/teams/${ids.team}/leader`, t.district, {
      memberId: me.memberId,
      reason: '原队长调动',
    });
    expect(handed.status).toBe(200);
    const oldLeader = await mint.member(ids.leader);
    const oldLeaves = await api.post(`/teams/${ids.team}/leave`, oldLeader);
    expect(oldLeaves.body).toMatchObject({ status: 'left', role: 'member' });
    expect(await count()).toBe(before);
    // Put things back for the tests after this one: the original leader leads again.
    await e2e.joinRequest(ids.team, { memberId: ids.leader, token: oldLeader });
    await api.post(`/teams/${ids.team}/members/${ids.leader}/approve`, await mint.leader(me.memberId, ids.team));
    expect(
      (await api.put(`/teams/${ids.team}/leader`, t.district, { memberId: ids.leader, reason: '回任' })).status,
    ).toBe(200);
  });

  it('the flag grant is recorded once', async () => {
    const res = await api.post(`/teams/${ids.team}/flag-grant`, t.district, {
      date: '2026-03-05',
      kickoffMonth: '2026-03',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ flagGrantedOn: '2026-03-05', flagGrantedAtKickoff: '2026-03' });
    const again = await api.post(`/teams/${ids.team}/flag-grant`, t.city, { date: '2026-04-01' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('FLAG_ALREADY_GRANTED');
  });
});

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

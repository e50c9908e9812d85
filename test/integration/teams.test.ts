import { beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import { allItems } from '../support/inspect.ts';
import * as people from '../../shared/services/members.ts';
import * as svc from '../../shared/services/teams.ts';
import * as repo from '../../shared/db/teams.ts';
import { codeOf, who } from '../support/callers.ts';

/** The teams context's services and repositories against DynamoDB Local (no mocks). */
const district = who('district_admin');

let n = 0;
async function place() {
  const street = await people.createStreet(district, { name: `街道${++n}` });
  const community = await people.createCommunity(district, {
    name: `社区${n}`,
    streetId: street.streetId,
    kind: 'urban',
  });
  return { street, community };
}
async function member(name = '成员') {
  const me = who('member', { memberId: `m-${process.pid}-${++n}` });
  await people.createMember(me, { name, phone: '13912345678', skills: [], categories: [] });
  return me;
}
/** A team led by a fresh member; returns the team and its leader's caller (team_leader of it). */
async function team(extra: Partial<Parameters<typeof svc.createTeam>[1]> = {}) {
  const p = await place();
  const lead = await member('队长');
  const t = await svc.createTeam(district, {
    name: `志愿服务队${n}`,
    category: 'legal-aid',
    scope: 'community',
    communityId: p.community.communityId,
    leaderMemberId: lead.memberId,
    ...extra,
  });
  return { team: t, leader: who('team_leader', { memberId: lead.memberId, teamId: t.teamId }), place: p };
}

beforeAll(async () => {
  await useFreshTable();
});

describe('registering teams', () => {
  it('a community team takes its street from its community; the leader is its first active member', async () => {
    const { team: t, place: p, leader } = await team();
    expect(t).toMatchObject({
      scope: 'community',
      communityId: p.community.communityId,
      streetId: p.street.streetId,
      status: 'active',
      memberCount: 1,
      leaderName: '队长',
    });
    expect(await svc.getTeam(t.teamId)).toEqual(t);
    const roster = await svc.listTeamMembers(district, t.teamId, 'active', 10, undefined);
    expect(roster.items).toEqual([
      expect.objectContaining({ memberId: leader.memberId, role: 'leader', status: 'active' }),
    ]);
  });

  it('refuses unknown leaders, places and mismatched streets, and writes nothing', async () => {
    const p = await place();
    const lead = await member();
    const other = await place();
    const before = (await allItems()).length;
    const base = { name: '队', category: 'health' as const, leaderMemberId: lead.memberId };
    expect(
      await codeOf(
        svc.createTeam(district, {
          ...base,
          scope: 'community',
          communityId: p.community.communityId,
          leaderMemberId: 'nobody',
        }),
      ),
    ).toBe('UNKNOWN_MEMBER');
    expect(await codeOf(svc.createTeam(district, { ...base, scope: 'community', communityId: 'co-none' }))).toBe(
      'UNKNOWN_COMMUNITY',
    );
    expect(await codeOf(svc.createTeam(district, { ...base, scope: 'street', streetId: 'st-none' }))).toBe(
      'UNKNOWN_STREET',
    );
    expect(await codeOf(svc.createTeam(district, { ...base, scope: 'street' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(svc.createTeam(district, { ...base, scope: 'community' }))).toBe('VALIDATION_FAILED');
    expect(
      await codeOf(
        svc.createTeam(district, {
          ...base,
          scope: 'community',
          communityId: p.community.communityId,
          streetId: other.street.streetId,
        }),
      ),
    ).toBe('UNKNOWN_COMMUNITY');
    expect((await allItems()).length).toBe(before);
  });

  it('a cross-region team needs no place', async () => {
    const lead = await member();
    const t = await svc.createTeam(district, {
      name: '跨区域服务队',
      category: 'major-events',
      scope: 'cross-region',
      leaderMemberId: lead.memberId,
    });
    expect(t.streetId).toBeUndefined();
    expect(t.communityId).toBeUndefined();
  });

  it('lists teams by category, a page at a time, and the active ones', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await team({ category: 'tax-services' })).team.teamId);
    const first = await svc.listTeams('tax-services', 2, undefined);
    expect(first.items).toHaveLength(2);
    const second = await svc.listTeams('tax-services', 2, first.nextCursor);
    expect([...first.items, ...second.items].map((t) => t.teamId).sort()).toEqual(made.sort());
    expect(second.nextCursor).toBeUndefined();
    const all = await svc.listTeams(undefined, 100, undefined);
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const active = await repo.listActiveTeams(100, undefined);
    expect(active.items.map((t) => t.teamId)).toEqual(expect.arrayContaining(made));
  });
});

describe('joining a team', () => {
  it('a pending request, one per member; the leader approves and memberCount goes up', async () => {
    const { team: t, leader } = await team();
    const m = await member('张三');
    const req = await svc.joinTeam(m, t.teamId);
    expect(req).toMatchObject({ status: 'pending', memberName: '张三', role: 'member' });
    expect(await codeOf(svc.joinTeam(m, t.teamId))).toBe('JOIN_ALREADY_PENDING');
    const pending = await svc.listTeamMembers(leader, t.teamId, 'pending', 10, undefined);
    expect(pending.items.map((x) => x.memberId)).toEqual([m.memberId]);
    const approved = await svc.approveMember(leader, t.teamId, m.memberId);
    expect(approved.status).toBe('active');
    expect((await svc.getTeam(t.teamId)).memberCount).toBe(2);
    expect(await codeOf(svc.joinTeam(m, t.teamId))).toBe('ALREADY_TEAM_MEMBER');
    expect(await codeOf(svc.approveMember(leader, t.teamId, m.memberId))).toBe('JOIN_NOT_PENDING');
    expect((await svc.listTeamMembers(leader, t.teamId, 'pending', 10, undefined)).items).toEqual([]);
    expect((await svc.listTeamMembers(leader, t.teamId, 'active', 10, undefined)).items).toHaveLength(2);
  });

  it('a rejected member may ask again; a rejection does not count', async () => {
    const { team: t, leader } = await team();
    const m = await member();
    await svc.joinTeam(m, t.teamId);
    const r = await svc.rejectMember(leader, t.teamId, m.memberId, '名额已满');
    expect(r).toMatchObject({ status: 'rejected', reason: '名额已满' });
    expect((await svc.getTeam(t.teamId)).memberCount).toBe(1);
    expect((await svc.joinTeam(m, t.teamId)).status).toBe('pending');
  });

  it('needs a profile and an existing team', async () => {
    const { team: t } = await team();
    expect(await codeOf(svc.joinTeam(who('member', { memberId: 'no-profile' }), t.teamId))).toBe('PROFILE_REQUIRED');
    expect(await codeOf(svc.joinTeam(await member(), 'team-none'))).toBe('NOT_FOUND');
  });

  it('only this team’s recorded leader decides', async () => {
    const a = await team();
    const b = await team();
    const m = await member();
    await svc.joinTeam(m, a.team.teamId);
    const codes = await Promise.all([
      codeOf(svc.approveMember(b.leader, a.team.teamId, m.memberId)), // another team's leader
      codeOf(
        svc.approveMember(
          who('team_leader', { memberId: b.leader.memberId, teamId: a.team.teamId }),
          a.team.teamId,
          m.memberId,
        ),
      ), // claims the team, is not its leader
      codeOf(
        svc.rejectMember(
          who('team_leader', { memberId: a.leader.memberId, teamId: undefined }),
          a.team.teamId,
          m.memberId,
          undefined,
        ),
      ), // no team claim
      codeOf(svc.approveMember(district, a.team.teamId, m.memberId)),
    ]);
    expect(codes).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(await codeOf(svc.approveMember(a.leader, a.team.teamId, 'nobody'))).toBe('NOT_FOUND');
    expect((await repo.getTeamMember(a.team.teamId, m.memberId, true))?.status).toBe('pending');
  });

  it('the roster is for the leader and admins of the team’s scope', async () => {
    const a = await team();
    const b = await team();
    const ok = [
      a.leader,
      district,
      who('city_admin'),
      who('community_admin', { communityId: a.place.community.communityId }),
      who('street_admin', { streetId: a.place.street.streetId }),
    ];
    for (const c of ok)
      expect((await svc.listTeamMembers(c, a.team.teamId, 'active', 10, undefined)).items).toHaveLength(1);
    const denied = [
      b.leader,
      who('community_admin', { communityId: b.place.community.communityId }),
      who('street_admin', { streetId: b.place.street.streetId }),
    ];
    for (const c of denied)
      expect(await codeOf(svc.listTeamMembers(c, a.team.teamId, 'active', 10, undefined))).toBe('FORBIDDEN');
    expect(await codeOf(svc.listTeamMembers(district, 'team-none', 'active', 10, undefined))).toBe('NOT_FOUND');
  });

  it('20 concurrent approvals of different members leave memberCount exact', async () => {
    const { team: t, leader } = await team();
    const ms = await Promise.all(Array.from({ length: 20 }, () => member()));
    for (const m of ms) await svc.joinTeam(m, t.teamId);
    const results = await Promise.all(ms.map((m) => codeOf(svc.approveMember(leader, t.teamId, m.memberId))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(20);
    expect((await repo.getTeam(t.teamId, true))?.memberCount).toBe(21);
  });
});

describe('flag grants', () => {
  it('recorded once', async () => {
    const { team: t } = await team();
    const granted = await svc.grantFlag(district, t.teamId, { date: '2026-03-05', kickoffMonth: '2026-03' });
    expect(granted).toMatchObject({ flagGrantedOn: '2026-03-05', flagGrantedAtKickoff: '2026-03' });
    expect(await codeOf(svc.grantFlag(district, t.teamId, { date: '2026-04-01' }))).toBe('FLAG_ALREADY_GRANTED');
    expect((await svc.getTeam(t.teamId)).flagGrantedOn).toBe('2026-03-05');
    expect(await codeOf(svc.grantFlag(district, 'team-none', { date: '2026-03-05' }))).toBe('NOT_FOUND');
    const other = await team();
    expect(
      await codeOf(svc.grantFlag(district, other.team.teamId, { date: '2026-04-05', kickoffMonth: '2026-03' })),
    ).toBe('VALIDATION_FAILED');
    expect((await svc.getTeam(other.team.teamId)).flagGrantedOn).toBeUndefined();
  });
});

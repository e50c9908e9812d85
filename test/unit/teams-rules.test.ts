import { describe, expect, it } from 'vitest';
import {
  joinAllowed,
  leadsTeam,
  leaveAllowed,
  placeRequirement,
  teamPlaceErrors,
  TEAM_SCOPES,
} from '../../shared/domain/team.ts';
import { nameKeyOf, teamNameParent } from '../../shared/domain/names.ts';
import { createTeam, grantTeamFlag, joinTeam, listTeamMembers, rejectTeamMember } from '../../shared/contract/teams.ts';

/** The pure team rules: place by scope, who may join, who leads. */
describe('team place by scope', () => {
  it('a community team needs its community; a street team its street and no community', () => {
    expect(teamPlaceErrors({ scope: 'community' }).map((e) => e.field)).toEqual(['body.communityId']);
    expect(teamPlaceErrors({ scope: 'community', communityId: 'c1' })).toEqual([]);
    expect(teamPlaceErrors({ scope: 'street' }).map((e) => e.field)).toEqual(['body.streetId']);
    expect(teamPlaceErrors({ scope: 'street', streetId: 's1' })).toEqual([]);
    expect(teamPlaceErrors({ scope: 'street', streetId: 's1', communityId: 'c1' }).map((e) => e.field)).toEqual([
      'body.communityId',
    ]);
  });

  it('district-wide and cross-* teams may name a home place but need not', () => {
    for (const scope of ['district', 'cross-industry', 'cross-region'] as const) {
      expect(placeRequirement(scope)).toEqual({ communityId: 'optional', streetId: 'optional' });
      expect(teamPlaceErrors({ scope })).toEqual([]);
      expect(teamPlaceErrors({ scope, streetId: 's', communityId: 'c' })).toEqual([]);
    }
    expect(TEAM_SCOPES).toHaveLength(5);
  });
});

describe('join requests', () => {
  it('one request per member and team; again after a rejection', () => {
    expect(joinAllowed(undefined)).toBe('ok');
    expect(joinAllowed({ status: 'rejected' })).toBe('ok');
    expect(joinAllowed({ status: 'pending' })).toBe('JOIN_ALREADY_PENDING');
    expect(joinAllowed({ status: 'active' })).toBe('ALREADY_TEAM_MEMBER');
  });
});

describe('the leader of a team', () => {
  const team = { teamId: 't1', leaderMemberId: 'm1' };
  const caller = (roles: string[], teamId: string | undefined, memberId: string) => ({
    roles: new Set(roles),
    teamId,
    memberId,
  });
  it('has the team_leader role, the team in the teamId claim, and is its recorded leader', () => {
    expect(leadsTeam(caller(['team_leader'], 't1', 'm1'), team)).toBe(true);
  });
  it('is nobody else', () => {
    expect(leadsTeam(caller(['member'], 't1', 'm1'), team)).toBe(false); // no role
    expect(leadsTeam(caller(['team_leader'], 't2', 'm1'), team)).toBe(false); // another team's claim
    expect(leadsTeam(caller(['team_leader'], undefined, 'm1'), team)).toBe(false); // no claim
    expect(leadsTeam(caller(['team_leader'], 't1', 'm2'), team)).toBe(false); // not the recorded leader
    expect(leadsTeam(caller(['district_admin'], 't1', 'm1'), team)).toBe(false);
  });
});

describe('team contracts', () => {
  const valid = {
    name: '垃圾分类志愿服务队',
    category: 'garbage-sorting',
    scope: 'community',
    communityId: 'c1',
    leaderMemberId: 'm1',
  };
  it('accepts a valid registration and rejects unknown fields, categories, scopes and bad ids', () => {
    expect(createTeam.body.safeParse(valid).success).toBe(true);
    expect(createTeam.body.safeParse({ ...valid, memberCount: 5 }).success).toBe(false);
    expect(createTeam.body.safeParse({ ...valid, category: 'flying' }).success).toBe(false);
    expect(createTeam.body.safeParse({ ...valid, scope: 'planet' }).success).toBe(false);
    expect(createTeam.body.safeParse({ ...valid, leaderMemberId: 'a#b' }).success).toBe(false);
    expect(createTeam.body.safeParse({ ...valid, name: 'x'.repeat(65) }).success).toBe(false);
  });
  it('flag grants take a real date and an optional month', () => {
    expect(grantTeamFlag.body.safeParse({ date: '2026-03-05' }).success).toBe(true);
    expect(grantTeamFlag.body.safeParse({ date: '2026-03-05', kickoffMonth: '2026-03' }).success).toBe(true);
    expect(grantTeamFlag.body.safeParse({ date: '2026-02-30' }).success).toBe(false);
    expect(grantTeamFlag.body.safeParse({ date: '2026-3-5' }).success).toBe(false);
    expect(grantTeamFlag.body.safeParse({ date: '2026-03-05', kickoffMonth: '2026-13' }).success).toBe(false);
  });
  it('roster status is pending or active (default active); reject takes an optional reason', () => {
    expect(listTeamMembers.query.parse({}).status).toBe('active');
    expect(listTeamMembers.query.safeParse({ status: 'rejected' }).success).toBe(false);
    expect(rejectTeamMember.body.safeParse(undefined).success).toBe(true);
    expect(rejectTeamMember.body.safeParse({ reason: '' }).success).toBe(false);
    expect(joinTeam.idempotent).toBe(true);
    expect(createTeam.idempotent).toBe(true);
  });
});

describe('leaving a team', () => {
  it('an active member leaves, a pending request is withdrawn; the leader, and anyone not on it, cannot', () => {
    expect(leaveAllowed({ status: 'active', role: 'member' })).toBe('ok');
    expect(leaveAllowed({ status: 'pending', role: 'member' })).toBe('ok');
    expect(leaveAllowed({ status: 'active', role: 'leader' })).toBe('LEADER_CANNOT_LEAVE');
    expect(leaveAllowed({ status: 'left', role: 'member' })).toBe('NOT_TEAM_MEMBER');
    expect(leaveAllowed({ status: 'rejected', role: 'member' })).toBe('NOT_TEAM_MEMBER');
    expect(leaveAllowed(undefined)).toBe('NOT_TEAM_MEMBER');
  });
  it('one who left may ask again', () => {
    expect(joinAllowed({ status: 'left' })).toBe('ok');
  });
});

describe('names unique in their parent', () => {
  it('compares names trimmed, NFKC-normalised, white space collapsed and case folded', () => {
    const one = nameKeyOf('Jinjiang 街道');
    for (const same of [
      '  Jinjiang 街道 ',
      'JINJIANG 街道',
      'ｊｉｎｊｉａｎｇ 街道',
      'Jinjiang\u3000街道',
      'jinjiang \t 街道',
    ])
      expect(nameKeyOf(same), same).toBe(one);
    expect(nameKeyOf('Straße')).toBe(nameKeyOf('STRASSE'));
    // The key itself: NFKC, trimmed, one space, folded to lower case.
    expect(nameKeyOf('  ＲＥＤ   Star　社区 ')).toBe('red star 社区');
    expect(nameKeyOf('①队')).toBe(nameKeyOf('1队'));
    expect(nameKeyOf('Jinjiang 街道二')).not.toBe(one);
    expect(nameKeyOf('红星社区')).not.toBe(nameKeyOf('红星 社区'));
  });
  it('a team is unique in its community, else its street, else the district', () => {
    expect(teamNameParent({ communityId: 'c1', streetId: 's1' })).toBe('community:c1');
    expect(teamNameParent({ streetId: 's1' })).toBe('street:s1');
    expect(teamNameParent({})).toBe('district');
  });
});

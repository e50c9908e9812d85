import { describe, expect, it } from 'vitest';
import { callerFromClaims, parseGroups } from '../../shared/http/caller.ts';
import { administers, administersStreet, maySeePersonalData, type Caller } from '../../shared/domain/policy.ts';
import type { Role } from '../../shared/domain/roles.ts';

const caller = (role: Role, scope: Partial<Caller> = {}): Caller => ({
  sub: 'u1',
  roles: new Set([role]),
  memberId: 'u1',
  communityId: undefined,
  streetId: undefined,
  teamId: undefined,
  district: 'jinjiang',
  ...scope,
});
const place = { streetId: 's1', communityId: 'c1' };

describe('claims', () => {
  it('reads API Gateway stringified groups', () => {
    expect(parseGroups('[member]')).toEqual(['member']);
    expect(parseGroups('[member community_admin]')).toEqual(['member', 'community_admin']);
    expect(parseGroups('["member","city_admin"]')).toEqual(['member', 'city_admin']);
    expect(parseGroups(['team_leader'])).toEqual(['team_leader']);
  });
  it('drops unknown groups and needs a role and a sub', () => {
    expect(parseGroups('[root admin]')).toEqual([]);
    expect(callerFromClaims({ sub: 'u1', 'cognito:groups': '[root]' })).toBeUndefined();
    expect(callerFromClaims({ 'cognito:groups': '[member]' })).toBeUndefined();
    expect(callerFromClaims(undefined)).toBeUndefined();
  });
  it('takes the member id from custom:memberId, else sub; ignores ids of a bad shape', () => {
    const c = callerFromClaims({
      sub: 'abc',
      'cognito:groups': '[member]',
      'custom:memberId': 'm-1',
      'custom:communityId': 'x#y',
    })!;
    expect(c.memberId).toBe('m-1');
    expect(c.communityId).toBeUndefined();
    expect(callerFromClaims({ sub: 'abc', 'cognito:groups': '[member]' })!.memberId).toBe('abc');
  });
});

describe('scope', () => {
  it('community admins administer their community only', () => {
    expect(administers(caller('community_admin', { communityId: 'c1' }), place)).toBe(true);
    expect(administers(caller('community_admin', { communityId: 'c2' }), place)).toBe(false);
    expect(administers(caller('community_admin'), place)).toBe(false);
  });
  it('street admins administer their street', () => {
    expect(administers(caller('street_admin', { streetId: 's1' }), place)).toBe(true);
    expect(administers(caller('street_admin', { streetId: 's2' }), place)).toBe(false);
    expect(administersStreet(caller('street_admin', { streetId: 's1' }), 's1')).toBe(true);
    expect(administersStreet(caller('community_admin', { communityId: 'c1' }), 's1')).toBe(false);
  });
  it('district and city admins administer everything; members and residents nothing', () => {
    expect(administers(caller('district_admin'), place)).toBe(true);
    expect(administers(caller('city_admin'), place)).toBe(true);
    expect(administers(caller('member', { communityId: 'c1' }), place)).toBe(false);
    expect(administers(caller('resident', { communityId: 'c1' }), place)).toBe(false);
    expect(administers(caller('team_leader', { communityId: 'c1' }), place)).toBe(false);
  });
  it('personal data: self and admins of scope only', () => {
    expect(maySeePersonalData(caller('member', { memberId: 'm1' }), { memberId: 'm1', place })).toBe(true);
    expect(maySeePersonalData(caller('member', { memberId: 'm2' }), { memberId: 'm1', place })).toBe(false);
    expect(maySeePersonalData(caller('resident', { memberId: 'm1' }), { memberId: 'm1', place })).toBe(false);
    expect(maySeePersonalData(caller('community_admin', { communityId: 'c1' }), { memberId: 'm1', place })).toBe(true);
    expect(maySeePersonalData(caller('community_admin', { communityId: 'c2' }), { memberId: 'm1', place })).toBe(false);
    expect(
      maySeePersonalData(caller('community_admin', { communityId: 'c1' }), { memberId: 'm1', place: undefined }),
    ).toBe(false);
  });
});

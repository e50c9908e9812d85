import { describe, expect, it } from 'vitest';
import { callerFromClaims, parseGroups } from '../../shared/http/caller.ts';
import {
  administers,
  administersStreet,
  hasRole,
  maySeePersonalData,
  type Caller,
} from '../../shared/domain/policy.ts';
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

describe('the groups claim, in every shape an authorizer sends it', () => {
  it('API Gateway stringified lists, with spaces or commas, padded or not', () => {
    expect(parseGroups(' [member] ')).toEqual(['member']);
    expect(parseGroups('[ member ,  city_admin ]')).toEqual(['member', 'city_admin']);
    expect(parseGroups('[member,,city_admin]')).toEqual(['member', 'city_admin']);
    expect(parseGroups('[]')).toEqual([]);
    expect(parseGroups('[ ]')).toEqual([]);
  });
  it('JSON arrays of strings, with or without spaces; broken JSON is no role', () => {
    expect(parseGroups('[ "member", "street_admin" ]')).toEqual(['member', 'street_admin']);
    expect(parseGroups('["member",]')).toEqual([]);
    expect(parseGroups('["member" "city_admin"]')).toEqual([]);
  });
  it('a bare list, without brackets', () => {
    expect(parseGroups('member')).toEqual(['member']);
    expect(parseGroups('member city_admin')).toEqual(['member', 'city_admin']);
    expect(parseGroups('member,city_admin')).toEqual(['member', 'city_admin']);
    // Only a list closed on both sides is a bracketed one.
    expect(parseGroups('[member city_admin')).toEqual(['city_admin']);
    expect(parseGroups('member city_admin]')).toEqual(['member']);
  });
  it('an array claim; anything else is no role', () => {
    expect(parseGroups(['member', 'root', 'city_admin'])).toEqual(['member', 'city_admin']);
    expect(parseGroups([])).toEqual([]);
    expect(parseGroups('')).toEqual([]);
    expect(parseGroups(undefined)).toEqual([]);
    expect(parseGroups(7)).toEqual([]);
    expect(parseGroups({ 0: 'member' })).toEqual([]);
    // Roles are exact: no case folding, no prefixes.
    expect(parseGroups('[Member city_admins]')).toEqual([]);
  });
  it('reads every scope claim into its own field, only when it has the id shape', () => {
    expect(
      callerFromClaims({
        sub: 's-1',
        'cognito:groups': '[team_leader street_admin]',
        'custom:memberId': 'm-1',
        'custom:communityId': 'c-1',
        'custom:streetId': 'st-1',
        'custom:teamId': 't-1',
        'custom:district': 'jinjiang',
      }),
    ).toEqual({
      sub: 's-1',
      roles: new Set(['team_leader', 'street_admin']),
      memberId: 'm-1',
      communityId: 'c-1',
      streetId: 'st-1',
      teamId: 't-1',
      district: 'jinjiang',
    });
    const odd = callerFromClaims({
      sub: 's-1',
      'cognito:groups': ['member'],
      'custom:memberId': 7,
      'custom:streetId': 'a b',
      'custom:teamId': '',
      'custom:district': 'jin#jiang',
    })!;
    expect(odd).toEqual({
      sub: 's-1',
      roles: new Set(['member']),
      memberId: 's-1',
      communityId: undefined,
      streetId: undefined,
      teamId: undefined,
      district: undefined,
    });
  });
  it('no caller without a sub of the id shape, or without a known role', () => {
    expect(callerFromClaims({ sub: 42, 'cognito:groups': '[member]' })).toBeUndefined();
    expect(callerFromClaims({ sub: 'a#b', 'cognito:groups': '[member]' })).toBeUndefined();
    expect(callerFromClaims({ sub: 'u1', 'cognito:groups': '[]' })).toBeUndefined();
    expect(callerFromClaims({ sub: 'u1' })).toBeUndefined();
    expect(callerFromClaims({})).toBeUndefined();
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
  it('a team leader sees their own personal data, and only their own', () => {
    expect(maySeePersonalData(caller('team_leader', { memberId: 'm1' }), { memberId: 'm1', place })).toBe(true);
    expect(maySeePersonalData(caller('team_leader', { memberId: 'm1' }), { memberId: 'm1', place: undefined })).toBe(
      true,
    );
    expect(maySeePersonalData(caller('team_leader', { memberId: 'm2' }), { memberId: 'm1', place })).toBe(false);
    // An admin is not "self" by id alone: the member or team_leader role goes with it.
    expect(maySeePersonalData(caller('community_admin', { memberId: 'm1' }), { memberId: 'm1', place })).toBe(false);
  });
  it('personal data of a member not checked in anywhere: only the member', () => {
    expect(maySeePersonalData(caller('district_admin'), { memberId: 'm1', place: undefined })).toBe(false);
    expect(maySeePersonalData(caller('district_admin'), { memberId: 'm1', place })).toBe(true);
    expect(maySeePersonalData(caller('street_admin', { streetId: 's1' }), { memberId: 'm1', place })).toBe(true);
    expect(maySeePersonalData(caller('street_admin', { streetId: 's2' }), { memberId: 'm1', place })).toBe(false);
  });
});

describe('scope claims go with their role', () => {
  // A place as some callers build it from an item without a street or community (a district-wide team).
  const unplaced = { streetId: undefined, communityId: undefined } as unknown as {
    streetId: string;
    communityId: string;
  };
  it('a street admin whose token names no street administers nothing, not even an unplaced object', () => {
    expect(administers(caller('street_admin'), unplaced)).toBe(false);
    expect(administers(caller('street_admin'), place)).toBe(false);
    expect(administersStreet(caller('street_admin'), undefined as unknown as string)).toBe(false);
    expect(administersStreet(caller('street_admin'), 's1')).toBe(false);
  });
  it('a community admin whose token names no community administers nothing', () => {
    expect(administers(caller('community_admin'), unplaced)).toBe(false);
  });
  it('a street admin administers every community of their street, and no other street', () => {
    const admin = caller('street_admin', { streetId: 's1' });
    expect(administers(admin, { streetId: 's1', communityId: 'c9' })).toBe(true);
    expect(administers(admin, { streetId: 's2', communityId: 'c1' })).toBe(false);
    expect(administersStreet(admin, 's2')).toBe(false);
  });
  it('a scope claim without the admin role grants nothing', () => {
    expect(administers(caller('member', { streetId: 's1' }), place)).toBe(false);
    expect(administers(caller('community_admin', { streetId: 's1' }), place)).toBe(false);
    expect(administers(caller('street_admin', { communityId: 'c1' }), place)).toBe(false);
    expect(administersStreet(caller('member', { streetId: 's1' }), 's1')).toBe(false);
    expect(administersStreet(caller('community_admin', { streetId: 's1' }), 's1')).toBe(false);
  });
  it('district and city admins administer every street', () => {
    expect(administersStreet(caller('district_admin'), 's1')).toBe(true);
    expect(administersStreet(caller('city_admin'), 's9')).toBe(true);
  });
  it('hasRole: any of the roles named', () => {
    const both: Caller = { ...caller('member'), roles: new Set<Role>(['member', 'street_admin']) };
    expect(hasRole(both, 'street_admin')).toBe(true);
    expect(hasRole(both, 'city_admin', 'member')).toBe(true);
    expect(hasRole(both, 'city_admin', 'district_admin')).toBe(false);
    expect(hasRole(both)).toBe(false);
  });
});

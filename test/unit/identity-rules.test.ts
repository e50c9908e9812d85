import { describe, expect, it } from 'vitest';
import {
  adminRank,
  administersScope,
  applyChange,
  DISTRICT_ID_PATTERN,
  emptyRecord,
  GRANTABLE_ROLES,
  grantRefusal,
  isAdminRole,
  isGrantable,
  placesOf,
  projection,
  scopeOf as scopeOfRecord,
  scopeOfChange,
  tokenGroups,
  type UserRoles,
} from '../../shared/domain/identity.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import { ROLES, type Role } from '../../shared/domain/roles.ts';
import { matchesConsumer } from '../../infra/local/stream-poller.ts';
import { STREAM_CONSUMERS } from '../../shared/config/streams.ts';

const AT = '2026-05-01T00:00:00.000Z';

function caller(role: Role, scope: { streetId?: string; communityId?: string } = {}, sub = 'admin'): Caller {
  return {
    sub,
    roles: new Set([role]),
    memberId: sub,
    communityId: scope.communityId,
    streetId: scope.streetId,
    teamId: undefined,
    district: 'jinjiang',
  };
}

const codeOf = (e: DomainError | undefined) => e?.code ?? 'ok';

/**
 * The grant matrix: every role granting every grantable role, inside and outside their scope, to
 * another user and to themselves. Only admin roles strictly below the caller's own, inside the
 * caller's scope (a street admin: their street; district and city admins: everywhere in the
 * district), never to oneself. Everything else is refused.
 */
describe('who may grant what', () => {
  // The scope the caller holds: street S1 (and community C1 in it) for street and community admins.
  const scopeOf = (role: Role) =>
    role === 'street_admin'
      ? { streetId: 'S1' }
      : role === 'community_admin'
        ? { communityId: 'C1', streetId: 'S1' }
        : {};
  const places = { inside: { streetId: 'S1' }, outside: { streetId: 'S2' } };
  const expected = (by: Role, role: string, where: 'inside' | 'outside', self: boolean): string => {
    if (self) return 'SELF_GRANT';
    const rank: Record<string, number> = { community_admin: 1, street_admin: 2, district_admin: 3, city_admin: 4 };
    if ((rank[by] ?? 0) <= rank[role]!) return 'FORBIDDEN';
    if (by === 'street_admin' && where === 'outside') return 'FORBIDDEN';
    return 'ok';
  };

  const cases = ROLES.flatMap((by) =>
    GRANTABLE_ROLES.flatMap((role) =>
      (['inside', 'outside'] as const).flatMap((where) =>
        [false, true].map((self) => [by, role, where, self] as const),
      ),
    ),
  );

  it.each(cases)('%s grants %s %s their scope (to themselves: %s)', (by, role, where, self) => {
    const c = caller(by, scopeOf(by));
    const refusal = grantRefusal(c, self ? c.sub : 'someone-else', role, places[where]);
    expect(codeOf(refusal)).toBe(expected(by, role, where, self));
  });

  it('grants by the matrix: city admins everything below, district admins street and community admins, street admins community admins', () => {
    const may = (by: Role) =>
      GRANTABLE_ROLES.filter((r) => grantRefusal(caller(by, scopeOf(by)), 'x', r, { streetId: 'S1' }) === undefined);
    expect(may('city_admin')).toEqual(['community_admin', 'street_admin', 'district_admin']);
    expect(may('district_admin')).toEqual(['community_admin', 'street_admin']);
    expect(may('street_admin')).toEqual(['community_admin']);
    for (const r of ['community_admin', 'team_leader', 'member', 'resident'] as const) expect(may(r)).toEqual([]);
  });
});

describe('a roles record', () => {
  const base = (): UserRoles =>
    applyChange(emptyRecord('u1', 'jinjiang', AT), { action: 'grant', role: 'resident' }, AT);
  const member = (r: UserRoles, communityId = 'C1') =>
    applyChange(r, { action: 'grant', role: 'member', memberId: 'u1', communityId, streetId: 'S1' }, AT);
  const err = (f: () => unknown) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return (e as DomainError).code;
    }
  };

  it('goes up a version with every change and keeps roles in one order', () => {
    const r = member(base());
    expect(r.version).toBe(2);
    expect(r.roles).toEqual(['resident', 'member']);
    const moved = member(r, 'C2');
    expect(moved).toMatchObject({ memberCommunityId: 'C2', roles: ['resident', 'member'], version: 3 });
  });

  it('projects onto the pool: groups, and the scope attributes of the roles held', () => {
    const r = applyChange(member(base()), { action: 'grant', role: 'team_leader', teamId: 'T1' }, AT);
    expect(projection(r)).toEqual({
      groups: ['resident', 'member', 'team_leader'],
      attributes: {
        'custom:district': 'jinjiang',
        'custom:memberId': 'u1',
        'custom:communityId': 'C1',
        'custom:teamId': 'T1',
      },
    });
    const revoked = applyChange(r, { action: 'revoke', role: 'team_leader', teamId: 'T1' }, AT);
    expect(projection(revoked).attributes).not.toHaveProperty('custom:teamId');
    // A resident alone has no community: the attribute is absent, not set to nothing.
    expect(projection(base()).attributes).toStrictEqual({ 'custom:district': 'jinjiang' });
    expect(projection(revoked).groups).toEqual(['resident', 'member']);
  });

  it('refuses what the token could not say: two communities, two teams, two streets; and what is not held', () => {
    const m = member(base());
    expect(
      err(() => applyChange(m, { action: 'grant', role: 'community_admin', communityId: 'C2', streetId: 'S1' }, AT)),
    ).toBe('SCOPE_CONFLICT');
    const admin = applyChange(m, { action: 'grant', role: 'community_admin', communityId: 'C1', streetId: 'S1' }, AT);
    expect(err(() => member(admin, 'C2'))).toBe('SCOPE_CONFLICT');
    expect(
      err(() =>
        applyChange(admin, { action: 'grant', role: 'community_admin', communityId: 'C1', streetId: 'S1' }, AT),
      ),
    ).toBe('ROLE_ALREADY_HELD');
    const lead = applyChange(m, { action: 'grant', role: 'team_leader', teamId: 'T1' }, AT);
    expect(err(() => applyChange(lead, { action: 'grant', role: 'team_leader', teamId: 'T2' }, AT))).toBe(
      'ALREADY_LEADS_TEAM',
    );
    const street = applyChange(base(), { action: 'grant', role: 'street_admin', streetId: 'S1' }, AT);
    expect(err(() => applyChange(street, { action: 'grant', role: 'street_admin', streetId: 'S2' }, AT))).toBe(
      'SCOPE_CONFLICT',
    );
    expect(err(() => applyChange(base(), { action: 'revoke', role: 'district_admin' }, AT))).toBe('ROLE_NOT_HELD');
    expect(err(() => applyChange(lead, { action: 'revoke', role: 'team_leader', teamId: 'T9' }, AT))).toBe(
      'ROLE_NOT_HELD',
    );
  });
});

describe('a roles record: revocations, refusals and scopes', () => {
  // Every scope at once (a record the grants could build: member and admin of C1 in S1, leader of T1, admin of S1).
  const full = (): UserRoles => ({
    sub: 'u1',
    district: 'jinjiang',
    roles: ['resident', 'member', 'team_leader', 'community_admin', 'street_admin', 'district_admin'],
    memberId: 'u1',
    memberCommunityId: 'C1',
    memberStreetId: 'S1',
    teamId: 'T1',
    adminCommunityId: 'C1',
    adminCommunityStreetId: 'S1',
    adminStreetId: 'S1',
    version: 7,
    updatedAt: AT,
  });
  const LATER = '2026-06-01T00:00:00.000Z';
  const refusal = (f: () => unknown) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return `${(e as DomainError).code}: ${(e as DomainError).detail}`;
    }
  };

  it('a revocation takes the role and only its own scope fields, and counts as a change', () => {
    const { memberId: _m, memberCommunityId: _mc, memberStreetId: _ms, ...noMember } = full();
    expect(applyChange(full(), { action: 'revoke', role: 'member' }, LATER)).toEqual({
      ...noMember,
      roles: ['resident', 'team_leader', 'community_admin', 'street_admin', 'district_admin'],
      version: 8,
      updatedAt: LATER,
    });
    const { teamId: _t, ...noTeam } = full();
    expect(applyChange(full(), { action: 'revoke', role: 'team_leader' }, LATER)).toEqual({
      ...noTeam,
      roles: ['resident', 'member', 'community_admin', 'street_admin', 'district_admin'],
      version: 8,
      updatedAt: LATER,
    });
    const { adminCommunityId: _ac, adminCommunityStreetId: _acs, ...noCommunity } = full();
    expect(applyChange(full(), { action: 'revoke', role: 'community_admin' }, LATER)).toEqual({
      ...noCommunity,
      roles: ['resident', 'member', 'team_leader', 'street_admin', 'district_admin'],
      version: 8,
      updatedAt: LATER,
    });
    const { adminStreetId: _as, ...noStreet } = full();
    expect(applyChange(full(), { action: 'revoke', role: 'street_admin' }, LATER)).toEqual({
      ...noStreet,
      roles: ['resident', 'member', 'team_leader', 'community_admin', 'district_admin'],
      version: 8,
      updatedAt: LATER,
    });
    expect(applyChange(full(), { action: 'revoke', role: 'district_admin' }, LATER)).toEqual({
      ...full(),
      roles: ['resident', 'member', 'team_leader', 'community_admin', 'street_admin'],
      version: 8,
      updatedAt: LATER,
    });
    expect(applyChange(full(), { action: 'revoke', role: 'resident' }, LATER).roles).toEqual([
      'member',
      'team_leader',
      'community_admin',
      'street_admin',
      'district_admin',
    ]);
    // A team named with another role is not checked against the team led.
    expect(applyChange(full(), { action: 'revoke', role: 'member', teamId: 'T9' }, LATER).teamId).toBe('T1');
    // Naming the team led: revoked; naming no team: revoked too.
    expect(applyChange(full(), { action: 'revoke', role: 'team_leader', teamId: 'T1' }, LATER).teamId).toBeUndefined();
  });

  it('a grant keeps the roles in their order once each, and writes its scope', () => {
    const r = emptyRecord('u2', 'jinjiang', AT);
    expect(r).toEqual({ sub: 'u2', district: 'jinjiang', roles: [], version: 0, updatedAt: AT });
    const twice = applyChange(
      applyChange(r, { action: 'grant', role: 'resident' }, AT),
      { action: 'grant', role: 'resident' },
      LATER,
    );
    expect(twice).toEqual({ ...r, roles: ['resident'], version: 2, updatedAt: LATER });
    const admin = applyChange(twice, { action: 'grant', role: 'district_admin' }, LATER);
    const street = applyChange(admin, { action: 'grant', role: 'street_admin', streetId: 'S3' }, LATER);
    const community = applyChange(
      street,
      { action: 'grant', role: 'community_admin', communityId: 'C3', streetId: 'S3' },
      LATER,
    );
    expect(community).toEqual({
      ...r,
      roles: ['resident', 'community_admin', 'street_admin', 'district_admin'],
      adminStreetId: 'S3',
      adminCommunityId: 'C3',
      adminCommunityStreetId: 'S3',
      version: 5,
      updatedAt: LATER,
    });
    // A member of the community they administer, and an admin of the community they are a member of.
    const member = applyChange(
      community,
      { action: 'grant', role: 'member', memberId: 'u2', communityId: 'C3', streetId: 'S3' },
      LATER,
    );
    expect(member).toMatchObject({ memberId: 'u2', memberCommunityId: 'C3', memberStreetId: 'S3', version: 6 });
    const m = applyChange(
      r,
      { action: 'grant', role: 'member', memberId: 'u2', communityId: 'C4', streetId: 'S4' },
      AT,
    );
    expect(
      applyChange(m, { action: 'grant', role: 'community_admin', communityId: 'C4', streetId: 'S4' }, AT).roles,
    ).toEqual(['member', 'community_admin']);
    // Leading the same team again is no conflict.
    const lead = applyChange(m, { action: 'grant', role: 'team_leader', teamId: 'T4' }, AT);
    expect(applyChange(lead, { action: 'grant', role: 'team_leader', teamId: 'T4' }, AT)).toMatchObject({
      teamId: 'T4',
      roles: ['member', 'team_leader'],
    });
  });

  it('says why a change cannot be', () => {
    const m = applyChange(
      emptyRecord('u', 'd', AT),
      { action: 'grant', role: 'member', memberId: 'u', communityId: 'C1', streetId: 'S1' },
      AT,
    );
    expect(refusal(() => applyChange(m, { action: 'revoke', role: 'street_admin' }, AT))).toBe(
      'ROLE_NOT_HELD: the user does not hold street_admin in this district',
    );
    const lead = applyChange(m, { action: 'grant', role: 'team_leader', teamId: 'T1' }, AT);
    expect(refusal(() => applyChange(lead, { action: 'revoke', role: 'team_leader', teamId: 'T2' }, AT))).toBe(
      'ROLE_NOT_HELD: the user does not lead team T2',
    );
    expect(refusal(() => applyChange(lead, { action: 'grant', role: 'team_leader', teamId: 'T2' }, AT))).toBe(
      'ALREADY_LEADS_TEAM: the member already leads team T1',
    );
    expect(
      refusal(() =>
        applyChange(m, { action: 'grant', role: 'community_admin', communityId: 'C2', streetId: 'S1' }, AT),
      ),
    ).toBe('SCOPE_CONFLICT: the user is a member checked in to community C1: they can administer only that one');
    const ca = applyChange(
      emptyRecord('v', 'd', AT),
      { action: 'grant', role: 'community_admin', communityId: 'C1', streetId: 'S1' },
      AT,
    );
    expect(
      refusal(() =>
        applyChange(ca, { action: 'grant', role: 'member', memberId: 'v', communityId: 'C2', streetId: 'S1' }, AT),
      ),
    ).toBe(
      'SCOPE_CONFLICT: the user administers community C1: a member of another community cannot hold that role (revoke it first)',
    );
    expect(
      refusal(() =>
        applyChange(ca, { action: 'grant', role: 'community_admin', communityId: 'C2', streetId: 'S1' }, AT),
      ),
    ).toBe('SCOPE_CONFLICT: the user administers community C1: revoke that first (custom:communityId is one)');
    expect(
      refusal(() =>
        applyChange(ca, { action: 'grant', role: 'community_admin', communityId: 'C1', streetId: 'S1' }, AT),
      ),
    ).toBe('ROLE_ALREADY_HELD: the user already administers community C1');
    const sa = applyChange(emptyRecord('w', 'd', AT), { action: 'grant', role: 'street_admin', streetId: 'S1' }, AT);
    expect(refusal(() => applyChange(sa, { action: 'grant', role: 'street_admin', streetId: 'S1' }, AT))).toBe(
      'ROLE_ALREADY_HELD: the user already administers street S1',
    );
    expect(refusal(() => applyChange(sa, { action: 'grant', role: 'street_admin', streetId: 'S2' }, AT))).toBe(
      'SCOPE_CONFLICT: the user administers street S1: revoke that first (custom:streetId is one)',
    );
    const da = applyChange(sa, { action: 'grant', role: 'district_admin' }, AT);
    expect(refusal(() => applyChange(da, { action: 'grant', role: 'district_admin' }, AT))).toBe(
      'ROLE_ALREADY_HELD: the user is already a district admin',
    );
  });

  it('names the scope a record holds for each role, and the scope a change names', () => {
    const r = full();
    expect(scopeOfRecord(r, 'member')).toEqual({ district: 'jinjiang', streetId: 'S1', communityId: 'C1' });
    expect(scopeOfRecord({ ...r, memberCommunityId: 'C9', memberStreetId: 'S9' }, 'member')).toEqual({
      district: 'jinjiang',
      streetId: 'S9',
      communityId: 'C9',
    });
    expect(scopeOfRecord(r, 'team_leader')).toEqual({ district: 'jinjiang', teamId: 'T1' });
    expect(scopeOfRecord({ ...r, adminCommunityId: 'C8', adminCommunityStreetId: 'S8' }, 'community_admin')).toEqual({
      district: 'jinjiang',
      streetId: 'S8',
      communityId: 'C8',
    });
    expect(scopeOfRecord({ ...r, adminStreetId: 'S7' }, 'street_admin')).toEqual({
      district: 'jinjiang',
      streetId: 'S7',
    });
    expect(scopeOfRecord(r, 'district_admin')).toEqual({ district: 'jinjiang' });
    expect(scopeOfRecord(r, 'resident')).toEqual({ district: 'jinjiang' });

    expect(scopeOfChange('d', { action: 'revoke', role: 'team_leader', teamId: 'T1' })).toEqual({
      district: 'd',
      teamId: 'T1',
    });
    // A revocation names the district (and the team it took away), never the places of a grant.
    expect(scopeOfChange('d', { action: 'revoke', role: 'member' })).toStrictEqual({ district: 'd' });
    expect(scopeOfChange('d', { action: 'revoke', role: 'street_admin' })).toStrictEqual({ district: 'd' });
    expect(
      scopeOfChange('d', { action: 'grant', role: 'member', memberId: 'm', communityId: 'C1', streetId: 'S1' }),
    ).toEqual({ district: 'd', streetId: 'S1', communityId: 'C1' });
    expect(scopeOfChange('d', { action: 'grant', role: 'team_leader', teamId: 'T2' })).toEqual({
      district: 'd',
      teamId: 'T2',
    });
    expect(scopeOfChange('d', { action: 'grant', role: 'community_admin', communityId: 'C3', streetId: 'S3' })).toEqual(
      { district: 'd', streetId: 'S3', communityId: 'C3' },
    );
    expect(scopeOfChange('d', { action: 'grant', role: 'street_admin', streetId: 'S4' })).toEqual({
      district: 'd',
      streetId: 'S4',
    });
    expect(scopeOfChange('d', { action: 'grant', role: 'district_admin' })).toEqual({ district: 'd' });
    expect(scopeOfChange('d', { action: 'grant', role: 'resident' })).toEqual({ district: 'd' });
  });

  it('lists every place a record touches', () => {
    expect(placesOf(full())).toEqual([
      { streetId: 'S1', communityId: 'C1' },
      { streetId: 'S1', communityId: 'C1' },
      { streetId: 'S1' },
    ]);
    expect(placesOf(emptyRecord('u', 'd', AT))).toEqual([]);
    expect(placesOf({ ...emptyRecord('u', 'd', AT), memberCommunityId: 'C2' })).toEqual([
      { streetId: undefined, communityId: 'C2' },
    ]);
    expect(placesOf({ ...emptyRecord('u', 'd', AT), adminStreetId: 'S5' })).toEqual([{ streetId: 'S5' }]);
  });

  it('projects a street admin, a community admin and a member without a member id', () => {
    const sa = { ...emptyRecord('u', 'd', AT), roles: ['street_admin' as const], adminStreetId: 'S1' };
    expect(projection(sa)).toEqual({
      groups: ['street_admin'],
      attributes: { 'custom:district': 'd', 'custom:streetId': 'S1' },
    });
    expect(projection({ ...sa, roles: [] }).attributes).toEqual({ 'custom:district': 'd' });
    const ca = {
      ...emptyRecord('u', 'd', AT),
      roles: ['community_admin' as const],
      adminCommunityId: 'C1',
      memberCommunityId: 'C2',
    };
    expect(projection(ca).attributes).toEqual({ 'custom:district': 'd', 'custom:communityId': 'C1' });
    // Fields of roles not held say nothing.
    expect(projection({ ...ca, roles: [], memberId: 'm', teamId: 'T' }).attributes).toEqual({ 'custom:district': 'd' });
    const m = { ...emptyRecord('u', 'd', AT), roles: ['member' as const], memberCommunityId: 'C2' };
    expect(projection(m).attributes).toEqual({ 'custom:district': 'd', 'custom:communityId': 'C2' });
    expect(projection({ ...m, roles: ['team_leader' as const] }).attributes).toEqual({ 'custom:district': 'd' });
  });
});

describe('granting by hand', () => {
  const c = (roles: Role[], scope: { streetId?: string; communityId?: string } = {}): Caller => ({
    sub: 'me',
    roles: new Set(roles),
    memberId: 'me',
    communityId: scope.communityId,
    streetId: scope.streetId,
    teamId: undefined,
    district: 'jinjiang',
  });

  it('ranks admins, and only admin roles are granted by hand', () => {
    expect(adminRank([])).toBe(0);
    expect(adminRank(['member', 'team_leader'])).toBe(0);
    expect(adminRank(['community_admin'])).toBe(1);
    expect(adminRank(['street_admin', 'community_admin'])).toBe(2);
    expect(adminRank(['district_admin', 'member'])).toBe(3);
    expect(adminRank(['community_admin', 'city_admin', 'street_admin'])).toBe(4);
    expect(GRANTABLE_ROLES.filter(isGrantable)).toEqual(['community_admin', 'street_admin', 'district_admin']);
    expect(['city_admin', 'member', 'team_leader', 'resident', ''].filter(isGrantable)).toEqual([]);
    expect(ROLES.filter(isAdminRole)).toEqual(['community_admin', 'street_admin', 'district_admin', 'city_admin']);
  });

  it('says why a grant is refused', () => {
    const text = (e: DomainError | undefined) => (e ? `${e.code}: ${e.detail}` : 'ok');
    expect(text(grantRefusal(c(['city_admin']), 'me', 'community_admin', {}))).toBe(
      'SELF_GRANT: nobody grants or revokes their own roles',
    );
    expect(text(grantRefusal(c(['street_admin'], { streetId: 'S1' }), 'x', 'street_admin', { streetId: 'S1' }))).toBe(
      'FORBIDDEN: your role cannot grant or revoke street_admin: only roles below your own',
    );
    expect(
      text(grantRefusal(c(['street_admin'], { streetId: 'S1' }), 'x', 'community_admin', { streetId: 'S2' })),
    ).toBe('FORBIDDEN: a street admin grants and revokes community admins of their own street only');
    // A street admin whose token names no street grants nowhere, not even where no street is named.
    expect(text(grantRefusal(c(['street_admin']), 'x', 'community_admin', {}))).toBe(
      'FORBIDDEN: a street admin grants and revokes community admins of their own street only',
    );
    // The highest role counts: a street admin who is also a district admin grants outside the street.
    expect(
      text(
        grantRefusal(c(['street_admin', 'district_admin'], { streetId: 'S1' }), 'x', 'community_admin', {
          streetId: 'S2',
        }),
      ),
    ).toBe('ok');
  });

  it('lets admins read the scopes they cover', () => {
    const at = { streetId: 'S1', communityId: 'C1' };
    expect(administersScope(c(['city_admin']), at)).toBe(true);
    expect(administersScope(c(['district_admin']), {})).toBe(true);
    expect(administersScope(c(['street_admin'], { streetId: 'S1' }), at)).toBe(true);
    expect(administersScope(c(['street_admin'], { streetId: 'S1' }), { streetId: 'S2', communityId: 'C1' })).toBe(
      false,
    );
    expect(administersScope(c(['street_admin']), {})).toBe(false);
    expect(administersScope(c(['community_admin'], { communityId: 'C1', streetId: 'S1' }), at)).toBe(true);
    expect(
      administersScope(c(['community_admin'], { communityId: 'C1', streetId: 'S1' }), {
        streetId: 'S1',
        communityId: 'C2',
      }),
    ).toBe(false);
    expect(administersScope(c(['community_admin'], { communityId: 'C1', streetId: 'S1' }), { streetId: 'S1' })).toBe(
      false,
    );
    expect(administersScope(c(['community_admin']), {})).toBe(false);
    // Scope fields without the role say nothing.
    expect(administersScope(c(['member'], { communityId: 'C1', streetId: 'S1' }), at)).toBe(false);
    expect(administersScope(c(['team_leader'], { streetId: 'S1' }), { streetId: 'S1' })).toBe(false);
  });

  it('takes district ids of lower-case letters, digits and dashes, 1 to 32 long, starting with a letter', () => {
    for (const ok of ['j', 'jinjiang', 'a-1', `a${'b'.repeat(31)}`])
      expect(DISTRICT_ID_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['', '1a', '-a', 'Jinjiang', 'jin jiang', `a${'b'.repeat(32)}`, 'x_y', 'a\n'])
      expect(DISTRICT_ID_PATTERN.test(bad), bad).toBe(false);
  });
});

describe('tokens', () => {
  it('carry admin groups only with MFA set up', () => {
    const groups = ['resident', 'member', 'community_admin', 'district_admin'];
    expect(tokenGroups(groups, true)).toEqual(groups);
    expect(tokenGroups(groups, false)).toEqual(['resident', 'member']);
    expect(tokenGroups(['city_admin'], false)).toEqual([]);
  });
});

describe('the stream filter of the identity consumer', () => {
  const consumer = STREAM_CONSUMERS.find((c) => c.name === 'identity')!;
  const record = (eventName: string, sk: string) => ({
    eventName,
    dynamodb: { Keys: { pk: { S: 'USER#u' }, sk: { S: sk } } },
  });
  it('takes inserts and changes of roles records, nothing else', () => {
    expect(matchesConsumer(consumer, record('INSERT', 'ROLES'))).toBe(true);
    expect(matchesConsumer(consumer, record('MODIFY', 'ROLES'))).toBe(true);
    expect(matchesConsumer(consumer, record('REMOVE', 'ROLES'))).toBe(false);
    expect(matchesConsumer(consumer, record('INSERT', 'PROFILE'))).toBe(false);
    expect(
      matchesConsumer(
        { filters: [{ dynamodb: { Keys: { pk: { S: [{ prefix: 'USER#' }] } } } }] },
        record('INSERT', 'x'),
      ),
    ).toBe(true);
  });
});

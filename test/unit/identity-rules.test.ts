import { describe, expect, it } from 'vitest';
import {
  GRANTABLE_ROLES,
  applyChange,
  emptyRecord,
  grantRefusal,
  projection,
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

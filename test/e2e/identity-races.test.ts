import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useE2e } from '../support/e2e.ts';

/**
 * Many grants and revocations of one user at once: each decision is made on the record it read and
 * written only if the record is still that one, so exactly one of the conflicting changes wins,
 * the audit holds exactly the changes that happened, and the pool (through the stream) ends in
 * exactly the record's state.
 */
// The table's stream is read by polling DynamoDB Local, which the whole suite shares: give it time.
vi.setConfig({ testTimeout: 90_000 });
const e2e = useE2e({ identity: true });
const { api } = e2e;
const communities: string[] = [];
let street = '';
let sub = '';

beforeAll(async () => {
  street = await e2e.street();
  for (let i = 0; i < 8; i++) communities.push(await e2e.community(street, `社区${i}`));
  sub = (await e2e.signUp({ mfa: true })).sub;
});

describe('grants and revocations racing on one user', () => {
  it('8 admins name the user admin of 8 different communities at once: exactly one wins, and the pool says that one', async () => {
    const da = await e2e.districtAdmin();
    const results = await Promise.all(
      communities.map((communityId) =>
        api.post(`/users/${sub}/roles`, da, { role: 'community_admin', communityId, reason: '任命' }),
      ),
    );
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    expect(
      results
        .filter((r) => r.status === 409)
        .map((r) => r.body.code)
        .sort(),
    ).toEqual(Array(7).fill('SCOPE_CONFLICT'));
    const winner = won[0]!.body.adminCommunityId as string;
    const roles = await api.get(`/users/${sub}/roles`, da);
    expect(roles.body).toMatchObject({ roles: ['resident', 'community_admin'], adminCommunityId: winner });
    const audit = await api.get(`/role-audit?sub=${sub}`, da);
    expect(audit.body.items.map((e: { role: string; action: string }) => `${e.action} ${e.role}`)).toEqual([
      'grant community_admin',
      'grant resident',
    ]);
    await e2e.identity.streams.settle();
    const user = e2e.identity.cognito.user(sub)!;
    expect(user.groups.sort()).toEqual(['community_admin', 'resident']);
    expect(user.attributes['custom:communityId']).toBe(winner);
  });

  it('5 revocations and 5 grants of the street admin role at once end in exactly the audited state', async () => {
    const da = await e2e.districtAdmin();
    const calls = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? api.post(`/users/${sub}/roles`, da, { role: 'street_admin', streetId: street, reason: `任命${i}` })
        : api.post(`/users/${sub}/roles/street_admin/revoke`, da, { reason: `卸任${i}` }),
    );
    const results = await Promise.all(calls);
    for (const r of results) expect([200, 201, 409], r.text).toContain(r.status);
    const grants = results.filter((r) => r.status === 201).length;
    const revokes = results.filter((r) => r.status === 200).length;
    // Each success flips the role: the final state is what the successes, in the audit's order, say.
    const audit = (await api.get(`/role-audit?sub=${sub}&limit=100`, da)).body.items as {
      role: string;
      action: string;
    }[];
    const streetEntries = audit.filter((e) => e.role === 'street_admin').reverse();
    expect(streetEntries.filter((e) => e.action === 'grant')).toHaveLength(grants);
    expect(streetEntries.filter((e) => e.action === 'revoke')).toHaveLength(revokes);
    for (const [i, e] of streetEntries.entries()) expect(e.action).toBe(i % 2 === 0 ? 'grant' : 'revoke');
    expect(grants - revokes).toBeGreaterThanOrEqual(0);
    expect(grants - revokes).toBeLessThanOrEqual(1);
    const holds = grants - revokes === 1;
    const roles = (await api.get(`/users/${sub}/roles`, da)).body;
    expect(roles.roles.includes('street_admin')).toBe(holds);
    await e2e.identity.streams.settle();
    const user = e2e.identity.cognito.user(sub)!;
    expect(user.groups.includes('street_admin')).toBe(holds);
    expect(user.attributes['custom:streetId']).toBe(holds ? street : undefined);
    expect(e2e.identity.streams.failures).toEqual([]);
  });
});

import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  badInputFailures,
  bodyCases,
  expectRefusedWritingNothing,
  refusalFailure,
  type BadCase,
} from '../support/matrix.ts';
import { useE2e } from '../support/e2e.ts';

/**
 * Bad input on the roles routes (and naming a team's leader): malformed bodies, an unknown user, an
 * unknown role, a scope missing, one of the wrong kind or not in this district, a user without
 * MFA, a role not held, bad ids, two filters at once, forged cursors. Each is a 4xx problem+json
 * with its code, never a 5xx, and nothing in the table changes (nor on the pool: nothing reaches
 * the stream).
 */
// The table's stream is read by polling DynamoDB Local, which the whole suite shares: give it time.
vi.setConfig({ testTimeout: 90_000 });
const e2e = useE2e({ identity: true });
const { api } = e2e;
const ids = { street: '', community: '', user: '', noMfa: '', team: '', leader: '', member: '' };
const t: Record<string, string> = {};

beforeAll(async () => {
  const p = await e2e.place();
  ids.street = p.streetId;
  ids.community = p.communityId;
  t.district = await e2e.districtAdmin();
  ids.user = (await e2e.signUp({ mfa: true })).sub;
  ids.noMfa = (await e2e.signUp()).sub;
  const team = await e2e.team({ communityId: ids.community });
  ids.team = team.teamId;
  ids.leader = team.leader.memberId;
  ids.member = (await e2e.member()).memberId;
  await e2e.identity.streams.settle();
});

describe('bad input on the roles routes', () => {
  const long = (n: number) => 'x'.repeat(n);
  const forged = () =>
    Buffer.from(JSON.stringify({ pk: 'ROLE_AUDIT#x', sk: '1', gsi1pk: 'STREETS', gsi1sk: 'x' })).toString('base64url');

  function cases(): BadCase[] {
    const grant = `/users/${ids.user}/roles`;
    return [
      ...bodyCases(
        'POST',
        grant,
        'district',
        { role: 'street_admin', streetId: ids.street, reason: '任命' },
        {
          'unknown role': { role: 'mayor' },
          'a role that follows the work': { role: 'member' },
          'the city admin role': { role: 'city_admin' },
          'role a number': { role: 3 },
          'reason empty': { reason: ' ' },
          'reason too long': { reason: long(501) },
          'bad street id': { streetId: 'a#b' },
        },
      ),
      ...bodyCases(
        'POST',
        `/users/${ids.user}/roles/street_admin/revoke`,
        'district',
        { reason: '卸任' },
        {
          'reason too long': { reason: long(501) },
        },
      ),
      ...bodyCases(
        'PUT',
        `/teams/${ids.team}/leader`,
        'district',
        { memberId: ids.member, reason: '换届' },
        {
          'bad member id': { memberId: long(65) },
        },
      ),
      { name: 'bad sub', method: 'GET', path: '/users/a%23b/roles', token: 'district' },
      { name: 'sub too long', method: 'GET', path: `/users/${long(65)}/roles`, token: 'district' },
      {
        name: 'revoke an unknown role',
        method: 'POST',
        path: `/users/${ids.user}/roles/mayor/revoke`,
        token: 'district',
        body: { reason: 'x' },
      },
      {
        name: 'two filters',
        method: 'GET',
        path: `/role-audit?streetId=${ids.street}&communityId=${ids.community}`,
        token: 'district',
      },
      { name: 'limit 0', method: 'GET', path: '/role-audit?limit=0', token: 'district' },
      { name: 'unknown filter', method: 'GET', path: '/role-audit?district=x', token: 'district' },
      { name: 'forged cursor', method: 'GET', path: `/role-audit?cursor=${forged()}`, token: 'district' },
    ];
  }

  /** Well-formed requests the data refuses: each with its status and code. */
  const refused = (): [string, string, string, unknown, number, string][] => [
    [
      'unknown user',
      'POST',
      '/users/nobody-here/roles',
      { role: 'street_admin', streetId: ids.street, reason: 'x' },
      422,
      'UNKNOWN_USER',
    ],
    [
      'scope missing (community admin)',
      'POST',
      `/users/${ids.user}/roles`,
      { role: 'community_admin', reason: 'x' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'scope missing (street admin)',
      'POST',
      `/users/${ids.user}/roles`,
      { role: 'street_admin', reason: 'x' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a street for a community admin',
      'POST',
      `/users/${ids.user}/roles`,
      { role: 'community_admin', communityId: ids.community, streetId: ids.street, reason: 'x' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a scope for a district admin',
      'POST',
      `/users/${ids.user}/roles`,
      { role: 'district_admin', communityId: ids.community, reason: 'x' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'community of another district',
      'POST',
      `/users/${ids.user}/roles`,
      { role: 'community_admin', communityId: 'co-elsewhere', reason: 'x' },
      422,
      'UNKNOWN_COMMUNITY',
    ],
    [
      'street of another district',
      'POST',
      `/users/${ids.user}/roles`,
      { role: 'street_admin', streetId: 'st-elsewhere', reason: 'x' },
      422,
      'UNKNOWN_STREET',
    ],
    [
      'no MFA set up',
      'POST',
      `/users/${ids.noMfa}/roles`,
      { role: 'street_admin', streetId: ids.street, reason: 'x' },
      409,
      'MFA_REQUIRED',
    ],
    [
      'revoke a role not held',
      'POST',
      `/users/${ids.user}/roles/street_admin/revoke`,
      { reason: 'x' },
      409,
      'ROLE_NOT_HELD',
    ],
    [
      'revoke from an unknown user',
      'POST',
      '/users/nobody-here/roles/street_admin/revoke',
      { reason: 'x' },
      422,
      'UNKNOWN_USER',
    ],
    ['roles of an unknown user', 'GET', '/users/nobody-here/roles', undefined, 404, 'NOT_FOUND'],
    [
      'audit of an unknown community',
      'GET',
      '/role-audit?communityId=co-elsewhere',
      undefined,
      422,
      'UNKNOWN_COMMUNITY',
    ],
    [
      'leader: not on the team',
      'PUT',
      `/teams/${ids.team}/leader`,
      { memberId: ids.member, reason: 'x' },
      409,
      'NOT_TEAM_MEMBER',
    ],
    [
      'leader: no such member',
      'PUT',
      `/teams/${ids.team}/leader`,
      { memberId: 'nobody-here', reason: 'x' },
      422,
      'UNKNOWN_MEMBER',
    ],
    [
      'leader: already the leader',
      'PUT',
      `/teams/${ids.team}/leader`,
      { memberId: ids.leader, reason: 'x' },
      409,
      'ROLE_ALREADY_HELD',
    ],
    [
      'leader: no such team',
      'PUT',
      '/teams/team-nowhere/leader',
      { memberId: ids.member, reason: 'x' },
      404,
      'NOT_FOUND',
    ],
  ];

  it('answers every bad request with a 4xx problem+json and writes nothing', async () => {
    await expectRefusedWritingNothing(() => badInputFailures(api, cases(), t));
  });

  it('refuses each well-formed request the data does not allow, with its code, and writes nothing', async () => {
    await expectRefusedWritingNothing(async () => {
      const failures: string[] = [];
      for (const [name, method, path, body, status, code] of refused()) {
        const res = await api.call(method, path, { token: t.district, body });
        const f = refusalFailure(res, status, code);
        if (f) failures.push(`${name}: ${f}`);
      }
      return failures;
    });
    await e2e.identity.streams.settle();
    expect(e2e.identity.cognito.user(ids.user)!.groups).toEqual(['resident']);
  });
});

import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { claimsForLambda, mintToken, verifyToken } from '../../infra/local/keys.ts';

describe('local JWTs', () => {
  it('mints a Cognito-like ID token that verifies', async () => {
    const t = await mintToken({
      role: 'community_admin',
      memberId: 'm-7',
      communityId: 'co-1',
      streetId: 'st-1',
      teamId: 't-1',
    });
    expect(decodeProtectedHeader(t)).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: expect.any(String) });
    const p = await verifyToken(t);
    expect(p).toMatchObject({
      iss: 'pioneer-local',
      aud: 'pioneer-local',
      sub: 'm-7',
      token_use: 'id',
      'cognito:groups': ['community_admin'],
      'custom:memberId': 'm-7',
      'custom:communityId': 'co-1',
      'custom:streetId': 'st-1',
      'custom:teamId': 't-1',
      'custom:district': LOCAL_DISTRICT_ID,
    });
    const now = Math.floor(Date.now() / 1000);
    expect(p.exp).toBeGreaterThanOrEqual(now + 12 * 3600 - 5);
    expect(p.iat).toBeLessThanOrEqual(now + 1);
  });

  it('defaults: sub is the member id, else a random uuid; no empty scope claims', async () => {
    const p = decodeJwt(await mintToken({ role: 'resident' }));
    expect(p.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(p).not.toHaveProperty('custom:memberId');
    expect(decodeJwt(await mintToken({ role: 'member', sub: 'cognito-sub', memberId: 'm-1' })).sub).toBe('cognito-sub');
    expect(decodeJwt(await mintToken({ role: 'member', district: 'pujiang' }))['custom:district']).toBe('pujiang');
  });

  it('refuses an expired or tampered token', async () => {
    await expect(verifyToken(await mintToken({ role: 'member', ttlSeconds: -1 }))).rejects.toThrow(/exp/);
    const [h, p, s] = (await mintToken({ role: 'member' })).split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...decodeJwt(`${h}.${p}.${s}`), 'cognito:groups': ['city_admin'] }),
    ).toString('base64url');
    await expect(verifyToken(`${h}.${forgedPayload}.${s}`)).rejects.toThrow(/signature/);
  });

  it('stringifies claims as API Gateway does', () => {
    expect(
      claimsForLambda({
        'cognito:groups': ['member', 'team_leader'],
        exp: 1700000000,
        email_verified: true,
        sub: 's',
        nested: { a: 1 },
        nothing: null,
      }),
    ).toEqual({
      'cognito:groups': '[member team_leader]',
      exp: '1700000000',
      email_verified: 'true',
      sub: 's',
      nested: '{"a":1}',
    });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { expectRefusedWritingNothing, refusalFailure } from '../support/matrix.ts';
import { mint, tokenFor, useE2e } from '../support/e2e.ts';

/**
 * Who may use the inbox and the preferences: members, team leaders and residents, each their own;
 * admins have none (403); no token or an expired one 401; another district's token 403. A notice
 * is marked read only by its recipient: anyone else's id is a 404, and nothing changes.
 */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};

beforeAll(async () => {
  t.member = (await e2e.member('本人')).token;
  t.community = await mint.communityAdmin('co-x');
  t.street = await mint.streetAdmin('st-x');
  t.district = await mint.districtAdmin();
  t.city = await mint.cityAdmin();
  t.expired = await tokenFor({ role: 'member', memberId: 'm-x', ttlSeconds: -60 });
  t.otherDistrict = await tokenFor({ role: 'member', memberId: 'm-x', district: 'pujiang' });
});

const ROUTES: [string, string, unknown?][] = [
  ['GET', '/members/me/notifications'],
  ['POST', '/members/me/notifications/nt_x/read'],
  ['GET', '/members/me/notification-preferences'],
  ['PUT', '/members/me/notification-preferences', { 'signup-confirmed': { sms: true } }],
];

describe('authorization on notifications', () => {
  it('refuses admins, no token, an expired token and another district, changing nothing', async () => {
    await expectRefusedWritingNothing(async () => {
      const failures: string[] = [];
      for (const [method, path, body] of ROUTES) {
        const deny: [string, number, string?][] = [
          ['community', 403, 'FORBIDDEN'],
          ['street', 403, 'FORBIDDEN'],
          ['district', 403, 'FORBIDDEN'],
          ['city', 403, 'FORBIDDEN'],
          ['none', 401],
          ['expired', 401],
          ['otherDistrict', 403, 'WRONG_DISTRICT'],
        ];
        for (const [who, status, code] of deny) {
          const res = await api.call(method, path, { token: who === 'none' ? undefined : t[who], body });
          const failure = refusalFailure(res, status, code);
          if (failure) failures.push(`${method} ${path} as ${who}: ${failure}`);
        }
      }
      return failures;
    }, e2e.tableName);
  });

  it('members, leaders and residents each have their own inbox and preferences', async () => {
    const leader = await mint.leader('m-lead', 'team-x');
    const resident = await mint.resident();
    for (const token of [t.member!, leader, resident]) {
      expect((await api.get('/members/me/notifications', token)).body).toEqual({ items: [] });
      expect((await api.get('/members/me/notification-preferences', token)).status).toBe(200);
    }
    // A resident's types are a resident's: none of the activity notices.
    const types = (await api.get('/members/me/notification-preferences', resident)).body.types;
    expect(types.map((x: { type: string }) => x.type)).not.toContain('signup-confirmed');
  });
});

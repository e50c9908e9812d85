import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../support/inspect.ts';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Bad input on the notification routes: the inbox's query, a notice's id, the preferences' body
 * (unknown types, channels, values, a mandatory type switched off). Each gets a 4xx
 * problem+json, never a 5xx, and the table is unchanged.
 */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};

beforeAll(async () => {
  t.member = (await e2e.member('收件人')).token;
  t.resident = await mint.resident();
});

const long = (n: number) => 'x'.repeat(n);
const forged = Buffer.from(JSON.stringify({ pk: 'INBOX#member:x', sk: 'NOTICE#y' })).toString('base64url');

function cases(): BadCase[] {
  const list: BadCase[] = [];
  for (const q of ['limit=0', 'limit=101', 'limit=-1', 'limit=0x10', `cursor=${forged}`, 'cursor=%25', 'unread=true'])
    list.push({ name: `inbox ?${q}`, method: 'GET', path: `/members/me/notifications?${q}`, token: 'member' });
  for (const bad of ['a%23b', long(65), '%E4%B8%AD', '-x', 'a.b'])
    list.push({
      name: `read ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/members/me/notifications/${bad}/read`,
      token: 'member',
    });
  list.push({
    name: 'read with a body',
    method: 'POST',
    path: '/members/me/notifications/nt_x/read',
    token: 'member',
    body: { readAt: '2025-01-01T00:00:00Z' },
  });
  list.push({
    name: 'read a notice I do not have',
    method: 'POST',
    path: '/members/me/notifications/nt_nothing/read',
    token: 'member',
  });
  list.push({
    name: 'preferences with a query',
    method: 'GET',
    path: '/members/me/notification-preferences?x=1',
    token: 'member',
  });
  list.push(
    ...bodyCases(
      'PUT',
      '/members/me/notification-preferences',
      'member',
      { 'signup-confirmed': { wechat: false } },
      {
        'empty object': { 'signup-confirmed': undefined },
        'unknown type': { 'no-such-notice': { sms: true } },
        'unknown channel': { 'signup-confirmed': { email: true } },
        'channel a string': { 'signup-confirmed': { sms: 'yes' } },
        'channel null': { 'signup-confirmed': { sms: null } },
        'channels an array': { 'signup-confirmed': ['sms'] },
        'type name with a hash': { 'a#b': { sms: true } },
        'a mandatory type switched off': { promoted: { sms: false } },
        'a mandatory type switched off in-app': { 'activity-cancelled': { inapp: false } },
      },
    ),
  );
  list.push({
    name: 'PUT preferences: nothing named',
    method: 'PUT',
    path: '/members/me/notification-preferences',
    token: 'member',
    body: {},
  });
  list.push({
    name: 'PUT preferences: a resident switches a member type',
    method: 'PUT',
    path: '/members/me/notification-preferences',
    token: 'resident',
    body: { 'signup-confirmed': { sms: true } },
  });
  return list;
}

describe('bad input on the notifications context', () => {
  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(30);
    await expectRefusedWritingNothing(() => badInputFailures(api, all, t), e2e.tableName);
  });

  it('names what is wrong: an unknown type is a 400 naming it, a mandatory type a 409', async () => {
    const before = await snapshot(e2e.tableName);
    const unknown = await api.put('/members/me/notification-preferences', t.member, { 'no-such': { sms: true } });
    expect([unknown.status, unknown.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const notMine = await api.put('/members/me/notification-preferences', t.resident, { promoted: { sms: true } });
    expect([notMine.status, notMine.body.errors]).toEqual([
      400,
      [{ field: 'body', message: 'promoted: not a notice type you receive' }],
    ]);
    const mandatory = await api.put('/members/me/notification-preferences', t.member, { promoted: { sms: false } });
    expect([mandatory.status, mandatory.body.code]).toEqual([409, 'NOTICE_MANDATORY']);
    const missing = await api.post('/members/me/notifications/nt_nothing/read', t.member);
    expect([missing.status, missing.body.code]).toEqual([404, 'NOT_FOUND']);
    expect(await snapshot(e2e.tableName)).toBe(before);
  });
});

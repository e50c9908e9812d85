import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { snapshot } from '../support/inspect.ts';
import { badInputFailures, expectRefusedWritingNothing } from '../support/matrix.ts';
import { useE2e } from '../support/e2e.ts';

/**
 * Bad input on every activities route: malformed and unknown fields, wrong types, out-of-range
 * numbers, bad times (past, reversed, over 24 h, no offset), unknown community, bad codes, bad
 * ids, forged cursors and bad filters. Each gets a 4xx problem+json, never a 5xx, and the table
 * is unchanged.
 */
const e2e = useE2e();
const { api } = e2e;
const T0 = '2025-06-02T00:00:00.000Z';
const ids = { community: '', team: '', activity: '' };
const t: Record<string, string> = {};

const valid = () => ({
  title: '政策宣讲',
  content: '讲解新政策',
  category: 'policy-talks',
  communityId: ids.community,
  address: '会议室',
  startsAt: '2025-06-03T09:00:00+08:00',
  endsAt: '2025-06-03T11:00:00+08:00',
  capacity: 10,
});

beforeAll(async () => {
  freezeClock(T0);
  t.district = await e2e.districtAdmin();
  ids.community = await e2e.community(await e2e.street());
  const team = await e2e.team({ name: '宣讲队', category: 'policy-talks' });
  ids.team = team.teamId;
  t.leader = team.leader.token;
  const res = await api.post('/activities', t.leader, valid());
  expect(res.status).toBe(201);
  ids.activity = res.body.activityId;
  t.member = (await e2e.member()).token;
  expect((await api.post(`/activities/${ids.activity}/signups`, t.member)).status).toBe(201);
});
afterAll(() => resetClock());

const long = (n: number) => 'x'.repeat(n);
const forged = Buffer.from(
  JSON.stringify({ pk: 'ACTIVITY#x', sk: 'ACTIVITY', gsi1pk: 'ACTIVITIES#2024-01', gsi1sk: 'x' }),
).toString('base64url');
const badIds = ['a%23b', long(65), '%E4%B8%AD', '-lead', 'a.b'];
type Case = {
  name: string;
  method: string;
  path: string;
  token: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
};

function cases(): Case[] {
  const list: Case[] = [];
  const pub = (name: string, body: unknown) =>
    list.push({ name: `publish: ${name}`, method: 'POST', path: '/activities', token: 'leader', body });
  list.push({
    name: 'publish: malformed JSON',
    method: 'POST',
    path: '/activities',
    token: 'leader',
    raw: '{"title":',
  });
  list.push({
    name: 'publish: text/plain',
    method: 'POST',
    path: '/activities',
    token: 'leader',
    raw: JSON.stringify(valid()),
    headers: { 'content-type': 'text/plain' },
  });
  list.push({ name: 'publish: no body', method: 'POST', path: '/activities', token: 'leader' });
  pub('JSON array', []);
  pub('unknown field', { ...valid(), confirmedCount: 5 });
  pub('status smuggled', { ...valid(), status: 'closed' });
  for (const key of ['title', 'content', 'category', 'communityId', 'startsAt', 'endsAt', 'capacity']) {
    const { [key]: _, ...rest } = valid() as Record<string, unknown>;
    void _;
    pub(`missing ${key}`, rest);
  }
  const { address: _a, ...noPlace } = valid();
  void _a;
  pub('neither address nor station', noPlace);
  const mutations: Record<string, Record<string, unknown>> = {
    'title empty': { title: ' ' },
    'title too long': { title: long(101) },
    'content too long': { content: long(2001) },
    'title with control chars': { title: 'a\u0000b' },
    'unknown category': { category: 'juggling' },
    'capacity 0': { capacity: 0 },
    'capacity 1001': { capacity: 1001 },
    'capacity fractional': { capacity: 1.5 },
    'capacity a string': { capacity: '10' },
    'startsAt without offset': { startsAt: '2025-06-03T09:00:00' },
    'startsAt a date': { startsAt: '2025-06-03' },
    'startsAt garbage': { startsAt: 'tomorrow' },
    'startsAt in the past': { startsAt: '2025-06-01T09:00:00+08:00' },
    'end before start': { endsAt: '2025-06-03T08:00:00+08:00' },
    'end equals start': { endsAt: '2025-06-03T09:00:00+08:00' },
    'over 24 hours': { endsAt: '2025-06-04T09:00:01+08:00' },
    'themeMonth bad': { themeMonth: '2025-13' },
    'themeMonth a day': { themeMonth: '2025-06-01' },
    'bad community id': { communityId: 'a#b' },
    'unknown community': { communityId: 'co-nowhere' },
    'bad station id': { stationId: long(65) },
    'address too long': { address: long(201) },
    'bad team id': { teamId: 'a b' },
  };
  for (const [name, m] of Object.entries(mutations)) pub(name, { ...valid(), ...m });

  const path = (s: string) => `/activities/${ids.activity}${s}`;
  for (const route of ['/check-in', '/check-out']) {
    for (const [name, body] of Object.entries({
      'no code': {},
      'code 5 digits': { code: '12345' },
      'code 7 digits': { code: '1234567' },
      'code a number': { code: 123456 },
      'code letters': { code: 'abcdef' },
      'code with space': { code: '12345 ' },
      'extra field': { code: '123456', memberId: 'x' },
    }))
      list.push({ name: `${route}: ${name}`, method: 'POST', path: path(route), token: 'member', body });
    list.push({ name: `${route}: malformed`, method: 'POST', path: path(route), token: 'member', raw: '{' });
  }
  for (const [name, body] of Object.entries({
    'no body fields': {},
    'peopleServed negative': { peopleServed: -1, summary: 's' },
    'peopleServed too big': { peopleServed: 100_001, summary: 's' },
    'peopleServed fractional': { peopleServed: 1.5, summary: 's' },
    'summary empty': { peopleServed: 1, summary: '' },
    'summary too long': { peopleServed: 1, summary: long(2001) },
    'extra field': { peopleServed: 1, summary: 's', hours: 8 },
  }))
    list.push({ name: `close: ${name}`, method: 'POST', path: path('/close'), token: 'leader', body });
  list.push({
    name: 'sign up with a body field',
    method: 'POST',
    path: path('/signups'),
    token: 'member',
    body: { status: 'confirmed' },
  });
  list.push({
    name: 'attendance code with a body field',
    method: 'POST',
    path: path('/attendance-code'),
    token: 'leader',
    body: { code: '000000' },
  });
  for (const q of [
    'limit=0',
    'limit=101',
    'limit=x',
    'month=2025-13',
    'month=25-06',
    'order=up',
    'teamId=a%23b',
    'communityId=a%23b',
    `cursor=${forged}`,
    'cursor=%25%25',
    `cursor=${long(1100)}`,
    `teamId=${ids.team}&communityId=${ids.community}`,
    'colour=red',
  ])
    list.push({ name: `list ?${q.slice(0, 24)}`, method: 'GET', path: `/activities?${q}`, token: 'member' });
  for (const q of ['limit=0', 'limit=101', `cursor=${forged}`, 'status=confirmed'])
    list.push({ name: `sign-ups ?${q.slice(0, 24)}`, method: 'GET', path: path(`/signups?${q}`), token: 'leader' });
  for (const bad of badIds) {
    list.push({ name: `read ${bad.slice(0, 10)}`, method: 'GET', path: `/activities/${bad}`, token: 'member' });
    list.push({
      name: `sign up ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/activities/${bad}/signups`,
      token: 'member',
    });
    list.push({
      name: `cancel ${bad.slice(0, 10)}`,
      method: 'DELETE',
      path: `/activities/${bad}/signups/me`,
      token: 'member',
    });
    list.push({
      name: `check-in ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/activities/${bad}/check-in`,
      token: 'member',
      body: { code: '123456' },
    });
    list.push({
      name: `close ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/activities/${bad}/close`,
      token: 'leader',
      body: { peopleServed: 1, summary: 's' },
    });
  }
  // a leader's change and cancellation; my sign-ups
  for (const [name, body] of Object.entries({
    'no field': {},
    'unknown field': { title: '新标题' },
    'status smuggled': { status: 'cancelled' },
    'capacity 0': { capacity: 0 },
    'capacity 1001': { capacity: 1001 },
    'capacity fractional': { capacity: 2.5 },
    'capacity a string': { capacity: '5' },
    'startsAt without offset': { startsAt: '2025-06-03T10:00:00' },
    'startsAt in the past': { startsAt: '2025-06-01T09:00:00+08:00' },
    'endsAt before the start': { endsAt: '2025-06-03T08:00:00+08:00' },
    'over 24 hours': { endsAt: '2025-06-05T09:00:00+08:00' },
    'address empty': { address: ' ' },
    'address too long': { address: long(201) },
    'address with a line break': { address: 'a\nb' },
    'bad station id': { stationId: 'a#b' },
    'JSON null field': { capacity: null },
  }))
    list.push({ name: `change: ${name}`, method: 'PATCH', path: `/activities/${ids.activity}`, token: 'leader', body });
  list.push({
    name: 'change: malformed',
    method: 'PATCH',
    path: `/activities/${ids.activity}`,
    token: 'leader',
    raw: '{',
  });
  list.push({ name: 'change: no body', method: 'PATCH', path: `/activities/${ids.activity}`, token: 'leader' });
  for (const [name, body] of Object.entries({
    'no reason': {},
    'reason empty': { reason: '' },
    'reason too long': { reason: long(201) },
    'reason a number': { reason: 5 },
    'extra field': { reason: '下雨', notify: false },
  }))
    list.push({ name: `cancel: ${name}`, method: 'POST', path: path('/cancel'), token: 'leader', body });
  list.push({ name: 'cancel: malformed', method: 'POST', path: path('/cancel'), token: 'leader', raw: '[' });
  for (const q of ['limit=0', 'limit=101', 'limit=1e1', `cursor=${forged}`, 'status=waitlisted'])
    list.push({
      name: `my sign-ups ?${q.slice(0, 24)}`,
      method: 'GET',
      path: `/members/me/signups?${q}`,
      token: 'member',
    });
  for (const bad of badIds) {
    list.push({
      name: `change ${bad.slice(0, 10)}`,
      method: 'PATCH',
      path: `/activities/${bad}`,
      token: 'leader',
      body: { capacity: 5 },
    });
    list.push({
      name: `cancel activity ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/activities/${bad}/cancel`,
      token: 'leader',
      body: { reason: '下雨' },
    });
  }
  // well-formed ids of nothing
  list.push({
    name: 'change missing',
    method: 'PATCH',
    path: '/activities/ac-missing',
    token: 'leader',
    body: { capacity: 5 },
  });
  list.push({
    name: 'cancel missing',
    method: 'POST',
    path: '/activities/ac-missing/cancel',
    token: 'leader',
    body: { reason: '下雨' },
  });
  list.push({ name: 'read missing', method: 'GET', path: '/activities/ac-missing', token: 'member' });
  list.push({ name: 'sign up missing', method: 'POST', path: '/activities/ac-missing/signups', token: 'member' });
  list.push({
    name: 'code for missing',
    method: 'POST',
    path: '/activities/ac-missing/attendance-code',
    token: 'leader',
  });
  list.push({
    name: 'close missing',
    method: 'POST',
    path: '/activities/ac-missing/close',
    token: 'leader',
    body: { peopleServed: 1, summary: 's' },
  });
  return list;
}

describe('bad input on the activities context', () => {
  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(100);
    await expectRefusedWritingNothing(() => badInputFailures(api, all, t), e2e.tableName);
  });

  it('names the fields that failed, and says 422 for an unknown community', async () => {
    const res = await api.post('/activities', t.leader, { ...valid(), title: '', capacity: 0, startsAt: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['body.title', 'body.capacity', 'body.startsAt']),
    );
    const past = await api.post('/activities', t.leader, {
      ...valid(),
      startsAt: '2025-06-01T09:00:00+08:00',
      endsAt: '2025-06-01T08:00:00+08:00',
    });
    expect(past.status).toBe(400);
    expect(past.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.startsAt', 'body.endsAt']);
    const unknown = await api.post('/activities', t.leader, { ...valid(), communityId: 'co-nowhere' });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'UNKNOWN_COMMUNITY']);
    const noPlace = await api.post('/activities', t.leader, { ...valid(), address: undefined });
    expect(noPlace.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.address']);
  });

  it('says a missing field is required (zod said "expected string, received undefined")', async () => {
    const res = await api.post(`/activities/${ids.activity}/cancel`, t.leader, {});
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body.reason', message: 'required: string expected' }]);
  });

  it('refuses a themeMonth other than the month the activity starts in, naming it, writing nothing', async () => {
    const before = await snapshot(e2e.tableName);
    const res = await api.post('/activities', t.leader, { ...valid(), themeMonth: '2025-07' });
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.body.errors).toEqual([
      { field: 'body.themeMonth', message: 'must be the month the activity starts in (2025-06)' },
    ]);
    expect(await snapshot(e2e.tableName)).toBe(before);
  });

  it('refuses a capacity below the confirmed count (409), dropping nobody, writing nothing', async () => {
    expect((await api.post(`/activities/${ids.activity}/signups`, (await e2e.member()).token)).status).toBe(201);
    const before = await snapshot(e2e.tableName);
    const res = await api.call('PATCH', `/activities/${ids.activity}`, { token: t.leader, body: { capacity: 1 } });
    expect([res.status, res.body.code]).toEqual([409, 'CAPACITY_BELOW_CONFIRMED']);
    expect(await snapshot(e2e.tableName)).toBe(before);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { snapshot } from '../support/inspect.ts';
import { client, tokenFor, uniq } from '../support/client.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';

/**
 * Who may do what to team A's activity: the leader of team B, a member, a resident, an admin
 * of another community, a token naming team A but held by someone else, another district, no
 * token. Denied writes change nothing. Attendance: another activity's code, an expired code,
 * a member without a confirmed place.
 */
let server: { url: string; tableName: string; close(): Promise<void> };
let api: ReturnType<typeof client>;
const T0 = '2025-06-02T00:00:00.000Z';
const ids = { street: '', community: '', otherCommunity: '', teamA: '', teamB: '', activityA: '', activityB: '' };
const t: Record<string, string> = {};
const body = (over: Record<string, unknown> = {}) => ({
  title: '法律咨询',
  content: '免费法律咨询',
  category: 'legal-aid',
  communityId: ids.community,
  address: '社区服务中心',
  startsAt: '2025-06-03T09:00:00+08:00',
  endsAt: '2025-06-03T11:00:00+08:00',
  capacity: 1,
  ...over,
});

async function profile(role: 'member' | 'team_leader', name: string, extra: Record<string, string> = {}) {
  const id = uniq('m');
  const token = await tokenFor({ role: 'member', memberId: id });
  expect((await api.post('/members', token, { name, phone: '13912345678' })).status).toBe(201);
  return { id, token: role === 'member' ? token : await tokenFor({ role, memberId: id, ...extra }) };
}

beforeAll(async () => {
  freezeClock(T0);
  server = await startTestServer();
  api = client(server.url);
  t.district = await tokenFor({ role: 'district_admin' });
  ids.street = (await api.post('/streets', t.district, { name: 'A街道' })).body.streetId;
  ids.community = (await api.post('/communities', t.district, { name: 'A社区', streetId: ids.street })).body.communityId;
  ids.otherCommunity = (await api.post('/communities', t.district, { name: 'B社区', streetId: ids.street })).body.communityId;
  const a = await profile('member', 'A队长');
  const b = await profile('member', 'B队长');
  ids.teamA = (await api.post('/teams', t.district, { name: 'A队', category: 'legal-aid', scope: 'district', leaderMemberId: a.id })).body.teamId;
  ids.teamB = (await api.post('/teams', t.district, { name: 'B队', category: 'legal-aid', scope: 'district', leaderMemberId: b.id })).body.teamId;
  t.leaderA = await tokenFor({ role: 'team_leader', memberId: a.id, teamId: ids.teamA });
  t.leaderB = await tokenFor({ role: 'team_leader', memberId: b.id, teamId: ids.teamB });
  t.impostorA = await tokenFor({ role: 'team_leader', memberId: b.id, teamId: ids.teamA }); // names team A, is not its leader
  ids.activityA = (await api.post('/activities', t.leaderA, body())).body.activityId;
  ids.activityB = (await api.post('/activities', t.leaderB, body())).body.activityId;
  expect(ids.activityA && ids.activityB).toBeTruthy();
  const signed = await profile('member', '已报名');
  t.signed = signed.token;
  expect((await api.post(`/activities/${ids.activityA}/signups`, t.signed)).body.status).toBe('confirmed');
  expect((await api.post(`/activities/${ids.activityB}/signups`, t.signed)).body.status).toBe('confirmed');
  const waiting = await profile('member', '候补');
  t.waiting = waiting.token;
  expect((await api.post(`/activities/${ids.activityA}/signups`, t.waiting)).body.status).toBe('waitlisted');
  t.stranger = (await profile('member', '未报名')).token;
  t.noProfile = await tokenFor({ role: 'member', memberId: uniq('np') });
  t.resident = await tokenFor({ role: 'resident', sub: uniq('r') });
  t.adminOther = await tokenFor({ role: 'community_admin', communityId: ids.otherCommunity });
  t.otherDistrict = await tokenFor({ role: 'team_leader', memberId: a.id, teamId: ids.teamA, district: 'pujiang' });
  t.expired = await tokenFor({ role: 'team_leader', memberId: a.id, teamId: ids.teamA, ttlSeconds: -60 });
});
afterAll(async () => {
  resetClock();
  await server?.close();
});
afterEach(() => freezeClock(T0));

type Attempt = { name: string; method: string; path: () => string; body?: () => unknown; deny: Record<string, [number, string?]> };
const ROLE: [number, string] = [403, 'FORBIDDEN'];

const attempts: Attempt[] = [
  {
    name: 'publish',
    method: 'POST',
    path: () => '/activities',
    body: () => body({ teamId: ids.teamA }),
    deny: { leaderB: ROLE, impostorA: ROLE, signed: ROLE, resident: ROLE, adminOther: ROLE, district: ROLE, otherDistrict: [403, 'WRONG_DISTRICT'], expired: [401], none: [401] },
  },
  {
    name: 'attendance code',
    method: 'POST',
    path: () => `/activities/${ids.activityA}/attendance-code`,
    deny: { leaderB: ROLE, impostorA: ROLE, signed: ROLE, resident: ROLE, adminOther: ROLE, district: ROLE, none: [401] },
  },
  {
    name: 'close',
    method: 'POST',
    path: () => `/activities/${ids.activityA}/close`,
    body: () => ({ peopleServed: 1, summary: 's' }),
    deny: { leaderB: ROLE, impostorA: ROLE, signed: ROLE, resident: ROLE, adminOther: ROLE, district: ROLE, none: [401] },
  },
  {
    name: 'sign-ups list',
    method: 'GET',
    path: () => `/activities/${ids.activityA}/signups`,
    deny: { leaderB: ROLE, impostorA: ROLE, signed: ROLE, resident: ROLE, adminOther: ROLE, none: [401] },
  },
  { name: 'sign up', method: 'POST', path: () => `/activities/${ids.activityA}/signups`, deny: { resident: ROLE, adminOther: ROLE, noProfile: [409, 'PROFILE_REQUIRED'], none: [401] } },
  { name: 'cancel', method: 'DELETE', path: () => `/activities/${ids.activityA}/signups/me`, deny: { resident: ROLE, stranger: [404, 'NOT_FOUND'], none: [401] } },
  { name: 'check-in', method: 'POST', path: () => `/activities/${ids.activityA}/check-in`, body: () => ({ code: '123456' }), deny: { resident: ROLE, adminOther: ROLE, none: [401] } },
  { name: 'read', method: 'GET', path: () => `/activities/${ids.activityA}`, deny: { none: [401], otherDistrict: [403, 'WRONG_DISTRICT'] } },
];

describe('authorization on activities', () => {
  it('denies each caller outside the rule with the right status, and changes nothing', async () => {
    const before = await snapshot(server.tableName);
    const failures: string[] = [];
    for (const a of attempts) {
      for (const [who, [status, code]] of Object.entries(a.deny)) {
        const res = await api.call(a.method, a.path(), { token: who === 'none' ? undefined : t[who], body: a.body?.() });
        if (res.status !== status || (code && res.body?.code !== code)) failures.push(`${a.name} as ${who}: ${res.status} ${res.body?.code ?? res.text.slice(0, 80)} (wanted ${status} ${code ?? ''})`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot(server.tableName)).toBe(before);
  });

  it('the leader and admins of the place see the sign-ups', async () => {
    expect((await api.get(`/activities/${ids.activityA}/signups`, t.leaderA)).status).toBe(200);
    expect((await api.get(`/activities/${ids.activityA}/signups`, await tokenFor({ role: 'community_admin', communityId: ids.community }))).status).toBe(200);
  });

  it('refuses attendance with another activity\'s code, an expired code, and without a confirmed place', async () => {
    freezeClock('2025-06-03T08:50:00+08:00');
    const codeA = (await api.post(`/activities/${ids.activityA}/attendance-code`, t.leaderA)).body.code as string;
    let codeB = (await api.post(`/activities/${ids.activityB}/attendance-code`, t.leaderB)).body.code as string;
    while (codeB === codeA) codeB = (await api.post(`/activities/${ids.activityB}/attendance-code`, t.leaderB)).body.code;
    // A wrong code is counted (code-tries items: the guard against guessing); nothing else is written.
    const before = await snapshot(server.tableName, { ignoreTypes: ['code-tries'] });
    const tryIn = (token: string | undefined, code: string) => api.post(`/activities/${ids.activityA}/check-in`, token, { code });
    const foreign = await tryIn(t.signed, codeB);
    expect([foreign.status, foreign.body.code]).toEqual([403, 'ATTENDANCE_CODE_INVALID']);
    const stranger = await tryIn(t.stranger, codeA);
    expect([stranger.status, stranger.body.code]).toEqual([403, 'NOT_SIGNED_UP']);
    const waiting = await tryIn(t.waiting, codeA);
    expect([waiting.status, waiting.body.code]).toEqual([403, 'NOT_SIGNED_UP']);
    const out = await api.post(`/activities/${ids.activityA}/check-out`, t.signed, { code: codeA });
    expect([out.status, out.body.code]).toEqual([409, 'NOT_CHECKED_IN']);
    freezeClock('2025-06-03T09:00:00+08:00'); // ten minutes later
    const expired = await tryIn(t.signed, codeA);
    expect([expired.status, expired.body.code]).toEqual([403, 'ATTENDANCE_CODE_EXPIRED']);
    expect(await snapshot(server.tableName, { ignoreTypes: ['code-tries'] })).toBe(before);
    freezeClock('2025-06-03T09:05:00+08:00');
    const fresh = (await api.post(`/activities/${ids.activityA}/attendance-code`, t.leaderA)).body.code as string;
    expect((await tryIn(t.signed, fresh)).status).toBe(200);
    const again = await tryIn(t.signed, fresh);
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_CHECKED_IN']);
  });
});

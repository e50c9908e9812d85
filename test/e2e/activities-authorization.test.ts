import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { snapshot } from '../support/inspect.ts';
import { expectRefusedWritingNothing, refusalFailure } from '../support/matrix.ts';
import { mint, tokenFor, uniq, useE2e } from '../support/e2e.ts';

/**
 * Who may do what to team A's activity: the leader of team B, a member, a resident, an admin
 * of another community, a token naming team A but held by someone else, another district, no
 * token. Denied writes change nothing. Attendance: another activity's code, an expired code,
 * a member without a confirmed place.
 */
const e2e = useE2e();
const { api } = e2e;
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

beforeAll(async () => {
  freezeClock(T0);
  t.district = await e2e.districtAdmin();
  ids.street = await e2e.street('A街道');
  ids.community = await e2e.community(ids.street, 'A社区');
  ids.otherCommunity = await e2e.community(ids.street, 'B社区');
  const teamA = await e2e.team({ name: 'A队', category: 'legal-aid' });
  const teamB = await e2e.team({ name: 'B队', category: 'legal-aid' });
  ids.teamA = teamA.teamId;
  ids.teamB = teamB.teamId;
  const a = teamA.leader.memberId;
  t.leaderA = teamA.leader.token;
  t.leaderB = teamB.leader.token;
  t.impostorA = await mint.leader(teamB.leader.memberId, ids.teamA); // names team A, is not its leader
  ids.activityA = (await api.post('/activities', t.leaderA, body())).body.activityId;
  ids.activityB = (await api.post('/activities', t.leaderB, body())).body.activityId;
  expect(ids.activityA && ids.activityB).toBeTruthy();
  t.signed = (await e2e.member('已报名')).token;
  expect((await api.post(`/activities/${ids.activityA}/signups`, t.signed)).body.status).toBe('confirmed');
  expect((await api.post(`/activities/${ids.activityB}/signups`, t.signed)).body.status).toBe('confirmed');
  t.waiting = (await e2e.member('候补')).token;
  expect((await api.post(`/activities/${ids.activityA}/signups`, t.waiting)).body.status).toBe('waitlisted');
  t.stranger = (await e2e.member('未报名')).token;
  t.noProfile = await mint.member(uniq('np'));
  t.resident = await mint.resident();
  t.adminOther = await mint.communityAdmin(ids.otherCommunity);
  t.otherDistrict = await tokenFor({ role: 'team_leader', memberId: a, teamId: ids.teamA, district: 'pujiang' });
  t.expired = await tokenFor({ role: 'team_leader', memberId: a, teamId: ids.teamA, ttlSeconds: -60 });
});
afterAll(() => resetClock());
afterEach(() => freezeClock(T0));

type Attempt = {
  name: string;
  method: string;
  path: () => string;
  body?: () => unknown;
  deny: Record<string, [number, string?]>;
};
const ROLE: [number, string] = [403, 'FORBIDDEN'];

const attempts: Attempt[] = [
  {
    name: 'publish',
    method: 'POST',
    path: () => '/activities',
    body: () => body({ teamId: ids.teamA }),
    deny: {
      leaderB: ROLE,
      impostorA: ROLE,
      signed: ROLE,
      resident: ROLE,
      adminOther: ROLE,
      district: ROLE,
      otherDistrict: [403, 'WRONG_DISTRICT'],
      expired: [401],
      none: [401],
    },
  },
  {
    name: 'attendance code',
    method: 'POST',
    path: () => `/activities/${ids.activityA}/attendance-code`,
    deny: {
      leaderB: ROLE,
      impostorA: ROLE,
      signed: ROLE,
      resident: ROLE,
      adminOther: ROLE,
      district: ROLE,
      none: [401],
    },
  },
  {
    name: 'close',
    method: 'POST',
    path: () => `/activities/${ids.activityA}/close`,
    body: () => ({ peopleServed: 1, summary: 's' }),
    deny: {
      leaderB: ROLE,
      impostorA: ROLE,
      signed: ROLE,
      resident: ROLE,
      adminOther: ROLE,
      district: ROLE,
      none: [401],
    },
  },
  {
    name: 'sign-ups list',
    method: 'GET',
    path: () => `/activities/${ids.activityA}/signups`,
    deny: { leaderB: ROLE, impostorA: ROLE, signed: ROLE, resident: ROLE, adminOther: ROLE, none: [401] },
  },
  {
    name: 'sign up',
    method: 'POST',
    path: () => `/activities/${ids.activityA}/signups`,
    deny: { resident: ROLE, adminOther: ROLE, noProfile: [409, 'PROFILE_REQUIRED'], none: [401] },
  },
  {
    name: 'cancel',
    method: 'DELETE',
    path: () => `/activities/${ids.activityA}/signups/me`,
    deny: { resident: ROLE, stranger: [404, 'NOT_FOUND'], none: [401] },
  },
  {
    name: 'check-in',
    method: 'POST',
    path: () => `/activities/${ids.activityA}/check-in`,
    body: () => ({ code: '123456' }),
    deny: { resident: ROLE, adminOther: ROLE, none: [401] },
  },
  {
    name: 'change',
    method: 'PATCH',
    path: () => `/activities/${ids.activityA}`,
    body: () => ({ capacity: 5 }),
    deny: {
      leaderB: ROLE,
      impostorA: ROLE,
      signed: ROLE,
      resident: ROLE,
      adminOther: ROLE,
      district: ROLE,
      none: [401],
      expired: [401],
      otherDistrict: [403, 'WRONG_DISTRICT'],
    },
  },
  {
    name: 'cancel the activity',
    method: 'POST',
    path: () => `/activities/${ids.activityA}/cancel`,
    body: () => ({ reason: '下雨' }),
    deny: {
      leaderB: ROLE,
      impostorA: ROLE,
      signed: ROLE,
      resident: ROLE,
      district: ROLE,
      none: [401],
      expired: [401],
      otherDistrict: [403, 'WRONG_DISTRICT'],
    },
  },
  {
    name: 'my sign-ups',
    method: 'GET',
    path: () => '/members/me/signups',
    deny: { resident: ROLE, adminOther: ROLE, district: ROLE, none: [401], expired: [401] },
  },
  {
    name: 'read',
    method: 'GET',
    path: () => `/activities/${ids.activityA}`,
    deny: { none: [401], otherDistrict: [403, 'WRONG_DISTRICT'] },
  },
];

describe('authorization on activities', () => {
  it('denies each caller outside the rule with the right status, and changes nothing', async () => {
    await expectRefusedWritingNothing(async () => {
      const failures: string[] = [];
      for (const a of attempts) {
        for (const [who, [status, code]] of Object.entries(a.deny)) {
          const res = await api.call(a.method, a.path(), {
            token: who === 'none' ? undefined : t[who],
            body: a.body?.(),
          });
          const failure = refusalFailure(res, status, code);
          if (failure) failures.push(`${a.name} as ${who}: ${failure}`);
        }
      }
      return failures;
    }, e2e.tableName);
  });

  it('the leader and admins of the place see the sign-ups', async () => {
    expect((await api.get(`/activities/${ids.activityA}/signups`, t.leaderA)).status).toBe(200);
    expect(
      (await api.get(`/activities/${ids.activityA}/signups`, await mint.communityAdmin(ids.community))).status,
    ).toBe(200);
  });

  it("refuses attendance with another activity's code, an expired code, and without a confirmed place", async () => {
    freezeClock('2025-06-03T08:50:00+08:00');
    const codeA = (await api.post(`/activities/${ids.activityA}/attendance-code`, t.leaderA)).body.code as string;
    let codeB = (await api.post(`/activities/${ids.activityB}/attendance-code`, t.leaderB)).body.code as string;
    while (codeB === codeA)
      codeB = (await api.post(`/activities/${ids.activityB}/attendance-code`, t.leaderB)).body.code;
    // A wrong code is counted (code-tries items: the guard against guessing); nothing else is written.
    const before = await snapshot(e2e.tableName, { ignoreTypes: ['code-tries'] });
    const tryIn = (token: string | undefined, code: string) =>
      api.post(`/activities/${ids.activityA}/check-in`, token, { code });
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
    expect(await snapshot(e2e.tableName, { ignoreTypes: ['code-tries'] })).toBe(before);
    freezeClock('2025-06-03T09:05:00+08:00');
    const fresh = (await api.post(`/activities/${ids.activityA}/attendance-code`, t.leaderA)).body.code as string;
    expect((await tryIn(t.signed, fresh)).status).toBe(200);
    const again = await tryIn(t.signed, fresh);
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_CHECKED_IN']);
  });
});

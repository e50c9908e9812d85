import { liveCounters } from '../support/counters.ts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordIdFor } from '../../shared/domain/records.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { allItems } from '../support/inspect.ts';
import { useE2e } from '../support/e2e.ts';
import { captureMetrics } from '../support/metrics.ts';

/**
 * Over HTTP: a leader publishes, members sign up (one waitlisted, promoted when another
 * cancels), the leader issues codes, members check in and out, the leader closes, and the
 * service records and counters are written (read from the table: the records routes belong to
 * the records context). The clock is moved with freezeClock, never by sleeping.
 */
const e2e = useE2e();
const { api } = e2e;
const T0 = '2025-06-02T00:00:00.000Z';
const ids = { street: '', community: '', team: '', leader: '' };
const t: Record<string, string> = {};

beforeAll(async () => {
  t.district = await e2e.districtAdmin();
  ids.street = await e2e.street('春熙街道');
  ids.community = await e2e.community(ids.street, '锦官社区');
  const team = await e2e.team({
    name: '健康志愿服务队',
    category: 'health',
    communityId: ids.community,
    leader: await e2e.member('王队长'),
  });
  ids.team = team.teamId;
  ids.leader = team.leader.memberId;
  t.leader = team.leader.token;
});
afterEach(() => resetClock());

describe('an activity from publish to close', () => {
  it('publishes, signs up with a waitlist, promotes on cancel, takes attendance, closes and records', async () => {
    const metrics = captureMetrics();
    freezeClock(T0);
    const pub = await api.post('/activities', t.leader, {
      title: '社区义诊',
      content: '测血压、健康咨询',
      category: 'health',
      communityId: ids.community,
      address: '社区广场',
      startsAt: '2025-06-03T09:00:00+08:00',
      endsAt: '2025-06-03T12:00:00+08:00',
      capacity: 2,
      themeMonth: '2025-06',
    });
    expect(pub.status).toBe(201);
    const a = pub.body;
    expect(a).toMatchObject({
      teamId: ids.team,
      teamName: '健康志愿服务队',
      leaderName: '王队长',
      status: 'open',
      confirmedCount: 0,
      waitlistedCount: 0,
    });
    expect(a.attendanceCode).toBeUndefined();
    expect(a.ticketSeq).toBeUndefined();

    const [m1, m2, m3] = [await e2e.member('张三'), await e2e.member('李四'), await e2e.member('王五')];
    expect((await api.post(`/activities/${a.activityId}/signups`, m1.token)).body.status).toBe('confirmed');
    expect((await api.post(`/activities/${a.activityId}/signups`, m2.token)).body.status).toBe('confirmed');
    const w = await api.post(`/activities/${a.activityId}/signups`, m3.token);
    expect(w.status).toBe(201);
    expect(w.body.status).toBe('waitlisted');
    const dup = await api.post(`/activities/${a.activityId}/signups`, m1.token);
    expect([dup.status, dup.body.code]).toEqual([409, 'ALREADY_SIGNED_UP']);
    expect((await api.get(`/activities/${a.activityId}`, m3.token)).body).toMatchObject({
      confirmedCount: 2,
      waitlistedCount: 1,
    });

    const cancel = await api.call('DELETE', `/activities/${a.activityId}/signups/me`, { token: m2.token });
    expect(cancel.status).toBe(204);
    expect((await api.get(`/activities/${a.activityId}`, m3.token)).body).toMatchObject({
      confirmedCount: 2,
      waitlistedCount: 0,
    });
    const signups = await api.get(`/activities/${a.activityId}/signups`, t.leader);
    expect(signups.body.items.map((s: { memberId: string; status: string }) => [s.memberId, s.status])).toEqual([
      [m1.memberId, 'confirmed'],
      [m3.memberId, 'confirmed'],
    ]);

    const listed = await api.get(`/activities?teamId=${ids.team}&month=2025-06`, m1.token);
    expect(listed.body.items.map((x: { activityId: string }) => x.activityId)).toEqual([a.activityId]);
    expect((await api.get(`/activities?communityId=${ids.community}`, m1.token)).body.items).toHaveLength(1);
    expect((await api.get('/activities?month=2025-06', m1.token)).body.items).toHaveLength(1);
    expect((await api.get('/activities?month=2025-07', m1.token)).body.items).toHaveLength(0);

    freezeClock('2025-06-03T08:45:00+08:00');
    const code1 = await api.post(`/activities/${a.activityId}/attendance-code`, t.leader);
    expect(code1.status).toBe(200);
    expect(code1.body.code).toMatch(/^\d{6}$/);
    expect((await api.post(`/activities/${a.activityId}/check-in`, m1.token, { code: code1.body.code })).status).toBe(
      200,
    );
    freezeClock('2025-06-03T09:20:00+08:00');
    const code2 = (await api.post(`/activities/${a.activityId}/attendance-code`, t.leader)).body.code;
    expect((await api.post(`/activities/${a.activityId}/check-in`, m3.token, { code: code2 })).body.action).toBe(
      'check-in',
    );
    freezeClock('2025-06-03T12:10:00+08:00');
    const code3 = (await api.post(`/activities/${a.activityId}/attendance-code`, t.leader)).body.code;
    expect((await api.post(`/activities/${a.activityId}/check-out`, m1.token, { code: code3 })).status).toBe(200); // 3 h (clipped)
    freezeClock('2025-06-03T11:00:00+08:00');
    const code4 = (await api.post(`/activities/${a.activityId}/attendance-code`, t.leader)).body.code;
    expect((await api.post(`/activities/${a.activityId}/check-out`, m3.token, { code: code4 })).status).toBe(200); // 1 h 40 -> 1.5 h
    const twice = await api.post(`/activities/${a.activityId}/check-out`, m3.token, { code: code4 });
    expect([twice.status, twice.body.code]).toEqual([409, 'ALREADY_CHECKED_OUT']);

    const early = await api.post(`/activities/${a.activityId}/close`, t.leader, {
      peopleServed: 120,
      summary: '服务120人次',
    });
    expect([early.status, early.body.code]).toEqual([409, 'ACTIVITY_NOT_ENDED']);
    freezeClock('2025-06-04T10:00:00+08:00');
    const closed = await api.post(`/activities/${a.activityId}/close`, t.leader, {
      peopleServed: 120,
      summary: '服务120人次',
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', peopleServed: 120, summary: '服务120人次' });
    const again = await api.post(`/activities/${a.activityId}/close`, t.leader, { peopleServed: 1, summary: '再次' });
    expect([again.status, again.body]).toEqual([200, closed.body]);
    // Business metrics, by district and function: three sign-ups (the duplicate refused counts
    // nothing), two records written by the close (the second close writes none).
    metrics.stop();
    const where = { District: 'jinjiang', Function: 'activities' };
    expect(metrics.total('SignUps', where)).toBe(3);
    expect(metrics.total('RecordsWritten', where)).toBe(2);
    expect(metrics.count('RecordsWritten')).toBe(1);

    const items = await allItems(e2e.tableName);
    const records = items.filter((i) => i.type === 'service-record' && i.activityId === a.activityId);
    expect(records).toHaveLength(2);
    const byMember = Object.fromEntries(records.map((r) => [r.memberId as string, r]));
    expect(byMember[m1.memberId]).toMatchObject({
      recordId: recordIdFor(a.activityId, m1.memberId),
      memberName: '张三',
      activityName: '社区义诊',
      date: '2025-06-03',
      place: '锦官社区 社区广场',
      content: '测血压、健康咨询',
      hours: 3,
      organisingUnit: '健康志愿服务队',
      activityLeader: '王队长',
      late: false,
      source: 'activity',
    });
    expect(byMember[m3.memberId]).toMatchObject({ memberName: '王五', hours: 1.5 });
    const teamCounter = await liveCounters('team', ids.team, '2025-06');
    expect(teamCounter).toMatchObject({ activities: 1, volunteerTimes: 2, volunteerHours: 4.5, peopleServed: 120 });
    const communityCounter = await liveCounters('community', ids.community, '2025-06');
    expect(communityCounter).toMatchObject({
      activities: 1,
      volunteerTimes: 2,
      volunteerHours: 4.5,
      peopleServed: 120,
    });
  });
});

describe('a leader changes and cancels; a member follows their sign-ups', () => {
  it('my sign-ups show my place on the waitlist; a larger capacity promotes in order; a move keeps everyone; a cancel closes sign-up', async () => {
    freezeClock(T0);
    const a = (
      await api.post('/activities', t.leader, {
        title: '敬老院探访',
        content: '陪老人聊天',
        category: 'elderly-care',
        communityId: ids.community,
        address: '敬老院',
        startsAt: '2025-06-04T09:00:00+08:00',
        endsAt: '2025-06-04T11:00:00+08:00',
        capacity: 1,
      })
    ).body;
    const [m1, m2, m3] = [await e2e.member('甲'), await e2e.member('乙'), await e2e.member('丙')];
    for (const m of [m1, m2, m3])
      expect((await api.post(`/activities/${a.activityId}/signups`, m.token)).status).toBe(201);
    const mine = async (token: string) => (await api.get('/members/me/signups', token)).body.items;
    expect((await mine(m1.token))[0]).toMatchObject({ status: 'confirmed', activity: { title: '敬老院探访' } });
    expect((await mine(m1.token))[0].waitlistPlace).toBeUndefined();
    expect((await mine(m2.token))[0]).toMatchObject({ status: 'waitlisted', waitlistPlace: 1 });
    expect((await mine(m3.token))[0]).toMatchObject({ status: 'waitlisted', waitlistPlace: 2 });

    // Capacity 2: the head of the waitlist is promoted, the next moves up.
    const bigger = await api.call('PATCH', `/activities/${a.activityId}`, { token: t.leader, body: { capacity: 2 } });
    expect(bigger.status).toBe(200);
    expect(bigger.body).toMatchObject({ capacity: 2, confirmedCount: 2, waitlistedCount: 1 });
    expect((await mine(m2.token))[0]).toMatchObject({ status: 'confirmed' });
    expect((await mine(m3.token))[0]).toMatchObject({ status: 'waitlisted', waitlistPlace: 1 });
    // A new sign-up waits behind the waitlist, even with a place free after a cancel... none is free here.
    const late = await e2e.member('丁');
    expect((await api.post(`/activities/${a.activityId}/signups`, late.token)).body.status).toBe('waitlisted');

    // Moved by a day: everyone keeps their place; the activity lists under its new time.
    const moved = await api.call('PATCH', `/activities/${a.activityId}`, {
      token: t.leader,
      body: { startsAt: '2025-06-05T09:00:00+08:00', endsAt: '2025-06-05T11:00:00+08:00', address: '敬老院二楼' },
    });
    expect(moved.body).toMatchObject({
      startsAt: '2025-06-05T01:00:00.000Z',
      address: '敬老院二楼',
      confirmedCount: 2,
      waitlistedCount: 2,
    });
    expect(moved.body.updatedAt).toBeDefined();
    const listed = await api.get(`/activities?teamId=${ids.team}&month=2025-06&order=asc`, m1.token);
    expect(listed.body.items.find((x: { activityId: string }) => x.activityId === a.activityId).startsAt).toBe(
      '2025-06-05T01:00:00.000Z',
    );

    const cancelled = await api.post(`/activities/${a.activityId}/cancel`, t.leader, { reason: '暴雨预警' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '暴雨预警' });
    const again = await api.post(`/activities/${a.activityId}/cancel`, t.leader, { reason: '暴雨预警' });
    expect([again.status, again.body.code]).toEqual([409, 'SIGNUP_CLOSED']);
    const signup = await api.post(`/activities/${a.activityId}/signups`, (await e2e.member('戊')).token);
    expect([signup.status, signup.body.code]).toEqual([409, 'SIGNUP_CLOSED']);
    expect((await mine(m1.token))[0].activity).toMatchObject({ status: 'cancelled' });
  });
});

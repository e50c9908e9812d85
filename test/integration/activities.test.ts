import { liveCounters } from '../support/counters.ts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import { allItems } from '../support/inspect.ts';
import * as svc from '../../shared/services/activities.ts';
import * as members from '../../shared/services/members.ts';
import * as store from '../../shared/db/activities.ts';
import { teamItem } from '../../shared/db/teams.ts';
import { putNew } from '../../shared/db/writes.ts';
import { getItem } from '../../shared/db/table.ts';
import { recordIdFor } from '../../shared/domain/records.ts';
import { freezeClock, nowIso, resetClock } from '../../shared/domain/clock.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Team } from '../../shared/domain/team.ts';
import type { Activity } from '../../shared/domain/activity.ts';
import { codeOf, who } from '../support/callers.ts';

/** The activities context's services against DynamoDB Local (no mocks): flows and rules. */
const district = who('district_admin');

const T0 = '2025-06-02T00:00:00.000Z'; // a Monday, 08:00 in Shanghai
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

let n = 0;
let place: { streetId: string; communityId: string; communityName: string };
async function member(name = '队员'): Promise<Caller> {
  const me = who('member', { memberId: `m-${++n}` });
  await members.createMember(me, { name: `${name}${n}`, phone: '13912345678', skills: [], categories: [] });
  return me;
}
async function team(): Promise<{ team: Team; leader: Caller }> {
  const leaderId = `l-${++n}`;
  const t: Team = {
    teamId: `team-${n}`,
    name: `志愿服务队${n}`,
    category: 'health',
    scope: 'community',
    streetId: place.streetId,
    communityId: place.communityId,
    leaderMemberId: leaderId,
    leaderName: `队长${n}`,
    status: 'active',
    memberCount: 1,
    createdAt: T0,
  };
  await putNew(teamItem(t));
  return { team: t, leader: who('team_leader', { memberId: leaderId, teamId: t.teamId }) };
}
async function publish(leader: Caller, over: Partial<svc.PublishInput> = {}): Promise<Activity> {
  return svc.publish(leader, {
    title: '义诊',
    content: '为社区老人量血压',
    category: 'health',
    communityId: place.communityId,
    address: '3号楼前',
    startsAt: plus(T0, 24 * 60), // tomorrow 08:00 Shanghai
    endsAt: plus(T0, 24 * 60 + 180),
    capacity: 2,
    ...over,
  });
}

beforeAll(async () => {
  await useFreshTable();
  const s = await members.createStreet(district, { name: '春熙街道' });
  const c = await members.createCommunity(district, { name: '锦官社区', streetId: s.streetId, kind: 'urban' });
  place = { streetId: s.streetId, communityId: c.communityId, communityName: c.name };
});
afterEach(() => resetClock());

describe('publish, read, list', () => {
  it('publishes for the leader of the team in the token, with the community copied', async () => {
    freezeClock(T0);
    const { team: t, leader } = await team();
    const a = await publish(leader, {
      startsAt: '2025-06-03T09:00:00+08:00',
      endsAt: '2025-06-03T11:30:00+08:00',
      themeMonth: '2025-06',
    });
    expect(a).toMatchObject({
      teamId: t.teamId,
      teamName: t.name,
      leaderName: t.leaderName,
      streetId: place.streetId,
      communityId: place.communityId,
      communityName: '锦官社区',
      startsAt: '2025-06-03T01:00:00.000Z',
      endsAt: '2025-06-03T03:30:00.000Z',
      status: 'open',
      kind: 'regular',
      confirmedCount: 0,
      waitlistedCount: 0,
      themeMonth: '2025-06',
    });
    expect(await svc.getActivity(a.activityId)).toEqual(a);
  });

  it('refuses another team, a caller who is not the recorded leader, an unknown community, a past start', async () => {
    freezeClock(T0);
    const { team: t, leader } = await team();
    const other = await team();
    expect(await codeOf(publish(leader, { teamId: other.team.teamId }))).toBe('FORBIDDEN');
    expect(await codeOf(publish(who('team_leader', { memberId: 'not-the-leader', teamId: t.teamId })))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(publish(who('team_leader', { memberId: leader.memberId })))).toBe('FORBIDDEN');
    expect(await codeOf(publish(leader, { communityId: 'co-none' }))).toBe('UNKNOWN_COMMUNITY');
    expect(await codeOf(publish(leader, { startsAt: plus(T0, -1), endsAt: plus(T0, 60) }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(publish(leader, { startsAt: plus(T0, 60), endsAt: plus(T0, 60 + 24 * 60 + 1) }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('lists by month, team, community, team within a month and community within a month (Shanghai months)', async () => {
    freezeClock('2025-06-01T00:00:00.000Z');
    const s = await members.createStreet(district, { name: '列表街道' });
    const c = await members.createCommunity(district, { name: '列表社区', streetId: s.streetId, kind: 'urban' });
    const saved = place;
    place = { streetId: s.streetId, communityId: c.communityId, communityName: c.name };
    const A = await team();
    const B = await team();
    const mk = async (leader: Caller, startsAt: string) =>
      (await publish(leader, { startsAt, endsAt: plus(startsAt, 60) })).activityId;
    const a1 = await mk(A.leader, '2025-06-10T09:00:00+08:00');
    const a2 = await mk(A.leader, '2025-07-01T00:00:00+08:00'); // July in Shanghai, June 30 in UTC
    const a3 = await mk(B.leader, '2025-06-30T23:59:00+08:00');
    const b1 = await mk(B.leader, '2025-08-01T10:00:00+08:00');
    place = saved;
    const ids = async (q: Parameters<typeof svc.listActivities>[0]) =>
      (await svc.listActivities(q)).items.map((a) => a.activityId);
    expect(await ids({ teamId: A.team.teamId, order: 'asc', limit: 10 })).toEqual([a1, a2]);
    expect(await ids({ teamId: A.team.teamId, order: 'desc', limit: 10 })).toEqual([a2, a1]);
    expect(await ids({ teamId: A.team.teamId, month: '2025-06', order: 'asc', limit: 10 })).toEqual([a1]);
    expect(await ids({ teamId: A.team.teamId, month: '2025-07', order: 'asc', limit: 10 })).toEqual([a2]);
    expect(await ids({ communityId: c.communityId, order: 'asc', limit: 10 })).toEqual([a1, a3, a2, b1]);
    expect(await ids({ communityId: c.communityId, month: '2025-06', order: 'desc', limit: 10 })).toEqual([a3, a1]);
    expect(await ids({ communityId: c.communityId, month: '2025-08', order: 'asc', limit: 10 })).toEqual([b1]);
    const july = await ids({ month: '2025-07', order: 'asc', limit: 10 });
    expect(july).toEqual([a2]);
    expect(await ids({ order: 'asc', limit: 100 })).toEqual(expect.arrayContaining([a1, a3])); // default: this month
    // pages
    const p1 = await svc.listActivities({ communityId: c.communityId, order: 'asc', limit: 3 });
    expect(p1.nextCursor).toBeDefined();
    const p2 = await svc.listActivities({ communityId: c.communityId, order: 'asc', limit: 3, cursor: p1.nextCursor });
    expect([...p1.items, ...p2.items].map((a) => a.activityId)).toEqual([a1, a3, a2, b1]);
    expect(
      await codeOf(svc.listActivities({ teamId: A.team.teamId, order: 'asc', limit: 3, cursor: p1.nextCursor })),
    ).toBe('BAD_CURSOR');
    const m1 = await svc.listActivities({ communityId: c.communityId, month: '2025-06', order: 'asc', limit: 1 });
    expect(
      await codeOf(
        svc.listActivities({
          communityId: c.communityId,
          month: '2025-08',
          order: 'asc',
          limit: 1,
          cursor: m1.nextCursor,
        }),
      ),
    ).toBe('BAD_CURSOR');
  });
});

describe('sign-up, waitlist, cancel', () => {
  it('confirms up to capacity, then waitlists in arrival order; counts exact; no double sign-up; a profile is needed', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader, { capacity: 2 });
    const [m1, m2, m3, m4] = [await member(), await member(), await member(), await member()];
    expect((await svc.signUp(m1, a.activityId)).status).toBe('confirmed');
    expect((await svc.signUp(m2, a.activityId)).status).toBe('confirmed');
    // Arrival order is the arrival instant: m3 a minute before m4.
    freezeClock(plus(T0, 1));
    const w3 = await svc.signUp(m3, a.activityId);
    freezeClock(plus(T0, 2));
    const w4 = await svc.signUp(m4, a.activityId);
    expect([w3.status, w4.status]).toEqual(['waitlisted', 'waitlisted']);
    expect(w3.ticket).toBeLessThan(w4.ticket);
    expect(await codeOf(svc.signUp(m1, a.activityId))).toBe('ALREADY_SIGNED_UP');
    expect(await codeOf(svc.signUp(m3, a.activityId))).toBe('ALREADY_SIGNED_UP');
    expect(await codeOf(svc.signUp(who('member', { memberId: 'no-profile' }), a.activityId))).toBe('PROFILE_REQUIRED');
    expect(await codeOf(svc.signUp(m1, 'ac-none'))).toBe('NOT_FOUND');
    expect(await svc.getActivity(a.activityId)).toMatchObject({ confirmedCount: 2, waitlistedCount: 2 });
    const list = await svc.listSignups(leader, a.activityId, 10, undefined);
    expect(list.items.map((s) => [s.memberId, s.status])).toEqual([
      [m1.memberId, 'confirmed'],
      [m2.memberId, 'confirmed'],
      [m3.memberId, 'waitlisted'],
      [m4.memberId, 'waitlisted'],
    ]);

    // a confirmed member cancels: the head (m3) is promoted in the same transaction
    const c1 = await svc.cancel(m1, a.activityId);
    expect(c1.promoted).toBe(m3.memberId);
    expect(await svc.getActivity(a.activityId)).toMatchObject({ confirmedCount: 2, waitlistedCount: 1 });
    expect((await store.getSignup(a.activityId, m3.memberId))?.status).toBe('confirmed');
    expect(await store.waitlist(a.activityId)).toEqual([{ ticket: w4.ticket, memberId: m4.memberId }]);
    // a waitlisted member cancels: just removed
    expect((await svc.cancel(m4, a.activityId)).promoted).toBeUndefined();
    expect(await svc.getActivity(a.activityId)).toMatchObject({ confirmedCount: 2, waitlistedCount: 0 });
    expect(await store.waitlist(a.activityId)).toEqual([]);
    // a confirmed member cancels with no waitlist: the place is freed, and a newcomer gets it
    await svc.cancel(m2, a.activityId);
    expect(await svc.getActivity(a.activityId)).toMatchObject({ confirmedCount: 1, waitlistedCount: 0 });
    expect(await codeOf(svc.cancel(m2, a.activityId))).toBe('NOT_FOUND');
    expect((await svc.signUp(m1, a.activityId)).status).toBe('confirmed'); // may sign up again after cancelling
    expect(await svc.getActivity(a.activityId)).toMatchObject({ confirmedCount: 2, waitlistedCount: 0 });
  });

  it('closes sign-up and cancelling at the start', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader);
    const m1 = await member();
    await svc.signUp(m1, a.activityId);
    freezeClock(a.startsAt);
    expect(await codeOf(svc.signUp(await member(), a.activityId))).toBe('SIGNUP_CLOSED');
    expect(await codeOf(svc.cancel(m1, a.activityId))).toBe('SIGNUP_CLOSED');
    expect(await svc.getActivity(a.activityId)).toMatchObject({ confirmedCount: 1, waitlistedCount: 0 });
  });

  it('shows sign-ups to the leader and admins of the place only', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const other = await team();
    const a = await publish(leader);
    expect(await codeOf(svc.listSignups(other.leader, a.activityId, 10, undefined))).toBe('FORBIDDEN');
    expect(
      await codeOf(svc.listSignups(who('community_admin', { communityId: 'co-x' }), a.activityId, 10, undefined)),
    ).toBe('FORBIDDEN');
    expect(
      await codeOf(
        svc.listSignups(who('community_admin', { communityId: place.communityId }), a.activityId, 10, undefined),
      ),
    ).toBe('ok');
    expect(
      await codeOf(svc.listSignups(who('street_admin', { streetId: place.streetId }), a.activityId, 10, undefined)),
    ).toBe('ok');
  });
});

describe('attendance', () => {
  it('checks in and out with the current code inside the window; wrong, old, expired and foreign codes fail', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const other = await team();
    const a = await publish(leader, { capacity: 1 });
    const b = await publish(other.leader);
    const m1 = await member();
    const m2 = await member(); // waitlisted
    const m3 = await member(); // not signed up
    await svc.signUp(m1, a.activityId);
    await svc.signUp(m2, a.activityId);
    await svc.signUp(m1, b.activityId);

    expect(await codeOf(svc.issueAttendanceCode(leader, a.activityId))).toBe('ATTENDANCE_CLOSED'); // too early
    freezeClock(plus(a.startsAt, -30));
    expect(await codeOf(svc.issueAttendanceCode(other.leader, a.activityId))).toBe('FORBIDDEN');
    const old = await svc.issueAttendanceCode(leader, a.activityId);
    expect(old.code).toMatch(/^\d{6}$/);
    expect(old.expiresAt).toBe(plus(a.startsAt, -20));
    let code = await svc.issueAttendanceCode(leader, a.activityId);
    while (code.code === old.code) code = await svc.issueAttendanceCode(leader, a.activityId);
    let foreign = await svc.issueAttendanceCode(other.leader, b.activityId);
    while (foreign.code === code.code) foreign = await svc.issueAttendanceCode(other.leader, b.activityId);
    const wrong = String((Number(code.code) + 1) % 1_000_000).padStart(6, '0');

    expect(await codeOf(svc.attend(m1, a.activityId, 'out', code.code))).toBe('NOT_CHECKED_IN');
    expect(await codeOf(svc.attend(m1, a.activityId, 'in', old.code))).toBe('ATTENDANCE_CODE_INVALID');
    expect(await codeOf(svc.attend(m1, a.activityId, 'in', wrong))).toBe('ATTENDANCE_CODE_INVALID');
    expect(await codeOf(svc.attend(m1, a.activityId, 'in', foreign.code))).toBe('ATTENDANCE_CODE_INVALID');
    expect(await codeOf(svc.attend(m2, a.activityId, 'in', code.code))).toBe('NOT_SIGNED_UP');
    expect(await codeOf(svc.attend(m3, a.activityId, 'in', code.code))).toBe('NOT_SIGNED_UP');
    expect(await svc.attend(m1, a.activityId, 'in', code.code)).toEqual({
      activityId: a.activityId,
      memberId: m1.memberId,
      action: 'check-in',
      at: nowIso(),
    });
    expect(await codeOf(svc.attend(m1, a.activityId, 'in', code.code))).toBe('ALREADY_CHECKED_IN');

    freezeClock(plus(a.startsAt, -20)); // the code has lived ten minutes
    expect(await codeOf(svc.attend(m1, a.activityId, 'out', code.code))).toBe('ATTENDANCE_CODE_EXPIRED');
    freezeClock(plus(a.endsAt, 30));
    const late = await svc.issueAttendanceCode(leader, a.activityId);
    expect(await codeOf(svc.attend(m1, a.activityId, 'out', late.code))).toBe('ok');
    expect(await codeOf(svc.attend(m1, a.activityId, 'out', late.code))).toBe('ALREADY_CHECKED_OUT');
    freezeClock(plus(a.endsAt, 31));
    expect(await codeOf(svc.attend(m1, a.activityId, 'out', late.code))).toBe('ATTENDANCE_CLOSED');
    expect(await codeOf(svc.issueAttendanceCode(leader, a.activityId))).toBe('ATTENDANCE_CLOSED');
    const s = await store.getSignup(a.activityId, m1.memberId);
    expect(s).toMatchObject({ checkedInAt: plus(a.startsAt, -30), checkedOutAt: plus(a.endsAt, 30) });
  });

  it('locks a member out of a code after 5 wrong ones, even the right one; a new code starts afresh', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader, { capacity: 5 });
    const guesser = await member();
    const honest = await member();
    await svc.signUp(guesser, a.activityId);
    await svc.signUp(honest, a.activityId);
    freezeClock(plus(a.startsAt, -10));
    const { code } = await svc.issueAttendanceCode(leader, a.activityId);
    const wrong = (k: number) => String((Number(code) + k) % 1_000_000).padStart(6, '0');
    const outcomes = [];
    for (let k = 1; k <= 6; k++) outcomes.push(await codeOf(svc.attend(guesser, a.activityId, 'in', wrong(k))));
    // Five wrong codes are each told they are wrong; the lockout comes after the 5th (README), not after the 4th.
    expect(outcomes).toEqual([
      'ATTENDANCE_CODE_INVALID',
      'ATTENDANCE_CODE_INVALID',
      'ATTENDANCE_CODE_INVALID',
      'ATTENDANCE_CODE_INVALID',
      'ATTENDANCE_CODE_INVALID',
      'ATTENDANCE_CODE_LOCKED',
    ]);
    expect(await codeOf(svc.attend(guesser, a.activityId, 'in', code))).toBe('ATTENDANCE_CODE_LOCKED');
    expect(await codeOf(svc.attend(honest, a.activityId, 'in', code))).toBe('ok');
    const fresh = await svc.issueAttendanceCode(leader, a.activityId);
    expect(await codeOf(svc.attend(guesser, a.activityId, 'in', fresh.code))).toBe('ok');
  });
});

describe('close', () => {
  it('writes one record per attendee with hours, adds to the counters, and closing twice changes nothing', async () => {
    freezeClock(T0);
    const { team: t, leader } = await team();
    const a = await publish(leader, { capacity: 4 }); // 2025-06-03 08:00-11:00 Shanghai
    const [full, part, noOut, absent] = [
      await member('全程'),
      await member('部分'),
      await member('未签退'),
      await member('缺席'),
    ];
    for (const m of [full, part, noOut, absent]) await svc.signUp(m, a.activityId);
    freezeClock(plus(a.startsAt, -10));
    const { code } = await svc.issueAttendanceCode(leader, a.activityId);
    await svc.attend(full, a.activityId, 'in', code);
    await svc.attend(noOut, a.activityId, 'in', code);
    freezeClock(plus(a.startsAt, 5));
    await svc.attend(part, a.activityId, 'in', (await svc.issueAttendanceCode(leader, a.activityId)).code);
    freezeClock(plus(a.endsAt, -10));
    const { code: c2 } = await svc.issueAttendanceCode(leader, a.activityId);
    await svc.attend(part, a.activityId, 'out', c2); // 2 h 45 min -> 2.5 h
    freezeClock(plus(a.endsAt, 5));
    await svc.attend(full, a.activityId, 'out', (await svc.issueAttendanceCode(leader, a.activityId)).code); // clipped: 3 h

    freezeClock(plus(a.endsAt, -1));
    expect(await codeOf(svc.close(leader, a.activityId, { peopleServed: 80, summary: '量血压80人次' }))).toBe(
      'ACTIVITY_NOT_ENDED',
    );
    freezeClock(plus(a.endsAt, 60));
    const other = await team();
    expect(await codeOf(svc.close(other.leader, a.activityId, { peopleServed: 80, summary: 'x' }))).toBe('FORBIDDEN');
    const closed = await svc.close(leader, a.activityId, { peopleServed: 80, summary: '量血压80人次' });
    expect(closed).toMatchObject({ status: 'closed', peopleServed: 80, summary: '量血压80人次', closedAt: nowIso() });

    const records = (await allItems()).filter((i) => i.type === 'service-record' && i.activityId === a.activityId);
    expect(records.map((r) => [r.memberId, r.hours]).sort()).toEqual(
      [
        [full.memberId, 3],
        [part.memberId, 2.5],
      ].sort(),
    );
    const r = records.find((x) => x.memberId === full.memberId)!;
    expect(r).toMatchObject({
      recordId: recordIdFor(a.activityId, full.memberId),
      memberName: '全程' + full.memberId.slice(2),
      activityName: '义诊',
      date: '2025-06-03',
      place: '锦官社区 3号楼前',
      content: '为社区老人量血压',
      organisingUnit: t.name,
      activityLeader: t.leaderName,
      teamId: t.teamId,
      communityId: place.communityId,
      streetId: place.streetId,
      recordedAt: nowIso(),
      late: false,
      source: 'activity',
      history: [{ at: nowIso(), by: leader.memberId, kind: 'created' }],
    });
    const hours = await getItem(`MEMBER#${part.memberId}`, 'HOURS', true);
    expect(hours).toMatchObject({ confirmedHours: 2.5, records: 1 });
    const teamCounter = await liveCounters('team', t.teamId, '2025-06');
    expect(teamCounter).toMatchObject({ activities: 1, volunteerTimes: 2, volunteerHours: 5.5, peopleServed: 80 });

    // attendance after the close is refused; closing again returns the same and writes nothing
    const before = JSON.stringify(await allItems());
    expect(await codeOf(svc.attend(noOut, a.activityId, 'out', c2))).toBe('ACTIVITY_CLOSED');
    const again = await svc.close(leader, a.activityId, { peopleServed: 1, summary: 'again' });
    expect(again).toEqual(closed);
    expect(JSON.stringify(await allItems())).toBe(before);
  });

  it('marks records late when closed more than 10 working days after the end (weekends skipped)', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const mk = async () => {
      const a = await publish(leader, { capacity: 1 }); // ends Tue 2025-06-03 11:00 Shanghai
      const m = await member();
      await svc.signUp(m, a.activityId);
      freezeClock(a.startsAt);
      const { code } = await svc.issueAttendanceCode(leader, a.activityId);
      await svc.attend(m, a.activityId, 'in', code);
      freezeClock(a.endsAt);
      await svc.attend(m, a.activityId, 'out', (await svc.issueAttendanceCode(leader, a.activityId)).code);
      freezeClock(T0);
      return { a, m };
    };
    const onTime = await mk();
    const late = await mk();
    freezeClock('2025-06-17T23:00:00+08:00'); // 10th working day after Tue 3 June
    await svc.close(leader, onTime.a.activityId, { peopleServed: 1, summary: 'ok' });
    freezeClock('2025-06-18T00:00:00+08:00'); // 11th
    await svc.close(leader, late.a.activityId, { peopleServed: 1, summary: 'late' });
    const rec = async (x: { a: Activity; m: Caller }) =>
      getItem(`RECORD#${recordIdFor(x.a.activityId, x.m.memberId)}`, 'RECORD', true);
    expect((await rec(onTime))?.late).toBe(false);
    expect((await rec(late))?.late).toBe(true);
  });

  it('closes an activity without attendees: no records, activities and people served counted', async () => {
    freezeClock(T0);
    const { team: t, leader } = await team();
    const a = await publish(leader);
    freezeClock(plus(a.endsAt, 1));
    await svc.close(leader, a.activityId, { peopleServed: 0, summary: '无人到场' });
    const teamCounter = await liveCounters('team', t.teamId, '2025-06');
    expect(teamCounter).toMatchObject({ activities: 1, peopleServed: 0, volunteerTimes: 0 });
  });
});

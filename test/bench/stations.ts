import { mintToken } from '../../infra/local/keys.ts';
import { profileItem } from '../../shared/db/members.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { Res } from '../support/client.ts';
import type { Platform, RequestFigure } from './requests.ts';
import { batchWrite } from './seed.ts';

/**
 * Micro-stations and training: bookings (1, 4 and 48 half hours, an overlap refused, a replay, a
 * cancel, a closure), an activity at a station, enrolment in a course's session (confirmed,
 * waitlisted, refused for want of the qualification), and the close of a session completing the
 * course for its attendees. Monday 2027-03-01 08:00 in Shanghai; the clock is moved, not waited for.
 */
const T0 = '2027-03-01T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const must = async (r: Promise<Res>, what: string, status = 201): Promise<Res> => {
  const res = await r;
  if (res.status !== status) throw new Error(`stations bench: ${what} answered ${res.status}: ${res.text}`);
  return res;
};

export async function stationsScenario(p: Platform, attendees = 30): Promise<RequestFigure[]> {
  const { api } = p;
  freezeClock(T0);
  try {
    const district = await mintToken({ role: 'district_admin' });
    const streetId = (await api.post('/streets', district, { name: '驿站街道' })).body.streetId as string;
    const communityId = (await api.post('/communities', district, { name: '驿站社区', streetId })).body
      .communityId as string;
    const memberIds = Array.from({ length: attendees + 2 }, (_, i) => `bench-s-${i}`);
    const now = new Date().toISOString();
    await batchWrite(
      ['bench-s-leader', ...memberIds].map((memberId) =>
        profileItem({
          memberId,
          name: `成员${memberId}`,
          phone: '13912345678',
          skills: [],
          categories: [],
          communityId,
          streetId,
          createdAt: now,
          updatedAt: now,
          version: 1,
        }),
      ),
    );
    const teamId = (
      await must(
        api.post('/teams', district, {
          name: '驿站服务队',
          category: 'health',
          scope: 'community',
          communityId,
          leaderMemberId: 'bench-s-leader',
        }),
        'team',
      )
    ).body.teamId as string;
    const leader = await mintToken({ role: 'team_leader', memberId: 'bench-s-leader', teamId });
    const day = [{ from: '00:00', to: '24:00' }];
    const stationId = (
      await must(
        api.post('/stations', district, {
          name: '驿站',
          communityId,
          address: '一楼',
          managers: [],
          amenities: ['饮水'],
          openingHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day },
          weeklyCapHours: 168,
        }),
        'station',
      )
    ).body.stationId as string;
    const book = (from: number, to: number, headers?: Record<string, string>) =>
      api.post(`/stations/${stationId}/bookings`, leader, { startsAt: at(from), endsAt: at(to) }, headers);
    const rows: RequestFigure[] = [];
    rows.push(await p.measure('POST /stations/{id}/bookings (1 half hour)', () => book(60, 90)));
    rows.push(await p.measure('POST /stations/{id}/bookings (4 half hours)', () => book(120, 240)));
    rows.push(
      await p.measure('POST /stations/{id}/bookings (48 half hours, the longest)', () => book(24 * 60, 48 * 60)),
    );
    rows.push(
      await p.measure(
        'POST /stations/{id}/bookings (overlap: 409)',
        () => book(150, 180),
        'the transaction is refused',
      ),
    );
    rows.push(
      await p.measure('POST /stations/{id}/bookings (Sunday, closed: 422)', () => book(6 * 24 * 60, 6 * 24 * 60 + 60)),
    );
    const key = { 'idempotency-key': 'bench-booking-1' };
    await must(book(300, 360, key), 'keyed booking');
    rows.push(
      await p.measure('POST /stations/{id}/bookings (same Idempotency-Key, replayed)', () => book(300, 360, key)),
    );
    const toCancel = await must(book(420, 540), 'booking');
    rows.push(
      await p.measure('DELETE /stations/{id}/bookings/{bookingId} (4 half hours)', () =>
        api.delete(`/stations/${stationId}/bookings/${toCancel.body.bookingId}`, leader),
      ),
    );
    rows.push(
      await p.measure('POST /activities at a station (booking checked)', () =>
        api.post('/activities', leader, {
          title: '驿站活动',
          content: '义诊',
          category: 'health',
          communityId,
          stationId,
          startsAt: at(120),
          endsAt: at(240),
          capacity: 10,
        }),
      ),
    );
    await must(book(2 * 24 * 60 + 60, 2 * 24 * 60 + 120), 'booking');
    await must(book(2 * 24 * 60 + 180, 2 * 24 * 60 + 240), 'booking');
    rows.push(
      await p.measure(
        'POST /stations/{id}/closures (a day: 2 bookings cancelled)',
        () =>
          api.post(`/stations/${stationId}/closures`, district, {
            from: at(2 * 24 * 60),
            to: at(3 * 24 * 60),
            reason: '检修',
          }),
        'the closure, the day’s bookings (Query), one transaction per booking, the day’s 48 units claimed in one',
      ),
    );

    // Enrolment and completion
    const tokens = await Promise.all(memberIds.map((memberId) => mintToken({ role: 'member', memberId })));
    const admin = await mintToken({ role: 'community_admin', communityId });
    for (const m of memberIds.slice(0, attendees + 1))
      await must(api.post(`/members/${m}/qualifications`, admin, { qualification: 'pre-service' }), 'grant', 200);
    const course = await must(
      api.post('/courses', leader, {
        name: '专业培训',
        content: '急救',
        tier: 'professional',
        studyHours: 4,
        validityMonths: 24,
        completionRule: 'any',
        communityId,
      }),
      'course',
    );
    const session = await must(
      api.post(`/courses/${course.body.courseId}/sessions`, leader, {
        startsAt: at(600),
        endsAt: at(720),
        capacity: attendees,
        address: '三楼',
      }),
      'session',
    );
    const sid = session.body.activityId as string;
    for (let i = 0; i < attendees - 1; i++) await must(api.post(`/activities/${sid}/signups`, tokens[i]), 'sign-up');
    rows.push(
      await p.measure('POST /activities/{id}/signups (a session: enrolled, qualification checked)', () =>
        api.post(`/activities/${sid}/signups`, tokens[attendees - 1]),
      ),
    );
    rows.push(
      await p.measure('POST /activities/{id}/signups (a session: waitlisted)', () =>
        api.post(`/activities/${sid}/signups`, tokens[attendees]),
      ),
    );
    rows.push(
      await p.measure('POST /activities/{id}/signups (a session: no qualification, 403)', () =>
        api.post(`/activities/${sid}/signups`, tokens[attendees + 1]),
      ),
    );
    freezeClock(at(590));
    const code = (await must(api.post(`/activities/${sid}/attendance-code`, leader), 'code', 200)).body.code;
    for (const t of tokens.slice(0, attendees))
      await must(api.post(`/activities/${sid}/check-in`, t, { code }), 'in', 200);
    freezeClock(at(725));
    const code2 = (await must(api.post(`/activities/${sid}/attendance-code`, leader), 'code', 200)).body.code;
    for (const t of tokens.slice(0, attendees))
      await must(api.post(`/activities/${sid}/check-out`, t, { code: code2 }), 'out', 200);
    freezeClock(at(800));
    rows.push(
      await p.measurePer(
        `POST /activities/{id}/close of a session, per attendee (${attendees} completing)`,
        attendees,
        () => api.post(`/activities/${sid}/close`, leader, { peopleServed: 0, summary: '培训结束' }),
        'attendance marked in one transaction, their state in BatchGetItems, one transaction per completion',
      ),
    );
    return rows;
  } finally {
    resetClock();
  }
}

import { mintToken } from '../../infra/local/keys.ts';
import { profileItem } from '../../shared/db/members.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { Platform, RequestFigure } from './requests.ts';
import { batchWrite } from './seed.ts';

/**
 * Activities: sign-up (confirmed and waitlisted), cancel with promotion, attendance, close
 * (per attendee, with 100 attendees), listing. The clock is moved, not waited for.
 */
const T0 = '2027-03-01T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

async function profiles(ids: string[]): Promise<void> {
  const now = new Date().toISOString();
  await batchWrite(
    ids.map((memberId) =>
      profileItem({
        memberId,
        name: `成员${memberId}`,
        phone: '13912345678',
        skills: [],
        categories: [],
        createdAt: now,
        updatedAt: now,
        version: 1,
      }),
    ),
  );
}

export async function activitiesScenario(p: Platform, attendees = 100): Promise<RequestFigure[]> {
  const { api } = p;
  freezeClock(T0);
  try {
    const district = await mintToken({ role: 'district_admin' });
    const street = (await api.post('/streets', district, { name: '活动街道' })).body.streetId as string;
    const communityId = (await api.post('/communities', district, { name: '社区', streetId: street })).body
      .communityId as string;
    const memberIds = Array.from({ length: attendees + 2 }, (_, i) => `bench-a-${i}`);
    await profiles(['bench-leader', ...memberIds]);
    const team = await api.post('/teams', district, {
      name: '志愿服务队',
      category: 'health',
      scope: 'community',
      communityId,
      leaderMemberId: 'bench-leader',
    });
    const teamId = team.body.teamId as string;
    const leader = await mintToken({ role: 'team_leader', memberId: 'bench-leader', teamId });
    const created = await api.post('/activities', leader, {
      title: '义诊',
      content: '社区义诊',
      category: 'health',
      communityId,
      address: '社区广场',
      startsAt: at(120),
      endsAt: at(240),
      capacity: attendees,
    });
    if (created.status !== 201) throw new Error(`publish failed: ${created.text}`);
    const activityId = created.body.activityId as string;
    const tokens = await Promise.all(memberIds.map((memberId) => mintToken({ role: 'member', memberId })));
    const rows: RequestFigure[] = [];

    for (let i = 0; i < attendees - 1; i++) await api.post(`/activities/${activityId}/signups`, tokens[i]);
    rows.push(
      await p.measure('POST /activities/{id}/signups (confirmed)', () =>
        api.post(`/activities/${activityId}/signups`, tokens[attendees - 1]),
      ),
    );
    rows.push(
      await p.measure('POST /activities/{id}/signups (waitlisted)', () =>
        api.post(`/activities/${activityId}/signups`, tokens[attendees]),
      ),
    );
    rows.push(
      await p.measure('DELETE /activities/{id}/signups/me (promotes the first waiting)', () =>
        api.delete(`/activities/${activityId}/signups/me`, tokens[0]),
      ),
    );
    rows.push(await p.measure('GET /activities/{id}', () => api.get(`/activities/${activityId}`, tokens[1])));
    rows.push(
      await p.measure('GET /activities?teamId= (a page)', () => api.get(`/activities?teamId=${teamId}`, tokens[1])),
    );

    freezeClock(at(110));
    const code = (await api.post(`/activities/${activityId}/attendance-code`, leader)).body.code as string;
    const present = memberIds.slice(1, attendees + 1); // after the promotion: the confirmed ones
    for (const [i, t] of tokens.slice(1, attendees + 1).entries()) {
      if (i === 0)
        rows.push(
          await p.measure('POST /activities/{id}/check-in', () =>
            api.post(`/activities/${activityId}/check-in`, t, { code }),
          ),
        );
      else await api.post(`/activities/${activityId}/check-in`, t, { code });
    }
    freezeClock(at(245));
    const code2 = (await api.post(`/activities/${activityId}/attendance-code`, leader)).body.code as string;
    for (const [i, t] of tokens.slice(1, attendees + 1).entries()) {
      if (i === 0)
        rows.push(
          await p.measure('POST /activities/{id}/check-out', () =>
            api.post(`/activities/${activityId}/check-out`, t, { code: code2 }),
          ),
        );
      else await api.post(`/activities/${activityId}/check-out`, t, { code: code2 });
    }
    rows.push(
      await p.measurePer(
        `POST /activities/{id}/close, per attendee (${present.length} attendees)`,
        present.length,
        () => api.post(`/activities/${activityId}/close`, leader, { peopleServed: 300, summary: '顺利完成' }),
        'records, hours and counters in transactions of 45',
      ),
    );
    rows.push(
      await p.measure(
        'POST /activities/{id}/close again',
        () => api.post(`/activities/${activityId}/close`, leader, { peopleServed: 300, summary: '顺利完成' }),
        'already closed: nothing written',
      ),
    );
    return rows;
  } finally {
    resetClock();
  }
}

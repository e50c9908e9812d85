import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { startTestServer } from '../support/server.ts';
import { client, tokenFor, uniq } from '../support/client.ts';

/**
 * Issue 3's whole story in one flow over HTTP, through every context it touches: a theme is set,
 * the kickoff job creates the service-day activity (twice creates nothing more), a leader
 * publishes an activity, members sign up, check in and out with the code, the leader closes it,
 * the members' records and a certificate are right, and anyone can verify the certificate.
 */
let server: { url: string; close(): Promise<void> };
let api: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startTestServer();
  api = client(server.url);
});
afterAll(async () => {
  await server?.close();
});
afterEach(() => resetClock());

const runJob = (name: string, args: Record<string, string> = {}) => api.post(`/_local/jobs/${name}`, undefined, args);

describe('a theme day, end to end', () => {
  it('theme, kickoff, activity, sign-ups, attendance, close, records, certificate', async () => {
    freezeClock('2026-12-01T02:00:00Z');
    const district = await tokenFor({ role: 'district_admin' });
    const streetId = (await api.post('/streets', district, { name: '春熙路街道' })).body.streetId;
    const communityId = (await api.post('/communities', district, { name: '红星路社区', streetId })).body.communityId;

    const people = await Promise.all(
      ['王队长', '李一', '张二', '赵三'].map(async (name) => {
        const memberId = uniq('m');
        const token = await tokenFor({ role: 'member', memberId });
        expect((await api.post('/members', token, { name, phone: '13912345678' })).status).toBe(201);
        return { memberId, token, name };
      }),
    );
    const [leaderP, ...volunteers] = people as [(typeof people)[0], ...typeof people];
    const team = await api.post('/teams', district, { name: '红星义诊队', category: 'health', scope: 'community', communityId, leaderMemberId: leaderP.memberId });
    expect(team.status).toBe(201);
    const teamId: string = team.body.teamId;
    const leader = await tokenFor({ role: 'team_leader', memberId: leaderP.memberId, teamId });

    // The city's theme for December, its kickoff on the 5th.
    const city = await tokenFor({ role: 'city_admin' });
    const theme = await api.call('PUT', '/themes/2026-12', { token: city, body: { title: '关爱老人', description: '走访慰问独居老人', kickoffDate: '2026-12-05', expectedTeamIds: [teamId] } });
    expect(theme.status).toBe(200);

    // The kickoff job: nothing before the day, the service-day activity on it, nothing more after.
    expect((await runJob('kickoff', { date: '2026-12-04' })).body).toMatchObject({ created: 0 });
    const first = await runJob('kickoff', { date: '2026-12-05' });
    expect(first.body).toMatchObject({ themeMonth: '2026-12', created: 1 });
    expect((await runJob('kickoff', { date: '2026-12-05' })).body).toMatchObject({ created: 0, existing: 1 });
    expect((await runJob('kickoff', { date: '2026-12-06' })).body).toMatchObject({ created: 0 });
    const month = await api.get(`/activities?month=2026-12&teamId=${teamId}`, district);
    expect(month.body.items.filter((a: { kind: string }) => a.kind === 'service-day')).toHaveLength(1);
    expect((await api.get('/themes/current', district)).body).toMatchObject({ title: '关爱老人' });

    // The leader publishes an activity: 10 Dec, 09:00-11:30 Shanghai.
    const pub = await api.post('/activities', leader, {
      title: '上门义诊', content: '为独居老人测血压', category: 'elderly-care', communityId, address: '红星路12号',
      startsAt: '2026-12-10T09:00:00+08:00', endsAt: '2026-12-10T11:30:00+08:00', capacity: 2, themeMonth: '2026-12',
    });
    expect(pub.status).toBe(201);
    const activityId: string = pub.body.activityId;
    const signups = await Promise.all(volunteers.map((v) => api.post(`/activities/${activityId}/signups`, v.token)));
    expect(signups.map((s) => s.body.status).sort()).toEqual(['confirmed', 'confirmed', 'waitlisted']);
    const read = await api.get(`/activities/${activityId}`, district);
    expect(read.body).toMatchObject({ confirmedCount: 2, waitlistedCount: 1 });
    const attendees = volunteers.filter((_, i) => signups[i]!.body.status === 'confirmed');

    // On site: check in at 08:50 (grace), check out at 11:20; hours = 09:00-11:20 -> 2 h.
    freezeClock('2026-12-10T00:50:00Z');
    const code = (await api.post(`/activities/${activityId}/attendance-code`, leader)).body.code;
    for (const v of attendees) expect((await api.post(`/activities/${activityId}/check-in`, v.token, { code })).status).toBe(200);
    freezeClock('2026-12-10T03:20:00Z');
    const code2 = (await api.post(`/activities/${activityId}/attendance-code`, leader)).body.code;
    expect((await api.post(`/activities/${activityId}/check-out`, attendees[0]!.token, { code })).status).toBe(403); // the old code
    for (const v of attendees) expect((await api.post(`/activities/${activityId}/check-out`, v.token, { code: code2 })).status).toBe(200);

    // The leader closes it after the end.
    freezeClock('2026-12-10T04:00:00Z');
    const closed = await api.post(`/activities/${activityId}/close`, leader, { peopleServed: 40, summary: '为40位老人测量血压' });
    expect(closed.status).toBe(200);
    expect((await api.post(`/activities/${activityId}/close`, leader, { peopleServed: 40, summary: '为40位老人测量血压' })).status).toBe(200);

    // Each attendee has exactly one record with every field the national rules ask for.
    for (const v of attendees) {
      const records = await api.get('/members/me/service-records', v.token);
      expect(records.body.items).toHaveLength(1);
      expect(records.body.items[0]).toMatchObject({
        activityName: '上门义诊', date: '2026-12-10', content: '为独居老人测血压', hours: 2,
        organisingUnit: '红星义诊队', activityLeader: '王队长', late: false,
      });
      expect(records.body.items[0].place).toContain('红星路12号');
      expect(records.body.totalHours).toBe(2);
    }
    const waiting = volunteers.find((v) => !attendees.includes(v))!;
    expect((await api.get('/members/me/service-records', waiting.token)).body.items).toHaveLength(0);

    // A certificate, verified by anyone without a token, with the name masked.
    const cert = await api.post('/members/me/certificates', attendees[0]!.token);
    expect(cert.status).toBe(201);
    expect(cert.body).toMatchObject({ totalHours: 2 });
    const verified = await api.get(`/certificates/${cert.body.number}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ valid: true, number: cert.body.number, totalHours: 2 });
    expect(verified.body.name).toBe(`${attendees[0]!.name[0]}*`);
    expect(verified.text).not.toContain('13912345678');
    const page = await api.get(`/certificates/${cert.body.number}`, undefined, { accept: 'text/html' });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain(cert.body.number);
  });
});

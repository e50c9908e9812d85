import { feedLedger } from '../support/ledger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { liveCounters } from '../support/counters.ts';
import { allItems } from '../support/inspect.ts';
import { mint, useE2e, type Member } from '../support/e2e.ts';

/**
 * Qualifications and training over HTTP. Grants only extend; an activity that requires a
 * qualification refuses a member whose grant is missing or expires before it starts (a grant of a
 * tier above does); a course's sessions are activities (sign-up, code, close), and closing them
 * completes the course under its rule: under `every`, one missed session means no grant, and a
 * completion never moves an expiry earlier. Training hours stay apart from service hours.
 */
const e2e = useE2e();
const { api } = e2e;
const T0 = '2026-12-01T00:00:00.000Z';
const t = { admin: '', leader: '' };
const ids = { street: '', community: '', team: '', leaderId: '' };
const m: Record<'a' | 'b' | 'c' | 'expiring' | 'none' | 'backbone', Member> = {} as never;

beforeAll(async () => {
  freezeClock(T0);
  ids.street = await e2e.street('春熙路街道');
  ids.community = await e2e.community(ids.street, '红星社区');
  t.admin = await mint.communityAdmin(ids.community);
  const team = await e2e.team({ name: '应急救护队', communityId: ids.community });
  ids.team = team.teamId;
  ids.leaderId = team.leader.memberId;
  t.leader = team.leader.token;
  for (const k of ['a', 'b', 'c', 'expiring', 'none', 'backbone'] as const)
    m[k] = await e2e.checkedInMember({ communityId: ids.community, name: `成员${k}` });
}, 120_000);
afterAll(() => resetClock());

const grant = (member: Member, qualification: string, validUntil?: string) =>
  api.post(`/members/${member.memberId}/qualifications`, t.admin, {
    qualification,
    ...(validUntil ? { validUntil } : {}),
  });

describe('qualifications', () => {
  it('a re-grant only extends', async () => {
    const first = await grant(m.a, 'professional', '2027-01-01T00:00:00+08:00');
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({
      qualification: 'professional',
      validUntil: '2026-12-31T16:00:00.000Z',
      source: 'admin',
    });
    const earlier = await grant(m.a, 'professional', '2026-12-20T00:00:00+08:00');
    expect(earlier.body.validUntil).toBe('2026-12-31T16:00:00.000Z');
    const later = await grant(m.a, 'professional', '2027-06-01T00:00:00+08:00');
    expect(later.body.validUntil).toBe('2027-05-31T16:00:00.000Z');
    const mine = await api.get('/members/me/qualifications', m.a.token);
    expect(mine.status).toBe(200);
    expect(mine.body.grants).toEqual([
      expect.objectContaining({ qualification: 'professional', validUntil: '2027-05-31T16:00:00.000Z' }),
    ]);
  });

  it('a sign-up needing a qualification that expires the day before the activity is refused; a tier above is accepted', async () => {
    expect((await grant(m.expiring, 'professional', '2026-12-09T09:00:00+08:00')).status).toBe(200);
    expect((await grant(m.backbone, 'backbone')).status).toBe(200);
    const activity = await api.post('/activities', t.leader, {
      title: '急救演练',
      content: '心肺复苏',
      category: 'health',
      communityId: ids.community,
      address: '广场',
      startsAt: '2026-12-10T09:00:00+08:00',
      endsAt: '2026-12-10T11:00:00+08:00',
      capacity: 10,
      requiresQualification: 'professional',
    });
    expect(activity.status, activity.text).toBe(201);
    expect(activity.body.requiresQualification).toBe('professional');
    const id = activity.body.activityId;
    const refused = await api.post(`/activities/${id}/signups`, m.expiring.token);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      code: 'QUALIFICATION_REQUIRED',
      qualification: 'professional',
      validUntil: '2026-12-09T01:00:00.000Z',
      startsAt: '2026-12-10T01:00:00.000Z',
    });
    const none = await api.post(`/activities/${id}/signups`, m.none.token);
    expect([none.status, none.body.code]).toEqual([403, 'QUALIFICATION_REQUIRED']);
    expect((await api.post(`/activities/${id}/signups`, m.backbone.token)).status).toBe(201);
    expect((await api.post(`/activities/${id}/signups`, m.a.token)).status).toBe(201);
  });

  it('what expires within N days: a member, a team, a community', async () => {
    const community = await api.get(`/qualifications/expiring?days=10&communityId=${ids.community}`, t.admin);
    expect(community.status, community.text).toBe(200);
    expect(community.body.items.map((g: { memberId: string }) => g.memberId)).toEqual([m.expiring.memberId]);
    const wider = await api.get(`/qualifications/expiring?days=200&communityId=${ids.community}`, t.admin);
    expect(wider.body.items.map((g: { memberId: string }) => g.memberId)).toEqual([m.expiring.memberId, m.a.memberId]);
    const mine = await api.get(`/qualifications/expiring?days=10&memberId=${m.expiring.memberId}`, m.expiring.token);
    expect(mine.body.items).toHaveLength(1);
    // the team: members who joined it
    await e2e.joinRequest(ids.team, m.expiring);
    const ok = await api.post(`/teams/${ids.team}/members/${m.expiring.memberId}/approve`, t.leader);
    expect(ok.status, ok.text).toBe(200);
    const team = await api.get(`/qualifications/expiring?days=10&teamId=${ids.team}`, t.leader);
    expect(team.body.items.map((g: { memberId: string }) => g.memberId)).toEqual([m.expiring.memberId]);
  });
});

describe('expiry reminders', () => {
  type Entry = { type: string; recipient: { id: string }; data: { window: number } };
  const entries = async () =>
    (await allItems(e2e.tableName))
      .filter((i) => i.type === 'outbox' && (i.notice as Entry).type === 'qualification-expiring')
      .map((i) => i.notice as Entry);
  const notices = async () => (await entries()).filter((n) => n.recipient.id === m.expiring.memberId);

  it('30, 7 and 1 day before expiry, at most one per grant per window, through the outbox', async () => {
    // the grant expires 2026-12-09T01:00Z; at T0 that is 8 days away: the 30-day window
    for (const [clock, total] of [
      [T0, 1],
      ['2026-12-01T12:00:00.000Z', 1],
      ['2026-12-02T01:30:00.000Z', 2],
      ['2026-12-05T00:00:00.000Z', 2],
      ['2026-12-08T02:00:00.000Z', 3],
      ['2026-12-08T20:00:00.000Z', 3],
    ] as const) {
      freezeClock(clock);
      for (let run = 0; run < 2; run++) {
        const res = await e2e.runJob('remind-expiring');
        expect(res.status, res.text).toBe(200);
      }
      expect((await notices()).length, clock).toBe(total);
    }
    const windows = (await notices()).map((n) => n.data.window).sort((a, b) => a - b);
    expect(windows).toEqual([1, 7, 30]);
    // the other grants expire later (or never): none of them was reminded
    const others = (await entries()).filter((n) => n.recipient.id !== m.expiring.memberId);
    expect(others).toEqual([]);
    freezeClock(T0);
  });
});

describe('a course under the "every" rule', () => {
  const sessions: string[] = [];
  let courseId = '';

  async function attendAndClose(activityId: string, startsAt: string, attendees: Member[]) {
    const start = Date.parse(startsAt);
    freezeClock(new Date(start).toISOString());
    const codeIn = await api.post(`/activities/${activityId}/attendance-code`, t.leader);
    expect(codeIn.status, codeIn.text).toBe(200);
    for (const x of attendees)
      expect((await api.post(`/activities/${activityId}/check-in`, x.token, { code: codeIn.body.code })).status).toBe(
        200,
      );
    freezeClock(new Date(start + 2 * 3600_000).toISOString());
    const codeOut = await api.post(`/activities/${activityId}/attendance-code`, t.leader);
    for (const x of attendees)
      expect((await api.post(`/activities/${activityId}/check-out`, x.token, { code: codeOut.body.code })).status).toBe(
        200,
      );
    freezeClock(new Date(start + 3 * 3600_000).toISOString());
    const close = await api.post(`/activities/${activityId}/close`, t.leader, { peopleServed: 0, summary: '培训结束' });
    expect(close.status, close.text).toBe(200);
  }

  it('one missed session means no grant; a completion never moves an expiry earlier; no service record', async () => {
    freezeClock(T0);
    expect((await grant(m.c, 'pre-service', '2030-01-01T00:00:00+08:00')).status).toBe(200);
    const course = await api.post('/courses', t.leader, {
      name: '志愿者岗前培训',
      content: '服务礼仪与安全',
      tier: 'pre-service',
      studyHours: 4,
      validityMonths: 12,
      completionRule: 'every',
      communityId: ids.community,
    });
    expect(course.status, course.text).toBe(201);
    expect(course.body).not.toHaveProperty('requires');
    courseId = course.body.courseId;
    for (const day of ['2026-12-12', '2026-12-19']) {
      const s = await api.post(`/courses/${courseId}/sessions`, t.leader, {
        startsAt: `${day}T09:00:00+08:00`,
        endsAt: `${day}T11:00:00+08:00`,
        capacity: 2,
        address: '党群服务中心',
      });
      expect(s.status, s.text).toBe(201);
      expect(s.body).toMatchObject({ kind: 'training', courseId });
      sessions.push(s.body.activityId);
    }
    // enrolment is sign-up: two places, the third waits
    for (const id of sessions) {
      expect((await api.post(`/activities/${id}/signups`, m.b.token)).body.status).toBe('confirmed');
      expect((await api.post(`/activities/${id}/signups`, m.c.token)).body.status).toBe('confirmed');
      expect((await api.post(`/activities/${id}/signups`, m.none.token)).body.status).toBe('waitlisted');
    }
    // b leaves session 1: none is promoted and attends it, b attends only session 2
    expect((await api.delete(`/activities/${sessions[0]}/signups/me`, m.b.token)).status).toBe(204);
    await attendAndClose(sessions[0]!, '2026-12-12T01:00:00.000Z', [m.c, m.none]);
    await attendAndClose(sessions[1]!, '2026-12-19T01:00:00.000Z', [m.b, m.c]);

    const got = await api.get(`/courses/${courseId}`, t.leader);
    expect(got.body.sessions.map((s: { closed: boolean }) => s.closed)).toEqual([true, true]);
    // c attended both: a training entry and hours; the 2030 grant is not shortened to 12 months
    const c = (await api.get('/members/me/qualifications', m.c.token)).body;
    expect(c.training).toEqual([
      expect.objectContaining({
        courseId,
        name: '志愿者岗前培训',
        studyHours: 4,
        organiser: '应急救护队',
        date: '2026-12-19',
      }),
    ]);
    expect(c.trainingHours).toBe(4);
    expect(c.grants).toEqual([
      expect.objectContaining({ qualification: 'pre-service', validUntil: '2029-12-31T16:00:00.000Z' }),
    ]);
    // b and none each missed one: no grant, no entry
    for (const x of [m.b, m.none]) {
      const q = (await api.get('/members/me/qualifications', x.token)).body;
      expect(q).toMatchObject({ grants: [], training: [], trainingHours: 0 });
    }
    // training is not service
    expect((await api.get('/members/me/service-records', m.c.token)).body.items).toEqual([]);
    expect(await liveCounters('community', ids.community, '2026-12')).toMatchObject({
      trainingsCompleted: 1,
      trainingHours: 4,
    });
    // The same entry is the training part of c's five-part record and a fact of the ledger:
    // 4 points under training-hours (delivered again: nothing more), no service hours, no star.
    const record = (await api.get('/members/me/record', m.c.token)).body;
    expect(record.training).toEqual([expect.objectContaining({ courseId, studyHours: 4, date: '2026-12-19' })]);
    expect(await feedLedger()).toBeGreaterThan(0);
    expect(await feedLedger()).toBe(0);
    const points = (await api.get('/members/me/points', m.c.token)).body;
    expect(points).toMatchObject({ star: 0, totalHours: 0, totalPoints: 4 });
    expect(points.items.map((e: { rule: string; points: number }) => [e.rule, e.points])).toEqual([
      ['training-hours', 4],
    ]);
  });

  it('under "any" one session grants, with an expiry from the completion; enrolling in the next tier needs it', async () => {
    freezeClock('2026-12-20T00:00:00.000Z');
    const course = await api.post('/courses', t.leader, {
      name: '快速入门',
      content: '一次课',
      tier: 'pre-service',
      studyHours: 2,
      validityMonths: 12,
      completionRule: 'any',
      communityId: ids.community,
    });
    const s = await api.post(`/courses/${course.body.courseId}/sessions`, t.leader, {
      startsAt: '2026-12-21T09:00:00+08:00',
      endsAt: '2026-12-21T11:00:00+08:00',
      capacity: 5,
      address: '党群服务中心',
    });
    expect((await api.post(`/activities/${s.body.activityId}/signups`, m.b.token)).status).toBe(201);
    await attendAndClose(s.body.activityId, '2026-12-21T01:00:00.000Z', [m.b]);
    const b = (await api.get('/members/me/qualifications', m.b.token)).body;
    expect(b.grants).toEqual([
      expect.objectContaining({
        qualification: 'pre-service',
        source: 'course',
        validUntil: '2027-12-21T04:00:00.000Z',
      }),
    ]);
    // a professional course requires pre-service: b may enrol, none may not
    freezeClock('2026-12-22T00:00:00.000Z');
    const pro = await api.post('/courses', t.leader, {
      name: '专业培训',
      content: '急救',
      tier: 'professional',
      studyHours: 8,
      completionRule: 'last',
      communityId: ids.community,
    });
    expect(pro.body.requires).toBe('pre-service');
    const ps = await api.post(`/courses/${pro.body.courseId}/sessions`, t.leader, {
      startsAt: '2026-12-28T09:00:00+08:00',
      endsAt: '2026-12-28T11:00:00+08:00',
      capacity: 5,
      address: '党群服务中心',
    });
    expect(ps.body.requiresQualification).toBe('pre-service');
    expect((await api.post(`/activities/${ps.body.activityId}/signups`, m.b.token)).status).toBe(201);
    const refused = await api.post(`/activities/${ps.body.activityId}/signups`, m.none.token);
    expect([refused.status, refused.body.code]).toEqual([403, 'QUALIFICATION_REQUIRED']);
  });
});

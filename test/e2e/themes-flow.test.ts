import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { monthOf } from '../../shared/domain/time.ts';
import { type Schemas, typedClient } from '../support/api-client.ts';
import { allItems } from '../support/inspect.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/**
 * Monthly themes over HTTP: the city plans the year, a district overrides a month, the kickoff
 * job creates the service days once; the current theme. Then issue 3's whole story in one flow,
 * through every context it touches: a theme is set, the kickoff job creates the service-day
 * activity (twice creates nothing more), a leader publishes an activity, members sign up, check
 * in and out with the code, the leader closes it, the members' records and a certificate are
 * right, and anyone can verify the certificate.
 */
const e2e = useE2e();
const { api } = e2e;
afterEach(() => resetClock());

describe('monthly themes and the kickoff, end to end', () => {
  const t: Record<string, string> = {};
  const ids = { street: '', team: '', leader: '' };
  beforeAll(async () => {
    t.district = await e2e.districtAdmin();
    t.city = await mint.cityAdmin();
    ids.street = await e2e.street('春熙路街道');
    const team = await e2e.team({
      name: '法律援助志愿服务队',
      category: 'legal-aid',
      communityId: await e2e.community(ids.street, '和平社区'),
    });
    ids.team = team.teamId;
    ids.leader = team.leader.memberId;
  });

  it('the city plans the year, the district overrides a month, the kickoff job creates the service day once', async () => {
    // A member leads one team (custom:teamId is one claim): the second team has its own leader.
    const second = await e2e.team({ name: '健康服务队', category: 'health', streetId: ids.street });
    const theme = {
      title: '垃圾分类宣传月',
      description: '垃圾分类进社区',
      kickoffDate: '2027-12-05',
      suggestedCategories: ['garbage-sorting'],
    };
    const city = await api.put('/themes/2027-12', t.city, theme);
    expect(city.status).toBe(200);
    expect(city.body).toMatchObject({
      source: 'city',
      applies: true,
      status: 'planned',
      expectedTeamIds: [],
      plannedFlagGrants: [],
    });
    const own = await api.put('/themes/2027-12', t.district, {
      ...theme,
      title: '锦江区：文明城市',
      kickoffDate: '2027-12-12',
      expectedTeamIds: [ids.team, second.teamId],
      plannedFlagGrants: [second.teamId],
    });
    expect(own.body).toMatchObject({ source: 'district', applies: true });
    const cityAgain = await api.put('/themes/2027-12', t.city, { ...theme, title: '垃圾分类（修订）' });
    expect(cityAgain.body.applies).toBe(false);

    const plan = await api.get('/themes?year=2027', t.district);
    expect(plan.status).toBe(200);
    expect(plan.body.months).toHaveLength(12);
    expect(plan.body.months[11].theme).toMatchObject({ source: 'district', title: '锦江区：文明城市' });
    expect(plan.body.months.slice(0, 11).every((m: { theme: unknown }) => m.theme === null)).toBe(true);

    const before = (await allItems()).filter((i) => i.type === 'activity').length;
    const notToday = await e2e.runJob('kickoff', { date: '2027-12-05' });
    expect(notToday.status).toBe(200);
    expect(notToday.body).toMatchObject({ kickedOff: false, created: 0 });

    const run = await e2e.runJob('kickoff', { date: '2027-12-12' });
    expect(run.body).toMatchObject({
      job: 'kickoff',
      themeMonth: '2027-12',
      kickedOff: true,
      source: 'district',
      created: 2,
      existing: 0,
      skipped: 0,
      flagsGranted: 1,
    });
    const twice = await e2e.runJob('kickoff', { date: '2027-12-12' });
    expect(twice.body).toMatchObject({ created: 0, existing: 2, flagsGranted: 0, flagsAlreadyGranted: 1 });
    const nextDay = await e2e.runJob('kickoff', { date: '2027-12-13' });
    expect(nextDay.body).toMatchObject({ kickedOff: false, created: 0 });
    const acts = (await allItems()).filter((i) => i.type === 'activity');
    expect(acts.length - before).toBe(2);
    expect(
      acts
        .filter((a) => a.kind === 'service-day')
        .map((a) => a.activityId)
        .sort(),
    ).toEqual([`sd-202712-${ids.team}`, `sd-202712-${second.teamId}`].sort());
    expect((await api.get(`/teams/${second.teamId}`, t.district)).body).toMatchObject({
      flagGrantedOn: '2027-12-12',
      flagGrantedAtKickoff: '2027-12',
    });

    const late = await api.put('/themes/2027-12', t.city, theme);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('THEME_ALREADY_KICKED_OFF');
    expect((await api.get('/themes?year=2027', t.district)).body.months[11].theme.status).toBe('kicked-off');
  });

  it('the current theme is the one of this month in Asia/Shanghai, else 404', async () => {
    const member = await mint.member(uniq('reader'));
    // 00:30 on March 1st in Shanghai is still February 29th in UTC: the current month is March.
    freezeClock('2028-02-29T16:30:00Z');
    expect(monthOf(new Date('2028-02-29T16:30:00Z'))).toBe('2028-03');
    expect((await api.get('/themes/current', member)).status).toBe(404);
    const feb = await api.put('/themes/2028-02', t.city, {
      title: '二月主题',
      description: '说明',
      kickoffDate: '2028-02-05',
    });
    expect(feb.status).toBe(200);
    expect((await api.get('/themes/current', member)).status).toBe(404);
    const res = await api.put('/themes/2028-03', t.city, {
      title: '本月主题',
      description: '说明',
      kickoffDate: '2028-03-28',
    });
    expect(res.status).toBe(200);
    const current = await api.get('/themes/current', member);
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ month: '2028-03', title: '本月主题', source: 'city' });
  });
});

describe('a theme day, end to end', () => {
  it('theme, kickoff, activity, sign-ups, attendance, close, records, certificate', async () => {
    freezeClock('2026-12-01T02:00:00Z');
    const district = await e2e.districtAdmin();
    const communityId = await e2e.community(await e2e.street('春熙路街道'), '红星路社区');
    const volunteers = await Promise.all(
      ['李一', '张二', '赵三'].map(async (name) => ({ ...(await e2e.member(name)), name })),
    );
    const team = await e2e.team({
      name: '红星义诊队',
      category: 'health',
      communityId,
      leader: await e2e.member('王队长'),
    });
    const { teamId } = team;
    const leader = team.leader.token;

    // The city's theme for December, its kickoff on the 5th.
    const city = await mint.cityAdmin();
    const theme = await api.call('PUT', '/themes/2026-12', {
      token: city,
      body: {
        title: '关爱老人',
        description: '走访慰问独居老人',
        kickoffDate: '2026-12-05',
        expectedTeamIds: [teamId],
      },
    });
    expect(theme.status).toBe(200);

    // The kickoff job: nothing before the day, the service-day activity on it, nothing more after.
    expect((await e2e.runJob('kickoff', { date: '2026-12-04' })).body).toMatchObject({ created: 0 });
    const first = await e2e.runJob('kickoff', { date: '2026-12-05' });
    expect(first.body).toMatchObject({ themeMonth: '2026-12', created: 1 });
    expect((await e2e.runJob('kickoff', { date: '2026-12-05' })).body).toMatchObject({ created: 0, existing: 1 });
    expect((await e2e.runJob('kickoff', { date: '2026-12-06' })).body).toMatchObject({ created: 0 });
    const month = await api.get(`/activities?month=2026-12&teamId=${teamId}`, district);
    expect(month.body.items.filter((a: { kind: string }) => a.kind === 'service-day')).toHaveLength(1);
    expect((await api.get('/themes/current', district)).body).toMatchObject({ title: '关爱老人' });

    // The leader publishes an activity: 10 Dec, 09:00-11:30 Shanghai.
    const pub = await api.post('/activities', leader, {
      title: '上门义诊',
      content: '为独居老人测血压',
      category: 'elderly-care',
      communityId,
      address: '红星路12号',
      startsAt: '2026-12-10T09:00:00+08:00',
      endsAt: '2026-12-10T11:30:00+08:00',
      capacity: 2,
      themeMonth: '2026-12',
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
    for (const v of attendees)
      expect((await api.post(`/activities/${activityId}/check-in`, v.token, { code })).status).toBe(200);
    freezeClock('2026-12-10T03:20:00Z');
    const code2 = (await api.post(`/activities/${activityId}/attendance-code`, leader)).body.code;
    expect((await api.post(`/activities/${activityId}/check-out`, attendees[0]!.token, { code })).status).toBe(403); // the old code
    for (const v of attendees)
      expect((await api.post(`/activities/${activityId}/check-out`, v.token, { code: code2 })).status).toBe(200);

    // The leader closes it after the end.
    freezeClock('2026-12-10T04:00:00Z');
    const closed = await api.post(`/activities/${activityId}/close`, leader, {
      peopleServed: 40,
      summary: '为40位老人测量血压',
    });
    expect(closed.status).toBe(200);
    expect(
      (await api.post(`/activities/${activityId}/close`, leader, { peopleServed: 40, summary: '为40位老人测量血压' }))
        .status,
    ).toBe(200);

    // Each attendee has exactly one record with every field the national rules ask for.
    for (const v of attendees) {
      const records = await api.get('/members/me/service-records', v.token);
      expect(records.body.items).toHaveLength(1);
      expect(records.body.items[0]).toMatchObject({
        activityName: '上门义诊',
        date: '2026-12-10',
        content: '为独居老人测血压',
        hours: 2,
        organisingUnit: '红星义诊队',
        activityLeader: '王队长',
        late: false,
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

describe('a theme day through the generated client', () => {
  it('theme, kickoff, the service day, sign-up (replayed), attendance, close, records and the certificate page: typed by the document', async () => {
    freezeClock('2028-03-01T02:00:00Z');
    const place = await e2e.place({ community: '锦官社区' });
    const team = await e2e.team({
      name: '锦官助老队',
      category: 'elderly-care',
      communityId: place.communityId,
      leader: await e2e.member('陈队长'),
    });
    const volunteer = await e2e.checkedInMember({
      communityId: place.communityId,
      gridId: place.gridId,
      name: '周志愿',
    });
    const city = typedClient(e2e.url, await mint.cityAdmin());
    const leader = typedClient(e2e.url, team.leader.token);
    const member = typedClient(e2e.url, volunteer.token);

    // The city's theme for March, the team expected on its kickoff day.
    const theme = await city.PUT('/themes/{month}', {
      params: { path: { month: '2028-03' } },
      body: {
        title: '学雷锋志愿服务月',
        description: '走进社区，服务老人',
        kickoffDate: '2028-03-04',
        expectedTeamIds: [team.teamId],
      },
    });
    expect(theme.error).toBeUndefined();
    const planned: Schemas['Theme'] | undefined = theme.data;
    expect(planned).toMatchObject({ source: 'city', status: 'planned', expectedTeamIds: [team.teamId] });

    // The kickoff job makes the team's service day; the leader finds it in the month's list.
    expect((await e2e.runJob('kickoff', { date: '2028-03-04' })).body).toMatchObject({ created: 1 });
    const list = await leader.GET('/activities', { params: { query: { month: '2028-03', teamId: team.teamId } } });
    const serviceDay = list.data!.items.find((a) => a.kind === 'service-day')!;
    expect(serviceDay).toMatchObject({ teamId: team.teamId, themeMonth: '2028-03', status: 'open' });
    const path = { activityId: serviceDay.activityId };

    // Sign-up with an Idempotency-Key: the replay answers the first response, Idempotency-Replayed.
    const key = { 'Idempotency-Key': `signup-${volunteer.memberId}` };
    const signup = await member.POST('/activities/{activityId}/signups', { params: { path, header: key } });
    expect(signup.response.status).toBe(201);
    expect(signup.data?.status).toBe('confirmed');
    const replay = await member.POST('/activities/{activityId}/signups', { params: { path, header: key } });
    expect(replay.response.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.data).toEqual(signup.data);
    const twice = await member.POST('/activities/{activityId}/signups', { params: { path } });
    expect(twice.response.status).toBe(409);
    expect(twice.error).toMatchObject({ code: 'ALREADY_SIGNED_UP' });

    // On the day: check in with the leader's code at 08:50, out at 12:00, 3 hours.
    freezeClock('2028-03-04T00:50:00Z');
    const code = (await leader.POST('/activities/{activityId}/attendance-code', { params: { path } })).data!.code;
    expect(
      (await member.POST('/activities/{activityId}/check-in', { params: { path }, body: { code } })).data,
    ).toMatchObject({
      action: 'check-in',
    });
    freezeClock('2028-03-04T04:00:00Z');
    const wrong = await member.POST('/activities/{activityId}/check-out', {
      params: { path },
      body: { code: '000000' },
    });
    expect(wrong.response.status).toBe(403);
    expect(wrong.error).toMatchObject({ code: 'ATTENDANCE_CODE_INVALID' });
    const code2 = (await leader.POST('/activities/{activityId}/attendance-code', { params: { path } })).data!.code;
    expect(
      (await member.POST('/activities/{activityId}/check-out', { params: { path }, body: { code: code2 } })).data,
    ).toMatchObject({ action: 'check-out' });
    freezeClock('2028-03-04T04:10:00Z');
    const closed = await leader.POST('/activities/{activityId}/close', {
      params: { path },
      body: { peopleServed: 25, summary: '为 25 位老人理发、测血压' },
    });
    expect(closed.data).toMatchObject({ status: 'closed', peopleServed: 25 });

    // The volunteer's record, a certificate, and its printable page (text/html on request).
    const records = await member.GET('/members/me/service-records');
    const record: Schemas['ServiceRecord'] = records.data!.items[0]!;
    expect(record).toMatchObject({ activityId: serviceDay.activityId, hours: 3, date: '2028-03-04', late: false });
    expect(records.data!.totalHours).toBe(3);
    const cert = await member.POST('/members/me/certificates');
    expect(cert.response.status).toBe(201);
    const anyone = typedClient(e2e.url);
    const verified = await anyone.GET('/certificates/{number}', { params: { path: { number: cert.data!.number } } });
    expect(verified.data).toMatchObject({ valid: true, totalHours: 3, name: '周*' });
    const page = await anyone.GET('/certificates/{number}', {
      params: { path: { number: cert.data!.number } },
      headers: { accept: 'text/html' },
      parseAs: 'text',
    });
    expect(page.response.headers.get('content-type')).toContain('text/html');
    expect(page.data).toContain(cert.data!.number);

    // Without a token: API Gateway's own 401, as the document says ({"message"}, WWW-Authenticate).
    const noToken = await typedClient(e2e.url).GET('/members/me/service-records');
    expect(noToken.response.status).toBe(401);
    expect(noToken.error).toEqual({ message: 'Unauthorized' });
    expect(noToken.response.headers.get('www-authenticate')).toBe('Bearer');
  });
});

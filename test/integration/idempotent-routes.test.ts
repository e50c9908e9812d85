import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { routeKey } from '../../shared/config/routes.ts';
import { ALL_CONTRACTS } from '../../shared/contract/index.ts';
import { freezeClock, nowIso, resetClock } from '../../shared/domain/clock.ts';
import { postFact } from '../../shared/services/ledger.ts';
import { mint, uniq, useE2e, type Member } from '../support/e2e.ts';
import { snapshot } from '../support/inspect.ts';
import { seedRecord } from '../support/records.ts';
import { CALL_BODY, coreTeam, scores, submissionBody } from '../support/featured-e2e.ts';

/**
 * Every route that takes an Idempotency-Key, over HTTP: the first request answers with the
 * contract's status; a replay answers with exactly the same bytes (and `idempotency-replayed`)
 * and leaves the table as it was; the same key with another body is 422 and writes nothing.
 * A route declared idempotent that is missing here fails the coverage test: each must store its
 * answer with its write (committing), which only a replay proves.
 */
// With the identity flow: granting a role needs a user the pool knows, with MFA.
const e2e = useE2e({ identity: true });
const { api } = e2e;

const FILE_DAY = '2025-06-02T00:00:00.000Z';

interface Call {
  path: string;
  token: string;
  body?: Record<string, unknown>;
  /** Another body for the same path (the 422 case). */
  other: Record<string, unknown> | undefined;
}

const ctx: {
  district: string;
  streetId: string;
  communityId: string;
  leader: Member & { teamId: string };
  member: Member;
} = {} as never;

beforeAll(async () => {
  freezeClock(FILE_DAY);
  ctx.district = await e2e.districtAdmin();
  const place = await e2e.place();
  ctx.streetId = place.streetId;
  ctx.communityId = place.communityId;
  const team = await e2e.team({ communityId: place.communityId });
  ctx.leader = { ...team.leader, teamId: team.teamId };
  ctx.member = await e2e.member('张三');
});
afterAll(() => resetClock());
// A case may move the clock (an award comes after a call's notice): the next starts on the file's day.
afterEach(() => freezeClock(FILE_DAY));

/** A featured-project call open on the file's day (2025-06-02). */
const FEATURED_2025 = {
  ...CALL_BODY,
  year: 2025,
  opensOn: '2025-06-01',
  closesOn: '2025-07-31',
  evidenceFrom: '2024-08',
  evidenceTo: '2025-07',
};

const CALLS: Record<string, () => Promise<Call>> = {
  'POST /streets': async () => ({
    path: '/streets',
    token: ctx.district,
    body: { name: uniq('街道') },
    other: { name: uniq('街道') },
  }),
  'POST /communities': async () => ({
    path: '/communities',
    token: ctx.district,
    body: { name: '新社区', streetId: ctx.streetId },
    other: { name: '另一社区', streetId: ctx.streetId },
  }),
  'POST /communities/{communityId}/grids': async () => ({
    path: `/communities/${ctx.communityId}/grids`,
    token: ctx.district,
    body: { name: '新网格' },
    other: { name: '另一网格' },
  }),
  'POST /members': async () => {
    const token = await mint.member(uniq('m'));
    return {
      path: '/members',
      token,
      body: { name: '李四', phone: '13912345678' },
      other: { name: '王五', phone: '13912345678' },
    };
  },
  'POST /check-ins': async () => {
    const m = await e2e.member();
    return {
      path: '/check-ins',
      token: m.token,
      body: { communityId: ctx.communityId },
      other: { communityId: ctx.communityId, note: '另一个' },
    };
  },
  'POST /teams': async () => {
    const leader = await e2e.member('队长');
    const body = { name: '新服务队', category: 'health', scope: 'district', leaderMemberId: leader.memberId };
    return { path: '/teams', token: ctx.district, body, other: { ...body, name: '别的队' } };
  },
  'POST /teams/{teamId}/join': async () => {
    const m = await e2e.member();
    return { path: `/teams/${ctx.leader.teamId}/join`, token: m.token, other: { unexpected: true } };
  },
  'POST /teams/{teamId}/leave': async () => {
    const m = await e2e.joinRequest(ctx.leader.teamId);
    const ok = await api.post(`/teams/${ctx.leader.teamId}/members/${m.memberId}/approve`, ctx.leader.token);
    expect(ok.status, ok.text).toBe(200);
    return { path: `/teams/${ctx.leader.teamId}/leave`, token: m.token, other: { unexpected: true } };
  },
  'POST /check-ins/{checkInId}/cancel': async () => {
    const m = await e2e.member();
    const checkInId = await e2e.checkIn(m, ctx.communityId);
    return { path: `/check-ins/${checkInId}/cancel`, token: m.token, other: { unexpected: true } };
  },
  'POST /teams/{teamId}/flag-grant': async () => {
    const t = await e2e.team();
    return {
      path: `/teams/${t.teamId}/flag-grant`,
      token: ctx.district,
      body: { date: '2025-06-01' },
      other: { date: '2025-06-02' },
    };
  },
  'POST /activities': async () => {
    const body = {
      title: '社区义诊',
      content: '测血压',
      category: 'health',
      communityId: ctx.communityId,
      address: '社区广场',
      startsAt: '2025-06-03T09:00:00+08:00',
      endsAt: '2025-06-03T12:00:00+08:00',
      capacity: 5,
    };
    return { path: '/activities', token: ctx.leader.token, body, other: { ...body, capacity: 6 } };
  },
  'POST /activities/{activityId}/signups': async () => {
    const a = await api.post('/activities', ctx.leader.token, {
      title: '义诊',
      content: '测血压',
      category: 'health',
      communityId: ctx.communityId,
      address: '社区广场',
      startsAt: '2025-06-03T09:00:00+08:00',
      endsAt: '2025-06-03T12:00:00+08:00',
      capacity: 5,
    });
    const m = await e2e.member();
    return { path: `/activities/${a.body.activityId}/signups`, token: m.token, other: { unexpected: true } };
  },
  'POST /stations': async () => {
    const body = {
      name: '驿站',
      communityId: ctx.communityId,
      address: '一楼',
      managers: [],
      amenities: [],
      openingHours: { mon: [{ from: '08:00', to: '20:00' }] },
    };
    return { path: '/stations', token: ctx.district, body, other: { ...body, name: '另一驿站' } };
  },
  'POST /stations/{stationId}/bookings': async () => {
    const s = await api.post('/stations', ctx.district, {
      name: '预订驿站',
      communityId: ctx.communityId,
      address: '一楼',
      managers: [],
      amenities: [],
      openingHours: { tue: [{ from: '08:00', to: '20:00' }] },
    });
    const body = { startsAt: '2025-06-03T09:00:00+08:00', endsAt: '2025-06-03T10:00:00+08:00' };
    return {
      path: `/stations/${s.body.stationId}/bookings`,
      token: ctx.leader.token,
      body,
      other: { ...body, endsAt: '2025-06-03T11:00:00+08:00' },
    };
  },
  'POST /courses': async () => {
    const body = {
      name: '岗前培训',
      content: '礼仪',
      tier: 'pre-service',
      studyHours: 2,
      completionRule: 'any',
      communityId: ctx.communityId,
    };
    return { path: '/courses', token: ctx.leader.token, body, other: { ...body, studyHours: 3 } };
  },
  'POST /courses/{courseId}/sessions': async () => {
    const c = await api.post('/courses', ctx.leader.token, {
      name: '专业培训',
      content: '急救',
      tier: 'professional',
      studyHours: 4,
      completionRule: 'every',
      communityId: ctx.communityId,
    });
    const body = {
      startsAt: '2025-06-04T09:00:00+08:00',
      endsAt: '2025-06-04T11:00:00+08:00',
      capacity: 10,
      address: '三楼',
    };
    return {
      path: `/courses/${c.body.courseId}/sessions`,
      token: ctx.leader.token,
      body,
      other: { ...body, capacity: 11 },
    };
  },
  'POST /service-records/{recordId}/corrections': async () => {
    const r = await seedRecord({
      memberId: ctx.member.memberId,
      team: { teamId: ctx.leader.teamId, leaderName: '队长' },
    });
    return {
      path: `/service-records/${r.recordId}/corrections`,
      token: ctx.member.token,
      body: { requestedHours: 3, reason: '少记了一小时' },
      other: { requestedHours: 4, reason: '少记了两小时' },
    };
  },
  'POST /members/me/certificates': async () => {
    const m = await e2e.member('赵六');
    await seedRecord({ memberId: m.memberId, team: { teamId: ctx.leader.teamId, leaderName: '队长' } });
    return { path: '/members/me/certificates', token: m.token, other: { unexpected: true } };
  },
  'POST /users/{sub}/roles': async () => {
    const user = await e2e.signUp({ mfa: true });
    return {
      path: `/users/${user.sub}/roles`,
      token: ctx.district,
      body: { role: 'community_admin', communityId: ctx.communityId, reason: '社区换届' },
      other: { role: 'street_admin', streetId: ctx.streetId, reason: '街道任命' },
    };
  },
  'POST /members/{memberId}/fifth-star': async () => {
    const m = await e2e.checkedInMember({ communityId: ctx.communityId });
    await postFact({
      kind: 'service-record',
      id: uniq('sr-long'),
      memberId: m.memberId,
      at: nowIso(),
      postedAt: nowIso(),
      revision: 0,
      units: 1500,
      hours: 1500,
      place: { streetId: ctx.streetId, communityId: ctx.communityId },
    });
    return {
      path: `/members/${m.memberId}/fifth-star`,
      token: ctx.district,
      body: { approve: true, note: '记录齐全' },
      other: { approve: false, note: '再看看' },
    };
  },
  'POST /nominations': async () => {
    const m = await e2e.checkedInMember({ communityId: ctx.communityId });
    return {
      path: '/nominations',
      token: await mint.communityAdmin(ctx.communityId),
      body: { memberId: m.memberId, title: '优秀党员志愿者', reason: '常年服务' },
      other: { memberId: m.memberId, title: '优秀队员', reason: '常年服务' },
    };
  },
  'POST /nominations/{nominationId}/objections': async () => {
    const m = await e2e.checkedInMember({ communityId: ctx.communityId });
    const n = await api.post('/nominations', await mint.communityAdmin(ctx.communityId), {
      memberId: m.memberId,
      title: '优秀党员志愿者',
      reason: '常年服务',
    });
    expect((await api.post(`/nominations/${n.body.nominationId}/notice`, ctx.district)).status).toBe(200);
    return {
      path: `/nominations/${n.body.nominationId}/objections`,
      token: (await e2e.member('异议人')).token,
      body: { text: '请核实' },
      other: { text: '另一条异议' },
    };
  },
  'POST /service-records/{recordId}/evaluation': async () => {
    const m = await e2e.member('钱七');
    const r = await seedRecord({
      memberId: m.memberId,
      team: { teamId: ctx.leader.teamId, leaderName: '队长' },
      communityId: ctx.communityId,
      streetId: ctx.streetId,
      date: '2025-06-02',
    });
    return {
      path: `/service-records/${r.recordId}/evaluation`,
      token: await mint.communityAdmin(ctx.communityId),
      body: { rating: 'good' },
      other: { rating: 'excellent' },
    };
  },
  'POST /wishes': async () => {
    const body = {
      title: '帮忙换灯泡',
      description: '楼道灯坏了',
      category: 'elderly-care',
      skillsWanted: [],
      communityId: ctx.communityId,
      contactName: '王阿姨',
      contactPhone: '13812345678',
    };
    return { path: '/wishes', token: await mint.resident(), body, other: { ...body, title: '帮忙修水管' } };
  },
  'POST /featured-calls': async () => ({
    path: '/featured-calls',
    token: ctx.district,
    body: FEATURED_2025,
    other: { ...FEATURED_2025, title: '另一个征集' },
  }),
  'POST /featured-calls/{callId}/submissions': async () => {
    const call = await api.post('/featured-calls', ctx.district, FEATURED_2025);
    const team = await coreTeam(e2e, { scope: 'district' });
    const body = submissionBody(team.core.map((m) => m.memberId));
    return {
      path: `/featured-calls/${call.body.callId}/submissions`,
      token: team.leader.token,
      body,
      other: { ...body, title: '另一个项目' },
    };
  },
  'POST /featured-calls/{callId}/awards': async () => {
    const call = await api.post('/featured-calls', ctx.district, { ...FEATURED_2025, title: uniq('奖补征集') });
    const callId = call.body.callId as string;
    const team = await coreTeam(e2e, { scope: 'district' });
    await seedRecord({ memberId: team.leader.memberId, team: { teamId: team.teamId, leaderName: '队长' }, hours: 150 });
    const sub = await api.post(
      `/featured-calls/${callId}/submissions`,
      team.leader.token,
      submissionBody(team.core.map((m) => m.memberId)),
    );
    expect(sub.status, sub.text).toBe(201);
    const submissionId = sub.body.submissionId as string;
    freezeClock('2025-07-31T16:00:00.000Z'); // 1 August 00:00 in Shanghai: the call has closed
    for (let i = 0; i < 3; i++) {
      const reviewer = await e2e.member(`评委${i}`);
      const path = `/featured-calls/${callId}/submissions/${submissionId}`;
      const assigned = await api.post(`${path}/reviewers`, ctx.district, { reviewerId: reviewer.memberId });
      expect(assigned.status, assigned.text).toBe(201);
      const scored = await api.post(`${path}/scores`, reviewer.token, { scores: scores([8, 8, 4, 4], [8, 8, 4, 4]) });
      expect(scored.status, scored.text).toBe(200);
    }
    freezeClock('2025-08-04T02:00:00.000Z'); // a Monday
    const results = await api.post(`/featured-calls/${callId}/results`, ctx.district);
    expect(results.status, results.text).toBe(200);
    freezeClock(`${results.body.noticeUntil}T16:00:00.000Z`); // 00:00 after the notice's last day, Shanghai
    return {
      path: `/featured-calls/${callId}/awards`,
      token: ctx.district,
      body: { awards: [{ submissionId, tierId: 'second' }] },
      other: { awards: [{ submissionId, tierId: 'first' }] },
    };
  },
};

const IDEMPOTENT = ALL_CONTRACTS.filter((c) => c.idempotent).map((c) => ({
  key: routeKey(c),
  status: c.status ?? 200,
}));

describe('routes that take an Idempotency-Key', () => {
  it('are each tried here', () => {
    expect(Object.keys(CALLS).sort()).toEqual(IDEMPOTENT.map((c) => c.key).sort());
  });

  it.each(IDEMPOTENT.map((c) => [c.key, c.status] as const))(
    '%s: the replay is the first answer byte for byte and writes nothing; another body is 422',
    async (key, status) => {
      const call = await CALLS[key]!();
      const headers = { 'idempotency-key': uniq('idem') };
      const first = await api.post(call.path, call.token, call.body, headers);
      expect(first.status, first.text).toBe(status);
      expect(first.headers.get('idempotency-replayed')).toBeNull();
      // What the stream's consumers do with the first request (the ledger; the notifier's inbox and
      // deliveries of a sign-up) is done before the replay is held to writing nothing.
      await e2e.identity.streams.settle();
      const before = await snapshot(e2e.tableName);
      const replay = await api.post(call.path, call.token, call.body, headers);
      expect(replay.status).toBe(status);
      expect(replay.text).toBe(first.text);
      expect(replay.headers.get('idempotency-replayed')).toBe('true');
      const other = await api.post(call.path, call.token, call.other, headers);
      expect([other.status, other.body.code]).toEqual(
        // A body the route does not take is refused before the key is looked at.
        call.body === undefined ? [400, 'VALIDATION_FAILED'] : [422, 'IDEMPOTENCY_KEY_REUSED'],
      );
      await e2e.identity.streams.settle();
      expect(await snapshot(e2e.tableName)).toBe(before);
    },
  );
});

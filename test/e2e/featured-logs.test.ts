import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCity, type LocalBus } from '../../infra/local/city-bus.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { FEATURED_DETAIL_TYPE } from '../../shared/domain/featured.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { setLogSink } from '../../shared/http/logger.ts';
import { mint, useE2e } from '../support/e2e.ts';
import { AT, CALL_BODY, coreTeam, scores, submissionBody } from '../support/featured-e2e.ts';
import { seedRecord } from '../support/records.ts';
import { dynamoEndpoint, uniqueTableName } from '../support/table.ts';

/**
 * Structured logs of the featured-projects routes (and of the stream that carries awards to the
 * city): one JSON object a line, with the request id, and never a phone or an ID number that a
 * leader typed into a project's title, plan or budget lines, nor the core members' phones, whether
 * the request succeeds, is refused or fails (the city bus refusing a put included).
 */
const e2e = useE2e({ routes: [...ROUTES, ...CITY_ROUTES], streams: ['city-delivery'] });
const { api } = e2e;

const PLAN_PHONE = '13698765432';
const PLAN_ID = '11010519491231002X';
const BUDGET_PHONE = '13511112222';
const EDIT_PHONE = '18600001111';
const LATE_PHONE = '15900002222';
const BAD_PHONE = '17700003333';
/** The members' own phones (e2e.member's default), read with their profiles by the submission. */
const PROFILE_PHONE = '13912345678';

const t = {} as {
  district: string;
  city: string;
  leader: string;
  reviewer: { memberId: string; token: string };
  others: { memberId: string; token: string }[];
};
let core: string[] = [];
let teamId = '';
let bus: LocalBus;

beforeAll(async () => {
  bus = await startLocalCity(dynamoEndpoint(), { tableName: uniqueTableName('city') });
  freezeClock(AT.open);
  t.district = await e2e.districtAdmin();
  t.city = await mint.cityAdmin();
  const team = await coreTeam(e2e, { scope: 'district' });
  teamId = team.teamId;
  core = team.core.map((m) => m.memberId);
  t.leader = team.leader.token;
  // Hours in the call's evidence window, so that the project is eligible and ranked.
  await seedRecord({ memberId: team.leader.memberId, team: { teamId, leaderName: '队长' }, hours: 150 });
  t.reviewer = await e2e.member('评委');
  // The call needs 3 reviewers a submission.
  t.others = [await e2e.member('评委二'), await e2e.member('评委三')];
}, 180_000);
afterAll(() => {
  resetClock();
  setPublisher(undefined);
});

describe('logs of the featured-projects routes', () => {
  it('carry the request id and no phone or ID number from plans, budget lines or profiles, even when requests fail', async () => {
    const lines: string[] = [];
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'debug';
    const restore = setLogSink((l) => lines.push(l));
    try {
      const call = await api.post('/featured-calls', t.district, CALL_BODY);
      expect(call.status, call.text).toBe(201);
      const callId = call.body.callId as string;
      const body = submissionBody(core, {
        title: `小牛哥·先锋骑手 ${PLAN_PHONE}`,
        plan: `联系人电话${PLAN_PHONE}，身份证${PLAN_ID}，每周探访独居老人。`,
        budget: [{ item: `物资 找${BUDGET_PHONE}`, amount: 8000 }],
      });
      const sub = await api.post(`/featured-calls/${callId}/submissions`, t.leader, body);
      expect(sub.status, sub.text).toBe(201);
      const path = `/featured-calls/${callId}/submissions/${sub.body.submissionId}`;
      // Refused: the plan too long, a line break in the title, the same team again.
      const tooLong = await api.put(path, t.leader, { ...body, plan: `${BAD_PHONE}${'长'.repeat(5000)}` });
      expect(tooLong.status).toBe(400);
      const broken = await api.put(path, t.leader, { ...body, title: `a\n${BAD_PHONE}` });
      expect(broken.status).toBe(400);
      const again = await api.post(`/featured-calls/${callId}/submissions`, t.leader, body);
      expect([again.status, again.body.code]).toEqual([409, 'TEAM_ALREADY_ENTERED']);
      const edited = await api.put(path, t.leader, { ...body, plan: `改为${EDIT_PHONE}联系，${PLAN_ID}` });
      expect(edited.status, edited.text).toBe(200);
      for (const r of [t.reviewer, ...t.others])
        expect((await api.post(`${path}/reviewers`, t.district, { reviewerId: r.memberId })).status).toBe(201);
      expect((await api.get(path, t.reviewer.token)).status).toBe(200);
      expect((await api.get(path, t.leader)).status).toBe(200);
      expect((await api.get(`/featured-calls/${callId}/submissions`, t.district)).status).toBe(200);

      freezeClock(AT.review);
      const late = await api.put(path, t.leader, { ...body, plan: `晚了${LATE_PHONE}` });
      expect([late.status, late.body.code]).toEqual([409, 'CALL_CLOSED']);
      const scored = await api.post(`${path}/scores`, t.reviewer.token, {
        scores: scores([8, 8, 4, 4], [9, 9, 4, 5]),
      });
      expect(scored.status, scored.text).toBe(200);
      for (const r of t.others)
        expect((await api.post(`${path}/scores`, r.token, { scores: scores([7, 7, 4, 4], [8, 8, 4, 4]) })).status).toBe(
          200,
        );
      expect((await api.get('/members/me/review-assignments', t.reviewer.token)).status).toBe(200);
      freezeClock(AT.results);
      expect((await api.post(`/featured-calls/${callId}/results`, t.district)).status).toBe(200);
      expect((await api.get(`/featured-calls/${callId}/notice`)).status).toBe(200);

      freezeClock(AT.afterNotice);
      // The city bus refuses the first put: the stream's failure is logged, then the retry delivers.
      bus.failPuts(FEATURED_DETAIL_TYPE, 1);
      const awarded = await api.post(`/featured-calls/${callId}/awards`, t.district, {
        awards: [{ submissionId: sub.body.submissionId, tierId: 'first' }],
      });
      expect(awarded.status, awarded.text).toBe(201);
      await e2e.streams.settle(60_000);
      expect((await api.get(`/featured-calls/${callId}/award-report`, t.district)).status).toBe(200);
      expect((await api.get(`/teams/${teamId}/awards`, t.leader)).status).toBe(200);
      expect((await api.get('/featured-calls?year=2026', t.leader)).status).toBe(200);
      const city = await api.get('/city/featured-projects?year=2026', t.city);
      expect([city.status, city.body.items?.length]).toEqual([200, 1]);
      expect(bus.refusedPuts).toHaveLength(1);
    } finally {
      restore();
      process.env.LOG_LEVEL = level;
    }
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = parsed.filter((x) => x.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(18);
    for (const p of requests) {
      expect(p.requestId).toEqual(expect.any(String));
      expect(p.routeKey).toEqual(expect.any(String));
      expect(p.status).toEqual(expect.any(Number));
    }
    // The stream consumer logged the failed put and the delivery.
    expect(parsed.some((x) => x.msg === 'stream record failed')).toBe(true);
    expect(parsed.some((x) => x.msg === 'stream record handled')).toBe(true);
    const all = lines.join('\n');
    for (const secret of [PLAN_PHONE, PLAN_ID, BUDGET_PHONE, EDIT_PHONE, LATE_PHONE, BAD_PHONE, PROFILE_PHONE])
      expect(all, secret).not.toContain(secret);
    // Nor any other whole mobile number (a masked one, 139****5678, is fine).
    expect(all).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  }, 180_000);
});

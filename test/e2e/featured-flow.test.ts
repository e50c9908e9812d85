import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCity, type LocalBus } from '../../infra/local/city-bus.ts';
import { invokeFunction } from '../../infra/local/invoke.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { FEATURED_DETAIL_TYPE } from '../../shared/domain/featured.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { setMetricSink } from '../../shared/metrics/metrics.ts';
import { mint, useE2e, type Member } from '../support/e2e.ts';
import { AT, CALL_BODY, coreTeam, scores, submissionBody } from '../support/featured-e2e.ts';
import { allItems, snapshot } from '../support/inspect.ts';
import { seedRecord } from '../support/records.ts';
import { dynamoEndpoint, uniqueTableName } from '../support/table.ts';

/**
 * Featured projects end to end: a call, three teams' submissions with the platform's evidence
 * (one ineligible, explained), the close freezing them (an edit refused, the hash unchanged),
 * reviewers with and without conflicts, locked scores, totals worked by hand, the public notice
 * in working days, awards over a tier or the budget changing nothing, then an award reaching each
 * core member's record, the team's history and the city.
 */
const e2e = useE2e({ routes: [...ROUTES, ...CITY_ROUTES], streams: ['city-delivery'] });
const { api } = e2e;
let bus: LocalBus & { tableName: string };

type Team = Awaited<ReturnType<typeof coreTeam>>;
const t = {} as {
  district: string;
  city: string;
  communityA: string;
  t1: Team;
  t2: Team;
  t3: Team;
  reviewers: Member[];
  neighbour: Member;
  callId: string;
  s1: string;
  s2: string;
  s3: string;
  hash1: string;
};

beforeAll(async () => {
  bus = await startLocalCity(dynamoEndpoint(), { tableName: uniqueTableName('city') });
  freezeClock('2026-01-15T02:00:00.000Z');
  t.district = await e2e.districtAdmin();
  t.city = await mint.cityAdmin();
  const a = await e2e.place();
  t.communityA = a.communityId;
  t.t1 = await coreTeam(e2e, { communityId: a.communityId, name: '红星义诊队' });
  t.t2 = await coreTeam(e2e, { scope: 'district', name: '红海棠志愿队' });
  t.t3 = await coreTeam(e2e, { scope: 'district', name: '新队' });
  // Evidence: service records in January 2026 (inside the call's window 2025-05..2026-04).
  await seedRecord({ memberId: t.t1.leader.memberId, team: { teamId: t.t1.teamId, leaderName: '队长' }, hours: 150 });
  await seedRecord({ memberId: t.t2.leader.memberId, team: { teamId: t.t2.teamId, leaderName: '队长' }, hours: 120 });
  await seedRecord({ memberId: t.t3.leader.memberId, team: { teamId: t.t3.teamId, leaderName: '队长' }, hours: 10 });
  t.reviewers = [];
  for (let i = 0; i < 5; i++) t.reviewers.push(await e2e.member(`评委${i}`));
  t.neighbour = await e2e.checkedInMember({ communityId: a.communityId, name: '邻居' });
}, 180_000);
afterAll(() => {
  resetClock();
  setPublisher(undefined);
});

const ids = (team: Team) => team.core.map((m) => m.memberId);

describe('featured projects', () => {
  it('a district admin opens the call; a team cannot submit before it opens', async () => {
    freezeClock(AT.before);
    const res = await api.post('/featured-calls', t.district, CALL_BODY);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      year: 2026,
      budget: 60000,
      awardedAmount: 0,
      awardedByTier: { first: 0, second: 0 },
    });
    t.callId = res.body.callId;
    expect((await api.get(`/featured-calls/${t.callId}`, t.t1.leader.token)).body.title).toBe(CALL_BODY.title);
    const early = await api.post(
      `/featured-calls/${t.callId}/submissions`,
      t.t1.leader.token,
      submissionBody(ids(t.t1)),
    );
    expect([early.status, early.body.code]).toEqual([409, 'CALL_NOT_OPEN']);
  }, 120_000);

  it('leaders submit: the platform attaches the evidence and explains eligibility; one entry per team', async () => {
    freezeClock(AT.open);
    const r1 = await api.post(`/featured-calls/${t.callId}/submissions`, t.t1.leader.token, submissionBody(ids(t.t1)));
    expect(r1.status, r1.text).toBe(201);
    expect(r1.body.evidence).toEqual({
      from: '2025-05',
      to: '2026-04',
      activities: 0,
      volunteerHours: 150,
      peopleServed: 0,
      wishesCompleted: 0,
    });
    expect(r1.body.eligibility.eligible).toBe(true);
    expect(r1.body.coreMembers.map((m: { memberId: string }) => m.memberId)).toEqual(ids(t.t1));
    expect(r1.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    t.s1 = r1.body.submissionId;

    const again = await api.post(
      `/featured-calls/${t.callId}/submissions`,
      t.t1.leader.token,
      submissionBody(ids(t.t1)),
    );
    expect([again.status, again.body.code]).toEqual([409, 'TEAM_ALREADY_ENTERED']);

    const r2 = await api.post(
      `/featured-calls/${t.callId}/submissions`,
      t.t2.leader.token,
      submissionBody(ids(t.t2), { title: '红海棠', category: 'elderly-care' }),
    );
    expect(r2.status, r2.text).toBe(201);
    t.s2 = r2.body.submissionId;
    const r3 = await api.post(
      `/featured-calls/${t.callId}/submissions`,
      t.t3.leader.token,
      submissionBody(ids(t.t3), { title: '新项目', startedOn: '2025-01-01', category: 'child-care' }),
    );
    expect(r3.status, r3.text).toBe(201);
    t.s3 = r3.body.submissionId;
    expect(r3.body.eligibility.eligible).toBe(false);
    expect(
      r3.body.eligibility.checks
        .filter((c: { passed: boolean }) => !c.passed)
        .map((c: { rule: string; detail: string }) => [c.rule, c.detail]),
    ).toEqual([
      ['category', 'category child-care; the call takes health, elderly-care'],
      ['minTeamHours', '10 service hours from 2025-05 to 2026-04; at least 100 needed'],
      ['minYearsRunning', 'running 1 whole year(s) since 2025-01-01 at the close (2026-04-30); at least 2 needed'],
    ]);

    const notCore = await api.post(
      `/featured-calls/${t.callId}/submissions`,
      t.t1.leader.token,
      submissionBody([t.t1.leader.memberId, t.t1.core[1]!.memberId, t.reviewers[0]!.memberId]),
    );
    expect([notCore.status, notCore.body.code]).toEqual([409, 'CORE_MEMBER_NOT_ON_TEAM']);
  }, 120_000);

  it('the leader edits until the close: a new hash and version', async () => {
    const path = `/featured-calls/${t.callId}/submissions/${t.s1}`;
    const before = await api.get(path, t.t1.leader.token);
    const res = await api.put(
      path,
      t.t1.leader.token,
      submissionBody(ids(t.t1), { plan: '每周两次探访独居老人。联系13912345678' }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.version).toBe(2);
    expect(res.body.submittedAt).toBe(before.body.submittedAt);
    expect(res.body.contentHash).not.toBe(before.body.contentHash);
    t.hash1 = res.body.contentHash;
  }, 120_000);

  it('after the close an edit is refused and the hash is unchanged', async () => {
    freezeClock(AT.closed);
    const path = `/featured-calls/${t.callId}/submissions/${t.s1}`;
    const table = await snapshot(e2e.tableName);
    const res = await api.put(path, t.t1.leader.token, submissionBody(ids(t.t1), { plan: '改过的计划' }));
    expect([res.status, res.body.code]).toEqual([409, 'CALL_CLOSED']);
    expect(await snapshot(e2e.tableName)).toBe(table);
    const now = await api.get(path, t.district);
    expect([now.body.contentHash, now.body.version, now.body.plan]).toEqual([
      t.hash1,
      2,
      '每周两次探访独居老人。联系13912345678',
    ]);
  }, 120_000);

  it("a reviewer of the team's community, on the team or a core member is refused; others are assigned", async () => {
    const assign = (sid: string, reviewerId: string) =>
      api.post(`/featured-calls/${t.callId}/submissions/${sid}/reviewers`, t.district, { reviewerId });
    const table = await snapshot(e2e.tableName);
    for (const conflicted of [t.neighbour.memberId, t.t1.core[1]!.memberId, t.t1.leader.memberId]) {
      const res = await assign(t.s1, conflicted);
      expect([res.status, res.body.code], conflicted).toEqual([409, 'REVIEWER_CONFLICT']);
    }
    expect(await snapshot(e2e.tableName)).toBe(table);
    for (const r of t.reviewers) expect((await assign(t.s1, r.memberId)).status).toBe(201);
    for (const r of t.reviewers.slice(0, 3)) expect((await assign(t.s2, r.memberId)).status).toBe(201);
    const twice = await assign(t.s1, t.reviewers[0]!.memberId);
    expect([twice.status, twice.body.code]).toEqual([409, 'REVIEWER_ALREADY_ASSIGNED']);
    // The neighbour may review the district-wide team.
    expect((await assign(t.s2, t.neighbour.memberId)).status).toBe(201);
    // An assigned reviewer reads the submission; a reviewer not assigned to it does not.
    const asReviewer = await api.get(`/featured-calls/${t.callId}/submissions/${t.s1}`, t.reviewers[0]!.token);
    expect(asReviewer.status).toBe(200);
    // A phone typed into the plan is masked for reviewers (its author and the admins see it).
    expect(asReviewer.body.plan).toBe('每周两次探访独居老人。联系139****5678');
    expect((await api.get(`/featured-calls/${t.callId}/submissions/${t.s1}`, t.neighbour.token)).status).toBe(404);
  }, 120_000);

  it('reviewers score once; scores are locked; results wait for every assigned reviewer', async () => {
    freezeClock(AT.review);
    const score = (sid: string, who: Member, body: unknown) =>
      api.post(`/featured-calls/${t.callId}/submissions/${sid}/scores`, who.token, body);
    // S1, five reviewers (stage scores 3a+3b+4c+4d):
    //   materials 80, 100, 60, 74, 79 -> drop 60 and 100 -> (74+79+80)/3 = 233/3
    //   roadshow  86, 100, 66, 80, 90 -> drop 66 and 100 -> (80+86+90)/3 = 256/3
    //   total 0.4 x 233/3 + 0.6 x 256/3 = 246.8/3 = 82.2666... -> 82.27
    const s1 = [
      scores([8, 8, 4, 4], [9, 9, 4, 4]),
      scores([10, 10, 5, 5], [10, 10, 5, 5]),
      scores([6, 6, 3, 3], [7, 7, 3, 3]),
      scores([7, 7, 4, 4], [8, 8, 4, 4]),
      scores([9, 8, 4, 3], [9, 9, 5, 4]),
    ];
    for (const [i, r] of t.reviewers.entries()) {
      const res = await score(t.s1, r, { scores: s1[i] });
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe('submitted');
    }
    const locked = await score(t.s1, t.reviewers[0]!, { scores: s1[1] });
    expect([locked.status, locked.body.code]).toEqual([409, 'SCORES_LOCKED']);
    const notAssigned = await score(t.s1, t.neighbour, { scores: s1[0] });
    expect(notAssigned.status).toBe(404);
    // S2: three reviewers at 66 in both stages; the neighbour has not scored yet.
    for (const r of t.reviewers.slice(0, 3))
      expect((await score(t.s2, r, { scores: scores([7, 7, 3, 3], [7, 7, 3, 3]) })).status).toBe(200);
    const early = await api.post(`/featured-calls/${t.callId}/results`, t.district);
    expect([early.status, early.body.code, early.body.submissionIds]).toEqual([409, 'REVIEWS_INCOMPLETE', [t.s2]]);
    expect((await score(t.s2, t.neighbour, { scores: scores([7, 7, 3, 3], [7, 7, 3, 3]) })).status).toBe(200);
  }, 120_000);

  it('the ranked results go on public notice for 5 working days', async () => {
    freezeClock(AT.results);
    const res = await api.post(`/featured-calls/${t.callId}/results`, t.district);
    expect(res.status, res.text).toBe(200);
    expect([res.body.noticeFrom, res.body.noticeUntil]).toEqual(['2026-05-11', '2026-05-18']);
    expect(
      res.body.ranking.map((r: { rank: number; submissionId: string; total: string; reviewers: number }) => [
        r.rank,
        r.submissionId,
        r.total,
        r.reviewers,
      ]),
    ).toEqual([
      [1, t.s1, '82.27', 5],
      [2, t.s2, '66.00', 4],
    ]);
    const notice = await api.get(`/featured-calls/${t.callId}/notice`);
    expect(notice.status).toBe(200);
    expect(notice.body.ranking[0]).toMatchObject({ teamName: '红星义诊队', title: '小牛哥·先锋骑手' });
    expect(notice.text).not.toContain(t.t1.leader.memberId);
    const again = await api.post(`/featured-calls/${t.callId}/results`, t.district);
    expect([again.status, again.body.code]).toEqual([409, 'RESULTS_PUBLISHED']);
    const late = await api.post(`/featured-calls/${t.callId}/submissions/${t.s1}/reviewers`, t.district, {
      reviewerId: t.neighbour.memberId,
    });
    expect([late.status, late.body.code]).toEqual([409, 'RESULTS_PUBLISHED']);
  }, 120_000);

  it('awards wait for the notice; over a tier or the budget nothing changes', async () => {
    const award = (awards: unknown) => api.post(`/featured-calls/${t.callId}/awards`, t.district, { awards });
    freezeClock(AT.lastNoticeDay);
    const early = await award([{ submissionId: t.s1, tierId: 'first' }]);
    expect([early.status, early.body.code]).toEqual([409, 'NOTICE_NOT_ENDED']);
    freezeClock(AT.afterNotice);
    const table = await snapshot(e2e.tableName);
    const overTier = await award([
      { submissionId: t.s1, tierId: 'first' },
      { submissionId: t.s2, tierId: 'first' },
    ]);
    expect([overTier.status, overTier.body.code]).toEqual([409, 'AWARD_OVER_TIER']);
    const overBudget = await award([
      { submissionId: t.s1, tierId: 'first' },
      { submissionId: t.s2, tierId: 'second' },
    ]);
    expect([overBudget.status, overBudget.body.code]).toEqual([409, 'AWARD_OVER_BUDGET']);
    const ineligible = await award([{ submissionId: t.s3, tierId: 'second' }]);
    expect(ineligible.status).toBe(400);
    expect(await snapshot(e2e.tableName)).toBe(table);
  }, 120_000);

  it("an award enters each core member's record and the team's history, and reaches the city once though the first put fails", async () => {
    // The city bus refuses the first put (as PutEvents does in an outage): the stream retries it.
    bus.failPuts(FEATURED_DETAIL_TYPE, 1);
    const metrics: string[] = [];
    const restore = setMetricSink((line) => metrics.push(line));
    const res = await api.post(`/featured-calls/${t.callId}/awards`, t.district, {
      awards: [{ submissionId: t.s1, tierId: 'first' }],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ awardedAmount: 50000, budget: 60000, city: 'queued' });
    // The outbox item was written in the awards' transaction; the stream delivers it.
    await e2e.streams.settle(60_000);
    restore();
    expect(bus.refusedPuts.map((p) => p.detailType)).toEqual([FEATURED_DETAIL_TYPE]);
    const outbox = (await allItems(e2e.tableName)).filter((i) => String(i.sk).startsWith('CITYOUT#'));
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      batchId: res.body.cityDeliveryId,
      status: 'sent',
      failedAttempts: 1,
      detailType: FEATURED_DETAIL_TYPE,
    });
    expect(String(outbox[0]!.lastError)).toContain('InternalFailure');
    // The failed put is a metric (alarmed: city-deliveries-failed), with the awards function's dimensions.
    const failed = metrics.map((l) => JSON.parse(l)).filter((d) => d.CityDeliveriesFailed !== undefined);
    expect(failed.map((d) => [d.CityDeliveriesFailed, d.Function])).toEqual([[1, 'awards']]);
    expect(e2e.streams.failures).toEqual([]);
    const award = res.body.awards[0];
    expect(award).toMatchObject({
      kind: 'featured-project',
      title: '2026年度特色项目 · 一等奖',
      tierRank: 1,
      amount: 50000,
      rank: 1,
      total: '82.27',
      awardedOn: '2026-05-19',
      conditions: { keepRunningUntil: '2027-05-19', reportDueOn: '2026-11-19' },
    });
    for (const m of t.t1.core) {
      const mine = await api.get('/members/me/awards', m.token);
      expect(
        mine.body.items.map((a: { awardId: string }) => a.awardId),
        m.memberId,
      ).toEqual([award.awardId]);
      // The same entry is the awards part of the five-part record.
      const record = await api.get('/members/me/record', m.token);
      expect(record.body.awards, m.memberId).toEqual([
        expect.objectContaining({ awardId: award.awardId, kind: 'featured-project' }),
      ]);
    }
    expect((await api.get('/members/me/awards', t.reviewers[0]!.token)).body.items).toEqual([]);
    const history = await api.get(`/teams/${t.t1.teamId}/awards`, t.reviewers[0]!.token);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0].status).toEqual({ keepRunning: 'running', report: 'due' });

    // Counting the first batch, a second-tier award (20000) would pass 60000: refused, nothing written.
    const table = await snapshot(e2e.tableName);
    const over = await api.post(`/featured-calls/${t.callId}/awards`, t.district, {
      awards: [{ submissionId: t.s2, tierId: 'second' }],
    });
    expect([over.status, over.body.code]).toEqual([409, 'AWARD_OVER_BUDGET']);
    const twice = await api.post(`/featured-calls/${t.callId}/awards`, t.district, {
      awards: [{ submissionId: t.s1, tierId: 'second' }],
    });
    expect(twice.status).toBe(409);
    expect(await snapshot(e2e.tableName)).toBe(table);

    // The city: the same shape as its other events (source pioneer.district), delivered once, stored once per award.
    const featured = bus.deliveries.filter((d) => d.detailType === FEATURED_DETAIL_TYPE);
    expect(featured).toHaveLength(1);
    const delivery = featured[0];
    expect(delivery).toMatchObject({ ok: true, function: 'city', attempts: 1 });
    expect(delivery?.event.source).toBe('pioneer.district');
    const city = await api.get('/city/featured-projects?year=2026', t.city);
    expect(city.status).toBe(200);
    expect(city.body.items).toHaveLength(1);
    expect(city.body.items[0]).toMatchObject({
      district: 'jinjiang',
      awardId: award.awardId,
      teamName: '红星义诊队',
      tierId: 'first',
      amount: 50000,
    });
    expect((await allItems(bus.tableName)).filter((i) => String(i.pk).startsWith('FEATURED#'))).toHaveLength(1);
    // Delivered again (a retried batch, EventBridge's at-least-once): the city still holds it once.
    await invokeFunction('city', delivery!.event);
    expect((await allItems(bus.tableName)).filter((i) => String(i.pk).startsWith('FEATURED#'))).toHaveLength(1);
    expect((await api.get('/city/featured-projects?year=2026', t.district)).status).toBe(403);
  }, 120_000);

  it("lists the district's calls by year and status, each reviewer's own assignments, and the award report", async () => {
    // The calls: this year's, in the state it is in today (the notice is over: awarding).
    const calls = await api.get('/featured-calls?year=2026', t.reviewers[1]!.token);
    expect(calls.status, calls.text).toBe(200);
    expect(calls.body.items).toEqual([
      expect.objectContaining({
        callId: t.callId,
        year: 2026,
        status: 'awarding',
        budget: 60000,
        awardedAmount: 50000,
      }),
    ]);
    expect(calls.body.items[0].ranking).toBeUndefined();
    expect(
      (await api.get('/featured-calls?status=awarding', t.district)).body.items.map(
        (c: { callId: string }) => c.callId,
      ),
    ).toEqual([t.callId]);
    expect((await api.get('/featured-calls?status=open', t.district)).body.items).toEqual([]);
    expect((await api.get('/featured-calls?year=2025', t.district)).body.items).toEqual([]);

    // A reviewer's own assignments, newest first, each with whether the scores are in.
    const mine = await api.get('/members/me/review-assignments', t.reviewers[0]!.token);
    expect(mine.status, mine.text).toBe(200);
    // Both assigned at the same (frozen) instant: newest first, then by call and submission id, descending.
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          submissionId: t.s2,
          status: 'submitted',
          teamName: '红海棠志愿队',
          projectTitle: '红海棠',
        }),
        expect.objectContaining({
          callId: t.callId,
          submissionId: t.s1,
          status: 'submitted',
          callTitle: CALL_BODY.title,
          year: 2026,
          teamName: '红星义诊队',
        }),
      ]),
    );
    expect(mine.body.items.map((a: { submissionId: string }) => a.submissionId)).toEqual([t.s1, t.s2].sort().reverse());
    const fourth = await api.get('/members/me/review-assignments', t.reviewers[4]!.token);
    expect(fourth.body.items.map((a: { submissionId: string }) => a.submissionId)).toEqual([t.s1]);
    const neighbour = await api.get('/members/me/review-assignments?limit=1', t.neighbour.token);
    expect(neighbour.body.items.map((a: { submissionId: string }) => a.submissionId)).toEqual([t.s2]);

    // The award report: each award with tier, amount, team and conditions; budget and tiers used and left.
    const report = await api.get(`/featured-calls/${t.callId}/award-report`, t.city);
    expect(report.status, report.text).toBe(200);
    expect(report.body).toMatchObject({
      callId: t.callId,
      year: 2026,
      asOf: '2026-05-19',
      budget: 60000,
      budgetUsed: 50000,
      budgetLeft: 10000,
      tiers: [
        { tierId: 'first', count: 1, amount: 50000, awarded: 1, left: 0 },
        { tierId: 'second', count: 2, amount: 20000, awarded: 0, left: 2 },
      ],
    });
    expect(report.body.awards).toHaveLength(1);
    expect(report.body.awards[0]).toMatchObject({
      submissionId: t.s1,
      teamId: t.t1.teamId,
      teamName: '红星义诊队',
      tierId: 'first',
      amount: 50000,
      conditions: { keepRunningUntil: '2027-05-19', reportDueOn: '2026-11-19' },
      teamActive: true,
      status: { keepRunning: 'running', report: 'due' },
    });
    expect(report.body.cityDeliveries).toEqual([
      expect.objectContaining({ awards: 1, status: 'sent', failedAttempts: 1 }),
    ]);
    // After the report's due date it is overdue; after the keep-running date the condition is met.
    freezeClock('2026-11-20T02:00:00.000Z');
    const late = await api.get(`/featured-calls/${t.callId}/award-report`, t.district);
    expect([late.body.asOf, late.body.awards[0].status]).toEqual([
      '2026-11-20',
      { keepRunning: 'running', report: 'overdue' },
    ]);
    freezeClock('2027-05-20T02:00:00.000Z');
    const kept = await api.get(`/featured-calls/${t.callId}/award-report`, t.district);
    expect(kept.body.awards[0].status).toEqual({ keepRunning: 'met', report: 'overdue' });
  }, 120_000);

  it("a team barred after its top award: the next year's submission is explained as ineligible", async () => {
    freezeClock('2027-02-01T02:00:00.000Z');
    const next = await api.post('/featured-calls', t.district, {
      ...CALL_BODY,
      year: 2027,
      opensOn: '2027-02-01',
      closesOn: '2027-03-31',
      evidenceFrom: '2026-04',
      evidenceTo: '2027-03',
    });
    expect(next.status, next.text).toBe(201);
    const res = await api.post(
      `/featured-calls/${next.body.callId}/submissions`,
      t.t1.leader.token,
      submissionBody(ids(t.t1)),
    );
    expect(res.status, res.text).toBe(201);
    const barred = res.body.eligibility.checks.find((c: { rule: string }) => c.rule === 'barredAfterTopAward');
    expect(barred).toEqual({
      rule: 'barredAfterTopAward',
      passed: false,
      detail: 'the team won the top tier in 2026; barred for 2 year(s) after',
    });
  }, 120_000);
});

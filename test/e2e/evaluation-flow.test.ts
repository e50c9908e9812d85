import { beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../shared/domain/clock.ts';
import { dayOf, monthOf } from '../../shared/domain/time.ts';
import { signupItem } from '../../shared/db/activities.ts';
import { putNew } from '../../shared/db/writes.ts';
import { applyChange, postFact } from '../../shared/services/ledger.ts';
import { verifyCounters } from '../../shared/services/verify.ts';
import { liveCounters } from '../support/counters.ts';
import { mint, useE2e, type Member } from '../support/e2e.ts';
import { allItems } from '../support/inspect.ts';
import { feedLedger } from '../support/ledger.ts';
import { seedRecord } from '../support/records.ts';

/**
 * Over HTTP: members serve (records), the ledger consumer posts their points (fed here as the
 * table's stream would: test/support/ledger.ts), members read their points and ranks, the
 * community evaluates a service, a revoked record takes its points back, the fifth star waits for
 * a district admin, and the five-part record shows it all, as JSON and as a printable page.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { street: '', community: '', otherCommunity: '', team: '', leader: '' };
let a: Member;
let b: Member;
let c: Member;
const t: Record<string, string> = {};
const records: Record<string, string> = {};
const year = () => monthOf(nowIso()).slice(0, 4);
const ID_NUMBER = '11010519491231002X';

beforeAll(async () => {
  const place = await e2e.place();
  ids.street = place.streetId;
  ids.community = place.communityId;
  ids.otherCommunity = await e2e.community(ids.street, '另一社区');
  a = await e2e.checkedInMember({ communityId: ids.community, name: '李小龙', profile: { idNumber: ID_NUMBER } });
  b = await e2e.checkedInMember({ communityId: ids.community, name: '王芳' });
  c = await e2e.checkedInMember({ communityId: ids.community, name: '赵老兵' });
  const team = await e2e.team({ communityId: ids.community, name: '红星义诊队' });
  ids.team = team.teamId;
  ids.leader = team.leader.memberId;
  t.leader = team.leader.token;
  t.admin = await mint.communityAdmin(ids.community);
  t.otherAdmin = await mint.communityAdmin(ids.otherCommunity);
  t.district = await mint.districtAdmin();
  const at = { team: { teamId: ids.team, leaderName: '队长' }, communityId: ids.community, streetId: ids.street };
  const today = dayOf(nowIso());
  records.a1 = (
    await seedRecord({ ...at, memberId: a.memberId, memberName: '李小龙', hours: 3, date: today })
  ).recordId;
  records.a2 = (
    await seedRecord({ ...at, memberId: a.memberId, memberName: '李小龙', hours: 2, date: today })
  ).recordId;
  records.b1 = (await seedRecord({ ...at, memberId: b.memberId, memberName: '王芳', hours: 4, date: today })).recordId;
  records.old = (
    await seedRecord({ ...at, memberId: b.memberId, memberName: '王芳', hours: 1, date: '2024-04-02' })
  ).recordId;
  expect(await feedLedger()).toBeGreaterThan(0);
  // Delivering every fact again posts nothing.
  expect(await feedLedger()).toBe(0);
});

describe('record-based evaluation over HTTP', () => {
  it('a member reads their points, star and entries, with the rules that made them', async () => {
    const res = await api.get('/members/me/points', a.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ star: 0, fifthStarDue: false, totalHours: 5, totalPoints: 5 });
    expect(res.body.year).toEqual({ period: year(), points: 5, hours: 5 });
    expect(res.body.items.map((e: { rule: string; points: number }) => [e.rule, e.points]).sort()).toEqual([
      ['service-hours', 2],
      ['service-hours', 3],
    ]);
    expect(res.body.rules.map((r: { code: string }) => r.code)).toContain('service-hours');
  });

  it('ranks the community by points, names masked, and tells each member their place', async () => {
    const res = await api.get(`/rankings/members?scope=community&id=${ids.community}&period=${year()}`, c.token);
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { memberId: string; points: number }) => [r.memberId, r.points])).toEqual([
      [a.memberId, 5],
      [b.memberId, 5],
    ]);
    // A tie on points and hours (b's record of a 2024 service was recorded, so counts, this year)
    // goes to who reached the score first: a's records were recorded before b's.
    expect(res.body.items[0].reachedAt < res.body.items[1].reachedAt).toBe(true);
    expect(res.body.items[0].name).toBe('李*');
    expect(res.text).not.toContain('李小龙');
    const mine = await api.get(`/rankings/members/me?scope=district&id=jinjiang&period=${year()}`, b.token);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ ranked: true, rank: 2, points: 5 });
    const none = await api.get(`/rankings/members/me?scope=district&id=jinjiang&period=${year()}`, c.token);
    expect(none.body).toEqual({ ranked: false, points: 0, hours: 0 });
    const teams = await api.get(`/rankings/teams?period=${year()}`, c.token);
    expect(teams.body.items).toEqual([
      expect.objectContaining({ rank: 1, teamId: ids.team, name: '红星义诊队', points: 10, hours: 10 }),
    ]);
  });

  it('the community evaluates a service once, within 10 working days; it earns points', async () => {
    const res = await api.post(`/service-records/${records.a1}/evaluation`, t.admin, {
      rating: 'excellent',
      note: '服务耐心细致',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ recordId: records.a1, memberId: a.memberId, rating: 'excellent' });
    const again = await api.post(`/service-records/${records.a1}/evaluation`, t.admin, { rating: 'good' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_EVALUATED');
    const late = await api.post(`/service-records/${records.old}/evaluation`, t.admin, { rating: 'good' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('EVALUATION_CLOSED');
    expect(await feedLedger()).toBe(1);
    const points = await api.get('/members/me/points', a.token);
    expect(points.body.totalPoints).toBe(8);
    expect(points.body.totalHours).toBe(5);
  });

  it('a revoked record (corrected to 0 h) takes its points back with a reversal; nothing is rewritten', async () => {
    const asked = await api.post(`/service-records/${records.a2}/corrections`, a.token, {
      requestedHours: 0,
      reason: '未实际参加',
    });
    expect(asked.status).toBe(201);
    const accepted = await api.post(
      `/service-records/${records.a2}/corrections/${asked.body.correctionId}/accept`,
      t.leader,
      { hours: 0 },
    );
    expect(accepted.status).toBe(200);
    const before = (await allItems()).filter((i) => i.type === 'ledger-entry').map((i) => JSON.stringify(i));
    expect(await feedLedger()).toBe(2);
    const after = (await allItems()).filter((i) => i.type === 'ledger-entry').map((i) => JSON.stringify(i));
    for (const e of before) expect(after).toContain(e);
    const points = await api.get('/members/me/points', a.token);
    expect(points.body).toMatchObject({ totalPoints: 6, totalHours: 3 });
    expect(
      points.body.items
        .filter((e: { sourceId: string }) => e.sourceId === records.a2)
        .map((e: { effect: string; points: number }) => [e.effect, e.points])
        .sort(),
    ).toEqual([
      ['grant', 0],
      ['grant', 2],
      ['reversal', -2],
    ]);
  });

  it('the fifth star waits for a district admin, who approves it once; the change is recorded', async () => {
    await postFact({
      kind: 'service-record',
      id: 'sr-long-service',
      memberId: c.memberId,
      at: nowIso(),
      postedAt: nowIso(),
      revision: 0,
      units: 1500,
      hours: 1500,
      place: { streetId: ids.street, communityId: ids.community },
    });
    const mine = await api.get('/members/me/points', c.token);
    expect(mine.body).toMatchObject({ star: 4, fifthStarDue: true });
    const due = await api.get('/star-reviews', t.district);
    expect(due.status).toBe(200);
    expect(due.body.items).toEqual([{ memberId: c.memberId, name: '赵老兵', hours: 1500, points: 24 }]);
    const ok = await api.post(`/members/${c.memberId}/fifth-star`, t.district, { approve: true, note: '记录齐全' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ memberId: c.memberId, star: 5, hours: 1500 });
    const again = await api.post(`/members/${c.memberId}/fifth-star`, t.district, { approve: true, note: '再批' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('FIFTH_STAR_NOT_DUE');
    expect((await api.get('/star-reviews', t.district)).body.items).toEqual([]);
    expect((await api.get('/members/me/points', c.token)).body).toMatchObject({ star: 5, fifthStarDue: false });
    const changes = (await allItems()).filter((i) => i.type === 'star-change' && i.memberId === c.memberId);
    expect(changes.map((s) => [s.from, s.to])).toEqual([
      [0, 4],
      [4, 5],
    ]);
  });

  it('the five-part record: personal information masked as the policy says, service, training, awards, evaluations', async () => {
    const res = await api.get('/members/me/record', a.token);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([
      'awards',
      'evaluations',
      'generatedAt',
      'personal',
      'service',
      'training',
    ]);
    expect(res.body.personal).toMatchObject({ memberId: a.memberId, name: '李小龙', phone: '13912345678', star: 0 });
    expect(res.body.personal.idNumber).toBe('110***********002X');
    expect(res.body.service).toMatchObject({ totalHours: 3, recordCount: 2, latestOnly: false });
    expect(res.body.service.entries).toHaveLength(2);
    expect(res.body.training).toEqual([]);
    expect(res.body.awards).toEqual([]);
    expect(res.body.evaluations).toEqual([expect.objectContaining({ recordId: records.a1, rating: 'excellent' })]);
    const page = await api.get('/members/me/record', a.token, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('志愿者档案');
    expect(page.text).toContain('优秀');
    expect(page.text).not.toContain(ID_NUMBER);
    const byAdmin = await api.get(`/members/${a.memberId}/record`, t.admin);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.personal.phone).toBe('13912345678');
    const byOther = await api.get(`/members/${a.memberId}/record`, t.otherAdmin);
    expect(byOther.status).toBe(404);
  });

  it('points and stars are counted per scope and month, as the statistics, CSV, rollup and city read them', async () => {
    const month = monthOf(nowIso());
    // a: 3 + 2 + 3 (evaluation) - 2 (revoked) = 6; b: 4 + 1; c: 24 (capped) and 4 + 1 stars.
    expect(await liveCounters('community', ids.community, month)).toMatchObject({ points: 35, starsGained: 5 });
    expect(await liveCounters('team', ids.team, month)).toMatchObject({ points: 8 });
    const stats = await api.get(`/stats/monthly?scope=community&id=${ids.community}&month=${month}`, t.admin);
    expect(stats.body.figures).toMatchObject({ points: 35, starsGained: 5 });
    const csv = await api.get(`/stats/monthly.csv?scope=community&id=${ids.community}&month=${month}`, t.admin);
    expect(csv.text.split('\r\n')[0]).toContain('points,starsGained');
    // verify-counters rebuilds them from the entries and star changes (the record fixtures count
    // their hours only, not their times: that counter is left out here).
    const verified = await verifyCounters({ month });
    expect(verified.differences.filter((d) => ['points', 'starsGained'].includes(d.counter))).toEqual([]);
    expect(verified.itemsRead).toBeGreaterThan(10);
  });

  it("no-shows: found when a close lands (once), seen by the member, contested, excused; the community's review at the threshold", async () => {
    const closeOf = (activityId: string) => ({
      type: 'activity-close',
      activityId,
      teamId: ids.team,
      streetId: ids.street,
      communityId: ids.community,
      peopleServed: 10,
      closedAt: nowIso(),
    });
    const signup = (activityId: string, memberId: string, checkedIn: boolean) =>
      signupItem({
        activityId,
        memberId,
        memberName: memberId === b.memberId ? '王芳' : '李小龙',
        status: 'confirmed',
        ticket: 1,
        signedUpAt: nowIso(),
        ...(checkedIn ? { checkedInAt: nowIso(), checkedOutAt: nowIso() } : {}),
      });
    // Five closes where b never came (a came to the first): the fifth opens the review.
    for (let i = 0; i < 5; i++) {
      const activityId = `ac-noshow-${i}`;
      await putNew(signup(activityId, b.memberId, false));
      if (i === 0) await putNew(signup(activityId, a.memberId, true));
      expect(await applyChange({ eventName: 'INSERT', newImage: closeOf(activityId) })).toEqual({
        posted: 0,
        noShows: 1,
      });
      // The same close delivered again finds nothing new.
      expect(await applyChange({ eventName: 'INSERT', newImage: closeOf(activityId) })).toEqual({ posted: 0 });
    }
    const mine = await api.get('/members/me/no-shows', b.token);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ year: year(), count: 5, reviewThreshold: 5 });
    expect(mine.body.items).toHaveLength(5);
    expect((await api.get('/members/me/no-shows', a.token)).body.count).toBe(0);
    const reviews = await api.get(`/communities/${ids.community}/no-show-reviews`, t.admin);
    expect(reviews.status).toBe(200);
    expect(reviews.body.items).toEqual([
      expect.objectContaining({ memberId: b.memberId, count: 5, year: year(), memberName: '王芳' }),
    ]);
    // b contests one; the team's leader excuses it: the count falls, the review stays (a to-do, not a ban).
    const contested = await api.post('/members/me/no-shows/ac-noshow-2/correction', b.token, { reason: '临时住院' });
    expect(contested.status).toBe(200);
    expect(contested.body.status).toBe('contested');
    const twice = await api.post('/members/me/no-shows/ac-noshow-2/correction', b.token, { reason: '再申请' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('NO_SHOW_NOT_CONTESTABLE');
    const notContested = await api.post(`/no-shows/ac-noshow-3/members/${b.memberId}/decision`, t.leader, {
      excuse: true,
      reason: '无',
    });
    expect(notContested.status).toBe(409);
    expect(notContested.body.code).toBe('NO_SHOW_NOT_CONTESTED');
    const excused = await api.post(`/no-shows/ac-noshow-2/members/${b.memberId}/decision`, t.leader, {
      excuse: true,
      reason: '有住院证明',
    });
    expect(excused.status).toBe(200);
    expect(excused.body).toMatchObject({ status: 'excused', decisionReason: '有住院证明' });
    expect((await api.get('/members/me/no-shows', b.token)).body.count).toBe(4);
    expect((await api.get(`/communities/${ids.community}/no-show-reviews`, t.admin)).body.items).toHaveLength(1);
  });
});

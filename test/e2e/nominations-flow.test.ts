import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { allItems } from '../support/inspect.ts';
import { feedLedger } from '../support/ledger.ts';
import { seedRecord } from '../support/records.ts';
import { mint, tokenFor, useE2e, type Member } from '../support/e2e.ts';

/**
 * Exemplary nominations over HTTP: nominated with the evidence, reviewed, on public notice for 5
 * working days with the name masked, objected to (the reviewer told), approved only after the
 * notice by a third person, an award in the member's record; the reserve-cadre pool from the
 * approved title. After every step, every audit entry written before is unchanged.
 */
const e2e = useE2e();
const { api } = e2e;
const t = {} as {
  street: string;
  community: string;
  nominee: Member;
  admin: string;
  adminId: string;
  leader: Member;
  reviewer: string;
  reviewerId: string;
  streetAdmin: string;
  n1: string;
  n2: string;
};

const seen = new Map<string, string>();
/** Every audit entry seen so far is still there, byte for byte; returns the new ones' actions. */
async function auditStep(): Promise<string[]> {
  const audit = (await allItems()).filter((i) => i.type === 'nomination-audit');
  for (const [key, was] of seen)
    expect(JSON.stringify(audit.find((i) => `${i.pk}|${i.sk}` === key)), `audit entry ${key} changed or vanished`).toBe(
      was,
    );
  const added: string[] = [];
  for (const i of audit) {
    const key = `${i.pk}|${i.sk}`;
    if (!seen.has(key)) {
      seen.set(key, JSON.stringify(i));
      added.push(String(i.action));
    }
  }
  return added.sort();
}

beforeAll(async () => {
  freezeClock('2026-12-07T02:00:00.000Z'); // a Monday, 10:00 in Shanghai
  const place = await e2e.place();
  t.street = place.streetId;
  t.community = place.communityId;
  t.nominee = await e2e.checkedInMember({ communityId: t.community, name: '王小明' });
  const team = await e2e.team({ communityId: t.community });
  await seedRecord({
    memberId: t.nominee.memberId,
    memberName: '王小明',
    team: { teamId: team.teamId, leaderName: '队长' },
    communityId: t.community,
    streetId: t.street,
    hours: 5,
    date: '2026-12-01',
  });
  await feedLedger();
  t.adminId = 'nominating-admin';
  t.admin = await tokenFor({ role: 'community_admin', communityId: t.community, memberId: t.adminId });
  t.leader = team.leader;
  await e2e.joinRequest(team.teamId, t.nominee);
  const ok = await api.post(`/teams/${team.teamId}/members/${t.nominee.memberId}/approve`, t.leader.token);
  expect(ok.status, ok.text).toBe(200);
  t.reviewerId = 'reviewing-admin';
  t.reviewer = await mint.districtAdmin({ memberId: t.reviewerId });
  t.streetAdmin = await mint.streetAdmin(t.street);
}, 120_000);
afterAll(() => resetClock());

describe('exemplary nominations', () => {
  it('a community admin nominates with the evidence as it stands; a leader too; nobody themselves; out of scope 404', async () => {
    const res = await api.post('/nominations', t.admin, {
      memberId: t.nominee.memberId,
      title: '2026年度优秀党员志愿者',
      reason: '常年参与社区义诊',
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      memberId: t.nominee.memberId,
      memberName: '王小明',
      communityId: t.community,
      streetId: t.street,
      level: 'district',
      status: 'under-review',
      nominatedBy: t.adminId,
      nominatorRole: 'community_admin',
      objections: 0,
      evidence: {
        year: '2026',
        confirmedHours: 5,
        points: 5,
        yearPoints: 5,
        star: 0,
        ratings: { count: 0, excellent: 0, good: 0, fair: 0, poor: 0 },
        noShows: 0,
      },
    });
    t.n1 = res.body.nominationId;
    expect(await auditStep()).toEqual(['nominated']);

    const byLeader = await api.post('/nominations', t.leader.token, {
      memberId: t.nominee.memberId,
      title: '优秀队员',
      reason: '服务积极',
      level: 'community',
    });
    expect(byLeader.status, byLeader.text).toBe(201);
    expect(byLeader.body.nominatorRole).toBe('team_leader');
    t.n2 = byLeader.body.nominationId;
    expect(await auditStep()).toEqual(['nominated']);

    const self = await api.post('/nominations', t.leader.token, {
      memberId: t.leader.memberId,
      title: '优秀队长',
      reason: '自荐',
    });
    expect([self.status, self.body.code]).toEqual([403, 'SAME_PERSON']);
    const other = await e2e.community(t.street, '别的社区');
    const outsider = await mint.communityAdmin(other);
    const out = await api.post('/nominations', outsider, { memberId: t.nominee.memberId, title: 'x', reason: 'y' });
    expect([out.status, out.body.code]).toEqual([404, 'NOT_FOUND']);
    expect(await auditStep()).toEqual([]);
  });

  it('a district admin opens the notice (not the nominee): 5 working days after today; the public page masks the name', async () => {
    const asNominee = await mint.districtAdmin({ memberId: t.nominee.memberId });
    const refused = await api.post(`/nominations/${t.n1}/notice`, asNominee);
    expect([refused.status, refused.body.code]).toEqual([403, 'SAME_PERSON']);
    const res = await api.post(`/nominations/${t.n1}/notice`, t.reviewer);
    expect(res.status, res.text).toBe(200);
    // Monday 7 December: Tuesday 8 .. Friday 11, Monday 14 are the 5 working days.
    expect(res.body).toMatchObject({
      status: 'on-notice',
      reviewerId: t.reviewerId,
      noticeFrom: '2026-12-07',
      noticeUntil: '2026-12-14',
    });
    const again = await api.post(`/nominations/${t.n1}/notice`, t.reviewer);
    expect([again.status, again.body.code]).toEqual([409, 'NOMINATION_NOT_UNDER_REVIEW']);
    expect((await api.post(`/nominations/${t.n2}/notice`, t.reviewer)).status).toBe(200);
    expect(await auditStep()).toEqual(['notice-opened', 'notice-opened']);

    const page = await api.get('/nomination-notices');
    expect(page.status).toBe(200);
    expect(page.body.items.map((i: { nominationId: string }) => i.nominationId).sort()).toEqual([t.n1, t.n2].sort());
    expect(page.body.items[0]).toMatchObject({ name: '王*', communityId: t.community, noticeUntil: '2026-12-14' });
    expect(page.text).not.toContain('王小明');
    expect(page.text).not.toContain(t.nominee.memberId);
  });

  it('anyone signed in objects during the notice, through its last day; the reviewer is told', async () => {
    const neighbour = await e2e.member('邻居');
    const res = await api.post(`/nominations/${t.n1}/objections`, neighbour.token, { text: '今年有两次未到岗' });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ nominationId: t.n1, text: '今年有两次未到岗' });
    expect(res.body.by).toBeUndefined();
    freezeClock('2026-12-14T15:00:00.000Z'); // 23:00 on the notice's last day, Shanghai
    const late = await api.post(`/nominations/${t.n1}/objections`, neighbour.token, { text: '补充：时长有误' });
    expect(late.status, late.text).toBe(201);
    expect(await auditStep()).toEqual(['objected', 'objected']);
    const notices = (await allItems()).filter(
      (i) => i.type === 'outbox' && (i.notice as { type: string }).type === 'nomination-objection',
    );
    expect(notices.map((i) => (i.notice as { recipient: unknown }).recipient)).toEqual([
      { kind: 'member', id: t.reviewerId },
      { kind: 'member', id: t.reviewerId },
    ]);
    const file = await api.get(`/nominations/${t.n1}`, t.reviewer);
    expect(file.body.nomination.objections).toBe(2);
    expect(file.body.objections.map((o: { by: string }) => o.by)).toEqual([neighbour.memberId, neighbour.memberId]);
    // The nominator sees the objections, not who made them.
    const mine = await api.get(`/nominations/${t.n1}`, t.admin);
    expect(mine.status).toBe(200);
    expect(mine.body.objections[0].by).toBeUndefined();
  });

  it('no decision before the notice ends (working days); then a third person approves: an award in the record', async () => {
    const early = await api.post(`/nominations/${t.n1}/decision`, t.reviewer, { approve: true, note: '核实' });
    expect([early.status, early.body.code]).toEqual([409, 'NOTICE_NOT_ENDED']);
    freezeClock('2026-12-15T01:00:00.000Z'); // 09:00 on Tuesday 15 December
    const neighbour = await e2e.member('邻居二');
    const over = await api.post(`/nominations/${t.n1}/objections`, neighbour.token, { text: '太晚了' });
    expect([over.status, over.body.code]).toEqual([409, 'NOTICE_OVER']);
    const asNominator = await mint.districtAdmin({ memberId: t.adminId });
    const refused = await api.post(`/nominations/${t.n1}/decision`, asNominator, { approve: true, note: '同意' });
    expect([refused.status, refused.body.code]).toEqual([403, 'SAME_PERSON']);
    expect(await auditStep()).toEqual([]);

    const res = await api.post(`/nominations/${t.n1}/decision`, t.reviewer, { approve: true, note: '异议已核实' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'approved', decidedBy: t.reviewerId, decisionNote: '异议已核实' });
    const again = await api.post(`/nominations/${t.n1}/decision`, t.reviewer, { approve: false, note: '撤回' });
    expect([again.status, again.body.code]).toEqual([409, 'NOMINATION_NOT_ON_NOTICE']);
    const rejected = await api.post(`/nominations/${t.n2}/decision`, t.reviewer, { approve: false, note: '材料不足' });
    expect(rejected.body).toMatchObject({ status: 'rejected' });
    expect(rejected.body.awardId).toBeUndefined();
    expect(await auditStep()).toEqual(['approved', 'rejected']);

    const record = await api.get('/members/me/record', t.nominee.token);
    expect(record.body.awards).toEqual([
      {
        awardId: res.body.awardId,
        kind: 'exemplary',
        title: '2026年度优秀党员志愿者',
        level: 'district',
        issuer: 'jinjiang',
        nominationId: t.n1,
        awardedOn: '2026-12-15',
        awardedBy: t.reviewerId,
      },
    ]);
    const html = await api.get('/members/me/record', t.nominee.token, { accept: 'text/html' });
    expect(html.text).toContain('2026年度优秀党员志愿者');
    const awards = await api.get('/members/me/awards', t.nominee.token);
    expect(awards.body.items.map((a: { awardId: string }) => a.awardId)).toEqual([res.body.awardId]);
    expect((await api.get('/nomination-notices')).body.items).toEqual([]);
  });

  it('the reserve-cadre pool: from an approved nomination, with basis and yearly review; exit with reason; street and district only', async () => {
    const fromRejected = await api.post('/reserve-cadres', t.streetAdmin, { nominationId: t.n2, basis: '先进' });
    expect([fromRejected.status, fromRejected.body.code]).toEqual([409, 'NOMINATION_NOT_APPROVED']);
    const res = await api.post('/reserve-cadres', t.streetAdmin, { nominationId: t.n1, basis: '先进典型，群众认可' });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      memberId: t.nominee.memberId,
      communityId: t.community,
      streetId: t.street,
      nominationId: t.n1,
      basis: '先进典型，群众认可',
      reviewDueOn: '2027-12-15',
      status: 'active',
    });
    const twice = await api.post('/reserve-cadres', t.reviewer, { nominationId: t.n1, basis: '再次' });
    expect([twice.status, twice.body.code]).toEqual([409, 'ALREADY_IN_POOL']);
    expect(await auditStep()).toEqual(['admitted']);

    const street = await api.get('/reserve-cadres', t.streetAdmin);
    expect(street.body.items.map((c: { memberId: string }) => c.memberId)).toEqual([t.nominee.memberId]);
    const community = await api.get(`/reserve-cadres?streetId=${t.street}&communityId=${t.community}`, t.reviewer);
    expect(community.body.items).toHaveLength(1);
    const district = await api.get('/reserve-cadres', t.reviewer);
    expect(district.body.items.map((c: { memberId: string }) => c.memberId)).toContain(t.nominee.memberId);
    const otherStreet = await mint.streetAdmin(await e2e.street('别的街道'));
    const peek = await api.get(`/reserve-cadres?streetId=${t.street}`, otherStreet);
    expect([peek.status, peek.body.code]).toEqual([403, 'FORBIDDEN']);
    const exitOther = await api.post(`/reserve-cadres/${t.nominee.memberId}/exit`, otherStreet, { reason: 'x' });
    expect([exitOther.status, exitOther.body.code]).toEqual([404, 'NOT_FOUND']);

    const exit = await api.post(`/reserve-cadres/${t.nominee.memberId}/exit`, t.reviewer, { reason: '调任其他社区' });
    expect(exit.status, exit.text).toBe(200);
    expect(exit.body).toMatchObject({ status: 'exited', exitReason: '调任其他社区', exitedBy: t.reviewerId });
    const again = await api.post(`/reserve-cadres/${t.nominee.memberId}/exit`, t.reviewer, { reason: '再次' });
    expect([again.status, again.body.code]).toEqual([409, 'NOT_IN_POOL']);
    expect(await auditStep()).toEqual(['exited']);

    const file = await api.get(`/nominations/${t.n1}`, t.streetAdmin);
    // In time order (the clock here is frozen, so steps of one instant come in id order: sorted).
    expect(file.body.audit.map((a: { action: string }) => a.action).sort()).toEqual(
      ['nominated', 'notice-opened', 'objected', 'objected', 'approved', 'admitted', 'exited'].sort(),
    );
    const times = file.body.audit.map((a: { at: string }) => a.at);
    expect(times).toEqual([...times].sort());
  });

  it('a notice over a public holiday: opened Wednesday 30 September, it runs past National Day to 13 October', async () => {
    freezeClock('2026-09-30T02:00:00.000Z');
    const n = await api.post('/nominations', t.admin, {
      memberId: t.nominee.memberId,
      title: '国庆服务标兵',
      reason: '节日值守',
    });
    expect(n.status, n.text).toBe(201);
    const id = n.body.nominationId as string;
    const open = await api.post(`/nominations/${id}/notice`, t.reviewer);
    // 1-7 October are off and Saturday 10 October is worked: 8, 9, 10, 12 and 13 October.
    expect(open.body).toMatchObject({ noticeFrom: '2026-09-30', noticeUntil: '2026-10-13' });
    freezeClock('2026-10-13T08:00:00.000Z'); // 16:00 on Tuesday 13 October, Shanghai: the last day
    const early = await api.post(`/nominations/${id}/decision`, t.reviewer, { approve: false, note: '节前' });
    expect([early.status, early.body.code]).toEqual([409, 'NOTICE_NOT_ENDED']);
    freezeClock('2026-10-14T01:00:00.000Z');
    const res = await api.post(`/nominations/${id}/decision`, t.reviewer, { approve: false, note: '节后复核' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', noticeUntil: '2026-10-13' });
    expect(await auditStep()).toEqual(['nominated', 'notice-opened', 'rejected']);
  });
});

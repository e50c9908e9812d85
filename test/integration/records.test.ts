import { liveCounters } from '../support/counters.ts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import { allItems } from '../support/inspect.ts';
import { seedManyRecords, seedRecord, seedTeam } from '../support/records.ts';
import * as svc from '../../shared/services/records.ts';
import * as certificates from '../../shared/db/certificates.ts';
import { getMemberHours, getRecord } from '../../shared/db/records.ts';
import { CERT_NUMBER_PATTERN, MAX_CERT_RECORDS } from '../../shared/domain/certificate.ts';
import { freezeClock, nowIso, resetClock } from '../../shared/domain/clock.ts';
import { monthOf } from '../../shared/domain/time.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Team } from '../../shared/domain/team.ts';
import { codeOf, who } from '../support/callers.ts';

/** The records context's services and repositories against DynamoDB Local (no mocks). */

let n = 0;
const memberCaller = () => who('member', { memberId: `m-${process.pid}-${++n}` });
let team: Team;
let leader: Caller;

beforeAll(async () => {
  await useFreshTable();
  leader = who('team_leader', { memberId: 'lead-1' });
  team = await seedTeam({ leaderMemberId: leader.memberId });
  leader = { ...leader, teamId: team.teamId };
});
afterEach(() => resetClock());

const counter = async (scope: 'district' | 'street' | 'community' | 'team', id: string, month: string) => {
  return (await liveCounters(scope, id, month)).volunteerHours ?? 0;
};
const counters = async (month: string, streetId = 'st-a', communityId = 'co-a') => ({
  district: await counter('district', 'jinjiang', month),
  street: await counter('street', streetId, month),
  community: await counter('community', communityId, month),
  team: await counter('team', team.teamId, month),
});

describe('reading records', () => {
  it("lists a member's records newest first, a page at a time, with the total hours", async () => {
    const me = memberCaller();
    for (const [date, hours] of [
      ['2024-03-01', 2],
      ['2024-05-01', 1.5],
      ['2024-04-01', 3],
    ] as const)
      await seedRecord({ memberId: me.memberId, team, date, hours });
    const first = await svc.listMyRecords(me, 2, undefined);
    expect(first.items.map((r) => r.date)).toEqual(['2024-05-01', '2024-04-01']);
    expect(first.totalHours).toBe(6.5);
    expect(first.recordCount).toBe(3);
    const second = await svc.listMyRecords(me, 2, first.nextCursor);
    expect(second.items.map((r) => r.date)).toEqual(['2024-03-01']);
    expect(second.nextCursor).toBeUndefined();
    expect(await svc.listMyRecords(memberCaller(), 10, undefined)).toEqual({
      items: [],
      nextCursor: undefined,
      totalHours: 0,
      recordCount: 0,
    });
  });

  it('the member, the leader of its team and admins of its scope read a record; anyone else gets 404', async () => {
    const me = memberCaller();
    const r = await seedRecord({ memberId: me.memberId, team });
    expect((await svc.getRecord(me, r.recordId)).recordId).toBe(r.recordId);
    expect((await svc.getRecord(leader, r.recordId)).corrections).toEqual([]);
    for (const ok of [
      who('community_admin', { communityId: 'co-a' }),
      who('street_admin', { streetId: 'st-a' }),
      who('district_admin'),
    ])
      expect(await codeOf(svc.getRecord(ok, r.recordId))).toBe('ok');
    const otherTeam = await seedTeam({ leaderMemberId: 'lead-2' });
    for (const no of [
      memberCaller(),
      who('team_leader', { memberId: 'lead-2', teamId: otherTeam.teamId }),
      who('team_leader', { memberId: 'not-the-leader', teamId: team.teamId }),
      who('community_admin', { communityId: 'co-b' }),
      who('street_admin', { streetId: 'st-b' }),
    ])
      expect(await codeOf(svc.getRecord(no, r.recordId))).toBe('NOT_FOUND');
    expect(await codeOf(svc.getRecord(me, 'sr_nowhere'))).toBe('NOT_FOUND');
  });
});

describe('corrections', () => {
  it('a request is pending, noted in the history, and only one at a time', async () => {
    const me = memberCaller();
    const r = await seedRecord({ memberId: me.memberId, team, hours: 2 });
    const c = await svc.requestCorrection(me, r.recordId, { requestedHours: 3, reason: '签退晚了一小时' });
    expect(c).toMatchObject({
      status: 'pending',
      hoursBefore: 2,
      requestedHours: 3,
      recordId: r.recordId,
      memberId: me.memberId,
    });
    const stored = await getRecord(r.recordId, true);
    expect(stored!.pendingCorrectionId).toBe(c.correctionId);
    expect(stored!.hours).toBe(2);
    expect(stored!.history.at(-1)).toMatchObject({
      kind: 'correction-requested',
      correctionId: c.correctionId,
      hoursBefore: 2,
      requestedHours: 3,
      reason: '签退晚了一小时',
    });
    expect(await codeOf(svc.requestCorrection(me, r.recordId, { requestedHours: 4, reason: 'again' }))).toBe(
      'CORRECTION_ALREADY_PENDING',
    );
    expect(await codeOf(svc.requestCorrection(me, r.recordId, { requestedHours: 2, reason: 'same' }))).toBe(
      'CORRECTION_ALREADY_PENDING',
    );
    expect((await svc.getRecord(me, r.recordId)).corrections.map((x) => x.correctionId)).toEqual([c.correctionId]);
  });

  it('only the member corrects their record; the same hours are refused', async () => {
    const me = memberCaller();
    const r = await seedRecord({ memberId: me.memberId, team, hours: 2 });
    expect(await codeOf(svc.requestCorrection(memberCaller(), r.recordId, { requestedHours: 3, reason: 'x' }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(svc.requestCorrection(leader, r.recordId, { requestedHours: 3, reason: 'x' }))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(svc.requestCorrection(me, r.recordId, { requestedHours: 2, reason: 'x' }))).toBe(
      'CORRECTION_NO_CHANGE',
    );
  });

  it('accepting changes the record, the member hours and the counters of the acceptance month (Asia/Shanghai) exactly', async () => {
    freezeClock('2024-05-20T02:00:00.000Z');
    const me = memberCaller();
    const r = await seedRecord({ memberId: me.memberId, team, hours: 2, date: '2024-05-19' });
    await seedRecord({ memberId: me.memberId, team, hours: 1.5, date: '2024-05-18' });
    const c = await svc.requestCorrection(me, r.recordId, { requestedHours: 3.5, reason: '少记' });
    const may = await counters('2024-05');
    const june = await counters('2024-06');
    expect((await getMemberHours(me.memberId, true)).confirmedHours).toBe(3.5);

    freezeClock('2024-05-31T16:30:00.000Z'); // 2024-06-01 00:30 in Shanghai
    const accepted = await svc.acceptCorrection(leader, r.recordId, c.correctionId, { hours: 3 });
    expect(accepted).toMatchObject({ status: 'accepted', hoursAfter: 3, decidedBy: leader.sub });

    const after = await getRecord(r.recordId, true);
    expect(after!.hours).toBe(3);
    expect(after!.pendingCorrectionId).toBeUndefined();
    expect(after!.history.map((h) => h.kind)).toEqual(['created', 'correction-requested', 'correction-accepted']);
    expect(after!.history.at(-1)).toMatchObject({
      correctionId: c.correctionId,
      hoursBefore: 2,
      hoursAfter: 3,
      at: '2024-05-31T16:30:00.000Z',
    });
    expect(await getMemberHours(me.memberId, true)).toEqual({ confirmedHours: 4.5, records: 2 });
    expect(await counters('2024-05')).toEqual(may);
    expect(await counters('2024-06')).toEqual({
      district: june.district + 1,
      street: june.street + 1,
      community: june.community + 1,
      team: june.team + 1,
    });
    const stored = (await svc.getRecord(me, r.recordId)).corrections;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'accepted', hoursAfter: 3, decidedAt: '2024-05-31T16:30:00.000Z' });

    // decided once: a second accept or a reject is 409, and nothing moves
    expect(await codeOf(svc.acceptCorrection(leader, r.recordId, c.correctionId, { hours: 5 }))).toBe(
      'CORRECTION_NOT_PENDING',
    );
    expect(await codeOf(svc.rejectCorrection(leader, r.recordId, c.correctionId, { reason: 'no' }))).toBe(
      'CORRECTION_NOT_PENDING',
    );
    expect((await getMemberHours(me.memberId, true)).confirmedHours).toBe(4.5);
    expect((await getRecord(r.recordId, true))!.hours).toBe(3);
  });

  it('accepting fewer hours lowers the totals; the same hours move nothing', async () => {
    const me = memberCaller();
    const r = await seedRecord({ memberId: me.memberId, team, hours: 4 });
    const month = monthOf(nowIso());
    const before = await counters(month);
    const c1 = await svc.requestCorrection(me, r.recordId, { requestedHours: 0, reason: '没去' });
    await svc.acceptCorrection(who('community_admin', { communityId: 'co-a' }), r.recordId, c1.correctionId, {
      hours: 0.5,
    });
    expect((await getMemberHours(me.memberId, true)).confirmedHours).toBe(0.5);
    expect((await counters(month)).team).toBe(before.team - 3.5);
    const c2 = await svc.requestCorrection(me, r.recordId, { requestedHours: 1, reason: '再核' });
    await svc.acceptCorrection(leader, r.recordId, c2.correctionId, { hours: 0.5 });
    expect((await getMemberHours(me.memberId, true)).confirmedHours).toBe(0.5);
    expect((await counters(month)).team).toBe(before.team - 3.5);
    expect((await getRecord(r.recordId, true))!.history.map((h) => h.kind)).toEqual([
      'created',
      'correction-requested',
      'correction-accepted',
      'correction-requested',
      'correction-accepted',
    ]);
  });

  it('rejecting keeps the hours, keeps the reason in the history, and frees the record for a new request', async () => {
    const me = memberCaller();
    const r = await seedRecord({ memberId: me.memberId, team, hours: 2 });
    const c = await svc.requestCorrection(me, r.recordId, { requestedHours: 6, reason: '多算' });
    const rejected = await svc.rejectCorrection(leader, r.recordId, c.correctionId, { reason: '签到记录只有两小时' });
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '签到记录只有两小时' });
    const after = await getRecord(r.recordId, true);
    expect(after!.hours).toBe(2);
    expect(after!.pendingCorrectionId).toBeUndefined();
    expect(after!.history.at(-1)).toMatchObject({
      kind: 'correction-rejected',
      correctionId: c.correctionId,
      reason: '签到记录只有两小时',
      hoursBefore: 2,
      hoursAfter: 2,
    });
    expect((await getMemberHours(me.memberId, true)).confirmedHours).toBe(2);
    expect(await codeOf(svc.acceptCorrection(leader, r.recordId, c.correctionId, { hours: 6 }))).toBe(
      'CORRECTION_NOT_PENDING',
    );
    expect(await codeOf(svc.requestCorrection(me, r.recordId, { requestedHours: 2.5, reason: '再申请' }))).toBe('ok');
  });

  it('who decides: the leader of the team or an admin of the scope; never a leader for their own record', async () => {
    const me = memberCaller();
    const r = await seedRecord({ memberId: me.memberId, team, hours: 2 });
    const c = await svc.requestCorrection(me, r.recordId, { requestedHours: 3, reason: 'x' });
    const otherTeam = await seedTeam({ leaderMemberId: 'lead-3' });
    for (const no of [
      who('team_leader', { memberId: 'lead-3', teamId: otherTeam.teamId }),
      who('team_leader', { memberId: 'impostor', teamId: team.teamId }),
      who('community_admin', { communityId: 'co-b' }),
      who('street_admin', { streetId: 'st-b' }),
    ]) {
      expect(await codeOf(svc.acceptCorrection(no, r.recordId, c.correctionId, { hours: 3 }))).toBe('NOT_FOUND');
      expect(await codeOf(svc.rejectCorrection(no, r.recordId, c.correctionId, { reason: 'x' }))).toBe('NOT_FOUND');
    }
    expect(await codeOf(svc.acceptCorrection(leader, r.recordId, 'cr_nowhere', { hours: 3 }))).toBe('NOT_FOUND');
    // the leader's own record
    const own = await seedRecord({ memberId: leader.memberId, team, hours: 2 });
    const oc = await svc.requestCorrection(leader, own.recordId, { requestedHours: 3, reason: 'mine' });
    expect(await codeOf(svc.acceptCorrection(leader, own.recordId, oc.correctionId, { hours: 3 }))).toBe('FORBIDDEN');
    expect(
      await codeOf(
        svc.acceptCorrection(who('street_admin', { streetId: 'st-a' }), own.recordId, oc.correctionId, { hours: 3 }),
      ),
    ).toBe('ok');
    expect((await getRecord(r.recordId, true))!.hours).toBe(2);
  });
});

describe('races', () => {
  it('20 concurrent correction requests on one record leave exactly one pending', async () => {
    const me = memberCaller();
    const r = await seedRecord({ memberId: me.memberId, team, hours: 2 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        codeOf(svc.requestCorrection(me, r.recordId, { requestedHours: 2.5 + (i % 4) * 0.5, reason: `第${i}次` })),
      ),
    );
    expect(results.filter((x) => x === 'ok')).toHaveLength(1);
    expect(results.filter((x) => x === 'CORRECTION_ALREADY_PENDING' || x === 'CONCURRENT_UPDATE')).toHaveLength(19);
    const corrections = (await allItems()).filter((i) => i.type === 'record-correction' && i.recordId === r.recordId);
    expect(corrections).toHaveLength(1);
    expect(corrections[0]!.status).toBe('pending');
    const stored = await getRecord(r.recordId, true);
    expect(stored!.pendingCorrectionId).toBe(corrections[0]!.correctionId);
    expect(stored!.history.filter((h) => h.kind === 'correction-requested')).toHaveLength(1);
  });

  it('10 concurrent accepts of one correction apply it exactly once', async () => {
    const me = memberCaller();
    const r = await seedRecord({ memberId: me.memberId, team, hours: 2 });
    const c = await svc.requestCorrection(me, r.recordId, { requestedHours: 4, reason: 'x' });
    const month = monthOf(nowIso());
    const before = await counters(month);
    const admin = who('district_admin');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        codeOf(svc.acceptCorrection(i % 2 ? leader : admin, r.recordId, c.correctionId, { hours: 4 })),
      ),
    );
    expect(results.filter((x) => x === 'ok')).toHaveLength(1);
    expect(results.filter((x) => x === 'CORRECTION_NOT_PENDING' || x === 'CONCURRENT_UPDATE')).toHaveLength(9);
    expect(await getMemberHours(me.memberId, true)).toEqual({ confirmedHours: 4, records: 1 });
    const after = await counters(month);
    expect(after).toEqual({
      district: before.district + 2,
      street: before.street + 2,
      community: before.community + 2,
      team: before.team + 2,
    });
    const stored = await getRecord(r.recordId, true);
    expect(stored!.hours).toBe(4);
    expect(stored!.history.filter((h) => h.kind === 'correction-accepted')).toHaveLength(1);
  });

  it('an accept racing a reject: exactly one decision wins', async () => {
    const me = memberCaller();
    const r = await seedRecord({ memberId: me.memberId, team, hours: 2 });
    const c = await svc.requestCorrection(me, r.recordId, { requestedHours: 4, reason: 'x' });
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () =>
        codeOf(svc.acceptCorrection(leader, r.recordId, c.correctionId, { hours: 4 })),
      ),
      ...Array.from({ length: 5 }, () =>
        codeOf(svc.rejectCorrection(leader, r.recordId, c.correctionId, { reason: 'no' })),
      ),
    ]);
    expect(results.filter((x) => x === 'ok')).toHaveLength(1);
    const stored = await getRecord(r.recordId, true);
    expect(
      stored!.history.filter((h) => h.kind === 'correction-accepted' || h.kind === 'correction-rejected'),
    ).toHaveLength(1);
    expect((await getMemberHours(me.memberId, true)).confirmedHours).toBe(stored!.hours);
  });
});

describe('certificates', () => {
  it('a member without confirmed hours gets NO_CONFIRMED_SERVICE and nothing is written', async () => {
    const me = memberCaller();
    expect(await codeOf(svc.issueCertificate(me))).toBe('NO_CONFIRMED_SERVICE');
    const zero = memberCaller();
    await seedRecord({ memberId: zero.memberId, team, hours: 0 });
    expect(await codeOf(svc.issueCertificate(zero))).toBe('NO_CONFIRMED_SERVICE');
    expect(
      (await allItems()).filter(
        (i) => i.type === 'certificate' && (i.memberId === me.memberId || i.memberId === zero.memberId),
      ),
    ).toEqual([]);
  });

  it('issues a numbered certificate of all records; verification masks the name and keeps the hours as issued', async () => {
    freezeClock('2024-07-01T01:00:00.000Z');
    const me = memberCaller();
    const r1 = await seedRecord({
      memberId: me.memberId,
      team,
      hours: 2,
      date: '2024-06-01',
      memberName: '欧阳娜娜',
      activityName: '垃圾分类宣传',
    });
    const r2 = await seedRecord({
      memberId: me.memberId,
      team,
      hours: 1.5,
      date: '2024-06-15',
      memberName: '欧阳娜娜',
    });
    const cert = await svc.issueCertificate(me);
    expect(cert.number).toMatch(CERT_NUMBER_PATTERN);
    expect(cert.number.startsWith('PNR-510104-20240701-')).toBe(true);
    expect(cert).toMatchObject({
      memberId: me.memberId,
      name: '欧阳娜娜',
      issuedOn: '2024-07-01',
      totalHours: 3.5,
      recordCount: 2,
      coversLatestOnly: false,
      issuingUnit: { name: 'Jinjiang District', nameZh: '锦江区', code: '510104' },
    });
    expect(cert.records).toEqual([
      { recordId: r2.recordId, activityName: '义诊进社区', date: '2024-06-15', hours: 1.5 },
      { recordId: r1.recordId, activityName: '垃圾分类宣传', date: '2024-06-01', hours: 2 },
    ]);
    expect(await certificates.getCertificate(cert.number)).toEqual(cert);
    expect((await certificates.listMemberCertificates(me.memberId, 10, undefined)).items.map((c) => c.number)).toEqual([
      cert.number,
    ]);

    const v = await svc.verifyCertificate(cert.number);
    expect(v).toEqual({
      valid: true,
      number: cert.number,
      issuedOn: '2024-07-01',
      name: '欧阳*',
      totalHours: 3.5,
      issuingUnit: cert.issuingUnit,
      recordCount: 2,
    });

    // a later correction does not change what the certificate states
    const c = await svc.requestCorrection(me, r1.recordId, { requestedHours: 4, reason: 'x' });
    await svc.acceptCorrection(leader, r1.recordId, c.correctionId, { hours: 4 });
    expect(await svc.verifyCertificate(cert.number)).toEqual(v);
    const again = await svc.issueCertificate(me);
    expect(again.number).not.toBe(cert.number);
    expect(again.totalHours).toBe(5.5);
    expect(await codeOf(svc.verifyCertificate('PNR-510104-20240701-00000000'))).toBe('NOT_FOUND');
  });

  it(`lists the latest ${MAX_CERT_RECORDS} records of a long record; the total still counts them all`, async () => {
    const me = memberCaller();
    const all = await seedManyRecords({ memberId: me.memberId, team, count: MAX_CERT_RECORDS + 5, hours: 1.5 });
    const cert = await svc.issueCertificate(me);
    expect(cert.totalHours).toBe(1.5 * (MAX_CERT_RECORDS + 5));
    expect(cert.recordCount).toBe(MAX_CERT_RECORDS + 5);
    expect(cert.coversLatestOnly).toBe(true);
    expect(cert.records).toHaveLength(MAX_CERT_RECORDS);
    expect(cert.records.map((r) => r.recordId)).toEqual(all.slice(0, MAX_CERT_RECORDS).map((r) => r.recordId));
    const stored = await certificates.getCertificate(cert.number);
    expect(stored!.records).toEqual(cert.records);
    const chunks = (await allItems()).filter((i) => i.pk === `CERT#${cert.number}`);
    expect(chunks).toHaveLength(1 + Math.ceil(MAX_CERT_RECORDS / certificates.RECORDS_PER_CHUNK));
    expect((await svc.verifyCertificate(cert.number)).recordCount).toBe(MAX_CERT_RECORDS + 5);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { allItems } from '../support/inspect.ts';
import { seedRecord, seedTeam } from '../support/records.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';
import { CERT_NUMBER_PATTERN } from '../../shared/domain/certificate.ts';
import { recordIdFor, type ServiceRecord } from '../../shared/domain/records.ts';

/**
 * Over HTTP: a member lists their records, asks for a correction, the team's leader accepts it,
 * the member gets a certificate, and anyone verifies it without a token, as JSON and as a page.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { street: '', community: '', team: '', member: '', leader: '' };
const t: Record<string, string> = {};
let records: ServiceRecord[] = [];

beforeAll(async () => {
  ids.street = await e2e.street('书院街街道');
  ids.community = await e2e.community(ids.street, '和平社区');
  const member = await e2e.member('李小龙', { idNumber: '11010519491231002X' });
  ids.member = member.memberId;
  t.member = member.token;
  ids.leader = uniq('lead');
  const team = await seedTeam({ leaderMemberId: ids.leader, communityId: ids.community, streetId: ids.street });
  ids.team = team.teamId;
  t.leader = await mint.leader(ids.leader, team.teamId);
  const place = { team, communityId: ids.community, streetId: ids.street, memberId: ids.member, memberName: '李小龙' };
  records = [
    await seedRecord({ ...place, date: '2024-04-02', hours: 2, activityName: '义诊进社区' }),
    await seedRecord({ ...place, date: '2024-05-06', hours: 3, activityName: '垃圾分类宣传' }),
    await seedRecord({ ...place, date: '2024-04-20', hours: 1.5, activityName: '政策宣讲 <第一期>' }),
  ];
});

describe('service records, corrections and certificates over HTTP', () => {
  let correctionId = '';
  let number = '';

  it('lists my records newest first, with my total hours, a page at a time', async () => {
    const res = await api.get('/members/me/service-records?limit=2', t.member);
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: ServiceRecord) => r.date)).toEqual(['2024-05-06', '2024-04-20']);
    expect(res.body.totalHours).toBe(6.5);
    expect(res.body.recordCount).toBe(3);
    expect(res.body.items[0]).toMatchObject({
      activityName: '垃圾分类宣传',
      place: expect.any(String),
      content: expect.any(String),
      organisingUnit: expect.any(String),
      activityLeader: expect.any(String),
      hours: 3,
    });
    const next = await api.get(`/members/me/service-records?limit=2&cursor=${res.body.nextCursor}`, t.member);
    expect(next.body.items.map((r: ServiceRecord) => r.date)).toEqual(['2024-04-02']);
    expect(next.body.nextCursor).toBeUndefined();
  });

  it("lists a day's records newest first: the later recorded before the earlier, whatever their ids", async () => {
    const other = await e2e.member('王小明');
    const team = await seedTeam({ leaderMemberId: uniq('lead'), communityId: ids.community, streetId: ids.street });
    // Record ids are derived (recordIdFor), not time-ordered: the earliest recorded gets the highest id,
    // so an order by id alone is the reverse of the right one.
    const activities = ['a', 'b', 'c']
      .map((x) => uniq(`ac${x}`))
      .sort((a, b) => (recordIdFor(a, other.memberId) < recordIdFor(b, other.memberId) ? 1 : -1));
    const times = ['2024-06-01T01:00:00.000Z', '2024-06-01T05:00:00.000Z', '2024-06-01T09:00:00.000Z'];
    for (const [i, activityId] of activities.entries())
      await seedRecord({
        team,
        memberId: other.memberId,
        communityId: ids.community,
        streetId: ids.street,
        date: '2024-06-01',
        activityId,
        recordedAt: times[i]!,
        activityName: `活动${i}`,
      });
    const res = await api.get('/members/me/service-records', other.token);
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: ServiceRecord) => r.recordedAt)).toEqual([...times].reverse());
  });

  it('the member asks for a correction; one at a time', async () => {
    const r = records[0]!;
    const res = await api.post(`/service-records/${r.recordId}/corrections`, t.member, {
      requestedHours: 2.5,
      reason: '签退时系统故障',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', hoursBefore: 2, requestedHours: 2.5 });
    correctionId = res.body.correctionId;
    const again = await api.post(`/service-records/${r.recordId}/corrections`, t.member, {
      requestedHours: 3,
      reason: '再问一次',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CORRECTION_ALREADY_PENDING');
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    const read = await api.get(`/service-records/${r.recordId}`, t.leader);
    expect(read.status).toBe(200);
    expect(read.body.pendingCorrectionId).toBe(correctionId);
    expect(read.body.corrections).toHaveLength(1);
    expect(read.body.history.map((h: { kind: string }) => h.kind)).toEqual(['created', 'correction-requested']);
  });

  it("the leader finds it in the team's queue; outsiders cannot look", async () => {
    const queue = await api.get(`/teams/${ids.team}/corrections`, t.leader);
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((c: { correctionId: string; status: string }) => [c.correctionId, c.status])).toEqual([
      [correctionId, 'pending'],
    ]);
    expect((await api.get(`/teams/${ids.team}/corrections?status=accepted`, t.leader)).body.items).toEqual([]);
    const district = await mint.districtAdmin();
    expect((await api.get(`/teams/${ids.team}/corrections`, district)).body.items).toHaveLength(1);
    const otherLeader = await mint.leader(uniq('lead'), ids.team);
    expect((await api.get(`/teams/${ids.team}/corrections`, otherLeader)).status).toBe(403);
    const otherAdmin = await mint.communityAdmin('co-elsewhere');
    expect((await api.get(`/teams/${ids.team}/corrections`, otherAdmin)).status).toBe(403);
    expect((await api.get(`/teams/${ids.team}/corrections`, t.member)).status).toBe(403);
    expect((await api.get(`/communities/${ids.community}/corrections`, district)).body.items).toEqual([]);
    expect((await api.get(`/communities/${ids.community}/corrections`, otherAdmin)).status).toBe(403);
  });

  it("the team's leader accepts it: the record and my total change", async () => {
    const r = records[0]!;
    const res = await api.post(`/service-records/${r.recordId}/corrections/${correctionId}/accept`, t.leader, {
      hours: 2.5,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', hoursAfter: 2.5 });
    const twice = await api.post(`/service-records/${r.recordId}/corrections/${correctionId}/accept`, t.leader, {
      hours: 3,
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('CORRECTION_NOT_PENDING');
    const accepted = await api.get(`/teams/${ids.team}/corrections?status=accepted`, t.leader);
    expect(accepted.body.items.map((c: { correctionId: string }) => c.correctionId)).toEqual([correctionId]);
    expect((await api.get(`/teams/${ids.team}/corrections`, t.leader)).body.items).toEqual([]);
    const mine = await api.get(`/service-records/${r.recordId}`, t.member);
    expect(mine.body.hours).toBe(2.5);
    expect(mine.body.history.at(-1)).toMatchObject({ kind: 'correction-accepted', hoursBefore: 2, hoursAfter: 2.5 });
    const list = await api.get('/members/me/service-records', t.member);
    expect(list.body.totalHours).toBe(7);
  });

  it('a rejected correction keeps the hours and the reason', async () => {
    const r = records[1]!;
    const asked = await api.post(`/service-records/${r.recordId}/corrections`, t.member, {
      requestedHours: 8,
      reason: '多算',
    });
    const res = await api.post(
      `/service-records/${r.recordId}/corrections/${asked.body.correctionId}/reject`,
      t.leader,
      { reason: '签到只有三小时' },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', rejectReason: '签到只有三小时' });
    const mine = await api.get(`/service-records/${r.recordId}`, t.member);
    expect(mine.body.hours).toBe(3);
    expect(mine.body.history.at(-1)).toMatchObject({ kind: 'correction-rejected', reason: '签到只有三小时' });
  });

  it('issues a certificate, once per Idempotency-Key', async () => {
    const key = `cert-${uniq('k')}`;
    const res = await api.post('/members/me/certificates', t.member, undefined, { 'idempotency-key': key });
    expect(res.status).toBe(201);
    expect(res.body.number).toMatch(CERT_NUMBER_PATTERN);
    expect(res.body.number).toMatch(/^PNR-510104-\d{8}-/);
    expect(res.body).toMatchObject({
      name: '李小龙',
      totalHours: 7,
      recordCount: 3,
      coversLatestOnly: false,
      issuingUnit: { nameZh: '锦江区', name: 'Jinjiang District', code: '510104' },
    });
    expect(res.body.records.map((r: { date: string }) => r.date)).toEqual(['2024-05-06', '2024-04-20', '2024-04-02']);
    expect(res.body.records[2]).toEqual({
      recordId: records[0]!.recordId,
      activityName: '义诊进社区',
      date: '2024-04-02',
      hours: 2.5,
    });
    number = res.body.number;
    const replay = await api.post('/members/me/certificates', t.member, undefined, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.body.number).toBe(number);
    expect((await allItems()).filter((i) => i.type === 'certificate' && i.memberId === ids.member)).toHaveLength(1);
    const mine = await api.get('/members/me/certificates', t.member);
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ number, totalHours: 7, recordCount: 3 })]);
    expect(mine.body.items[0].records).toBeUndefined();
    expect((await api.get('/members/me/certificates', await mint.member(uniq('m')))).body.items).toEqual([]);
  });

  it('anyone verifies it without a token, as JSON', async () => {
    const res = await api.get(`/certificates/${number}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body).toEqual({
      valid: true,
      number,
      issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      name: '李*',
      totalHours: 7,
      issuingUnit: { nameZh: '锦江区', name: 'Jinjiang District', code: '510104' },
      recordCount: 3,
    });
    expect(res.text).not.toContain('李小龙');
    expect(res.text).not.toContain('13912345678');
    expect(res.text).not.toContain('11010519491231002X');
    expect(res.text).not.toContain(ids.member);
  });

  it('and as a printable page with Accept: text/html', async () => {
    const res = await api.get(`/certificates/${number}`, undefined, { accept: 'text/html' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.text).toContain(number);
    expect(res.text).toContain('李*');
    expect(res.text).toContain('7 小时');
    expect(res.text).toContain('锦江区');
    expect(res.text).toContain('@media print');
    expect(res.text).not.toContain('李小龙');
    expect(res.text).not.toContain('13912345678');
    const browser = await api.get(`/certificates/${number}`, undefined, {
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
    });
    expect(browser.headers.get('content-type')).toContain('text/html');
  });

  it('an unknown number is a 404: a problem as JSON, a page to a client that prefers HTML', async () => {
    const unknown = 'PNR-510104-20240101-00000000';
    const res = await api.get(`/certificates/${unknown}`, undefined, { accept: 'application/json' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('NOT_FOUND');
    for (const accept of ['text/html', 'text/html,application/xhtml+xml,*/*;q=0.8']) {
      const page = await api.get(`/certificates/${unknown}`, undefined, { accept });
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page.text).toMatch(/^<!doctype html>/);
      expect(page.text).toContain('Certificate not found');
      expect(page.text).toContain(unknown);
    }
  });

  it('the holder asks for their own certificate with their own token: their name in full, JSON or page', async () => {
    const res = await api.get(`/members/me/certificates/${number}`, t.member);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, number, name: '李小龙', totalHours: 7, recordCount: 3 });
    const page = await api.get(`/members/me/certificates/${number}`, t.member, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('李小龙');
    expect(page.text).toContain('Shown to its holder');
    const missing = await api.get('/members/me/certificates/PNR-510104-20240101-00000000', t.member);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('a member with no confirmed service gets 409 NO_CONFIRMED_SERVICE', async () => {
    const fresh = await mint.member(uniq('fresh'));
    const res = await api.post('/members/me/certificates', fresh);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('NO_CONFIRMED_SERVICE');
    const list = await api.get('/members/me/service-records', fresh);
    expect(list.body).toEqual({ items: [], totalHours: 0, recordCount: 0 });
  });

  it('a correction after issue leaves the certificate as issued', async () => {
    const r = records[2]!;
    const asked = await api.post(`/service-records/${r.recordId}/corrections`, t.member, {
      requestedHours: 4,
      reason: '补录',
    });
    expect(
      (
        await api.post(`/service-records/${r.recordId}/corrections/${asked.body.correctionId}/accept`, t.leader, {
          hours: 4,
        })
      ).status,
    ).toBe(200);
    expect((await api.get('/members/me/service-records', t.member)).body.totalHours).toBe(9.5);
    const v = await api.get(`/certificates/${number}`);
    expect(v.body).toMatchObject({ valid: true, totalHours: 7 });
  });
});

import { liveCounters } from '../support/counters.ts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Schemas, typedClient } from '../support/api-client.ts';
import { allItems } from '../support/inspect.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';
import { captureMetrics } from '../support/metrics.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';

/**
 * Micro-wishes over HTTP through the local API Gateway emulator, both paths:
 *   posted -> published -> claimed -> completed (service record) -> confirmed;
 *   posted -> published -> escalated by the job (frozen clock) -> taken on by a team -> completed -> confirmed.
 * The resident's name and phone never appear on the wall, in another member's read or in the events.
 */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};
const ids = { street: '', community: '', grid: '', member: '', leader: '', team: '', resident: '' };
const NAME = '孙桂兰';
const PHONE = '13700007777';

const wishBody = (over: Record<string, unknown> = {}) => ({
  title: '帮忙更换楼道灯泡',
  description: '三楼楼道灯坏了，晚上上下楼不方便',
  category: 'elderly-care',
  skillsWanted: ['水电维修'],
  communityId: ids.community,
  gridId: ids.grid,
  contactName: NAME,
  contactPhone: PHONE,
  ...over,
});

function expectNoResident(text: string) {
  expect(text).not.toContain(NAME);
  expect(text).not.toContain('桂兰');
  expect(text).not.toContain(PHONE);
  expect(text).not.toContain(ids.resident);
}

beforeAll(async () => {
  t.district = await e2e.districtAdmin();
  const place = await e2e.place({ street: '春熙路街道', community: '红星路社区', grid: '第一网格' });
  ids.street = place.streetId;
  ids.community = place.communityId;
  ids.grid = place.gridId;
  t.admin = await mint.communityAdmin(ids.community);
  ids.resident = uniq('res');
  t.resident = await mint.resident(ids.resident);
  const profile = { skills: ['水电维修', '急救'], categories: ['elderly-care'] };
  const m = await e2e.checkedInMember({
    communityId: ids.community,
    gridId: ids.grid,
    name: '王建国',
    profile,
    approver: t.admin,
  });
  ids.member = m.memberId;
  t.member = m.token;
  t.other = (await e2e.member('李秀英')).token;
  const team = await e2e.team({
    name: '助老志愿服务队',
    category: 'elderly-care',
    communityId: ids.community,
    leader: await e2e.member('张队长'),
  });
  ids.team = team.teamId;
  ids.leader = team.leader.memberId;
  t.leader = team.leader.token;
});
afterEach(() => resetClock());

describe('micro-wishes, end to end', () => {
  it('posted, published, claimed, completed (with a service record), confirmed', async () => {
    const key = uniq('wish-key');
    const posted = await api.post('/wishes', t.resident, wishBody(), { 'idempotency-key': key });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      status: 'pending_review',
      residentName: NAME,
      contactPhone: PHONE,
      mine: true,
      version: 1,
    });
    const wishId = posted.body.wishId;
    const replay = await api.post('/wishes', t.resident, wishBody(), { 'idempotency-key': key });
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.body.wishId).toBe(wishId);

    expect((await api.get(`/wishes/${wishId}`, t.member)).status).toBe(404); // not public until reviewed
    const queue = await api.get(`/wishes?communityId=${ids.community}&status=pending_review`, t.admin);
    expect(queue.body.items.map((w: { wishId: string }) => w.wishId)).toContain(wishId);
    expectNoResident(queue.text);

    const pub = await api.post(`/wishes/${wishId}/review`, t.admin, { decision: 'publish' });
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ status: 'published', residentName: NAME, contactPhone: PHONE });

    // The wall and another member's read: masked, no phone.
    const wall = await api.get(`/wishes?communityId=${ids.community}`, t.other);
    expect(wall.status).toBe(200);
    expect(wall.body.items.map((w: { wishId: string }) => w.wishId)).toContain(wishId);
    expect(wall.body.items[0].residentName).toBe('孙*');
    expectNoResident(wall.text);
    const read = await api.get(`/wishes/${wishId}`, t.other);
    expect(read.body).toMatchObject({ residentName: '孙*', mine: false });
    expect(read.body.contactPhone).toBeUndefined();
    expectNoResident(read.text);
    expect((await api.get(`/wishes/${wishId}`, t.resident)).body).toMatchObject({
      residentName: NAME,
      contactPhone: PHONE,
    });
    expect((await api.get(`/wishes/${wishId}`, t.admin)).body).toMatchObject({
      residentName: NAME,
      contactPhone: PHONE,
    });

    // Suggested to the member with the matching skill, saying why.
    const sug = await api.get('/wishes/suggested?limit=5', t.member);
    expect(sug.status).toBe(200);
    const mine = sug.body.items.find((s: { wishId: string }) => s.wishId === wishId);
    expect(mine.reasons).toEqual([
      'skills: 水电维修',
      'same grid',
      'same community',
      'category: elderly-care',
      'waiting 0 days',
    ]);
    expectNoResident(sug.text);

    const metrics = captureMetrics();
    const claimed = await api.post(`/wishes/${wishId}/claim`, t.member);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claimant: { kind: 'member', memberId: ids.member } });
    expectNoResident(claimed.text);

    const done = await api.post(`/wishes/${wishId}/complete`, t.member, { note: '已更换为节能灯泡', hours: 1 });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', hours: 1 });
    // A claim and the record the completion wrote, by district and function.
    metrics.stop();
    expect(metrics.total('Claims', { District: 'jinjiang', Function: 'wishes' })).toBe(1);
    expect(metrics.total('RecordsWritten', { District: 'jinjiang', Function: 'wishes' })).toBe(1);
    const record = (await allItems()).find((i) => i.type === 'service-record' && i.recordId === done.body.recordId)!;
    expect(record).toMatchObject({
      memberId: ids.member,
      memberName: '王建国',
      activityId: wishId,
      activityName: '帮忙更换楼道灯泡',
      source: 'wish',
      hours: 1,
      organisingUnit: '红星路社区',
      place: '红星路社区 第一网格',
    });

    const confirmed = await api.post(`/wishes/${wishId}/confirm`, t.resident, { rating: 5, comment: '非常感谢' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', rating: 5, comment: '非常感谢' });

    // The outbox, oldest first, a page at a time, without the resident.
    const page1 = await api.get(`/wishes/${wishId}/events?limit=3`, t.other);
    const page2 = await api.get(`/wishes/${wishId}/events?limit=3&cursor=${page1.body.nextCursor}`, t.other);
    const all = [...page1.body.items, ...page2.body.items];
    expect(all.map((e: { seq: number; eventType: string }) => `${e.seq}:${e.eventType}`)).toEqual([
      '1:WishPosted',
      '2:WishPublished',
      '3:WishClaimed',
      '4:WishCompleted',
      '5:WishConfirmed',
    ]);
    expect(all[2].actor).toEqual({ kind: 'member', memberId: ids.member });
    expect(all[4]).toMatchObject({ rating: 5, actor: { kind: 'resident' } });
    expectNoResident(page1.text + page2.text);
  });

  it('posted, published, escalated by the job, taken on by a team, completed, confirmed', async () => {
    freezeClock('2026-03-01T02:00:00Z'); // 10:00 March 1 Shanghai
    const posted = await api.post(
      '/wishes',
      t.resident,
      wishBody({ title: '帮忙清理屋顶杂物', skillsWanted: ['高空作业'] }),
    );
    const wishId = posted.body.wishId;
    expect((await api.post(`/wishes/${wishId}/review`, t.admin, { decision: 'publish' })).status).toBe(200);

    const early = await api.post(`/wishes/${wishId}/take-on`, t.leader);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      code: 'WISH_ACTION_NOT_ALLOWED',
      state: 'published',
      allowedActions: ['withdraw', 'claim', 'escalate'],
    });

    freezeClock('2026-03-08T00:00:00Z'); // the job at 08:00 March 8 Shanghai: 7 days
    const run = await api.post('/_local/jobs/escalate-wishes', undefined, {});
    expect(run.status).toBe(200);
    expect(run.body.escalated).toBeGreaterThanOrEqual(1);
    const twice = await api.post('/_local/jobs/escalate-wishes', undefined, {});
    expect(twice.body.escalated).toBe(0);

    const list = await api.get('/wishes?status=escalated', t.leader);
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: { wishId: string }) => w.wishId)).toContain(wishId);
    expectNoResident(list.text);

    const taken = await api.post(`/wishes/${wishId}/take-on`, t.leader);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({
      status: 'taken_on',
      claimant: { kind: 'team', teamId: ids.team, teamName: '助老志愿服务队' },
    });
    expect((await api.post(`/wishes/${wishId}/claim`, t.member)).body.code).toBe('WISH_ALREADY_CLAIMED');

    // The team's member who served joins first; the leader names who served and each one's hours.
    const helper = await e2e.joinRequest(ids.team);
    expect((await api.post(`/teams/${ids.team}/members/${helper.memberId}/approve`, t.leader)).status).toBe(200);
    const noServed = await api.post(`/wishes/${wishId}/complete`, t.leader, { note: '清理完毕', hours: 3 });
    expect([noServed.status, noServed.body.errors?.[0]?.field]).toEqual([400, 'body.served']);
    const stranger = await api.post(`/wishes/${wishId}/complete`, t.leader, {
      note: '清理完毕',
      hours: 3,
      served: [{ memberId: ids.member, hours: 2 }],
    });
    expect([stranger.status, stranger.body.errors?.[0]?.message]).toEqual([
      400,
      `not on the team's roster: ${ids.member}`,
    ]);
    const done = await api.post(`/wishes/${wishId}/complete`, t.leader, {
      note: '两名队员清理完毕',
      hours: 3,
      served: [
        { memberId: ids.leader, hours: 3 },
        { memberId: helper.memberId, hours: 2.5 },
      ],
    });
    expect(done.status).toBe(200);
    expect(done.body.recordId).toBeUndefined();
    expect(done.body.served).toEqual([
      { memberId: ids.leader, memberName: '张队长', hours: 3 },
      { memberId: helper.memberId, memberName: expect.any(String), hours: 2.5 },
    ]);
    // Each member who served has a service record, organised by the team, and it is counted.
    const records = (await api.get('/members/me/service-records', helper.token)).body.items;
    expect(records).toEqual([
      expect.objectContaining({ activityId: wishId, hours: 2.5, organisingUnit: '助老志愿服务队', source: 'wish' }),
    ]);
    expect((await api.get('/members/me/service-records', t.leader)).body.items[0]).toMatchObject({ hours: 3 });
    expect(await liveCounters('team', ids.team, '2026-03')).toMatchObject({ volunteerTimes: 2, volunteerHours: 5.5 });
    const confirmed = await api.post(`/wishes/${wishId}/confirm`, t.resident, { rating: 4 });
    expect(confirmed.body.status).toBe('confirmed');

    const ev = await api.get(`/wishes/${wishId}/events`, t.member);
    expect(ev.body.items.map((e: { eventType: string }) => e.eventType)).toEqual([
      'WishPosted',
      'WishPublished',
      'WishEscalated',
      'WishTakenOn',
      'WishCompleted',
      'WishConfirmed',
    ]);
    expect(ev.body.items[2]).toMatchObject({
      actor: { kind: 'system', job: 'escalate-wishes' },
      at: '2026-03-08T00:00:00.000Z',
    });
    expect(ev.body.items[3].actor).toEqual({ kind: 'team', teamId: ids.team, memberId: ids.leader });
    expectNoResident(ev.text);

    const stats = await liveCounters('team', ids.team, '2026-03');
    expect(stats).toMatchObject({
      wishesTakenOn: 1,
      wishesCompleted: 1,
      wishesConfirmed: 1,
      ratingSum: 4,
      ratingCount: 1,
    });
  });

  it('the resident withdraws before a claim; released wishes return to the wall', async () => {
    const a = (await api.post('/wishes', t.resident, wishBody())).body.wishId;
    expect((await api.post(`/wishes/${a}/withdraw`, t.resident)).body.status).toBe('withdrawn');
    const b = (await api.post('/wishes', t.resident, wishBody())).body.wishId;
    await api.post(`/wishes/${b}/review`, t.admin, { decision: 'publish' });
    await api.post(`/wishes/${b}/claim`, t.member);
    const late = await api.post(`/wishes/${b}/withdraw`, t.resident);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: 'WISH_ACTION_NOT_ALLOWED',
      state: 'claimed',
      allowedActions: ['release', 'complete'],
    });
    expect((await api.post(`/wishes/${b}/release`, t.member)).body.status).toBe('published');
    const wall = await api.get(`/wishes?communityId=${ids.community}&status=published`, t.other);
    expect(wall.body.items.map((w: { wishId: string }) => w.wishId)).toContain(b);
  });
});

describe('a resident follows their own wishes', () => {
  it('lists exactly the wishes I posted, newest first, in every state, with my own contact details', async () => {
    const me = await mint.resident();
    const first = await api.post('/wishes', me, wishBody({ title: '第一个心愿' }));
    const second = await api.post('/wishes', me, wishBody({ title: '第二个心愿' }));
    expect((await api.post(`/wishes/${first.body.wishId}/withdraw`, me)).status).toBe(200);
    const mine = await api.get('/wishes/mine', me);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((w: { wishId: string; status: string }) => [w.wishId, w.status])).toEqual([
      [second.body.wishId, 'pending_review'],
      [first.body.wishId, 'withdrawn'],
    ]);
    expect(mine.text).toContain(PHONE);
    const page = await api.get('/wishes/mine?limit=1', me);
    expect(page.body.items).toHaveLength(1);
    expect((await api.get(`/wishes/mine?limit=1&cursor=${page.body.nextCursor}`, me)).body.items[0].wishId).toBe(
      first.body.wishId,
    );
    const someoneElse = await mint.resident();
    expect((await api.get('/wishes/mine', someoneElse)).body.items).toEqual([]);
    expect((await api.get('/wishes/mine', t.member)).status).toBe(403);
  });
});

describe('phone and ID numbers typed into a wish’s text', () => {
  it('are shown in full to their author and the community’s admins only: on the wall, in reads, in suggestions', async () => {
    const phone = '13812345678';
    const idNumber = '11010519491231002X';
    const posted = await api.post(
      '/wishes',
      t.resident,
      wishBody({
        title: `急需帮忙 ${phone}`,
        description: `楼道灯坏了，可打 138 1234 5678 或看身份证 ${idNumber} 登记`,
      }),
    );
    expect(posted.status).toBe(201);
    const wishId = posted.body.wishId;
    expect(posted.body.title).toContain(phone);
    expect((await api.post(`/wishes/${wishId}/review`, t.admin, { decision: 'publish' })).status).toBe(200);

    const full = (body: { title: string; description: string }) =>
      body.title.includes(phone) && body.description.includes('138 1234 5678') && body.description.includes(idNumber);
    const masked = (text: string) =>
      !text.includes(phone) &&
      !text.includes('138 1234 5678') &&
      !text.includes(idNumber) &&
      text.includes('138****5678') &&
      text.includes('110***********002X');
    expect(full((await api.get(`/wishes/${wishId}`, t.resident)).body)).toBe(true);
    expect(full((await api.get(`/wishes/${wishId}`, t.admin)).body)).toBe(true);
    const other = await api.get(`/wishes/${wishId}`, t.other);
    expect(masked(other.text)).toBe(true);
    const wall = await api.get(`/wishes?communityId=${ids.community}&status=published`, t.other);
    expect(wall.body.items.some((w: { wishId: string }) => w.wishId === wishId)).toBe(true);
    expect(masked(wall.text)).toBe(true);
    const adminWall = await api.get(`/wishes?communityId=${ids.community}&status=published`, t.admin);
    expect(full(adminWall.body.items.find((w: { wishId: string }) => w.wishId === wishId))).toBe(true);
    const sug = await api.get('/wishes/suggested?limit=50', t.member);
    expect(sug.body.items.some((w: { wishId: string }) => w.wishId === wishId)).toBe(true);
    expect(masked(sug.text)).toBe(true);

    // The completion note is the claimant's: in full to them and the admins, masked to the resident.
    expect((await api.post(`/wishes/${wishId}/claim`, t.member)).status).toBe(200);
    const note = '已修好，有问题打我电话13912345678';
    expect((await api.post(`/wishes/${wishId}/complete`, t.member, { note, hours: 1 })).body.completionNote).toBe(note);
    expect((await api.get(`/wishes/${wishId}`, t.admin)).body.completionNote).toBe(note);
    expect((await api.get(`/wishes/${wishId}`, t.resident)).body.completionNote).toBe(
      '已修好，有问题打我电话139****5678',
    );
    // Events carry ids only.
    const events = await api.get(`/wishes/${wishId}/events`, t.resident);
    expect(events.status).toBe(200);
    for (const secret of [phone, '1234 5678', idNumber, '13912345678']) expect(events.text).not.toContain(secret);
  });
});

describe('a wish journey through the generated client', () => {
  it('posted (replayed), reviewed, suggested, claimed (a second claim refused), completed with a record, confirmed, its events: typed by the document', async () => {
    const resident = typedClient(e2e.url, await mint.resident(uniq('res')));
    const admin = typedClient(e2e.url, t.admin);
    const helper = await e2e.checkedInMember({
      communityId: ids.community,
      gridId: ids.grid,
      name: '赵师傅',
      profile: { skills: ['电工'], categories: ['elderly-care'] },
    });
    const member = typedClient(e2e.url, helper.token);
    const rival = typedClient(
      e2e.url,
      (await e2e.checkedInMember({ communityId: ids.community, name: '钱师傅' })).token,
    );

    const body: Schemas['PostWishRequest'] = {
      title: '修理楼道声控灯',
      description: '五楼声控灯不亮，老人夜里上楼看不见',
      category: 'elderly-care',
      skillsWanted: ['电工'],
      communityId: ids.community,
      gridId: ids.grid,
      contactName: '钱阿姨',
      contactPhone: '13600006666',
    };
    const key = { 'Idempotency-Key': uniq('wish-journey') };
    const posted = await resident.POST('/wishes', { body, params: { header: key } });
    expect(posted.response.status).toBe(201);
    const wish: Schemas['Wish'] = posted.data!;
    expect(wish).toMatchObject({ status: 'pending_review', mine: true, residentName: '钱阿姨' });
    const replay = await resident.POST('/wishes', { body, params: { header: key } });
    expect(replay.response.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.data?.wishId).toBe(wish.wishId);
    const path = { wishId: wish.wishId };

    // A rejection needs a reason: the document's schema says so, and the API answers 400 naming the field.
    const noReason = await admin.POST('/wishes/{wishId}/review', { params: { path }, body: { decision: 'reject' } });
    expect(noReason.response.status).toBe(400);
    expect(noReason.error).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.reason' }] });
    const published = await admin.POST('/wishes/{wishId}/review', { params: { path }, body: { decision: 'publish' } });
    expect(published.data).toMatchObject({ status: 'published', version: 2 });

    // Suggested to the member with the skill, with why; the wall masks the resident.
    const suggested = await member.GET('/wishes/suggested', { params: { query: { limit: 10 } } });
    const mine = suggested.data!.items.find((s) => s.wishId === wish.wishId)!;
    expect(mine.reasons).toContain('skills: 电工');
    const wall = await member.GET('/wishes', {
      params: { query: { communityId: ids.community, status: 'published' } },
    });
    expect(wall.data!.items.find((w) => w.wishId === wish.wishId)).toMatchObject({ residentName: '钱*', mine: false });

    // One claimant: the second claim is a 409 with the code the document lists for it.
    const claimed = await member.POST('/wishes/{wishId}/claim', { params: { path } });
    expect(claimed.data).toMatchObject({ status: 'claimed', claimant: { kind: 'member', memberId: helper.memberId } });
    const second = await rival.POST('/wishes/{wishId}/claim', { params: { path } });
    expect(second.response.status).toBe(409);
    expect(second.error).toMatchObject({ code: 'WISH_ALREADY_CLAIMED' });

    // Completed in half hours, which writes the member's service record.
    const quarter = await member.POST('/wishes/{wishId}/complete', {
      params: { path },
      body: { note: '换了灯', hours: 1.25 },
    });
    expect(quarter.response.status).toBe(400);
    const completed = await member.POST('/wishes/{wishId}/complete', {
      params: { path },
      body: { note: '更换了声控开关和灯泡', hours: 1.5 },
    });
    expect(completed.data).toMatchObject({ status: 'completed', hours: 1.5 });
    const record = await member.GET('/service-records/{recordId}', {
      params: { path: { recordId: completed.data!.recordId! } },
    });
    expect(record.data).toMatchObject({ source: 'wish', hours: 1.5, memberId: helper.memberId, corrections: [] });

    // The resident confirms with a rating; the events tell the story without personal data.
    const confirmed = await resident.POST('/wishes/{wishId}/confirm', {
      params: { path },
      body: { rating: 5, comment: '谢谢赵师傅' },
    });
    expect(confirmed.data).toMatchObject({ status: 'confirmed', rating: 5, mine: true });
    const events = await resident.GET('/wishes/{wishId}/events', { params: { path } });
    expect(events.data!.items.map((e) => e.eventType)).toEqual([
      'WishPosted',
      'WishPublished',
      'WishClaimed',
      'WishCompleted',
      'WishConfirmed',
    ]);
    expect(JSON.stringify(events.data)).not.toContain('13600006666');
    const following = await resident.GET('/wishes/mine');
    expect(following.data!.items[0]).toMatchObject({
      wishId: wish.wishId,
      status: 'confirmed',
      contactPhone: '13600006666',
    });
  });
});

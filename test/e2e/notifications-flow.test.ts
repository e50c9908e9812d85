import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { allItems } from '../support/inspect.ts';
import { mint, useE2e, type Member } from '../support/e2e.ts';

/**
 * Notifications end to end: the routes write outbox entries in their own transactions, the
 * table's stream (the local poller, as Lambda's event source mapping) hands each new one to the
 * notifier, which puts it in the inbox and pushes SMS / WeChat (captured locally, listed at
 * /_local/messages). The reminders job runs through the local job runner with the clock frozen.
 */
const e2e = useE2e({ identity: true });
const { api } = e2e;
const ids = { community: '', street: '' };
const t: Record<string, string> = {};
// 10:00 in Shanghai on a Monday: no quiet hours.
const T0 = '2026-06-01T02:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

beforeAll(async () => {
  freezeClock(T0);
  ids.street = await e2e.street('通知街道');
  ids.community = await e2e.community(ids.street, '通知社区');
  const team = await e2e.team({ name: '通知服务队', category: 'health', communityId: ids.community });
  t.leader = team.leader.token;
});
afterAll(() => resetClock());

async function publish(startsInMinutes: number, capacity: number): Promise<string> {
  const res = await api.post('/activities', t.leader, {
    title: '社区义诊',
    content: '量血压',
    category: 'health',
    communityId: ids.community,
    address: '社区广场',
    startsAt: at(startsInMinutes),
    endsAt: at(startsInMinutes + 120),
    capacity,
  });
  expect(res.status, res.text).toBe(201);
  return res.body.activityId;
}

/** My inbox once the stream has delivered everything written so far. */
async function inbox(
  m: Member,
): Promise<{ noticeId: string; type: string; body: string; data: Record<string, unknown> }[]> {
  await e2e.identity.streams.settle();
  await e2e.identity.streams.settle(); // a fan-out writes the notices the second pass delivers
  const res = await api.get('/members/me/notifications?limit=100', m.token);
  expect(res.status).toBe(200);
  return res.body.items;
}

async function messages(): Promise<{ channel: string; to: string; type: string; recipientId: string; body: string }[]> {
  return (await api.get('/_local/messages')).body.items;
}

describe('notices from sign-up to cancellation', () => {
  it('three client retries of one sign-up give one confirmation', async () => {
    const a = await publish(3 * 24 * 60, 5);
    const m = await e2e.member('重试者');
    const key = { 'idempotency-key': 'signup-retry-0001' };
    const tries = [];
    for (let i = 0; i < 3; i++) tries.push(await api.post(`/activities/${a}/signups`, m.token, undefined, key));
    expect(tries.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(tries.slice(1).map((r) => r.headers.get('idempotency-replayed'))).toEqual(['true', 'true']);
    // Without the key, the retry is refused as a duplicate: no second outbox entry either.
    expect((await api.post(`/activities/${a}/signups`, m.token)).body.code).toBe('ALREADY_SIGNED_UP');
    const notices = (await inbox(m)).filter((n) => n.type === 'signup-confirmed');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toContain('社区义诊');
    const outbox = (await allItems(e2e.tableName)).filter(
      (i) => i.sk === 'OUTBOX' && (i.notice as { recipient: { id: string } }).recipient.id === m.memberId,
    );
    expect(outbox).toHaveLength(1);
  });

  it('the waitlisted member is told, then told of the promotion (in-app and SMS, mandatory), and can mark it read', async () => {
    const a = await publish(3 * 24 * 60, 1);
    const [first, second] = [await e2e.member('甲'), await e2e.member('乙')];
    await api.post(`/activities/${a}/signups`, first.token);
    await api.post(`/activities/${a}/signups`, second.token);
    expect((await inbox(second)).map((n) => n.type)).toEqual(['signup-waitlisted']);
    expect((await api.call('DELETE', `/activities/${a}/signups/me`, { token: first.token })).status).toBe(204);
    // (The clock is frozen: both notices have the same instant, so their order is the ids'.)
    const mine = (await inbox(second)).sort((p, q) => p.type.localeCompare(q.type));
    expect(mine.map((n) => n.type)).toEqual(['promoted', 'signup-waitlisted']);
    const sms = (await messages()).filter((x) => x.recipientId === `member:${second.memberId}`);
    expect(sms).toEqual([
      expect.objectContaining({ channel: 'sms', type: 'promoted', to: expect.stringMatching(/^1\d{10}$/) }),
    ]);

    const read = await api.post(`/members/me/notifications/${mine[0]!.noticeId}/read`, second.token);
    expect(read.status).toBe(200);
    expect(read.body.readAt).toBeDefined();
    const again = await api.post(`/members/me/notifications/${mine[0]!.noticeId}/read`, second.token);
    expect(again.body.readAt).toBe(read.body.readAt);
    // Someone else's notice is not found, and not marked.
    const other = await api.post(`/members/me/notifications/${mine[0]!.noticeId}/read`, first.token);
    expect(other.status).toBe(404);
  });

  it('a cancelled activity tells everyone signed up, confirmed and waitlisted, at once', async () => {
    const a = await publish(3 * 24 * 60, 1);
    const [x, y] = [await e2e.member('丙'), await e2e.member('丁')];
    await api.post(`/activities/${a}/signups`, x.token);
    await api.post(`/activities/${a}/signups`, y.token);
    expect((await api.post(`/activities/${a}/cancel`, t.leader, { reason: '暴雨预警' })).status).toBe(200);
    for (const m of [x, y]) {
      const cancelled = (await inbox(m)).filter((n) => n.type === 'activity-cancelled');
      expect(cancelled).toHaveLength(1);
      expect(cancelled[0]!.body).toContain('暴雨预警');
    }
  });
});

describe('reminders', () => {
  const runReminders = async (iso: string) => {
    freezeClock(iso);
    const res = await api.post('/_local/jobs/reminders', undefined, { at: iso });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };

  it('a cancellation 25 h before gives no 24 h reminder; a member still signed up gets it once', async () => {
    freezeClock(T0);
    const a = await publish(2 * 24 * 60, 5); // starts T0 + 48 h
    const [leaves, stays] = [await e2e.member('戊'), await e2e.member('己')];
    await api.post(`/activities/${a}/signups`, leaves.token);
    await api.post(`/activities/${a}/signups`, stays.token);
    freezeClock(at(48 * 60 - 25 * 60));
    expect((await api.call('DELETE', `/activities/${a}/signups/me`, { token: leaves.token })).status).toBe(204);
    await runReminders(at(48 * 60 - 24 * 60));
    await runReminders(at(48 * 60 - 24 * 60 + 1)); // the same step again: nothing new
    expect((await inbox(leaves)).filter((n) => n.type.startsWith('reminder'))).toEqual([]);
    const reminded = (await inbox(stays)).filter((n) => n.type === 'reminder-24h');
    expect(reminded).toHaveLength(1);
    expect(reminded[0]!.data.startsAt).toBe(at(48 * 60));
    freezeClock(T0);
  });

  it('a moved activity is reminded only at its new time, and its members are told of the move', async () => {
    freezeClock(T0);
    const a = await publish(2 * 24 * 60, 5);
    const m = await e2e.member('庚');
    await api.post(`/activities/${a}/signups`, m.token);
    // Moved a day later, 30 hours before its old start.
    freezeClock(at(18 * 60));
    const moved = await api.call('PATCH', `/activities/${a}`, {
      token: t.leader,
      body: { startsAt: at(3 * 24 * 60), endsAt: at(3 * 24 * 60 + 120) },
    });
    expect(moved.status).toBe(200);
    await runReminders(at(48 * 60 - 24 * 60)); // the old time's 24 h step
    await runReminders(at(48 * 60 - 2 * 60)); // the old time's 2 h step
    expect((await inbox(m)).filter((n) => n.type.startsWith('reminder'))).toEqual([]);
    await runReminders(at(72 * 60 - 24 * 60));
    await runReminders(at(72 * 60 - 2 * 60));
    const notices = await inbox(m);
    expect(notices.filter((n) => n.type.startsWith('reminder')).map((n) => [n.type, n.data.startsAt])).toEqual([
      ['reminder-2h', at(72 * 60)],
      ['reminder-24h', at(72 * 60)],
    ]);
    expect(notices.filter((n) => n.type === 'activity-changed')).toHaveLength(1);
    freezeClock(T0);
  });
});

describe('preferences', () => {
  it('a member turns a type off in-app and on by SMS; the next notice follows them; a mandatory one cannot be turned off', async () => {
    freezeClock(T0);
    const m = await e2e.member('辛');
    const set = await api.put('/members/me/notification-preferences', m.token, {
      'signup-confirmed': { inapp: false, sms: true },
    });
    expect(set.status).toBe(200);
    expect(set.body.types.find((x: { type: string }) => x.type === 'signup-confirmed').channels).toEqual({
      inapp: false,
      sms: true,
      wechat: true,
    });
    const refused = await api.put('/members/me/notification-preferences', m.token, {
      'activity-cancelled': { sms: false },
    });
    expect([refused.status, refused.body.code]).toEqual([409, 'NOTICE_MANDATORY']);
    const a = await publish(3 * 24 * 60, 5);
    await api.post(`/activities/${a}/signups`, m.token);
    expect((await inbox(m)).filter((n) => n.type === 'signup-confirmed')).toEqual([]);
    expect((await messages()).filter((x) => x.recipientId === `member:${m.memberId}`).map((x) => x.type)).toEqual([
      'signup-confirmed',
    ]);
  });
});

describe("stations' and training's notices, through the same outbox", () => {
  it('a closure tells the leader of each team whose booking it cancelled once, in-app and by SMS (urgent, mandatory)', async () => {
    freezeClock(T0);
    const admin = await mint.communityAdmin(ids.community);
    const team = await e2e.team({ name: '驿站服务队', communityId: ids.community });
    const open = [{ from: '08:00', to: '20:00' }];
    const station = await api.post('/stations', admin, {
      name: '通知微驿站',
      communityId: ids.community,
      address: '党群服务中心',
      managers: [],
      amenities: [],
      openingHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, open])),
      weeklyCapHours: 10,
    });
    expect(station.status, station.text).toBe(201);
    const stationId = station.body.stationId;
    const book = (from: string, to: string) =>
      api.post(`/stations/${stationId}/bookings`, team.leader.token, { startsAt: from, endsAt: to, purpose: '义诊' });
    const covered = [
      await book('2026-06-03T09:00:00+08:00', '2026-06-03T10:00:00+08:00'),
      await book('2026-06-03T14:00:00+08:00', '2026-06-03T15:30:00+08:00'),
    ];
    for (const r of covered) expect(r.status, r.text).toBe(201);
    const close = await api.post(`/stations/${stationId}/closures`, admin, {
      from: '2026-06-03T00:00:00+08:00',
      to: '2026-06-04T00:00:00+08:00',
      reason: '设备检修',
    });
    expect(close.status, close.text).toBe(201);
    expect(close.body.cancelledBookings).toHaveLength(2);
    const leader = team.leader as Member;
    // Delivered twice over (the stream settled twice, the poller runs again): still one notice per booking.
    await inbox(leader);
    const notices = (await inbox(leader)).filter((n) => n.type === 'booking-cancelled');
    expect(notices.map((n) => n.data.bookingId).sort()).toEqual(covered.map((r) => r.body.bookingId).sort());
    for (const n of notices) expect(n.body).toContain('设备检修');
    const sms = (await messages()).filter(
      (x) => x.recipientId === `member:${leader.memberId}` && x.type === 'booking-cancelled',
    );
    expect(sms.map((x) => x.channel)).toEqual(['sms', 'sms']);
  });

  it('a 7-day expiry reminder is delivered once, in-app and by SMS; the job run twice, and the next day, sends nothing twice', async () => {
    freezeClock(T0);
    const admin = await mint.communityAdmin(ids.community);
    const m = await e2e.checkedInMember({ communityId: ids.community, name: '持证者' });
    // Expires in 6.5 days (the 7-day window); 10:00 in Shanghai, outside quiet hours.
    const granted = await api.post(`/members/${m.memberId}/qualifications`, admin, {
      qualification: 'pre-service',
      validUntil: at(6 * 24 * 60 + 12 * 60),
    });
    expect(granted.status, granted.text).toBe(200);
    const mine = () => messages().then((all) => all.filter((x) => x.recipientId === `member:${m.memberId}`));
    for (const clock of [T0, T0, at(24 * 60)]) {
      freezeClock(clock);
      const run = await e2e.runJob('remind-expiring');
      expect(run.status, run.text).toBe(200);
      const reminders = (await inbox(m)).filter((n) => n.type === 'qualification-expiring');
      expect(reminders, clock).toHaveLength(1);
      expect(reminders[0]!.data).toMatchObject({ qualification: 'pre-service', window: 7 });
      expect(reminders[0]!.body).toContain('岗前培训');
      expect((await mine()).map((x) => [x.channel, x.type])).toEqual([['sms', 'qualification-expiring']]);
    }
    freezeClock(T0);
  });
});

describe('decisions, wishes and hours are announced', () => {
  const types = async (m: Member) => (await inbox(m)).map((n) => n.type).sort();

  it('a check-in decided, a team join decided (approved and rejected), each once', async () => {
    freezeClock(T0);
    const m = await e2e.checkedInMember({ communityId: ids.community, name: '报到者' });
    const decided = (await inbox(m)).filter((n) => n.type === 'check-in-decided');
    expect(decided).toHaveLength(1);
    expect(decided[0]!.data).toMatchObject({ decision: 'approved', communityId: ids.community });
    const team = await e2e.team({ name: '决定服务队', communityId: ids.community });
    const [yes, no] = [await e2e.joinRequest(team.teamId), await e2e.joinRequest(team.teamId)];
    expect((await api.post(`/teams/${team.teamId}/members/${yes.memberId}/approve`, team.leader.token)).status).toBe(
      200,
    );
    const rejected = await api.post(`/teams/${team.teamId}/members/${no.memberId}/reject`, team.leader.token, {
      reason: '名额已满',
    });
    expect(rejected.status, rejected.text).toBe(200);
    const [toYes, toNo] = [await inbox(yes), await inbox(no)];
    expect(toYes.filter((n) => n.type === 'team-join-decided').map((n) => n.body)).toEqual([
      expect.stringContaining('决定服务队'),
    ]);
    expect(toNo.filter((n) => n.type === 'team-join-decided').map((n) => n.body)).toEqual([
      expect.stringContaining('名额已满'),
    ]);
  });

  it('each step of a wish to the resident and to the claimant; hours recorded, then corrected', async () => {
    freezeClock(T0);
    const admin = await mint.communityAdmin(ids.community);
    const resident = { memberId: '', token: await mint.resident() } as Member;
    const claimant = await e2e.checkedInMember({ communityId: ids.community, name: '认领者' });
    const posted = await api.post('/wishes', resident.token, {
      title: '帮忙修水龙头',
      description: '厨房水龙头漏水',
      category: 'elderly-care',
      skillsWanted: [],
      communityId: ids.community,
      contactName: '居民甲',
      contactPhone: '13700001111',
    });
    expect(posted.status, posted.text).toBe(201);
    const w = posted.body.wishId;
    expect((await api.post(`/wishes/${w}/review`, admin, { decision: 'publish' })).status).toBe(200);
    expect((await api.post(`/wishes/${w}/claim`, claimant.token)).status).toBe(200);
    const done = await api.post(`/wishes/${w}/complete`, claimant.token, { note: '已修好', hours: 2 });
    expect(done.status, done.text).toBe(200);
    expect((await api.post(`/wishes/${w}/confirm`, resident.token, { rating: 5 })).status).toBe(200);
    // The resident is told of every step they did not take; the claimant of those they did not take.
    const toResident = (await inbox(resident)).filter((n) => n.type === 'wish-step');
    expect(toResident.map((n) => n.data.step).sort()).toEqual(['WishClaimed', 'WishCompleted', 'WishPublished']);
    const toClaimant = (await inbox(claimant)).filter((n) => n.type === 'wish-step-claimant');
    expect(toClaimant.map((n) => n.data.step)).toEqual(['WishConfirmed']);
    const recorded = (await inbox(claimant)).filter((n) => n.type === 'hours-recorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.data).toMatchObject({ hours: 2, activityName: '帮忙修水龙头' });
    const recordId = String(recorded[0]!.data.recordId);
    // A correction asked and accepted: told once, with the hours before and after.
    const asked = await api.post(`/service-records/${recordId}/corrections`, claimant.token, {
      requestedHours: 3,
      reason: '实际用时3小时',
    });
    expect(asked.status, asked.text).toBe(201);
    const accepted = await api.post(
      `/service-records/${recordId}/corrections/${asked.body.correctionId}/accept`,
      admin,
      { hours: 3 },
    );
    expect(accepted.status, accepted.text).toBe(200);
    const corrected = (await inbox(claimant)).filter((n) => n.type === 'hours-corrected');
    expect(corrected.map((n) => [n.data.hoursBefore, n.data.hoursAfter])).toEqual([[2, 3]]);
    expect(await types(claimant)).toEqual(
      ['check-in-decided', 'hours-corrected', 'hours-recorded', 'wish-step-claimant'].sort(),
    );
  });

  it("an activity's close tells each attendee their hours, once", async () => {
    freezeClock(T0);
    const a = await publish(60, 5); // 11:00-13:00 in Shanghai
    const m = await e2e.member('到场者');
    expect((await api.post(`/activities/${a}/signups`, m.token)).status).toBe(201);
    freezeClock(at(60));
    const code = (await api.post(`/activities/${a}/attendance-code`, t.leader)).body.code;
    expect((await api.post(`/activities/${a}/check-in`, m.token, { code })).status).toBe(200);
    freezeClock(at(180));
    const out = (await api.post(`/activities/${a}/attendance-code`, t.leader)).body.code;
    expect((await api.post(`/activities/${a}/check-out`, m.token, { code: out })).status).toBe(200);
    freezeClock(at(200));
    for (let i = 0; i < 2; i++)
      expect((await api.post(`/activities/${a}/close`, t.leader, { peopleServed: 10, summary: '义诊' })).status).toBe(
        200,
      );
    const recorded = (await inbox(m)).filter((n) => n.type === 'hours-recorded');
    expect(recorded.map((n) => n.data.hours)).toEqual([2]);
    freezeClock(T0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { allItems } from '../support/inspect.ts';
import { useE2e, type Member } from '../support/e2e.ts';

/**
 * Notifications end to end: the routes write outbox entries in their own transactions, the
 * table's stream (the local poller, as Lambda's event source mapping) hands each new one to the
 * notifier, which puts it in the inbox and pushes SMS / WeChat (captured locally, listed at
 * /_local/messages). The reminders job runs through the local job runner with the clock frozen.
 */
const e2e = useE2e({ identity: true });
const { api } = e2e;
const ids = { community: '' };
const t: Record<string, string> = {};
// 10:00 in Shanghai on a Monday: no quiet hours.
const T0 = '2026-06-01T02:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

beforeAll(async () => {
  freezeClock(T0);
  ids.community = await e2e.community(await e2e.street('通知街道'), '通知社区');
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

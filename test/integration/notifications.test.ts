import { afterEach, describe, expect, it } from 'vitest';
import * as store from '../../shared/db/activities.ts';
import { getOutbox, noticeOf } from '../../shared/db/notifications.ts';
import { outboxKey } from '../../shared/db/keys.ts';
import { freezeClock } from '../../shared/domain/clock.ts';
import type { Notice } from '../../shared/domain/notices.ts';
import { capturedMessages, refuseCaptured } from '../../shared/events/channels.ts';
import * as svc from '../../shared/services/activities.ts';
import * as notify from '../../shared/services/notifications.ts';
import { allItems } from '../support/inspect.ts';
import { caller, crowd, plus, publish, T0, team } from './activities-fixture.ts';

/**
 * The notifier's rules against DynamoDB Local, calling it as the stream does (one outbox entry at a
 * time): at most once per dedupe key and channel, the re-check before sending, reminders keyed by
 * the start, quiet hours, preferences; and the waitlist served in order when a capacity is raised
 * while members cancel. (The stream itself, end to end: test/e2e/notifications-flow.test.ts.)
 */
afterEach(() => refuseCaptured(undefined));

/** The outbox entries written so far (a test's view: the notifier gets them from the stream). */
async function outbox(filter: (n: Notice) => boolean = () => true): Promise<Notice[]> {
  const items = await allItems();
  return items
    .filter((i) => i.sk === 'OUTBOX')
    .map(noticeOf)
    .filter(filter);
}
const forMember = (memberId: string, type?: string) => (n: Notice) =>
  n.recipient.id === memberId && (type === undefined || n.type === type);

async function inboxOf(memberId: string) {
  return (await notify.myNotifications(caller(memberId), 100, undefined)).items;
}

describe('outbox and notifier', () => {
  it('a sign-up writes its confirmation in its own transaction; delivered twice, it is in the inbox once', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader, 1);
    const [m1, m2] = await crowd(2);
    const s1 = await svc.signUp(m1!, a.activityId);
    await svc.signUp(m2!, a.activityId);
    const [confirmed] = await outbox(forMember(m1!.memberId));
    const [waitlisted] = await outbox(forMember(m2!.memberId));
    expect(confirmed).toMatchObject({
      type: 'signup-confirmed',
      data: { activityId: a.activityId, ticket: s1.ticket },
      recipient: { kind: 'member', id: m1!.memberId },
    });
    expect(waitlisted?.type).toBe('signup-waitlisted');

    const first = await notify.deliver(confirmed!);
    const again = await notify.deliver(confirmed!);
    expect(first.channels.inapp).toBe('delivered');
    expect(again.channels.inapp).toBe('duplicate');
    const inbox = await inboxOf(m1!.memberId);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ type: 'signup-confirmed', title: '报名成功' });
    expect(inbox[0]!.body).toContain('集中服务日');
  });

  it('a confirmation whose sign-up was cancelled before delivery is not sent', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader, 3);
    const [m] = await crowd(1);
    await svc.signUp(m!, a.activityId);
    await svc.cancel(m!, a.activityId);
    const [entry] = await outbox(forMember(m!.memberId, 'signup-confirmed'));
    expect(await notify.deliver(entry!)).toMatchObject({ dropped: 'no longer holds' });
    expect(await inboxOf(m!.memberId)).toEqual([]);
  });

  it('a promotion tells the promoted member, on SMS too (mandatory); a push refused by the channel can be retried, then goes once', async () => {
    freezeClock('2025-06-02T04:00:00.000Z'); // 12:00 in Shanghai: no quiet hours
    const { leader } = await team();
    const a = await publish(leader, 1);
    const [m1, m2] = await crowd(2);
    await svc.signUp(m1!, a.activityId);
    await svc.signUp(m2!, a.activityId);
    await svc.cancel(m1!, a.activityId);
    const [promoted] = await outbox(forMember(m2!.memberId, 'promoted'));
    expect(promoted).toBeDefined();
    refuseCaptured((msg) => msg.recipientId === `member:${m2!.memberId}`);
    await expect(notify.deliver(promoted!)).rejects.toThrow(/refused/);
    refuseCaptured(undefined);
    const ok = await notify.deliver(promoted!);
    expect(ok.channels).toMatchObject({ inapp: 'duplicate', sms: 'delivered', wechat: 'undeliverable' });
    expect((await notify.deliver(promoted!)).channels.sms).toBe('duplicate');
    const sms = capturedMessages().filter((c) => c.dedupeKey === promoted!.dedupeKey);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'sms', to: '13912345678', type: 'promoted' });
  });

  it('five notifiers delivering the same notice at once send it once per channel', async () => {
    freezeClock('2025-06-02T04:00:00.000Z');
    const { leader } = await team();
    const a = await publish(leader, 1);
    const [m1, m2] = await crowd(2);
    await svc.signUp(m1!, a.activityId);
    await svc.signUp(m2!, a.activityId);
    await svc.cancel(m1!, a.activityId);
    const [promoted] = await outbox(forMember(m2!.memberId, 'promoted'));
    const runs = await Promise.all(Array.from({ length: 5 }, () => notify.deliver(promoted!)));
    expect(runs.filter((r) => r.channels.inapp === 'delivered')).toHaveLength(1);
    expect(runs.filter((r) => r.channels.sms === 'delivered')).toHaveLength(1);
    expect(capturedMessages().filter((c) => c.dedupeKey === promoted!.dedupeKey)).toHaveLength(1);
    expect((await inboxOf(m2!.memberId)).filter((n) => n.type === 'promoted')).toHaveLength(1);
  });

  it('quiet hours hold a non-urgent push until 08:00 Shanghai (the inbox gets it at once); an urgent one goes at once', async () => {
    freezeClock('2025-06-02T15:00:00.000Z'); // 23:00 in Shanghai
    const { leader } = await team();
    const a = await publish(leader, 1);
    const [m1, m2] = await crowd(2);
    await svc.signUp(m1!, a.activityId);
    await svc.signUp(m2!, a.activityId);
    await svc.cancel(m1!, a.activityId);
    const [promoted] = await outbox(forMember(m2!.memberId, 'promoted'));
    expect((await notify.deliver(promoted!)).channels).toMatchObject({ inapp: 'delivered', sms: 'held' });
    expect(capturedMessages().filter((c) => c.dedupeKey === promoted!.dedupeKey)).toEqual([]);

    // 07:45: still quiet; 08:00: the held push goes, once.
    await notify.runReminders('2025-06-02T23:45:00.000Z');
    expect(capturedMessages().filter((c) => c.dedupeKey === promoted!.dedupeKey)).toEqual([]);
    freezeClock('2025-06-03T00:00:00.000Z');
    expect((await notify.runReminders('2025-06-03T00:00:00.000Z')).heldPushesSent).toBeGreaterThanOrEqual(1);
    await notify.runReminders('2025-06-03T00:15:00.000Z');
    expect(capturedMessages().filter((c) => c.dedupeKey === promoted!.dedupeKey)).toHaveLength(1);

    // An urgent notice (cancellation) at 23:30 goes at once.
    freezeClock('2025-06-02T15:30:00.000Z');
    const b = await publish(leader, 5);
    const [m3] = await crowd(1);
    await svc.signUp(m3!, b.activityId);
    await svc.cancelActivity(leader, b.activityId, '场地临时关闭');
    const [fan] = await outbox(
      (n) => n.type === 'activity-cancelled' && n.recipient.kind === 'signups' && n.recipient.id === b.activityId,
    );
    expect(await notify.deliver(fan!)).toMatchObject({ fannedOut: 1 });
    const [cancelled] = await outbox(forMember(m3!.memberId, 'activity-cancelled'));
    expect((await notify.deliver(cancelled!)).channels).toMatchObject({ inapp: 'delivered', sms: 'delivered' });
    expect((await inboxOf(m3!.memberId))[0]?.body).toContain('场地临时关闭');
  });

  it('preferences switch channels per type; a mandatory type cannot be switched off', async () => {
    freezeClock('2025-06-02T04:00:00.000Z');
    const [m] = await crowd(1);
    const view = await notify.setPreferences(m!, { 'signup-confirmed': { sms: true, inapp: false } });
    expect(view.types.find((t) => t.type === 'signup-confirmed')?.channels).toEqual({
      inapp: false,
      sms: true,
      wechat: true,
    });
    await expect(notify.setPreferences(m!, { promoted: { sms: false } })).rejects.toMatchObject({
      code: 'NOTICE_MANDATORY',
    });
    const { leader } = await team();
    const a = await publish(leader, 3);
    await svc.signUp(m!, a.activityId);
    const [entry] = await outbox(forMember(m!.memberId, 'signup-confirmed'));
    expect((await notify.deliver(entry!)).channels).toMatchObject({ inapp: 'off', sms: 'delivered' });
    expect(await inboxOf(m!.memberId)).toEqual([]);
  });
});

describe('reminders', () => {
  it('a cancellation 25 h before gives no 24 h reminder; one after the reminder was written is caught by the re-check', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader, 5); // starts T0 + 24 h
    const [early, late] = await crowd(2);
    await svc.signUp(early!, a.activityId);
    await svc.signUp(late!, a.activityId);
    const start = a.startsAt;

    freezeClock(plus(start, -25 * 60));
    await svc.cancel(early!, a.activityId);
    freezeClock(plus(start, -24 * 60));
    await notify.runReminders(plus(start, -24 * 60));
    expect(await outbox(forMember(early!.memberId, 'reminder-24h'))).toEqual([]);
    const [r] = await outbox(forMember(late!.memberId, 'reminder-24h'));
    expect(r?.data.startsAt).toBe(start);

    // The job again: the same entry, nothing new.
    await notify.runReminders(plus(start, -24 * 60 + 5));
    expect(await outbox(forMember(late!.memberId, 'reminder-24h'))).toHaveLength(1);

    await svc.cancel(late!, a.activityId);
    expect(await notify.deliver(r!)).toMatchObject({ dropped: 'no longer holds' });
    expect((await inboxOf(late!.memberId)).filter((n) => n.type === 'reminder-24h')).toEqual([]);
  });

  it('a moved activity is reminded only at its new time', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader, 5);
    const [m] = await crowd(1);
    await svc.signUp(m!, a.activityId);
    const oldStart = a.startsAt;
    // The 24 h reminder of the old time is written, then the leader moves the activity by two days.
    await notify.runReminders(plus(oldStart, -24 * 60));
    const [old] = await outbox(forMember(m!.memberId, 'reminder-24h'));
    const moved = await svc.editActivity(leader, a.activityId, {
      startsAt: plus(oldStart, 48 * 60),
      endsAt: plus(oldStart, 48 * 60 + 120),
    });
    expect(moved.startsAt).toBe(plus(oldStart, 48 * 60));
    expect(await notify.deliver(old!)).toMatchObject({ dropped: 'no longer holds' });
    await notify.runReminders(plus(oldStart, -2 * 60));
    expect(await outbox(forMember(m!.memberId, 'reminder-2h'))).toEqual([]);

    await notify.runReminders(plus(moved.startsAt, -24 * 60));
    await notify.runReminders(plus(moved.startsAt, -2 * 60));
    const reminders = await outbox((n) => forMember(m!.memberId)(n) && n.type.startsWith('reminder-'));
    expect(reminders.map((n) => [n.type, n.data.startsAt]).sort()).toEqual([
      ['reminder-24h', oldStart],
      ['reminder-24h', moved.startsAt],
      ['reminder-2h', moved.startsAt],
    ]);
    for (const n of reminders) await notify.deliver(n);
    const inbox = await inboxOf(m!.memberId);
    expect(inbox.filter((n) => n.type.startsWith('reminder-')).map((n) => n.data.startsAt)).toEqual([
      moved.startsAt,
      moved.startsAt,
    ]);
    // The move itself was announced to the member (a fan-out entry).
    const [fan] = await outbox((n) => n.type === 'activity-changed' && n.recipient.kind === 'signups');
    expect(await notify.deliver(fan!)).toMatchObject({ fannedOut: 1 });
    expect(
      await getOutbox(`activity-changed:${a.activityId}:${m!.memberId}:${String(fan!.data.version)}`),
    ).toBeDefined();
    expect(outboxKey('x').sk).toBe('OUTBOX');
  });
});

describe('a capacity raised while members cancel', () => {
  it('promotes from the waitlist in arrival order, exactly up to the new capacity, each promoted member told once', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader, 5);
    const people = await crowd(25);
    for (const m of people) await svc.signUp(m, a.activityId); // 5 confirmed, 20 waiting, in this order
    const leaving = people.slice(0, 5);
    await Promise.all([
      svc.editActivity(leader, a.activityId, { capacity: 15 }),
      ...leaving.map((m) => svc.cancel(m, a.activityId)),
    ]);
    const after = await svc.getActivity(a.activityId);
    expect(after).toMatchObject({ capacity: 15, confirmedCount: 15, waitlistedCount: 5 });
    const signups = await store.allSignups(a.activityId);
    const confirmed = signups
      .filter((s) => s.status === 'confirmed')
      .map((s) => s.memberId)
      .sort();
    expect(confirmed).toEqual(
      people
        .slice(5, 20)
        .map((m) => m.memberId)
        .sort(),
    );
    expect((await store.waitlist(a.activityId)).map((w) => w.memberId)).toEqual(
      people.slice(20).map((m) => m.memberId),
    );
    const promoted = await outbox((n) => n.type === 'promoted' && n.data.activityId === a.activityId);
    expect(promoted.map((n) => n.recipient.id).sort()).toEqual(confirmed);
  });

  it('a capacity below the confirmed count is refused and drops nobody', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader, 3);
    for (const m of await crowd(3)) await svc.signUp(m, a.activityId);
    await expect(svc.editActivity(leader, a.activityId, { capacity: 2 })).rejects.toMatchObject({
      code: 'CAPACITY_BELOW_CONFIRMED',
    });
    expect(await svc.getActivity(a.activityId)).toMatchObject({ capacity: 3, confirmedCount: 3 });
  });
});

import { nowIso, nowMs } from '../domain/clock.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { maskPhone } from '../domain/masking.ts';
import {
  channelsFor,
  NOTICE_TYPES,
  noticeIdOf,
  pushAllowedAt,
  recipientId,
  REMINDER_STEP_MIN,
  REMINDERS,
  type Channel,
  type Notice,
  type NoticeType,
  type Preferences,
  type Recipient,
  type SubjectState,
} from '../domain/notices.ts';
import type { Caller } from '../domain/policy.ts';
import * as acts from '../db/activities.ts';
import type { Page } from '../db/cursor.ts';
import * as store from '../db/notifications.ts';
import { adapterFor, NotSent, type PushChannel } from '../events/channels.ts';
import { addMetric } from '../metrics/metrics.ts';

/**
 * The notifier and the inbox. `deliver` is what the table's stream hands each new outbox entry to
 * (functions/notifier): it checks again that the notice still holds (a cancelled sign-up gets no
 * confirmation, a moved activity no reminder of its old time), then delivers it on each channel
 * the type and the person's preferences name, at most once per dedupe key and channel: the inbox
 * item and each push's delivery record are conditional Puts, so a retried batch, a repeated
 * entry or a second notifier sends nothing twice. Non-urgent pushes wait for the end of quiet
 * hours (22:00-08:00 Asia/Shanghai); the inbox gets the notice at once.
 */

export type Outcome = 'delivered' | 'duplicate' | 'held' | 'undeliverable' | 'off';

export interface Delivery {
  readonly dedupeKey: string;
  readonly type: string;
  readonly dropped?: 'no longer holds';
  readonly fannedOut?: number;
  readonly channels: Partial<Record<Channel, Outcome>>;
}

/** The notice an outbox item holds (a stream image), or undefined for anything else. */
export function noticeOfImage(image: Record<string, unknown>): Notice | undefined {
  return image.type === 'outbox' ? store.noticeOf(image) : undefined;
}

export async function deliver(n: Notice): Promise<Delivery> {
  if (n.recipient.kind === 'signups') {
    // A fan-out entry (an activity changed or cancelled): one outbox entry per member signed up.
    const count = await acts.expandFanOut(n);
    return { dedupeKey: n.dedupeKey, type: n.type, channels: {}, fannedOut: count };
  }
  const t: NoticeType = NOTICE_TYPES[n.type];
  const rid = recipientId(n.recipient);
  const memberId = n.recipient.kind === 'member' ? n.recipient.id : undefined;
  const activityId = typeof n.data.activityId === 'string' ? n.data.activityId : undefined;
  const pushes = t.channels.some((c) => c !== 'inapp') || !t.mandatory;
  const [{ state, profile }, prefs] = await Promise.all([
    store.readSubject(
      t.subject === 'none' ? undefined : activityId,
      t.subject === 'signup' ? memberId : undefined,
      pushes ? memberId : undefined,
    ),
    store.getPreferences(rid),
  ]);
  if (!t.holds(n.data, state))
    return { dedupeKey: n.dedupeKey, type: n.type, dropped: 'no longer holds', channels: {} };
  const chosen = channelsFor(n.type, prefs);
  const text = textOf(t, n, state);
  const out: Partial<Record<Channel, Outcome>> = {};
  for (const c of ['inapp', 'sms', 'wechat'] as const) {
    if (!chosen.includes(c)) {
      if (t.channels.includes(c)) out[c] = 'off';
      continue;
    }
    if (c === 'inapp') {
      const put = await store.putInbox(rid, {
        noticeId: noticeIdOf(n.dedupeKey),
        type: n.type,
        ...text,
        data: n.data,
        createdAt: n.createdAt,
      });
      out.inapp = put ? 'delivered' : 'duplicate';
      continue;
    }
    const due = t.urgent ? nowMs() : pushAllowedAt(nowMs());
    if (due > nowMs()) {
      await store.holdPush(n, c, new Date(due).toISOString());
      out[c] = 'held';
      continue;
    }
    out[c] = await push(c, n, text, c === 'sms' ? profile?.phone : profile?.wechatOpenId);
  }
  return { dedupeKey: n.dedupeKey, type: n.type, channels: out };
}

/** The notice's text: its data over the subject's title and start. */
function textOf(t: NoticeType, n: Notice, s: SubjectState) {
  return t.template({ ...(s.activity ? { title: s.activity.title, startsAt: s.activity.startsAt } : {}), ...n.data });
}

/**
 * One push, at most once: the delivery record is claimed first (a conditional Put); a provider's
 * certain refusal gives the claim back and fails (the stream retries, then its failure queue); no
 * address or no configured channel is `undeliverable` (counted, not retried).
 */
async function push(
  channel: PushChannel,
  n: Notice,
  text: { title: string; body: string },
  to: string | undefined,
): Promise<Outcome> {
  if (!(await store.claimDelivery(n.dedupeKey, channel, nowIso()))) return 'duplicate';
  const adapter = adapterFor(channel);
  if (!adapter || !to) {
    addMetric('NoticesFailed');
    await store.settleDelivery(n.dedupeKey, channel, 'undeliverable');
    return 'undeliverable';
  }
  try {
    await adapter.send({
      channel,
      to,
      recipientId: recipientId(n.recipient),
      type: n.type,
      ...text,
      dedupeKey: n.dedupeKey,
    });
  } catch (err) {
    addMetric('NoticesFailed');
    if (err instanceof NotSent) await store.releaseDelivery(n.dedupeKey, channel);
    throw err;
  }
  await store.settleDelivery(n.dedupeKey, channel, 'sent');
  return 'delivered';
}

// ---------- the reminders job ----------

/**
 * Every REMINDER_STEP_MIN minutes: for each reminder (24 h, 2 h), the open activities that start
 * in the step that begins that long from now (one Query of the month's activities by start),
 * and for each of their confirmed members an outbox entry keyed by the activity's start (so a
 * moved activity is reminded at its new time, and a repeat of the job writes the same entries:
 * no new INSERT, no second notice). A cancelled sign-up is not there; one cancelled after the
 * entry was written is caught by the notifier's re-check. Then the pushes whose quiet hours are over.
 */
export async function runReminders(at?: string): Promise<Record<string, number>> {
  const t = at ? Date.parse(at) : nowMs();
  const step = REMINDER_STEP_MIN * 60_000;
  const slot = Math.floor(t / step) * step;
  let entries = 0;
  let activities = 0;
  for (const r of REMINDERS) {
    const from = new Date(slot + r.beforeMs).toISOString();
    const to = new Date(slot + r.beforeMs + step - 1).toISOString();
    for (const a of await acts.activitiesStarting(from, to)) {
      if (a.status !== 'open') continue;
      activities++;
      entries += await acts.writeReminders(a, r.type, new Date(t).toISOString());
    }
  }
  let released = 0;
  for (const h of await store.duePushes(new Date(t).toISOString(), 100)) {
    await deliverHeld(h.notice, h.channel);
    released++;
  }
  return { activities, reminders: entries, heldPushesSent: released };
}

/** A held push whose quiet hours are over: checked again, then pushed (at most once), then dropped from the hold. */
async function deliverHeld(n: Notice, channel: Channel): Promise<void> {
  if (channel === 'inapp') return store.dropHeld(n.dedupeKey, channel);
  const t: NoticeType = NOTICE_TYPES[n.type];
  const memberId = n.recipient.kind === 'member' ? n.recipient.id : undefined;
  const activityId = typeof n.data.activityId === 'string' ? n.data.activityId : undefined;
  const { state, profile } = await store.readSubject(
    t.subject === 'none' ? undefined : activityId,
    t.subject === 'signup' ? memberId : undefined,
    memberId,
  );
  if (t.holds(n.data, state))
    await push(channel, n, textOf(t, n, state), channel === 'sms' ? profile?.phone : profile?.wechatOpenId);
  await store.dropHeld(n.dedupeKey, channel);
}

// ---------- the inbox and preferences (routes) ----------

/** The caller's inbox identity: a member by member id, a resident by sub. */
export function recipientOf(caller: Caller): Recipient {
  return caller.roles.has('member') || caller.roles.has('team_leader')
    ? { kind: 'member', id: caller.memberId }
    : { kind: 'resident', id: caller.sub };
}

export async function myNotifications(
  caller: Caller,
  limit: number,
  cursor: string | undefined,
): Promise<Page<store.InboxNotice>> {
  return store.listInbox(recipientId(recipientOf(caller)), limit, cursor);
}

export async function markRead(caller: Caller, noticeId: string): Promise<store.InboxNotice> {
  const n = await store.markRead(recipientId(recipientOf(caller)), noticeId, nowIso());
  if (!n) throw notFound('notification');
  return n;
}

export interface PreferencesView {
  readonly types: readonly {
    readonly type: string;
    readonly mandatory: boolean;
    readonly urgent: boolean;
    readonly channels: Readonly<Record<Channel, boolean>>;
  }[];
}

function viewOf(caller: Caller, prefs: Preferences): PreferencesView {
  const audience = recipientOf(caller).kind;
  return {
    types: Object.entries(NOTICE_TYPES)
      .filter(([, t]) => t.audience === audience)
      .map(([type, t]) => {
        const on = channelsFor(type as keyof typeof NOTICE_TYPES, prefs);
        return {
          type,
          mandatory: t.mandatory,
          urgent: t.urgent,
          channels: { inapp: on.includes('inapp'), sms: on.includes('sms'), wechat: on.includes('wechat') },
        };
      }),
  };
}

export async function myPreferences(caller: Caller): Promise<PreferencesView> {
  return viewOf(caller, await store.getPreferences(recipientId(recipientOf(caller))));
}

/** Sets channels per type; a mandatory type cannot be switched off (409 naming it), other types keep what is not named. */
export async function setPreferences(
  caller: Caller,
  changes: Readonly<Record<string, Readonly<Partial<Record<Channel, boolean | undefined>>> | undefined>>,
): Promise<PreferencesView> {
  const r = recipientOf(caller);
  const problems: { field: string; message: string }[] = [];
  for (const [type, channels = {}] of Object.entries(changes)) {
    const t = (NOTICE_TYPES as Record<string, NoticeType>)[type];
    if (!t || t.audience !== r.kind)
      problems.push({ field: 'body', message: `${type}: not a notice type you receive` });
    else if (t.mandatory && Object.values(channels).some((v) => v === false))
      throw new DomainError('NOTICE_MANDATORY', `${type} notices cannot be switched off`);
  }
  if (problems.length > 0)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors: problems });
  const rid = recipientId(r);
  const prefs = { ...(await store.getPreferences(rid)) } as Record<string, Partial<Record<Channel, boolean>>>;
  for (const [type, channels = {}] of Object.entries(changes))
    for (const [c, on] of Object.entries(channels)) if (on !== undefined) prefs[type] = { ...prefs[type], [c]: on };
  await store.putPreferences(rid, prefs, nowIso());
  return viewOf(caller, prefs);
}

/** A captured message as `npm start` prints it: the phone masked, the openid shortened. */
export function printable(m: { channel: string; to: string; type: string; title: string; body: string }): string {
  const to = m.channel === 'sms' ? maskPhone(m.to) : `${m.to.slice(0, 4)}…`;
  return `[${m.channel} → ${to}] ${m.type}: ${m.title} — ${m.body}`;
}

import { createHash } from 'node:crypto';

/**
 * Notices: what the platform tells people, declared once per type. A write that announces
 * something puts an outbox entry (a `Notice`) in the same transaction as the change it
 * announces; the notifier (shared/services/notifier.ts, fed by the table's stream) delivers each
 * notice at most once per dedupe key and channel, after checking again that what it says still
 * holds. Adding a notice type is one entry of NOTICE_TYPES (and the write that puts it).
 */

/** Where a notice goes: the in-app inbox, an SMS, a WeChat subscription message. */
export const CHANNELS = ['inapp', 'sms', 'wechat'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Who receives it: a member (by member id) or a resident (by the token's sub); `signups` is a
 * fan-out entry (id: an activity), which the notifier turns into one notice per member signed up.
 */
export interface Recipient {
  readonly kind: 'member' | 'resident' | 'signups';
  readonly id: string;
}
export const recipientId = (r: Recipient): string => `${r.kind}:${r.id}`;

/**
 * What a notice's re-check reads before sending (the notifier loads it by `subject`):
 * - `signup`: the activity and the recipient's sign-up (absent when cancelled);
 * - `activity`: the activity only;
 * - `grant`: the recipient's grant of the notice's `qualification` (absent when there is none);
 * - `none`: nothing (the notice holds once written).
 */
export type Subject = 'signup' | 'activity' | 'grant' | 'none';

export interface SubjectState {
  readonly activity?: { readonly status: string; readonly startsAt: string; readonly title: string };
  readonly signup?: { readonly status: string; readonly ticket: number };
  readonly grant?: { readonly validUntil?: string };
}

/** The fields a notice carries: ids and what its text needs (no phone, no ID number). */
export type NoticeData = Readonly<Record<string, string | number>>;

export interface NoticeType {
  /** Members or residents (the inbox serves both). */
  readonly audience: 'member' | 'resident';
  /** Urgent notices go out during quiet hours too; the others wait until they end. */
  readonly urgent: boolean;
  /** Cannot be switched off in the preferences (any channel). */
  readonly mandatory: boolean;
  /** The default channels (a preference may add or remove a channel, not for mandatory types). */
  readonly channels: readonly Channel[];
  readonly subject: Subject;
  /** Whether the notice still says the truth when it is about to be sent. */
  readonly holds: (data: NoticeData, s: SubjectState) => boolean;
  /** At most one delivery per key and channel: retries and repeats of the same fact give one notice. */
  readonly dedupeKey: (data: NoticeData, r: Recipient) => string;
}

/** `2026-12-05 09:00` in Asia/Shanghai. */
export function shanghaiText(iso: string): string {
  if (Number.isNaN(Date.parse(iso))) return iso;
  const t = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

const sameSignup = (d: NoticeData, s: SubjectState, status?: string) =>
  s.signup !== undefined &&
  s.signup.ticket === Number(d.ticket) &&
  (status === undefined || s.signup.status === status);
const stillOpen = (s: SubjectState) => s.activity?.status === 'open';

const reminder = (hours: 24 | 2): NoticeType => ({
  audience: 'member',
  urgent: hours === 2,
  mandatory: false,
  channels: ['inapp', 'wechat'],
  subject: 'signup',
  // Only the activity's current time is reminded: a moved activity's old reminder no longer holds.
  holds: (d, s) => stillOpen(s) && s.activity?.startsAt === d.startsAt && sameSignup(d, s, 'confirmed'),
  dedupeKey: (d, r) => `reminder-${hours}h:${d.activityId}:${r.id}:${d.startsAt}`,
});

export const NOTICE_TYPES = {
  'signup-confirmed': {
    audience: 'member',
    urgent: false,
    mandatory: false,
    channels: ['inapp', 'wechat'],
    subject: 'signup',
    holds: (d, s) => stillOpen(s) && sameSignup(d, s),
    dedupeKey: (d, r) => `signup-confirmed:${d.activityId}:${r.id}:${d.ticket}`,
  },
  'signup-waitlisted': {
    audience: 'member',
    urgent: false,
    mandatory: false,
    channels: ['inapp'],
    subject: 'signup',
    holds: (d, s) => stillOpen(s) && sameSignup(d, s, 'waitlisted'),
    dedupeKey: (d, r) => `signup-waitlisted:${d.activityId}:${r.id}:${d.ticket}`,
  },
  promoted: {
    audience: 'member',
    urgent: false,
    mandatory: true,
    channels: ['inapp', 'sms', 'wechat'],
    subject: 'signup',
    holds: (d, s) => stillOpen(s) && sameSignup(d, s, 'confirmed'),
    dedupeKey: (d, r) => `promoted:${d.activityId}:${r.id}:${d.ticket}`,
  },
  'activity-changed': {
    audience: 'member',
    urgent: true,
    mandatory: true,
    channels: ['inapp', 'sms', 'wechat'],
    subject: 'signup',
    holds: (d, s) => stillOpen(s) && sameSignup(d, s),
    dedupeKey: (d, r) => `activity-changed:${d.activityId}:${r.id}:${d.version}`,
  },
  'activity-cancelled': {
    audience: 'member',
    urgent: true,
    mandatory: true,
    channels: ['inapp', 'sms', 'wechat'],
    subject: 'activity',
    holds: (_d, s) => s.activity?.status === 'cancelled',
    dedupeKey: (d, r) => `activity-cancelled:${d.activityId}:${r.id}`,
  },
  // An objection to a nomination on public notice (先进典型公示), to the district admin who opened the notice.
  'nomination-objection': {
    audience: 'member',
    urgent: false,
    mandatory: true,
    channels: ['inapp'],
    subject: 'none',
    holds: () => true,
    dedupeKey: (d, r) => `nomination-objection:${d.nominationId}:${d.objectionId}:${r.id}`,
  },
  'reminder-24h': reminder(24),
  'reminder-2h': reminder(2),
  // A community admin decided the member's check-in request.
  'check-in-decided': {
    audience: 'member',
    urgent: false,
    mandatory: false,
    channels: ['inapp', 'wechat'],
    subject: 'none',
    holds: () => true,
    dedupeKey: (d) => `check-in-decided:${d.checkInId}`,
  },
  // A team's leader decided the member's request to join.
  'team-join-decided': {
    audience: 'member',
    urgent: false,
    mandatory: false,
    channels: ['inapp', 'wechat'],
    subject: 'none',
    holds: () => true,
    dedupeKey: (d, r) => `team-join-decided:${d.teamId}:${r.id}:${d.decidedAt}`,
  },
  // Each step of a wish, to the resident who posted it.
  'wish-step': {
    audience: 'resident',
    urgent: false,
    mandatory: false,
    channels: ['inapp', 'wechat'],
    subject: 'none',
    holds: () => true,
    dedupeKey: (d, r) => `wish-step:${d.wishId}:${d.seq}:${r.id}`,
  },
  // Each step of a wish, to the member (or the team's leader) who claimed or took it on.
  'wish-step-claimant': {
    audience: 'member',
    urgent: false,
    mandatory: false,
    channels: ['inapp', 'wechat'],
    subject: 'none',
    holds: () => true,
    dedupeKey: (d, r) => `wish-step-claimant:${d.wishId}:${d.seq}:${r.id}`,
  },
  // A service record was written (an activity's close, a completed wish): to its member.
  'hours-recorded': {
    audience: 'member',
    urgent: false,
    mandatory: false,
    channels: ['inapp'],
    subject: 'none',
    holds: () => true,
    dedupeKey: (d) => `hours-recorded:${d.recordId}`,
  },
  // A correction of a service record was decided: to its member.
  'hours-corrected': {
    audience: 'member',
    urgent: false,
    mandatory: false,
    channels: ['inapp', 'wechat'],
    subject: 'none',
    holds: () => true,
    dedupeKey: (d) => `hours-corrected:${d.correctionId}`,
  },
  // A station's closure cancelled the team's booking: to the team's leader, once per booking.
  'booking-cancelled': {
    audience: 'member',
    urgent: true,
    mandatory: true,
    channels: ['inapp', 'sms'],
    subject: 'none',
    holds: () => true,
    dedupeKey: (d, r) => `booking-cancelled:${d.bookingId}:${r.id}`,
  },
  // A qualification expires in 30, 7 or 1 days (the remind-expiring job): once per grant, expiry and window.
  'qualification-expiring': {
    audience: 'member',
    urgent: false,
    mandatory: false,
    channels: ['inapp', 'sms'],
    subject: 'grant',
    // Extended (or revoked) meanwhile: this expiry is no longer the grant's.
    holds: (d, s) => s.grant?.validUntil === d.validUntil,
    dedupeKey: (d, r) => `qualification-expiring:${r.id}:${d.qualification}:${d.validUntil}:${d.window}d`,
  },
} as const satisfies Record<string, NoticeType>;

export type NoticeTypeName = keyof typeof NOTICE_TYPES;
export const NOTICE_TYPE_NAMES = Object.keys(NOTICE_TYPES) as NoticeTypeName[];

/** An outbox entry: written with the change it announces, delivered by the notifier. */
export interface Notice {
  readonly dedupeKey: string;
  readonly type: NoticeTypeName;
  readonly recipient: Recipient;
  readonly data: NoticeData;
  readonly createdAt: string;
}

/** A notice's id in the inbox: derived from its dedupe key (the same notice is the same inbox item). */
export function noticeIdOf(dedupeKey: string): string {
  return `nt_${createHash('sha256').update(dedupeKey).digest('base64url').slice(0, 22)}`;
}

export function notice(type: NoticeTypeName, recipient: Recipient, data: NoticeData, at: string): Notice {
  const t: NoticeType = NOTICE_TYPES[type];
  if (t.audience !== recipient.kind) throw new Error(`${type} goes to a ${t.audience}, not a ${recipient.kind}`);
  return { dedupeKey: t.dedupeKey(data, recipient), type, recipient, data, createdAt: at };
}

/** What a person turned off, per type and channel (absent: the type's default channels). */
export type Preferences = Readonly<Partial<Record<NoticeTypeName, Readonly<Partial<Record<Channel, boolean>>>>>>;

/** The channels a notice goes to: its defaults, changed by the preferences unless it is mandatory. */
export function channelsFor(type: NoticeTypeName, prefs: Preferences): Channel[] {
  const t: NoticeType = NOTICE_TYPES[type];
  if (t.mandatory) return [...t.channels];
  const p = prefs[type] ?? {};
  return CHANNELS.filter((c) => p[c] ?? t.channels.includes(c));
}

/** Quiet hours, Asia/Shanghai: from 22:00 to 08:00 nothing but urgent notices is pushed (SMS, WeChat). */
export const QUIET_FROM_HOUR = 22;
export const QUIET_UNTIL_HOUR = 8;

/** When a non-urgent push may go out: `atMs` itself, or 08:00 Shanghai after it when it falls in quiet hours. */
export function pushAllowedAt(atMs: number): number {
  const local = atMs + 8 * 3600_000;
  const hour = new Date(local).getUTCHours();
  if (hour >= QUIET_UNTIL_HOUR && hour < QUIET_FROM_HOUR) return atMs;
  const day = new Date(local);
  day.setUTCHours(QUIET_UNTIL_HOUR, 0, 0, 0);
  if (hour >= QUIET_FROM_HOUR) day.setUTCDate(day.getUTCDate() + 1);
  return day.getTime() - 8 * 3600_000;
}

/** Reminders go out this long before the start, by a job every REMINDER_STEP_MIN minutes. */
export const REMINDERS = [
  { type: 'reminder-24h', beforeMs: 24 * 3600_000 },
  { type: 'reminder-2h', beforeMs: 2 * 3600_000 },
] as const satisfies readonly { type: NoticeTypeName; beforeMs: number }[];
export const REMINDER_STEP_MIN = 15;

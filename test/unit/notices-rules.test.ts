import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  channelsFor,
  NOTICE_TYPE_NAMES,
  NOTICE_TYPES,
  type NoticeData,
  type NoticeType,
  type NoticeTypeName,
  notice,
  noticeIdOf,
  pushAllowedAt,
  QUIET_FROM_HOUR,
  QUIET_UNTIL_HOUR,
  type Recipient,
  recipientId,
  shanghaiText,
  type SubjectState,
} from '../../shared/domain/notices.ts';

/**
 * The pure rules of notices (shared/domain/notices.ts): what each type declares, when its re-check
 * still holds, its dedupe key, the channels a person's preferences give, quiet hours in
 * Asia/Shanghai, the inbox id and the recipient id. The notifier (shared/services/notifications.ts)
 * applies them; test/integration/notifications.test.ts runs them against the table.
 */
const typeOf = (name: NoticeTypeName): NoticeType => NOTICE_TYPES[name];
const member = (id: string): Recipient => ({ kind: 'member', id });
const ms = (iso: string) => Date.parse(iso);

describe('the declared notice types', () => {
  it('are these sixteen, in this order', () => {
    expect(NOTICE_TYPE_NAMES).toEqual([
      'signup-confirmed',
      'signup-waitlisted',
      'promoted',
      'activity-changed',
      'activity-cancelled',
      'nomination-objection',
      'reminder-24h',
      'reminder-2h',
      'check-in-decided',
      'team-join-decided',
      'wish-step',
      'wish-step-claimant',
      'hours-recorded',
      'hours-corrected',
      'booking-cancelled',
      'qualification-expiring',
    ]);
  });

  it('each declares its audience, urgency, whether it is mandatory, its default channels and its subject', () => {
    // [audience, urgent, mandatory, channels, subject]
    const declared: Record<NoticeTypeName, [string, boolean, boolean, string[], string]> = {
      'signup-confirmed': ['member', false, false, ['inapp', 'wechat'], 'signup'],
      'signup-waitlisted': ['member', false, false, ['inapp'], 'signup'],
      promoted: ['member', false, true, ['inapp', 'sms', 'wechat'], 'signup'],
      'activity-changed': ['member', true, true, ['inapp', 'sms', 'wechat'], 'signup'],
      'activity-cancelled': ['member', true, true, ['inapp', 'sms', 'wechat'], 'activity'],
      'nomination-objection': ['member', false, true, ['inapp'], 'none'],
      // The day-before reminder waits for the morning; the two-hours one cannot wait.
      'reminder-24h': ['member', false, false, ['inapp', 'wechat'], 'signup'],
      'reminder-2h': ['member', true, false, ['inapp', 'wechat'], 'signup'],
      'check-in-decided': ['member', false, false, ['inapp', 'wechat'], 'none'],
      'team-join-decided': ['member', false, false, ['inapp', 'wechat'], 'none'],
      'wish-step': ['resident', false, false, ['inapp', 'wechat'], 'none'],
      'wish-step-claimant': ['member', false, false, ['inapp', 'wechat'], 'none'],
      'hours-recorded': ['member', false, false, ['inapp'], 'none'],
      'hours-corrected': ['member', false, false, ['inapp', 'wechat'], 'none'],
      'booking-cancelled': ['member', true, true, ['inapp', 'sms'], 'none'],
      'qualification-expiring': ['member', false, false, ['inapp', 'sms'], 'grant'],
    };
    for (const name of NOTICE_TYPE_NAMES) {
      const t = typeOf(name);
      expect([t.audience, t.urgent, t.mandatory, [...t.channels], t.subject], name).toEqual(declared[name]);
    }
  });

  it('name only known channels', () => {
    expect(CHANNELS).toEqual(['inapp', 'sms', 'wechat']);
    for (const name of NOTICE_TYPE_NAMES)
      expect(
        typeOf(name).channels.every((c) => CHANNELS.includes(c)),
        name,
      ).toBe(true);
  });
});

describe('dedupe keys: one delivery per fact and recipient', () => {
  const m = member('m-7');
  const cases: [NoticeTypeName, NoticeData, string][] = [
    ['signup-confirmed', { activityId: 'act-1', ticket: 3 }, 'signup-confirmed:act-1:m-7:3'],
    ['signup-waitlisted', { activityId: 'act-1', ticket: 4 }, 'signup-waitlisted:act-1:m-7:4'],
    ['promoted', { activityId: 'act-1', ticket: 4 }, 'promoted:act-1:m-7:4'],
    ['activity-changed', { activityId: 'act-1', ticket: 3, version: 5 }, 'activity-changed:act-1:m-7:5'],
    ['activity-cancelled', { activityId: 'act-1', ticket: 3, version: 6 }, 'activity-cancelled:act-1:m-7'],
    [
      'nomination-objection',
      { nominationId: 'no-1', objectionId: 'ob-2', title: '张三' },
      'nomination-objection:no-1:ob-2:m-7',
    ],
    [
      'reminder-24h',
      { activityId: 'act-1', ticket: 3, startsAt: '2026-12-05T01:00:00.000Z' },
      'reminder-24h:act-1:m-7:2026-12-05T01:00:00.000Z',
    ],
    [
      'reminder-2h',
      { activityId: 'act-1', ticket: 3, startsAt: '2026-12-05T01:00:00.000Z' },
      'reminder-2h:act-1:m-7:2026-12-05T01:00:00.000Z',
    ],
    // One per check-in request: the member id is not in it (the request is the member's own).
    ['check-in-decided', { checkInId: 'ci-9', decision: 'approved' }, 'check-in-decided:ci-9'],
    [
      'team-join-decided',
      { teamId: 'tm-1', decision: 'active', decidedAt: '2026-12-01T02:00:00.000Z' },
      'team-join-decided:tm-1:m-7:2026-12-01T02:00:00.000Z',
    ],
    ['wish-step-claimant', { wishId: 'wi-1', seq: 4, step: 'WishCompleted' }, 'wish-step-claimant:wi-1:4:m-7'],
    ['hours-recorded', { recordId: 'rec-1', hours: 2 }, 'hours-recorded:rec-1'],
    ['hours-corrected', { recordId: 'rec-1', correctionId: 'cor-3' }, 'hours-corrected:cor-3'],
    ['booking-cancelled', { bookingId: 'bk-2', closureId: 'cl-1' }, 'booking-cancelled:bk-2:m-7'],
    [
      'qualification-expiring',
      { qualification: 'backbone', validUntil: '2027-01-01T00:00:00.000Z', window: 7 },
      'qualification-expiring:m-7:backbone:2027-01-01T00:00:00.000Z:7d',
    ],
  ];
  it.each(cases)('%s: the key names the fact and the recipient', (type, data, key) => {
    expect(typeOf(type).dedupeKey(data, m)).toEqual(key);
  });

  it('wish-step goes to the resident by the token sub', () => {
    expect(typeOf('wish-step').dedupeKey({ wishId: 'wi-1', seq: 2 }, { kind: 'resident', id: 'sub-5' })).toEqual(
      'wish-step:wi-1:2:sub-5',
    );
  });

  it('a moved activity gets a new reminder (the start is in the key), a repeat of the same start does not', () => {
    const r = typeOf('reminder-2h');
    const a = r.dedupeKey({ activityId: 'act-1', startsAt: '2026-12-05T01:00:00.000Z' }, m);
    const moved = r.dedupeKey({ activityId: 'act-1', startsAt: '2026-12-05T03:00:00.000Z' }, m);
    expect(a === moved).toBe(false);
    expect(r.dedupeKey({ activityId: 'act-1', startsAt: '2026-12-05T01:00:00.000Z' }, m)).toEqual(a);
  });
});

describe('re-check before sending: the notice still says the truth', () => {
  const open = { status: 'open', startsAt: '2026-12-05T01:00:00.000Z', title: '社区义诊' };
  const state = (over: Partial<SubjectState> = {}): SubjectState => ({
    activity: open,
    signup: { status: 'confirmed', ticket: 3 },
    ...over,
  });
  const holds = (type: NoticeTypeName, data: NoticeData, s: SubjectState) => typeOf(type).holds(data, s);
  const d = { activityId: 'act-1', ticket: 3 };

  describe('signup-confirmed: the same sign-up, whatever its status, on an open activity', () => {
    it('holds for the sign-up of the ticket, confirmed or since waitlisted', () => {
      expect(holds('signup-confirmed', d, state())).toBe(true);
      expect(holds('signup-confirmed', d, state({ signup: { status: 'waitlisted', ticket: 3 } }))).toBe(true);
    });
    it('a ticket stored as text is the same ticket', () => {
      expect(holds('signup-confirmed', { activityId: 'act-1', ticket: '3' }, state())).toBe(true);
    });
    it('does not hold once the sign-up is cancelled (absent) or replaced by a new ticket', () => {
      expect(holds('signup-confirmed', d, state({ signup: undefined }))).toBe(false);
      expect(holds('signup-confirmed', d, state({ signup: { status: 'confirmed', ticket: 8 } }))).toBe(false);
    });
    it('does not hold on an activity no longer open, or gone', () => {
      expect(holds('signup-confirmed', d, state({ activity: { ...open, status: 'closed' } }))).toBe(false);
      expect(holds('signup-confirmed', d, state({ activity: { ...open, status: 'cancelled' } }))).toBe(false);
      expect(holds('signup-confirmed', d, { signup: { status: 'confirmed', ticket: 3 } })).toBe(false);
    });
  });

  describe('signup-waitlisted: the same sign-up, still waitlisted', () => {
    const waiting = { status: 'waitlisted', ticket: 3 };
    it('holds while the ticket waits', () => {
      expect(holds('signup-waitlisted', d, state({ signup: waiting }))).toBe(true);
    });
    it('does not hold once promoted, for another ticket, when cancelled or when the activity closed', () => {
      expect(holds('signup-waitlisted', d, state())).toBe(false);
      expect(holds('signup-waitlisted', d, state({ signup: { status: 'waitlisted', ticket: 9 } }))).toBe(false);
      expect(holds('signup-waitlisted', d, state({ signup: undefined }))).toBe(false);
      expect(holds('signup-waitlisted', d, state({ signup: waiting, activity: { ...open, status: 'closed' } }))).toBe(
        false,
      );
    });
  });

  describe('promoted: the same sign-up, now confirmed', () => {
    it('holds for the confirmed ticket', () => {
      expect(holds('promoted', d, state())).toBe(true);
    });
    it('does not hold while still waitlisted, for another ticket, or when the activity closed', () => {
      expect(holds('promoted', d, state({ signup: { status: 'waitlisted', ticket: 3 } }))).toBe(false);
      expect(holds('promoted', d, state({ signup: { status: 'confirmed', ticket: 2 } }))).toBe(false);
      expect(holds('promoted', d, state({ activity: { ...open, status: 'closed' } }))).toBe(false);
    });
  });

  describe('activity-changed: to whoever still holds the ticket on the open activity', () => {
    const changed = { ...d, version: 5, startsAt: '2026-12-05T03:00:00.000Z' };
    it('holds for the ticket, confirmed or waitlisted', () => {
      expect(holds('activity-changed', changed, state())).toBe(true);
      expect(holds('activity-changed', changed, state({ signup: { status: 'waitlisted', ticket: 3 } }))).toBe(true);
    });
    it('does not hold for a cancelled sign-up, another ticket, or an activity cancelled since', () => {
      expect(holds('activity-changed', changed, state({ signup: undefined }))).toBe(false);
      expect(holds('activity-changed', changed, state({ signup: { status: 'confirmed', ticket: 4 } }))).toBe(false);
      expect(holds('activity-changed', changed, state({ activity: { ...open, status: 'cancelled' } }))).toBe(false);
    });
  });

  describe('activity-cancelled: the activity is cancelled', () => {
    it('holds on a cancelled activity, whatever the sign-up', () => {
      expect(holds('activity-cancelled', d, { activity: { ...open, status: 'cancelled' } })).toBe(true);
    });
    it('does not hold on an open activity or one not found', () => {
      expect(holds('activity-cancelled', d, state())).toBe(false);
      expect(holds('activity-cancelled', d, {})).toBe(false);
    });
  });

  describe('reminders: only the activity’s current start, to a confirmed sign-up of an open activity', () => {
    const at = { ...d, startsAt: open.startsAt };
    for (const type of ['reminder-24h', 'reminder-2h'] as const) {
      it(`${type} holds for a confirmed ticket at the activity's current start`, () => {
        expect(holds(type, at, state())).toBe(true);
      });
      it(`${type} does not hold once the activity moved`, () => {
        expect(holds(type, at, state({ activity: { ...open, startsAt: '2026-12-05T03:00:00.000Z' } }))).toBe(false);
      });
      it(`${type} does not hold for a waitlisted, cancelled or replaced sign-up`, () => {
        expect(holds(type, at, state({ signup: { status: 'waitlisted', ticket: 3 } }))).toBe(false);
        expect(holds(type, at, state({ signup: undefined }))).toBe(false);
        expect(holds(type, at, state({ signup: { status: 'confirmed', ticket: 5 } }))).toBe(false);
      });
      it(`${type} does not hold on a closed or missing activity, even for a confirmed sign-up at that start`, () => {
        expect(holds(type, at, state({ activity: { ...open, status: 'closed' } }))).toBe(false);
        expect(holds(type, at, { signup: { status: 'confirmed', ticket: 3 } })).toBe(false);
      });
    }
  });

  describe('qualification-expiring: this expiry is still the grant’s', () => {
    const data = { qualification: 'backbone', validUntil: '2027-01-01T00:00:00.000Z', window: 7 };
    it('holds while the grant ends then', () => {
      expect(holds('qualification-expiring', data, { grant: { validUntil: '2027-01-01T00:00:00.000Z' } })).toBe(true);
    });
    it('does not hold once extended, revoked (no grant) or made permanent', () => {
      expect(holds('qualification-expiring', data, { grant: { validUntil: '2028-01-01T00:00:00.000Z' } })).toBe(false);
      expect(holds('qualification-expiring', data, {})).toBe(false);
      expect(holds('qualification-expiring', data, { grant: {} })).toBe(false);
    });
  });

  it('the notices about a decided or recorded fact hold once written, whatever the state', () => {
    const none: NoticeTypeName[] = [
      'nomination-objection',
      'check-in-decided',
      'team-join-decided',
      'wish-step',
      'wish-step-claimant',
      'hours-recorded',
      'hours-corrected',
      'booking-cancelled',
    ];
    expect(NOTICE_TYPE_NAMES.filter((n) => typeOf(n).subject === 'none')).toEqual(none);
    for (const n of none) {
      expect(holds(n, {}, {}), n).toBe(true);
      expect(holds(n, {}, { activity: { ...open, status: 'cancelled' } }), n).toBe(true);
    }
  });
});

describe('notice(): the outbox entry', () => {
  it('carries the type, the recipient, the data, the time and the type’s dedupe key', () => {
    const data = { activityId: 'act-1', ticket: 4 };
    expect(notice('promoted', member('m-7'), data, '2026-12-01T02:00:00.000Z')).toEqual({
      dedupeKey: 'promoted:act-1:m-7:4',
      type: 'promoted',
      recipient: { kind: 'member', id: 'm-7' },
      data: { activityId: 'act-1', ticket: 4 },
      createdAt: '2026-12-01T02:00:00.000Z',
    });
  });

  it('refuses a recipient of the wrong audience, naming both', () => {
    expect(() => notice('promoted', { kind: 'resident', id: 'sub-1' }, {}, '2026-12-01T02:00:00.000Z')).toThrow(
      new Error('promoted goes to a member, not a resident'),
    );
    expect(() => notice('wish-step', member('m-1'), { wishId: 'wi-1', seq: 1 }, '2026-12-01T02:00:00.000Z')).toThrow(
      new Error('wish-step goes to a resident, not a member'),
    );
  });

  it('a resident notice goes to a resident', () => {
    expect(
      notice('wish-step', { kind: 'resident', id: 'sub-1' }, { wishId: 'wi-1', seq: 1 }, '2026-12-01T02:00:00Z')
        .dedupeKey,
    ).toEqual('wish-step:wi-1:1:sub-1');
  });
});

describe('ids', () => {
  it('a recipient id is its kind and id', () => {
    expect(recipientId({ kind: 'member', id: 'm-7' })).toEqual('member:m-7');
    expect(recipientId({ kind: 'resident', id: 'sub-5' })).toEqual('resident:sub-5');
    expect(recipientId({ kind: 'signups', id: 'act-1' })).toEqual('signups:act-1');
  });

  it('an inbox id is nt_ and the first 22 base64url characters of the dedupe key’s SHA-256, stable across releases', () => {
    // Pinned: a redelivery after a deploy must find the inbox item it wrote before.
    expect(noticeIdOf('promoted:act-1:m-1:3')).toEqual('nt_F19L9mmFecMkAe_YwsnD_P');
    expect(noticeIdOf('promoted:act-1:m-1:4')).toEqual('nt_0-V0E7cFGV_WVLp-a-lj4_');
  });
});

describe('channelsFor: defaults, changed by the preferences unless mandatory', () => {
  it('no preference: the type’s default channels', () => {
    expect(channelsFor('signup-confirmed', {})).toEqual(['inapp', 'wechat']);
    expect(channelsFor('qualification-expiring', {})).toEqual(['inapp', 'sms']);
    expect(channelsFor('hours-recorded', {})).toEqual(['inapp']);
  });

  it('a preference switches a default channel off, and leaves the others', () => {
    expect(channelsFor('signup-confirmed', { 'signup-confirmed': { wechat: false } })).toEqual(['inapp']);
    expect(channelsFor('signup-confirmed', { 'signup-confirmed': { inapp: false, wechat: false } })).toEqual([]);
  });

  it('a preference adds a channel the type does not use by default, in the order inapp, sms, wechat', () => {
    expect(channelsFor('signup-confirmed', { 'signup-confirmed': { sms: true } })).toEqual(['inapp', 'sms', 'wechat']);
    expect(channelsFor('hours-recorded', { 'hours-recorded': { wechat: true, inapp: false } })).toEqual(['wechat']);
  });

  it('a preference about another type changes nothing', () => {
    expect(channelsFor('signup-confirmed', { 'signup-waitlisted': { inapp: false, wechat: true } })).toEqual([
      'inapp',
      'wechat',
    ]);
  });

  it('a mandatory type goes to its channels whatever the preferences say', () => {
    expect(channelsFor('promoted', { promoted: { sms: false, wechat: false, inapp: false } })).toEqual([
      'inapp',
      'sms',
      'wechat',
    ]);
    expect(channelsFor('booking-cancelled', { 'booking-cancelled': { sms: false, wechat: true } })).toEqual([
      'inapp',
      'sms',
    ]);
  });

  it('returns a fresh list: changing it changes no type', () => {
    const a = channelsFor('activity-cancelled', {});
    a.pop();
    expect(channelsFor('activity-cancelled', {})).toEqual(['inapp', 'sms', 'wechat']);
  });
});

describe('shanghaiText: an instant as a member reads it (UTC+8, no daylight saving)', () => {
  it('is the date and minute at UTC+8', () => {
    expect(shanghaiText('2026-12-05T01:00:00.000Z')).toEqual('2026-12-05 09:00');
    expect(shanghaiText('2026-12-05T06:45:59Z')).toEqual('2026-12-05 14:45');
  });
  it('rolls over to the next day from 16:00 UTC', () => {
    expect(shanghaiText('2026-12-04T16:30:00.000Z')).toEqual('2026-12-05 00:30');
    expect(shanghaiText('2026-12-31T15:59:00.000Z')).toEqual('2026-12-31 23:59');
    expect(shanghaiText('2026-12-31T16:00:00.000Z')).toEqual('2027-01-01 00:00');
  });
  it('leaves text that is not a time as it is', () => {
    expect(shanghaiText('明天上午')).toEqual('明天上午');
    expect(shanghaiText('undefined')).toEqual('undefined');
  });
});

describe('quiet hours (22:00–08:00 Shanghai): when a non-urgent push may go out', () => {
  it('are 22 to 8', () => {
    expect([QUIET_FROM_HOUR, QUIET_UNTIL_HOUR]).toEqual([22, 8]);
  });

  it('in the day: at once', () => {
    // 10:00 and 21:59:59 Shanghai.
    expect(pushAllowedAt(ms('2026-12-05T02:00:00.000Z'))).toEqual(ms('2026-12-05T02:00:00.000Z'));
    expect(pushAllowedAt(ms('2026-12-05T13:59:59.999Z'))).toEqual(ms('2026-12-05T13:59:59.999Z'));
  });

  it('from 08:00 sharp through the eight o’clock hour: at once (quiet hours have ended)', () => {
    expect(pushAllowedAt(ms('2026-12-05T00:00:00.000Z'))).toEqual(ms('2026-12-05T00:00:00.000Z'));
    // 08:59:59.999 Shanghai: not moved back to 08:00.
    expect(pushAllowedAt(ms('2026-12-05T00:59:59.999Z'))).toEqual(ms('2026-12-05T00:59:59.999Z'));
  });

  it('at 22:00 sharp and later that evening: 08:00 the next morning', () => {
    // 22:00 Shanghai on the 5th is 14:00Z; 08:00 on the 6th is 00:00Z on the 6th.
    expect(pushAllowedAt(ms('2026-12-05T14:00:00.000Z'))).toEqual(ms('2026-12-06T00:00:00.000Z'));
    expect(pushAllowedAt(ms('2026-12-05T15:37:12.345Z'))).toEqual(ms('2026-12-06T00:00:00.000Z'));
  });

  it('after midnight and up to 07:59:59.999: 08:00 the same morning', () => {
    // 00:30 Shanghai on the 5th is 16:30Z on the 4th.
    expect(pushAllowedAt(ms('2026-12-04T16:30:00.000Z'))).toEqual(ms('2026-12-05T00:00:00.000Z'));
    expect(pushAllowedAt(ms('2026-12-04T23:59:59.999Z'))).toEqual(ms('2026-12-05T00:00:00.000Z'));
  });

  it('on New Year’s Eve at 22:30: 08:00 on the first of January', () => {
    expect(pushAllowedAt(ms('2026-12-31T14:30:00.000Z'))).toEqual(ms('2027-01-01T00:00:00.000Z'));
  });
});

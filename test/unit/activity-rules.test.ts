import { describe, expect, it } from 'vitest';
import {
  ATTENDANCE_CODE_TTL_MS,
  ATTENDANCE_GRACE_MS,
  attendanceOpen,
  checkCode,
  hasEnded,
  hoursServed,
  placeText,
  scheduleProblems,
  shanghaiMonthRange,
  signupOpen,
} from '../../shared/domain/activity.ts';
import { monthOf } from '../../shared/domain/time.ts';

/** The pure rules of activities: hours, windows, codes, schedules. */
const a = { startsAt: '2025-06-01T01:00:00.000Z', endsAt: '2025-06-01T04:00:00.000Z' }; // 09:00-12:00 Shanghai
const at = (iso: string) => Date.parse(iso);

describe('hoursServed', () => {
  it('counts attended time clipped to the activity and rounds down to the half hour', () => {
    expect(hoursServed(a, { checkedInAt: '2025-06-01T01:00:00.000Z', checkedOutAt: '2025-06-01T04:00:00.000Z' })).toBe(
      3,
    );
    expect(hoursServed(a, { checkedInAt: '2025-06-01T00:35:00.000Z', checkedOutAt: '2025-06-01T04:25:00.000Z' })).toBe(
      3,
    ); // early and late clipped
    expect(hoursServed(a, { checkedInAt: '2025-06-01T01:10:00.000Z', checkedOutAt: '2025-06-01T03:09:59.000Z' })).toBe(
      1.5,
    );
    expect(hoursServed(a, { checkedInAt: '2025-06-01T01:10:00.000Z', checkedOutAt: '2025-06-01T03:10:00.000Z' })).toBe(
      2,
    );
    expect(hoursServed(a, { checkedInAt: '2025-06-01T01:00:00.000Z', checkedOutAt: '2025-06-01T01:29:59.999Z' })).toBe(
      0,
    );
    expect(hoursServed(a, { checkedInAt: '2025-06-01T01:00:00.000Z', checkedOutAt: '2025-06-01T01:30:00.000Z' })).toBe(
      0.5,
    );
  });
  it('gives 0 without a check-in, without a check-out, or for time wholly outside the activity', () => {
    expect(hoursServed(a, {})).toBe(0);
    expect(hoursServed(a, { checkedInAt: '2025-06-01T01:00:00.000Z' })).toBe(0);
    expect(hoursServed(a, { checkedInAt: '2025-06-01T00:31:00.000Z', checkedOutAt: '2025-06-01T00:59:00.000Z' })).toBe(
      0,
    );
    expect(hoursServed(a, { checkedInAt: '2025-06-01T04:01:00.000Z', checkedOutAt: '2025-06-01T04:29:00.000Z' })).toBe(
      0,
    );
  });
  it('never exceeds the activity length', () => {
    const day = { startsAt: '2025-06-01T00:00:00.000Z', endsAt: '2025-06-02T00:00:00.000Z' };
    expect(
      hoursServed(day, { checkedInAt: '2025-05-31T23:30:00.000Z', checkedOutAt: '2025-06-02T00:30:00.000Z' }),
    ).toBe(24);
  });
});

describe('windows', () => {
  const open = { ...a, status: 'open' as const };
  it('closes sign-up at the start, and when not open', () => {
    expect(signupOpen(open, at(a.startsAt) - 1)).toBe(true);
    expect(signupOpen(open, at(a.startsAt))).toBe(false);
    expect(signupOpen({ ...open, status: 'closing' }, at(a.startsAt) - 3600_000)).toBe(false);
    expect(signupOpen({ ...open, status: 'closed' }, at(a.startsAt) - 3600_000)).toBe(false);
  });
  it('opens attendance 30 minutes before the start and closes it 30 minutes after the end', () => {
    expect(ATTENDANCE_GRACE_MS).toBe(30 * 60_000);
    expect(attendanceOpen(a, at(a.startsAt) - ATTENDANCE_GRACE_MS - 1)).toBe(false);
    expect(attendanceOpen(a, at(a.startsAt) - ATTENDANCE_GRACE_MS)).toBe(true);
    expect(attendanceOpen(a, at(a.endsAt) + ATTENDANCE_GRACE_MS)).toBe(true);
    expect(attendanceOpen(a, at(a.endsAt) + ATTENDANCE_GRACE_MS + 1)).toBe(false);
  });
  it('lets the leader close from the end on', () => {
    expect(hasEnded(a, at(a.endsAt) - 1)).toBe(false);
    expect(hasEnded(a, at(a.endsAt))).toBe(true);
  });
});

describe('attendance codes', () => {
  const now = at('2025-06-01T01:00:00.000Z');
  const current = { code: '042137', expiresAt: new Date(now + ATTENDANCE_CODE_TTL_MS).toISOString() };
  it('accepts the current code until it expires (ten minutes)', () => {
    expect(ATTENDANCE_CODE_TTL_MS).toBe(10 * 60_000);
    expect(checkCode(current, '042137', now)).toBe('ok');
    expect(checkCode(current, '042137', now + ATTENDANCE_CODE_TTL_MS - 1)).toBe('ok');
    expect(checkCode(current, '042137', now + ATTENDANCE_CODE_TTL_MS)).toBe('expired');
  });
  it('rejects any other code, and any code when none was issued', () => {
    expect(checkCode(current, '042138', now)).toBe('invalid');
    expect(checkCode(current, '42137', now)).toBe('invalid');
    expect(checkCode({}, '042137', now)).toBe('invalid');
  });
});

describe('schedule', () => {
  const now = at('2025-05-01T00:00:00.000Z');
  it('wants a future start, an end after it, within 24 hours', () => {
    expect(scheduleProblems(a.startsAt, a.endsAt, now)).toEqual([]);
    expect(scheduleProblems(a.startsAt, a.endsAt, at(a.startsAt))).toEqual([
      { field: 'body.startsAt', message: 'must be in the future' },
    ]);
    expect(scheduleProblems(a.endsAt, a.startsAt, now).map((p) => p.message)).toEqual(['must be after startsAt']);
    expect(scheduleProblems(a.startsAt, a.startsAt, now).map((p) => p.field)).toEqual(['body.endsAt']);
    expect(scheduleProblems(a.startsAt, '2025-06-02T01:00:00.000Z', now)).toEqual([]);
    expect(scheduleProblems(a.startsAt, '2025-06-02T01:00:00.001Z', now)).toEqual([
      { field: 'body.endsAt', message: 'must be within 24 hours of startsAt' },
    ]);
  });
});

describe('shanghaiMonthRange', () => {
  it('gives the UTC bounds of a Shanghai month, exclusive at the end', () => {
    expect(shanghaiMonthRange('2025-06')).toEqual({ from: '2025-05-31T16:00:00.000Z', to: '2025-06-30T16:00:00.000Z' });
    expect(shanghaiMonthRange('2025-12')).toEqual({ from: '2025-11-30T16:00:00.000Z', to: '2025-12-31T16:00:00.000Z' });
    const r = shanghaiMonthRange('2024-02');
    expect(monthOf(r.from)).toBe('2024-02');
    expect(monthOf(new Date(Date.parse(r.to) - 1))).toBe('2024-02');
    expect(monthOf(r.to)).toBe('2024-03');
  });
});

describe('placeText', () => {
  it('names the community and the address or the station', () => {
    expect(placeText({ address: '3号楼前' }, '锦官社区')).toBe('锦官社区 3号楼前');
    expect(placeText({ stationId: 'stn-1' }, '锦官社区')).toBe('锦官社区 micro-station stn-1');
  });
});

import { describe, expect, it } from 'vitest';
import {
  BOOKING_HORIZON_DAYS,
  bookingInputProblems,
  bookingRefusal,
  closureUnits,
  covers,
  DEFAULT_WEEKLY_CAP_HOURS,
  MAX_BOOKING_UNITS,
  MAX_CLOSURE_DAYS,
  minutesOf,
  openingHoursProblems,
  overlaps,
  shanghaiClock,
  UNIT_MS,
  unitOpen,
  unitStarts,
  WEEKDAYS,
  weekOf,
} from '../../shared/domain/station.ts';

/** The micro-station rules: half-open intervals, opening hours in Asia/Shanghai, weeks, limits. */
const NOW = Date.parse('2026-12-01T00:00:00.000Z'); // Tuesday 08:00 in Shanghai
const hours = {
  tue: [
    { from: '08:00', to: '12:00' },
    { from: '14:00', to: '24:00' },
  ],
  wed: [{ from: '00:00', to: '24:00' }],
};

describe('station rules', () => {
  it('intervals are half-open: back to back is no overlap', () => {
    const a = { from: '2026-12-02T01:00:00.000Z', to: '2026-12-02T02:00:00.000Z' };
    expect(overlaps(a, { from: '2026-12-02T02:00:00.000Z', to: '2026-12-02T03:00:00.000Z' })).toBe(false);
    expect(overlaps(a, { from: '2026-12-02T01:59:00.000Z', to: '2026-12-02T03:00:00.000Z' })).toBe(true);
    expect(overlaps(a, { from: '2026-12-02T00:00:00.000Z', to: '2026-12-02T01:00:00.000Z' })).toBe(false);
  });

  it('units are the half hours of [start, end)', () => {
    expect(unitStarts('2026-12-02T01:00:00.000Z', '2026-12-02T02:30:00.000Z')).toEqual([
      '2026-12-02T01:00:00.000Z',
      '2026-12-02T01:30:00.000Z',
      '2026-12-02T02:00:00.000Z',
    ]);
  });

  it('opening hours are Shanghai time: a unit must fit inside a range', () => {
    expect(unitOpen(hours, Date.parse('2026-12-01T00:00:00.000Z'))).toBe(true); // Tue 08:00
    expect(unitOpen(hours, Date.parse('2026-12-01T03:30:00.000Z'))).toBe(true); // Tue 11:30
    expect(unitOpen(hours, Date.parse('2026-12-01T04:00:00.000Z'))).toBe(false); // Tue 12:00
    expect(unitOpen(hours, Date.parse('2026-12-01T15:30:00.000Z'))).toBe(true); // Tue 23:30
    expect(unitOpen(hours, Date.parse('2026-11-30T15:30:00.000Z'))).toBe(false); // Mon 23:30
    expect(unitOpen(hours, Date.parse('2026-12-01T16:00:00.000Z'))).toBe(true); // Wed 00:00
  });

  it('weeks run Monday to Sunday in Shanghai', () => {
    expect(weekOf('2026-11-29T15:59:00.000Z')).toBe('2026-11-23'); // Sun 23:59
    expect(weekOf('2026-11-29T16:00:00.000Z')).toBe('2026-11-30'); // Mon 00:00
    expect(weekOf('2026-12-06T15:00:00.000Z')).toBe('2026-11-30'); // Sun 23:00
  });

  it('input problems: the half hour, the order, the past, at most one day', () => {
    expect(bookingInputProblems('2026-12-02T01:00:00.000Z', '2026-12-02T02:00:00.000Z', NOW)).toEqual([]);
    expect(bookingInputProblems('2026-12-02T01:10:00.000Z', '2026-12-02T02:00:00.000Z', NOW)).toEqual([
      { field: 'body.startsAt', message: 'must be on the half hour' },
    ]);
    expect(bookingInputProblems('2026-11-30T01:00:00.000Z', '2026-11-30T02:00:00.000Z', NOW)[0]!.message).toBe(
      'must be in the future',
    );
    expect(bookingInputProblems('2026-12-02T01:00:00.000Z', '2026-12-02T01:00:00.000Z', NOW)[0]!.field).toBe(
      'body.endsAt',
    );
    const day = 24 * 3600_000;
    const start = Date.parse('2026-12-02T00:00:00.000Z');
    expect(bookingInputProblems(new Date(start).toISOString(), new Date(start + day).toISOString(), NOW)).toEqual([]);
    expect(MAX_BOOKING_UNITS).toBe(48);
    expect(
      bookingInputProblems(new Date(start).toISOString(), new Date(start + day + 1_800_000).toISOString(), NOW),
    ).toHaveLength(1);
  });

  it('refusals: beyond 30 days, outside the opening hours, in a closure', () => {
    const st = {
      openingHours: { mon: [{ from: '00:00', to: '24:00' }], tue: hours.tue, wed: hours.wed, thu: hours.wed },
      closures: [],
    };
    expect(bookingRefusal(st, '2026-12-01T01:00:00.000Z', '2026-12-01T02:00:00.000Z', NOW)).toBeUndefined();
    expect(bookingRefusal(st, '2026-12-01T03:30:00.000Z', '2026-12-01T04:30:00.000Z', NOW)?.code).toBe(
      'OUTSIDE_OPENING_HOURS',
    );
    expect(bookingRefusal(st, '2026-12-31T00:00:00.000Z', '2026-12-31T01:00:00.000Z', NOW)).toBeUndefined(); // Thu, 30 days
    expect(bookingRefusal(st, '2026-12-31T00:30:00.000Z', '2026-12-31T01:00:00.000Z', NOW)?.code).toBe(
      'BOOKING_TOO_FAR',
    );
    const closed = {
      ...st,
      closures: [
        {
          closureId: 'c',
          from: '2026-12-02T00:00:00.000Z',
          to: '2026-12-03T00:00:00.000Z',
          reason: 'x',
          createdAt: '',
          createdBy: '',
        },
      ],
    };
    expect(bookingRefusal(closed, '2026-12-02T23:30:00.000Z', '2026-12-03T00:30:00.000Z', NOW)?.code).toBe(
      'STATION_CLOSED',
    );
    expect(bookingRefusal(closed, '2026-12-03T00:00:00.000Z', '2026-12-03T01:00:00.000Z', NOW)).toBeUndefined();
  });

  it("a closure claims its open units from now to the horizon's end only", () => {
    const units = closureUnits(hours, { from: '2026-12-01T03:00:00.000Z', to: '2026-12-01T07:00:00.000Z' }, NOW);
    // Tue 11:00-15:00 Shanghai: 11:00, 11:30 open; 12:00-14:00 closed; 14:00, 14:30 open
    expect(units).toEqual([
      '2026-12-01T03:00:00.000Z',
      '2026-12-01T03:30:00.000Z',
      '2026-12-01T06:00:00.000Z',
      '2026-12-01T06:30:00.000Z',
    ]);
    expect(closureUnits(hours, { from: '2027-03-01T00:00:00.000Z', to: '2027-03-02T00:00:00.000Z' }, NOW)).toEqual([]);
  });

  it('opening hours: ranges end after they start and do not overlap', () => {
    expect(openingHoursProblems(hours)).toEqual([]);
    expect(openingHoursProblems({ mon: [{ from: '12:00', to: '08:00' }] })).toHaveLength(1);
    expect(
      openingHoursProblems({
        mon: [
          { from: '08:00', to: '12:00' },
          { from: '11:30', to: '13:00' },
        ],
      }),
    ).toEqual([{ field: 'body.openingHours', message: 'mon 08:00-12:00 overlaps 11:30-13:00' }]);
  });

  it('a booking covers an activity that lies within it', () => {
    const b = { startsAt: '2026-12-02T01:00:00.000Z', endsAt: '2026-12-02T03:00:00.000Z' };
    expect(covers(b, { startsAt: '2026-12-02T01:00:00.000Z', endsAt: '2026-12-02T03:00:00.000Z' })).toBe(true);
    expect(covers(b, { startsAt: '2026-12-02T00:59:00.000Z', endsAt: '2026-12-02T02:00:00.000Z' })).toBe(false);
    expect(covers(b, { startsAt: '2026-12-02T02:00:00.000Z', endsAt: '2026-12-02T03:01:00.000Z' })).toBe(false);
  });

  it('the limits: half-hour units, 30 days ahead, 10 hours a week, closures of 31 days', () => {
    expect([UNIT_MS, BOOKING_HORIZON_DAYS, DEFAULT_WEEKLY_CAP_HOURS, MAX_CLOSURE_DAYS]).toEqual([
      1_800_000, 30, 10, 31,
    ]);
    expect(WEEKDAYS).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
  });

  it('reads HH:MM as minutes and an instant as the Shanghai day, weekday and minute', () => {
    expect(['00:00', '08:30', '13:05', '24:00'].map(minutesOf)).toEqual([0, 510, 785, 1440]);
    expect(shanghaiClock(Date.parse('2026-11-29T16:00:00.000Z'))).toEqual({
      day: '2026-11-30',
      weekday: 'mon',
      minute: 0,
    });
    expect(shanghaiClock(Date.parse('2026-11-29T15:59:00.000Z'))).toEqual({
      day: '2026-11-29',
      weekday: 'sun',
      minute: 1439,
    });
    expect(shanghaiClock(Date.parse('2026-12-05T05:45:00.000Z'))).toEqual({
      day: '2026-12-05',
      weekday: 'sat',
      minute: 825,
    });
  });

  it('weeks: a Monday morning and a Sunday night in Shanghai', () => {
    expect(weekOf('2026-11-30T00:00:00.000Z')).toBe('2026-11-30'); // Mon 08:00
    expect(weekOf('2026-12-03T12:00:00.000Z')).toBe('2026-11-30'); // Thu 20:00
    expect(weekOf('2027-01-03T15:59:59.000Z')).toBe('2026-12-28'); // Sun 23:59, across the year
  });

  it('a unit opens only where a range holds all of its half hour', () => {
    const h = { sat: [{ from: '09:00', to: '10:30' }] };
    const sat = (hhmm: string) => Date.parse(`2026-12-05T${hhmm}:00+08:00`);
    expect(['08:30', '09:00', '09:30', '10:00', '10:30'].map((t) => unitOpen(h, sat(t)))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    expect(unitOpen({}, sat('09:00'))).toBe(false);
  });

  it('input problems name each field and the limit', () => {
    expect(bookingInputProblems('2026-12-02T01:00:00.000Z', '2026-12-02T02:15:00.000Z', NOW)).toEqual([
      { field: 'body.endsAt', message: 'must be on the half hour' },
    ]);
    expect(bookingInputProblems('2026-11-30T01:10:00.000Z', '2026-11-30T01:00:00.000Z', NOW)).toEqual([
      { field: 'body.startsAt', message: 'must be on the half hour' },
      { field: 'body.startsAt', message: 'must be in the future' },
      { field: 'body.endsAt', message: 'must be after startsAt' },
    ]);
    // Starting now is not in the future.
    expect(bookingInputProblems(new Date(NOW).toISOString(), new Date(NOW + UNIT_MS).toISOString(), NOW)).toEqual([
      { field: 'body.startsAt', message: 'must be in the future' },
    ]);
    const start = Date.parse('2026-12-02T00:00:00.000Z');
    expect(
      bookingInputProblems(new Date(start).toISOString(), new Date(start + 49 * UNIT_MS).toISOString(), NOW),
    ).toEqual([{ field: 'body.endsAt', message: 'at most 48 half hours (one day) after startsAt' }]);
  });

  it('a refusal says why', () => {
    const st = {
      openingHours: { tue: hours.tue, wed: hours.wed, thu: hours.wed },
      closures: [
        {
          closureId: 'c',
          from: '2026-12-02T00:00:00.000Z',
          to: '2026-12-03T00:00:00.000Z',
          reason: 'x',
          createdAt: '',
          createdBy: '',
        },
      ],
    };
    expect(bookingRefusal(st, '2027-01-01T00:00:00.000Z', '2027-01-01T01:00:00.000Z', NOW)).toEqual({
      code: 'BOOKING_TOO_FAR',
      detail: 'bookings start at most 30 days ahead',
    });
    expect(bookingRefusal(st, '2026-12-01T03:30:00.000Z', '2026-12-01T04:30:00.000Z', NOW)).toEqual({
      code: 'OUTSIDE_OPENING_HOURS',
      detail: 'the station is not open at 2026-12-01T04:00:00.000Z (opening hours are Asia/Shanghai)',
    });
    expect(bookingRefusal(st, '2026-12-02T01:00:00.000Z', '2026-12-02T02:00:00.000Z', NOW)).toEqual({
      code: 'STATION_CLOSED',
      detail: 'the station is closed from 2026-12-02T00:00:00.000Z to 2026-12-03T00:00:00.000Z',
    });
    // A booking ending where the closure starts is not in it.
    expect(bookingRefusal(st, '2026-12-01T15:00:00.000Z', '2026-12-02T00:00:00.000Z', NOW)).toBeUndefined();
  });

  it('a closure claims units from the next half hour on, the one it starts in included, up to 31 days ahead', () => {
    const allWeek = Object.fromEntries(WEEKDAYS.map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
    const now = Date.parse('2026-12-01T00:10:00.000Z');
    // Already under way: the unit now is in does not count, the next does.
    expect(closureUnits(allWeek, { from: '2026-12-01T00:00:00.000Z', to: '2026-12-01T01:00:00.000Z' }, now)).toEqual([
      '2026-12-01T00:30:00.000Z',
    ]);
    // Starting inside a unit: that unit is claimed.
    expect(closureUnits(allWeek, { from: '2026-12-01T02:10:00.000Z', to: '2026-12-01T03:00:00.000Z' }, now)).toEqual([
      '2026-12-01T02:00:00.000Z',
      '2026-12-01T02:30:00.000Z',
    ]);
    // Ending inside a unit: that unit is claimed too.
    expect(closureUnits(allWeek, { from: '2026-12-01T02:00:00.000Z', to: '2026-12-01T02:40:00.000Z' }, now)).toEqual([
      '2026-12-01T02:00:00.000Z',
      '2026-12-01T02:30:00.000Z',
    ]);
    // The horizon: bookings start at most 30 days ahead and last at most a day: 31 days are claimed.
    const far = closureUnits(allWeek, { from: '2026-12-31T00:00:00.000Z', to: '2027-01-05T00:00:00.000Z' }, now);
    expect(far[0]).toBe('2026-12-31T00:00:00.000Z');
    expect(far.at(-1)).toBe('2027-01-01T00:00:00.000Z');
    expect(far).toHaveLength(49);
  });

  it('opening hours: a range of no length, ranges listed out of order, each day on its own', () => {
    expect(openingHoursProblems({ sat: [{ from: '09:00', to: '09:00' }] })).toEqual([
      { field: 'body.openingHours', message: 'sat 09:00-09:00: the end must be after the start' },
    ]);
    expect(
      openingHoursProblems({
        sun: [
          { from: '14:00', to: '18:00' },
          { from: '08:00', to: '14:30' },
        ],
        mon: [
          { from: '08:00', to: '12:00' },
          { from: '12:00', to: '13:00' },
        ],
        tue: [{ from: '08:00', to: '12:00' }],
        wed: [{ from: '10:00', to: '11:00' }],
      }),
    ).toEqual([{ field: 'body.openingHours', message: 'sun 08:00-14:30 overlaps 14:00-18:00' }]);
  });
});

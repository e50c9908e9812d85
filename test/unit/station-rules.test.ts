import { describe, expect, it } from 'vitest';
import {
  bookingInputProblems,
  bookingRefusal,
  closureUnits,
  covers,
  MAX_BOOKING_UNITS,
  openingHoursProblems,
  overlaps,
  unitOpen,
  unitStarts,
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
});

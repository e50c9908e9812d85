import { describe, expect, it } from 'vitest';
import {
  CALENDAR_LOOKAHEAD_DAYS,
  calendarCovers,
  calendarOf,
  daysBetween,
  isLate,
  isWorkingDay,
  recordingDeadline,
  uncoveredDays,
  workingDaysAfterDay,
} from '../../shared/domain/calendar.ts';
import { noticeUntil } from '../../shared/domain/featured.ts';
import { HOLIDAY_YEARS } from '../../shared/domain/holidays.ts';
import { evaluationDeadline } from '../../shared/domain/member-record.ts';
import { noticeWindow } from '../../shared/domain/nominations.ts';

const FESTIVALS = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'];
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

describe('working-day calendar: weekends (Asia/Shanghai)', () => {
  it('knows weekends', () => {
    expect(isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-29')).toBe(false); // Sunday
    expect(isWorkingDay('2026-11-30')).toBe(true); // Monday
  });
  it('counts 10 working days after the end, skipping weekends', () => {
    // ends Friday 2026-11-27 afternoon in Shanghai: deadline is Friday 2026-12-11
    expect(recordingDeadline('2026-11-27T08:00:00Z')).toBe('2026-12-11');
    // ends Saturday: Mon 30 Nov .. Fri 11 Dec
    expect(recordingDeadline('2026-11-28T08:00:00Z')).toBe('2026-12-11');
    // ends 23:30 Friday Shanghai = 15:30Z: still Friday there
    expect(recordingDeadline('2026-11-27T15:30:00Z')).toBe('2026-12-11');
    // ends 00:30 Saturday Shanghai = 16:30Z Friday: Saturday there
    expect(recordingDeadline('2026-11-27T16:30:00Z')).toBe('2026-12-11');
    expect(recordingDeadline('2026-11-26T08:00:00Z')).toBe('2026-12-10');
  });
  it('is late only after the deadline day', () => {
    expect(isLate('2026-11-27T08:00:00Z', '2026-12-11T15:59:00Z')).toBe(false); // 23:59 on the 11th in Shanghai
    expect(isLate('2026-11-27T08:00:00Z', '2026-12-11T16:00:00Z')).toBe(true); // 00:00 on the 12th
  });
});

describe("working-day calendar: the State Council's holidays and make-up working days", () => {
  it('holds each year as its notice gives it: the days counted, working weekends, no overlaps', () => {
    const years = HOLIDAY_YEARS.map((y) => y.year);
    expect(years).toEqual([...years].sort((a, b) => a - b));
    expect(new Set(years).size).toBe(years.length);
    for (const y of HOLIDAY_YEARS) {
      const off = y.holidays.flatMap((h) => daysBetween(h.from, h.to));
      for (const h of y.holidays) {
        expect(daysBetween(h.from, h.to), `${y.year} ${h.name}`).toHaveLength(h.days);
        expect(h.from.slice(0, 4), `${y.year} ${h.name}`).toBe(String(y.year));
      }
      expect(new Set(off).size, `${y.year}: holidays overlap`).toBe(off.length);
      // Where each year comes from, and the festivals' own names as the notice gives them.
      expect(y.notice).toContain(`国务院办公厅关于${y.year}年部分节假日安排的通知`);
      for (const h of y.holidays)
        expect(
          h.name.split('、').every((n) => FESTIVALS.includes(n)),
          `${y.year} ${h.name}`,
        ).toBe(true);
      expect(y.holidays.flatMap((h) => h.name.split('、')).sort()).toEqual([...FESTIVALS].sort());
      for (const w of y.workdays) {
        expect([0, 6], `${w} is worked but is not a weekend day`).toContain(weekday(w));
        expect(off, `${w} is both off and worked`).not.toContain(w);
        expect(w.slice(0, 4)).toBe(String(y.year));
      }
    }
  });

  it('a holiday on a weekday is off; a make-up weekend day is worked', () => {
    expect(isWorkingDay('2026-02-23')).toBe(false); // Monday, last day of Spring Festival
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday, worked
    expect(isWorkingDay('2026-02-28')).toBe(true); // Saturday, worked
    expect(isWorkingDay('2026-10-07')).toBe(false); // Wednesday, National Day
    expect(isWorkingDay('2026-10-08')).toBe(true); // Thursday after it
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday, worked
    expect(isWorkingDay('2026-09-20')).toBe(true); // Sunday, worked
    expect(isWorkingDay('2026-01-04')).toBe(true); // Sunday, worked
    expect(isWorkingDay('2025-10-08')).toBe(false); // Wednesday: 2025's National Day and Mid-Autumn, 8 days
    expect(isWorkingDay('2025-09-28')).toBe(true); // Sunday, worked
    expect(isWorkingDay('2025-10-11')).toBe(true); // Saturday, worked
    expect(isWorkingDay('2024-02-04')).toBe(true); // Sunday, worked
    expect(isWorkingDay('2024-06-10')).toBe(false); // Monday, Dragon Boat
    expect(isWorkingDay('2024-05-11')).toBe(true); // Saturday, worked
  });

  it('10 working days over Spring Festival count its make-up Saturdays and skip its nine days', () => {
    // Ends Thursday 12 February 2026: 13 (Fri), 14 (Sat, worked), 24-27, 28 (Sat, worked), 2-4 March.
    expect(recordingDeadline('2026-02-12T08:00:00Z')).toBe('2026-03-04');
    expect(isLate('2026-02-12T08:00:00Z', '2026-03-04T15:59:00Z')).toBe(false);
    expect(isLate('2026-02-12T08:00:00Z', '2026-03-04T16:00:00Z')).toBe(true);
    // Over New Year: 1-3 January 2026 off, Sunday 4 worked.
    expect(recordingDeadline('2025-12-31T08:00:00Z')).toBe('2026-01-15');
  });

  it("the community's evaluation window and the notices count the same days", () => {
    // 30 April 2026: 1-5 May off, Saturday 9 worked.
    expect(evaluationDeadline('2026-04-30')).toBe('2026-05-18');
    // A nomination's notice opened on Wednesday 30 September 2026: 1-7 October off, Saturday 10 worked.
    expect(noticeWindow('2026-09-30T02:00:00.000Z')).toEqual({ noticeFrom: '2026-09-30', noticeUntil: '2026-10-13' });
    expect(noticeUntil('2026-09-30', 5)).toBe('2026-10-13');
    expect(workingDaysAfterDay('2026-09-30', 0)).toBe('2026-09-30');
  });

  it('a year without its arrangement counts Monday to Friday, and is named as uncovered', () => {
    const next = Math.max(...HOLIDAY_YEARS.map((y) => y.year)) + 1;
    expect(calendarCovers(`${next - 1}-12-31`)).toBe(true);
    expect(calendarCovers(`${next}-01-01`)).toBe(false);
    const empty = calendarOf([]);
    // 1 January is a public holiday every year; without the year's data it is a working day if a weekday.
    const jan1 = `${next}-01-01`;
    expect(isWorkingDay(jan1)).toBe(weekday(jan1) !== 0 && weekday(jan1) !== 6);
    expect(isWorkingDay('2026-01-01', empty)).toBe(true); // a Thursday, with no data
    expect(uncoveredDays(`${next - 1}-11-01`)).toEqual([]);
    expect(uncoveredDays(`${next - 1}-12-01`)).toEqual(daysBetween(`${next}-01-01`, `${next}-01-15`));
    expect(uncoveredDays(`${next - 1}-12-01`, CALENDAR_LOOKAHEAD_DAYS, empty)).toHaveLength(46);
    expect(CALENDAR_LOOKAHEAD_DAYS).toBe(45);
  });

  it('a calendar of its own data: a weekday off, a Saturday worked', () => {
    const c = calendarOf([
      {
        year: 2030,
        notice: 'test',
        holidays: [{ name: 'x', from: '2030-01-02', to: '2030-01-03', days: 2 }],
        workdays: ['2030-01-05'],
      },
    ]);
    expect(
      ['2030-01-01', '2030-01-02', '2030-01-03', '2030-01-04', '2030-01-05'].map((d) => isWorkingDay(d, c)),
    ).toEqual([true, false, false, true, true]);
    expect(workingDaysAfterDay('2030-01-01', 3, c)).toBe('2030-01-07');
    expect(daysBetween('2030-01-01', '2029-12-31')).toEqual([]);
  });
});

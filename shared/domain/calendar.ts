import { HOLIDAY_YEARS, type HolidayYear } from './holidays.ts';
import { addDaysMs, dayOf } from './time.ts';

/**
 * Working days in Asia/Shanghai, for the national rule "service is recorded within 10 working days
 * after the activity ends", the community's evaluation within 10 working days of a service and the
 * 5 working days of a public notice. A working day is Monday to Friday, except the public holidays
 * the State Council announces each year, plus the weekend days it makes working days (调休):
 * shared/domain/holidays.ts. A year without its announcement counts Monday to Friday; the
 * `check-calendar` job alarms before such a year begins (README, runbook "calendar-uncovered").
 */
export const RECORDING_DEADLINE_WORKING_DAYS = 10;

/** How far ahead `check-calendar` looks for days of a year the calendar does not hold. */
export const CALENDAR_LOOKAHEAD_DAYS = 45;

interface Calendar {
  readonly off: ReadonlySet<string>;
  readonly on: ReadonlySet<string>;
  readonly years: ReadonlySet<number>;
}

/** The day `n` days after `day` (YYYY-MM-DD, calendar days). */
function plusDays(day: string, n: number): string {
  return new Date(addDaysMs(Date.parse(`${day}T00:00:00Z`), n)).toISOString().slice(0, 10);
}

/** The days of `from` through `to` (YYYY-MM-DD, inclusive). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = plusDays(day, 1)) days.push(day);
  return days;
}

export function calendarOf(years: readonly HolidayYear[]): Calendar {
  return {
    off: new Set(years.flatMap((y) => y.holidays.flatMap((h) => daysBetween(h.from, h.to)))),
    on: new Set(years.flatMap((y) => y.workdays)),
    years: new Set(years.map((y) => y.year)),
  };
}

let built: Calendar | undefined;
/** Built on first use, not at import: most requests never count working days. */
const calendar = (): Calendar => (built ??= calendarOf(HOLIDAY_YEARS));

function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 Sunday .. 6 Saturday
}

export function isWorkingDay(day: string, c: Calendar = calendar()): boolean {
  if (c.off.has(day)) return false;
  if (c.on.has(day)) return true;
  const d = weekday(day);
  return d !== 0 && d !== 6;
}

/** Whether the calendar holds the State Council's arrangement for the year of `day`. */
export function calendarCovers(day: string, c: Calendar = calendar()): boolean {
  return c.years.has(Number(day.slice(0, 4)));
}

/** The days from `fromDay` through `days` days after it whose year the calendar does not hold. */
export function uncoveredDays(fromDay: string, days = CALENDAR_LOOKAHEAD_DAYS, c: Calendar = calendar()): string[] {
  return daysBetween(fromDay, plusDays(fromDay, days)).filter((d) => !calendarCovers(d, c));
}

/** The day that is `workingDays` working days after `fromDay` (YYYY-MM-DD). */
export function workingDaysAfterDay(fromDay: string, workingDays: number, c: Calendar = calendar()): string {
  let day = fromDay;
  let left = workingDays;
  while (left > 0) {
    day = plusDays(day, 1);
    if (isWorkingDay(day, c)) left--;
  }
  return day;
}

/** The last day (Asia/Shanghai, YYYY-MM-DD) on which a record of an activity ending at `endIso` is on time. */
export function recordingDeadline(endIso: string, workingDays = RECORDING_DEADLINE_WORKING_DAYS): string {
  return workingDaysAfterDay(dayOf(endIso), workingDays);
}

/** True when recording at `atIso` is after the deadline for an activity that ended at `endIso`. */
export function isLate(endIso: string, atIso: string): boolean {
  return dayOf(atIso) > recordingDeadline(endIso);
}

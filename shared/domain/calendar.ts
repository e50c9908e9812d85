import { dayOf } from './time.ts';

/**
 * Working days for the national rule "service is recorded within 10 working days after the
 * activity ends". The calendar is Monday to Friday in Asia/Shanghai; public holidays and the
 * make-up working weekends the State Council announces each year are not modelled (a record
 * closed on time by that calendar may be flagged late around Spring Festival, never the reverse
 * by more than the holiday's length). See the README.
 */
export const RECORDING_DEADLINE_WORKING_DAYS = 10;

function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 Sunday .. 6 Saturday
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function isWorkingDay(day: string): boolean {
  const d = weekday(day);
  return d !== 0 && d !== 6;
}

/** The last day (Asia/Shanghai, YYYY-MM-DD) on which a record of an activity ending at `endIso` is on time. */
export function recordingDeadline(endIso: string, workingDays = RECORDING_DEADLINE_WORKING_DAYS): string {
  let day = dayOf(endIso);
  let left = workingDays;
  while (left > 0) {
    day = nextDay(day);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

/** True when recording at `atIso` is after the deadline for an activity that ended at `endIso`. */
export function isLate(endIso: string, atIso: string): boolean {
  return dayOf(atIso) > recordingDeadline(endIso);
}

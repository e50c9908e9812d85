import { previousMonth } from './stats.ts';
import { dayOf, monthOf } from './time.ts';

/**
 * A scheduled run's own day and month, from the time it was scheduled for (EventBridge
 * Scheduler's `scheduledTime`): what a job does by default is decided by when it was due, so
 * running a failed run's event again later does the same work (Asia/Shanghai days and months).
 */
export function scheduledInstant(scheduledTime: string | undefined): Date | undefined {
  if (scheduledTime === undefined) return undefined;
  const ms = Date.parse(scheduledTime);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** The kickoff's day: the day it was scheduled on. */
export function scheduledDay(at: Date): string {
  return dayOf(at);
}

/** The rollup's month: the month before the one it was scheduled in. */
export function monthBefore(at: Date): string {
  return previousMonth(monthOf(at));
}

/** verify-counters' month: the month of the day before it was scheduled (on the 1st, the month just ended). */
export function monthOfDayBefore(at: Date): string {
  return monthOf(new Date(at.getTime() - 24 * 3600 * 1000));
}

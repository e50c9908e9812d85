import { uncoveredDays } from '../../shared/domain/calendar.ts';
import { now } from '../../shared/domain/clock.ts';
import { isRealDay } from '../../shared/domain/time.ts';
import { monthBefore, monthOfDayBefore, scheduledDay, scheduledInstant } from '../../shared/domain/schedule.ts';
import { jobFunction } from '../../shared/http/job.ts';
import { addMetric } from '../../shared/metrics/metrics.ts';
import { expireStaleCheckIns } from '../../shared/services/members.ts';
import { runRollup } from '../../shared/services/stats.ts';
import { runKickoff } from '../../shared/services/themes.ts';
import { runExpiryReminders } from '../../shared/services/training.ts';
import { verifyCounters } from '../../shared/services/verify.ts';
import { runWishJob } from '../../shared/services/wishes.ts';

/**
 * Scheduled jobs of the district (shared/config/schedules.ts). Without args, a job's day or month
 * is the one its run was scheduled for (shared/domain/schedule.ts): a failed run's event run again
 * later does the same work.
 */
export const handler = jobFunction({
  'expire-check-ins': async () => expireStaleCheckIns(),
  kickoff: async (args, event) => {
    const at = scheduledInstant(event.scheduledTime);
    return runKickoff({ date: args.date ?? (at && scheduledDay(at)) });
  },
  'escalate-wishes': async (args) => runWishJob({ date: args.date }),
  'check-calendar': async (args, event) => {
    const at = scheduledInstant(event.scheduledTime);
    if (args.date !== undefined && !(typeof args.date === 'string' && isRealDay(args.date)))
      throw new Error(`check-calendar: args.date must be a day YYYY-MM-DD, not ${JSON.stringify(args.date)}`);
    const from = args.date ?? scheduledDay(at ?? now());
    const uncovered = uncoveredDays(from);
    // A year missing from shared/domain/holidays.ts counts Monday to Friday: alarmed above 0.
    addMetric('CalendarDaysUncovered', uncovered.length);
    return { from, uncovered: uncovered.length, ...(uncovered[0] ? { firstUncovered: uncovered[0] } : {}) };
  },
  'remind-expiring': async () => ({ ...(await runExpiryReminders()) }),
  rollup: async (args, event) => {
    const at = scheduledInstant(event.scheduledTime);
    const result = await runRollup({ month: args.month ?? (at && monthBefore(at)) });
    addMetric('ScopesFrozen', result.created);
    return { ...result };
  },
  'verify-counters': async (args, event) => {
    const at = scheduledInstant(event.scheduledTime);
    const month = typeof args.month === 'string' ? args.month : at && monthOfDayBefore(at);
    const result = await verifyCounters({
      ...(month ? { month } : {}),
      pageSize:
        typeof args.pageSize === 'number' || typeof args.pageSize === 'string' ? Number(args.pageSize) : undefined,
    });
    // Any difference is a bug or a lost write: published, and alarmed above 0 (PioneerMonitoring).
    addMetric('CounterDifferences', result.differences.length);
    return { ...result };
  },
});

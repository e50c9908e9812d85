import { jobFunction } from '../../shared/http/job.ts';
import { expireStaleCheckIns } from '../../shared/services/members.ts';
import { runRollup } from '../../shared/services/stats.ts';
import { runKickoff } from '../../shared/services/themes.ts';
import { verifyCounters } from '../../shared/services/verify.ts';
import { runWishJob } from '../../shared/services/wishes.ts';

/** Scheduled jobs of the district (shared/config/schedules.ts). */
export const handler = jobFunction({
  'expire-check-ins': async () => expireStaleCheckIns(),
  kickoff: async (args) => runKickoff({ date: args.date }),
  'escalate-wishes': async (args) => runWishJob({ date: args.date }),
  rollup: async (args) => ({ ...(await runRollup({ month: args.month })) }),
  'verify-counters': async (args) => ({
    ...(await verifyCounters({
      month: typeof args.month === 'string' ? args.month : undefined,
      pageSize:
        typeof args.pageSize === 'number' || typeof args.pageSize === 'string' ? Number(args.pageSize) : undefined,
    })),
  }),
});

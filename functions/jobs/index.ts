import { jobFunction } from '../../shared/http/job.ts';
import { expireStaleCheckIns } from '../../shared/services/members.ts';
import { runKickoff } from '../../shared/services/themes.ts';
import { runWishJob } from '../../shared/services/wishes.ts';

/** Scheduled jobs of the district (shared/config/schedules.ts). */
export const handler = jobFunction({
  'expire-check-ins': async () => expireStaleCheckIns(),
  kickoff: async (args) => runKickoff({ date: args.date }),
  'escalate-wishes': async () => runWishJob(),
});

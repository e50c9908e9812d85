import { jobFunction } from '../../shared/http/job.ts';
import { expireStaleCheckIns } from '../../shared/services/members.ts';

/** Scheduled jobs of the district (shared/config/schedules.ts). */
export const handler = jobFunction({
  'expire-check-ins': async () => expireStaleCheckIns(),
});

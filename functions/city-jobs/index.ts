import { CITY_SCHEDULES } from '../../shared/config/city-schedules.ts';
import { scheduledInstant } from '../../shared/domain/schedule.ts';
import { jobFunction } from '../../shared/http/job.ts';
import { addMetric } from '../../shared/metrics/metrics.ts';
import { checkRollups } from '../../shared/services/city.ts';

/**
 * The city's scheduled jobs (shared/config/city-schedules.ts). `check-rollups` publishes how many
 * districts' last month is missing at 03:00 on the 1st (RollupsMissing, alarmed above 0): the
 * check covers the whole way, from each district's rollup to the city's table.
 */
export const handler = jobFunction(
  {
    'check-rollups': async (args, event) => {
      const result = await checkRollups(args, scheduledInstant(event.scheduledTime));
      addMetric('RollupsMissing', result.missing.length);
      return result;
    },
  },
  CITY_SCHEDULES,
);

import type { ScheduleEntry } from './schedules.ts';

/**
 * The city's schedule table: its periodic jobs, declared once like a district's
 * (shared/config/schedules.ts, same ScheduleEntry shape). The City stack builds one EventBridge
 * Scheduler schedule per entry (infra/city-stack.ts); the local scheduler fires them beside the
 * district's; `npm run job -- <name>` runs one now. Job names are unique across both tables.
 */
export const CITY_SCHEDULES: readonly ScheduleEntry[] = [
  {
    name: 'check-rollups',
    description:
      "Statistics: at 03:00 on the 1st (an hour after the districts' 02:00 rollup), count the districts of the directory whose last month the city has not received, and publish the count (RollupsMissing, alarmed above 0); read-only",
    cron: 'cron(0 3 1 * ? *)',
    timeZone: 'Asia/Shanghai',
    function: 'city-jobs',
    access: 'RO',
  },
];

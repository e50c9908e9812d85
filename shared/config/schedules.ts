/**
 * The schedule table: every periodic job, declared once. CDK builds one EventBridge Scheduler
 * schedule per entry; the local scheduler (infra/local/scheduler.ts) fires the same function
 * on the same expression; `npm run job -- <name>` runs one now.
 *
 * `cron` uses EventBridge Scheduler's six-field syntax: minutes hours day-of-month month
 * day-of-week year, with `?` in one of the two day fields.
 */
export interface ScheduleEntry {
  readonly name: string;
  readonly description: string;
  readonly cron: string;
  readonly timeZone: 'Asia/Shanghai';
  /** The function (a folder under functions/) whose handler runs the job. */
  readonly function: string;
  readonly access: 'RO' | 'RW';
}

export const SCHEDULES: readonly ScheduleEntry[] = [
  {
    name: 'expire-check-ins',
    description: 'Expire check-in requests left pending for 30 days, so the member can ask again',
    cron: 'cron(0 3 * * ? *)',
    timeZone: 'Asia/Shanghai',
    function: 'jobs',
    access: 'RW',
  },
  {
    name: 'kickoff',
    description:
      "Monthly-theme kickoff: on the kickoff date of the month's theme, make it current, create each team's concentrated-service-day activity and record the planned flag grants (idempotent)",
    cron: 'cron(5 0 * * ? *)',
    timeZone: 'Asia/Shanghai',
    function: 'jobs',
    access: 'RW',
  },
  {
    name: 'escalate-wishes',
    description:
      "Micro-wishes: escalate wishes published and unclaimed for the district's wishEscalationDays (default 7) so teams can take them on, and confirm (without rating) wishes completed 14 days ago (idempotent)",
    cron: 'cron(0 8 * * ? *)',
    timeZone: 'Asia/Shanghai',
    function: 'jobs',
    access: 'RW',
  },
  {
    name: 'rollup',
    description:
      'Statistics: freeze last month (Asia/Shanghai; args.month for another ended month) into an immutable snapshot per scope, from the counters only, and publish MonthlyRollupFrozen to the city (idempotent)',
    cron: 'cron(0 2 1 * ? *)',
    timeZone: 'Asia/Shanghai',
    function: 'jobs',
    access: 'RW',
  },
  {
    name: 'verify-counters',
    description:
      "Statistics: rebuild yesterday's month's counters (Asia/Shanghai; args.month for another) of every scope from the raw records, a page at a time, and report any difference from the live counters (read-only). Daily at 01:00: on the 1st it checks the month just ended, before the 02:00 rollup",
    cron: 'cron(0 1 * * ? *)',
    timeZone: 'Asia/Shanghai',
    function: 'jobs',
    access: 'RO',
  },
  {
    name: 'check-calendar',
    description:
      "Working days: count the days of the next 45 whose year's public holidays and make-up working days (shared/domain/holidays.ts) are not in the calendar, which then counts them Monday to Friday, and publish the count (CalendarDaysUncovered, alarmed above 0); reads nothing",
    cron: 'cron(30 0 * * ? *)',
    timeZone: 'Asia/Shanghai',
    function: 'jobs',
    access: 'RO',
  },
  {
    name: 'remind-expiring',
    description:
      'Qualifications: a notice in the outbox for each grant expiring within 30, 7 or 1 day(s), at most one per grant, expiry and window (idempotent)',
    cron: 'cron(0 9 * * ? *)',
    timeZone: 'Asia/Shanghai',
    function: 'jobs',
    access: 'RW',
  },
  {
    name: 'reminders',
    description:
      'Notifications: every 15 minutes, the 24 h and 2 h reminders of the activities starting in the step that far ahead (keyed by the start, so a moved activity is reminded at its new time, a repeat writes nothing new), and the pushes held for the end of quiet hours',
    cron: 'cron(0/15 * * * ? *)',
    timeZone: 'Asia/Shanghai',
    function: 'notifications',
    access: 'RW',
  },
];

export function findSchedule(name: string): ScheduleEntry | undefined {
  return SCHEDULES.find((s) => s.name === name);
}

import type { CronOptions } from 'aws-cdk-lib/aws-events';

/**
 * Parses EventBridge Scheduler's six-field `cron(minutes hours day-of-month month
 * day-of-week year)` into the CDK's CronOptions. `?` marks the day field left open; the
 * CDK fills it back in, so `ScheduleExpression.cron(parseCron(x))` renders `x` again
 * (a test holds that round trip for every schedule entry).
 */
export function parseCron(expression: string): CronOptions {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = m?.[1]?.trim().split(/\s+/) ?? [];
  if (fields.length !== 6) {
    throw new Error(`"${expression}" is not a six-field cron(minutes hours day month weekDay year) expression`);
  }
  const [minute, hour, day, month, weekDay, year] = fields as [string, string, string, string, string, string];
  if ((day === '?') === (weekDay === '?')) {
    throw new Error(`"${expression}": exactly one of day-of-month and day-of-week must be "?"`);
  }
  return {
    minute,
    hour,
    month,
    year,
    ...(day === '?' ? {} : { day }),
    ...(weekDay === '?' ? {} : { weekDay }),
  };
}

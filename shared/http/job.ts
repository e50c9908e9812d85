import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import '../contract/common.ts';
import { SCHEDULES, type ScheduleEntry } from '../config/schedules.ts';
import { addMetric, withMetrics } from '../metrics/metrics.ts';
import { createLogger, errorFields } from './logger.ts';

/**
 * Scheduled jobs. EventBridge Scheduler invokes the function with the input the stack sets
 * (infra/constructs/schedule-table.ts), which the local scheduler and `npm run job` copy:
 *   { job, scheduledTime, executionId, args }
 * Every job is idempotent: running it twice for the same input changes nothing more, so a failed
 * run (kept with its event in the stack's failure queue, README "A failed job") can be run again
 * with the same event, and does what the failed run should have done: a job's default day or month
 * comes from `scheduledTime`, not from the time it is run again.
 *
 * Each run writes its metrics (shared/config/metrics.ts): JobDuration, JobFailed (0 or 1), and
 * what the job adds (CounterDifferences, ScopesFrozen, ...), with dimensions District, Function, Job.
 */
const Bounded = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
export const JobEvent = z.strictObject({
  job: Bounded(64),
  scheduledTime: z.optional(Bounded(64)),
  executionId: z.optional(Bounded(128)),
  args: z._default(z.record(Bounded(64), z.union([Bounded(256), z.number(), z.boolean()])), {}),
});
export type JobEvent = z.output<typeof JobEvent>;

export type JobRun = (args: JobEvent['args'], event: JobEvent) => Promise<Record<string, unknown>>;

/** Whether a Lambda event is a scheduled job's (not an HTTP API request nor an EventBridge event). */
export function isJobEvent(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'job' in e && !('routeKey' in e) && !('detail-type' in e);
}

/**
 * The handler of the jobs of `table` (SCHEDULES for a district, CITY_SCHEDULES for the city): each
 * job named must be an entry of it.
 */
export function jobFunction(jobs: Record<string, JobRun>, table: readonly ScheduleEntry[] = SCHEDULES) {
  for (const name of Object.keys(jobs))
    if (!table.some((s) => s.name === name)) throw new Error(`job ${name} is not in the schedule table`);
  return async (raw: unknown, context?: Context): Promise<Record<string, unknown>> => {
    const event = JobEvent.parse(raw);
    const log = createLogger({ job: event.job, executionId: event.executionId, awsRequestId: context?.awsRequestId });
    const run = jobs[event.job];
    if (!run) throw new Error(`unknown job ${event.job}`);
    return withMetrics({ functionName: context?.functionName, job: event.job }, async () => {
      const started = Date.now();
      try {
        const result = await run(event.args, event);
        addMetric('JobDuration', Date.now() - started);
        addMetric('JobFailed', 0);
        log.info('job done', { ms: Date.now() - started, result });
        return { job: event.job, ...result };
      } catch (err) {
        addMetric('JobDuration', Date.now() - started);
        addMetric('JobFailed', 1);
        log.error('job failed', { ms: Date.now() - started, ...errorFields(err) });
        throw err;
      }
    });
  };
}

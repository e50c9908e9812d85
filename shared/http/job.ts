import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import '../contract/common.ts';
import { SCHEDULES } from '../config/schedules.ts';
import { createLogger, errorFields } from './logger.ts';

/**
 * Scheduled jobs. EventBridge Scheduler invokes the function with the input the stack sets
 * (infra/district-stack.ts), which the local scheduler and `npm run job` copy:
 *   { job, scheduledTime, executionId, args }
 * Every job is idempotent: running it twice for the same input changes nothing more.
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

export function jobFunction(jobs: Record<string, JobRun>) {
  for (const name of Object.keys(jobs))
    if (!SCHEDULES.some((s) => s.name === name)) throw new Error(`job ${name} is not in the schedule table`);
  return async (raw: unknown, context?: Context): Promise<Record<string, unknown>> => {
    const event = JobEvent.parse(raw);
    const log = createLogger({ job: event.job, executionId: event.executionId, awsRequestId: context?.awsRequestId });
    const run = jobs[event.job];
    if (!run) throw new Error(`unknown job ${event.job}`);
    const started = Date.now();
    try {
      const result = await run(event.args, event);
      log.info('job done', { ms: Date.now() - started, result });
      return { job: event.job, ...result };
    } catch (err) {
      log.error('job failed', { ms: Date.now() - started, ...errorFields(err) });
      throw err;
    }
  };
}

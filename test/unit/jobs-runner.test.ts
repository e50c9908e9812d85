import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isJobEvent, jobFunction, type JobRun } from '../../shared/http/job.ts';
import { setLogSink } from '../../shared/http/logger.ts';
import { setMetricSink } from '../../shared/metrics/metrics.ts';

/**
 * The scheduled-job entry point (shared/http/job.ts): the event EventBridge Scheduler sends,
 * checked strictly; the job run by name; one log line for its end, with its result or its error;
 * its metrics (JobDuration, JobFailed) under the district, the function and the job.
 */
let lines: string[] = [];
let metricLines: string[] = [];
let restore: () => void = () => undefined;
let restoreMetrics: () => void = () => undefined;
const saved = { level: process.env.LOG_LEVEL, district: process.env.DISTRICT_ID };
beforeEach(() => {
  lines = [];
  metricLines = [];
  restore = setLogSink((l) => lines.push(l));
  restoreMetrics = setMetricSink((l) => metricLines.push(l));
  process.env.LOG_LEVEL = 'info';
  process.env.DISTRICT_ID = 'jinjiang';
});
afterEach(() => {
  restore();
  restoreMetrics();
  process.env.LOG_LEVEL = saved.level;
  if (saved.district === undefined) delete process.env.DISTRICT_ID;
  else process.env.DISTRICT_ID = saved.district;
});
const logs = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const metrics = () => metricLines.map((l) => JSON.parse(l) as Record<string, unknown>);
const context = { awsRequestId: 'aws-1', functionName: 'pioneer-jinjiang-jobs' } as Context;

describe('jobs', () => {
  it('a function serves only jobs of the schedule table', () => {
    expect(() => jobFunction({ 'not-scheduled': async () => ({}) })).toThrow(
      'job not-scheduled is not in the schedule table',
    );
    expect(() => jobFunction({ kickoff: async () => ({}), rollup: async () => ({}) })).not.toThrow();
  });

  it('runs the job named, with its args and the event; returns its result under the job’s name and logs it', async () => {
    const seen: unknown[] = [];
    const kickoff: JobRun = async (args, event) => {
      seen.push(args, event);
      return { created: 2 };
    };
    const handler = jobFunction({ kickoff });
    const event = {
      job: 'kickoff',
      scheduledTime: '2026-12-05T00:05:00+08:00',
      executionId: 'ex-1',
      args: { date: '2026-12-05', dry: true, n: 3 },
    };
    expect(await handler(event, context)).toEqual({ job: 'kickoff', created: 2 });
    expect(seen).toEqual([event.args, event]);
    const [line] = logs();
    expect(line).toMatchObject({
      level: 'info',
      msg: 'job done',
      job: 'kickoff',
      executionId: 'ex-1',
      awsRequestId: 'aws-1',
      result: { created: 2 },
    });
    expect(line!.ms).toEqual(expect.any(Number));
    expect(line!.ms as number).toBeGreaterThanOrEqual(0);
    expect(line!.ms as number).toBeLessThan(5000);
    const [m] = metrics();
    expect(m).toMatchObject({ District: 'jinjiang', Function: 'jobs', Job: 'kickoff', JobFailed: 0 });
    expect(m!.JobDuration as number).toBeGreaterThanOrEqual(0);
    expect(m!.JobDuration as number).toBeLessThan(5000);
    expect(metrics().length).toBe(1);
  });

  it('args default to none; the context is optional', async () => {
    let got: unknown;
    const handler = jobFunction({
      rollup: async (args) => {
        got = args;
        return {};
      },
    });
    expect(await handler({ job: 'rollup' })).toEqual({ job: 'rollup' });
    expect(got).toEqual({});
    expect(logs()[0]).not.toHaveProperty('awsRequestId');
  });

  it('refuses an event that is not the scheduler’s, or names a job this function does not run', async () => {
    const handler = jobFunction({ kickoff: async () => ({}) });
    for (const bad of [
      {},
      { job: '' },
      { job: 'kickoff', extra: 1 },
      { job: 'kickoff', args: { date: { nested: true } } },
      { job: 'kickoff', args: { date: 'x'.repeat(257) } },
      { job: 'kickoff', args: { ['k'.repeat(65)]: 1 } },
      { job: 'kickoff', scheduledTime: '' },
      { job: 'kickoff', executionId: 'e'.repeat(129) },
      { job: 'k'.repeat(65) },
      'kickoff',
    ])
      await expect(handler(bad), JSON.stringify(bad)).rejects.toThrow();
    await expect(handler({ job: 'rollup' })).rejects.toThrow('unknown job rollup');
    expect(await handler({ job: 'kickoff', executionId: 'e'.repeat(128), args: { date: 'x'.repeat(256) } })).toEqual({
      job: 'kickoff',
    });
  });

  it('a failing job logs its error, redacted, and fails the invocation (the scheduler retries)', async () => {
    const handler = jobFunction({
      'verify-counters': async () => {
        throw new RangeError('member 13812345678 broke it');
      },
    });
    await expect(handler({ job: 'verify-counters' }, context)).rejects.toThrow(RangeError);
    const [line] = logs();
    expect(line).toMatchObject({
      level: 'error',
      msg: 'job failed',
      job: 'verify-counters',
      errorName: 'RangeError',
      errorMessage: 'member [phone] broke it',
    });
    expect(line!.ms).toEqual(expect.any(Number));
    expect(line!.ms as number).toBeGreaterThanOrEqual(0);
    expect(line!.ms as number).toBeLessThan(5000);
    expect(lines.join('')).not.toContain('13812345678');
    expect(metrics()).toEqual([
      expect.objectContaining({ Job: 'verify-counters', JobFailed: 1, JobDuration: expect.any(Number) }),
    ]);
    // The duration of the failed run, as of the one that succeeds: the milliseconds it took.
    const [m] = metrics();
    expect(m!.JobDuration as number).toBeGreaterThanOrEqual(0);
    expect(m!.JobDuration as number).toBeLessThan(5000);
  });
});

describe('which Lambda events are a scheduled job’s', () => {
  it('an object naming a job is one, whether or not it carries the rest of the scheduler’s input', () => {
    expect(
      isJobEvent({ job: 'kickoff', scheduledTime: '2026-12-05T00:05:00+08:00', executionId: 'ex-1', args: {} }),
    ).toBe(true);
    expect(isJobEvent({ job: 'kickoff' })).toBe(true);
  });

  it('an object without a job is not, nor is anything that is not an object', () => {
    expect(isJobEvent({})).toBe(false);
    expect(isJobEvent({ scheduledTime: '2026-12-05T00:05:00+08:00', args: {} })).toBe(false);
    expect(isJobEvent(null)).toBe(false);
    expect(isJobEvent(undefined)).toBe(false);
    expect(isJobEvent('kickoff')).toBe(false);
    expect(isJobEvent(42)).toBe(false);
  });

  it('an HTTP API request or an EventBridge event is not, even with a field named job', () => {
    expect(isJobEvent({ job: 'kickoff', routeKey: 'GET /health', rawPath: '/health' })).toBe(false);
    expect(
      isJobEvent({ job: 'kickoff', 'detail-type': 'MonthlyRollupFrozen', source: 'pioneer.district', detail: {} }),
    ).toBe(false);
  });
});

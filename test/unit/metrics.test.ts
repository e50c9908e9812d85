import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monthBefore, monthOfDayBefore, scheduledDay, scheduledInstant } from '../../shared/domain/schedule.ts';
import { addMetric, emfLine, setMetricSink, shortFunctionName, withMetrics } from '../../shared/metrics/metrics.ts';

/**
 * The embedded-metric writer: one EMF document per invocation that added metrics, with a
 * directive per dimension set (business: District, Function; job: District, Function, Job), none
 * for an invocation that added nothing; and the scheduled runs' own day and month.
 */
let lines: string[] = [];
let restore: () => void;
beforeEach(() => {
  process.env.DISTRICT_ID = 'jinjiang';
  lines = [];
  restore = setMetricSink((l) => lines.push(l));
});
afterEach(() => restore());

describe('embedded metrics', () => {
  it('writes one document per invocation, with the values summed and the dimensions of each kind', async () => {
    await withMetrics({ functionName: 'pioneer-jinjiang-activities' }, async () => {
      addMetric('SignUps');
      await new Promise((r) => setTimeout(r, 1));
      addMetric('SignUps');
      addMetric('RecordsWritten', 45);
    });
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]!);
    expect(doc).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'Pioneer',
            Dimensions: [['District', 'Function']],
            Metrics: [
              { Name: 'SignUps', Unit: 'Count' },
              { Name: 'RecordsWritten', Unit: 'Count' },
            ],
          },
        ],
      },
      District: 'jinjiang',
      Function: 'activities',
      SignUps: 2,
      RecordsWritten: 45,
    });
  });

  it("puts a job's metrics under District, Function and Job; business ones beside them keep their two", () => {
    const line = emfLine(
      {
        functionName: 'jobs',
        job: 'rollup',
        values: new Map([
          ['JobDuration', 12],
          ['JobFailed', 0],
          ['RecordsWritten', 3],
        ]),
      },
      1000,
    )!;
    const doc = JSON.parse(line);
    expect(doc._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Pioneer',
        Dimensions: [['District', 'Function']],
        Metrics: [{ Name: 'RecordsWritten', Unit: 'Count' }],
      },
      {
        Namespace: 'Pioneer',
        Dimensions: [['District', 'Function', 'Job']],
        Metrics: [
          { Name: 'JobDuration', Unit: 'Milliseconds' },
          { Name: 'JobFailed', Unit: 'Count' },
        ],
      },
    ]);
    expect(doc).toMatchObject({ District: 'jinjiang', Function: 'jobs', Job: 'rollup', JobDuration: 12, JobFailed: 0 });
  });

  it('writes nothing for an invocation without metrics, nor outside an invocation, and never fails one', async () => {
    await withMetrics({ functionName: 'pioneer-jinjiang-docs' }, async () => undefined);
    addMetric('SignUps');
    expect(lines).toEqual([]);
    // A job metric outside a job is a bug of ours: reported on stderr, the invocation still succeeds.
    await expect(withMetrics({ functionName: 'x' }, async () => addMetric('JobFailed', 1))).resolves.toBeUndefined();
    expect(lines).toEqual([]);
    await expect(
      withMetrics({ functionName: 'x' }, async () => {
        addMetric('Claims');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(JSON.parse(lines[0]!)).toMatchObject({ Claims: 1 });
  });

  it("names the function by its short name (Lambda's pioneer-<district>-<name>)", () => {
    expect(shortFunctionName('pioneer-jinjiang-members')).toBe('members');
    expect(shortFunctionName('something-else')).toBe('something-else');
    expect(shortFunctionName(undefined)).toBe('unknown');
  });
});

describe("a scheduled run's own day and month (Asia/Shanghai)", () => {
  it('come from the time it was scheduled for, so that running its event again later does the same work', () => {
    // 02:00 on 1 November in Shanghai is 18:00 UTC on 31 October.
    const rollup = scheduledInstant('2026-10-31T18:00:00.000Z')!;
    expect(monthBefore(rollup)).toBe('2026-10');
    const verify = scheduledInstant('2026-10-31T17:00:00.000Z')!; // 01:00 on the 1st
    expect(monthOfDayBefore(verify)).toBe('2026-10');
    expect(monthOfDayBefore(scheduledInstant('2026-11-14T17:00:00.000Z')!)).toBe('2026-11');
    expect(scheduledDay(scheduledInstant('2026-12-04T16:05:00.000Z')!)).toBe('2026-12-05');
    expect(scheduledInstant(undefined)).toBeUndefined();
    expect(scheduledInstant('<aws.scheduler.scheduled-time>')).toBeUndefined();
  });
});

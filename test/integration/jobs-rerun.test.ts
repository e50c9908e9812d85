import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeFunction } from '../../infra/local/invoke.ts';
import { resetClock, setClock } from '../../shared/domain/clock.ts';
import { HOLIDAY_YEARS } from '../../shared/domain/holidays.ts';
import { useFreshTable } from '../support/table.ts';

/**
 * A failed run's event, run again later (from the failure queue, README "A failed job"), does the
 * work of the run that failed: without args, each job's day or month comes from the event's
 * `scheduledTime`, not from the time it runs again. Through the jobs function as Lambda runs it.
 */
beforeAll(async () => {
  await useFreshTable();
  process.env.PIONEER_SILENT = '1';
  // Run again a month and more after the failure.
  setClock('2026-12-20T10:00:00+08:00');
});
afterAll(() => {
  resetClock();
  delete process.env.PIONEER_SILENT;
});

const scheduled = (job: string, scheduledTime: string) => ({ job, scheduledTime, executionId: `e-${job}`, args: {} });

describe('a failed scheduled run, run again later', () => {
  it('rollup freezes the month before the one it was scheduled in', async () => {
    // Scheduled at 02:00 on 1 November (Shanghai).
    const r = (await invokeFunction('jobs', scheduled('rollup', '2026-10-31T18:00:00.000Z'))) as { month: string };
    expect(r.month).toBe('2026-10');
  });

  it('verify-counters checks the month of the day before it was scheduled', async () => {
    const r = (await invokeFunction('jobs', scheduled('verify-counters', '2026-10-31T17:00:00.000Z'))) as {
      month: string;
    };
    expect(r.month).toBe('2026-10');
  });

  it('kickoff kicks off the day it was scheduled on', async () => {
    const r = (await invokeFunction('jobs', scheduled('kickoff', '2026-11-04T16:05:00.000Z'))) as { date: string };
    expect(r.date).toBe('2026-11-05');
  });

  it('args still win, and without scheduledTime the clock decides, as before', async () => {
    const r = (await invokeFunction('jobs', {
      job: 'rollup',
      scheduledTime: '2026-10-31T18:00:00.000Z',
      args: { month: '2026-09' },
    })) as { month: string };
    expect(r.month).toBe('2026-09');
    const now = (await invokeFunction('jobs', { job: 'rollup', args: {} })) as { month: string };
    expect(now.month).toBe('2026-11');
  });
});

describe('check-calendar: days ahead whose holidays the calendar lacks', () => {
  // The first year shared/domain/holidays.ts does not hold, and the one before it.
  const next = Math.max(...HOLIDAY_YEARS.map((y) => y.year)) + 1;
  const last = next - 1;
  const run = async (event: Record<string, unknown>) =>
    (await invokeFunction('jobs', event)) as Record<string, unknown>;

  it('counts the days of the next 45 in a year without its arrangement, from the day it was scheduled', async () => {
    // Scheduled at 00:30 on 1 November (Shanghai): 45 days later is 16 December, all in a held year.
    expect(await run(scheduled('check-calendar', `${last}-10-31T16:30:00.000Z`))).toEqual({
      job: 'check-calendar',
      from: `${last}-11-01`,
      uncovered: 0,
    });
    // From 1 December: 1 to 15 January are 15 days of the year the calendar lacks.
    expect(await run(scheduled('check-calendar', `${last}-11-30T16:30:00.000Z`))).toEqual({
      job: 'check-calendar',
      from: `${last}-12-01`,
      uncovered: 15,
      firstUncovered: `${next}-01-01`,
    });
  });

  it('takes a day in args, and refuses one that is not a day', async () => {
    // 20 December + 45 days: 31 days of January and 3 of February.
    expect(await run({ job: 'check-calendar', args: { date: `${last}-12-20` } })).toMatchObject({
      from: `${last}-12-20`,
      uncovered: 34,
      firstUncovered: `${next}-01-01`,
    });
    await expect(run({ job: 'check-calendar', args: { date: `${last}-02-30` } })).rejects.toThrow(
      'args.date must be a day YYYY-MM-DD',
    );
  });
});

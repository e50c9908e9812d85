import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeFunction } from '../../infra/local/invoke.ts';
import { resetClock, setClock } from '../../shared/domain/clock.ts';
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

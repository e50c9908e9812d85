import { afterEach, describe, expect, it, vi } from 'vitest';
import { SCHEDULES, type ScheduleEntry } from '../../shared/config/schedules.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import {
  CronError,
  nextFireTime,
  parseCron,
  startScheduler,
  type ScheduledEvent,
} from '../../infra/local/scheduler.ts';

const next = (expr: string, afterIso: string, tz = 'Asia/Shanghai'): string =>
  new Date(nextFireTime(expr, Date.parse(afterIso), tz)).toISOString();

/** The next `count` fire times after `afterIso`. */
const series = (expr: string, afterIso: string, count: number): string[] => {
  const out: string[] = [];
  let t = Date.parse(afterIso);
  for (let i = 0; i < count; i++) {
    t = nextFireTime(expr, t, 'Asia/Shanghai');
    out.push(new Date(t).toISOString());
  }
  return out;
};

describe('nextFireTime (EventBridge Scheduler cron, Asia/Shanghai = UTC+8, no DST)', () => {
  it('daily 03:00 Shanghai is 19:00 UTC the day before', () => {
    expect(next('cron(0 3 * * ? *)', '2025-06-01T00:00:00Z')).toBe('2025-06-01T19:00:00.000Z');
    expect(next('cron(0 3 * * ? *)', '2025-06-01T18:59:59.999Z')).toBe('2025-06-01T19:00:00.000Z');
    // strictly after: at the fire time itself, the next one is a day later
    expect(next('cron(0 3 * * ? *)', '2025-06-01T19:00:00Z')).toBe('2025-06-02T19:00:00.000Z');
    // across the year end (local 2026-01-01 03:00)
    expect(next('cron(0 3 * * ? *)', '2025-12-31T12:00:00Z')).toBe('2025-12-31T19:00:00.000Z');
    // the same expression in UTC
    expect(next('cron(0 3 * * ? *)', '2025-06-01T00:00:00Z', 'UTC')).toBe('2025-06-01T03:00:00.000Z');
  });

  it('1st of the month 02:00', () => {
    expect(next('cron(0 2 1 * ? *)', '2025-01-15T00:00:00Z')).toBe('2025-01-31T18:00:00.000Z');
    expect(next('cron(0 2 1 * ? *)', '2025-01-31T18:00:00Z')).toBe('2025-02-28T18:00:00.000Z');
    expect(series('cron(0 2 1 * ? *)', '2025-11-15T00:00:00Z', 3)).toEqual([
      '2025-11-30T18:00:00.000Z',
      '2025-12-31T18:00:00.000Z',
      '2026-01-31T18:00:00.000Z',
    ]);
  });

  it('weekday lists and ranges, by name or number (1 = SUN)', () => {
    // Saturday 2025-06-07 08:00 local
    const sat = '2025-06-07T00:00:00Z';
    const mwf = [
      '2025-06-09T01:30:00.000Z',
      '2025-06-11T01:30:00.000Z',
      '2025-06-13T01:30:00.000Z',
      '2025-06-16T01:30:00.000Z',
    ];
    expect(series('cron(30 9 ? * MON,WED,FRI *)', sat, 4)).toEqual(mwf);
    expect(series('cron(30 9 ? * 2,4,6 *)', sat, 4)).toEqual(mwf);
    expect(
      series('cron(0 8 ? * mon-fri *)', sat, 6).map((s) => new Date(Date.parse(s) + 8 * 3600_000).getUTCDay()),
    ).toEqual([1, 2, 3, 4, 5, 1]);
    expect(next('cron(0 10 ? * 1 *)', sat)).toBe('2025-06-08T02:00:00.000Z'); // Sunday
    expect(next('cron(0 10 ? * SAT *)', sat)).toBe('2025-06-07T02:00:00.000Z'); // later the same Saturday
  });

  it('steps: */n, a-b/n and a/n', () => {
    expect(series('cron(*/15 * * * ? *)', '2025-06-01T02:07:00Z', 4)).toEqual([
      '2025-06-01T02:15:00.000Z',
      '2025-06-01T02:30:00.000Z',
      '2025-06-01T02:45:00.000Z',
      '2025-06-01T03:00:00.000Z',
    ]);
    // 08:00, 10:00 ... 18:00 local, then 08:00 the next day
    expect(series('cron(0 8-18/2 * * ? *)', '2025-06-01T09:30:00Z', 2)).toEqual([
      '2025-06-01T10:00:00.000Z',
      '2025-06-02T00:00:00.000Z',
    ]);
    expect(series('cron(5/20 * * * ? *)', '2025-06-01T00:00:00Z', 4).map((s) => s.slice(14, 16))).toEqual([
      '05',
      '25',
      '45',
      '05',
    ]);
    expect(parseCron('cron(0 0 1-31/10 * ? *)').daysOfMonth).toEqual(new Set([1, 11, 21, 31]));
  });

  it('month names and lists, years, and February 29th', () => {
    expect(series('cron(0 0 1 JAN,JUL ? *)', '2025-03-01T00:00:00Z', 2)).toEqual([
      '2025-06-30T16:00:00.000Z',
      '2025-12-31T16:00:00.000Z',
    ]);
    expect(next('cron(0 0 1 1 ? 2030)', '2025-01-01T00:00:00Z')).toBe('2029-12-31T16:00:00.000Z');
    expect(next('cron(0 12 29 2 ? *)', '2025-03-01T00:00:00Z')).toBe('2028-02-29T04:00:00.000Z');
    expect(next('cron(0 0 31 * ? *)', '2025-04-01T00:00:00Z')).toBe('2025-05-30T16:00:00.000Z'); // April has no 31st
    expect(() => nextFireTime('cron(0 0 1 1 ? 2030)', Date.parse('2031-01-01T00:00:00Z'))).toThrow(/never fires/);
  });

  it('refuses what EventBridge Scheduler refuses, in one clear line', () => {
    const bad: Array<[string, RegExp]> = [
      ['cron(0 3 * * ?)', /needs 6 fields/],
      ['cron(0 3 * * * *)', /exactly one of day-of-month and day-of-week/],
      ['cron(0 3 ? * ? *)', /exactly one of day-of-month and day-of-week/],
      ['cron(60 3 * * ? *)', /minutes 60 is outside 0-59/],
      ['cron(0 24 * * ? *)', /hours 24 is outside 0-23/],
      ['cron(0 3 ? * 8 *)', /day-of-week 8 is outside 1-7/],
      ['cron(0 3 ? * FOO *)', /not a number or a name/],
      ['cron(0 3 L * ? *)', /not supported locally/],
      ['cron(*/0 3 * * ? *)', /step "0"/],
      ['cron(0 5-3 * * ? *)', /goes backwards/],
      ['cron(? 3 * * ? *)', /only allowed in day-of-month or day-of-week/],
      ['rate(5 minutes)', /only cron\(/],
    ];
    for (const [expr, msg] of bad) {
      expect(() => parseCron(expr), expr).toThrow(CronError);
      expect(() => parseCron(expr), expr).toThrow(msg);
    }
    expect(() => nextFireTime('cron(0 3 * * ? *)', 0, 'Europe/Paris')).toThrow(
      /time zone "Europe\/Paris" is not supported/,
    );
  });

  it('parses every entry of the schedule table', () => {
    for (const s of SCHEDULES) expect(() => nextFireTime(s.cron, Date.now(), s.timeZone), s.name).not.toThrow();
  });
});

describe('startScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
    resetClock();
  });

  const everyMinute: ScheduleEntry = {
    name: 'tick',
    description: 'test',
    cron: 'cron(* * * * ? *)',
    timeZone: 'Asia/Shanghai',
    function: 'ticker',
    access: 'RO',
  };

  it('fires the function on time with the Scheduler event shape, and re-arms', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2025-06-01T00:00:30Z'));
    const calls: Array<[string, ScheduledEvent]> = [];
    const s = startScheduler({
      schedules: [everyMinute],
      now: () => Date.now(),
      log: () => {},
      invoke: async (fn, e) => void calls.push([fn, e]),
    });
    expect(s.upcoming()).toEqual([{ job: 'tick', at: '2025-06-01T00:01:00.000Z' }]);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe('ticker');
    expect(calls[0]![1]).toEqual({
      job: 'tick',
      scheduledTime: '2025-06-01T00:01:00.000Z',
      executionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      args: {},
    });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls.map(([, e]) => e.scheduledTime)).toEqual([
      '2025-06-01T00:01:00.000Z',
      '2025-06-01T00:02:00.000Z',
      '2025-06-01T00:03:00.000Z',
    ]);
    expect(new Set(calls.map(([, e]) => e.executionId)).size).toBe(3);
    await s.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls).toHaveLength(3);
  });

  it('never runs two of the same job at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2025-06-01T00:00:59Z'));
    let release!: () => void;
    let started = 0;
    const s = startScheduler({
      schedules: [everyMinute],
      now: () => Date.now(),
      log: () => {},
      invoke: () => {
        started++;
        return new Promise<void>((r) => (release = r));
      },
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toBe(1);
    await vi.advanceTimersByTimeAsync(5 * 60_000); // five more minutes while the first run hangs
    expect(started).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(started).toBe(2);
    release();
    await s.stop();
  });

  it('keeps going after a run fails', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2025-06-01T00:00:59Z'));
    const lines: string[] = [];
    let n = 0;
    const s = startScheduler({
      schedules: [everyMinute],
      now: () => Date.now(),
      log: (l) => lines.push(l),
      invoke: async () => {
        if (++n === 1) throw new Error('boom');
      },
    });
    await vi.advanceTimersByTimeAsync(61_000);
    expect(n).toBe(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ scheduler: 'tick', ok: false, error: 'boom' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ scheduler: 'tick', ok: true });
    await s.stop();
  });

  it('reads time through shared/domain/clock.ts (so --clock moves it)', async () => {
    freezeClock('2030-01-01T18:59:00.000Z');
    const s = startScheduler({
      schedules: SCHEDULES.filter((x) => x.name === 'expire-check-ins'),
      log: () => {},
      invoke: async () => undefined,
    });
    expect(s.upcoming()).toEqual([{ job: 'expire-check-ins', at: '2030-01-01T19:00:00.000Z' }]);
    await s.stop();
  });
});

import { randomUUID } from 'node:crypto';
import type { ScheduleEntry } from '../../shared/config/schedules.ts';
import { nowMs } from '../../shared/domain/clock.ts';

/**
 * The local EventBridge Scheduler: parses the schedule table's six-field cron expressions and
 * fires each job's function on time, with Scheduler's event shape. Time comes from
 * shared/domain/clock.ts, so `npm start -- --clock <ISO>` moves it.
 */

// ---------------------------------------------------------------------------------------------
// Cron: cron(minutes hours day-of-month month day-of-week year)

export class CronError extends Error {
  override readonly name = 'CronError';
}

export interface CronSpec {
  readonly expression: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** undefined: `?` (day-of-week decides). */
  readonly daysOfMonth: ReadonlySet<number> | undefined;
  readonly months: ReadonlySet<number>;
  /** 1 = SUN ... 7 = SAT, as AWS; undefined: `?` (day-of-month decides). */
  readonly daysOfWeek: ReadonlySet<number> | undefined;
  /** undefined: every year. */
  readonly years: readonly number[] | undefined;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Index in `names` + this = value. */
  readonly nameBase?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
    nameBase: 1,
  },
  { name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], nameBase: 1 },
  { name: 'year', min: 1970, max: 2199 },
];

function parseValue(text: string, f: FieldSpec, expr: string): number {
  const upper = text.toUpperCase();
  const named = f.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (f.nameBase ?? 0);
  if (!/^\d+$/.test(text)) {
    if (/[LW#]/i.test(text))
      throw new CronError(
        `invalid cron expression "${expr}": ${f.name} "${text}" (L, W and # are not supported locally)`,
      );
    throw new CronError(
      `invalid cron expression "${expr}": ${f.name} "${text}" is not a number${f.names ? ' or a name' : ''}`,
    );
  }
  const n = Number(text);
  if (n < f.min || n > f.max)
    throw new CronError(`invalid cron expression "${expr}": ${f.name} ${n} is outside ${f.min}-${f.max}`);
  return n;
}

/** `*`, `?` (returns undefined), `n`, `a-b`, lists `a,b`, steps `*\/n`, `a-b/n`, `a/n`. */
function parseField(text: string, f: FieldSpec, expr: string): Set<number> | undefined {
  if (text === '?') {
    if (f.name !== 'day-of-month' && f.name !== 'day-of-week') {
      throw new CronError(`invalid cron expression "${expr}": "?" is only allowed in day-of-month or day-of-week`);
    }
    return undefined;
  }
  const out = new Set<number>();
  for (const item of text.split(',')) {
    if (!item) throw new CronError(`invalid cron expression "${expr}": empty item in ${f.name}`);
    const [base, stepText, extra] = item.split('/');
    if (extra !== undefined || base === undefined || base === '') {
      throw new CronError(`invalid cron expression "${expr}": ${f.name} "${item}"`);
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
        throw new CronError(
          `invalid cron expression "${expr}": ${f.name} step "${stepText}" must be a whole number >= 1`,
        );
      }
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (base === '*') {
      from = f.min;
      to = f.max;
    } else if (base.includes('-')) {
      const [a, b, more] = base.split('-');
      if (more !== undefined || !a || !b)
        throw new CronError(`invalid cron expression "${expr}": ${f.name} range "${base}"`);
      from = parseValue(a, f, expr);
      to = parseValue(b, f, expr);
      if (from > to) throw new CronError(`invalid cron expression "${expr}": ${f.name} range "${base}" goes backwards`);
    } else {
      from = parseValue(base, f, expr);
      to = stepText !== undefined ? f.max : from;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Parses `cron(min hour dom month dow year)` (EventBridge Scheduler syntax). */
export function parseCron(expression: string): CronSpec {
  const m = /^\s*cron\((.*)\)\s*$/i.exec(expression);
  if (!m) {
    throw new CronError(
      `invalid schedule expression "${expression}": only cron(minutes hours day-of-month month day-of-week year) is supported locally`,
    );
  }
  const parts = m[1]!.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new CronError(
      `invalid cron expression "${expression}": it needs 6 fields (minutes hours day-of-month month day-of-week year), found ${parts.length}`,
    );
  }
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]!, expression));
  const [minutes, hours, dom, months, dow, years] = sets;
  if ((dom === undefined) === (dow === undefined)) {
    throw new CronError(
      `invalid cron expression "${expression}": use "?" in exactly one of day-of-month and day-of-week`,
    );
  }
  if (!minutes || !hours || !months || !years) {
    throw new CronError(`invalid cron expression "${expression}": "?" is only allowed in day-of-month or day-of-week`);
  }
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  return {
    expression,
    minutes: sorted(minutes),
    hours: sorted(hours),
    daysOfMonth: dom,
    months,
    daysOfWeek: dow,
    years: parts[5] === '*' ? undefined : sorted(years),
  };
}

const TZ_OFFSETS_MIN: Record<string, number> = {
  'Asia/Shanghai': 8 * 60, // China Standard Time: UTC+8 all year, no daylight saving
  UTC: 0,
  'Etc/UTC': 0,
};

export function timeZoneOffsetMs(tz: string): number {
  const off = TZ_OFFSETS_MIN[tz];
  if (off === undefined) {
    throw new CronError(
      `time zone "${tz}" is not supported locally (supported: ${Object.keys(TZ_OFFSETS_MIN).join(', ')})`,
    );
  }
  return off * 60_000;
}

const DAY_MS = 86_400_000;

/**
 * The first time strictly after `afterMs` (epoch ms) at which the expression fires in time zone
 * `tz`, as epoch ms. Throws CronError when it never fires again (years all past).
 */
export function nextFireTime(expr: string | CronSpec, afterMs: number, tz = 'Asia/Shanghai'): number {
  const spec = typeof expr === 'string' ? parseCron(expr) : expr;
  const off = timeZoneOffsetMs(tz);
  // Work in "wall clock as UTC" milliseconds of the time zone; start at the next whole minute.
  let t = Math.floor((afterMs + off) / 60_000) * 60_000 + 60_000;
  const lastYear = spec.years ? spec.years[spec.years.length - 1]! : 2199;
  for (let guard = 0; guard < 200_000; guard++) {
    const d = new Date(t);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    if (y > lastYear) break;
    if (spec.years && !spec.years.includes(y)) {
      const ny = spec.years.find((v) => v > y);
      if (ny === undefined) break;
      t = Date.UTC(ny, 0, 1);
      continue;
    }
    if (!spec.months.has(mo)) {
      t = Date.UTC(y, mo, 1); // first day of the next month (Date.UTC rolls month 12 over)
      continue;
    }
    const dayOk = spec.daysOfMonth ? spec.daysOfMonth.has(day) : spec.daysOfWeek!.has(d.getUTCDay() + 1);
    if (dayOk) {
      const h0 = d.getUTCHours();
      const m0 = d.getUTCMinutes();
      for (const h of spec.hours) {
        if (h < h0) continue;
        const minute = spec.minutes.find((m) => h > h0 || m >= m0);
        if (minute !== undefined) return Date.UTC(y, mo - 1, day, h, minute) - off;
      }
    }
    t = Date.UTC(y, mo - 1, day) + DAY_MS;
  }
  throw new CronError(`cron expression "${spec.expression}" never fires after ${new Date(afterMs).toISOString()}`);
}

// ---------------------------------------------------------------------------------------------
// Scheduler

/** The event EventBridge Scheduler sends (the schedule's input template in the CDK stack). */
export interface ScheduledEvent {
  job: string;
  /** The planned fire time, ISO. */
  scheduledTime: string;
  executionId: string;
  args: Record<string, unknown>;
}

export interface SchedulerOptions {
  schedules: readonly ScheduleEntry[];
  /** Runs the job: called with the schedule's function name. */
  invoke(functionName: string, event: ScheduledEvent, schedule: ScheduleEntry): Promise<unknown>;
  /** Default: shared/domain/clock.ts nowMs. */
  now?: () => number;
  /** One line per fire and per failure; default: JSON lines on stdout. */
  log?: (line: string) => void;
}

export interface Scheduler {
  /** Next fire time of each job, ISO. */
  upcoming(): { job: string; at: string }[];
  /** Clears the timers and waits for runs in progress. */
  stop(): Promise<void>;
}

/** Longest single sleep: waking regularly keeps the schedule right if the clock is moved. */
const MAX_SLEEP_MS = 60_000;

export function startScheduler(opts: SchedulerOptions): Scheduler {
  const now = opts.now ?? nowMs;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  let stopped = false;
  const timers = new Map<string, NodeJS.Timeout>();
  const targets = new Map<string, number>();
  const running = new Map<string, Promise<void>>();

  const jobs = opts.schedules.map((s) => {
    const spec = parseCron(s.cron); // a bad expression fails at start, loudly
    timeZoneOffsetMs(s.timeZone);
    return { s, spec };
  });

  const arm = (job: (typeof jobs)[number], afterMs: number): void => {
    if (stopped) return;
    let target: number;
    try {
      target = nextFireTime(job.spec, afterMs, job.s.timeZone);
    } catch (err) {
      log(JSON.stringify({ scheduler: job.s.name, message: (err as Error).message }));
      targets.delete(job.s.name);
      return;
    }
    targets.set(job.s.name, target);
    sleepUntil(job, target);
  };

  const sleepUntil = (job: (typeof jobs)[number], target: number): void => {
    if (stopped) return;
    const delay = Math.max(0, Math.min(target - now(), MAX_SLEEP_MS));
    const timer = setTimeout(() => {
      timers.delete(job.s.name);
      const t = now();
      if (t >= target) return void fire(job, target);
      // Woke early (or the clock moved back): recompute, in case the next fire is now sooner.
      const fresh = nextFireTime(job.spec, t, job.s.timeZone);
      if (fresh < target) {
        targets.set(job.s.name, fresh);
        sleepUntil(job, fresh);
      } else sleepUntil(job, target);
    }, delay);
    timer.unref();
    timers.set(job.s.name, timer);
  };

  const fire = (job: (typeof jobs)[number], scheduledMs: number): void => {
    if (stopped || running.has(job.s.name)) return;
    const event: ScheduledEvent = {
      job: job.s.name,
      scheduledTime: new Date(scheduledMs).toISOString(),
      executionId: randomUUID(),
      args: {},
    };
    const t0 = performance.now();
    const run = (async () => {
      try {
        await opts.invoke(job.s.function, event, job.s);
        log(
          JSON.stringify({
            scheduler: job.s.name,
            executionId: event.executionId,
            scheduledTime: event.scheduledTime,
            ok: true,
            ms: Math.round(performance.now() - t0),
          }),
        );
      } catch (err) {
        log(
          JSON.stringify({
            scheduler: job.s.name,
            executionId: event.executionId,
            scheduledTime: event.scheduledTime,
            ok: false,
            error: err instanceof Error ? err.message : String(err),
          }),
        );
      }
    })();
    running.set(job.s.name, run);
    void run.finally(() => {
      running.delete(job.s.name);
      // Re-arm after the run: never two runs of a job at once, never the same minute twice.
      arm(job, Math.max(scheduledMs, now()));
    });
  };

  for (const job of jobs) arm(job, now());

  return {
    upcoming: () =>
      jobs.flatMap((j) => {
        const at = targets.get(j.s.name);
        return at === undefined ? [] : [{ job: j.s.name, at: new Date(at).toISOString() }];
      }),
    stop: async () => {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}

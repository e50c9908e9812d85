import { DomainError } from './errors.ts';
import { administers, administersStreet, hasRole, type Caller } from './policy.ts';
import { leadsTeam } from './team.ts';
import { MONTH_PATTERN } from './time.ts';

/**
 * Statistics: pure rules of the read side and the monthly rollup (no I/O).
 * Counters are kept per scope and month (shared/db/counters.ts); the rollup freezes a month into
 * immutable snapshots (shared/db/stats.ts). Here: the counter names, who may read which scope,
 * the months, small-count suppression for the public figures, and CSV.
 */
export const STATS_SCOPES = ['district', 'street', 'community', 'grid', 'team'] as const;
export type StatsScope = (typeof STATS_SCOPES)[number];

/** Every counter the write paths keep (a figure absent from an item is 0). */
export const COUNTER_NAMES = [
  'checkIns',
  'activities',
  'volunteerTimes',
  'volunteerHours',
  'peopleServed',
  'wishesPosted',
  'wishesPublished',
  'wishesClaimed',
  'wishesTakenOn',
  'wishesCompleted',
  'wishesConfirmed',
  'ratingSum',
  'ratingCount',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type Figures = Record<string, number>;

/** The child scopes listed under a scope (the gsi1 children of its counters). */
export const CHILD_SCOPES: Readonly<Record<StatsScope, readonly StatsScope[]>> = {
  district: ['street', 'team'],
  street: ['community'],
  community: ['grid'],
  grid: [],
  team: [],
};

/** Every counter name, 0 when absent, plus any other numeric counter an item carries (never dropped). */
export function figuresOf(source: Readonly<Record<string, unknown>> | undefined, ignore: readonly string[] = []): Figures {
  const out: Figures = {};
  for (const name of COUNTER_NAMES) out[name] = 0;
  if (!source) return out;
  for (const [k, v] of Object.entries(source)) {
    if (ignore.includes(k) || !/^[a-zA-Z]+$/.test(k)) continue;
    const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
    if (n !== undefined && Number.isFinite(n)) out[k] = n;
  }
  return out;
}

// ---------- months ----------

/** `YYYY-MM` before `month`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The month to freeze: `requested` (validated), else the month before `currentMonth`; never a month that has not ended. */
export function rollupMonth(requested: unknown, currentMonth: string): string {
  if (requested !== undefined && (typeof requested !== 'string' || !MONTH_PATTERN.test(requested)))
    throw new DomainError('VALIDATION_FAILED', `month must be YYYY-MM, got ${String(requested).slice(0, 40)}`, {
      errors: [{ field: 'args.month', message: 'a month YYYY-MM' }],
    });
  const month = (requested as string | undefined) ?? previousMonth(currentMonth);
  if (month >= currentMonth)
    throw new DomainError('VALIDATION_FAILED', `${month} has not ended yet (now ${currentMonth}, Asia/Shanghai): only ended months are frozen`, {
      errors: [{ field: 'args.month', message: 'a month before the current one' }],
    });
  return month;
}

// ---------- who may read ----------

/** A scope as resolved from the table (its place in the hierarchy), for the access rule. */
export type ResolvedScope =
  | { readonly scope: 'district'; readonly id: string }
  | { readonly scope: 'street'; readonly id: string }
  | { readonly scope: 'community' | 'grid'; readonly id: string; readonly streetId: string; readonly communityId: string }
  | { readonly scope: 'team'; readonly id: string; readonly leaderMemberId: string };

/**
 * Admins of the scope or above: district and city admins read everything; a street admin their
 * street and what is in it; a community admin their community and its grids; a team's statistics
 * are for its leader (the team in their token, and the team's leader in fact) and district/city admins.
 */
export function mayReadStats(caller: Caller, target: ResolvedScope): boolean {
  switch (target.scope) {
    case 'district':
      return hasRole(caller, 'district_admin', 'city_admin');
    case 'street':
      return administersStreet(caller, target.id);
    case 'community':
    case 'grid':
      return administers(caller, { streetId: target.streetId, communityId: target.communityId });
    case 'team':
      return hasRole(caller, 'district_admin', 'city_admin') || leadsTeam(caller, { teamId: target.id, leaderMemberId: target.leaderMemberId });
  }
}

// ---------- public figures ----------

/** The figures the public route shows. */
export const HEADLINE = ['activities', 'volunteerTimes', 'volunteerHours', 'peopleServed', 'wishesCompleted', 'checkIns'] as const;
export const SUPPRESS_BELOW = 5;
export const SUPPRESSED = '<5';
export type PublicFigure = number | typeof SUPPRESSED;

/**
 * Small-count suppression. Every count of people or events under 5 (0 included) is shown as
 * "<5". Hours are not a count, but a small number of volunteers' hours would tell about each of
 * them: `volunteerHours` is suppressed exactly when `volunteerTimes` is, and shown as is otherwise.
 */
export function suppress(f: Readonly<Figures>): Record<(typeof HEADLINE)[number], PublicFigure> {
  const count = (n: number): PublicFigure => (n < SUPPRESS_BELOW ? SUPPRESSED : n);
  const times = f.volunteerTimes ?? 0;
  return {
    activities: count(f.activities ?? 0),
    volunteerTimes: count(times),
    volunteerHours: times < SUPPRESS_BELOW ? SUPPRESSED : (f.volunteerHours ?? 0),
    peopleServed: count(f.peopleServed ?? 0),
    wishesCompleted: count(f.wishesCompleted ?? 0),
    checkIns: count(f.checkIns ?? 0),
  };
}

// ---------- CSV ----------

/** UTF-8 byte order mark: Excel reads the file as UTF-8 (Chinese names intact) only with it. */
export const BOM = '\uFEFF';

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (starting with = + - @,
 * or a tab or carriage return) gets a leading apostrophe; a cell with a quote, comma or line
 * break is quoted, its quotes doubled. Numbers are written as numbers (a negative hours
 * correction stays a number).
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A whole CSV document: BOM, CRLF line ends (also after the last row). */
export function toCsv(rows: readonly (readonly (string | number | undefined)[])[]): string {
  return BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export interface StatsRow {
  readonly scope: string;
  readonly id: string;
  readonly name?: string;
  readonly figures: Readonly<Figures>;
}

/** The statistics CSV: a header, one row per child, then the scope's own total row. */
export function statsCsv(total: StatsRow, children: readonly StatsRow[]): string {
  const extra = [...new Set([total, ...children].flatMap((r) => Object.keys(r.figures)))].filter(
    (k) => !(COUNTER_NAMES as readonly string[]).includes(k),
  );
  const names = [...COUNTER_NAMES, ...extra.sort()];
  const line = (r: StatsRow) => [r.scope, r.id, r.name ?? '', ...names.map((n) => r.figures[n] ?? 0)];
  return toCsv([['scope', 'id', 'name', ...names], ...children.map(line), line(total)]);
}

/** `pioneer-<district>-<month>-<scope>-<id>.csv` (ids are [A-Za-z0-9_-]: safe in a header). */
export function csvFileName(district: string, month: string, scope: string, id: string): string {
  return `pioneer-${district}-${month}-${scope}-${id}.csv`;
}

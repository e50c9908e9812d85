import { CHILD_SCOPES as CHILDREN, counterNames, SCOPES, type Scope } from './counters.ts';
import { DomainError } from './errors.ts';
import { administers, administersStreet, hasRole, type Caller } from './policy.ts';
import { leadsTeam } from './team.ts';
import { MONTH_PATTERN } from './time.ts';

/**
 * Statistics: pure rules of the read side and the monthly rollup (no I/O).
 * Counters are kept per scope and month, as the counters table says (shared/domain/counters.ts);
 * the rollup freezes a month into immutable snapshots (shared/db/stats.ts). Here: the figures,
 * who may read which scope, the months, small-count suppression for the public figures.
 */
export const STATS_SCOPES = SCOPES;
export type StatsScope = Scope;

/** Every counter the write paths keep, in the order of the figures (a figure absent from an item is 0). */
export const COUNTER_NAMES: readonly string[] = /* @__PURE__ */ counterNames();
export type Figures = Record<string, number>;

/** The child scopes listed under a scope (the gsi1 children of its counters). */
export const CHILD_SCOPES: Readonly<Record<StatsScope, readonly StatsScope[]>> = CHILDREN;

/**
 * Every counter name (`names`: those of the counters table), 0 when absent, plus any other
 * numeric counter an item carries (never dropped).
 */
export function figuresOf(
  source: Readonly<Record<string, unknown>> | undefined,
  ignore: readonly string[] = [],
  names = COUNTER_NAMES,
): Figures {
  const out: Figures = {};
  for (const name of names) out[name] = 0;
  if (!source) return out;
  for (const [k, v] of Object.entries(source)) {
    if (ignore.includes(k) || !/^[a-zA-Z]+$/.test(k)) continue;
    const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
    if (n !== undefined && Number.isFinite(n)) out[k] = n;
  }
  return out;
}

// ---------- derived figures ----------

/**
 * Figures derived when read, never counted: `ratingAverage`, the wishes' average rating
 * (ratingSum / ratingCount, 2 decimals). Only sums and counts add up across scopes and months, so
 * those stay the counters (and stay in the figures); the average is worked out from them wherever
 * figures are shown, after any summing (the city's totals included).
 */
export const RATING_AVERAGE = 'ratingAverage';

/** `f` with its derived figures: `ratingAverage` when there is a rating (absent otherwise: no rating, no average). */
export function withAverages(f: Readonly<Figures>): Figures {
  const count = f.ratingCount ?? 0;
  if (!(count > 0)) return { ...f };
  return { ...f, [RATING_AVERAGE]: Math.round(((f.ratingSum ?? 0) / count) * 100) / 100 };
}

/** The columns of figures in a table (CSV): the counters `names`, each derived figure after what it derives from. */
export function figureColumns(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    if (n === RATING_AVERAGE) continue;
    out.push(n);
    if (n === 'ratingCount') out.push(RATING_AVERAGE);
  }
  return out;
}

/** The language of a CSV's header row (and its few words): `en` (camelCase names, for programs) or `zh` (for people). */
export const CSV_LANGS = ['en', 'zh'] as const;
export type CsvLang = (typeof CSV_LANGS)[number];

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
    throw new DomainError(
      'VALIDATION_FAILED',
      `${month} has not ended yet (now ${currentMonth}, Asia/Shanghai): only ended months are frozen`,
      {
        errors: [{ field: 'args.month', message: 'a month before the current one' }],
      },
    );
  return month;
}

// ---------- who may read ----------

/** A scope as resolved from the table (its place in the hierarchy), for the access rule. */
export type ResolvedScope =
  | { readonly scope: 'district'; readonly id: string }
  | { readonly scope: 'street'; readonly id: string }
  | {
      readonly scope: 'community' | 'grid';
      readonly id: string;
      readonly streetId: string;
      readonly communityId: string;
    }
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
      return (
        hasRole(caller, 'district_admin', 'city_admin') ||
        leadsTeam(caller, { teamId: target.id, leaderMemberId: target.leaderMemberId })
      );
  }
}

// ---------- public figures ----------

/** The figures the public route shows. */
export const HEADLINE = [
  'activities',
  'volunteerTimes',
  'volunteerHours',
  'peopleServed',
  'wishesCompleted',
  'checkIns',
] as const;
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

/** `pioneer-<district>-<month>-<scope>-<id>.csv` (ids are [A-Za-z0-9_-]: safe in a header). */
export function csvFileName(district: string, month: string, scope: string, id: string): string {
  return `pioneer-${district}-${month}-${scope}-${id}.csv`;
}

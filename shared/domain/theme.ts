import { createHash } from 'node:crypto';
import type { Category } from './categories.ts';
import { DomainError } from './errors.ts';
import { ID_PATTERN } from './ids.ts';
import { isRealDay, MONTH_PATTERN } from './time.ts';

/**
 * Monthly themes (一月一主题) and their kickoff (启动仪式), which is also the month's
 * concentrated service day (集中服务日). Pure rules: which theme applies, the kickoff date,
 * the service-day activity's id and window.
 *
 * The city plans twelve themes a year; a district may set its own theme for a month, which
 * then applies in that district instead of the city's. A district stack stores both, the
 * city's with source `city`, the district's with source `district`.
 */
export const THEME_SOURCES = ['city', 'district'] as const;
export type ThemeSource = (typeof THEME_SOURCES)[number];
export const THEME_STATUSES = ['planned', 'kicked-off'] as const;
export type ThemeStatus = (typeof THEME_STATUSES)[number];

/** What a theme's setter gives (the district's PUT /themes/{month} and the city's alike). */
export interface ThemeInput {
  readonly title: string;
  readonly description: string;
  /** YYYY-MM-DD inside the month, Asia/Shanghai: the kickoff and concentrated service day. */
  readonly kickoffDate: string;
  readonly suggestedCategories: readonly Category[];
  /** Teams expected on the service day; empty: every active team. */
  readonly expectedTeamIds: readonly string[];
  /** Teams to be given their flag at the kickoff. */
  readonly plannedFlagGrants: readonly string[];
}

export interface Theme {
  /** YYYY-MM */
  readonly month: string;
  readonly source: ThemeSource;
  readonly title: string;
  readonly description: string;
  /** YYYY-MM-DD inside `month`, Asia/Shanghai: the kickoff and concentrated service day. */
  readonly kickoffDate: string;
  readonly suggestedCategories: readonly Category[];
  /** Teams expected on the service day; empty: every active team. */
  readonly expectedTeamIds: readonly string[];
  /** Teams to be given their flag at the kickoff. */
  readonly plannedFlagGrants: readonly string[];
  /** `kicked-off` once the kickoff job ran on the kickoff date: the theme is current, it can no longer be re-set. */
  readonly status: ThemeStatus;
  readonly kickedOffAt?: string;
  readonly setBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The concentrated service day: 09:00 to 12:00 Asia/Shanghai on the kickoff date. */
export const SERVICE_DAY_START = '09:00';
export const SERVICE_DAY_END = '12:00';
/** Places per team on the service day. */
export const SERVICE_DAY_CAPACITY = 30;

/** True for a calendar date that exists (no 2026-02-30). */
/** Throws 400 VALIDATION_FAILED unless `kickoffDate` is a real day inside `month`. */
export function assertKickoffInMonth(month: string, kickoffDate: string): void {
  if (!MONTH_PATTERN.test(month)) throw invalid('params.month', 'a month YYYY-MM');
  if (!isRealDay(kickoffDate)) throw invalid('body.kickoffDate', 'a date YYYY-MM-DD that exists');
  if (kickoffDate.slice(0, 7) !== month) throw invalid('body.kickoffDate', `the kickoff date must lie in ${month}`);
}

const invalid = (field: string, message: string) =>
  new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors: [{ field, message }] });

/** The theme that applies in this district for one month: the district's own, else the city's. */
export function applyingTheme<T extends Pick<Theme, 'source'>>(themesOfMonth: readonly T[]): T | undefined {
  return themesOfMonth.find((t) => t.source === 'district') ?? themesOfMonth.find((t) => t.source === 'city');
}

/** The twelve months of `year`, each with the theme that applies (null when none is set). */
export function yearPlan<T extends Pick<Theme, 'source' | 'month'>>(
  year: number,
  themes: readonly T[],
): { month: string; theme: T | null }[] {
  return Array.from({ length: 12 }, (_, i) => {
    const month = `${year}-${String(i + 1).padStart(2, '0')}`;
    return { month, theme: applyingTheme(themes.filter((t) => t.month === month)) ?? null };
  });
}

/** Whose theme a caller sets: a city admin the city plan, a district admin the district's own. */
export function sourceOf(roles: ReadonlySet<string>): ThemeSource | undefined {
  if (roles.has('city_admin')) return 'city';
  if (roles.has('district_admin')) return 'district';
  return undefined;
}

/** Whether a kickoff run on `day` should kick `theme` off. */
export function isKickoffDay(theme: Pick<Theme, 'kickoffDate'> | undefined, day: string): boolean {
  return theme !== undefined && theme.kickoffDate === day;
}

/**
 * The deterministic id of a team's service-day activity for a month, so that the kickoff can
 * create it with a conditional put and a second run finds it: `sd-<YYYYMM>-<teamId>`, or, when
 * that would be longer than an id may be, `sd-<YYYYMM>-h<hash of the team id>`.
 */
export function serviceDayActivityId(month: string, teamId: string): string {
  const plain = `sd-${month.replace('-', '')}-${teamId}`;
  if (ID_PATTERN.test(plain)) return plain;
  const hash = createHash('sha256')
    .update(teamId)
    .digest('base64url')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 32);
  return `sd-${month.replace('-', '')}-h${hash}`;
}

/** The service day's window on `day`, as UTC ISO instants. */
export function serviceDayWindow(day: string): { startsAt: string; endsAt: string } {
  return {
    startsAt: new Date(`${day}T${SERVICE_DAY_START}:00+08:00`).toISOString(),
    endsAt: new Date(`${day}T${SERVICE_DAY_END}:00+08:00`).toISOString(),
  };
}

/** Removes repeated ids, keeping the first of each. */
export function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

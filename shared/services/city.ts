import { CITY_EVENT_SOURCE, CITY_THEME_DETAIL_TYPE } from '../config/city.ts';
import type { Category } from '../domain/categories.ts';
import {
  cityCsvFileName,
  cityTotals,
  DEFAULT_RANK_BY,
  rankDistricts,
  type CityDistrictMonth,
  type CityThemePlanned,
} from '../domain/city.ts';
import { cityCsv, type CsvLang } from '../views/csv.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError, forbidden } from '../domain/errors.ts';
import type { Caller } from '../domain/policy.ts';
import type { FeaturedProjectsAwarded } from '../domain/featured.ts';
import type { MonthlyRollupFrozen } from '../domain/rollup.ts';
import { previousMonth, withAverages } from '../domain/stats.ts';
import { assertKickoffInMonth, uniqueIds, yearPlan, type ThemeInput } from '../domain/theme.ts';
import { MONTH_PATTERN, monthOf } from '../domain/time.ts';
import * as city from '../db/city.ts';
import { knownDistricts } from '../events/district-directory.ts';
import { publisher } from '../events/publisher.ts';

/**
 * Use cases of the city: storing each district's frozen month (the MonthlyRollupFrozen events of
 * the districts' rollups), the city statistics over them, and the city's theme plan, which is
 * set once here and sent to every district (CityThemePlanned).
 */

function assertCityAdmin(caller: Caller): void {
  if (!caller.roles.has('city_admin')) throw forbidden("only city admins read and plan the city's figures and themes");
}

// ---------- MonthlyRollupFrozen ----------

export interface ReceivedRollup {
  readonly [k: string]: unknown;
  readonly district: string;
  readonly month: string;
  readonly frozenAt: string;
  readonly outcome: city.StoreOutcome;
  readonly previousFrozenAt?: string;
}

/**
 * Stores a district's month from its MonthlyRollupFrozen event (detail already checked against
 * RollupDetail): the first one for that month is stored, a later one (by frozenAt) replaces it,
 * the same one again or an older one changes nothing. A rollup of a district this city does not
 * know is refused (thrown: retried, then kept in the dead-letter queue for a person to look at).
 */
export async function receiveRollup(d: MonthlyRollupFrozen): Promise<ReceivedRollup> {
  const districts = await knownDistricts();
  if (!districts.some((x) => x.id === d.district))
    throw new DomainError('VALIDATION_FAILED', `no district ${d.district} in this city`, {
      errors: [{ field: 'detail.district', message: `one of ${districts.map((x) => x.id).join(', ')}` }],
    });
  const month: CityDistrictMonth = {
    district: d.district,
    month: d.month,
    frozenAt: d.frozenAt,
    receivedAt: nowIso(),
    figures: d.figures,
    streets: d.streets,
  };
  const r = await city.putDistrictMonth(month);
  return { district: d.district, month: d.month, frozenAt: d.frozenAt, ...r };
}

// ---------- FeaturedProjectsAwarded ----------

/**
 * Stores a district's awarded featured projects for the city's review (detail checked against
 * FeaturedAwardedDetail); the same event again writes the same items. An unknown district is
 * refused, like a rollup's.
 */
export async function receiveFeaturedAwards(d: FeaturedProjectsAwarded): Promise<Record<string, unknown>> {
  const districts = await knownDistricts();
  if (!districts.some((x) => x.id === d.district))
    throw new DomainError('VALIDATION_FAILED', `no district ${d.district} in this city`, {
      errors: [{ field: 'detail.district', message: `one of ${districts.map((x) => x.id).join(', ')}` }],
    });
  const receivedAt = nowIso();
  await city.putFeaturedAwards(
    d.awards.map((a) => ({
      ...a,
      district: d.district,
      callId: d.callId,
      year: d.year,
      awardedAt: d.awardedAt,
      receivedAt,
    })),
  );
  return { district: d.district, callId: d.callId, year: d.year, awards: d.awards.length };
}

export async function cityFeaturedProjects(caller: Caller, year: number | undefined) {
  assertCityAdmin(caller);
  const y = year ?? Number(monthOf(nowIso()).slice(0, 4));
  return { year: y, items: await city.featuredAwards(y) };
}

// ---------- statistics ----------

/** The districts to expect; a directory that cannot be read now is a 503 (try again), never a 500. */
async function directory() {
  try {
    return await knownDistricts();
  } catch (err) {
    throw new DomainError(
      'UNAVAILABLE',
      `the directory of districts cannot be read now (${(err as Error).message}): try again shortly`,
    );
  }
}

export interface CityStatsQuery {
  readonly month?: string | undefined;
  readonly rankBy?: string | undefined;
}

async function monthView(q: CityStatsQuery) {
  const month = q.month ?? previousMonth(monthOf(nowIso()));
  const rankBy = q.rankBy ?? DEFAULT_RANK_BY;
  const [districts, held] = await Promise.all([
    directory(),
    city.districtMonths(month).then((ms) => new Map(ms.map((m) => [m.district, m]))),
  ]);
  // Only the districts of the directory count (a deleted district's stack leaves it, its months stay, unused).
  const months = districts.flatMap((d) => {
    const m = held.get(d.id);
    return m ? [{ d, m }] : [];
  });
  const ranking = rankDistricts(
    months.map((x) => x.m),
    rankBy,
  );
  const rankOf = new Map(ranking.map((r) => [r.district, r.rank]));
  const totals = cityTotals(months.map((x) => x.m));
  return { month, rankBy, districts, held, months, ranking, rankOf, totals };
}

export async function cityMonthlyStats(caller: Caller, q: CityStatsQuery) {
  assertCityAdmin(caller);
  const v = await monthView(q);
  const districts = v.months
    .map(({ d, m }) => ({
      district: d.id,
      name: d.name,
      nameZh: d.nameZh,
      frozenAt: m.frozenAt,
      receivedAt: m.receivedAt,
      rank: v.rankOf.get(d.id)!,
      figures: withAverages(m.figures),
      streets: m.streets.map((st) => ({ ...st, figures: withAverages(st.figures) })),
    }))
    .sort((a, b) => a.rank - b.rank || a.district.localeCompare(b.district));
  const missing = v.districts
    .filter((d) => !v.held.has(d.id))
    .map((d) => ({
      district: d.id,
      name: d.name,
      nameZh: d.nameZh,
    }));
  return {
    month: v.month,
    rankBy: v.rankBy,
    complete: missing.length === 0,
    districts,
    totals: withAverages(v.totals),
    ranking: v.ranking,
    missing,
  };
}

export async function cityMonthlyCsv(
  caller: Caller,
  q: CityStatsQuery,
  lang: CsvLang = 'en',
): Promise<{ month: string; csv: string; fileName: string }> {
  assertCityAdmin(caller);
  const v = await monthView(q);
  const csv = cityCsv(
    {
      month: v.month,
      rankBy: v.rankBy,
      districts: v.districts.map((d) => {
        const m = v.held.get(d.id);
        return { id: d.id, name: d.nameZh, ...(m ? { month: m, rank: v.rankOf.get(d.id)! } : {}) };
      }),
      totals: v.totals,
    },
    lang,
  );
  return { month: v.month, csv, fileName: cityCsvFileName(v.month) };
}

// ---------- the city's theme plan ----------

export type CityThemeInput = ThemeInput;

/**
 * Sets a month of the city plan and sends it to every district: stored first (the city's own
 * record, version updatedAt), then one CityThemePlanned event on the city bus, which a rule in
 * each district stack delivers to its themes function. If the bus refuses the event the plan is
 * stored but not sent: 503, and sending the same PUT again sends it (a newer version).
 */
export async function setCityTheme(
  caller: Caller,
  month: string,
  input: CityThemeInput,
): Promise<CityThemePlanned & { sentToDistricts: boolean }> {
  assertCityAdmin(caller);
  assertKickoffInMonth(month, input.kickoffDate);
  const theme = await city.putCityTheme(
    {
      month,
      title: input.title,
      description: input.description,
      kickoffDate: input.kickoffDate,
      suggestedCategories: uniqueIds(input.suggestedCategories) as Category[],
      expectedTeamIds: uniqueIds(input.expectedTeamIds),
      plannedFlagGrants: uniqueIds(input.plannedFlagGrants),
      setBy: caller.sub,
    },
    nowIso(),
  );
  const detail: CityThemePlanned = {
    month: theme.month,
    title: theme.title,
    description: theme.description,
    kickoffDate: theme.kickoffDate,
    suggestedCategories: theme.suggestedCategories,
    expectedTeamIds: theme.expectedTeamIds,
    plannedFlagGrants: theme.plannedFlagGrants,
    setBy: theme.setBy,
    createdAt: theme.createdAt,
    updatedAt: theme.updatedAt,
  };
  try {
    await publisher(CITY_EVENT_SOURCE).publish(CITY_THEME_DETAIL_TYPE, detail);
  } catch (err) {
    throw new DomainError(
      'UNAVAILABLE',
      `the plan is stored but could not be sent to the districts (${(err as Error).message}): send it again`,
    );
  }
  return { ...detail, sentToDistricts: true };
}

export async function getCityPlan(caller: Caller, year: number | undefined) {
  assertCityAdmin(caller);
  const y = year ?? Number(monthOf(nowIso()).slice(0, 4));
  const themes = (await city.cityThemesOfYear(y)).map((t) => ({ ...t, source: 'city' as const }));
  return {
    year: y,
    months: yearPlan(y, themes).map(({ month, theme }) => {
      if (!theme) return { month, theme: null };
      const { source, ...rest } = theme;
      void source;
      return { month, theme: rest };
    }),
  };
}

// ---------- the rollup check (the city's job at 03:00 on the 1st) ----------

export interface RollupCheck {
  readonly [k: string]: unknown;
  readonly month: string;
  /** Districts of the directory. */
  readonly expected: number;
  readonly received: number;
  /** Ids of the districts whose month the city does not hold. */
  readonly missing: string[];
}

/**
 * Which districts' `month` (default: the month before `at`) the city has not received: every
 * district of the directory should have frozen it at 02:00 on the 1st and sent it. Read-only.
 */
export async function checkRollups(args: { month?: unknown }, at: Date = new Date(nowIso())): Promise<RollupCheck> {
  if (args.month !== undefined && (typeof args.month !== 'string' || !MONTH_PATTERN.test(args.month)))
    throw new DomainError('VALIDATION_FAILED', `month must be YYYY-MM, got ${String(args.month)}`);
  const month = (args.month as string | undefined) ?? previousMonth(monthOf(at));
  const [districts, held] = await Promise.all([knownDistricts(), city.districtMonths(month)]);
  const have = new Set(held.map((m) => m.district));
  const missing = districts.filter((d) => !have.has(d.id)).map((d) => d.id);
  return { month, expected: districts.length, received: districts.length - missing.length, missing };
}

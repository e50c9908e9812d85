import type { ThemeInput } from './theme.ts';
import type { Figures } from './rollup.ts';
import { COUNTER_NAMES } from './stats.ts';

/**
 * The city level: pure rules over the months the districts send (MonthlyRollupFrozen,
 * shared/domain/rollup.ts) and the city's theme plan (CityThemePlanned). No I/O.
 */

/** A district's frozen month as the city keeps it (the latest event by frozenAt). */
export interface CityDistrictMonth {
  readonly district: string;
  readonly month: string;
  readonly frozenAt: string;
  /** When the city stored this version (UTC ISO). */
  readonly receivedAt: string;
  readonly figures: Figures;
  readonly streets: readonly { readonly streetId: string; readonly name?: string; readonly figures: Figures }[];
}

/**
 * The city's theme for a month, as the city stores it and as the CityThemePlanned event carries
 * it to every district (source `pioneer.city`). `updatedAt` is its version: a district stores
 * an event only when it is newer than the city theme it holds, so the same event twice (or an
 * older one late) changes nothing.
 */
export interface CityThemePlanned extends ThemeInput {
  readonly month: string;
  readonly setBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The counter districts are ranked by unless the caller picks another. */
export const DEFAULT_RANK_BY = 'volunteerHours';

/** Sums keep at most 6 decimals, so 0.1 + 0.2 hours is 0.3 (hours are kept to 2 decimals at most). */
const round = (n: number): number => Math.round(n * 1e6) / 1e6;

/** Every counter name (known ones first, in their order), then any other a district sent, sorted. */
export function counterColumns(months: readonly Pick<CityDistrictMonth, 'figures'>[]): string[] {
  const extra = new Set<string>();
  for (const m of months) for (const k of Object.keys(m.figures)) if (!COUNTER_NAMES.includes(k)) extra.add(k);
  return [...COUNTER_NAMES, ...[...extra].sort()];
}

/** The city totals: for each counter, the sum over the districts (a counter a district lacks counts 0). */
export function cityTotals(months: readonly Pick<CityDistrictMonth, 'figures'>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of counterColumns(months)) out[name] = round(months.reduce((s, m) => s + (m.figures[name] ?? 0), 0));
  return out;
}

export interface RankEntry {
  readonly rank: number;
  readonly district: string;
  readonly value: number;
}

/**
 * The districts ordered by `by`, highest first; equal values share a rank (1, 1, 3) and are
 * listed by district id.
 */
export function rankDistricts(
  months: readonly Pick<CityDistrictMonth, 'district' | 'figures'>[],
  by: string,
): RankEntry[] {
  const sorted = months
    .map((m) => ({ district: m.district, value: m.figures[by] ?? 0 }))
    .sort((a, b) => b.value - a.value || a.district.localeCompare(b.district));
  const out: RankEntry[] = [];
  sorted.forEach((e, i) => {
    const prev = out[i - 1];
    out.push({ ...e, rank: prev && prev.value === e.value ? prev.rank : i + 1 });
  });
  return out;
}

export function cityCsvFileName(month: string): string {
  return `pioneer-city-${month}.csv`;
}

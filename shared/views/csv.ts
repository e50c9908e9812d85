import type { CityDistrictMonth } from '../domain/city.ts';
import { COUNTER_NAMES, type Figures } from '../domain/stats.ts';

/**
 * CSV views for Excel: the statistics of a scope and the city's month. Rendering only; what the
 * figures are is the domain's (shared/domain/stats.ts, city.ts; the columns come from the counters
 * table, shared/domain/counters.ts).
 */

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

/**
 * The statistics CSV: a header, one row per child, then the scope's own total row. Columns:
 * scope, id, name, every counter (`names`: those of the counters table), then any other counter
 * a row carries, sorted.
 */
export function statsCsv(total: StatsRow, children: readonly StatsRow[], names = COUNTER_NAMES): string {
  const extra = [...new Set([total, ...children].flatMap((r) => Object.keys(r.figures)))].filter(
    (k) => !names.includes(k),
  );
  const columns = [...names, ...extra.sort()];
  const line = (r: StatsRow) => [r.scope, r.id, r.name ?? '', ...columns.map((n) => r.figures[n] ?? 0)];
  return toCsv([['scope', 'id', 'name', ...columns], ...children.map(line), line(total)]);
}

export interface CityCsvInput {
  readonly month: string;
  readonly rankBy: string;
  /** Every district of the city, in config order, with its month when the city has it. */
  readonly districts: readonly {
    readonly id: string;
    readonly name: string;
    readonly month?: CityDistrictMonth;
    readonly rank?: number;
  }[];
  readonly totals: Readonly<Record<string, number>>;
}

/**
 * The city CSV (UTF-8 with BOM, CRLF, cells guarded against spreadsheet formulas): a header, one
 * row per district (status `missing` and empty figures when its month has not arrived), then
 * the total row.
 */
export function cityCsv(input: CityCsvInput): string {
  const columns = Object.keys(input.totals);
  const header = ['district', 'name', 'status', 'frozenAt', `rank (${input.rankBy})`, ...columns];
  const rows = input.districts.map((d) =>
    d.month
      ? [d.id, d.name, 'frozen', d.month.frozenAt, d.rank, ...columns.map((c) => d.month!.figures[c] ?? 0)]
      : [d.id, d.name, 'missing', '', '', ...columns.map(() => '')],
  );
  const received = input.districts.filter((d) => d.month).length;
  const total = [
    'city',
    '合计',
    `${received}/${input.districts.length} districts`,
    '',
    '',
    ...columns.map((c) => input.totals[c]),
  ];
  return toCsv([header, ...rows, total]);
}

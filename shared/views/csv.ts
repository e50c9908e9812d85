import type { CityDistrictMonth } from '../domain/city.ts';
import {
  COUNTER_NAMES,
  type CsvLang,
  figureColumns,
  RATING_AVERAGE,
  type Figures,
  withAverages,
} from '../domain/stats.ts';

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

export { CSV_LANGS, type CsvLang } from '../domain/stats.ts';

/** Readable Chinese column names of the figures; a counter without one keeps its name (a test holds every counter to one). */
export const FIGURE_LABELS_ZH: Readonly<Record<string, string>> = {
  checkIns: '社区报到数',
  activities: '活动场次',
  volunteerTimes: '服务人次',
  volunteerHours: '服务时长（小时）',
  peopleServed: '服务群众人数',
  wishesPosted: '提交微心愿数',
  wishesPublished: '公开微心愿数',
  wishesClaimed: '认领微心愿数',
  wishesTakenOn: '团队承接微心愿数',
  wishesCompleted: '完成微心愿数',
  wishesConfirmed: '确认微心愿数',
  ratingSum: '评分总和',
  ratingCount: '评分次数',
  [RATING_AVERAGE]: '平均评分',
  trainingsCompleted: '完成培训人次',
  trainingHours: '培训学时',
  stationBookings: '微站点预约数',
  points: '积分',
  starsGained: '新增星级',
  stationHours: '微站点预约时长（小时）',
};

const SCOPE_ZH: Readonly<Record<string, string>> = {
  district: '区县',
  street: '街道',
  community: '社区',
  grid: '网格',
  team: '志愿服务队',
};

const label = (name: string, lang: CsvLang) => (lang === 'zh' ? (FIGURE_LABELS_ZH[name] ?? name) : name);

/**
 * The language a CSV is written in: `lang` when the query gives it, else the first of Accept-Language's
 * languages we have (`zh`, `zh-CN`... or `en`), else English.
 */
export function csvLang(lang: CsvLang | undefined, acceptLanguage: string | undefined): CsvLang {
  if (lang) return lang;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.trim().split('-')[0], q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((x) => (x.base === 'zh' || x.base === 'en') && Number.isFinite(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.base === 'zh' ? 'zh' : 'en';
}

/**
 * The statistics CSV: a header, one row per child, then the scope's own total row. Columns:
 * scope, id, name, every counter (`names`: those of the counters table) with the derived figures
 * (ratingAverage after ratingCount, empty without a rating), then any other counter a row carries,
 * sorted. `lang` zh: Chinese column names and scope names.
 */
export function statsCsv(
  total: StatsRow,
  children: readonly StatsRow[],
  names = COUNTER_NAMES,
  lang: CsvLang = 'en',
): string {
  const columns = figureColumns(names);
  const extra = [...new Set([total, ...children].flatMap((r) => Object.keys(r.figures)))].filter(
    (k) => !columns.includes(k),
  );
  columns.push(...extra.sort());
  const line = (r: StatsRow) => {
    const f = withAverages(r.figures);
    return [
      lang === 'zh' ? (SCOPE_ZH[r.scope] ?? r.scope) : r.scope,
      r.id,
      r.name ?? '',
      ...columns.map((n) => f[n] ?? (n === RATING_AVERAGE ? undefined : 0)),
    ];
  };
  const header = lang === 'zh' ? ['层级', '编号', '名称'] : ['scope', 'id', 'name'];
  return toCsv([[...header, ...columns.map((n) => label(n, lang))], ...children.map(line), line(total)]);
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
 * the total row. The figures' columns are the totals' with the derived ones (ratingAverage: of
 * the summed ratings on the total row). `lang` zh: Chinese column names and words.
 */
export function cityCsv(input: CityCsvInput, lang: CsvLang = 'en'): string {
  const columns = figureColumns(Object.keys(input.totals));
  const zh = lang === 'zh';
  const header = [
    ...(zh ? ['区县编号', '名称', '状态', '冻结时间', `排名（按${label(input.rankBy, lang)}）`] : []),
    ...(zh ? [] : ['district', 'name', 'status', 'frozenAt', `rank (${input.rankBy})`]),
    ...columns.map((n) => label(n, lang)),
  ];
  const cells = (f: Readonly<Record<string, number>>) => {
    const w = withAverages(f);
    return columns.map((c) => w[c] ?? (c === RATING_AVERAGE ? undefined : 0));
  };
  const rows = input.districts.map((d) =>
    d.month
      ? [d.id, d.name, zh ? '已冻结' : 'frozen', d.month.frozenAt, d.rank, ...cells(d.month.figures)]
      : [d.id, d.name, zh ? '未报送' : 'missing', '', '', ...columns.map(() => '')],
  );
  const received = input.districts.filter((d) => d.month).length;
  const total = [
    'city',
    '合计',
    zh ? `${received}/${input.districts.length} 个区县` : `${received}/${input.districts.length} districts`,
    '',
    '',
    ...cells(input.totals),
  ];
  return toCsv([header, ...rows, total]);
}

import * as z from 'zod/mini';
import {
  COUNTER_NAMES,
  CSV_LANGS,
  figureColumns,
  HEADLINE,
  STATS_SCOPES,
  SUPPRESSED,
  withAverages,
} from '../domain/stats.ts';
import type { Contract } from '../http/api.ts';
import { describe, Id, IsoTime, Month, named } from './common.ts';

/** Schemas of the statistics routes (district level). */

/** A scope's figures: every counter of the counters table (`names`, shared/domain/counters.ts). */
export const figuresSchema = (names = COUNTER_NAMES) =>
  describe(
    z.record(z.string(), z.number()),
    `counter name -> value: ${names.join(', ')} (0 when absent); and ratingAverage, ratingSum / ratingCount to 2 decimals, when there is a rating`,
  );

const Figures = named('Figures', figuresSchema());

const Scope = named('StatsScope', z.enum(STATS_SCOPES));

const StatsQuery = z.strictObject({
  month: describe(Month, 'YYYY-MM (Asia/Shanghai)'),
  scope: Scope,
  id: describe(Id, "the scope's id: the district id, a streetId, communityId, gridId or teamId"),
  communityId: describe(z.optional(Id), "with scope=grid only (required there; else 400): the grid's community"),
});

// ---------- examples (the document's; a test holds each to its schema) ----------

const figures = (n: number) =>
  withAverages(Object.fromEntries(COUNTER_NAMES.map((name, i) => [name, (n * (i + 3)) % 97])));
const STATS = {
  month: '2026-11',
  scope: 'community',
  id: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  name: '红星社区',
  frozen: true,
  frozenAt: '2026-11-30T18:00:03.000Z',
  figures: figures(7),
  children: [{ scope: 'grid', id: 'gr_01KC0ZA1B2C3D4E5F6G7H8J9K0', name: '第一网格', figures: figures(3) }],
};
const STATS_QUERY = { month: STATS.month, scope: STATS.scope, id: STATS.id };
const STATS_CSV =
  '\uFEFF' +
  [
    ['scope', 'id', 'name', ...figureColumns(COUNTER_NAMES)],
    [
      'grid',
      STATS.children[0]!.id,
      STATS.children[0]!.name,
      ...figureColumns(COUNTER_NAMES).map((c) => STATS.children[0]!.figures[c]),
    ],
    ['community', STATS.id, STATS.name, ...figureColumns(COUNTER_NAMES).map((c) => STATS.figures[c])],
  ]
    .map((row) => row.join(','))
    .join('\r\n') +
  '\r\n';

export const MonthlyStatsView = named(
  'MonthlyStats',
  z.object({
    month: Month,
    scope: Scope,
    id: z.string(),
    name: z.optional(z.string()),
    frozen: describe(
      z.boolean(),
      'true once the rollup froze the month: the figures are its snapshot; false: live counters, still moving',
    ),
    frozenAt: z.optional(IsoTime),
    figures: Figures,
    children: describe(
      z.array(z.object({ scope: Scope, id: z.string(), name: z.optional(z.string()), figures: Figures })),
      "the child scopes with counters that month: a district's streets and teams, a street's communities, a community's grids",
    ),
  }),
);

export const monthlyStats = {
  method: 'GET',
  path: '/stats/monthly',
  query: StatsQuery,
  response: MonthlyStatsView,
  description:
    "A month's counters for one scope, with its children's. For the admins of that scope and above (a street: its street admin, district and city admins; a community or grid: its community's admins and above; a team: its leader, district and city admins). 404 for an unknown scope; 403 outside your scope.",
  rules: { 'query.communityId': 'required with scope=grid, and given only then' },
  tag: 'stats',
  errors: ['FORBIDDEN', 'NOT_FOUND'],
  examples: { query: STATS_QUERY, response: STATS },
} as const satisfies Contract;

/** The CSV's language (shared/views/csv.ts: csvLang): the query's `lang`, else Accept-Language, else English. */
export const CsvLangParam = describe(
  z.optional(z.enum(CSV_LANGS)),
  'the header row’s language: `en` camelCase names (default), `zh` readable Chinese column names (also chosen by an Accept-Language that prefers zh, when `lang` is absent)',
);

export const monthlyStatsCsv = {
  method: 'GET',
  path: '/stats/monthly.csv',
  query: z.strictObject({ ...StatsQuery.shape, lang: CsvLangParam }),
  replies: 'csv',
  description:
    'The same as CSV for Excel: UTF-8 with a byte order mark, CRLF line ends; columns scope, id, name, then every counter (ratingAverage after ratingCount, empty without a rating); one row per child scope, then the scope itself (the total). Text that would run as a formula is prefixed with an apostrophe. `lang=zh` (or Accept-Language: zh) gives Chinese column and scope names, e.g. 层级,编号,名称,社区报到数,…',
  rules: { 'query.communityId': 'required with scope=grid, and given only then' },
  tag: 'stats',
  errors: ['FORBIDDEN', 'NOT_FOUND'],
  examples: { query: STATS_QUERY, response: STATS_CSV },
} as const satisfies Contract;

const PublicFigure = z.union([z.number(), z.literal(SUPPRESSED)]);
const PublicFigures = named(
  'PublicFigures',
  describe(
    z.object(
      Object.fromEntries(HEADLINE.map((h) => [h, PublicFigure])) as Record<
        (typeof HEADLINE)[number],
        typeof PublicFigure
      >,
    ),
    'a count under 5 (0 included) is "<5"; volunteerHours is "<5" whenever volunteerTimes is',
  ),
);

export const publicStats = {
  method: 'GET',
  path: '/stats/public',
  query: z.strictObject({ month: describe(z.optional(Month), 'default: this month (Asia/Shanghai)') }),
  response: z.object({
    month: Month,
    frozen: z.boolean(),
    frozenAt: z.optional(IsoTime),
    suppressedBelow: z.number(),
    district: z.object({ id: z.string(), name: z.optional(z.string()), figures: PublicFigures }),
    communities: z.array(z.object({ id: z.string(), name: z.string(), streetId: z.string(), figures: PublicFigures })),
  }),
  description:
    "No token. The district's and each community's headline figures for a month, with small counts suppressed.",
  tag: 'stats',
  errors: [],
  examples: {
    query: { month: '2026-11' },
    response: {
      month: '2026-11',
      frozen: true,
      frozenAt: '2026-11-30T18:00:03.000Z',
      suppressedBelow: 5,
      district: {
        id: 'jinjiang',
        name: '锦江区',
        figures: {
          activities: 41,
          volunteerTimes: 812,
          volunteerHours: 2436.5,
          peopleServed: 3120,
          wishesCompleted: 57,
          checkIns: 133,
        },
      },
      communities: [
        {
          id: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
          name: '红星社区',
          streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
          figures: {
            activities: 6,
            volunteerTimes: 95,
            volunteerHours: 280,
            peopleServed: 410,
            wishesCompleted: '<5',
            checkIns: 12,
          },
        },
      ],
    },
  },
} as const satisfies Contract;

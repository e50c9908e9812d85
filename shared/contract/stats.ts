import * as z from 'zod/mini';
import { COUNTER_NAMES, HEADLINE, STATS_SCOPES, SUPPRESSED } from '../domain/stats.ts';
import type { Contract } from '../http/api.ts';
import { describe, Id, IsoTime, Month } from './common.ts';

/** Schemas of the statistics routes (district level). */

/** A scope's figures: every counter of the counters table (`names`, shared/domain/counters.ts). */
export const figuresSchema = (names = COUNTER_NAMES) =>
  describe(z.record(z.string(), z.number()), `counter name -> value: ${names.join(', ')} (0 when absent)`);

const Figures = figuresSchema();

const Scope = z.enum(STATS_SCOPES);

const StatsQuery = z.strictObject({
  month: describe(Month, 'YYYY-MM (Asia/Shanghai)'),
  scope: Scope,
  id: describe(Id, "the scope's id: the district id, a streetId, communityId, gridId or teamId"),
  communityId: describe(z.optional(Id), "with scope=grid only (required there): the grid's community"),
});

export const MonthlyStatsView = z.object({
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
});

export const monthlyStats = {
  method: 'GET',
  path: '/stats/monthly',
  query: StatsQuery,
  response: MonthlyStatsView,
  description:
    "A month's counters for one scope, with its children's. For the admins of that scope and above (a street: its street admin, district and city admins; a community or grid: its community's admins and above; a team: its leader, district and city admins). 404 for an unknown scope; 403 outside your scope.",
} as const satisfies Contract;

export const monthlyStatsCsv = {
  method: 'GET',
  path: '/stats/monthly.csv',
  query: StatsQuery,
  response: describe(z.string(), 'text/csv; charset=utf-8'),
  description:
    'The same as CSV for Excel: UTF-8 with a byte order mark, CRLF line ends; columns scope, id, name, then every counter; one row per child scope, then the scope itself (the total). Text that would run as a formula is prefixed with an apostrophe.',
} as const satisfies Contract;

const PublicFigure = z.union([z.number(), z.literal(SUPPRESSED)]);
const PublicFigures = describe(
  z.object(
    Object.fromEntries(HEADLINE.map((h) => [h, PublicFigure])) as Record<
      (typeof HEADLINE)[number],
      typeof PublicFigure
    >,
  ),
  'a count under 5 (0 included) is "<5"; volunteerHours is "<5" whenever volunteerTimes is',
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
} as const satisfies Contract;

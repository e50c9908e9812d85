import * as z from 'zod/mini';
import { CATEGORIES } from '../domain/categories.ts';
import { COUNTER_NAMES } from '../domain/stats.ts';
import type { Contract } from '../http/api.ts';
import { Category, describe, Day, Id, IsoTime, Month, named } from './common.ts';
import { CsvLangParam } from './stats.ts';
import { putTheme as districtPutTheme, THEME_BODY_EXAMPLE, THEME_EXAMPLE } from './themes.ts';

/**
 * Schemas of the city: its HTTP routes (shared/config/city-routes.ts; CITY_CONTRACTS, kept apart
 * from the district's ALL_CONTRACTS so that each route table has exactly its own contracts) and
 * the details of the two events on the city bus, checked on arrival like a request body.
 */

const CounterName = z.string().check(z.regex(/^[a-zA-Z]{1,64}$/, 'a counter name (letters only)'));
/** Counter -> value; values may be negative (an accepted correction lowers hours) but finite. */
export const FiguresSchema = named(
  'CityFigures',
  describe(
    z.record(CounterName, z.number()).check(z.refine((f) => Object.keys(f).length <= 100, 'at most 100 counters')),
    'counter name -> value, at most 100 counters',
  ),
);

// ---------- events ----------

/** detail of MonthlyRollupFrozen (shared/domain/rollup.ts), source pioneer.district. */
export const RollupDetail = z.object({
  district: Id,
  month: Month,
  frozenAt: IsoTime,
  figures: FiguresSchema,
  streets: z._default(
    z
      .array(z.object({ streetId: Id, name: z.optional(z.string().check(z.maxLength(200))), figures: FiguresSchema }))
      .check(z.maxLength(1000)),
    [],
  ),
});

/** detail of CityThemePlanned (shared/domain/city.ts), source pioneer.city. */
export const CityThemeDetail = named(
  'CityTheme',
  z.object({
    month: Month,
    title: z.string().check(z.minLength(1), z.maxLength(100)),
    description: z.string().check(z.minLength(1), z.maxLength(2000)),
    kickoffDate: Day,
    suggestedCategories: z.array(Category).check(z.maxLength(CATEGORIES.length)),
    expectedTeamIds: z.array(Id).check(z.maxLength(500)),
    plannedFlagGrants: z.array(Id).check(z.maxLength(100)),
    setBy: z.string().check(z.minLength(1), z.maxLength(128)),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  }),
);

// ---------- routes ----------

const DistrictMonthView = named(
  'CityDistrictMonth',
  z.object({
    district: Id,
    name: z.string(),
    nameZh: z.string(),
    frozenAt: IsoTime,
    receivedAt: IsoTime,
    rank: describe(z.number(), 'by rankBy, 1 = highest; equal values share a rank'),
    figures: FiguresSchema,
    streets: describe(
      z.array(z.object({ streetId: Id, name: z.optional(z.string()), figures: FiguresSchema })),
      "the district's streets, each with its name as the district's rollup sent it (absent from older rollups)",
    ),
  }),
);

// ---------- examples (the document's; a test holds each to its schema) ----------

const CITY_MONTH = {
  month: '2026-11',
  rankBy: 'volunteerHours',
  complete: false,
  districts: [
    {
      district: 'jinjiang',
      name: 'Jinjiang District',
      nameZh: '锦江区',
      frozenAt: '2026-11-30T18:00:03.000Z',
      receivedAt: '2026-11-30T18:00:04.000Z',
      rank: 1,
      figures: { volunteerHours: 2436.5, activities: 41, peopleServed: 3120 },
      streets: [
        {
          streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
          name: '书院街街道',
          figures: { volunteerHours: 812, activities: 13, ratingSum: 18, ratingCount: 4, ratingAverage: 4.5 },
        },
      ],
    },
  ],
  totals: { volunteerHours: 2436.5, activities: 41, peopleServed: 3120 },
  ranking: [{ rank: 1, district: 'jinjiang', value: 2436.5 }],
  missing: [
    { district: 'shuangliu', name: 'Shuangliu District', nameZh: '双流区' },
    { district: 'pujiang', name: 'Pujiang County', nameZh: '蒲江县' },
  ],
};
const CITY_CSV =
  '\uFEFFdistrict,name,status,frozenAt,rank (volunteerHours),volunteerHours,activities,peopleServed\r\n' +
  'jinjiang,Jinjiang District,frozen,2026-11-30T18:00:03.000Z,1,2436.5,41,3120\r\n' +
  'shuangliu,Shuangliu District,missing,,,,,\r\n' +
  'pujiang,Pujiang County,missing,,,,,\r\n' +
  'city,合计,1/3 districts,,,2436.5,41,3120\r\n';
const CITY_THEME = { ...THEME_EXAMPLE, source: undefined, status: undefined };

const StatsQuery = z.strictObject({
  month: describe(z.optional(Month), 'default: last month (Asia/Shanghai), the latest the rollup freezes'),
  rankBy: describe(
    z.optional(z.enum(COUNTER_NAMES as [string, ...string[]])),
    'the counter districts are ranked by (one of the counters); default volunteerHours',
  ),
});

export const cityMonthly = {
  method: 'GET',
  path: '/city/stats/monthly',
  query: StatsQuery,
  response: z.object({
    month: Month,
    rankBy: z.string(),
    complete: describe(z.boolean(), 'every district of the city has sent this month'),
    districts: describe(z.array(DistrictMonthView), 'the districts whose frozen month the city holds, by rank'),
    totals: describe(FiguresSchema, 'the sum of the districts above, counter by counter'),
    ranking: z.array(z.object({ rank: z.number(), district: Id, value: z.number() })),
    missing: describe(
      z.array(z.object({ district: Id, name: z.string(), nameZh: z.string() })),
      'districts that have not sent this month (yet)',
    ),
  }),
  description:
    "Every district's frozen month as its rollup sent it (MonthlyRollupFrozen; a later rollup of the same month replaces the earlier), the city totals (the sum of those districts), a ranking and the districts still missing. city_admin only.",
  tag: 'city',
  errors: ['FORBIDDEN'],
  examples: { query: { month: '2026-11', rankBy: 'volunteerHours' }, response: CITY_MONTH },
} as const satisfies Contract;

export const cityMonthlyCsv = {
  method: 'GET',
  path: '/city/stats/monthly.csv',
  query: z.strictObject({ ...StatsQuery.shape, lang: CsvLangParam }),
  description:
    'The same month as CSV (text/csv, UTF-8 with BOM): one row per district of the city (missing ones marked), then the total row (its ratingAverage of the summed ratings). `lang=zh` (or Accept-Language: zh) gives Chinese column names and words.',
  replies: 'csv',
  tag: 'city',
  errors: ['FORBIDDEN'],
  examples: { query: { month: '2026-11' }, response: CITY_CSV },
} as const satisfies Contract;

export const CityThemeView = CityThemeDetail;

export const putCityTheme = {
  method: 'PUT',
  path: '/city/themes/{month}',
  params: z.strictObject({ month: Month }),
  body: districtPutTheme.body,
  response: z.object({
    ...CityThemeDetail.shape,
    sentToDistricts: describe(
      z.boolean(),
      'the CityThemePlanned event is on the city bus: each district stores it as its city theme',
    ),
  }),
  description:
    "Set a month of the city's theme plan, once for the whole city: stored in the city table and sent to every district as a CityThemePlanned event, which each district stores as its `city` theme (a district's own theme still overrides it; a month a district has kicked off keeps its theme). Same body as the district's PUT /themes/{month}. Sending the same plan again changes nothing in the districts.",
  rules: { 'body.kickoffDate': 'a day inside the month of the path' },
  tag: 'city',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN'],
  examples: {
    params: { month: '2026-12' },
    body: THEME_BODY_EXAMPLE,
    response: { ...CITY_THEME, sentToDistricts: true },
  },
} as const satisfies Contract;

export const listCityThemes = {
  method: 'GET',
  path: '/city/themes',
  query: z.strictObject({
    year: describe(
      z.optional(z.string().check(z.regex(/^20\d{2}$/, 'a year 2000-2099'))),
      'default: this year (Asia/Shanghai)',
    ),
  }),
  response: z.object({
    year: z.number(),
    months: z.array(named('CityThemeMonth', z.object({ month: Month, theme: z.nullable(CityThemeView) }))),
  }),
  description: "The city's theme plan: twelve months, each with the city's theme (null when none).",
  tag: 'city',
  errors: ['FORBIDDEN'],
  examples: {
    query: { year: '2026' },
    response: {
      year: 2026,
      months: [
        { month: '2026-11', theme: null },
        { month: '2026-12', theme: CITY_THEME },
      ],
    },
  },
} as const satisfies Contract;

/** detail of FeaturedProjectsAwarded (shared/domain/featured.ts), source pioneer.district like the rollup. */
const FeaturedAward = named(
  'CityFeaturedProject',
  z.object({
    awardId: Id,
    submissionId: Id,
    teamId: Id,
    teamName: z.string().check(z.minLength(1), z.maxLength(200)),
    projectTitle: z.string().check(z.minLength(1), z.maxLength(200)),
    category: Category,
    tierId: Id,
    tierName: z.string().check(z.minLength(1), z.maxLength(100)),
    tierRank: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
    amount: z.number().check(z.minimum(0)),
    rank: z.number().check(z.int(), z.minimum(1)),
    total: z.string().check(z.regex(/^\d{1,3}\.\d{2}$/)),
    awardedOn: Day,
  }),
);
export const FeaturedAwardedDetail = z.object({
  district: Id,
  callId: Id,
  year: z.number().check(z.int(), z.minimum(2000), z.maximum(2100)),
  awardedAt: IsoTime,
  awards: z.array(FeaturedAward).check(z.minLength(1), z.maxLength(100)),
});

const CITY_FEATURED = {
  district: 'jinjiang',
  callId: 'fc_01KD2A3B4C5D6E7F8G9H0J1K2M',
  year: 2026,
  awardId: 'aw_01KD9A3B4C5D6E7F8G9H0J1K2M',
  submissionId: 'fs_01KD3A3B4C5D6E7F8G9H0J1K2M',
  teamId: 'team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N',
  teamName: '红星义诊队',
  projectTitle: '小牛哥·先锋骑手',
  category: 'health',
  tierId: 'first',
  tierName: '一等奖',
  tierRank: 1,
  amount: 50000,
  rank: 1,
  total: '86.40',
  awardedOn: '2026-05-20',
  awardedAt: '2026-05-20T02:00:00.000Z',
  receivedAt: '2026-05-20T02:00:01.000Z',
};

export const cityFeaturedProjects = {
  method: 'GET',
  path: '/city/featured-projects',
  query: z.strictObject({
    year: describe(
      z.optional(z.string().check(z.regex(/^20\d{2}$/, 'a year 2000-2099'))),
      'default: this year (Asia/Shanghai)',
    ),
  }),
  response: z.object({
    year: z.number(),
    items: z.array(
      named(
        'CityFeaturedAward',
        z.object({
          ...FeaturedAward.shape,
          district: Id,
          callId: Id,
          year: z.number(),
          awardedAt: IsoTime,
          receivedAt: IsoTime,
        }),
      ),
    ),
  }),
  description:
    "The districts' awarded featured projects of a year, as their FeaturedProjectsAwarded events brought them (the city's innovation review), by district then award. city_admin only.",
  tag: 'city',
  errors: ['FORBIDDEN'],
  examples: { query: { year: '2026' }, response: { year: 2026, items: [CITY_FEATURED] } },
} as const satisfies Contract;

export const cityOpenapi = {
  method: 'GET',
  path: '/city/openapi.json',
  replies: 'document',
  description:
    'The city API’s own OpenAPI 3.1 document (its routes only), generated from the contracts when the function is built, like the district’s. Its `servers` come from the stack’s configuration. Under /city like every city path, so that one local server serves both APIs.',
  tag: 'city',
  errors: [],
  examples: {
    response: { openapi: '3.1.0', info: { title: 'Pioneer City API', version: '1.0.0' }, paths: {} },
  },
} as const satisfies Contract;

export const CITY_CONTRACTS: readonly Contract[] = [
  cityOpenapi,
  cityMonthly,
  cityMonthlyCsv,
  putCityTheme,
  listCityThemes,
  cityFeaturedProjects,
];

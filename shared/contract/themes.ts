import * as z from 'zod/mini';
import { CATEGORIES } from '../domain/categories.ts';
import { THEME_SOURCES, THEME_STATUSES } from '../domain/theme.ts';
import type { Contract } from '../http/api.ts';
import { Category, Day, describe, Id, IsoTime, Line, Month, named, Text } from './common.ts';

/** Schemas of the monthly-theme routes. */

/** At most this many teams may be expected on a service day (set none for every active team). */
export const MAX_EXPECTED_TEAMS = 500;
export const MAX_PLANNED_FLAG_GRANTS = 100;

export const ThemeView = named(
  'Theme',
  z.object({
    month: Month,
    source: describe(
      z.enum(THEME_SOURCES),
      "`city`: the city's plan; `district`: this district's own theme, which overrides the city's",
    ),
    title: z.string(),
    description: z.string(),
    kickoffDate: Day,
    suggestedCategories: z.array(Category),
    expectedTeamIds: describe(z.array(Id), 'teams expected on the service day; empty: every active team'),
    plannedFlagGrants: describe(z.array(Id), 'teams given their flag at the kickoff'),
    status: z.enum(THEME_STATUSES),
    kickedOffAt: z.optional(IsoTime),
    setBy: z.string(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  }),
);

// ---------- examples (the document's; a test holds each to its schema) ----------

export const THEME_EXAMPLE = {
  month: '2026-12',
  source: 'city',
  title: '关爱老人',
  description: '走访慰问辖区高龄、独居老人，开展义诊、理发、家政服务',
  kickoffDate: '2026-12-05',
  suggestedCategories: ['elderly-care', 'health'],
  expectedTeamIds: [],
  plannedFlagGrants: ['team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N'],
  status: 'planned',
  setBy: 'city-admin-sub-1',
  createdAt: '2026-11-01T02:00:00.000Z',
  updatedAt: '2026-11-01T02:00:00.000Z',
};
export const THEME_BODY_EXAMPLE = {
  title: THEME_EXAMPLE.title,
  description: THEME_EXAMPLE.description,
  kickoffDate: THEME_EXAMPLE.kickoffDate,
  suggestedCategories: THEME_EXAMPLE.suggestedCategories,
  plannedFlagGrants: THEME_EXAMPLE.plannedFlagGrants,
};

export const putTheme = {
  method: 'PUT',
  path: '/themes/{month}',
  params: z.strictObject({ month: Month }),
  body: named(
    'ThemeRequest',
    describe(
      z.strictObject({
        title: Line(100),
        description: Text(2000),
        kickoffDate: Day,
        suggestedCategories: z._default(z.array(Category).check(z.maxLength(CATEGORIES.length)), []),
        expectedTeamIds: z._default(z.array(Id).check(z.maxLength(MAX_EXPECTED_TEAMS)), []),
        plannedFlagGrants: z._default(z.array(Id).check(z.maxLength(MAX_PLANNED_FLAG_GRANTS)), []),
      }),
      "A month's theme. kickoffDate lies inside the month of the path (else 400).",
    ),
  ),
  response: z.object({
    ...ThemeView.shape,
    applies: describe(
      z.boolean(),
      'whether this theme is the one that applies in this district (false: a district theme overrides it)',
    ),
  }),
  description:
    "A city admin sets the city plan's theme; a district admin sets this district's own theme, which overrides it. kickoffDate must lie inside the month (else 400): it is the kickoff and concentrated service day. Refused (409 THEME_ALREADY_KICKED_OFF) once the month's kickoff ran.",
  rules: { 'body.kickoffDate': 'a day inside the month of the path' },
  tag: 'themes',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'THEME_ALREADY_KICKED_OFF', 'UNKNOWN_TEAM'],
  examples: {
    params: { month: '2026-12' },
    body: THEME_BODY_EXAMPLE,
    response: { ...THEME_EXAMPLE, applies: true },
  },
} as const satisfies Contract;

export const listThemes = {
  method: 'GET',
  path: '/themes',
  query: z.strictObject({
    year: describe(
      z.optional(z.string().check(z.regex(/^20\d{2}$/, 'a year 2000-2099'))),
      'default: this year (Asia/Shanghai)',
    ),
  }),
  response: z.object({
    year: z.number(),
    months: z.array(named('ThemeMonth', z.object({ month: Month, theme: z.nullable(ThemeView) }))),
  }),
  description: 'The year plan: twelve months, each with the theme that applies in this district (null when none).',
  tag: 'themes',
  errors: [],
  examples: {
    query: { year: '2026' },
    response: {
      year: 2026,
      months: [
        { month: '2026-11', theme: null },
        { month: '2026-12', theme: THEME_EXAMPLE },
      ],
    },
  },
} as const satisfies Contract;

export const currentTheme = {
  method: 'GET',
  path: '/themes/current',
  response: ThemeView,
  description: 'The theme that applies this month (Asia/Shanghai), or 404.',
  tag: 'themes',
  errors: ['NOT_FOUND'],
  examples: { response: { ...THEME_EXAMPLE, status: 'kicked-off', kickedOffAt: '2026-12-04T16:05:00.000Z' } },
} as const satisfies Contract;

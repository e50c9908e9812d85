import * as z from 'zod/mini';
import { CATEGORIES } from '../domain/categories.ts';
import { THEME_SOURCES, THEME_STATUSES } from '../domain/theme.ts';
import type { Contract } from '../http/api.ts';
import { Day, describe, Id, IsoTime, Month, Line, Text } from './common.ts';

/** Schemas of the monthly-theme routes. */

/** At most this many teams may be expected on a service day (set none for every active team). */
export const MAX_EXPECTED_TEAMS = 500;
export const MAX_PLANNED_FLAG_GRANTS = 100;

export const ThemeView = z.object({
  month: Month,
  source: describe(
    z.enum(THEME_SOURCES),
    "`city`: the city's plan; `district`: this district's own theme, which overrides the city's",
  ),
  title: z.string(),
  description: z.string(),
  kickoffDate: Day,
  suggestedCategories: z.array(z.enum(CATEGORIES)),
  expectedTeamIds: describe(z.array(Id), 'teams expected on the service day; empty: every active team'),
  plannedFlagGrants: describe(z.array(Id), 'teams given their flag at the kickoff'),
  status: z.enum(THEME_STATUSES),
  kickedOffAt: z.optional(IsoTime),
  setBy: z.string(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});

export const putTheme = {
  method: 'PUT',
  path: '/themes/{month}',
  params: z.strictObject({ month: Month }),
  body: z.strictObject({
    title: Line(100),
    description: Text(2000),
    kickoffDate: Day,
    suggestedCategories: z._default(z.array(z.enum(CATEGORIES)).check(z.maxLength(CATEGORIES.length)), []),
    expectedTeamIds: z._default(z.array(Id).check(z.maxLength(MAX_EXPECTED_TEAMS)), []),
    plannedFlagGrants: z._default(z.array(Id).check(z.maxLength(MAX_PLANNED_FLAG_GRANTS)), []),
  }),
  response: z.object({
    ...ThemeView.shape,
    applies: describe(
      z.boolean(),
      'whether this theme is the one that applies in this district (false: a district theme overrides it)',
    ),
  }),
  description:
    "A city admin sets the city plan's theme; a district admin sets this district's own theme, which overrides it. kickoffDate must lie inside the month (else 400): it is the kickoff and concentrated service day. Refused (409 THEME_ALREADY_KICKED_OFF) once the month's kickoff ran.",
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
    months: z.array(z.object({ month: Month, theme: z.nullable(ThemeView) })),
  }),
  description: 'The year plan: twelve months, each with the theme that applies in this district (null when none).',
} as const satisfies Contract;

export const currentTheme = {
  method: 'GET',
  path: '/themes/current',
  response: ThemeView,
  description: 'The theme that applies this month (Asia/Shanghai), or 404.',
} as const satisfies Contract;

import type { RouteEntry } from './routes.ts';

/**
 * The city route table: the routes of the City stack's HTTP API, declared once as data like the
 * district's (shared/config/routes.ts, same RouteEntry shape). A separate table rather than a
 * `stack` field on the district's: the City stack builds one HTTP API route per entry of this table
 * (infra/city-stack.ts), every district stack one per entry of the other, and neither can drift
 * into the other. The local server serves both tables on one port (the /city/... paths do not
 * overlap the district's); the city function (functions/city) passes this table to httpFunction and
 * serves exactly these keys.
 */
export const CITY_ROUTES: readonly RouteEntry[] = [
  {
    method: 'GET',
    path: '/city/openapi.json',
    function: 'city',
    auth: 'public',
    roles: 'anyone',
    access: 'RO',
    throttle: { rateLimit: 5, burstLimit: 10 },
    summary: "The city API's OpenAPI 3.1 document (its routes only)",
  },
  {
    method: 'GET',
    path: '/city/stats/monthly',
    function: 'city',
    auth: 'jwt',
    roles: ['city_admin'],
    access: 'RO',
    summary:
      "Every district's frozen month, the city totals (sum of the districts), a ranking and the districts still missing",
  },
  {
    method: 'GET',
    path: '/city/stats/monthly.csv',
    function: 'city',
    auth: 'jwt',
    roles: ['city_admin'],
    access: 'RO',
    summary: 'The same as CSV (UTF-8 with BOM): one row per district and a total row',
  },
  {
    method: 'PUT',
    path: '/city/themes/{month}',
    function: 'city',
    auth: 'jwt',
    roles: ['city_admin'],
    access: 'RW',
    summary: "Set a month of the city's theme plan: stored in the city and sent to every district (CityThemePlanned)",
  },
  {
    method: 'GET',
    path: '/city/themes',
    function: 'city',
    auth: 'jwt',
    roles: ['city_admin'],
    access: 'RO',
    summary: "The city's theme plan for a year",
  },
  {
    method: 'GET',
    path: '/city/featured-projects',
    function: 'city',
    auth: 'jwt',
    roles: ['city_admin'],
    access: 'RO',
    summary: "The districts' awarded featured projects of a year (FeaturedProjectsAwarded)",
  },
];

/** The function the city bus's MonthlyRollupFrozen rule delivers to. */
export const CITY_EVENTS_FUNCTION = 'city';

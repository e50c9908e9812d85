import type { Role } from '../domain/roles.ts';

/**
 * The route table: every HTTP route, declared once, as data (strings only, so `cdk synth`
 * never loads runtime code). CDK builds one HTTP API route per entry; the local server
 * (infra/local/server.ts) serves the same entries; each function dispatches on `routeKey`.
 *
 * - `auth: 'public'` routes have no authorizer; every other route needs a valid JWT.
 * - `roles` lists who may call it (`'signed-in'` = any valid token). Scope (which community,
 *   team, member) is checked by the service through shared/http/policy.ts.
 * - `access` is the table access the route needs; a function is granted the widest of its routes.
 * - `throttle`: the route's own limits (requests per second, steady and burst). Every public
 *   route has one: callers without a token cannot use up the stage's limit that signed-in callers
 *   share (the stage's default applies to every route without one).
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteEntry {
  readonly method: Method;
  readonly path: string;
  readonly function: string;
  readonly auth: 'public' | 'jwt';
  readonly roles: 'anyone' | 'signed-in' | readonly Role[];
  readonly access: 'RO' | 'RW';
  /** What it does, in a line (the OpenAPI document's summary): see summaryOf; kept out of the function bundles. */
  readonly summary?: string;
  readonly throttle?: RouteThrottle;
}

export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

const ADMINS_FROM_COMMUNITY = ['community_admin', 'street_admin', 'district_admin', 'city_admin'] as const;

export const ROUTES: readonly RouteEntry[] = [
  // Platform
  {
    method: 'GET',
    path: '/health',
    function: 'platform',
    auth: 'public',
    roles: 'anyone',
    access: 'RO',
    // Probes: a few a second from each monitor.
    throttle: { rateLimit: 20, burstLimit: 40 },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'docs',
    auth: 'public',
    roles: 'anyone',
    access: 'RO',
    // Tooling fetches it now and then; it is the largest reply.
    throttle: { rateLimit: 5, burstLimit: 10 },
  },
  {
    method: 'GET',
    path: '/docs',
    function: 'docs',
    auth: 'public',
    roles: 'anyone',
    access: 'RO',
    // People reading the reference; browsers keep the page 5 minutes.
    throttle: { rateLimit: 5, burstLimit: 10 },
  },
  {
    method: 'GET',
    path: '/docs/assets/{file}',
    function: 'docs',
    auth: 'public',
    roles: 'anyone',
    access: 'RO',
    // Two scripts a page view, cached a day by browsers.
    throttle: { rateLimit: 10, burstLimit: 20 },
  },

  // Streets, communities, grids
  {
    method: 'POST',
    path: '/streets',
    function: 'members',
    auth: 'jwt',
    roles: ['district_admin', 'city_admin'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/streets',
    function: 'members',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/communities',
    function: 'members',
    auth: 'jwt',
    roles: ['street_admin', 'district_admin', 'city_admin'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/communities',
    function: 'members',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/communities/{communityId}',
    function: 'members',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/communities/{communityId}/grids',
    function: 'members',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/communities/{communityId}/grids',
    function: 'members',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },

  // Members and check-in
  {
    method: 'POST',
    path: '/members',
    function: 'members',
    auth: 'jwt',
    roles: ['resident', 'member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/members/me',
    function: 'members',
    auth: 'jwt',
    roles: ['resident', 'member', 'team_leader'],
    access: 'RO',
  },
  {
    method: 'PATCH',
    path: '/members/me',
    function: 'members',
    auth: 'jwt',
    roles: ['resident', 'member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/check-ins',
    function: 'members',
    auth: 'jwt',
    roles: ['resident', 'member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/members/me/check-ins',
    function: 'members',
    auth: 'jwt',
    roles: ['resident', 'member', 'team_leader'],
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/communities/{communityId}/check-ins',
    function: 'members',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/check-ins/{checkInId}/approve',
    function: 'members',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/check-ins/{checkInId}/reject',
    function: 'members',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/members/{memberId}',
    function: 'members',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/communities/{communityId}/members',
    function: 'members',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RO',
  },
  // Teams
  {
    method: 'POST',
    path: '/teams',
    function: 'teams',
    auth: 'jwt',
    roles: ['district_admin', 'city_admin'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/teams',
    function: 'teams',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/teams/{teamId}',
    function: 'teams',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/teams/{teamId}/join',
    function: 'teams',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/teams/{teamId}/members',
    function: 'teams',
    auth: 'jwt',
    roles: ['team_leader', ...ADMINS_FROM_COMMUNITY],
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/teams/{teamId}/members/{memberId}/approve',
    function: 'teams',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/teams/{teamId}/members/{memberId}/reject',
    function: 'teams',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/teams/{teamId}/flag-grant',
    function: 'teams',
    auth: 'jwt',
    roles: ['district_admin', 'city_admin'],
    access: 'RW',
  },
  {
    method: 'PUT',
    path: '/teams/{teamId}/leader',
    function: 'teams',
    auth: 'jwt',
    roles: ['district_admin', 'city_admin'],
    access: 'RW',
  },

  // Monthly themes
  {
    method: 'PUT',
    path: '/themes/{month}',
    function: 'themes',
    auth: 'jwt',
    roles: ['city_admin', 'district_admin'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/themes',
    function: 'themes',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/themes/current',
    function: 'themes',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },

  // Activities
  {
    method: 'POST',
    path: '/activities',
    function: 'activities',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/activities',
    function: 'activities',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/activities/{activityId}',
    function: 'activities',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'PATCH',
    path: '/activities/{activityId}',
    function: 'activities',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/activities/{activityId}/cancel',
    function: 'activities',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/members/me/signups',
    function: 'activities',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/activities/{activityId}/signups',
    function: 'activities',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'DELETE',
    path: '/activities/{activityId}/signups/me',
    function: 'activities',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/activities/{activityId}/signups',
    function: 'activities',
    auth: 'jwt',
    roles: ['team_leader', ...ADMINS_FROM_COMMUNITY],
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/activities/{activityId}/attendance-code',
    function: 'activities',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/activities/{activityId}/check-in',
    function: 'activities',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/activities/{activityId}/check-out',
    function: 'activities',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/activities/{activityId}/close',
    function: 'activities',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },

  // Service records and certificates
  {
    method: 'GET',
    path: '/members/me/service-records',
    function: 'records',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/service-records/{recordId}',
    function: 'records',
    auth: 'jwt',
    roles: ['member', 'team_leader', ...ADMINS_FROM_COMMUNITY],
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/service-records/{recordId}/corrections',
    function: 'records',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/service-records/{recordId}/corrections/{correctionId}/accept',
    function: 'records',
    auth: 'jwt',
    roles: ['team_leader', ...ADMINS_FROM_COMMUNITY],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/service-records/{recordId}/corrections/{correctionId}/reject',
    function: 'records',
    auth: 'jwt',
    roles: ['team_leader', ...ADMINS_FROM_COMMUNITY],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/teams/{teamId}/corrections',
    function: 'records',
    auth: 'jwt',
    roles: ['team_leader', ...ADMINS_FROM_COMMUNITY],
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/communities/{communityId}/corrections',
    function: 'records',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/members/me/certificates',
    function: 'records',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/members/me/certificates',
    function: 'records',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/members/me/certificates/{number}',
    function: 'records',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/certificates/{number}',
    function: 'records',
    auth: 'public',
    roles: 'anyone',
    access: 'RO',
    // Verifiers scan one certificate at a time; a low limit also slows guessing numbers.
    throttle: { rateLimit: 10, burstLimit: 20 },
  },
  // Micro-wishes
  {
    method: 'POST',
    path: '/wishes',
    function: 'wishes',
    auth: 'jwt',
    roles: ['resident'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/wishes',
    function: 'wishes',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/wishes/mine',
    function: 'wishes',
    auth: 'jwt',
    roles: ['resident'],
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/wishes/suggested',
    function: 'wishes',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/wishes/{wishId}',
    function: 'wishes',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/wishes/{wishId}/events',
    function: 'wishes',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/wishes/{wishId}/review',
    function: 'wishes',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/wishes/{wishId}/withdraw',
    function: 'wishes',
    auth: 'jwt',
    roles: ['resident'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/wishes/{wishId}/claim',
    function: 'wishes',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/wishes/{wishId}/release',
    function: 'wishes',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/wishes/{wishId}/take-on',
    function: 'wishes',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/wishes/{wishId}/complete',
    function: 'wishes',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/wishes/{wishId}/confirm',
    function: 'wishes',
    auth: 'jwt',
    roles: ['resident'],
    access: 'RW',
  },
  // Statistics
  // Micro-stations
  {
    method: 'POST',
    path: '/stations',
    function: 'stations',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/stations',
    function: 'stations',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/stations/{stationId}',
    function: 'stations',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/stations/{stationId}/closures',
    function: 'stations',
    auth: 'jwt',
    roles: ['member', 'team_leader', ...ADMINS_FROM_COMMUNITY],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/stations/{stationId}/bookings',
    function: 'stations',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/stations/{stationId}/bookings',
    function: 'stations',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'DELETE',
    path: '/stations/{stationId}/bookings/{bookingId}',
    function: 'stations',
    auth: 'jwt',
    roles: ['team_leader', ...ADMINS_FROM_COMMUNITY],
    access: 'RW',
  },

  // Qualifications and training
  {
    method: 'POST',
    path: '/members/{memberId}/qualifications',
    function: 'training',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/members/me/qualifications',
    function: 'training',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/qualifications/expiring',
    function: 'training',
    auth: 'jwt',
    roles: ['member', 'team_leader', ...ADMINS_FROM_COMMUNITY],
    access: 'RO',
  },

  {
    method: 'POST',
    path: '/courses',
    function: 'training',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/courses',
    function: 'training',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/courses/{courseId}',
    function: 'training',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/courses/{courseId}/sessions',
    function: 'training',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },

  {
    method: 'GET',
    path: '/stats/monthly',
    function: 'stats',
    auth: 'jwt',
    roles: [...ADMINS_FROM_COMMUNITY, 'team_leader'],
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/stats/monthly.csv',
    function: 'stats',
    auth: 'jwt',
    roles: [...ADMINS_FROM_COMMUNITY, 'team_leader'],
    access: 'RO',
  },
  // Notifications
  {
    method: 'GET',
    path: '/members/me/notifications',
    function: 'notifications',
    auth: 'jwt',
    roles: ['member', 'team_leader', 'resident'],
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/members/me/notifications/{noticeId}/read',
    function: 'notifications',
    auth: 'jwt',
    roles: ['member', 'team_leader', 'resident'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/members/me/notification-preferences',
    function: 'notifications',
    auth: 'jwt',
    roles: ['member', 'team_leader', 'resident'],
    access: 'RO',
  },
  {
    method: 'PUT',
    path: '/members/me/notification-preferences',
    function: 'notifications',
    auth: 'jwt',
    roles: ['member', 'team_leader', 'resident'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/stats/public',
    function: 'stats',
    auth: 'public',
    roles: 'anyone',
    access: 'RO',
    // Public pages and screens that refresh the figures.
    throttle: { rateLimit: 20, burstLimit: 40 },
  },

  // Featured projects
  {
    method: 'POST',
    path: '/featured-calls',
    function: 'featured',
    auth: 'jwt',
    roles: ['district_admin'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/featured-calls/{callId}',
    function: 'featured',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/featured-calls/{callId}/submissions',
    function: 'featured',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/featured-calls/{callId}/submissions',
    function: 'featured',
    auth: 'jwt',
    roles: ['district_admin', 'city_admin'],
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/featured-calls/{callId}/submissions/{submissionId}',
    function: 'featured',
    auth: 'jwt',
    roles: ['team_leader', 'member', 'district_admin', 'city_admin'],
    access: 'RO',
  },
  {
    method: 'PUT',
    path: '/featured-calls/{callId}/submissions/{submissionId}',
    function: 'featured',
    auth: 'jwt',
    roles: ['team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/featured-calls/{callId}/submissions/{submissionId}/reviewers',
    function: 'featured',
    auth: 'jwt',
    roles: ['district_admin'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/featured-calls/{callId}/submissions/{submissionId}/scores',
    function: 'featured',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/featured-calls/{callId}/results',
    function: 'featured',
    auth: 'jwt',
    roles: ['district_admin'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/featured-calls/{callId}/notice',
    function: 'featured',
    auth: 'public',
    roles: 'anyone',
    access: 'RO',
    // A public page, read for a few days a year by the district's residents.
    throttle: { rateLimit: 10, burstLimit: 20 },
  },
  {
    method: 'POST',
    path: '/featured-calls/{callId}/awards',
    function: 'awards',
    auth: 'jwt',
    roles: ['district_admin'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/members/me/awards',
    function: 'awards',
    auth: 'jwt',
    roles: ['member', 'team_leader'],
    access: 'RO',
  },
  {
    method: 'GET',
    path: '/teams/{teamId}/awards',
    function: 'awards',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
  },

  // Roles: a user's roles and scope, grants and revocations by admins, the role audit
  {
    method: 'GET',
    path: '/users/{sub}/roles',
    function: 'identity',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RO',
  },
  {
    method: 'POST',
    path: '/users/{sub}/roles',
    function: 'identity',
    auth: 'jwt',
    roles: ['street_admin', 'district_admin', 'city_admin'],
    access: 'RW',
  },
  {
    method: 'POST',
    path: '/users/{sub}/roles/{role}/revoke',
    function: 'identity',
    auth: 'jwt',
    roles: ['street_admin', 'district_admin', 'city_admin'],
    access: 'RW',
  },
  {
    method: 'GET',
    path: '/role-audit',
    function: 'identity',
    auth: 'jwt',
    roles: ADMINS_FROM_COMMUNITY,
    access: 'RO',
  },
];

export function routeKey(r: Pick<RouteEntry, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}

/** The functions named by the route table and the schedule table, with the widest access each needs. */
export function functionNames(routes: readonly RouteEntry[] = ROUTES): string[] {
  return [...new Set(routes.map((r) => r.function))].sort();
}

/**
 * A route's one-line summary (the OpenAPI document, the README, CDK's notes): the district's are
 * in route-summaries.ts, which only the document's generator and CDK import, so that no function
 * bundle carries the text of every route.
 */
export function summaryOf(r: RouteEntry, summaries: Readonly<Record<string, string>>): string {
  return r.summary ?? summaries[routeKey(r)] ?? '';
}

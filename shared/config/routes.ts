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
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteEntry {
  readonly method: Method;
  readonly path: string;
  readonly function: string;
  readonly auth: 'public' | 'jwt';
  readonly roles: 'anyone' | 'signed-in' | readonly Role[];
  readonly access: 'RO' | 'RW';
  readonly summary: string;
}

const ADMINS_FROM_COMMUNITY = ['community_admin', 'street_admin', 'district_admin', 'city_admin'] as const;

export const ROUTES: readonly RouteEntry[] = [
  // Platform
  { method: 'GET', path: '/health', function: 'platform', auth: 'public', roles: 'anyone', access: 'RO', summary: 'Liveness, with the table reachable' },
  { method: 'GET', path: '/openapi.json', function: 'docs', auth: 'public', roles: 'anyone', access: 'RO', summary: 'OpenAPI 3.1 document of every route' },

  // Streets, communities, grids
  { method: 'POST', path: '/streets', function: 'members', auth: 'jwt', roles: ['district_admin', 'city_admin'], access: 'RW', summary: 'Create a street (sub-district or town)' },
  { method: 'GET', path: '/streets', function: 'members', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'List streets' },
  { method: 'POST', path: '/communities', function: 'members', auth: 'jwt', roles: ['street_admin', 'district_admin', 'city_admin'], access: 'RW', summary: 'Create a community in a street' },
  { method: 'GET', path: '/communities', function: 'members', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'List communities, optionally of one street' },
  { method: 'GET', path: '/communities/{communityId}', function: 'members', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'Read a community' },
  { method: 'POST', path: '/communities/{communityId}/grids', function: 'members', auth: 'jwt', roles: ADMINS_FROM_COMMUNITY, access: 'RW', summary: 'Create a grid in a community' },
  { method: 'GET', path: '/communities/{communityId}/grids', function: 'members', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'List the grids of a community' },

  // Members and check-in
  { method: 'POST', path: '/members', function: 'members', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Create my member profile' },
  { method: 'GET', path: '/members/me', function: 'members', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RO', summary: 'My profile, phone unmasked' },
  { method: 'PATCH', path: '/members/me', function: 'members', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Update my profile' },
  { method: 'POST', path: '/check-ins', function: 'members', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Ask to check in to a community (and grid)' },
  { method: 'GET', path: '/members/me/check-ins', function: 'members', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RO', summary: 'My check-in requests, newest first' },
  { method: 'GET', path: '/communities/{communityId}/check-ins', function: 'members', auth: 'jwt', roles: ADMINS_FROM_COMMUNITY, access: 'RO', summary: 'Check-in requests to a community, by status' },
  { method: 'POST', path: '/check-ins/{checkInId}/approve', function: 'members', auth: 'jwt', roles: ADMINS_FROM_COMMUNITY, access: 'RW', summary: 'Approve a check-in: the member moves to this community' },
  { method: 'POST', path: '/check-ins/{checkInId}/reject', function: 'members', auth: 'jwt', roles: ADMINS_FROM_COMMUNITY, access: 'RW', summary: 'Reject a check-in, with a reason' },
  { method: 'GET', path: '/members/{memberId}', function: 'members', auth: 'jwt', roles: ADMINS_FROM_COMMUNITY, access: 'RO', summary: 'One member in full, for admins of their community and above' },
  { method: 'GET', path: '/communities/{communityId}/members', function: 'members', auth: 'jwt', roles: ADMINS_FROM_COMMUNITY, access: 'RO', summary: 'Members checked in to a community, by grid; phones masked' },
  // Teams
  { method: 'POST', path: '/teams', function: 'teams', auth: 'jwt', roles: ['district_admin', 'city_admin'], access: 'RW', summary: 'Register a team' },
  { method: 'GET', path: '/teams', function: 'teams', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'List teams, optionally of one category' },
  { method: 'GET', path: '/teams/{teamId}', function: 'teams', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'Read a team' },
  { method: 'POST', path: '/teams/{teamId}/join', function: 'teams', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Ask to join a team' },
  { method: 'GET', path: '/teams/{teamId}/members', function: 'teams', auth: 'jwt', roles: ['team_leader', ...ADMINS_FROM_COMMUNITY], access: 'RO', summary: "A team's roster and join requests" },
  { method: 'POST', path: '/teams/{teamId}/members/{memberId}/approve', function: 'teams', auth: 'jwt', roles: ['team_leader'], access: 'RW', summary: 'Approve a join request (the leader of the team)' },
  { method: 'POST', path: '/teams/{teamId}/members/{memberId}/reject', function: 'teams', auth: 'jwt', roles: ['team_leader'], access: 'RW', summary: 'Reject a join request (the leader of the team)' },
  { method: 'POST', path: '/teams/{teamId}/flag-grant', function: 'teams', auth: 'jwt', roles: ['district_admin', 'city_admin'], access: 'RW', summary: 'Record the flag grant (date, at which kickoff)' },

  // Monthly themes
  { method: 'PUT', path: '/themes/{month}', function: 'themes', auth: 'jwt', roles: ['city_admin', 'district_admin'], access: 'RW', summary: "Set a month's theme" },
  { method: 'GET', path: '/themes', function: 'themes', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'The year plan' },
  { method: 'GET', path: '/themes/current', function: 'themes', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: "This month's theme (Asia/Shanghai)" },

  // Activities
  { method: 'POST', path: '/activities', function: 'activities', auth: 'jwt', roles: ['team_leader'], access: 'RW', summary: 'Publish an activity of my team' },
  { method: 'GET', path: '/activities', function: 'activities', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'List activities by month, team or community' },
  { method: 'GET', path: '/activities/{activityId}', function: 'activities', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'Read an activity with its confirmed and waitlisted counts' },
  { method: 'POST', path: '/activities/{activityId}/signups', function: 'activities', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Sign up: confirmed or waitlisted' },
  { method: 'DELETE', path: '/activities/{activityId}/signups/me', function: 'activities', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Cancel my sign-up; the first on the waitlist is promoted' },
  { method: 'GET', path: '/activities/{activityId}/signups', function: 'activities', auth: 'jwt', roles: ['team_leader', ...ADMINS_FROM_COMMUNITY], access: 'RO', summary: 'Sign-ups in arrival order (leader and admins)' },
  { method: 'POST', path: '/activities/{activityId}/attendance-code', function: 'activities', auth: 'jwt', roles: ['team_leader'], access: 'RW', summary: 'A six-digit code valid ten minutes, for on-site check-in and check-out' },
  { method: 'POST', path: '/activities/{activityId}/check-in', function: 'activities', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Check in on site with the code' },
  { method: 'POST', path: '/activities/{activityId}/check-out', function: 'activities', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Check out on site with the code' },
  { method: 'POST', path: '/activities/{activityId}/close', function: 'activities', auth: 'jwt', roles: ['team_leader'], access: 'RW', summary: 'Close: people served and a summary; confirms hours and writes service records' },

  // Service records and certificates
  { method: 'GET', path: '/members/me/service-records', function: 'records', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RO', summary: 'My service records, newest first' },
  { method: 'GET', path: '/service-records/{recordId}', function: 'records', auth: 'jwt', roles: ['member', 'team_leader', ...ADMINS_FROM_COMMUNITY], access: 'RO', summary: 'One service record with its history' },
  { method: 'POST', path: '/service-records/{recordId}/corrections', function: 'records', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Ask for a correction of my record' },
  { method: 'POST', path: '/service-records/{recordId}/corrections/{correctionId}/accept', function: 'records', auth: 'jwt', roles: ['team_leader', ...ADMINS_FROM_COMMUNITY], access: 'RW', summary: 'Accept a correction with the new hours' },
  { method: 'POST', path: '/service-records/{recordId}/corrections/{correctionId}/reject', function: 'records', auth: 'jwt', roles: ['team_leader', ...ADMINS_FROM_COMMUNITY], access: 'RW', summary: 'Reject a correction with a reason' },
  { method: 'GET', path: '/teams/{teamId}/corrections', function: 'records', auth: 'jwt', roles: ['team_leader', ...ADMINS_FROM_COMMUNITY], access: 'RO', summary: "Corrections of the team's records to decide, by status, oldest first" },
  { method: 'GET', path: '/communities/{communityId}/corrections', function: 'records', auth: 'jwt', roles: ADMINS_FROM_COMMUNITY, access: 'RO', summary: "Corrections of a community's records that no team organised (completed wishes), by status" },
  { method: 'GET', path: '/members/me/certificates', function: 'records', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RO', summary: 'My certificates, newest first (without their record lists)' },
  { method: 'POST', path: '/members/me/certificates', function: 'records', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Issue a certificate of my confirmed service' },
  { method: 'GET', path: '/certificates/{number}', function: 'records', auth: 'public', roles: 'anyone', access: 'RO', summary: 'Verify a certificate (JSON, or a printable page with Accept: text/html)' },
  // Micro-wishes
  { method: 'POST', path: '/wishes', function: 'wishes', auth: 'jwt', roles: ['resident'], access: 'RW', summary: 'Post a wish' },
  { method: 'GET', path: '/wishes', function: 'wishes', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: "The wish wall of a community by status (or the district's escalated wishes); resident identity masked" },
  { method: 'GET', path: '/wishes/mine', function: 'wishes', auth: 'jwt', roles: ['resident'], access: 'RO', summary: 'The wishes I posted, newest first, in every state (to follow, confirm or withdraw them)' },
  { method: 'GET', path: '/wishes/suggested', function: 'wishes', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RO', summary: 'Open wishes ranked for my skills, grid and community, each with why' },
  { method: 'GET', path: '/wishes/{wishId}', function: 'wishes', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'Read a wish (masked unless it is mine or I administer it)' },
  { method: 'GET', path: '/wishes/{wishId}/events', function: 'wishes', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: "A wish's events (outbox), oldest first, without personal data" },
  { method: 'POST', path: '/wishes/{wishId}/review', function: 'wishes', auth: 'jwt', roles: ADMINS_FROM_COMMUNITY, access: 'RW', summary: 'Publish or reject a posted wish' },
  { method: 'POST', path: '/wishes/{wishId}/withdraw', function: 'wishes', auth: 'jwt', roles: ['resident'], access: 'RW', summary: 'Withdraw my wish before it is claimed' },
  { method: 'POST', path: '/wishes/{wishId}/claim', function: 'wishes', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Claim: exactly one claimant wins, the rest get 409' },
  { method: 'POST', path: '/wishes/{wishId}/release', function: 'wishes', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Give a claimed or taken-on wish back' },
  { method: 'POST', path: '/wishes/{wishId}/take-on', function: 'wishes', auth: 'jwt', roles: ['team_leader'], access: 'RW', summary: 'Take on an escalated wish for my team' },
  { method: 'POST', path: '/wishes/{wishId}/complete', function: 'wishes', auth: 'jwt', roles: ['member', 'team_leader'], access: 'RW', summary: 'Complete: a note and the hours spent' },
  { method: 'POST', path: '/wishes/{wishId}/confirm', function: 'wishes', auth: 'jwt', roles: ['resident'], access: 'RW', summary: 'Confirm a completed wish: rating 1-5 and a comment' },
  // Statistics
  { method: 'GET', path: '/stats/monthly', function: 'stats', auth: 'jwt', roles: [...ADMINS_FROM_COMMUNITY, 'team_leader'], access: 'RO', summary: "A month's counters for one scope (district, street, community, grid, team), for admins of that scope" },
  { method: 'GET', path: '/stats/monthly.csv', function: 'stats', auth: 'jwt', roles: [...ADMINS_FROM_COMMUNITY, 'team_leader'], access: 'RO', summary: 'The same as CSV (UTF-8 with BOM), one row per child scope' },
  { method: 'GET', path: '/stats/public', function: 'stats', auth: 'public', roles: 'anyone', access: 'RO', summary: "The district's and its communities' headline figures; counts under 5 shown as <5" },
];

export function routeKey(r: Pick<RouteEntry, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}

/** The functions named by the route table and the schedule table, with the widest access each needs. */
export function functionNames(routes: readonly RouteEntry[] = ROUTES): string[] {
  return [...new Set(routes.map((r) => r.function))].sort();
}

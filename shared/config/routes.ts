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
];

export function routeKey(r: Pick<RouteEntry, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}

/** The functions named by the route table and the schedule table, with the widest access each needs. */
export function functionNames(routes: readonly RouteEntry[] = ROUTES): string[] {
  return [...new Set(routes.map((r) => r.function))].sort();
}

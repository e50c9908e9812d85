import * as z from 'zod/mini';
import { DISTRICT_ROLES, GRANTABLE_ROLES } from '../domain/identity.ts';
import type { Contract } from '../http/api.ts';
import { describe, Id, IsoTime, PageQuery, Text, pageOf } from './common.ts';

/** Schemas of the roles routes: a user's roles and scope, grants and revocations, the role audit. */

const Sub = describe(Id, "the user's sub (Cognito's id of the user)");

export const RolesView = z.object({
  sub: Id,
  district: z.string(),
  roles: z.array(z.enum(DISTRICT_ROLES)),
  memberId: z.optional(Id),
  memberCommunityId: z.optional(Id),
  memberStreetId: z.optional(Id),
  teamId: z.optional(Id),
  adminCommunityId: z.optional(Id),
  adminCommunityStreetId: z.optional(Id),
  adminStreetId: z.optional(Id),
  updatedAt: IsoTime,
});

export const AuditView = z.object({
  auditId: z.string(),
  at: IsoTime,
  actor: describe(z.string(), "who: the admin's sub, or `sign-up`"),
  target: describe(z.string(), "to whom: the user's sub"),
  action: z.enum(['grant', 'revoke']),
  role: z.string(),
  scope: z.object({
    district: z.string(),
    streetId: z.optional(z.string()),
    communityId: z.optional(z.string()),
    teamId: z.optional(z.string()),
  }),
  reason: describe(z.string(), 'why'),
  source: z.enum(['sign-up', 'check-in', 'team', 'admin']),
});

const UserParams = z.strictObject({ sub: Sub });

export const getUserRoles = {
  method: 'GET',
  path: '/users/{sub}/roles',
  params: UserParams,
  response: RolesView,
  description:
    "A user's roles and scope in this district, as their next token will carry them: for admins whose scope covers one of the user's places (district and city admins: everyone).",
} as const satisfies Contract;

export const grantRole = {
  method: 'POST',
  path: '/users/{sub}/roles',
  params: UserParams,
  body: z.strictObject({
    role: z.enum(GRANTABLE_ROLES),
    communityId: describe(z.optional(Id), 'community_admin: the community'),
    streetId: describe(z.optional(Id), 'street_admin: the street'),
    reason: describe(Text(500), 'why: kept in the role audit'),
  }),
  response: RolesView,
  status: 201,
  idempotent: true,
  description:
    'Grants an admin role below your own, inside your scope, never to yourself: a city admin grants district admins, a district admin street and community admins, a street admin community admins of their street. The user must have MFA (an authenticator app) set up. Takes effect at their next token refresh.',
} as const satisfies Contract;

export const revokeRole = {
  method: 'POST',
  path: '/users/{sub}/roles/{role}/revoke',
  params: z.strictObject({ sub: Sub, role: z.enum(GRANTABLE_ROLES) }),
  body: z.strictObject({ reason: describe(Text(500), 'why: kept in the role audit') }),
  response: RolesView,
  description: 'Takes an admin role away, under the rules of granting it. Takes effect at their next token refresh.',
} as const satisfies Contract;

export const listRoleAudit = {
  method: 'GET',
  path: '/role-audit',
  query: z
    .strictObject({
      ...PageQuery,
      streetId: z.optional(Id),
      communityId: z.optional(Id),
      sub: describe(z.optional(Id), "one user's entries"),
    })
    .check(
      z.refine(
        (q) => [q.streetId, q.communityId, q.sub].filter((v) => v !== undefined).length <= 1,
        'name at most one of streetId, communityId, sub',
      ),
    ),
  response: pageOf(AuditView),
  description:
    'The role audit (append-only: who gave or took which role, to whom, when and why), newest first: of the district (district and city admins), of a street or community (its admins and those above), or of one user.',
} as const satisfies Contract;

/** ResidentSignedUp (city bus, source pioneer.city): the detail the district's identity function takes. */
export const ResidentSignedUpDetail = z.strictObject({
  sub: Id,
  district: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/)),
  at: IsoTime,
});

import * as z from 'zod/mini';
import { DISTRICT_ROLES, GRANTABLE_ROLES } from '../domain/identity.ts';
import type { Contract } from '../http/api.ts';
import { describe, documented, Id, ifThen, IsoTime, named, PageQuery, pageOf, requires, Text } from './common.ts';

/** Schemas of the roles routes: a user's roles and scope, grants and revocations, the role audit. */

const Sub = describe(Id, "the user's sub (Cognito's id of the user)");

export const RolesView = named(
  'UserRoles',
  z.object({
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
  }),
);

export const AuditView = named(
  'RoleAuditEntry',
  z.object({
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
  }),
);

// ---------- examples (the document's; a test holds each to its schema) ----------

const SUB = '7c1e4a52-0b3d-4f7e-9a61-2d5c8e9f0a13';
const ROLES = {
  sub: SUB,
  district: 'jinjiang',
  roles: ['resident', 'member', 'community_admin'],
  memberId: SUB,
  memberCommunityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  memberStreetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
  adminCommunityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  adminCommunityStreetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
  updatedAt: '2026-11-20T08:00:00.000Z',
};
const AUDIT = {
  auditId: 'ra_01KC2B3C4D5E6F7G8H9J0K1M2N',
  at: '2026-11-20T08:00:00.000Z',
  actor: '0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b',
  target: SUB,
  action: 'grant',
  role: 'community_admin',
  scope: {
    district: 'jinjiang',
    streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
    communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  },
  reason: '社区换届，新任党委书记',
  source: 'admin',
};

const UserParams = z.strictObject({ sub: Sub });

export const getUserRoles = {
  method: 'GET',
  path: '/users/{sub}/roles',
  params: UserParams,
  response: RolesView,
  description:
    "A user's roles and scope in this district, as their next token will carry them: for admins whose scope covers one of the user's places (district and city admins: everyone).",
  tag: 'roles',
  errors: ['NOT_FOUND'],
  examples: { params: { sub: SUB }, response: ROLES },
} as const satisfies Contract;

export const grantRole = {
  method: 'POST',
  path: '/users/{sub}/roles',
  params: UserParams,
  body: documented(
    z.strictObject({
      role: z.enum(GRANTABLE_ROLES),
      communityId: describe(z.optional(Id), 'community_admin: the community'),
      streetId: describe(z.optional(Id), 'street_admin: the street'),
      reason: describe(Text(500), 'why: kept in the role audit'),
    }),
    {
      description:
        'A community_admin names its communityId (and no streetId), a street_admin its streetId (and no communityId), a district_admin neither.',
      allOf: [
        ifThen(
          { properties: { role: { const: 'community_admin' } } },
          { ...requires('communityId'), not: requires('streetId') },
        ),
        ifThen(
          { properties: { role: { const: 'street_admin' } } },
          { ...requires('streetId'), not: requires('communityId') },
        ),
        ifThen(
          { properties: { role: { const: 'district_admin' } } },
          { allOf: [{ not: requires('streetId') }, { not: requires('communityId') }] },
        ),
      ],
    },
  ),
  response: RolesView,
  status: 201,
  idempotent: true,
  description:
    'Grants an admin role below your own, inside your scope, never to yourself: a city admin grants district admins, a district admin street and community admins, a street admin community admins of their street. The user must have MFA (an authenticator app) set up. Takes effect at their next token refresh.',
  tag: 'roles',
  errors: [
    'ALREADY_LEADS_TEAM',
    'CONCURRENT_UPDATE',
    'FORBIDDEN',
    'MFA_REQUIRED',
    'ROLE_ALREADY_HELD',
    'ROLE_NOT_HELD',
    'SCOPE_CONFLICT',
    'SELF_GRANT',
    'UNKNOWN_COMMUNITY',
    'UNKNOWN_STREET',
    'UNKNOWN_USER',
  ],
  examples: {
    params: { sub: SUB },
    body: { role: 'community_admin', communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K', reason: '社区换届，新任党委书记' },
    response: ROLES,
  },
} as const satisfies Contract;

export const revokeRole = {
  method: 'POST',
  path: '/users/{sub}/roles/{role}/revoke',
  params: z.strictObject({ sub: Sub, role: z.enum(GRANTABLE_ROLES) }),
  body: z.strictObject({ reason: describe(Text(500), 'why: kept in the role audit') }),
  response: RolesView,
  description: 'Takes an admin role away, under the rules of granting it. Takes effect at their next token refresh.',
  tag: 'roles',
  errors: [
    'ALREADY_LEADS_TEAM',
    'CONCURRENT_UPDATE',
    'FORBIDDEN',
    'ROLE_ALREADY_HELD',
    'ROLE_NOT_HELD',
    'SCOPE_CONFLICT',
    'SELF_GRANT',
    'UNKNOWN_USER',
  ],
  examples: {
    params: { sub: SUB, role: 'community_admin' },
    body: { reason: '调任其他社区' },
    response: {
      sub: SUB,
      district: 'jinjiang',
      roles: ['resident', 'member'],
      memberId: SUB,
      memberCommunityId: ROLES.memberCommunityId,
      memberStreetId: ROLES.memberStreetId,
      updatedAt: '2026-12-01T02:00:00.000Z',
    },
  },
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
  rules: { query: 'name at most one of streetId, communityId and sub' },
  description:
    'The role audit (append-only: who gave or took which role, to whom, when and why), newest first: of the district (district and city admins), of a street or community (its admins and those above), or of one user.',
  tag: 'roles',
  errors: ['FORBIDDEN', 'NOT_FOUND', 'UNKNOWN_COMMUNITY', 'UNKNOWN_STREET'],
  examples: { query: { communityId: AUDIT.scope.communityId, limit: 20 }, response: { items: [AUDIT] } },
} as const satisfies Contract;

/** ResidentSignedUp (city bus, source pioneer.city): the detail the district's identity function takes. */
export const ResidentSignedUpDetail = z.strictObject({
  sub: Id,
  district: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/)),
  at: IsoTime,
});

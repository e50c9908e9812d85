import { DomainError } from './errors.ts';
import type { Caller } from './policy.ts';
import { ADMIN_ROLES, type Role } from './roles.ts';

/**
 * Who holds which role where: a user's roles and scope in one district (their identity record),
 * the rules of granting and revoking, and how the record becomes the user's Cognito groups and
 * `custom:*` attributes. Pure: shared/services/identity.ts reads and writes, shared/identity/ talks
 * to Cognito.
 *
 * The record is the district's truth about a user; Cognito is its projection, which the identity
 * function keeps equal to it (fed by the table's stream). City admins are not in any district's
 * record: their group is given on the pool itself (the first one by `npm run city-admin`).
 */

/** The roles a district's record holds (city_admin is the pool's, outside every district). */
export const DISTRICT_ROLES = [
  'resident',
  'member',
  'team_leader',
  'community_admin',
  'street_admin',
  'district_admin',
] as const satisfies readonly Role[];
export type DistrictRole = (typeof DISTRICT_ROLES)[number];

/** The admin roles granted by hand through the API, lowest first. */
export const GRANTABLE_ROLES = ['community_admin', 'street_admin', 'district_admin'] as const satisfies readonly Role[];
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

export function isGrantable(role: string): role is GrantableRole {
  return (GRANTABLE_ROLES as readonly string[]).includes(role);
}

export function isAdminRole(role: string): boolean {
  return (ADMIN_ROLES as readonly string[]).includes(role);
}

/** Admin rank: a caller grants only roles strictly below their highest. */
const RANK: Record<string, number> = { community_admin: 1, street_admin: 2, district_admin: 3, city_admin: 4 };

export interface UserRoles {
  readonly sub: string;
  readonly district: string;
  readonly roles: readonly DistrictRole[];
  /** member: the member id (their sub), the community they are checked in to and its street. */
  readonly memberId?: string;
  readonly memberCommunityId?: string;
  readonly memberStreetId?: string;
  /** team_leader: the one team they lead. */
  readonly teamId?: string;
  /** community_admin: the community they administer, and its street. */
  readonly adminCommunityId?: string;
  readonly adminCommunityStreetId?: string;
  /** street_admin: the street they administer. */
  readonly adminStreetId?: string;
  /** Goes up by one with every change (the condition of the next one). */
  readonly version: number;
  readonly updatedAt: string;
}

/** A brand-new record (before its first grant). */
export function emptyRecord(sub: string, district: string, at: string): UserRoles {
  return { sub, district, roles: [], version: 0, updatedAt: at };
}

/** The scope a grant or an audit entry names. */
export interface RoleScope {
  readonly district: string;
  readonly streetId?: string;
  readonly communityId?: string;
  readonly teamId?: string;
}

/** One change of a record: a role given (with its scope) or taken. */
export type RoleChange =
  | { readonly action: 'grant'; readonly role: 'resident' }
  | {
      readonly action: 'grant';
      readonly role: 'member';
      readonly memberId: string;
      readonly communityId: string;
      readonly streetId: string;
    }
  | { readonly action: 'grant'; readonly role: 'team_leader'; readonly teamId: string }
  | {
      readonly action: 'grant';
      readonly role: 'community_admin';
      readonly communityId: string;
      readonly streetId: string;
    }
  | { readonly action: 'grant'; readonly role: 'street_admin'; readonly streetId: string }
  | { readonly action: 'grant'; readonly role: 'district_admin' }
  | { readonly action: 'revoke'; readonly role: DistrictRole; readonly teamId?: string };

const without = (roles: readonly DistrictRole[], role: DistrictRole) => roles.filter((r) => r !== role);
const withRole = (roles: readonly DistrictRole[], role: DistrictRole): DistrictRole[] =>
  DISTRICT_ROLES.filter((r) => r === role || roles.includes(r));

function drop<T extends object>(o: T, ...keys: (keyof T)[]): T {
  const copy = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}

/**
 * The record after `change`, or a DomainError saying why it cannot be. The one rule the token
 * imposes: `custom:communityId` is one attribute, so a user's member community and the community
 * they administer must be the same one; `custom:teamId` is one, so a member leads one team.
 */
export function applyChange(record: UserRoles, change: RoleChange, at: string): UserRoles {
  const next = (r: Partial<UserRoles>, roles: readonly DistrictRole[]): UserRoles => ({
    ...record,
    ...r,
    roles,
    version: record.version + 1,
    updatedAt: at,
  });
  if (change.action === 'revoke') {
    if (!record.roles.includes(change.role))
      throw new DomainError('ROLE_NOT_HELD', `the user does not hold ${change.role} in this district`);
    if (change.role === 'team_leader' && change.teamId !== undefined && record.teamId !== change.teamId)
      throw new DomainError('ROLE_NOT_HELD', `the user does not lead team ${change.teamId}`);
    const cleared =
      change.role === 'member'
        ? drop(record, 'memberId', 'memberCommunityId', 'memberStreetId')
        : change.role === 'team_leader'
          ? drop(record, 'teamId')
          : change.role === 'community_admin'
            ? drop(record, 'adminCommunityId', 'adminCommunityStreetId')
            : change.role === 'street_admin'
              ? drop(record, 'adminStreetId')
              : record;
    return { ...cleared, roles: without(record.roles, change.role), version: record.version + 1, updatedAt: at };
  }
  switch (change.role) {
    case 'resident':
      return next({}, withRole(record.roles, 'resident'));
    case 'member':
      if (record.adminCommunityId && record.adminCommunityId !== change.communityId)
        throw new DomainError(
          'SCOPE_CONFLICT',
          `the user administers community ${record.adminCommunityId}: a member of another community cannot hold that role (revoke it first)`,
        );
      return next(
        { memberId: change.memberId, memberCommunityId: change.communityId, memberStreetId: change.streetId },
        withRole(record.roles, 'member'),
      );
    case 'team_leader':
      if (record.teamId && record.teamId !== change.teamId)
        throw new DomainError('ALREADY_LEADS_TEAM', `the member already leads team ${record.teamId}`);
      return next({ teamId: change.teamId }, withRole(record.roles, 'team_leader'));
    case 'community_admin':
      if (record.memberCommunityId && record.memberCommunityId !== change.communityId)
        throw new DomainError(
          'SCOPE_CONFLICT',
          `the user is a member checked in to community ${record.memberCommunityId}: they can administer only that one`,
        );
      if (record.roles.includes('community_admin'))
        throw record.adminCommunityId === change.communityId
          ? new DomainError('ROLE_ALREADY_HELD', `the user already administers community ${change.communityId}`)
          : new DomainError(
              'SCOPE_CONFLICT',
              `the user administers community ${record.adminCommunityId}: revoke that first (custom:communityId is one)`,
            );
      return next(
        { adminCommunityId: change.communityId, adminCommunityStreetId: change.streetId },
        withRole(record.roles, 'community_admin'),
      );
    case 'street_admin':
      if (record.roles.includes('street_admin'))
        throw record.adminStreetId === change.streetId
          ? new DomainError('ROLE_ALREADY_HELD', `the user already administers street ${change.streetId}`)
          : new DomainError(
              'SCOPE_CONFLICT',
              `the user administers street ${record.adminStreetId}: revoke that first (custom:streetId is one)`,
            );
      return next({ adminStreetId: change.streetId }, withRole(record.roles, 'street_admin'));
    case 'district_admin':
      if (record.roles.includes('district_admin'))
        throw new DomainError('ROLE_ALREADY_HELD', 'the user is already a district admin');
      return next({}, withRole(record.roles, 'district_admin'));
  }
}

/** The scope of a role as the record holds it (for audit entries and revocations). */
export function scopeOf(record: UserRoles, role: DistrictRole): RoleScope {
  const d = { district: record.district };
  switch (role) {
    case 'member':
      return { ...d, streetId: record.memberStreetId, communityId: record.memberCommunityId };
    case 'team_leader':
      return { ...d, teamId: record.teamId };
    case 'community_admin':
      return { ...d, streetId: record.adminCommunityStreetId, communityId: record.adminCommunityId };
    case 'street_admin':
      return { ...d, streetId: record.adminStreetId };
    default:
      return d;
  }
}

/** The scope a change names. */
export function scopeOfChange(district: string, change: RoleChange): RoleScope {
  const d = { district };
  if (change.action === 'revoke') return change.teamId ? { ...d, teamId: change.teamId } : d;
  switch (change.role) {
    case 'member':
      return { ...d, streetId: change.streetId, communityId: change.communityId };
    case 'team_leader':
      return { ...d, teamId: change.teamId };
    case 'community_admin':
      return { ...d, streetId: change.streetId, communityId: change.communityId };
    case 'street_admin':
      return { ...d, streetId: change.streetId };
    default:
      return d;
  }
}

// ---------- granting by hand ----------

/** The highest admin rank among the caller's roles (0: none). */
export function adminRank(roles: Iterable<string>): number {
  let best = 0;
  for (const r of roles) best = Math.max(best, RANK[r] ?? 0);
  return best;
}

/**
 * Whether `caller` may grant or revoke `role` with `scope` (the scope's street is the community's
 * for a community admin): only admin roles strictly below their own, inside their own scope, never
 * to themselves. A city admin grants district admins (and below) in any district; a district admin
 * street and community admins of their district; a street admin community admins of their street.
 * Returns the reason when not.
 */
export function grantRefusal(
  caller: Caller,
  target: string,
  role: GrantableRole,
  scope: { streetId?: string },
): DomainError | undefined {
  if (caller.sub === target) return new DomainError('SELF_GRANT', 'nobody grants or revokes their own roles');
  const rank = adminRank(caller.roles);
  if (rank <= (RANK[role] ?? 0))
    return new DomainError('FORBIDDEN', `your role cannot grant or revoke ${role}: only roles below your own`);
  if (rank === 2 && (caller.streetId === undefined || caller.streetId !== scope.streetId))
    return new DomainError('FORBIDDEN', 'a street admin grants and revokes community admins of their own street only');
  return undefined;
}

/** Who may read a user's roles or the audit of a scope: admins whose scope covers it. */
export function administersScope(caller: Caller, scope: { streetId?: string; communityId?: string }): boolean {
  if (caller.roles.has('city_admin') || caller.roles.has('district_admin')) return true;
  if (caller.roles.has('street_admin') && caller.streetId !== undefined && scope.streetId === caller.streetId)
    return true;
  return (
    caller.roles.has('community_admin') &&
    caller.communityId !== undefined &&
    scope.communityId === caller.communityId &&
    scope.communityId !== undefined
  );
}

/** Every place a record touches (a street or community admin of one of them may see it). */
export function placesOf(r: UserRoles): { streetId?: string; communityId?: string }[] {
  return [
    { streetId: r.memberStreetId, communityId: r.memberCommunityId },
    { streetId: r.adminCommunityStreetId, communityId: r.adminCommunityId },
    { streetId: r.adminStreetId },
  ].filter((p) => p.streetId !== undefined || p.communityId !== undefined);
}

// ---------- the Cognito projection ----------

export const SCOPE_ATTRIBUTE_NAMES = [
  'custom:district',
  'custom:memberId',
  'custom:communityId',
  'custom:streetId',
  'custom:teamId',
] as const;
export type ScopeAttribute = (typeof SCOPE_ATTRIBUTE_NAMES)[number];

/** The groups and scope attributes the record gives the user on the pool. */
export function projection(r: UserRoles): {
  groups: DistrictRole[];
  attributes: Partial<Record<ScopeAttribute, string>>;
} {
  const a: Partial<Record<ScopeAttribute, string>> = { 'custom:district': r.district };
  if (r.roles.includes('member') && r.memberId) a['custom:memberId'] = r.memberId;
  const community = r.roles.includes('community_admin') ? r.adminCommunityId : undefined;
  const memberCommunity = r.roles.includes('member') ? r.memberCommunityId : undefined;
  if (community ?? memberCommunity) a['custom:communityId'] = (community ?? memberCommunity)!;
  if (r.roles.includes('street_admin') && r.adminStreetId) a['custom:streetId'] = r.adminStreetId;
  if (r.roles.includes('team_leader') && r.teamId) a['custom:teamId'] = r.teamId;
  return { groups: [...r.roles], attributes: a };
}

/**
 * The groups a token may carry: admin groups only for a user with MFA set up (an authenticator
 * app, TOTP), since the pool then asks for the code at every sign-in. The pre-token-generation
 * trigger applies it to every ID and access token the pool issues.
 */
export function tokenGroups(groups: readonly string[], mfaEnabled: boolean): string[] {
  return mfaEnabled ? [...groups] : groups.filter((g) => !isAdminRole(g));
}

/** Districts ids as the sign-up takes them. */
export const DISTRICT_ID_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

import type { Role } from './roles.ts';

/**
 * Who may act where. The caller comes from the verified token's claims only (shared/http/caller.ts);
 * every scope decision in the product goes through these functions.
 */
export interface Caller {
  readonly sub: string;
  readonly roles: ReadonlySet<Role>;
  /** The caller's member id: `custom:memberId`, else `sub`. */
  readonly memberId: string;
  readonly communityId: string | undefined;
  readonly streetId: string | undefined;
  readonly teamId: string | undefined;
  readonly district: string | undefined;
}

/** Where an object lives in the district's hierarchy. */
export interface Place {
  readonly streetId: string;
  readonly communityId: string;
}

export function hasRole(caller: Caller, ...roles: readonly Role[]): boolean {
  return roles.some((r) => caller.roles.has(r));
}

/** True when the caller is an admin whose scope covers `place` (community, its street, the district, the city). */
export function administers(caller: Caller, place: Place): boolean {
  if (hasRole(caller, 'city_admin', 'district_admin')) return true;
  if (caller.roles.has('street_admin') && caller.streetId !== undefined && caller.streetId === place.streetId)
    return true;
  if (
    caller.roles.has('community_admin') &&
    caller.communityId !== undefined &&
    caller.communityId === place.communityId
  )
    return true;
  return false;
}

/**
 * True when the caller administers every community of `streetId`. A street admin whose token
 * names no street administers none (even where a caller passes an object without a street).
 */
export function administersStreet(caller: Caller, streetId: string): boolean {
  if (hasRole(caller, 'city_admin', 'district_admin')) return true;
  return caller.roles.has('street_admin') && caller.streetId !== undefined && caller.streetId === streetId;
}

/**
 * Personal data (full phone, ID number) of a member: the member themselves, and admins of the
 * community they are checked in to (or above it).
 */
export function maySeePersonalData(caller: Caller, subject: { memberId: string; place: Place | undefined }): boolean {
  if (caller.memberId === subject.memberId && hasRole(caller, 'member', 'team_leader')) return true;
  return subject.place !== undefined && administers(caller, subject.place);
}

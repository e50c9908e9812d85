import { addMetric } from '../metrics/metrics.ts';
import { env } from '../config/env.ts';
import { nowIso, nowMs } from '../domain/clock.ts';
import { assertMoves, decide, PENDING_DAYS, type CheckInStatus } from '../domain/check-in.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { freeText, maskIdNumber, maskPhone } from '../domain/masking.ts';
import { administers, administersStreet, hasRole, maySeePersonalData, type Caller } from '../domain/policy.ts';
import { addDaysMs } from '../domain/time.ts';
import type { Category } from '../domain/categories.ts';
import type { CheckIn, Community, Grid, MemberProfile, RosterEntry, Street } from '../domain/types.ts';
import * as checkIns from '../db/check-ins.ts';
import * as members from '../db/members.ts';
import * as places from '../db/places.ts';
import { committing } from '../db/idempotency.ts';
import { putNew } from '../db/writes.ts';
import { workGrant } from './identity.ts';
import type { Page } from '../db/cursor.ts';

/**
 * Use cases of the members context: places (streets, communities, grids), member profiles,
 * check-in. Scope checks live here, through shared/domain/policy.ts.
 */

// ---------- places ----------

export async function createStreet(caller: Caller, input: { name: string }): Promise<Street> {
  void caller; // role checked by the route table: district and city admins
  const street: Street = { streetId: newId('st'), name: input.name, createdAt: nowIso() };
  return committing(street, () => putNew(places.streetItem(street)));
}

export const listStreets = places.listStreets;

export async function createCommunity(
  caller: Caller,
  input: { name: string; streetId: string; kind: 'urban' | 'rural'; address?: string },
): Promise<Community> {
  const street = await places.getStreet(input.streetId);
  if (!street) throw new DomainError('UNKNOWN_STREET', `no street ${input.streetId} in this district`);
  if (!administersStreet(caller, street.streetId))
    throw forbidden('you can only create communities in your own street');
  const community: Community = {
    communityId: newId('co'),
    name: input.name,
    streetId: street.streetId,
    kind: input.kind,
    ...(input.address ? { address: input.address } : {}),
    createdAt: nowIso(),
  };
  return committing(community, () => putNew(places.communityItem(community)));
}

export const listCommunities = places.listCommunities;

export async function getCommunity(communityId: string): Promise<Community> {
  const c = await places.getCommunity(communityId);
  if (!c) throw notFound('community');
  return c;
}

export async function createGrid(
  caller: Caller,
  communityId: string,
  input: { name: string; description?: string },
): Promise<Grid> {
  const community = await getCommunity(communityId);
  if (!administers(caller, community)) throw forbidden('only admins of this community (or above) can add grids');
  const grid: Grid = {
    gridId: newId('gr'),
    communityId,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    createdAt: nowIso(),
  };
  return committing(grid, () => putNew(places.gridItem(grid)));
}

export async function listGrids(communityId: string, limit: number, cursor: string | undefined): Promise<Page<Grid>> {
  await getCommunity(communityId);
  return places.listGrids(communityId, limit, cursor);
}

// ---------- members ----------

export type MemberView = Omit<MemberProfile, 'version'>;

/** The profile as `caller` may see it: personal data in full only to the member and admins of their scope. */
export function viewMember(caller: Caller, m: MemberProfile): MemberView {
  const { version, ...view } = m;
  void version;
  const place = m.communityId && m.streetId ? { communityId: m.communityId, streetId: m.streetId } : undefined;
  if (maySeePersonalData(caller, { memberId: m.memberId, place })) return view;
  return {
    ...view,
    phone: maskPhone(m.phone),
    ...(m.idNumber ? { idNumber: maskIdNumber(m.idNumber) } : {}),
    ...(m.bio ? { bio: freeText(m.bio, false) } : {}),
  };
}

export async function createMember(
  caller: Caller,
  input: { name: string; phone: string; idNumber?: string; skills: string[]; categories: Category[]; bio?: string },
): Promise<MemberProfile> {
  const at = nowIso();
  const profile: MemberProfile = {
    memberId: caller.memberId,
    name: input.name,
    phone: input.phone,
    ...(input.idNumber ? { idNumber: input.idNumber } : {}),
    skills: dedupe(input.skills),
    categories: dedupe(input.categories),
    ...(input.bio ? { bio: input.bio } : {}),
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  // The route answers with the member's own view of it.
  await committing(viewMember(caller, profile), () => members.createProfile(profile));
  return profile;
}

function dedupe<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

export async function getMyProfile(caller: Caller): Promise<MemberProfile> {
  const m = await members.getProfile(caller.memberId, true);
  if (!m) throw new DomainError('PROFILE_REQUIRED', 'you have no member profile yet: POST /members');
  return m;
}

export async function updateMyProfile(
  caller: Caller,
  patch: {
    name?: string;
    phone?: string;
    idNumber?: string | null;
    skills?: string[];
    categories?: Category[];
    bio?: string | null;
  },
): Promise<MemberProfile> {
  const before = await getMyProfile(caller);
  const after: Record<string, unknown> = { ...before, updatedAt: nowIso(), version: before.version + 1 };
  if (patch.name !== undefined) after.name = patch.name;
  if (patch.phone !== undefined) after.phone = patch.phone;
  if (patch.skills !== undefined) after.skills = dedupe(patch.skills);
  if (patch.categories !== undefined) after.categories = dedupe(patch.categories);
  if (patch.idNumber === null) delete after.idNumber;
  else if (patch.idNumber !== undefined) after.idNumber = patch.idNumber;
  if (patch.bio === null) delete after.bio;
  else if (patch.bio !== undefined) after.bio = patch.bio;
  await members.replaceProfile(before, after as unknown as MemberProfile);
  return after as unknown as MemberProfile;
}

/** One member, for an admin of their scope; anyone else learns nothing (404). */
export async function getMember(caller: Caller, memberId: string): Promise<MemberView> {
  const m = await members.getProfile(memberId);
  const place = m?.communityId && m.streetId ? { communityId: m.communityId, streetId: m.streetId } : undefined;
  if (!m || !place || !administers(caller, place)) throw notFound('member');
  return viewMember(caller, m);
}

export type RosterView = Omit<RosterEntry, 'communityId'>;

export async function listCommunityMembers(
  caller: Caller,
  communityId: string,
  gridId: string | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<RosterView>> {
  const community = await getCommunity(communityId);
  if (!administers(caller, community)) throw forbidden('only admins of this community (or above) can list its members');
  const page = await members.listRoster(communityId, gridId, limit, cursor);
  return {
    items: page.items.map(({ communityId: _c, phone, ...r }) => ({ ...r, phone: maskPhone(phone) })),
    nextCursor: page.nextCursor,
  };
}

// ---------- check-in ----------

export async function requestCheckIn(
  caller: Caller,
  input: { communityId: string; gridId?: string; note?: string },
): Promise<CheckIn> {
  const { community, profile, grid } = await checkIns.checkInContext(caller.memberId, input.communityId, input.gridId);
  if (!community) throw new DomainError('UNKNOWN_COMMUNITY', `no community ${input.communityId} in this district`);
  if (input.gridId && !grid)
    throw new DomainError('UNKNOWN_GRID', `no grid ${input.gridId} in community ${input.communityId}`);
  if (!profile)
    throw new DomainError('PROFILE_REQUIRED', 'create your member profile (POST /members) before checking in');
  assertMoves(profile, input);
  const checkIn: CheckIn = {
    checkInId: newId('ci'),
    memberId: caller.memberId,
    memberName: profile.name,
    communityId: community.communityId,
    streetId: community.streetId,
    ...(input.gridId ? { gridId: input.gridId } : {}),
    ...(input.note ? { note: input.note } : {}),
    status: 'pending',
    createdAt: nowIso(),
  };
  return committing(checkIn, () => checkIns.createCheckIn(checkIn));
}

/**
 * A check-in as the caller may read it: its note is the member's, its reason an admin's; phone
 * and ID numbers in either are masked for all but its author and the admins of the community.
 */
export function viewCheckIn(caller: Caller, c: CheckIn): CheckIn {
  const admin = administers(caller, c);
  const note = freeText(c.note, admin || (caller.memberId === c.memberId && hasRole(caller, 'member', 'team_leader')));
  const reason = freeText(c.reason, admin);
  return { ...c, ...(note !== undefined ? { note } : {}), ...(reason !== undefined ? { reason } : {}) };
}

export async function listMyCheckIns(
  caller: Caller,
  limit: number,
  cursor: string | undefined,
): Promise<Page<CheckIn>> {
  const page = await checkIns.listMemberCheckIns(caller.memberId, limit, cursor);
  return { items: page.items.map((c) => viewCheckIn(caller, c)), nextCursor: page.nextCursor };
}

export async function listCommunityCheckIns(
  caller: Caller,
  communityId: string,
  status: CheckInStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<CheckIn>> {
  const community = await getCommunity(communityId);
  if (!administers(caller, community))
    throw forbidden('only admins of this community (or above) can see its check-ins');
  const page = await checkIns.listCommunityCheckIns(communityId, status, limit, cursor);
  return { items: page.items.map((c) => viewCheckIn(caller, c)), nextCursor: page.nextCursor };
}

/** A check-in the caller may decide; one outside their scope is reported as not found. */
async function decidable(caller: Caller, checkInId: string): Promise<CheckIn> {
  const c = await checkIns.getCheckIn(checkInId, true);
  if (!c || !administers(caller, c)) throw notFound('check-in');
  return c;
}

/**
 * Approves a check-in: the member moves to the community and, in the same transaction, becomes a
 * `member` there (custom:memberId, custom:communityId; a move updates the community), with an
 * audit entry. A race with another change of the profile or the roles is decided again.
 */
export async function approveCheckIn(caller: Caller, checkInId: string): Promise<CheckIn> {
  const c = await decidable(caller, checkInId);
  const status = decide(c.status, 'approve');
  for (let attempt = 1; ; attempt++) {
    const { profile, roles } = await members.profileAndRoles(c.memberId);
    if (!profile) throw notFound('member');
    const at = nowIso();
    const grant = await workGrant(
      c.memberId,
      { action: 'grant', role: 'member', memberId: c.memberId, communityId: c.communityId, streetId: c.streetId },
      { actor: caller.sub, reason: `check-in ${c.checkInId} approved`, source: 'check-in', at },
      { record: roles },
    );
    try {
      await checkIns.approveCheckIn(
        c,
        profile,
        { decidedAt: at, decidedBy: caller.sub, districtId: env().districtId },
        grant,
      );
      addMetric('CheckIns');
      return { ...c, status, decidedAt: at, decidedBy: caller.sub };
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'CONCURRENT_UPDATE') || attempt >= 4) throw err;
    }
  }
}

export async function rejectCheckIn(caller: Caller, checkInId: string, reason: string): Promise<CheckIn> {
  const c = await decidable(caller, checkInId);
  const status = decide(c.status, 'reject') as 'rejected';
  const at = nowIso();
  await checkIns.closeCheckIn(c, status, { decidedAt: at, decidedBy: caller.sub, reason });
  return { ...c, status, decidedAt: at, decidedBy: caller.sub, reason };
}

/**
 * The expire-check-ins job: every request still pending PENDING_DAYS after it was made is
 * expired, a page at a time. Idempotent: an expired request is no longer pending, so a second
 * run finds nothing to do.
 */
export async function expireStaleCheckIns(): Promise<{ expired: number; skipped: number }> {
  const cutoff = new Date(addDaysMs(nowMs(), -PENDING_DAYS)).toISOString();
  let cursor: string | undefined;
  let expired = 0;
  let skipped = 0;
  do {
    const page = await checkIns.listStalePending(cutoff, 100, cursor);
    for (const { checkInId } of page.items) {
      const c = await checkIns.getCheckIn(checkInId, true);
      if (c?.status !== 'pending') {
        skipped++;
        continue;
      }
      try {
        await checkIns.closeCheckIn(c, 'expired', {
          decidedAt: nowIso(),
          decidedBy: 'job:expire-check-ins',
          reason: `not decided within ${PENDING_DAYS} days`,
        });
        expired++;
      } catch (err) {
        if (err instanceof DomainError && err.code === 'CHECKIN_NOT_PENDING') skipped++;
        else throw err;
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { expired, skipped };
}

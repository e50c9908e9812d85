import { DomainError } from '../domain/errors.ts';
import type { UserRoles } from '../domain/identity.ts';
import type { MemberProfile, RosterEntry } from '../domain/types.ts';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import { rolesOf } from './identity.ts';
import { memberKey, rosterKey, rosterQuery, userRolesKey } from './keys.ts';
import { fromItem, getEach, getItem, queryPage, transact, type Item } from './table.ts';
import { putIfAbsent } from './writes.ts';

/**
 * Member profiles and community rosters.
 *   profile  pk MEMBER#<memberId>      sk PROFILE
 *   roster   pk COMMUNITY#<cid>        sk ROSTER#<gridId or ~>#<memberId>   (one per checked-in member)
 * The roster copies the fields a community list shows, so listing a community is one Query;
 * every profile change that touches them updates both in one transaction. (Keys: shared/db/keys.ts.)
 */

export function profileItem(m: MemberProfile): Item {
  return { ...memberKey(m.memberId), type: 'member', ...m };
}

export function rosterItem(r: RosterEntry): Item {
  return { ...rosterKey(r.communityId, r.gridId, r.memberId), type: 'roster', ...r };
}

export function rosterEntryOf(
  m: MemberProfile,
  place: { communityId: string; gridId?: string },
  checkedInAt: string,
): RosterEntry {
  return {
    communityId: place.communityId,
    ...(place.gridId ? { gridId: place.gridId } : {}),
    memberId: m.memberId,
    name: m.name,
    phone: m.phone,
    skills: m.skills,
    categories: m.categories,
    checkedInAt,
  };
}

/** A profile item as the services see it. */
export const profileOf = (i: Item): MemberProfile => fromItem<MemberProfile>(i);

/** A member's profile and their roles record (member id = sub), strongly consistent, in one round trip. */
export async function profileAndRoles(
  memberId: string,
): Promise<{ profile: MemberProfile | undefined; roles: UserRoles | undefined }> {
  const [p, r] = await getEach([memberKey(memberId), userRolesKey(memberId)], true);
  return { profile: p && profileOf(p), roles: rolesOf(r) };
}

export async function getProfile(memberId: string, consistent = false): Promise<MemberProfile | undefined> {
  const k = memberKey(memberId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && profileOf(i);
}

export async function createProfile(m: MemberProfile): Promise<void> {
  if (!(await putIfAbsent(profileItem(m))))
    throw new DomainError('MEMBER_ALREADY_EXISTS', 'you already have a profile: use PATCH /members/me');
}

/** Writes the new profile if nobody changed it since `before` was read; keeps the roster copy in step. */
export async function replaceProfile(before: MemberProfile, after: MemberProfile): Promise<void> {
  const items: Parameters<typeof transact>[0] = [
    {
      Put: {
        TableName: tableName(),
        Item: profileItem(after),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': before.version },
      },
    },
  ];
  if (after.communityId && after.checkedInAt) {
    items.push({
      Put: {
        TableName: tableName(),
        Item: rosterItem(
          rosterEntryOf(after, { communityId: after.communityId, gridId: after.gridId }, after.checkedInAt),
        ),
        ConditionExpression: 'attribute_exists(pk)',
      },
    });
  }
  await transact(
    items,
    () => new DomainError('CONCURRENT_UPDATE', 'your profile changed meanwhile: read it again and retry'),
  );
}

export async function listRoster(
  communityId: string,
  gridId: string | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<RosterEntry>> {
  const p = await queryPage({ ...rosterQuery(communityId, gridId), limit, cursor });
  return { items: p.items.map((i) => fromItem<RosterEntry>(i)), nextCursor: p.nextCursor };
}

import type { CheckInStatus } from '../domain/check-in.ts';
import { DomainError } from '../domain/errors.ts';
import type { UserRoles } from '../domain/identity.ts';
import type { CheckIn, Community, Grid, MemberProfile } from '../domain/types.ts';
import { tableName } from './client.ts';
import { counterUpdates, factIndexKeys } from './counters.ts';
import type { Page } from './cursor.ts';
import {
  checkInKey,
  checkInKeys,
  communityCheckInsQuery,
  communityKey,
  gridKey,
  memberCheckInsQuery,
  memberKey,
  pendingCheckInKey,
  pendingCheckInKeys,
  pendingCheckInsQuery,
  rosterKey,
} from './keys.ts';
import { auditPut, rolesPut, type RoleAuditEntry } from './identity.ts';
import { profileItem, profileOf, rosterEntryOf, rosterItem } from './members.ts';
import { decidePending, fromItem as entity, getEach, getItem, queryPage, transact, type Item } from './table.ts';

/**
 * Check-in requests.
 *   check-in      pk CHECKIN#<id>     sk CHECKIN
 *                 gsi1 MEMBER#<memberId>#CHECKINS / <createdAt>#<id>            (a member's requests)
 *                 gsi2 COMMUNITY#<cid>#CHECKINS#<status> / <createdAt>#<id>     (a community's, by status)
 *                 gsi3 FACTS#<YYYY-MM>#check-in / <decidedAt>#<id>               (set on approval: the approvals
 *                                                                               a month's checkIns counters count)
 *   pending lock  pk MEMBER#<memberId> sk PENDING_CHECKIN
 *                 gsi1 PENDING_CHECKINS / <createdAt>#<id>                      (the expiry job's list)
 * The lock makes "at most one pending request per member" a database condition, not a hope.
 * (Keys: shared/db/keys.ts.)
 */
function checkInItem(c: CheckIn): Item {
  return { ...checkInKeys(c), type: 'check-in', ...c };
}

const fromItem = (i: Item) => entity<CheckIn>(i);

export async function getCheckIn(id: string, consistent = false): Promise<CheckIn | undefined> {
  const k = checkInKey(id);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && fromItem(i);
}

/** What a check-in request needs to know, in one round trip: the community, the member's profile, the grid. */
export async function checkInContext(
  memberId: string,
  communityId: string,
  gridId: string | undefined,
): Promise<{ community?: Community; profile?: MemberProfile; grid?: Grid }> {
  const [c, p, g] = await getEach([
    communityKey(communityId),
    memberKey(memberId),
    gridId ? gridKey(communityId, gridId) : undefined,
  ]);
  return {
    ...(c ? { community: entity<Community>(c) } : {}),
    ...(p ? { profile: profileOf(p) } : {}),
    ...(g ? { grid: entity<Grid>(g) } : {}),
  };
}

/** Creates a pending request; fails with 409 if the member already has one, or has no profile. */
export async function createCheckIn(c: CheckIn): Promise<void> {
  await transact(
    [
      { Put: { TableName: tableName(), Item: checkInItem(c), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: tableName(),
          Item: { ...pendingCheckInKeys(c), type: 'check-in-lock', checkInId: c.checkInId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: memberKey(c.memberId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ],
    (failed) =>
      failed.includes(2)
        ? new DomainError('PROFILE_REQUIRED', 'create your member profile (POST /members) before checking in')
        : new DomainError(
            'CHECKIN_ALREADY_PENDING',
            'you already have a pending check-in request; wait for its decision',
          ),
  );
}

/** The request leaves `pending` for `status`, and its community's list of that status. */
const decisionUpdate = (c: CheckIn, status: CheckInStatus, fields: Record<string, string>) =>
  decidePending(checkInKey(c.checkInId), status, communityCheckInsQuery(c.communityId, status), fields);

const releaseLock = (c: CheckIn) => ({
  Delete: {
    TableName: tableName(),
    Key: pendingCheckInKey(c.memberId),
    ConditionExpression: 'checkInId = :id',
    ExpressionAttributeValues: { ':id': c.checkInId },
  },
});

const notPending = () => new DomainError('CHECKIN_NOT_PENDING', 'the check-in was decided meanwhile');

/**
 * Approves: one transaction moves the member. The request leaves `pending`, the lock goes, the
 * profile points at the new community (if nobody changed it since it was read), the old roster
 * entry goes, the new one comes, this month's check-in counters of the district, street,
 * community and grid go up by one, and the member's roles record becomes a member's of that
 * community (if nobody changed it since it was read), with its audit entry.
 */
export async function approveCheckIn(
  c: CheckIn,
  profile: MemberProfile,
  decision: { decidedAt: string; decidedBy: string; districtId: string },
  grant: { after: UserRoles; readVersion: number; audit: RoleAuditEntry },
): Promise<MemberProfile> {
  const moved: MemberProfile = {
    ...profile,
    communityId: c.communityId,
    streetId: c.streetId,
    gridId: c.gridId,
    checkedInAt: decision.decidedAt,
    updatedAt: decision.decidedAt,
    version: profile.version + 1,
  };
  if (!c.gridId) delete (moved as { gridId?: string }).gridId;
  const newRoster = rosterItem(
    rosterEntryOf(moved, { communityId: c.communityId, gridId: c.gridId }, decision.decidedAt),
  );
  const fact = { kind: 'check-in', fact: { ...c, decidedAt: decision.decidedAt } } as const;
  const items: Parameters<typeof transact>[0] = [
    decisionUpdate(c, 'approved', {
      decidedAt: decision.decidedAt,
      decidedBy: decision.decidedBy,
      ...factIndexKeys(fact, decision.decidedAt, c.checkInId),
    }),
    releaseLock(c),
    {
      Put: {
        TableName: tableName(),
        Item: profileItem(moved),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': profile.version },
      },
    },
  ];
  if (profile.communityId) {
    const old = rosterKey(profile.communityId, profile.gridId, profile.memberId);
    if (old.pk !== newRoster.pk || old.sk !== newRoster.sk)
      items.push({ Delete: { TableName: tableName(), Key: old } });
  }
  items.push({ Put: { TableName: tableName(), Item: newRoster } });
  items.push(...counterUpdates([fact], decision.districtId));
  // The member role and its scope, with their audit entry: the identity function carries the
  // record to the user pool from the table's stream.
  const rolesAt = items.length;
  items.push(rolesPut(grant.after, grant.readVersion), auditPut(grant.audit));
  await transact(items, (failed) =>
    failed.includes(2) || failed.includes(rolesAt)
      ? new DomainError('CONCURRENT_UPDATE', "the member's profile or roles changed meanwhile: retry")
      : notPending(),
  );
  return moved;
}

/** Rejects or expires a pending request and frees the member to ask again. */
export async function closeCheckIn(
  c: CheckIn,
  status: 'rejected' | 'expired',
  fields: { decidedAt: string; decidedBy: string; reason: string },
): Promise<void> {
  await transact([decisionUpdate(c, status, fields), releaseLock(c)], notPending);
}

export async function listMemberCheckIns(
  memberId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<CheckIn>> {
  const p = await queryPage({ ...memberCheckInsQuery(memberId), limit, cursor, newestFirst: true });
  return { items: p.items.map(fromItem), nextCursor: p.nextCursor };
}

export async function listCommunityCheckIns(
  communityId: string,
  status: CheckInStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<CheckIn>> {
  const p = await queryPage({
    ...communityCheckInsQuery(communityId, status),
    limit,
    cursor,
    newestFirst: status !== 'pending',
  });
  return { items: p.items.map(fromItem), nextCursor: p.nextCursor };
}

/** Pending requests created before `beforeIso`, oldest first (the expiry job). */
export async function listStalePending(
  beforeIso: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<{ checkInId: string }>> {
  const p = await queryPage({ ...pendingCheckInsQuery(), before: beforeIso, limit, cursor });
  return { items: p.items.map((i) => ({ checkInId: String(i.checkInId) })), nextCursor: p.nextCursor };
}

import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { TIERS, type Grant, type TrainingEntry } from '../domain/training.ts';
import type { MemberProfile } from '../domain/types.ts';
import { tableName } from './client.ts';
import {
  communityExpiriesQuery,
  districtExpiriesQuery,
  grantKey,
  grantKeys,
  memberGrantsQuery,
  memberKey,
  memberTrainingHoursKey,
  memberTrainingQuery,
} from './keys.ts';
import { profileOf } from './members.ts';
import { batchGet, fromItem, getItem, queryAll, transact, type Item } from './table.ts';

/**
 * Qualification grants and the training part of a member's record.
 *   grant     pk MEMBER#<id>  sk GRANT#<qualification>  { grantedAt, validUntil?, source, courseId?, grantedBy, communityId? }
 *             gsi1 GRANTS#<communityId> / <validUntil>#<memberId>#<qualification>   (a community's, by expiry)
 *             gsi2 GRANTS-EXPIRING / <validUntil>#<memberId>#<qualification>        (the district's, by expiry)
 *             (index keys only when it expires; `validUntil`, not `expiresAt`: that is the table's TTL attribute)
 *   training  pk MEMBER#<id>  sk TRAINING#<courseId>   gsi3 FACTS#<YYYY-MM>#training (a counted fact)
 *   hours     pk MEMBER#<id>  sk TRAINING_HOURS  { hours }   (apart from service hours: MEMBER#<id> / HOURS)
 * A re-grant only extends: its write is conditioned on the grant as read (absent, or the same
 * validUntil), so two grants at once cannot move an expiry back.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const grantOf = (i: Item): Grant => fromItem<Grant>(i);

/** A member's grants (one Query, strongly consistent). */
export async function grantsOf(memberId: string): Promise<Grant[]> {
  return (await queryAll({ ...memberGrantsQuery(memberId), consistent: true })).map(grantOf);
}

/** A member's profile and grants of every tier, in one round trip. */
export async function profileAndGrants(
  memberId: string,
): Promise<{ profile: MemberProfile | undefined; grants: Grant[] }> {
  const pk = memberKey(memberId);
  const gks = TIERS.map((q) => grantKey(memberId, q));
  const found = await batchGet([pk, ...gks], undefined, true);
  const p = found.get(`${pk.pk}|${pk.sk}`);
  const grants = gks.flatMap((k) => {
    const g = found.get(`${k.pk}|${k.sk}`);
    return g ? [grantOf(g)] : [];
  });
  return { profile: p && profileOf(p), grants };
}

/**
 * The Put of a grant for a transaction, conditioned on the grant `held` as read: none, or one
 * with the same validUntil (a grant without expiry is never replaced: callers skip it).
 */
export function grantPut(g: Grant, held: Grant | undefined): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...grantKeys(g), type: 'grant', ...g },
      ConditionExpression: held ? 'validUntil = :held' : 'attribute_not_exists(pk)',
      ...(held ? { ExpressionAttributeValues: { ':held': held.validUntil } } : {}),
    },
  };
}

/** Writes a grant (see grantPut); false when the grant changed since it was read. */
export async function putGrant(g: Grant, held: Grant | undefined): Promise<boolean> {
  const moved = new DomainError('CONCURRENT_UPDATE', 'the grant changed meanwhile');
  try {
    await transact([grantPut(g, held)], () => moved);
    return true;
  } catch (err) {
    if (err === moved) return false;
    throw err;
  }
}

/** Grants expiring in [from, to] (by expiry): a community's, or the district's. */
export async function expiringGrants(communityId: string | undefined, from: string, to: string): Promise<Grant[]> {
  const q = communityId ? communityExpiriesQuery(communityId) : districtExpiriesQuery();
  return (await queryAll({ ...q, between: { from, to: `${to}~` } })).map(grantOf);
}

/** Grants of many members (BatchGetItem, every tier): a team's expiry report. */
export async function grantsOfMembers(memberIds: readonly string[]): Promise<Grant[]> {
  const found = await batchGet(memberIds.flatMap((m) => TIERS.map((q) => grantKey(m, q))));
  return [...found.values()].map(grantOf);
}

/** A member's training entries and training hours. */
export async function trainingOf(memberId: string): Promise<{ entries: TrainingEntry[]; hours: number }> {
  const [items, h] = await Promise.all([
    queryAll({ ...memberTrainingQuery(memberId) }),
    (async () => {
      const k = memberTrainingHoursKey(memberId);
      return getItem(k.pk, k.sk);
    })(),
  ]);
  return {
    entries: items.map((i) => fromItem<TrainingEntry>(i)).sort((a, b) => (a.completedAt < b.completedAt ? 1 : -1)),
    hours: Number(h?.hours ?? 0),
  };
}

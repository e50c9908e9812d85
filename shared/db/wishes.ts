import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { monthOf } from '../domain/time.ts';
import type { Wish, WishEvent, WishState } from '../domain/wish.ts';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import { factKeys } from './facts.ts';
import { batchGet, getItem, queryPage, toItemWithoutKeys, transact, type Item } from './table.ts';

/**
 * Micro-wishes, their outbox of events, and each member's open-claims counter.
 *   wish          pk WISH#<wishId>      sk WISH                 { ...wish, version }
 *                 gsi1 WALL#<communityId>#<status> / <publishedAt or createdAt>#<wishId>
 *                      (the wall: a community's wishes by status, newest first; the review queue
 *                      is status pending_review)
 *                 gsi2 OPEN#<communityId> / <publishedAt>#<wishId>
 *                      (sparse: only while published or escalated; suggestions read the oldest
 *                      open wishes of the member's community)
 *                 gsi3 WISHES#<status> / <time the state was entered>#<wishId>
 *                      (sparse: only while published, escalated or completed. District-wide:
 *                      WISHES#published with sk < cutoff is the escalation job's work list,
 *                      WISHES#escalated the team leaders' list, WISHES#completed with sk < cutoff
 *                      the auto-confirm list)
 *   event         pk WISH#<wishId>      sk EVENT#<seq, 10 digits>  (the outbox, oldest first; seq = the
 *                                                                   wish's version after the change)
 *                 gsi3 FACTS#<YYYY-MM of at>#wish-event / <at>#<wishId>#<seq>  (a month's events: what its
 *                      wish counters count; `fact` { streetId, teamId? } names the scopes the event does not)
 *   open claims   pk MEMBER#<memberId>  sk WISH_CLAIMS          { open }  (ADD 1 on claim with the
 *                                                                   condition open < limit; ADD -1 on
 *                                                                   release and completion)
 * Every transition is one transaction: the wish (condition: the version and state read), its
 * event, and whatever else the change moves (the claims counter, a service record, this month's
 * counters), so the wall, the outbox and the statistics never disagree.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const wishKey = (wishId: string) => ({ pk: `WISH#${wishId}`, sk: 'WISH' });
/** A resident's pointer to a wish they posted, newest first: pk RESIDENT#<sub> sk WISH#<createdAt>#<wishId>. */
const residentWishKey = (w: Pick<Wish, 'residentSub' | 'createdAt' | 'wishId'>) => ({ pk: `RESIDENT#${w.residentSub}`, sk: `WISH#${w.createdAt}#${w.wishId}` });
export const eventKey = (wishId: string, seq: number) => ({ pk: `WISH#${wishId}`, sk: `EVENT#${String(seq).padStart(10, '0')}` });
export const claimsKey = (memberId: string) => ({ pk: `MEMBER#${memberId}`, sk: 'WISH_CLAIMS' });
export const wallPartition = (communityId: string, status: WishState) => `WALL#${communityId}#${status}`;
export const openPartition = (communityId: string) => `OPEN#${communityId}`;
export const districtPartition = (status: 'published' | 'escalated' | 'completed') => `WISHES#${status}`;

/** When the wish entered the states that have a district-wide list (and a timer). */
function enteredAt(w: Wish): string | undefined {
  if (w.status === 'published') return w.publishedAt;
  if (w.status === 'escalated') return w.escalatedAt;
  if (w.status === 'completed') return w.completedAt;
  return undefined;
}

export function wishItem(w: Wish): Item {
  const item: Item = {
    ...wishKey(w.wishId),
    type: 'wish',
    gsi1pk: wallPartition(w.communityId, w.status),
    gsi1sk: `${w.publishedAt ?? w.createdAt}#${w.wishId}`,
  };
  if ((w.status === 'published' || w.status === 'escalated') && w.publishedAt) {
    item.gsi2pk = openPartition(w.communityId);
    item.gsi2sk = `${w.publishedAt}#${w.wishId}`;
  }
  const entered = enteredAt(w);
  if (entered) {
    item.gsi3pk = districtPartition(w.status as 'published' | 'escalated' | 'completed');
    item.gsi3sk = `${entered}#${w.wishId}`;
  }
  return { ...item, ...w };
}

/** The event's item, a fact of the month of `e.at` (the month its counters are updated in). */
function eventItem(e: WishEvent, w: Wish): Item {
  const key = eventKey(e.wishId, e.seq);
  const fact = { streetId: w.streetId, ...(w.claimant?.kind === 'team' ? { teamId: w.claimant.teamId } : {}) };
  return { ...key, ...factKeys('wish-event', monthOf(e.at), `${e.at}#${e.wishId}#${key.sk.slice(6)}`), type: 'wish-event', fact, ...e };
}

function fromItem<T>(i: Item): T {
  const { type, gsi3pk, gsi3sk, ...rest } = toItemWithoutKeys<Record<string, unknown>>(i);
  void type, gsi3pk, gsi3sk;
  return rest as T;
}

export async function getWish(wishId: string, consistent = false): Promise<Wish | undefined> {
  const i = await getItem(wishKey(wishId).pk, 'WISH', consistent);
  return i && fromItem<Wish>(i);
}

/** The member's open claims (0 when they never claimed). */
export async function getOpenClaims(memberId: string, consistent = false): Promise<number> {
  const k = claimsKey(memberId);
  const i = await getItem(k.pk, k.sk, consistent);
  return Number(i?.open ?? 0);
}

/**
 * ADD `by` to the member's open claims. With `limit`, the condition `open < limit` makes the
 * limit hold under any concurrency (the claim and this update are one transaction).
 */
export function claimsCounterUpdate(memberId: string, by: 1 | -1, limit?: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: claimsKey(memberId),
      UpdateExpression: 'SET #type = :type, memberId = :m ADD #open :by',
      ...(limit !== undefined ? { ConditionExpression: 'attribute_not_exists(#open) OR #open < :limit' } : {}),
      ExpressionAttributeNames: { '#type': 'type', '#open': 'open' },
      ExpressionAttributeValues: { ':type': 'wish-claims', ':m': memberId, ':by': by, ...(limit !== undefined ? { ':limit': limit } : {}) },
    },
  };
}

/** One more item of a transition's transaction, and what its failed condition means. */
export interface Extra {
  readonly item: TransactItem;
  readonly conflict: () => DomainError;
}

/** The wish changed between the read and the write: re-read it and decide again. */
export const wishChanged = () => new DomainError('CONCURRENT_UPDATE', 'the wish changed meanwhile: read it again and retry', { wishChanged: true });

/** A new wish (version 1) with its WishPosted event and counters, in one transaction. */
export async function createWish(w: Wish, event: WishEvent, counters: readonly TransactItem[]): Promise<void> {
  await transact(
    [
      { Put: { TableName: tableName(), Item: wishItem(w), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName(), Item: eventItem(event, w), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName(), Item: { ...residentWishKey(w), type: 'resident-wish', wishId: w.wishId } } },
      ...counters,
    ],
    () => new DomainError('CONCURRENT_UPDATE', 'that wish already exists', { exists: true }),
  );
}

/**
 * A transition: the wish becomes `after` if it is still `before` (version and state), its event
 * is appended, and the extras and counters move, all in one transaction. A lost race is a
 * CONCURRENT_UPDATE marked `wishChanged` (re-read and decide again); a failed extra is that
 * extra's own conflict (CLAIM_LIMIT_REACHED...).
 */
export async function commitTransition(
  before: Wish,
  after: Wish,
  event: WishEvent,
  extras: readonly Extra[] = [],
  counters: readonly TransactItem[] = [],
): Promise<void> {
  if (after.version !== before.version + 1) throw new Error('a transition adds one to the version');
  await transact(
    [
      {
        Put: {
          TableName: tableName(),
          Item: wishItem(after),
          ConditionExpression: 'version = :v AND #status = :s',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':v': before.version, ':s': before.status },
        },
      },
      { Put: { TableName: tableName(), Item: eventItem(event, after), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...extras.map((e) => e.item),
      ...counters,
    ],
    (failed) => {
      if (failed.includes(0) || failed.includes(1)) return wishChanged();
      const extra = failed.map((i) => extras[i - 2]).find((e) => e !== undefined);
      return extra ? extra.conflict() : wishChanged();
    },
  );
}

// ---------- reads ----------

/** The wall: a community's wishes of one status, newest first (by publication, else posting). */
export async function listWall(communityId: string, status: WishState, limit: number, cursor: string | undefined): Promise<Page<Wish>> {
  const p = await queryPage({ index: 'gsi1', partition: wallPartition(communityId, status), limit, cursor, newestFirst: true });
  return { items: p.items.map((i) => fromItem<Wish>(i)), nextCursor: p.nextCursor };
}

/** The oldest open (published or escalated) wishes of a community, at most `limit`: one Query. */
export async function listOpen(communityId: string, limit: number): Promise<Wish[]> {
  const p = await queryPage({ index: 'gsi2', partition: openPartition(communityId), limit, cursor: undefined });
  return p.items.map((i) => fromItem<Wish>(i));
}

/**
 * The district's wishes of one timed status (gsi3), by the time they entered it: newest first
 * for lists, oldest first with `before` (entered strictly before that instant) for the jobs.
 */
export async function listDistrict(
  status: 'published' | 'escalated' | 'completed',
  q: { limit: number; cursor: string | undefined; newestFirst?: boolean; before?: string },
): Promise<Page<Wish>> {
  const page = await queryPage({
    index: 'gsi3',
    partition: districtPartition(status),
    before: q.before,
    limit: q.limit,
    cursor: q.cursor,
    newestFirst: q.newestFirst,
  });
  return { items: page.items.map((i) => fromItem<Wish>(i)), nextCursor: page.nextCursor };
}

/** A wish's events, oldest first. */
export async function listEvents(wishId: string, limit: number, cursor: string | undefined): Promise<Page<WishEvent>> {
  const p = await queryPage({ partition: wishKey(wishId).pk, beginsWith: 'EVENT#', limit, cursor });
  const event = ({ fact, ...i }: Item) => (void fact, fromItem<WishEvent>(i));
  return { items: p.items.map(event), nextCursor: p.nextCursor };
}

/** The wishes a resident posted, newest first: one Query of their pointers, one BatchGet of the wishes. */
export async function listResidentWishes(residentSub: string, limit: number, cursor: string | undefined): Promise<Page<Wish>> {
  const page = await queryPage({ partition: `RESIDENT#${residentSub}`, beginsWith: 'WISH#', limit, cursor, newestFirst: true });
  const keys = page.items.map((i) => wishKey(String(i.wishId)));
  const found = await batchGet(keys);
  const items = keys.flatMap((k) => {
    const i = found.get(`${k.pk}|${k.sk}`);
    return i ? [fromItem<Wish>(i)] : [];
  });
  return { items, nextCursor: page.nextCursor };
}

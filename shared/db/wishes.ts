import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CountedFact } from '../domain/counters.ts';
import { DomainError } from '../domain/errors.ts';
import type { Team } from '../domain/team.ts';
import type { Community, Grid, MemberProfile } from '../domain/types.ts';
import type { ServiceRecord } from '../domain/records.ts';
import { eventFact, type Wish, type WishEvent, type WishState } from '../domain/wish.ts';
import { tableName } from './client.ts';
import { counterUpdates } from './counters.ts';
import type { Page } from './cursor.ts';
import {
  communityKey,
  districtWishesQuery,
  gridKey,
  memberKey,
  teamKey,
  openWishesQuery,
  residentWishesQuery,
  residentWishKey,
  wallQuery,
  wishClaimsKey,
  wishEventKeys,
  wishEventsQuery,
  wishKey,
  wishKeys,
} from './keys.ts';
import { addMemberHours, putRecord } from './records.ts';
import { profileOf } from './members.ts';
import { batchGet, fromItem, getEach, getItem, queryPage, transact, type Item } from './table.ts';

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
 * counters), so the wall, the outbox and the statistics never disagree. (Keys: shared/db/keys.ts.)
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function wishItem(w: Wish): Item {
  return { ...wishKeys(w), type: 'wish', ...w };
}

/** The event's item: a counted fact of the month of `e.at` (the month its counters are updated in). */
function eventItem(e: WishEvent, w: Wish): Item {
  return { ...wishEventKeys(e), type: 'wish-event', ...eventFact(e, w) };
}

/** The counter updates of an event (and of a service record written with it), in one transaction. */
function countersOf(e: WishEvent, w: Wish, districtId: string, records: readonly ServiceRecord[]): TransactItem[] {
  const facts: CountedFact[] = [{ kind: 'wish-event', fact: eventFact(e, w) }];
  for (const record of records) facts.push({ kind: 'record', fact: record });
  return counterUpdates(facts, districtId);
}

export async function getWish(wishId: string, consistent = false): Promise<Wish | undefined> {
  const k = wishKey(wishId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && fromItem<Wish>(i);
}

/** A community and one of its grids, in one round trip: where a wish is posted. */
export async function communityAndGrid(
  communityId: string,
  gridId: string | undefined,
): Promise<{ community: Community | undefined; grid: Grid | undefined }> {
  const [c, g] = await getEach([communityKey(communityId), gridId ? gridKey(communityId, gridId) : undefined]);
  return { community: c && fromItem<Community>(c), grid: g && fromItem<Grid>(g) };
}

/** A team and a wish (strongly consistent), in one round trip: a team taking on a wish. */
export async function teamAndWish(
  teamId: string,
  wishId: string,
): Promise<{ team: Team | undefined; wish: Wish | undefined }> {
  const [t, w] = await getEach([teamKey(teamId), wishKey(wishId)], true);
  return { team: t && fromItem<Team>(t), wish: w && fromItem<Wish>(w) };
}

/** A member's profile and a wish (strongly consistent), in one round trip. */
export async function memberAndWish(
  memberId: string,
  wishId: string,
): Promise<{ profile: MemberProfile | undefined; wish: Wish | undefined }> {
  const [p, w] = await getEach([memberKey(memberId), wishKey(wishId)], true);
  return { profile: p && profileOf(p), wish: w && fromItem<Wish>(w) };
}

/** The member's open claims (0 when they never claimed). */
export async function getOpenClaims(memberId: string, consistent = false): Promise<number> {
  const k = wishClaimsKey(memberId);
  const i = await getItem(k.pk, k.sk, consistent);
  return Number(i?.open ?? 0);
}

/**
 * ADD `by` to the member's open claims. With `limit`, the condition `open < limit` makes the
 * limit hold under any concurrency (the claim and this update are one transaction).
 */
function claimsCounterUpdate(memberId: string, by: 1 | -1, limit?: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: wishClaimsKey(memberId),
      UpdateExpression: 'SET #type = :type, memberId = :m ADD #open :by',
      ...(limit !== undefined ? { ConditionExpression: 'attribute_not_exists(#open) OR #open < :limit' } : {}),
      ExpressionAttributeNames: { '#type': 'type', '#open': 'open' },
      ExpressionAttributeValues: {
        ':type': 'wish-claims',
        ':m': memberId,
        ':by': by,
        ...(limit !== undefined ? { ':limit': limit } : {}),
      },
    },
  };
}

/** The wish changed between the read and the write: re-read it and decide again. */
export const wishChanged = () =>
  new DomainError('CONCURRENT_UPDATE', 'the wish changed meanwhile: read it again and retry', { wishChanged: true });

/** A new wish (version 1) with its WishPosted event and what it counts, in one transaction. */
export async function createWish(w: Wish, event: WishEvent, districtId: string): Promise<void> {
  await transact(
    [
      { Put: { TableName: tableName(), Item: wishItem(w), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName(), Item: eventItem(event, w), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName(), Item: { ...residentWishKey(w), type: 'resident-wish', wishId: w.wishId } } },
      ...countersOf(event, w, districtId, []),
    ],
    () => new DomainError('CONCURRENT_UPDATE', 'that wish already exists', { exists: true }),
  );
}

/** What else a transition changes, besides the wish, its event and what the event counts. */
export interface TransitionEffects {
  /**
   * The member's open claims move by `by`; with `limit`, only while below it (the claim), and
   * `overLimit` says why when it is not.
   */
  readonly claims?: {
    readonly memberId: string;
    readonly by: 1 | -1;
    readonly limit?: number;
    readonly overLimit?: () => DomainError;
  };
  /** A member's completed wish: its service record and the member's hours (counted too). */
  readonly record?: ServiceRecord;
  /** A team's completed wish: a service record for each member who served, and their hours (counted too). */
  readonly records?: readonly ServiceRecord[];
}

/**
 * A transition: the wish becomes `after` if it is still `before` (version and state), its event
 * is appended, and the effects and counters move, all in one transaction. A lost race is a
 * CONCURRENT_UPDATE marked `wishChanged` (re-read and decide again); over the claims limit is the
 * effect's own conflict (CLAIM_LIMIT_REACHED).
 */
export async function commitTransition(
  before: Wish,
  after: Wish,
  event: WishEvent,
  districtId: string,
  effects: TransitionEffects = {},
): Promise<void> {
  if (after.version !== before.version + 1) throw new Error('a transition adds one to the version');
  const { claims, record } = effects;
  const records = [...(record ? [record] : []), ...(effects.records ?? [])];
  const extras: { item: TransactItem; conflict: () => DomainError }[] = [];
  if (claims)
    extras.push({
      item: claimsCounterUpdate(claims.memberId, claims.by, claims.limit),
      conflict: claims.overLimit ?? wishChanged,
    });
  for (const r of records)
    extras.push(
      { item: putRecord(r), conflict: wishChanged },
      { item: addMemberHours(r.memberId, r.hours, 1), conflict: wishChanged },
    );
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
      {
        Put: { TableName: tableName(), Item: eventItem(event, after), ConditionExpression: 'attribute_not_exists(pk)' },
      },
      ...extras.map((e) => e.item),
      ...countersOf(event, after, districtId, records),
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
export async function listWall(
  communityId: string,
  status: WishState,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Wish>> {
  const p = await queryPage({ ...wallQuery(communityId, status), limit, cursor, newestFirst: true });
  return { items: p.items.map((i) => fromItem<Wish>(i)), nextCursor: p.nextCursor };
}

/** The oldest open (published or escalated) wishes of a community, at most `limit`: one Query. */
export async function listOpen(communityId: string, limit: number): Promise<Wish[]> {
  const p = await queryPage({ ...openWishesQuery(communityId), limit, cursor: undefined });
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
    ...districtWishesQuery(status),
    before: q.before,
    limit: q.limit,
    cursor: q.cursor,
    newestFirst: q.newestFirst,
  });
  return { items: page.items.map((i) => fromItem<Wish>(i)), nextCursor: page.nextCursor };
}

/** A wish's events, oldest first. */
export async function listEvents(wishId: string, limit: number, cursor: string | undefined): Promise<Page<WishEvent>> {
  const p = await queryPage({ ...wishEventsQuery(wishId), limit, cursor });
  const event = (i: Item) => fromItem<WishEvent>(i, 'fact');
  return { items: p.items.map(event), nextCursor: p.nextCursor };
}

/** The wishes a resident posted, newest first: one Query of their pointers, one BatchGet of the wishes. */
export async function listResidentWishes(
  residentSub: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Wish>> {
  const page = await queryPage({ ...residentWishesQuery(residentSub), limit, cursor, newestFirst: true });
  const keys = page.items.map((i) => wishKey(String(i.wishId)));
  const found = await batchGet(keys);
  const items = keys.flatMap((k) => {
    const i = found.get(`${k.pk}|${k.sk}`);
    return i ? [fromItem<Wish>(i)] : [];
  });
  return { items, nextCursor: page.nextCursor };
}

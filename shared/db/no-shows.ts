import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Signup } from '../domain/activity.ts';
import type { NoShow } from '../domain/no-shows.ts';
import type { Team } from '../domain/team.ts';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import {
  activitySignupsQuery,
  memberNoShowsQuery,
  noShowCountKey,
  noShowKey,
  noShowKeys,
  noShowReviewKey,
  noShowReviewsQuery,
  teamKey,
} from './keys.ts';
import { fromItem, getEach, getItem, queryAll, queryPage, transact } from './table.ts';

/**
 * No-shows (shared/domain/no-shows.ts), written by the ledger consumer when a close lands and
 * changed only by a contest and its decision:
 *   no-show   pk RECORD_OF#<memberId>  sk NOSHOW#<activityId>   gsi1 MEMBER#<memberId>#NOSHOWS#<YYYY> / <closedAt>#<activityId>
 *   count     pk RECORD_OF#<memberId>  sk NOSHOWS#<YYYY>        { count, version }  (unexcused ones)
 *   review    pk COMMUNITY#<cid>       sk NOSHOW_REVIEW#<YYYY>#<memberId>   (opened once a year at the threshold)
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The count changed meanwhile, or the no-show exists already: read again. */
export class NoShowRaced extends Error {}

export async function getNoShowCount(memberId: string, year: string): Promise<{ count: number; version: number }> {
  const k = noShowCountKey(memberId, year);
  const i = await getItem(k.pk, k.sk, true);
  return { count: Number(i?.count ?? 0), version: Number(i?.version ?? 0) };
}

const countUpdate = (memberId: string, year: string, before: { count: number; version: number }, by: number) => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...noShowCountKey(memberId, year),
      type: 'no-show-count',
      memberId,
      year,
      count: before.count + by,
      version: before.version + 1,
    },
    ...(before.version === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': before.version } }),
  },
});

/**
 * Records a no-show once (a second delivery finds it and writes nothing: false), adds it to the
 * year's count, and opens the community's review when `review` says so.
 */
export async function recordNoShow(
  n: NoShow,
  before: { count: number; version: number },
  review: boolean,
): Promise<boolean> {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...noShowKeys(n), type: 'no-show', ...n },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    countUpdate(n.memberId, n.year, before, 1),
  ];
  if (review)
    items.push({
      Put: {
        TableName: tableName(),
        Item: {
          ...noShowReviewKey(n.communityId, n.year, n.memberId),
          type: 'no-show-review',
          communityId: n.communityId,
          memberId: n.memberId,
          memberName: n.memberName,
          year: n.year,
          count: before.count + 1,
          openedAt: n.closedAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  try {
    await transact(items, (failed) => (failed.includes(0) ? new NoShowExists() : new NoShowRaced()));
    return true;
  } catch (err) {
    if (err instanceof NoShowExists) return false;
    throw err;
  }
}
class NoShowExists extends Error {}

export async function getNoShow(memberId: string, activityId: string): Promise<NoShow | undefined> {
  const k = noShowKey(memberId, activityId);
  const i = await getItem(k.pk, k.sk, true);
  return i && fromItem<NoShow>(i);
}

/** A no-show and a team (the caller's: do they lead the activity's?), in one round trip. */
export async function noShowContext(
  memberId: string,
  activityId: string,
  teamId: string | undefined,
): Promise<{ noShow?: NoShow; team?: Team }> {
  const [n, t] = await getEach([noShowKey(memberId, activityId), teamId ? teamKey(teamId) : undefined], true);
  return { ...(n ? { noShow: fromItem<NoShow>(n) } : {}), ...(t ? { team: fromItem<Team>(t) } : {}) };
}

/** A no-show and the year's count, in one round trip. */
export async function noShowAndCount(
  memberId: string,
  activityId: string,
  year?: string,
): Promise<{ noShow?: NoShow; count: { count: number; version: number } }> {
  const [n, c] = await getEach(
    [noShowKey(memberId, activityId), year ? noShowCountKey(memberId, year) : undefined],
    true,
  );
  return {
    ...(n ? { noShow: fromItem<NoShow>(n) } : {}),
    count: { count: Number(c?.count ?? 0), version: Number(c?.version ?? 0) },
  };
}

/** Moves a no-show from `from` to its next state (condition: still `from`); the count moves by `countBy`. */
export async function changeNoShow(
  n: NoShow,
  from: NoShow['status'],
  fields: Partial<NoShow>,
  count?: { before: { count: number; version: number }; by: number },
): Promise<NoShow> {
  const after = { ...n, ...fields };
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...noShowKeys(after), type: 'no-show', ...after },
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':from': from },
      },
    },
  ];
  if (count) items.push(countUpdate(n.memberId, n.year, count.before, count.by));
  await transact(items, () => new NoShowRaced());
  return after;
}

export async function listNoShows(memberId: string, year: string): Promise<NoShow[]> {
  const items = await queryAll({ ...memberNoShowsQuery(memberId, year), newestFirst: true });
  return items.map((i) => fromItem<NoShow>(i));
}

export interface NoShowReview {
  readonly communityId: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly year: string;
  readonly count: number;
  readonly openedAt: string;
}

export async function listNoShowReviews(
  communityId: string,
  year: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<NoShowReview>> {
  const p = await queryPage({ ...noShowReviewsQuery(communityId, year), limit, cursor });
  return { items: p.items.map((i) => fromItem<NoShowReview>(i)), nextCursor: p.nextCursor };
}

/** Every sign-up of an activity (strongly consistent): whom its close found absent. */
export async function signupsOf(activityId: string): Promise<Signup[]> {
  const items = await queryAll({ ...activitySignupsQuery(activityId), consistent: true });
  return items.map((i) => fromItem<Signup>(i));
}

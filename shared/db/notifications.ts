import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Channel, Notice, Preferences, SubjectState } from '../domain/notices.ts';
import { db, tableName } from './client.ts';
import type { Page } from './cursor.ts';
import {
  activityKey,
  deliveryKey,
  heldPushesQuery,
  heldPushKey,
  heldPushKeys,
  inboxItemKey,
  inboxItemKeys,
  inboxQuery,
  memberKey,
  outboxKey,
  preferencesKey,
  signupKey,
} from './keys.ts';
import { getEach, getItem, queryPage, type Item } from './table.ts';

/**
 * Notifications (shared/domain/notices.ts):
 *   outbox entry   pk NOTICE#<dedupeKey>  sk OUTBOX           (put in the transaction of the change it announces;
 *                                                             the table's stream delivers its INSERT to the notifier)
 *   delivery       pk NOTICE#<dedupeKey>  sk SENT#<channel>   (conditional Put before a push: at most once)
 *   held push      pk NOTICE#<dedupeKey>  sk HELD#<channel>   gsi1 HELD_PUSHES / <dueAt>#<dedupeKey>#<channel>
 *   inbox notice   pk INBOX#<recipientId> sk NOTICE#<noticeId> gsi1 INBOX#<recipientId> / <createdAt>#<noticeId>
 *   preferences    pk INBOX#<recipientId> sk PREFERENCES
 * Outbox entries, deliveries and held pushes expire after 30 days (TTL); inbox notices after a year.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const DAY_S = 86_400;
const expiry = (at: string, days: number) => Math.floor(Date.parse(at) / 1000) + days * DAY_S;

/** The outbox entry's Put, for the transaction of the change it announces (a repeat overwrites it: no new INSERT). */
export function outboxPut(n: Notice): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...outboxKey(n.dedupeKey), type: 'outbox', notice: n, expiresAt: expiry(n.createdAt, 30) },
    },
  };
}

/**
 * Outbox entries outside a transaction (reminders, a fan-out's notices): one PutItem each, 10 at a
 * time (the functions hold no BatchWriteItem grant). A repeat overwrites the same item: a MODIFY,
 * which the notifier's stream filter leaves out, so nothing is announced twice.
 */
export async function putOutboxEntries(notices: readonly Notice[]): Promise<void> {
  for (let i = 0; i < notices.length; i += 10)
    await Promise.all(
      notices
        .slice(i, i + 10)
        .map((n) => db().send(new PutCommand({ TableName: tableName(), Item: outboxPut(n).Put!.Item as Item }))),
    );
}

/** The notice an outbox item (a stream image) holds. */
export const noticeOf = (i: Item): Notice => i.notice as Notice;

export async function getOutbox(dedupeKey: string): Promise<Notice | undefined> {
  const k = outboxKey(dedupeKey);
  const i = await getItem(k.pk, k.sk, true);
  return i && noticeOf(i);
}

async function putUnlessThere(item: Item): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Claims the one delivery of a notice on a channel; false when it was claimed before (a retry, a repeat). */
export async function claimDelivery(dedupeKey: string, channel: Channel, at: string): Promise<boolean> {
  return putUnlessThere({
    ...deliveryKey(dedupeKey, channel),
    type: 'delivery',
    channel,
    at,
    expiresAt: expiry(at, 30),
  });
}

/** Marks a claimed delivery's outcome. */
export async function settleDelivery(dedupeKey: string, channel: Channel, outcome: 'sent' | 'undeliverable') {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: deliveryKey(dedupeKey, channel),
      UpdateExpression: 'SET outcome = :o',
      ExpressionAttributeValues: { ':o': outcome },
    }),
  );
}

/** Gives a claim back when the channel said for certain that it sent nothing (the retry may send). */
export async function releaseDelivery(dedupeKey: string, channel: Channel): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: deliveryKey(dedupeKey, channel) }));
}

export interface InboxNotice {
  readonly noticeId: string;
  readonly type: string;
  readonly title: string;
  readonly body: string;
  readonly data: Readonly<Record<string, string | number>>;
  readonly createdAt: string;
  readonly readAt?: string;
}

const inboxNoticeOf = (i: Item): InboxNotice => ({
  ...(i.notice as InboxNotice),
  ...(typeof i.readAt === 'string' ? { readAt: i.readAt } : {}),
});

/** Puts a notice in a person's inbox; false when it is there already (at most once per notice). */
export async function putInbox(recipientId: string, n: InboxNotice): Promise<boolean> {
  return putUnlessThere({
    ...inboxItemKeys(recipientId, n.noticeId, n.createdAt),
    type: 'inbox',
    notice: n,
    expiresAt: expiry(n.createdAt, 365),
  });
}

export async function listInbox(
  recipientId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<InboxNotice>> {
  const page = await queryPage({ ...inboxQuery(recipientId), limit, cursor, newestFirst: true });
  return { items: page.items.map(inboxNoticeOf), nextCursor: page.nextCursor };
}

/** Marks a notice read (the first reading stays); undefined when the person has no such notice. */
export async function markRead(recipientId: string, noticeId: string, at: string): Promise<InboxNotice | undefined> {
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: inboxItemKey(recipientId, noticeId),
        UpdateExpression: 'SET readAt = if_not_exists(readAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes && inboxNoticeOf(out.Attributes);
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
}

export async function getPreferences(recipientId: string): Promise<Preferences> {
  const k = preferencesKey(recipientId);
  const i = await getItem(k.pk, k.sk);
  return (i?.preferences as Preferences | undefined) ?? {};
}

export async function putPreferences(recipientId: string, preferences: Preferences, at: string): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...preferencesKey(recipientId), type: 'preferences', preferences, updatedAt: at },
    }),
  );
}

/**
 * What a notice's re-check reads, in one round trip (strongly consistent): the activity, and the
 * member's sign-up when asked; and the member's profile when a push needs an address.
 */
export async function readSubject(
  activityId: string | undefined,
  signupOf: string | undefined,
  profileOf: string | undefined,
): Promise<{ state: SubjectState; profile?: { phone?: string; wechatOpenId?: string } }> {
  const [a, s, p] = await getEach(
    [
      activityId ? activityKey(activityId) : undefined,
      activityId && signupOf ? signupKey(activityId, signupOf) : undefined,
      profileOf ? memberKey(profileOf) : undefined,
    ],
    true,
  );
  return {
    state: {
      ...(a ? { activity: { status: String(a.status), startsAt: String(a.startsAt), title: String(a.title) } } : {}),
      ...(s ? { signup: { status: String(s.status), ticket: Number(s.ticket) } } : {}),
    },
    ...(p
      ? {
          profile: {
            ...(typeof p.phone === 'string' ? { phone: p.phone } : {}),
            ...(typeof p.wechatOpenId === 'string' ? { wechatOpenId: p.wechatOpenId } : {}),
          },
        }
      : {}),
  };
}

/** Holds a push until quiet hours end (the reminders job sends it then). */
export async function holdPush(n: Notice, channel: Channel, dueAt: string): Promise<void> {
  await putUnlessThere({
    ...heldPushKeys(n.dedupeKey, channel, dueAt),
    type: 'held-push',
    channel,
    dueAt,
    notice: n,
    expiresAt: expiry(dueAt, 30),
  });
}

/** Pushes whose quiet hours are over (a page, oldest first). */
export async function duePushes(now: string, limit: number): Promise<{ notice: Notice; channel: Channel }[]> {
  const page = await queryPage({ ...heldPushesQuery(), before: `${now}~`, limit, cursor: undefined });
  return page.items.map((i) => ({ notice: i.notice as Notice, channel: i.channel as Channel }));
}

export async function dropHeld(dedupeKey: string, channel: Channel): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: heldPushKey(dedupeKey, channel) }));
}

import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import { pendingNoticeKeys, recipientOutboxQuery } from './keys.ts';
import { fromItem, queryPage } from './table.ts';
import { putIfAbsent } from './writes.ts';

/**
 * Stations' and training's notices (a closure's cancelled bookings, expiring qualifications), in
 * the interim outbox they were built with before the notifier (shared/db/notifications.ts) landed:
 * the notifier does not read these yet; moving them to notice types in shared/domain/notices.ts
 * is open (README, Notifications). one item per notice, written in the SAME transaction as the change it announces, keyed
 * by its dedupe key, so a notice is written at most once however often the change is retried.
 *   pk OUTBOX#<dedupeKey>  sk OUTBOX  { dedupeKey, type, recipient, payload, createdAt, status }
 *   gsi1 OUTBOX-PENDING / <createdAt>#<dedupeKey>       (the notifier's queue, oldest first)
 *   gsi2 NOTICES#<recipient> / <createdAt>#<dedupeKey>   (a recipient's notices)
 * `recipient` is `member#<memberId>` or `team#<teamId>` (a team's notice goes to its leader).
 * The payload holds ids, times and names of places, never personal data.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface Notice {
  readonly dedupeKey: string;
  readonly noticeType: 'BookingCancelledByClosure' | 'QualificationExpiring';
  readonly recipient: string;
  readonly payload: Readonly<Record<string, string | number>>;
  readonly createdAt: string;
}

/** The Put of a notice for a transaction: only if no notice with its dedupe key exists. */
export function outboxPut(n: Notice): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...pendingNoticeKeys(n), type: 'outbox', status: 'pending', ...n },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** A recipient's notices by time (tests, and the inbox issue 12 adds). */
export async function noticesOf(recipient: string, limit: number, cursor?: string): Promise<Page<Notice>> {
  const page = await queryPage({ ...recipientOutboxQuery(recipient), limit, cursor });
  return {
    items: page.items.map((i) => fromItem<Notice>(i, 'status')),
    nextCursor: page.nextCursor,
  };
}

/** Puts a notice on its own (a job's reminder): false when its dedupe key was written already. */
export async function putNotice(n: Notice): Promise<boolean> {
  return putIfAbsent({ ...pendingNoticeKeys(n), type: 'outbox', status: 'pending', ...n });
}

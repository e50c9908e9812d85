import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { TABLE } from '../config/table.ts';
import { db, tableName } from './client.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';

/** Small, typed helpers over the document client. Entity files build keys; these run them. */

export type Item = Record<string, unknown>;

export async function getItem(pk: string, sk: string, consistent = false): Promise<Item | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: { pk, sk }, ConsistentRead: consistent }));
  return out.Item;
}

export interface PageQuery {
  /** Omit for the table's primary key. */
  readonly index?: 'gsi1' | 'gsi2';
  readonly partition: string;
  readonly beginsWith?: string;
  /** sort key strictly below this (used with newest-first lists and cut-offs) */
  readonly before?: string;
  readonly limit: number;
  readonly cursor: string | undefined;
  readonly newestFirst?: boolean;
  readonly consistent?: boolean;
}

function keyAttrs(index: PageQuery['index']): { pk: string; sk: string; all: string[] } {
  if (!index) return { pk: TABLE.partitionKey, sk: TABLE.sortKey, all: [TABLE.partitionKey, TABLE.sortKey] };
  const def = TABLE.indexes.find((i) => i.name === index)!;
  return {
    pk: def.partitionKey,
    sk: def.sortKey,
    all: [...new Set([TABLE.partitionKey, TABLE.sortKey, def.partitionKey, def.sortKey])],
  };
}

/** One Query, one page: never a Scan. */
export async function queryPage(q: PageQuery): Promise<Page<Item>> {
  const attrs = keyAttrs(q.index);
  const start = decodeCursor(q.cursor, { partition: { [attrs.pk]: q.partition }, keyAttributes: attrs.all });
  const names: Record<string, string> = { '#pk': attrs.pk };
  const values: Record<string, unknown> = { ':pk': q.partition };
  let cond = '#pk = :pk';
  if (q.beginsWith !== undefined) {
    names['#sk'] = attrs.sk;
    values[':prefix'] = q.beginsWith;
    cond += ' AND begins_with(#sk, :prefix)';
  } else if (q.before !== undefined) {
    names['#sk'] = attrs.sk;
    values[':before'] = q.before;
    cond += ' AND #sk < :before';
  }
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: q.index,
      KeyConditionExpression: cond,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: q.limit,
      ExclusiveStartKey: start,
      ScanIndexForward: !q.newestFirst,
      ConsistentRead: q.index ? undefined : q.consistent,
    }),
  );
  return { items: out.Items ?? [], nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/**
 * Runs a transaction. When it is cancelled by a failed condition, `onConflict` receives the
 * index of each failed item so the caller can say which rule was broken (409, never 500).
 */
export async function transact(
  items: NonNullable<TransactWriteCommandInput['TransactItems']>,
  onConflict: (failedIndexes: number[], reasons: (string | undefined)[]) => DomainError,
  idempotencyToken?: string,
): Promise<void> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: idempotencyToken }));
  } catch (err) {
    if (err instanceof TransactionCanceledException) {
      const reasons = (err.CancellationReasons ?? []).map((r) => r.Code);
      const failed = reasons.flatMap((c, i) => (c === 'ConditionalCheckFailed' ? [i] : []));
      if (failed.length > 0) throw onConflict(failed, reasons);
      if (reasons.includes('TransactionConflict'))
        throw new DomainError('CONCURRENT_UPDATE', 'another change to the same items happened at the same time');
    }
    throw err;
  }
}

export function toItemWithoutKeys<T>(item: Item): T {
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, expiresAt, ...rest } = item;
  void pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, expiresAt;
  return rest as T;
}

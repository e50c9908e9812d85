import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type BatchGetCommandOutput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { needAtColdStart, TABLE_VARIABLES } from '../config/env.ts';
import { TABLE, type IndexName } from '../config/table.ts';
import { db, tableName } from './client.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import { KeyUsed, keyCompletion, usedKeyOf } from './idempotency.ts';

// A function that imports this uses the district's table: in Lambda it does not start without it.
needAtColdStart(TABLE_VARIABLES.district);

/** Small, typed helpers over the document client. shared/db/keys.ts builds keys; these run them. */

import type { Item } from './items.ts';

export type { Item } from './items.ts';
export { fromItem } from './items.ts';
export type Key = { pk: string; sk: string };
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export async function getItem(pk: string, sk: string, consistent = false): Promise<Item | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: { pk, sk }, ConsistentRead: consistent }));
  return out.Item;
}

export interface PageQuery {
  /** Omit for the table's primary key. */
  readonly index?: IndexName;
  readonly partition: string;
  /** At most one sort-key condition. */
  readonly beginsWith?: string;
  /** Sort key strictly below this (cut-offs). */
  readonly before?: string;
  /** Sort key within [from, to]. */
  readonly between?: { readonly from: string; readonly to: string };
  /** Omit for DynamoDB's own page size (1 MB). */
  readonly limit?: number;
  readonly cursor: string | undefined;
  readonly newestFirst?: boolean;
  /** Strongly consistent (table only; GSIs are always eventually consistent). */
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

/**
 * One Query, one page: never a Scan. The cursor must come from the same list: its partition, its
 * key attributes, and a sort key inside this query's sort-key condition (DynamoDB would fail the
 * query otherwise), else 400 BAD_CURSOR.
 */
export async function queryPage(q: PageQuery): Promise<Page<Item>> {
  const attrs = keyAttrs(q.index);
  const start = decodeCursor(q.cursor, { partition: { [attrs.pk]: q.partition }, keyAttributes: attrs.all });
  const names: Record<string, string> = { '#pk': attrs.pk };
  const values: Record<string, unknown> = { ':pk': q.partition };
  let cond = '#pk = :pk';
  const startSk = start?.[attrs.sk];
  const outside = (ok: boolean) => {
    if (startSk !== undefined && !ok)
      throw new DomainError('BAD_CURSOR', 'pass back the nextCursor of the same list, unchanged');
  };
  if (q.beginsWith !== undefined) {
    names['#sk'] = attrs.sk;
    values[':prefix'] = q.beginsWith;
    cond += ' AND begins_with(#sk, :prefix)';
    outside(startSk?.startsWith(q.beginsWith) ?? true);
  } else if (q.before !== undefined) {
    names['#sk'] = attrs.sk;
    values[':before'] = q.before;
    cond += ' AND #sk < :before';
    outside(startSk === undefined || startSk < q.before);
  } else if (q.between !== undefined) {
    names['#sk'] = attrs.sk;
    values[':from'] = q.between.from;
    values[':to'] = q.between.to;
    cond += ' AND #sk BETWEEN :from AND :to';
    outside(startSk === undefined || (startSk >= q.between.from && startSk <= q.between.to));
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

/** Every item of a bounded list, page after page (callers keep the list small by design). */
export async function queryAll(q: Omit<PageQuery, 'cursor' | 'limit'>): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({ ...q, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * BatchGetItem of any number of keys (100 a call, unprocessed keys retried with backoff); the
 * found items by `pk|sk`.
 */
export async function batchGet(
  keys: readonly Key[],
  projection?: string[],
  consistent = false,
): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const unique = [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
  const names = projection ? Object.fromEntries(projection.map((p, i) => [`#p${i}`, p])) : undefined;
  for (let i = 0; i < unique.length; i += 100) {
    let batch: Record<string, unknown>[] | undefined = unique.slice(i, i + 100);
    for (let attempt = 0; batch && batch.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      if (attempt > 8) throw new DomainError('UNAVAILABLE', 'the table is too busy: retry');
      const out: BatchGetCommandOutput = await db().send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: {
              Keys: batch,
              ...(consistent ? { ConsistentRead: true } : {}),
              ...(names
                ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names }
                : {}),
            },
          },
        }),
      );
      for (const item of out.Responses?.[tableName()] ?? []) found.set(`${item.pk}|${item.sk}`, item);
      batch = out.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return found;
}

/** Items by key in one BatchGetItem (several for over 100 keys): each key's item, or undefined, in order. */
export async function getEach(keys: readonly (Key | undefined)[], consistent = false): Promise<(Item | undefined)[]> {
  const found = await batchGet(
    keys.filter((k): k is Key => k !== undefined),
    undefined,
    consistent,
  );
  return keys.map((k) => (k ? found.get(`${k.pk}|${k.sk}`) : undefined));
}

/**
 * Runs a transaction. When it is cancelled by a failed condition, `onConflict` receives the
 * index of each failed item so the caller can say which rule was broken (409, never 500).
 * Transaction conflicts are retried by the client (shared/db/client.ts); one that outlasts the
 * retries is CONCURRENT_UPDATE. In a request with an Idempotency-Key, the transaction also
 * completes the key (shared/db/idempotency.ts): when the key was used already, it throws KeyUsed
 * with the stored response, and nothing is written.
 */
export async function transact(
  items: NonNullable<TransactWriteCommandInput['TransactItems']>,
  onConflict: (failedIndexes: number[], reasons: (string | undefined)[], old: (Item | undefined)[]) => Error,
  idempotencyToken?: string,
): Promise<void> {
  const completion = keyCompletion();
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: completion ? [...items, completion.item] : items,
        ClientRequestToken: idempotencyToken,
      }),
    );
    completion?.onCommitted();
  } catch (err) {
    if (err instanceof TransactionCanceledException) {
      const all = err.CancellationReasons ?? [];
      const key = completion && all[items.length];
      if (key?.Code === 'ConditionalCheckFailed') {
        const used = usedKeyOf(key.Item as Record<string, { S?: string }> | undefined);
        if (used) throw new KeyUsed(used);
      }
      const reasons = all.slice(0, items.length).map((r) => r.Code);
      const failed = reasons.flatMap((c, i) => (c === 'ConditionalCheckFailed' ? [i] : []));
      // The items as they are, where an item asked for them (ReturnValuesOnConditionCheckFailure).
      const old = all.slice(0, items.length).map((r) => (r.Item ? (unmarshall(r.Item) as Item) : undefined));
      if (failed.length > 0) throw onConflict(failed, reasons, old);
      if (reasons.includes('TransactionConflict') || all[items.length]?.Code === 'TransactionConflict')
        throw new DomainError('CONCURRENT_UPDATE', 'another change to the same items happened at the same time');
    }
    throw err;
  }
}

/**
 * An Update for a transaction that decides a pending item (condition: its status is still
 * `pending`): the status becomes `status`, the item moves to `list` (its partition of the list
 * that status puts it on), and `fields` are set (undefined ones are left out).
 */
export function decidePending(
  key: Key,
  status: string,
  list: { readonly index?: IndexName; readonly partition: string },
  fields: Readonly<Record<string, unknown>>,
): TransactItem {
  const names: Record<string, string> = { '#status': 'status', '#list': `${list.index}pk` };
  const values: Record<string, unknown> = { ':pending': 'pending', ':status': status, ':list': list.partition };
  const sets = ['#status = :status', '#list = :list'];
  Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .forEach(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:f${i}`] = v;
      sets.push(`#f${i} = :f${i}`);
    });
  return {
    Update: {
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { GetCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { nowMs } from '../domain/clock.ts';
import { db, tableName } from './client.ts';
import { idempotencyKey } from './keys.ts';

/**
 * Idempotency records: one item per (caller, Idempotency-Key), kept 24 hours (TTL).
 *   pk = IDEMP#<sub>#<key>, sk = IDEMP   { requestHash, response, expiresAt }
 *
 * The record is written by the request's business transaction itself, never before or after it:
 * the route says what it will answer (`committing(answer, write)`) before its one write, and
 * `transact` (shared/db/table.ts) adds to that transaction the record, holding the response, under
 * the condition that the key is unused (or expired). So the work and the key's completion are one
 * atomic step: no crash, lost response or dead database can leave one without the other, and no
 * record is ever "in progress". A retry with the key finds it used: its transaction is cancelled
 * (nothing written) and carries the record back (ReturnValuesOnConditionCheckFailure), which is
 * replayed, or refused when the body differs. A concurrent retry races the first attempt: exactly
 * one commits, the other replays the winner's response.
 */
const TTL_SECONDS = 24 * 3600;

export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The record of a used key. */
export interface UsedKey {
  readonly requestHash: string;
  readonly response: StoredResponse;
}

/** Thrown by a write whose key was used already (by this request's first attempt, or another request). */
export class KeyUsed extends Error {
  override readonly name = 'KeyUsed';
  constructor(readonly used: UsedKey) {
    super('the Idempotency-Key was used already');
  }
}

/** An idempotent request in progress in this invocation. */
interface Scope {
  readonly sub: string;
  readonly key: string;
  readonly requestHash: string;
  /** Turns the route's answer into the stored response (the HTTP layer's rendering). */
  readonly render: (answer: unknown) => StoredResponse;
  answer?: { value: unknown };
  committed?: StoredResponse;
}

const scopes = new AsyncLocalStorage<Scope>();

/** Runs `fn` as the idempotent request (sub, key, hash): its one write will complete the key. */
export function idempotentScope<T>(
  s: { sub: string; key: string; requestHash: string; render: (answer: unknown) => StoredResponse },
  fn: () => Promise<T>,
): Promise<T> {
  return scopes.run({ ...s }, fn);
}

/** The response the request's write stored with its key, once it committed. */
export function committedResponse(): StoredResponse | undefined {
  return scopes.getStore()?.committed;
}

/**
 * `write` is the route's one write, and `answer` what the route answers once it is done: under an
 * Idempotency-Key the write's transaction also stores that answer with the key. Returns `answer`.
 */
export async function committing<T>(answer: T, write: () => Promise<unknown>): Promise<T> {
  const s = scopes.getStore();
  if (s && !s.committed) s.answer = { value: answer };
  await write();
  return answer;
}

/** Whether the running request's next write must carry its key (an idempotent request, not yet committed). */
export function keyPending(): boolean {
  const s = scopes.getStore();
  return s !== undefined && s.committed === undefined;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The item that completes the running request's key in its transaction, with `onCommitted` to
 * call once that transaction succeeded; undefined outside an idempotent request (or after its write).
 */
export function keyCompletion(): { item: TransactItem; onCommitted: () => void } | undefined {
  const s = scopes.getStore();
  if (!s || s.committed) return undefined;
  if (!s.answer)
    throw new Error('an idempotent route wrote without committing(answer, write): its replay would not be known');
  const response = s.render(s.answer.value);
  const now = nowMs();
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: {
          ...idempotencyKey(s.sub, s.key),
          type: 'idempotency',
          requestHash: s.requestHash,
          response: JSON.stringify(response),
          expiresAt: Math.floor(now / 1000) + TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSec',
        ExpressionAttributeValues: { ':nowSec': Math.floor(now / 1000) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onCommitted: () => {
      s.committed = response;
    },
  };
}

/** A used key's record from a cancellation reason's item (low-level attribute values). */
export function usedKeyOf(item: Record<string, { S?: string }> | undefined): UsedKey | undefined {
  if (!item?.requestHash?.S || !item.response?.S) return undefined;
  return { requestHash: item.requestHash.S, response: JSON.parse(item.response.S) as StoredResponse };
}

/** The record of a key, if it was used and has not expired (strongly consistent). */
export async function readKey(sub: string, key: string): Promise<UsedKey | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: idempotencyKey(sub, key), ConsistentRead: true }),
  );
  const i = out.Item;
  if (!i || Number(i.expiresAt) < Math.floor(nowMs() / 1000) || typeof i.response !== 'string') return undefined;
  return { requestHash: String(i.requestHash), response: JSON.parse(i.response) as StoredResponse };
}

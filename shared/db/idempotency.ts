import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { nowMs } from '../domain/clock.ts';
import { db, tableName } from './client.ts';
import { idempotencyKey } from './keys.ts';

/**
 * Idempotency records: one item per (caller, Idempotency-Key), kept 24 hours (TTL).
 *   pk = IDEMP#<sub>#<key>, sk = IDEMP
 * `begin` claims the key atomically; a concurrent or later request with the same key finds the
 * record and either replays its stored response, waits its turn (409), or is refused (422: other body).
 */
const TTL_SECONDS = 24 * 3600;
/** A request that has not completed within this time is presumed dead (the Lambda timeout is below it). */
const LOCK_MS = 60_000;

export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type BeginOutcome =
  | { kind: 'started' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

export async function beginIdempotent(sub: string, key: string, requestHash: string): Promise<BeginOutcome> {
  const now = nowMs();
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...idempotencyKey(sub, key),
          requestHash,
          state: 'in_progress',
          lockedUntil: now + LOCK_MS,
          expiresAt: Math.floor(now / 1000) + TTL_SECONDS,
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR expiresAt < :nowSec OR (#state = :inProgress AND lockedUntil < :now AND requestHash = :hash)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':nowSec': Math.floor(now / 1000),
          ':now': now,
          ':inProgress': 'in_progress',
          ':hash': requestHash,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'started' };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const old = (err.Item ?? {}) as Record<string, { S?: string; N?: string }>;
    if (old.requestHash?.S !== requestHash) return { kind: 'mismatch' };
    if (old.state?.S === 'completed' && old.response?.S)
      return { kind: 'replay', response: JSON.parse(old.response.S) as StoredResponse };
    return { kind: 'in-progress' };
  }
}

export async function completeIdempotent(sub: string, key: string, response: StoredResponse): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: idempotencyKey(sub, key),
      UpdateExpression: 'SET #state = :completed, #response = :response REMOVE lockedUntil',
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: { ':completed': 'completed', ':response': JSON.stringify(response) },
    }),
  );
}

export async function releaseIdempotent(sub: string, key: string): Promise<void> {
  try {
    await db().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: idempotencyKey(sub, key),
        ConditionExpression: '#state = :inProgress',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':inProgress': 'in_progress' },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}

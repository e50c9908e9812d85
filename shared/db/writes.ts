import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { db, tableName } from './client.ts';
import { keyPending } from './idempotency.ts';
import { transact, type Item } from './table.ts';

/** Puts an item that must not exist yet (ids are fresh, so a clash is a bug, reported as 409). */
export async function putNew(item: Item): Promise<void> {
  if (!(await putIfAbsent(item))) throw new DomainError('CONCURRENT_UPDATE', 'that item already exists');
}

/**
 * Puts an item unless it exists; true when written (seeding, replays). Under an Idempotency-Key
 * it is a transaction that also completes the key (shared/db/idempotency.ts).
 */
export async function putIfAbsent(item: Item): Promise<boolean> {
  if (keyPending()) {
    const exists = new DomainError('CONCURRENT_UPDATE', 'that item already exists', { exists: true });
    try {
      await transact(
        [{ Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }],
        () => exists,
      );
      return true;
    } catch (err) {
      if (err === exists) return false;
      throw err;
    }
  }
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

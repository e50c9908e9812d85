import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  COUNTED_FACTS,
  counterChanges,
  factMonth,
  type CountedFact,
  type FactShapes,
  type ScopeRef,
} from '../domain/counters.ts';
import { tableName } from './client.ts';
import { COUNTER_SHARDS, counterKeys, factKeys } from './keys.ts';

/**
 * Live statistics counters, a few items (shards) per scope and month, updated in the same
 * transaction as the facts they count (never by a later job); a scope's figures are the sum of its shards:
 *   pk STATS#<scope>#<id>   sk MONTH#<YYYY-MM>#<shard>   gsi1 STATS#<YYYY-MM>#<parentScope>#<parentId> / <scope>#<id>#<shard>
 * The gsi1 keys list a parent's children for one month (a district's streets, a street's
 * communities...), for the statistics read side and the monthly rollup.
 * What each fact counts, where and when, is the table in shared/domain/counters.ts: a write path
 * passes its facts to `counterUpdates` and puts `factIndexKeys` on the fact's item, so that
 * verify-counters finds it and rebuilds the same counters.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * An Update for a transaction: ADD each increment to the scope's counters of `month`, on one of its
 * shards (COUNTER_SHARDS), at random: concurrent writes to the same scope rarely meet.
 */
export function counterUpdate(
  ref: ScopeRef,
  month: string,
  increments: Readonly<Record<string, number>>,
  shard = Math.floor(Math.random() * COUNTER_SHARDS[ref.scope]),
): TransactItem {
  const { pk, sk, gsi1pk, gsi1sk } = counterKeys(ref, month, shard);
  const names: Record<string, string> = {
    '#scope': 'scope',
    '#id': 'scopeId',
    '#month': 'month',
    '#g1pk': 'gsi1pk',
    '#g1sk': 'gsi1sk',
  };
  const values: Record<string, unknown> = {
    ':scope': ref.scope,
    ':id': ref.id,
    ':month': month,
    ':g1pk': gsi1pk,
    ':g1sk': gsi1sk,
  };
  const adds: string[] = [];
  Object.entries(increments).forEach(([name, by], i) => {
    if (!/^[a-zA-Z]+$/.test(name)) throw new Error(`bad counter name ${name}`);
    names[`#c${i}`] = name;
    values[`:c${i}`] = by;
    adds.push(`#c${i} :c${i}`);
  });
  return {
    Update: {
      TableName: tableName(),
      Key: { pk, sk },
      UpdateExpression: `SET #scope = :scope, #id = :id, #month = :month, #g1pk = :g1pk, #g1sk = :g1sk ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The counter Updates of facts written in one transaction: one per counter item, as the table says. */
export function counterUpdates<F extends object = FactShapes>(
  facts: readonly CountedFact<F>[],
  districtId: string,
  table: object = COUNTED_FACTS,
): TransactItem[] {
  return counterChanges(facts, districtId, table).map((c) => counterUpdate(c.ref, c.month, c.increments));
}

/** The index keys that make an item findable as `f`, in the month it counts in; its sort key joins `sort`. */
export function factIndexKeys(f: CountedFact, ...sort: string[]): Record<string, string> {
  return factKeys(f.kind, factMonth(f), ...sort);
}

import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { tableName } from './client.ts';

/**
 * Live statistics counters, one item per scope and month, updated in the same transaction as
 * the data they count (never by a later job):
 *   pk STATS#<scope>#<id>   sk MONTH#<YYYY-MM>   gsi1 STATS#<YYYY-MM>#<parentScope>#<parentId> / <scope>#<id>
 * The gsi1 keys list a parent's children for one month (a district's streets, a street's
 * communities...), for the statistics read side and the monthly rollup.
 */
export type Scope = 'district' | 'street' | 'community' | 'grid' | 'team';

export interface ScopeRef {
  readonly scope: Scope;
  readonly id: string;
  readonly parent: { readonly scope: Scope | 'city'; readonly id: string };
}

export const counterKey = (scope: Scope, id: string, month: string) => ({ pk: `STATS#${scope}#${id}`, sk: `MONTH#${month}` });

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An Update for a transaction: ADD each increment to the scope's counters of `month`. */
export function counterUpdate(ref: ScopeRef, month: string, increments: Readonly<Record<string, number>>): TransactItem {
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
    ':g1pk': `STATS#${month}#${ref.parent.scope}#${ref.parent.id}`,
    ':g1sk': `${ref.scope}#${ref.id}`,
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
      Key: counterKey(ref.scope, ref.id, month),
      UpdateExpression: `SET #scope = :scope, #id = :id, #month = :month, #g1pk = :g1pk, #g1sk = :g1sk ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The scopes a place belongs to, from the district down (grid when known). */
export function placeScopes(p: { districtId: string; streetId: string; communityId: string; gridId?: string }): ScopeRef[] {
  const refs: ScopeRef[] = [
    { scope: 'district', id: p.districtId, parent: { scope: 'city', id: 'city' } },
    { scope: 'street', id: p.streetId, parent: { scope: 'district', id: p.districtId } },
    { scope: 'community', id: p.communityId, parent: { scope: 'street', id: p.streetId } },
  ];
  if (p.gridId) refs.push({ scope: 'grid', id: p.gridId, parent: { scope: 'community', id: p.communityId } });
  return refs;
}

import { DomainError } from '../domain/errors.ts';
import { nameKeyOf, type NamedKind } from '../domain/names.ts';
import { tableName } from './client.ts';
import { nameClaimKey } from './keys.ts';
import type { Item, TransactItem } from './table.ts';

/**
 * Names unique in their parent.
 *   name claim   pk NAME#<kind>#<parent>#<nameKey>   sk NAME   { kind, parent, name, ownerId }
 * Written in the same transaction as the street, community or team it names, under
 * `attribute_not_exists(pk)`: of two creations with one name at the same instant one commits and
 * the other is refused, whatever the spelling (nameKey: shared/domain/names.ts).
 * (Keys: shared/db/keys.ts.)
 */
export function nameClaimItem(kind: NamedKind, parent: string, name: string, ownerId: string): Item {
  return { ...nameClaimKey(kind, parent, nameKeyOf(name)), type: 'name-claim', kind, parent, name, ownerId };
}

export function nameClaimPut(kind: NamedKind, parent: string, name: string, ownerId: string): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: nameClaimItem(kind, parent, name, ownerId),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

const WHERE: Record<NamedKind, string> = {
  street: 'in this district',
  community: 'in this street',
  team: 'in the same community, street or district',
};

export const nameTaken = (kind: NamedKind, name: string) =>
  new DomainError('NAME_TAKEN', `a ${kind} named "${name}" already exists ${WHERE[kind]}`, { field: 'body.name' });

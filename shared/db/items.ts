/**
 * Items as the document client returns them, and the entity an item holds. No I/O and no table:
 * a function that reads another table (the city's) imports this, not ./table.ts, which needs the
 * district's table at cold start.
 */
export type Item = Record<string, unknown>;

/** What an item stores beside the entity: its keys (the table's and every index's), its TTL and its type. */
const NOT_ENTITY = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'expiresAt', 'type'];

/** The entity an item holds: the item without its keys, TTL and type, nor the attributes `also` names. */
export function fromItem<T>(item: Item, ...also: string[]): T {
  const out = { ...item };
  for (const k of [...NOT_ENTITY, ...also]) delete out[k];
  return out as T;
}

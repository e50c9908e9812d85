/**
 * The single table of a district, declared once. CDK builds the TableV2 from it
 * (infra/district-stack.ts) and the local runtime creates the DynamoDB Local table from it
 * (infra/local/dynamo.ts). Every access pattern in the README names one of these keys.
 */
export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly indexes: readonly IndexDefinition[];
  /** Epoch seconds; DynamoDB deletes the item some time after. */
  readonly ttlAttribute: string;
  /** Its DynamoDB stream (shared/config/streams.ts: who consumes it); absent: none. */
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
}

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
  ttlAttribute: 'expiresAt',
  // Its consumers (shared/config/streams.ts) get what changed: the identity function, each change
  // of a roles record (notifications will want the old image too).
  stream: 'NEW_AND_OLD_IMAGES',
} as const satisfies TableDefinition;

export type IndexName = (typeof TABLE.indexes)[number]['name'];

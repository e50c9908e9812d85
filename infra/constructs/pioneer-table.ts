import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { TableDefinition } from '../../shared/config/table.ts';

export interface PioneerTableProps {
  readonly tableName: string;
  /** Keys, indexes and TTL attribute: shared/config/table.ts (a district's), shared/config/city.ts (the city's). */
  readonly definition: TableDefinition;
}

/**
 * A single table built from its definition, hardened the same way for every stack: on demand,
 * point-in-time recovery, deletion protection, retained when the stack goes. The table itself is
 * the child `Default`, which CDK leaves out of logical ids: the table keeps the logical id it had
 * when the stacks built it inline, so CloudFormation never replaces (and loses) it.
 */
export class PioneerTable extends Construct {
  readonly table: dynamodb.TableV2;
  readonly definition: TableDefinition;

  constructor(scope: Construct, id: string, props: PioneerTableProps) {
    super(scope, id);
    this.definition = props.definition;
    const str = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    const def = props.definition;
    this.table = new dynamodb.TableV2(this, 'Default', {
      tableName: props.tableName,
      partitionKey: str(def.partitionKey),
      sortKey: str(def.sortKey),
      globalSecondaryIndexes: def.indexes.map((i) => ({
        indexName: i.name,
        partitionKey: str(i.partitionKey),
        sortKey: str(i.sortKey),
      })),
      timeToLiveAttribute: def.ttlAttribute,
      ...(def.stream ? { dynamoStream: dynamodb.StreamViewType[def.stream] } : {}),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  get tableName(): string {
    return this.table.tableName;
  }

  get tableArn(): string {
    return this.table.tableArn;
  }

  /** The stream's ARN (a table whose definition has a stream). */
  get streamArn(): string {
    const arn = this.table.tableStreamArn;
    if (!arn) throw new Error(`table ${this.node.path} has no stream: its definition names none`);
    return arn;
  }

  /** Each index's ARN, one by one (never `index/*`). */
  get indexArns(): string[] {
    return this.definition.indexes.map((i) => `${this.table.tableArn}/index/${i.name}`);
  }
}

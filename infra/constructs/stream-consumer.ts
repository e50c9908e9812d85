import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { StreamConsumerEntry } from '../../shared/config/streams.ts';
import { deadLetterQueue } from './dead-letter-queue.ts';
import type { PioneerFunction } from './pioneer-function.ts';
import type { PioneerTable } from './pioneer-table.ts';

export interface StreamConsumerProps {
  /** The stack's id (a district's): names the failure queue `pioneer-<stackId>-<name>-stream-dlq`. */
  readonly stackId: string;
  readonly entry: StreamConsumerEntry;
  readonly table: PioneerTable;
  readonly fn: PioneerFunction;
}

/** The stream actions a consumer's role needs, on that stream only (ListStreams has no resource). */
export const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
] as const;

/**
 * One consumer of a table's stream (shared/config/streams.ts): an event source mapping from the
 * stream to the function, starting at the oldest record kept (TRIM_HORIZON), with the entry's
 * filters (Lambda drops what they do not match before invoking), partial batch responses
 * (shared/events/stream.ts answers the first record that failed), bisect on error, the entry's
 * retries and record age, then an on-failure destination: an SQS queue of its own that receives
 * the failed batch's description (shard, sequence numbers), for a person to replay. The function's
 * role may read this stream only, and send to this queue only.
 */
export class StreamConsumer extends Construct {
  readonly mapping: lambda.EventSourceMapping;
  readonly deadLetterQueue: ReturnType<typeof deadLetterQueue>;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    const { entry, fn } = props;
    this.deadLetterQueue = deadLetterQueue(this, 'Dlq', {
      queueName: `pioneer-${props.stackId}-${entry.name}-stream-dlq`,
      reason:
        "This queue is itself the on-failure destination of a DynamoDB stream's event source mapping: it receives the failed batches' descriptions, which nothing reads automatically.",
    });
    const streamArn = props.table.streamArn;
    this.mapping = new lambda.EventSourceMapping(this, 'Mapping', {
      target: fn.function,
      eventSourceArn: streamArn,
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: entry.batchSize,
      bisectBatchOnError: true,
      retryAttempts: entry.retryAttempts,
      maxRecordAge: Duration.hours(entry.maxRecordAgeHours),
      reportBatchItemFailures: true,
      filters: entry.filters.map((f) => lambda.FilterCriteria.filter(f as Record<string, unknown>)),
      onFailure: { bind: () => ({ destination: this.deadLetterQueue.queueArn }) },
    });
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: `ReadStream${sidOf(entry.name)}`,
        actions: [...STREAM_READ_ACTIONS],
        resources: [streamArn],
      }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ListStreams', actions: ['dynamodb:ListStreams'], resources: ['*'] }),
    );
    Validations.of(fn.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams (which Lambda event source mappings on a DynamoDB stream need) has no resource-level permission; it lists stream ARNs and reads nothing. Every other action is on this table stream only.',
    });
    this.deadLetterQueue.grantSendMessages(fn.role);
    // The mapping is checked against the role when it is created.
    this.mapping.node.addDependency(fn.role);
  }
}

const sidOf = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

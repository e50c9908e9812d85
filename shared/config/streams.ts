import { CITY_OUTBOX_PREFIX, outboxKey, userRolesKey } from '../db/keys.ts';
import type { TableId } from './functions.ts';

/**
 * The consumers of a table's DynamoDB stream, declared once as data, like the routes and the
 * schedules. In the cloud each is an event source mapping from the table's stream to its function
 * (infra/constructs/stream-consumer.ts: the filters below, bisect on error, bounded retries, a
 * record age limit, partial batch responses, and an on-failure SQS destination); locally the
 * stream poller (infra/local/stream-poller.ts) reads DynamoDB Local's Streams API and invokes the
 * same function with the same event, filtered the same way. The function's handler is built with
 * shared/events/stream.ts (`streamFunction`).
 *
 * A new consumer (notifications, a counters aggregator, ...) is an entry here, a `streamFunction`
 * in its function, and nothing else.
 */
export interface StreamConsumerEntry {
  /** Names the mapping and its failure queue: `pioneer-<district>-<name>-stream-dlq`. */
  readonly name: string;
  /** The function it invokes (a folder of functions/). */
  readonly function: string;
  readonly table: TableId;
  /**
   * Lambda event filter patterns (EventBridge pattern syntax) over the stream record: a record is
   * delivered when it matches one of them. Only exact values and `prefix` are used (the local
   * poller implements those two).
   */
  readonly filters: readonly Readonly<Record<string, unknown>>[];
  /** Records per invocation. */
  readonly batchSize: number;
  /** Retries of a failing batch (split in two each time: bisect), then the failure queue. */
  readonly retryAttempts: number;
  /** Older records go to the failure queue instead (hours). */
  readonly maxRecordAgeHours: number;
  readonly description: string;
}

const rolesRecord = userRolesKey('_');
const outboxEntry = outboxKey('_');

export const STREAM_CONSUMERS: readonly StreamConsumerEntry[] = [
  {
    name: 'identity',
    function: 'identity',
    table: 'district',
    filters: [{ eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: [rolesRecord.sk] } } } }],
    batchSize: 10,
    retryAttempts: 8,
    maxRecordAgeHours: 24,
    description:
      "Each change of a user's roles record, to the identity function, which makes the user pool equal to it",
  },
  {
    name: 'ledger',
    function: 'evaluation',
    table: 'district',
    // Confirmed facts (shared/domain/points.ts) and closes (their no-shows), by the item's type.
    filters: [
      {
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: {
          NewImage: { type: { S: ['service-record', 'evaluation', 'training-entry', 'activity-close'] } },
        },
      },
      {
        eventName: ['INSERT'],
        dynamodb: { NewImage: { type: { S: ['wish-event'] }, eventType: { S: ['WishConfirmed'] } } },
      },
    ],
    batchSize: 25,
    retryAttempts: 8,
    maxRecordAgeHours: 24,
    description:
      'Each confirmed fact (a service record and its corrections, a confirmed wish, an evaluation, a completed training) to the ledger consumer, which posts its points, stars and ranks once; each close, for its no-shows',
  },
  {
    name: 'notifications',
    function: 'notifications',
    table: 'district',
    // New outbox entries only: a repeat of the same entry (a MODIFY) announces nothing again.
    filters: [{ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [outboxEntry.sk] } } } }],
    batchSize: 25,
    retryAttempts: 6,
    maxRecordAgeHours: 24,
    description:
      'Each new outbox entry (a notice written in the transaction of the change it announces), to the notifier, which checks it still holds and delivers it at most once per channel',
  },
  {
    name: 'city-delivery',
    function: 'awards',
    table: 'district',
    // New outbox items only: marking one sent (a MODIFY) does not deliver it again.
    filters: [{ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: CITY_OUTBOX_PREFIX }] } } } }],
    batchSize: 10,
    retryAttempts: 8,
    maxRecordAgeHours: 24,
    description:
      "Each batch of featured-project awards written to its call's outbox, to the awards function, which puts FeaturedProjectsAwarded on the city bus",
  },
];

/** The stream view every consumer gets (notifications will want the old image too). */
export const STREAM_VIEW = 'NEW_AND_OLD_IMAGES' as const;

import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createLogger, errorFields } from '../http/logger.ts';

/**
 * Consumers of a table's DynamoDB stream (shared/config/streams.ts), the same in the cloud (an event
 * source mapping) and locally (infra/local/stream-poller.ts). `streamFunction(handle)` is the
 * handler: it unmarshalls each record's images and hands the changes to `handle` one by one, in
 * stream order; at the first failure it stops and answers a partial batch response naming that
 * record, so that Lambda checkpoints before it and retries from there (bisecting the batch), and
 * after the retries the failure queue gets the records. `handle` must be idempotent: a retried
 * batch runs again on changes it already applied.
 */
export interface StreamChange {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly keys: Record<string, unknown>;
  readonly newImage?: Record<string, unknown>;
  readonly oldImage?: Record<string, unknown>;
  readonly sequenceNumber: string;
}

type Image = Parameters<typeof unmarshall>[0];

export function toChange(r: DynamoDBRecord): StreamChange {
  const d = r.dynamodb ?? {};
  return {
    eventName: r.eventName as StreamChange['eventName'],
    keys: unmarshall((d.Keys ?? {}) as Image),
    ...(d.NewImage ? { newImage: unmarshall(d.NewImage as Image) } : {}),
    ...(d.OldImage ? { oldImage: unmarshall(d.OldImage as Image) } : {}),
    sequenceNumber: d.SequenceNumber ?? '',
  };
}

/** Whether a Lambda event is a batch of DynamoDB stream records. */
export function isStreamEvent(e: unknown): e is DynamoDBStreamEvent {
  const records = (e as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) && records.length > 0 && (records[0] as DynamoDBRecord).eventSource === 'aws:dynamodb';
}

export function streamFunction(handle: (change: StreamChange) => Promise<Record<string, unknown> | undefined>) {
  return async (
    event: DynamoDBStreamEvent,
    context?: Pick<Context, 'awsRequestId'>,
  ): Promise<DynamoDBBatchResponse> => {
    const log = createLogger({ awsRequestId: context?.awsRequestId });
    for (const record of event.Records) {
      const change = toChange(record);
      try {
        const result = await handle(change);
        log.info('stream record handled', {
          eventName: change.eventName,
          sequenceNumber: change.sequenceNumber,
          result,
        });
      } catch (err) {
        log.error('stream record failed', { sequenceNumber: change.sequenceNumber, ...errorFields(err) });
        return { batchItemFailures: [{ itemIdentifier: change.sequenceNumber }] };
      }
    }
    return { batchItemFailures: [] };
  };
}

/** A function that serves other events too (HTTP, EventBridge) and a table's stream. */
export function withStream<H extends ((event: never, context: Context) => unknown) & { routeKeys: string[] }>(
  other: H,
  stream: ReturnType<typeof streamFunction>,
) {
  return Object.assign(
    (event: unknown, context: Context) =>
      isStreamEvent(event) ? stream(event, context) : other(event as never, context),
    { routeKeys: other.routeKeys },
  );
}

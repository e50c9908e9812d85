import { randomUUID } from 'node:crypto';
import { STREAM_CONSUMERS, type StreamConsumerEntry } from '../../shared/config/streams.ts';
import { AwsError, awsJson } from '../../shared/identity/aws-json.ts';
import { currentFailureList } from './failures.ts';
import { withEnvironment } from './invoke.ts';

/**
 * The local event source mappings of a table's stream: what Lambda does in the cloud for each
 * consumer of shared/config/streams.ts, over DynamoDB Local's real Streams API (DescribeTable,
 * DescribeStream, GetShardIterator, GetRecords, signed JSON calls to the same endpoint). Each
 * shard is read from its oldest record (TRIM_HORIZON: a restarted platform applies again what
 * it may have missed; consumers are idempotent), records are filtered by the consumer's
 * patterns, handed to its function through the local invoker in batches, in stream order, in
 * exactly the event Lambda builds; a failed batch is retried from the record the function names
 * (partial batch response), halved each time (bisect), up to the consumer's retry attempts, then
 * put on the local failure list (the cloud's on-failure queue) with a line on stderr.
 * Started and stopped by the code that started it (npm start, the tests); talks only to the
 * DynamoDB Local on 127.0.0.1.
 */
export interface StreamPollerOptions {
  /** DynamoDB Local's endpoint. */
  readonly endpoint: string;
  readonly tableName: string;
  readonly region: string;
  /** Calls the consumer's function with the stream event (the local invoker). */
  readonly invoke: (fn: string, event: unknown) => Promise<unknown>;
  /** @default STREAM_CONSUMERS of the district table */
  readonly consumers?: readonly StreamConsumerEntry[];
  /** @default 100 ms between polls when idle */
  readonly intervalMs?: number;
  /** No line on stderr for failed batches (tests that fail on purpose). */
  readonly quiet?: boolean;
}

export interface FailedBatch {
  readonly consumer: string;
  readonly sequenceNumbers: readonly string[];
  readonly error: string;
}

export interface StreamPoller {
  /** Resolves once every record written before the call was delivered (or failed for good). */
  settle(timeoutMs?: number): Promise<void>;
  /** Batches that failed every retry: the cloud's on-failure queue. */
  readonly failures: readonly FailedBatch[];
  stop(): Promise<void>;
}

/** A raw stream record as GetRecords returns it (and as Lambda delivers it, with its source fields). */
interface RawRecord {
  eventID: string;
  eventName: string;
  eventVersion?: string;
  eventSource?: string;
  awsRegion?: string;
  dynamodb: { SequenceNumber: string; Keys: unknown; NewImage?: unknown; OldImage?: unknown; [k: string]: unknown };
}

/** Lambda event filtering (the subset the consumers use): exact values and `{ prefix }` in arrays, nested objects. */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((p) => {
      if (p !== null && typeof p === 'object' && 'prefix' in p)
        return typeof value === 'string' && value.startsWith(String((p as { prefix: unknown }).prefix));
      return p === value;
    });
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (value === null || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([k, p]) => matchesPattern(p, (value as Record<string, unknown>)[k]));
  }
  return pattern === value;
}

export function matchesConsumer(consumer: Pick<StreamConsumerEntry, 'filters'>, record: unknown): boolean {
  return consumer.filters.length === 0 || consumer.filters.some((f) => matchesPattern(f, record));
}

/** A shard read to its end (closed): kept so that it is not read again. */
const CLOSED = '';

/** The environment the poller signs its calls with (DynamoDB Local wants a key id of letters and digits). */
const POLLER_KEY = 'localStreamPoller';

export function startStreamPoller(opts: StreamPollerOptions): StreamPoller {
  const consumers = opts.consumers ?? STREAM_CONSUMERS.filter((c) => c.table === 'district');
  const intervalMs = opts.intervalMs ?? 100;
  const environment = {
    AWS_REGION: opts.region,
    AWS_ACCESS_KEY_ID: POLLER_KEY,
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  const call = <T>(target: string, body: unknown) =>
    withEnvironment(environment, () =>
      awsJson<T>({
        service: 'dynamodb',
        target,
        body,
        endpoint: opts.endpoint,
        contentType: 'application/x-amz-json-1.0',
        // DynamoDB Local on a loaded laptop can be slow; a late answer is better than a skipped poll.
        timeoutMs: 15_000,
      }),
    );
  const failures: FailedBatch[] = [];
  const iterators = new Map<string, string | null>(); // shardId -> next iterator (null: just closed; CLOSED: done)
  let streamArn: string | undefined;
  let stopped = false;
  let cycle = 0;
  const waiters: { after: number; resolve: () => void }[] = [];

  const describeShards = async (): Promise<void> => {
    if (!streamArn) {
      const t = await call<{ Table: { LatestStreamArn?: string } }>('DynamoDB_20120810.DescribeTable', {
        TableName: opts.tableName,
      });
      streamArn = t.Table.LatestStreamArn;
      if (!streamArn) throw new Error(`table ${opts.tableName} has no stream`);
    }
    const d = await call<{ StreamDescription: { Shards?: { ShardId: string }[] } }>(
      'DynamoDBStreams_20120810.DescribeStream',
      { StreamArn: streamArn },
    );
    for (const shard of d.StreamDescription.Shards ?? []) {
      if (iterators.has(shard.ShardId)) continue;
      const it = await call<{ ShardIterator?: string }>('DynamoDBStreams_20120810.GetShardIterator', {
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      });
      iterators.set(shard.ShardId, it.ShardIterator ?? null);
    }
  };

  const lambdaEvent = (records: readonly RawRecord[]) => ({
    Records: records.map((r) => ({
      eventID: r.eventID,
      eventName: r.eventName,
      eventVersion: r.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: opts.region,
      dynamodb: r.dynamodb,
      eventSourceARN: streamArn,
    })),
  });

  /** Delivers `records` to the consumer as Lambda's mapping would: partial batch responses, bisect, bounded retries. */
  const deliver = async (consumer: StreamConsumerEntry, records: RawRecord[]): Promise<void> => {
    let pending = records;
    let batchSize = pending.length;
    for (let attempt = 0; pending.length > 0; ) {
      const batch = pending.slice(0, batchSize);
      let failedAt = -1;
      let error = '';
      try {
        const out = (await opts.invoke(consumer.function, lambdaEvent(batch))) as {
          batchItemFailures?: { itemIdentifier: string }[];
        } | null;
        const first = out?.batchItemFailures?.[0]?.itemIdentifier;
        if (first !== undefined) {
          failedAt = batch.findIndex((r) => r.dynamodb.SequenceNumber === first);
          if (failedAt < 0) failedAt = 0;
          error = `the function reported record ${first} as failed`;
        }
      } catch (err) {
        failedAt = 0;
        error = err instanceof Error ? err.message : String(err);
      }
      if (failedAt < 0) {
        pending = pending.slice(batch.length);
        batchSize = Math.max(batchSize, 1);
        continue;
      }
      pending = pending.slice(failedAt);
      if (++attempt > consumer.retryAttempts) {
        const failed = pending.slice(0, Math.max(1, Math.min(batchSize, pending.length)));
        failures.push({
          consumer: consumer.name,
          sequenceNumbers: failed.map((r) => r.dynamodb.SequenceNumber),
          error,
        });
        // And on the platform's failure list, when one is installed (npm start): listed, printed, run again with the batch.
        currentFailureList()?.add({
          function: consumer.function,
          source: 'stream',
          what: consumer.name,
          event: lambdaEvent(failed),
          error,
          attempts: consumer.retryAttempts + 1,
        });
        if (!opts.quiet)
          process.stderr.write(
            `[stream ${consumer.name}] ${failed.length} record(s) failed ${consumer.retryAttempts + 1} times, sent to the failure list: ${error}\n`,
          );
        pending = pending.slice(failed.length);
        attempt = 0;
        continue;
      }
      batchSize = Math.max(1, Math.ceil(Math.min(batchSize, pending.length) / 2)); // bisect
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2000)));
    }
  };

  let described = 0;
  const pollOnce = async (): Promise<number> => {
    // New shards appear rarely (a shard rolls over, or closes): look for them every 2 s, or when one closed.
    if (Date.now() - described > 2000 || [...iterators.values()].includes(null) || iterators.size === 0) {
      await describeShards();
      described = Date.now();
      for (const [id, it] of iterators) if (it === null) iterators.delete(id), iterators.set(id, CLOSED);
    }
    let seen = 0;
    for (const [shardId, iterator] of iterators) {
      let it = iterator === CLOSED ? null : iterator;
      while (it) {
        let out: { Records?: RawRecord[]; NextShardIterator?: string };
        try {
          out = await call('DynamoDBStreams_20120810.GetRecords', { ShardIterator: it, Limit: 1000 });
        } catch (err) {
          // An iterator DynamoDB Local no longer takes (expired, or made before the shard's first
          // record was trimmed): take a new one from the shard's oldest record on the next cycle.
          // What it delivers again, the consumers apply idempotently.
          if (err instanceof AwsError && /TrimmedDataAccess|ExpiredIterator/.test(err.type)) {
            iterators.delete(shardId);
            described = 0;
            break;
          }
          throw err;
        }
        const records = out.Records ?? [];
        seen += records.length;
        for (const consumer of consumers) {
          const mine = records.filter((r) => matchesConsumer(consumer, r));
          for (let i = 0; i < mine.length; i += consumer.batchSize)
            await deliver(consumer, mine.slice(i, i + consumer.batchSize));
        }
        it = out.NextShardIterator ?? null;
        iterators.set(shardId, it);
        if (records.length === 0) break;
      }
    }
    return seen;
  };

  const loop = (async () => {
    while (!stopped) {
      const started = cycle;
      let seen = 0;
      let failed = false;
      try {
        seen = await pollOnce();
      } catch (err) {
        // A cycle that could not read the stream proves nothing: it settles nobody.
        failed = true;
        if (!stopped && !opts.quiet)
          process.stderr.write(`[stream] polling ${opts.tableName} failed: ${(err as Error).message}\n`);
      }
      cycle = started + 1;
      if (failed) await new Promise((r) => setTimeout(r, intervalMs));
      else if (seen === 0) {
        for (const w of waiters.splice(0)) {
          if (cycle > w.after) w.resolve();
          else waiters.push(w);
        }
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    }
    for (const w of waiters.splice(0)) w.resolve();
  })();

  return {
    failures,
    settle: (timeoutMs = 25_000) =>
      new Promise<void>((resolve, reject) => {
        const id = randomUUID();
        const timer = setTimeout(
          () => reject(new Error(`stream of ${opts.tableName} not settled within ${timeoutMs} ms (${id})`)),
          timeoutMs,
        );
        // A cycle that starts after this call and sees nothing new: everything before it was delivered.
        waiters.push({
          after: cycle + 1,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

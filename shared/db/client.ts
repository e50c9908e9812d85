import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsCredentials, dynamoEndpoint, region, tableName } from '../config/env.ts';
import { DomainError } from '../domain/errors.ts';

/**
 * One document client per configuration (endpoint, region, credentials), made on first use (not
 * at import: a request that never touches the table, such as /openapi.json, pays nothing for it).
 * In Lambda that is one client; the local runtime runs every function in one process, each with
 * its own environment and credentials (shared/config/env.ts), and none may get another's client.
 *
 * Every call goes through one middleware (`pioneerDb`), around the SDK's own retries:
 * - a transaction conflict (TransactWriteItems cancelled by TransactionConflict alone, or a
 *   single-item write that met a running transaction: TransactionConflictException) is retried
 *   with bounded, jittered exponential backoff (CONFLICT_ATTEMPTS; each retry is a new request with
 *   a new ClientRequestToken, since the cancelled one wrote nothing). What is still in conflict
 *   after that surfaces as before (transact() makes it CONCURRENT_UPDATE, 409);
 * - an unavailable database (throttling, DynamoDB 5xx, network errors and timeouts, once the SDK's
 *   own retries are spent) becomes DomainError UNAVAILABLE (503 with Retry-After), never a 500;
 * - round trips, capacity and conflicts are counted while a benchmark asks (measureDb).
 */
const clients = new Map<string, DynamoDBDocumentClient>();

export function db(): DynamoDBDocumentClient {
  const endpoint = dynamoEndpoint();
  const r = region();
  const credentials = awsCredentials();
  const key = `${endpoint ?? ''}|${r}|${credentials?.accessKeyId ?? ''}|${credentials?.sessionToken ?? ''}`;
  let doc = clients.get(key);
  if (!doc) {
    const base = new DynamoDBClient({
      region: r,
      ...(endpoint ? { endpoint } : {}),
      // Set locally (the function's own, or dummy ones DynamoDB Local takes); in Lambda the SDK's chain.
      ...(credentials ? { credentials } : {}),
      maxAttempts: 3,
    });
    doc = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        const started = Date.now();
        const kind = kindOf(String((context as { commandName?: string }).commandName ?? ''));
        for (let attempt = 1; ; attempt++) {
          const m = meters.getStore() ?? metrics;
          if (m) {
            (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity ??= 'TOTAL';
            m.calls++;
            m[kind.calls]++;
          }
          try {
            const out = await next(args);
            if (m) {
              const units = consumed(out.output);
              m.capacityUnits += units;
              m[kind.units] += units;
            }
            return out;
          } catch (err) {
            if (isConflict(err) && Date.now() - started < CONFLICT_BUDGET_MS) {
              if (m) m.conflictsRetried++;
              await new Promise((done) => setTimeout(done, conflictBackoffMs(attempt)));
              continue;
            }
            throw unavailable(err) ?? err;
          }
        }
      },
      { step: 'initialize', name: 'pioneerDb' },
    );
    clients.set(key, doc);
  }
  return doc;
}

/**
 * How long a call that keeps meeting transaction conflicts is retried: an item everyone writes at
 * once (one activity's places in a rush) serves them one transaction at a time. Below the HTTP
 * functions' 10 s timeout; a conflict still there after it is CONCURRENT_UPDATE.
 */
export const CONFLICT_BUDGET_MS = 8_000;

/** Full jitter: a random wait below 25 ms, 50, 100, ... capped at 1 s. */
export function conflictBackoffMs(attempt: number): number {
  return Math.random() * Math.min(1000, 25 * 2 ** (attempt - 1));
}

type AwsError = {
  name?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  CancellationReasons?: { Code?: string }[];
};

function reasons(err: AwsError): string[] {
  return (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

/** Lost only to a concurrent transaction: nothing was written and nothing was refused. */
export function isConflict(err: unknown): boolean {
  const e = err as AwsError;
  if (e?.name === 'TransactionConflictException') return true;
  if (e?.name !== 'TransactionCanceledException') return false;
  const codes = reasons(e);
  return codes.includes('TransactionConflict') && codes.every((c) => c === 'TransactionConflict' || c === 'None');
}

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The error as UNAVAILABLE (503, Retry-After) when the database could not do it now; else undefined. */
export function unavailable(err: unknown): DomainError | undefined {
  const e = err as AwsError;
  if (!e || typeof e !== 'object' || err instanceof DomainError) return undefined;
  let why: string | undefined;
  let retryAfter = 1;
  if (THROTTLED.has(e.name ?? '') || reasons(e).includes('ThrottlingError')) why = 'the database is busy';
  else if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) {
    why = 'the database failed to answer';
    retryAfter = 2;
  } else if (
    NETWORK.has(e.code ?? '') ||
    e.name === 'TimeoutError' ||
    /socket hang up|ECONNRESET|ECONNREFUSED/.test(String((err as Error).message))
  ) {
    why = 'the database cannot be reached';
    retryAfter = 5;
  }
  if (!why) return undefined;
  const out = new DomainError('UNAVAILABLE', `${why}: retry in a few seconds`, { retryAfter });
  (out as { cause?: unknown }).cause = err;
  return out;
}

function consumed(output: unknown): number {
  const cc = (output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] })
    .ConsumedCapacity;
  let sum = 0;
  for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) sum += c.CapacityUnits ?? 0;
  return sum;
}

/**
 * Round trips, consumed capacity and retried conflicts, counted only while a benchmark asks for
 * them (test/bench): for the whole process (measureDb), or for one request (withDbMeter). Off,
 * the middleware costs a lookup per call.
 */
export interface DbMetrics {
  calls: number;
  capacityUnits: number;
  /** Of which: GetItem, BatchGetItem, Query (read request units on demand). */
  readUnits: number;
  /** PutItem, UpdateItem, DeleteItem, BatchWriteItem (write request units). */
  writeUnits: number;
  /**
   * TransactWriteItems (no code reads in a transaction). Behind the local DynamoDB layer (infra/local/dynamo-layer.ts)
   * billed as AWS bills them (2 units per KB of each item); DynamoDB Local alone reports them wrongly.
   */
  transactUnits: number;
  /** Round trips of each kind. */
  readCalls: number;
  writeCalls: number;
  transactCalls: number;
  conflictsRetried: number;
}
let metrics: DbMetrics | undefined;
const meters = new AsyncLocalStorage<DbMetrics>();

/** Counts the calls `fn` makes (and nothing else) in `m`: a benchmark's per-request figures. */
export function withDbMeter<T>(m: DbMetrics, fn: () => T): T {
  return meters.run(m, fn);
}

type Kind = {
  units: 'readUnits' | 'writeUnits' | 'transactUnits';
  calls: 'readCalls' | 'writeCalls' | 'transactCalls';
};
const TRANSACT: Kind = { units: 'transactUnits', calls: 'transactCalls' };
const READ: Kind = { units: 'readUnits', calls: 'readCalls' };
const WRITE: Kind = { units: 'writeUnits', calls: 'writeCalls' };

function kindOf(command: string): Kind {
  if (command.startsWith('Transact')) return TRANSACT;
  if (/^(Get|BatchGet|Query|Scan)/.test(command)) return READ;
  return WRITE;
}

/** Every count at 0. */
export function emptyDbMetrics(): DbMetrics {
  return {
    calls: 0,
    capacityUnits: 0,
    readUnits: 0,
    writeUnits: 0,
    transactUnits: 0,
    readCalls: 0,
    writeCalls: 0,
    transactCalls: 0,
    conflictsRetried: 0,
  };
}

export function measureDb(): DbMetrics {
  metrics = emptyDbMetrics();
  return metrics;
}

export function stopMeasuringDb(): void {
  metrics = undefined;
}

/** TABLE_NAME: the district's table. */
export { tableName };

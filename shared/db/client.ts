import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsCredentials, dynamoEndpoint, region, tableName } from '../config/env.ts';

/**
 * One document client per configuration (endpoint, region, credentials), made on first use (not
 * at import: a request that never touches the table, such as /openapi.json, pays nothing for it).
 * In Lambda that is one client; the local runtime runs every function in one process, each with
 * its own environment and credentials (shared/config/env.ts), and none may get another's client.
 */
const clients = new Map<string, DynamoDBDocumentClient>();

export function db(): DynamoDBDocumentClient {
  const endpoint = dynamoEndpoint();
  const r = region();
  const credentials = awsCredentials();
  const key = `${endpoint ?? ''}|${r}|${credentials?.accessKeyId ?? ''}`;
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
        const m = metrics;
        if (!m) return next(args);
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity ??= 'TOTAL';
        m.calls++;
        const out = await next(args);
        const cc = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] })
          .ConsumedCapacity;
        let units = 0;
        for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) units += c.CapacityUnits ?? 0;
        m.capacityUnits += units;
        const kind = kindOf(String((context as { commandName?: string }).commandName ?? ''));
        m[kind.units] += units;
        m[kind.calls]++;
        return out;
      },
      { step: 'initialize', name: 'pioneerDbMetrics' },
    );
    clients.set(key, doc);
  }
  return doc;
}

/**
 * Round trips and consumed capacity, counted only while a benchmark asks for them
 * (test/bench). Off, the middleware costs one comparison per call.
 */
export interface DbMetrics {
  calls: number;
  capacityUnits: number;
  /** Of which: GetItem, BatchGetItem, Query (read request units on demand). */
  readUnits: number;
  /** PutItem, UpdateItem, DeleteItem, BatchWriteItem (write request units). */
  writeUnits: number;
  /**
   * TransactWriteItems, as DynamoDB Local reports them: one unit per item and KB. AWS bills a
   * transaction twice that (2 write request units per KB; the cost model, test/bench/cost.ts).
   */
  transactUnits: number;
  /** Round trips of each kind. */
  readCalls: number;
  writeCalls: number;
  transactCalls: number;
}
let metrics: DbMetrics | undefined;

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

export function measureDb(): DbMetrics {
  metrics = {
    calls: 0,
    capacityUnits: 0,
    readUnits: 0,
    writeUnits: 0,
    transactUnits: 0,
    readCalls: 0,
    writeCalls: 0,
    transactCalls: 0,
  };
  return metrics;
}

export function stopMeasuringDb(): void {
  metrics = undefined;
}

/** TABLE_NAME: the district's table. */
export { tableName };

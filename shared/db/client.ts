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
      (next) => async (args) => {
        const m = metrics;
        if (!m) return next(args);
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity ??= 'TOTAL';
        m.calls++;
        const out = await next(args);
        const cc = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] })
          .ConsumedCapacity;
        for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) m.capacityUnits += c.CapacityUnits ?? 0;
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
}
let metrics: DbMetrics | undefined;

export function measureDb(): DbMetrics {
  metrics = { calls: 0, capacityUnits: 0 };
  return metrics;
}

export function stopMeasuringDb(): void {
  metrics = undefined;
}

/** TABLE_NAME: the district's table. */
export { tableName };

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { env } from '../config/env.ts';

/**
 * One document client per process, made on first use (not at import: a request that never
 * touches the table, such as /openapi.json, pays nothing for it).
 */
let doc: DynamoDBDocumentClient | undefined;
let docFor: string | undefined;

export function db(): DynamoDBDocumentClient {
  const e = env();
  const key = `${e.dynamoEndpoint ?? ''}|${e.region}`;
  if (!doc || docFor !== key) {
    const base = new DynamoDBClient({
      region: e.region,
      // DynamoDB Local takes any credentials; the environment's are used when set (as in Lambda).
      ...(e.dynamoEndpoint ? { endpoint: e.dynamoEndpoint } : {}),
      ...(e.dynamoEndpoint && !process.env.AWS_ACCESS_KEY_ID
        ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
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
        const cc = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
        for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) m.capacityUnits += c.CapacityUnits ?? 0;
        return out;
      },
      { step: 'initialize', name: 'pioneerDbMetrics' },
    );
    docFor = key;
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

export function tableName(): string {
  return env().tableName;
}

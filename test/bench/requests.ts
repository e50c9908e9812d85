import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { measureDb, stopMeasuringDb } from '../../shared/db/client.ts';
import { setLogSink } from '../../shared/http/logger.ts';
import { setMetricSink } from '../../shared/metrics/metrics.ts';
import { deployLocally } from '../../infra/local/deployment.ts';
import { ensureTable, LOCAL_REGION, startDynamoLocal } from '../../infra/local/dynamo.ts';
import { startDynamoLayer, type DynamoLayer } from '../../infra/local/dynamo-layer.ts';
import { startLocalServer, type LocalServerOptions } from '../../infra/local/server.ts';
import { client } from '../support/client.ts';
import { startLocalCity } from '../../infra/local/city-bus.ts';
import { startLocalIdentity, type LocalIdentity } from '../../infra/local/identity.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { ROUTES } from '../../shared/config/routes.ts';

/**
 * Per-request cost, measured through the real HTTP path (local API Gateway emulator, the
 * function's handler, the middy stack) against DynamoDB Local behind the local DynamoDB layer
 * (conflicts and grants as in AWS): round trips to DynamoDB and the capacity units reported
 * (ReturnConsumedCapacity TOTAL; the layer bills transactions as AWS does, 2 units per KB of each
 * item, DynamoDB Local's own figures for everything else).
 */
export interface RequestFigure {
  readonly label: string;
  readonly status: number;
  readonly calls: number;
  readonly capacityUnits: number;
  readonly note?: string;
  /** The same, by kind (test/bench/cost.ts prices them): reads, plain writes, transactions. */
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly transactUnits: number;
  readonly readCalls: number;
  readonly writeCalls: number;
  readonly transactCalls: number;
  /** Bytes of the log and metric lines the function wrote (at the LOG_LEVEL the bench runs with). */
  readonly logBytes: number;
}

export interface Platform {
  readonly api: ReturnType<typeof client>;
  readonly layer: DynamoLayer;
  /** The local user pool, when the platform runs the city and identity (`city: true`). */
  readonly cognitoEndpoint?: string;
  measure(label: string, call: () => Promise<{ status: number }>, note?: string): Promise<RequestFigure>;
  /** Measures one call that stands for `per` units of work (e.g. close with N attendees): reports per unit. */
  measurePer(
    label: string,
    per: number,
    call: () => Promise<{ status: number }>,
    note?: string,
  ): Promise<RequestFigure>;
}

export async function withPlatform<T>(
  run: (p: Platform) => Promise<T>,
  opts: Pick<LocalServerOptions, 'meter'> & { city?: boolean } = {},
): Promise<T> {
  const dynamo = await startDynamoLocal({ inMemory: true, port: 0 });
  const layer = await startDynamoLayer({ target: dynamo.endpoint });
  const tableName = `bench-${Date.now().toString(36)}`;
  await ensureTable(layer.endpoint, tableName);
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DISTRICT_ID: LOCAL_DISTRICT_ID,
    DYNAMODB_ENDPOINT: layer.endpoint,
    AWS_REGION: LOCAL_REGION,
    // The level the stacks run with (info: one line a request), so that log bytes are the cloud's.
    LOG_LEVEL: process.env.PIONEER_BENCH_LOG_LEVEL ?? 'warn',
  });
  deployLocally({
    districtId: LOCAL_DISTRICT_ID,
    region: LOCAL_REGION,
    dynamoEndpoint: layer.endpoint,
    districtTable: tableName,
  });
  let identity: LocalIdentity | undefined;
  if (opts.city) {
    await startLocalCity(layer.endpoint, { tableName: `${tableName}-city` });
    // The user pool (the roles routes ask it about MFA) and the stream consumers, reading the stream
    // past the layer so that polling is not metered.
    identity = await startLocalIdentity({ quiet: true, streamEndpoint: dynamo.endpoint });
  }
  const server = await startLocalServer({
    port: 0,
    quiet: true,
    meter: opts.meter,
    routes: opts.city ? [...ROUTES, ...CITY_ROUTES] : ROUTES,
  });
  const api = client(server.url);
  const measurePer = async (label: string, per: number, call: () => Promise<{ status: number }>, note?: string) => {
    // What earlier requests left for the stream consumers is done before this one is metered.
    await identity?.streams.settle();
    const m = measureDb();
    let logBytes = 0;
    // Count the function's log and metric lines (the log group's ingestion), print none.
    const count = (line: string) => {
      logBytes += Buffer.byteLength(line) + 1;
    };
    const restoreLogs = setLogSink(count);
    const restoreMetrics = setMetricSink(count);
    let status = 0;
    try {
      status = (await call()).status;
    } finally {
      stopMeasuringDb();
      restoreLogs();
      restoreMetrics();
    }
    return {
      label,
      status,
      calls: m.calls / per,
      capacityUnits: m.capacityUnits / per,
      readUnits: m.readUnits / per,
      writeUnits: m.writeUnits / per,
      transactUnits: m.transactUnits / per,
      readCalls: m.readCalls / per,
      writeCalls: m.writeCalls / per,
      transactCalls: m.transactCalls / per,
      logBytes: logBytes / per,
      ...(note ? { note } : {}),
    };
  };
  try {
    return await run({
      api,
      layer,
      ...(identity ? { cognitoEndpoint: identity.cognito.endpoint } : {}),
      measure: (label, call, note) => measurePer(label, 1, call, note),
      measurePer,
    });
  } finally {
    await server.close();
    await identity?.close();
    await layer.close();
    await dynamo.stop();
  }
}

export function table(title: string, rows: readonly RequestFigure[]): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  return [
    `\n## ${title}\n`,
    '| request | status | DynamoDB round trips | capacity units | note |',
    '|---|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.label} | ${r.status} | ${fmt(r.calls)} | ${fmt(r.capacityUnits)} | ${r.note ?? ''} |`),
  ].join('\n');
}

import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { measureDb, stopMeasuringDb } from '../../shared/db/client.ts';
import { setLogSink } from '../../shared/http/logger.ts';
import { setMetricSink } from '../../shared/metrics/metrics.ts';
import { deployLocally } from '../../infra/local/deployment.ts';
import { ensureTable, LOCAL_REGION, startDynamoLocal } from '../../infra/local/dynamo.ts';
import { startLocalServer } from '../../infra/local/server.ts';
import { client } from '../support/client.ts';

/**
 * Per-request cost, measured through the real HTTP path (local API Gateway emulator, the
 * function's handler, the middy stack) against DynamoDB Local: round trips to DynamoDB and the
 * capacity units DynamoDB reports (ReturnConsumedCapacity TOTAL). DynamoDB Local reports a
 * transaction's units as the sum of its items, without the cloud's 2x for transactions: the
 * figures are for comparing designs, not for the bill.
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
  measure(label: string, call: () => Promise<{ status: number }>, note?: string): Promise<RequestFigure>;
  /** Measures one call that stands for `per` units of work (e.g. close with N attendees): reports per unit. */
  measurePer(
    label: string,
    per: number,
    call: () => Promise<{ status: number }>,
    note?: string,
  ): Promise<RequestFigure>;
}

export async function withPlatform<T>(run: (p: Platform) => Promise<T>): Promise<T> {
  const dynamo = await startDynamoLocal({ inMemory: true, port: 0 });
  const tableName = `bench-${Date.now().toString(36)}`;
  await ensureTable(dynamo.endpoint, tableName);
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DISTRICT_ID: LOCAL_DISTRICT_ID,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_REGION: LOCAL_REGION,
    // The level the stacks run with (info: one line a request), so that log bytes are the cloud's.
    LOG_LEVEL: process.env.PIONEER_BENCH_LOG_LEVEL ?? 'warn',
  });
  deployLocally({
    districtId: LOCAL_DISTRICT_ID,
    region: LOCAL_REGION,
    dynamoEndpoint: dynamo.endpoint,
    districtTable: tableName,
  });
  const server = await startLocalServer({ port: 0, quiet: true });
  const api = client(server.url);
  const measurePer = async (label: string, per: number, call: () => Promise<{ status: number }>, note?: string) => {
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
    return await run({ api, measure: (label, call, note) => measurePer(label, 1, call, note), measurePer });
  } finally {
    await server.close();
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

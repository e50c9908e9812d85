// verify-counters' throughput: `npx tsx test/bench/verify.ts [N ...]` (or verifyBench()).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureDb, stopMeasuringDb } from '../../shared/db/client.ts';
import { verifyCounters } from '../../shared/services/verify.ts';
import { startDynamoLocal } from '../../infra/local/dynamo.ts';
import { pad2, seedMonth, useBenchTable } from './seed.ts';

/**
 * Seeds N service records of one month across a district (10 streets x 10 communities, 20 teams)
 * with BatchWriteItem, and the counters they add to (one ADD per scope, as the records' own
 * transactions would have left them), then runs verify-counters on that month: it reads every
 * record (a paginated Query of RECORDS#<month>, 1,000 items a page) and the live counters, and must find
 * no difference. Reports records read per second, round trips and capacity units.
 * DynamoDB Local (on disk) on this machine: the figures compare designs, they are not the cloud's.
 */
const STREETS = 10;
const COMMUNITIES_PER_STREET = 10;
const TEAMS = 20;

export interface VerifyBenchRow {
  readonly records: number;
  readonly month: string;
  readonly seedSeconds: number;
  readonly ms: number;
  readonly itemsRead: number;
  readonly recordsPerSecond: number;
  readonly scopes: number;
  readonly differences: number;
  readonly calls: number;
  readonly capacityUnits: number;
  readonly heapMB: number;
}

/** N records recorded in `month`, and their counters; returns the seconds it took. */
export const seedRecords = (records: number, month: string) =>
  seedMonth(
    records,
    month,
    { streets: STREETS, communitiesPerStreet: COMMUNITIES_PER_STREET, gridsPerCommunity: 0, teams: TEAMS },
    { prefix: 'vb' },
  );

async function measuredVerify(
  records: number,
  month: string,
  seedSeconds: number,
  pageSize: number | undefined,
): Promise<VerifyBenchRow> {
  const m = measureDb();
  try {
    const out = await verifyCounters({ month, pageSize });
    const heapMB = process.memoryUsage().heapUsed / 2 ** 20;
    return {
      records,
      month,
      seedSeconds,
      ms: out.ms,
      itemsRead: out.itemsRead,
      recordsPerSecond: out.itemsRead / (out.ms / 1000),
      scopes: out.scopes,
      differences: out.differences.length,
      calls: m.calls,
      capacityUnits: m.capacityUnits,
      heapMB,
    };
  } finally {
    stopMeasuringDb();
  }
}

/**
 * Starts a DynamoDB Local on a throwaway folder (on disk: 100,000 records and their index copies
 * do not fit the in-memory mode's 256 MB Java heap), seeds each size in its own month, and runs
 * verify-counters on it.
 */
export async function verifyBench(
  sizes: readonly number[] = [10_000, 100_000],
  pageSize?: number,
): Promise<VerifyBenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pioneer-bench-verify-'));
  const dynamo = await startDynamoLocal({ dataDir, inMemory: false, port: 0 });
  const restoreEnv = await useBenchTable(dynamo.endpoint, 'bench-verify');
  const rows: VerifyBenchRow[] = [];
  try {
    // Warm-up (module loading, connections, DynamoDB Local's JIT): not reported.
    await measuredVerify(2_000, '2023-12', await seedRecords(2_000, '2023-12'), pageSize);
    for (const [k, records] of sizes.entries()) {
      const month = `2024-${pad2(k + 1)}`;
      const seeded = await seedRecords(records, month);
      process.stderr.write(`verify bench: seeded ${records} records in ${seeded.toFixed(1)} s\n`);
      rows.push(await measuredVerify(records, month, seeded, pageSize));
    }
  } finally {
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
    restoreEnv();
  }
  return rows;
}

export function verifyTable(rows: readonly VerifyBenchRow[]): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    `\n## verify-counters: records per second (${STREETS} streets x ${COMMUNITIES_PER_STREET} communities, ${TEAMS} teams; DynamoDB Local on disk)\n`,
    '| records in the month | seeding (BatchWriteItem) | items read | time (ms) | records / s | scopes | differences | DynamoDB round trips | capacity units | heap after (MB) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${n(r.records)} | ${r.seedSeconds.toFixed(1)} s | ${n(r.itemsRead)} | ${n(r.ms)} | ${n(r.recordsPerSecond)} | ${r.scopes} | ${r.differences} | ${r.calls} | ${r.capacityUnits.toFixed(1)} | ${r.heapMB.toFixed(0)} |`,
    ),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((x) => Number.isInteger(x) && x > 0);
  const rows = await verifyBench(sizes.length > 0 ? sizes : undefined);
  console.log(verifyTable(rows));
  process.exit(rows.every((r) => r.differences === 0) ? 0 : 1);
}

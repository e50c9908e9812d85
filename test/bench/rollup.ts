// The rollup's cost against the month's activity: `npx tsx test/bench/rollup.ts` (or rollupBench()).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { pathToFileURL } from 'node:url';
import { measureDb, stopMeasuringDb } from '../../shared/db/client.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { runRollup, type RollupResult } from '../../shared/services/stats.ts';
import { startDynamoLocal } from '../../infra/local/dynamo.ts';
import { pad2, seedMonth, useBenchTable } from './seed.ts';

/**
 * Seeds a month of service records across a district (10 streets x 10 communities x 5 grids,
 * 20 teams) with BatchWriteItem, with the counters those records add to (and, per record, a
 * check-in at one of the grids, so that every scope has counters), then runs the rollup on
 * that month, and again (a no-op). Done for 10,000 and for 100,000 records, each in its own
 * month: the rollup reads counters only, so its time and capacity must stay flat.
 */
const STREETS = 10;
const COMMUNITIES_PER_STREET = 10;
const GRIDS_PER_COMMUNITY = 5;
const TEAMS = 20;

export interface RollupBenchRow {
  readonly records: number;
  readonly month: string;
  readonly seedSeconds: number;
  readonly run: 'first' | 'again';
  readonly ms: number;
  readonly calls: number;
  readonly capacityUnits: number;
  readonly created: number;
  readonly existing: number;
  readonly scopes: number;
}

const SHAPE = {
  streets: STREETS,
  communitiesPerStreet: COMMUNITIES_PER_STREET,
  gridsPerCommunity: GRIDS_PER_COMMUNITY,
  teams: TEAMS,
};
const seedMonthOf = (records: number, month: string) =>
  seedMonth(records, month, SHAPE, { prefix: 'b', gridCheckIns: true });

async function measuredRollup(
  month: string,
): Promise<{ result: RollupResult; ms: number; calls: number; capacityUnits: number }> {
  const m = measureDb();
  const started = performance.now();
  try {
    const result = await runRollup({ month });
    return { result, ms: performance.now() - started, calls: m.calls, capacityUnits: m.capacityUnits };
  } finally {
    stopMeasuringDb();
  }
}

/** Starts an in-memory DynamoDB Local, seeds 10,000 then 100,000 records (each in its own month) and runs the rollup on each. */
export async function rollupBench(sizes: readonly number[] = [10_000, 100_000]): Promise<RollupBenchRow[]> {
  const dynamo = await startDynamoLocal({ inMemory: true, port: 0 });
  const restoreEnv = await useBenchTable(dynamo.endpoint, 'bench-rollup');
  setPublisher({ publish: async () => {} });
  const rows: RollupBenchRow[] = [];
  try {
    // Warm-up (module loading, connections, DynamoDB Local's JIT): a small month, not reported.
    await seedMonthOf(1_000, '2023-12');
    await runRollup({ month: '2023-12' });
    for (const [k, records] of sizes.entries()) {
      const month = `2024-${pad2(k + 1)}`;
      const seedSeconds = await seedMonthOf(records, month);
      for (const run of ['first', 'again'] as const) {
        const r = await measuredRollup(month);
        rows.push({
          records,
          month,
          seedSeconds,
          run,
          ms: r.ms,
          calls: r.calls,
          capacityUnits: r.capacityUnits,
          created: r.result.created,
          existing: r.result.existing,
          scopes: r.result.scopes,
        });
      }
    }
  } finally {
    setPublisher(undefined);
    await dynamo.stop();
    restoreEnv();
  }
  return rows;
}

export function rollupTable(rows: readonly RollupBenchRow[]): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return [
    `\n## Monthly rollup: cost against the month's records (${STREETS} streets x ${COMMUNITIES_PER_STREET} communities x ${GRIDS_PER_COMMUNITY} grids, ${TEAMS} teams)\n`,
    '| records in the month | seeding (BatchWriteItem) | run | scopes | snapshots written / already there | time (ms) | DynamoDB round trips | capacity units |',
    '|---:|---:|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.records.toLocaleString('en-US')} | ${r.seedSeconds.toFixed(1)} s (${Math.round(r.records / r.seedSeconds).toLocaleString('en-US')} records/s) | ${r.run === 'first' ? 'first' : 'again (no-op)'} | ${r.scopes} | ${r.created} / ${r.existing} | ${fmt(r.ms)} | ${r.calls} | ${fmt(r.capacityUnits)} |`,
    ),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await rollupBench();
  console.log(rollupTable(rows));
  process.exit(0);
}

// The rollup's cost against the month's activity: `npx tsx test/bench/rollup.ts` (or rollupBench()).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { pathToFileURL } from 'node:url';
import { BatchWriteCommand, UpdateCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { resetEnv } from '../../shared/config/env.ts';
import { db, measureDb, stopMeasuringDb, tableName } from '../../shared/db/client.ts';
import { counterUpdate, placeScopes, type ScopeRef } from '../../shared/db/counters.ts';
import { recordIdFor, recordItem, recordScopes } from '../../shared/db/records.ts';
import type { Item } from '../../shared/db/table.ts';
import type { ServiceRecord } from '../../shared/domain/records.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { runRollup, type RollupResult } from '../../shared/services/stats.ts';
import { ensureTable, LOCAL_REGION, startDynamoLocal } from '../../infra/local/dynamo.ts';

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
const PARALLEL = 16;

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

async function pool<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function batchWrite(items: readonly Item[]): Promise<void> {
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await pool(chunks, PARALLEL, async (chunk) => {
    let requests: NonNullable<BatchWriteCommandOutput['UnprocessedItems']>[string] | undefined = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests && requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      const out: BatchWriteCommandOutput = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
      requests = out.UnprocessedItems?.[tableName()];
    }
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** N records in `month` spread over the district; the counters they add to; returns the seconds it took. */
async function seedMonth(records: number, month: string): Promise<number> {
  const started = performance.now();
  const counters = new Map<string, { ref: ScopeRef; inc: Record<string, number> }>();
  const add = (ref: ScopeRef, inc: Record<string, number>) => {
    const key = `${ref.scope}#${ref.id}`;
    const c = counters.get(key) ?? { ref, inc: {} };
    for (const [k, v] of Object.entries(inc)) c.inc[k] = (c.inc[k] ?? 0) + v;
    counters.set(key, c);
  };
  const BATCH = 5000;
  for (let from = 0; from < records; from += BATCH) {
    const items: Item[] = [];
    for (let i = from; i < Math.min(records, from + BATCH); i++) {
      const s = i % STREETS;
      const c = Math.floor(i / STREETS) % COMMUNITIES_PER_STREET;
      const g = Math.floor(i / (STREETS * COMMUNITIES_PER_STREET)) % GRIDS_PER_COMMUNITY;
      const streetId = `st-b${pad(s)}`;
      const communityId = `co-b${pad(s)}${pad(c)}`;
      const teamId = `tm-b${pad(i % TEAMS)}`;
      const hours = 1 + (i % 4) * 0.5;
      const day = 1 + (i % 28);
      const recordedAt = `${month}-${pad(day)}T04:00:00.000Z`;
      const activityId = `ac-bench-${month}-${Math.floor(i / 50)}`;
      const memberId = `m-bench-${i}`;
      const r: ServiceRecord = {
        recordId: recordIdFor(activityId, memberId),
        memberId,
        memberName: '张三',
        activityId,
        activityName: '义诊进社区',
        date: `${month}-${pad(day)}`,
        place: '锦江区某社区活动中心',
        content: '为居民量血压、讲解健康知识',
        hours,
        organisingUnit: '测试志愿服务队',
        activityLeader: '队长',
        teamId,
        communityId,
        streetId,
        recordedAt,
        late: false,
        source: 'activity',
        history: [{ at: recordedAt, by: 'bench', kind: 'created', hoursAfter: hours }],
      };
      items.push(recordItem(r));
      for (const ref of recordScopes(r, LOCAL_DISTRICT_ID)) add(ref, { volunteerTimes: 1, volunteerHours: hours });
      for (const ref of placeScopes({ districtId: LOCAL_DISTRICT_ID, streetId, communityId, gridId: `gr-b${pad(s)}${pad(c)}${g}` }))
        add(ref, { checkIns: 1 });
    }
    await batchWrite(items);
  }
  // The counters, as the records' own transactions would have left them (ADD), one update per scope.
  await pool([...counters.values()], PARALLEL, async ({ ref, inc }) => {
    await db().send(new UpdateCommand(counterUpdate(ref, month, inc).Update!));
  });
  return (performance.now() - started) / 1000;
}

async function measuredRollup(month: string): Promise<{ result: RollupResult; ms: number; calls: number; capacityUnits: number }> {
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
  const saved = { ...process.env };
  Object.assign(process.env, {
    TABLE_NAME: `bench-rollup-${Date.now().toString(36)}`,
    DISTRICT_ID: LOCAL_DISTRICT_ID,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    LOG_LEVEL: 'warn',
  });
  resetEnv();
  await ensureTable(dynamo.endpoint, process.env.TABLE_NAME!);
  setPublisher({ publish: async () => {} });
  const rows: RollupBenchRow[] = [];
  try {
    // Warm-up (module loading, connections, DynamoDB Local's JIT): a small month, not reported.
    await seedMonth(1_000, '2023-12');
    await runRollup({ month: '2023-12' });
    for (const [k, records] of sizes.entries()) {
      const month = `2024-${pad(k + 1)}`;
      const seedSeconds = await seedMonth(records, month);
      for (const run of ['first', 'again'] as const) {
        const r = await measuredRollup(month);
        rows.push({ records, month, seedSeconds, run, ms: r.ms, calls: r.calls, capacityUnits: r.capacityUnits, created: r.result.created, existing: r.result.existing, scopes: r.result.scopes });
      }
    }
  } finally {
    setPublisher(undefined);
    await dynamo.stop();
    for (const key of ['TABLE_NAME', 'DISTRICT_ID', 'DYNAMODB_ENDPOINT', 'AWS_REGION', 'LOG_LEVEL']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    resetEnv();
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

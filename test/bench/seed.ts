import { BatchWriteCommand, UpdateCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { ensureTable, LOCAL_REGION } from '../../infra/local/dynamo.ts';
import { counterUpdate } from '../../shared/db/counters.ts';
import { recordItem } from '../../shared/db/records.ts';
import { counterChanges, placeScopes, type ScopeRef } from '../../shared/domain/counters.ts';
import { recordIdFor, type ServiceRecord } from '../../shared/domain/records.ts';
import { db, tableName } from '../../shared/db/client.ts';
import type { Item } from '../../shared/db/table.ts';

/** Bulk seeding for the benchmarks: BatchWriteItem, 25 items a call, a pool of parallel calls. */
export async function pool<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Writes every item, retrying what DynamoDB leaves unprocessed with a short backoff. */
export async function batchWrite(items: readonly Item[], parallel = 16): Promise<void> {
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await pool(chunks, parallel, async (chunk) => {
    let requests: NonNullable<BatchWriteCommandOutput['UnprocessedItems']>[string] | undefined = chunk.map((Item) => ({
      PutRequest: { Item },
    }));
    for (let attempt = 0; requests && requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      const out: BatchWriteCommandOutput = await db().send(
        new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }),
      );
      requests = out.UnprocessedItems?.[tableName()];
    }
  });
}

export const pad2 = (n: number) => String(n).padStart(2, '0');

/** A synthetic district: streets × communities (× grids), and teams. */
export interface DistrictShape {
  readonly streets: number;
  readonly communitiesPerStreet: number;
  readonly gridsPerCommunity: number;
  readonly teams: number;
}

/**
 * `records` service records recorded in `month`, spread over the district, and the counters they
 * add to, as the records' own transactions would have left them (one ADD per scope). With
 * `gridCheckIns`, each record also counts a check-in on a grid, so the rollup has grids to walk
 * (the verify bench leaves it off: it rebuilds check-ins from check-in facts, which this writes
 * none of). Returns the seconds it took.
 */
export async function seedMonth(
  records: number,
  month: string,
  shape: DistrictShape,
  opts: { prefix: string; gridCheckIns?: boolean },
): Promise<number> {
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
      const s = i % shape.streets;
      const c = Math.floor(i / shape.streets) % shape.communitiesPerStreet;
      const g = Math.floor(i / (shape.streets * shape.communitiesPerStreet)) % Math.max(1, shape.gridsPerCommunity);
      const streetId = `st-${opts.prefix}${pad2(s)}`;
      const communityId = `co-${opts.prefix}${pad2(s)}${pad2(c)}`;
      const hours = 1 + (i % 4) * 0.5;
      const day = 1 + (i % 28);
      const recordedAt = `${month}-${pad2(day)}T04:00:00.000Z`;
      const activityId = `ac-${opts.prefix}-${month}-${Math.floor(i / 50)}`;
      const memberId = `m-${opts.prefix}-${i}`;
      const r: ServiceRecord = {
        recordId: recordIdFor(activityId, memberId),
        memberId,
        memberName: '张三',
        activityId,
        activityName: '义诊进社区',
        date: `${month}-${pad2(day)}`,
        place: '锦江区某社区活动中心',
        content: '为居民量血压、讲解健康知识',
        hours,
        organisingUnit: '测试志愿服务队',
        activityLeader: '队长',
        teamId: `tm-${opts.prefix}${pad2(i % shape.teams)}`,
        communityId,
        streetId,
        recordedAt,
        late: false,
        source: 'activity',
        history: [{ at: recordedAt, by: 'bench', kind: 'created', hoursAfter: hours }],
      };
      items.push(recordItem(r));
      for (const c of counterChanges([{ kind: 'record', fact: r }], LOCAL_DISTRICT_ID)) add(c.ref, c.increments);
      if (opts.gridCheckIns)
        for (const ref of placeScopes({
          districtId: LOCAL_DISTRICT_ID,
          streetId,
          communityId,
          gridId: `gr-${opts.prefix}${pad2(s)}${pad2(c)}${g}`,
        }))
          add(ref, { checkIns: 1 });
    }
    await batchWrite(items);
  }
  await pool([...counters.values()], 16, async ({ ref, inc }) => {
    await db().send(new UpdateCommand(counterUpdate(ref, month, inc).Update!));
  });
  return (performance.now() - started) / 1000;
}

const BENCH_ENV = [
  'TABLE_NAME',
  'DISTRICT_ID',
  'DYNAMODB_ENDPOINT',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'LOG_LEVEL',
] as const;

/**
 * Points this process at a fresh table on `endpoint` (as Lambda's environment would), creates it,
 * and returns the function that puts the environment back.
 */
export async function useBenchTable(endpoint: string, prefix: string): Promise<() => void> {
  const saved = Object.fromEntries(BENCH_ENV.map((k) => [k, process.env[k]]));
  Object.assign(process.env, {
    TABLE_NAME: `${prefix}-${Date.now().toString(36)}`,
    DISTRICT_ID: LOCAL_DISTRICT_ID,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    LOG_LEVEL: 'warn',
  });
  await ensureTable(endpoint, process.env.TABLE_NAME!);
  return () => {
    for (const k of BENCH_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}

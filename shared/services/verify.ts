import { env } from '../config/env.ts';
import { nowMs } from '../domain/clock.ts';
import {
  CHILD_SCOPES,
  COUNTED_FACTS,
  factDeltas,
  factScopes,
  scopeTag,
  type ParentScope,
  type Scope,
} from '../domain/counters.ts';
import { DomainError } from '../domain/errors.ts';
import { MONTH_PATTERN, monthOf } from '../domain/time.ts';
import { compareTotals, countersOf, Totals, type Difference, type ScopeId } from '../domain/verify.ts';
import { childCounterPages, factPages } from '../db/facts.ts';
import { isCounterShard } from '../db/keys.ts';
import type { Item } from '../db/table.ts';

/**
 * verify-counters: rebuilds a month's counters of every scope from the raw facts (shared/db/facts.ts)
 * and compares them with the live counters. Each kind of fact is one paginated Query by month
 * (never a Scan); pages are folded into per-scope sums as they arrive, so memory grows with the
 * number of scopes, not with the month. The live counters are read by walking the counters'
 * parent index (city -> districts -> streets and teams -> communities -> grids).
 * Each fact counts exactly as its write path counts it: both read the counters table
 * (shared/domain/counters.ts COUNTED_FACTS), every kind of fact it declares.
 */
export interface VerifyResult {
  readonly month: string;
  /** Scopes compared (live or rebuilt). */
  readonly scopes: number;
  /** Counter values compared. */
  readonly counters: number;
  readonly differences: Difference[];
  /** Raw fact items read. */
  readonly itemsRead: number;
  readonly ms: number;
}

/** Items per Query page (at most): a page of records is well under DynamoDB's 1 MB, and memory stays flat. */
export const PAGE_SIZE = 1000;

/** `table`: the counters table to rebuild by (the declared one; tests pass an extended one). */
export async function verifyCounters(
  input: { month?: string; pageSize?: number; table?: object } = {},
): Promise<VerifyResult> {
  const started = Date.now();
  // By default the month of yesterday (Asia/Shanghai): run daily at 01:00 it checks the month so
  // far, and on the 1st the whole month just ended, before the 02:00 rollup freezes it.
  const month = input.month ?? monthOf(new Date(nowMs() - 24 * 3600 * 1000));
  if (!MONTH_PATTERN.test(month)) throw new DomainError('VALIDATION_FAILED', `month must be YYYY-MM, got "${month}"`);
  const pageSize = input.pageSize ?? PAGE_SIZE;
  if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= PAGE_SIZE))
    throw new DomainError('VALIDATION_FAILED', `pageSize must be an integer from 1 to ${PAGE_SIZE}`);
  const table = (input.table ?? COUNTED_FACTS) as { facts: object };
  const districtId = env().districtId;
  const rebuilt = new Totals();
  let itemsRead = 0;

  const drain = async (kind: string) => {
    for await (const page of factPages(kind, month, { pageSize })) {
      itemsRead += page.length;
      for (const fact of page) {
        const f = { kind, fact };
        const deltas = factDeltas(f, table);
        if (Object.keys(deltas).length > 0) rebuilt.add(factScopes(f, districtId, table), deltas);
      }
    }
  };
  await Promise.all(Object.keys(table.facts).map(drain));

  const live = await liveTotals(month, rebuilt, pageSize);
  const { differences, scopes, counters } = compareTotals(live, rebuilt);
  return { month, scopes, counters, differences, itemsRead, ms: Date.now() - started };
}

/**
 * The live counters of the month: level by level from the city, the children of every scope
 * found live or rebuilt at the level above (so a counter that exists only live is found too).
 */
async function liveTotals(month: string, rebuilt: Totals, pageSize: number): Promise<Totals> {
  const live = new Totals();
  let parents: { scope: ParentScope; id: string }[] = [{ scope: 'city', id: 'city' }];
  const seen = new Set<string>();
  while (parents.length > 0) {
    const found: ScopeId[] = [];
    await Promise.all(
      parents.map(async (parent) => {
        for await (const page of childCounterPages(month, parent, { pageSize })) {
          for (const i of page as Item[]) {
            const ref: ScopeId = { scope: i.scope as Scope, id: String(i.scopeId) };
            if (!isCounterShard(String(i.sk), month)) continue;
            live.add([ref], countersOf(i));
            found.push(ref);
          }
        }
      }),
    );
    const childScopes = new Set(parents.flatMap((p) => CHILD_SCOPES[p.scope]));
    const next = [...found, ...rebuilt.scopes().filter((r) => childScopes.has(r.scope))];
    parents = [];
    for (const r of next) {
      const key = scopeTag(r);
      if (seen.has(key) || CHILD_SCOPES[r.scope].length === 0) continue;
      seen.add(key);
      parents.push(r);
    }
  }
  return live;
}

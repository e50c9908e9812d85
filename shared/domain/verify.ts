import type { Scope } from './counters.ts';

/**
 * verify-counters, the pure part: per-scope sums rebuilt from raw facts, and their comparison
 * with the live counters. The job streams facts a page at a time into `Totals` (one entry per
 * scope, never per fact), so its memory grows with the number of scopes, not with the month.
 */
export interface ScopeId {
  readonly scope: Scope;
  readonly id: string;
}

export interface Difference {
  readonly scope: Scope;
  readonly id: string;
  readonly counter: string;
  readonly live: number;
  readonly rebuilt: number;
}

/** Counter sums per scope. */
export class Totals {
  readonly #byScope = new Map<string, { ref: ScopeId; sums: Record<string, number> }>();

  add(refs: readonly ScopeId[], increments: Readonly<Record<string, number>>): void {
    for (const ref of refs) {
      const key = `${ref.scope}#${ref.id}`;
      let e = this.#byScope.get(key);
      if (!e) this.#byScope.set(key, (e = { ref: { scope: ref.scope, id: ref.id }, sums: {} }));
      for (const [name, by] of Object.entries(increments)) e.sums[name] = (e.sums[name] ?? 0) + by;
    }
  }

  get(ref: ScopeId): Readonly<Record<string, number>> | undefined {
    return this.#byScope.get(`${ref.scope}#${ref.id}`)?.sums;
  }

  scopes(): ScopeId[] {
    return [...this.#byScope.values()].map((e) => e.ref);
  }

  has(ref: ScopeId): boolean {
    return this.#byScope.has(`${ref.scope}#${ref.id}`);
  }

  get size(): number {
    return this.#byScope.size;
  }
}

/** Attributes of a live counter item that are not counters. */
export const COUNTER_ITEM_META = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'scope', 'scopeId', 'month', 'type']);

/** The numeric counters of a live counter item. */
export function countersOf(item: Readonly<Record<string, unknown>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(item)) {
    if (COUNTER_ITEM_META.has(k)) continue;
    const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/**
 * Every (scope, counter) where live and rebuilt differ (absent = 0), in a stable order; and how
 * many scopes and counter values were compared.
 */
export function compareTotals(
  live: Totals,
  rebuilt: Totals,
): { differences: Difference[]; scopes: number; counters: number } {
  const refs = new Map<string, ScopeId>();
  for (const r of [...live.scopes(), ...rebuilt.scopes()]) refs.set(`${r.scope}#${r.id}`, r);
  const differences: Difference[] = [];
  let counters = 0;
  for (const ref of [...refs.keys()].sort().map((tag) => refs.get(tag)!)) {
    const l = live.get(ref) ?? {};
    const r = rebuilt.get(ref) ?? {};
    for (const counter of [...new Set([...Object.keys(l), ...Object.keys(r)])].sort()) {
      counters++;
      const a = l[counter] ?? 0;
      const b = r[counter] ?? 0;
      if (a !== b) differences.push({ scope: ref.scope, id: ref.id, counter, live: a, rebuilt: b });
    }
  }
  return { differences, scopes: refs.size, counters };
}

import { scopeTag, type ParentScope } from '../domain/counters.ts';
import { figuresOf, type Figures, type StatsScope } from '../domain/stats.ts';
import {
  childCountersQuery,
  childOf,
  childSnapshotsQuery,
  communityKey,
  counterShardKeys,
  frozenKey,
  gridKey,
  snapshotKeys,
  streetKey,
  teamKey,
} from './keys.ts';
import { batchGet, getItem, queryAll, type Item, type Key } from './table.ts';
import { putIfAbsent } from './writes.ts';

/**
 * The statistics read side and the monthly rollup's snapshots.
 *   live counters  pk STATS#<scope>#<id>  sk MONTH#<YYYY-MM>#<shard>    gsi1 STATS#<YYYY-MM>#<parentScope>#<parentId> / <scope>#<id>#<shard>
 *                  (written by the data's own transactions: shared/db/counters.ts; a scope's figures are the sum of its shards)
 *   snapshot       pk STATS#<scope>#<id>  sk FROZEN#<YYYY-MM>   gsi1 STATS-FROZEN#<YYYY-MM>#<parentScope>#<parentId> / <scope>#<id>
 *                  { scope, scopeId, month, parentScope, parentId, frozenAt, figures }
 *                  written once by the rollup with attribute_not_exists(pk): immutable.
 * The district's snapshot (parent city/city) is written last: it marks the month as frozen.
 * Reads: a scope's month is one BatchGet (the district's snapshot, the scope's snapshot and its
 * live counters); its children one Query on gsi1 (live or frozen partition), paginated, bounded
 * by the number of child scopes; their names one BatchGet (100 keys a call). (Keys: shared/db/keys.ts.)
 */
export type { ParentScope };

export interface ScopeKey {
  readonly scope: StatsScope;
  readonly id: string;
}

export interface Snapshot {
  readonly scope: StatsScope;
  readonly id: string;
  readonly month: string;
  readonly parentScope: ParentScope;
  readonly parentId: string;
  readonly frozenAt: string;
  readonly figures: Figures;
}

/** A scope's figures for a month, live or frozen, as listed under its parent. */
export interface ScopeFigures extends ScopeKey {
  readonly figures: Figures;
}

/** Attributes of a live counter item that are not counters. */
const NOT_COUNTERS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'scope', 'scopeId', 'month', 'type'];

export function snapshotItem(s: Snapshot): Item {
  return {
    ...snapshotKeys(s),
    type: 'stats-frozen',
    scope: s.scope,
    scopeId: s.id,
    month: s.month,
    parentScope: s.parentScope,
    parentId: s.parentId,
    frozenAt: s.frozenAt,
    figures: s.figures,
  };
}

function toSnapshot(i: Item): Snapshot {
  return {
    scope: i.scope as StatsScope,
    id: String(i.scopeId),
    month: String(i.month),
    parentScope: i.parentScope as ParentScope,
    parentId: String(i.parentId),
    frozenAt: String(i.frozenAt),
    figures: figuresOf(i.figures as Record<string, unknown>),
  };
}

/** The live counters of one item (every counter name, 0 when absent). */
export const liveFigures = (i: Item | undefined): Figures => figuresOf(i, NOT_COUNTERS);

/** A scope's live counters: the sum of its shards' (every counter name, 0 when none). */
export function sumFigures(items: readonly (Item | undefined)[]): Figures {
  const out = liveFigures(undefined);
  for (const i of items) for (const [k, v] of Object.entries(liveFigures(i))) out[k] = (out[k] ?? 0) + v;
  return out;
}

const itemsAt = (found: Map<string, Item>, keys: readonly Key[]) => keys.map((k) => found.get(`${k.pk}|${k.sk}`));

export interface MonthState {
  /** The district's snapshot of the month, when the month is frozen. */
  readonly districtSnapshot: Snapshot | undefined;
  /** The scope's own snapshot (the district's, for the district). */
  readonly snapshot: Snapshot | undefined;
  /** The scope's live counters. */
  readonly live: Figures;
}

/** One BatchGet: is the month frozen (the district's snapshot), the scope's snapshot and live counters. */
export async function readMonth(districtId: string, scope: ScopeKey, month: string): Promise<MonthState> {
  const dk = frozenKey('district', districtId, month);
  const sk = frozenKey(scope.scope, scope.id, month);
  const lk = counterShardKeys(scope.scope, scope.id, month);
  const items = await batchGet([dk, sk, ...lk]);
  const get = (k: Key) => items.get(`${k.pk}|${k.sk}`);
  const district = get(dk);
  const own = get(sk);
  return {
    districtSnapshot: district && toSnapshot(district),
    snapshot: own && toSnapshot(own),
    live: sumFigures(itemsAt(items, lk)),
  };
}

/** A parent's children with live counters for the month (gsi1, every page; bounded by the number of children). */
export async function liveChildren(month: string, parent: { scope: ParentScope; id: string }): Promise<ScopeFigures[]> {
  const items = await queryAll(childCountersQuery(month, parent));
  const children = new Map<string, { scope: ScopeKey['scope']; id: string; items: Item[] }>();
  for (const i of items) {
    const c = childOf(String(i.gsi1sk));
    const tag = scopeTag(c);
    let entry = children.get(tag);
    if (!entry) children.set(tag, (entry = { ...c, items: [] }));
    entry.items.push(i);
  }
  return [...children.values()].map((c) => ({ scope: c.scope, id: c.id, figures: sumFigures(c.items) }));
}

/** A parent's children's snapshots of the month (gsi1, every page). */
export async function frozenChildren(month: string, parent: { scope: ParentScope; id: string }): Promise<Snapshot[]> {
  const items = await queryAll(childSnapshotsQuery(month, parent));
  return items.map(toSnapshot);
}

/** A scope's live counters of a month (consistent read: the rollup freezes what is there). */
export async function getLive(scope: ScopeKey, month: string): Promise<Figures> {
  const keys = counterShardKeys(scope.scope, scope.id, month);
  return sumFigures(itemsAt(await batchGet(keys, undefined, true), keys));
}

export async function getSnapshot(scope: ScopeKey, month: string, consistent = true): Promise<Snapshot | undefined> {
  const k = frozenKey(scope.scope, scope.id, month);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && toSnapshot(i);
}

/**
 * Writes a snapshot unless one exists (attribute_not_exists): true when written, false when it
 * was already there (then nothing changed).
 */
export async function putSnapshot(s: Snapshot): Promise<boolean> {
  return putIfAbsent(snapshotItem(s));
}

/**
 * Chinese names of child scopes, by BatchGet of their entity items (streets, communities, grids
 * of `communityId`, teams): scopeTag -> name. Unknown ones are simply absent.
 */
export async function namesOf(
  children: readonly ScopeKey[],
  gridsOf: string | undefined,
): Promise<Map<string, string>> {
  const keyOf = (c: ScopeKey): Key | undefined => {
    switch (c.scope) {
      case 'street':
        return streetKey(c.id);
      case 'community':
        return communityKey(c.id);
      case 'grid':
        return gridsOf ? gridKey(gridsOf, c.id) : undefined;
      case 'team':
        return teamKey(c.id);
      default:
        return undefined;
    }
  };
  const wanted = children.flatMap((c) => {
    const k = keyOf(c);
    return k ? [{ c, k }] : [];
  });
  if (wanted.length === 0) return new Map();
  const items = await batchGet(
    wanted.map((w) => w.k),
    ['pk', 'sk', 'name'],
  );
  const names = new Map<string, string>();
  for (const { c, k } of wanted) {
    const name = items.get(`${k.pk}|${k.sk}`)?.name;
    if (typeof name === 'string') names.set(scopeTag(c), name);
  }
  return names;
}

/**
 * Several scopes' figures for a month at once (the public page's communities): their snapshots
 * when `frozen`, else their live counters; BatchGet, 100 keys a call. Missing ones are zeros.
 */
export async function figuresOfMany(
  scopes: readonly ScopeKey[],
  month: string,
  frozen: boolean,
): Promise<Map<string, Figures>> {
  const keysOf = (s: ScopeKey) => (frozen ? [frozenKey(s.scope, s.id, month)] : counterShardKeys(s.scope, s.id, month));
  const items = await batchGet(scopes.flatMap(keysOf));
  const out = new Map<string, Figures>();
  for (const s of scopes) {
    const found = itemsAt(items, keysOf(s));
    out.set(
      scopeTag(s),
      frozen ? figuresOf(found[0]?.figures as Record<string, unknown> | undefined) : sumFigures(found),
    );
  }
  return out;
}

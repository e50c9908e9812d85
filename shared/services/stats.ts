import { districtProfile, env, needAtColdStart, PROFILE_REQUIRED } from '../config/env.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import type { Caller } from '../domain/policy.ts';
import { ROLLUP_DETAIL_TYPE, type MonthlyRollupFrozen } from '../domain/rollup.ts';
import {
  CHILD_SCOPES,
  csvFileName,
  figuresOf,
  mayReadStats,
  rollupMonth,
  suppress,
  SUPPRESS_BELOW,
  type Figures,
  type PublicFigure,
  type ResolvedScope,
  type StatsScope,
  withAverages,
} from '../domain/stats.ts';
import { monthOf } from '../domain/time.ts';
import { scopeTag } from '../domain/counters.ts';
import * as places from '../db/places.ts';
import * as store from '../db/stats.ts';
import { getTeam } from '../db/teams.ts';
import { publisher } from '../events/publisher.ts';
import { type CsvLang, statsCsv } from '../views/csv.ts';

// The district's profile (its name, code, settings): in Lambda, the init fails naming what is missing.
needAtColdStart(...PROFILE_REQUIRED);

/**
 * Use cases of statistics: a scope's month (live counters, or the snapshot once the month is
 * frozen) for the admins of that scope, the same as CSV, the public headline figures with
 * small counts suppressed, and the monthly rollup job that freezes a month and tells the city.
 * Everything reads counters (one item per scope and month), never the raw records.
 */

export interface StatsQuery {
  readonly month: string;
  readonly scope: StatsScope;
  readonly id: string;
  /** The grid's community (grids are keyed under their community). */
  readonly communityId?: string;
}

export interface ChildView {
  readonly scope: StatsScope;
  readonly id: string;
  readonly name?: string;
  readonly figures: Figures;
}

export interface MonthlyStats {
  readonly month: string;
  readonly scope: StatsScope;
  readonly id: string;
  readonly name?: string;
  readonly frozen: boolean;
  readonly frozenAt?: string;
  readonly figures: Figures;
  readonly children: ChildView[];
}

const badQuery = (field: string, message: string) =>
  new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors: [{ field: `query.${field}`, message }] });

/** Finds the scope (404 when it does not exist) and its place in the hierarchy. */
async function resolve(q: StatsQuery): Promise<{ target: ResolvedScope; name?: string }> {
  if (q.scope === 'grid' && !q.communityId)
    throw badQuery('communityId', "required with scope=grid: the grid's community");
  if (q.scope !== 'grid' && q.communityId !== undefined) throw badQuery('communityId', 'only with scope=grid');
  switch (q.scope) {
    case 'district': {
      if (q.id !== env().districtId) throw notFound(`district ${q.id} (this API serves ${env().districtId})`);
      return { target: { scope: 'district', id: q.id }, name: districtProfile().nameZh };
    }
    case 'street': {
      const s = await places.getStreet(q.id);
      if (!s) throw notFound(`street ${q.id}`);
      return { target: { scope: 'street', id: q.id }, name: s.name };
    }
    case 'community': {
      const c = await places.getCommunity(q.id);
      if (!c) throw notFound(`community ${q.id}`);
      return {
        target: { scope: 'community', id: q.id, streetId: c.streetId, communityId: c.communityId },
        name: c.name,
      };
    }
    case 'grid': {
      const [c, g] = await Promise.all([places.getCommunity(q.communityId!), places.getGrid(q.communityId!, q.id)]);
      if (!c || !g) throw notFound(`grid ${q.id} in community ${q.communityId}`);
      return { target: { scope: 'grid', id: q.id, streetId: c.streetId, communityId: c.communityId }, name: g.name };
    }
    case 'team': {
      const t = await getTeam(q.id);
      if (!t) throw notFound(`team ${q.id}`);
      return { target: { scope: 'team', id: q.id, leaderMemberId: t.leaderMemberId }, name: t.name };
    }
  }
}

/** A month's counters of one scope, with its children's; the snapshot once the month is frozen. */
export async function monthlyStats(caller: Caller, q: StatsQuery): Promise<MonthlyStats> {
  const { target, name } = await resolve(q);
  if (!mayReadStats(caller, target))
    throw forbidden(`the statistics of ${q.scope} ${q.id} are for the admins of that scope and above`);
  const districtId = env().districtId;
  const scope = { scope: q.scope, id: q.id };
  const state = await store.readMonth(districtId, scope, q.month);
  const frozen = state.districtSnapshot !== undefined;
  const hasChildren = CHILD_SCOPES[q.scope].length > 0;
  const children: store.ScopeFigures[] = !hasChildren
    ? []
    : frozen
      ? await store.frozenChildren(q.month, scope)
      : await store.liveChildren(q.month, scope);
  const names = await store.namesOf(children, q.scope === 'community' ? q.id : undefined);
  return {
    month: q.month,
    scope: q.scope,
    id: q.id,
    ...(name !== undefined ? { name } : {}),
    frozen,
    ...(frozen ? { frozenAt: (state.snapshot ?? state.districtSnapshot)!.frozenAt } : {}),
    figures: withAverages(frozen ? (state.snapshot?.figures ?? figuresOf(undefined)) : state.live),
    children: children.map((c) => {
      const n = names.get(scopeTag(c));
      return { scope: c.scope, id: c.id, ...(n !== undefined ? { name: n } : {}), figures: withAverages(c.figures) };
    }),
  };
}

/** The same as CSV (UTF-8 with BOM, CRLF): one row per child, then the scope's own total row; headers in `lang`. */
export async function monthlyCsv(
  caller: Caller,
  q: StatsQuery,
  lang: CsvLang = 'en',
): Promise<{ csv: string; fileName: string; frozen: boolean }> {
  const s = await monthlyStats(caller, q);
  return {
    csv: statsCsv({ scope: s.scope, id: s.id, name: s.name, figures: s.figures }, s.children, undefined, lang),
    fileName: csvFileName(env().districtId, s.month, s.scope, s.id),
    frozen: s.frozen,
  };
}

// ---------- public ----------

export interface PublicStats {
  readonly month: string;
  readonly frozen: boolean;
  readonly frozenAt?: string;
  readonly suppressedBelow: number;
  readonly district: { readonly id: string; readonly name?: string; readonly figures: Record<string, PublicFigure> };
  readonly communities: {
    readonly id: string;
    readonly name: string;
    readonly streetId: string;
    readonly figures: Record<string, PublicFigure>;
  }[];
}

/** Every community of the district (one Query page after another; bounded by the number of communities). */
async function allCommunities(): Promise<{ communityId: string; name: string; streetId: string }[]> {
  const out: { communityId: string; name: string; streetId: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await places.listCommunities(undefined, 100, cursor);
    out.push(...page.items.map((c) => ({ communityId: c.communityId, name: c.name, streetId: c.streetId })));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * The district's and every community's headline figures for a month (default: this month,
 * Asia/Shanghai), counts under 5 shown as "<5" (shared/domain/stats.ts suppress). No token.
 */
export async function publicStats(month: string | undefined): Promise<PublicStats> {
  const m = month ?? monthOf(nowIso());
  const districtId = env().districtId;
  const [state, communities] = await Promise.all([
    store.readMonth(districtId, { scope: 'district', id: districtId }, m),
    allCommunities(),
  ]);
  const frozen = state.districtSnapshot !== undefined;
  const figures = await store.figuresOfMany(
    communities.map((c) => ({ scope: 'community' as const, id: c.communityId })),
    m,
    frozen,
  );
  return {
    month: m,
    frozen,
    ...(frozen ? { frozenAt: state.districtSnapshot!.frozenAt } : {}),
    suppressedBelow: SUPPRESS_BELOW,
    district: {
      id: districtId,
      name: districtProfile().nameZh,
      figures: suppress(frozen ? state.districtSnapshot!.figures : state.live),
    },
    communities: communities.map((c) => ({
      id: c.communityId,
      name: c.name,
      streetId: c.streetId,
      figures: suppress(figures.get(scopeTag({ scope: 'community', id: c.communityId })) ?? figuresOf(undefined)),
    })),
  };
}

// ---------- the rollup job ----------

export interface RollupResult {
  readonly month: string;
  readonly frozenAt: string;
  /** The month had been frozen before this run: nothing was written. */
  readonly alreadyFrozen: boolean;
  /** Snapshots written by this run. */
  readonly created: number;
  /** Snapshots that were already there (left unchanged: they are immutable). */
  readonly existing: number;
  readonly scopes: number;
  readonly published: boolean;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const PARALLEL = 16;
type Parent = { scope: StatsScope; id: string };

/**
 * Walks the tree district -> streets -> communities -> grids, and district -> teams, one gsi1
 * Query per parent (`children`), and returns every scope below the district, parents first.
 */
async function walk<T extends store.ScopeKey>(district: Parent, children: (p: Parent) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  let level: Parent[] = [district];
  while (level.length > 0) {
    const found = (await mapLimit(level, PARALLEL, children)).flat();
    all.push(...found);
    level = found.filter((c) => CHILD_SCOPES[c.scope].length > 0);
  }
  return all;
}

/**
 * The `rollup` job: freezes a month (default: last month, Asia/Shanghai). One immutable snapshot
 * per scope that has counters that month, and always one for the district (zeros for an empty
 * month), written last: it marks the month frozen. Reads counters only (one Query per parent
 * scope), so its cost follows the number of scopes, not the month's activity. A second run
 * writes nothing, reports the snapshots as `existing`, and publishes the same event again
 * (the city replaces, never adds). A run that stopped half-way is finished by the next one.
 */
export async function runRollup(args: { month?: unknown }): Promise<RollupResult> {
  const districtId = env().districtId;
  const month = rollupMonth(args.month, monthOf(nowIso()));
  const district: Parent = { scope: 'district', id: districtId };

  const done = await store.getSnapshot(district, month);
  if (done) {
    const below = await walk(district, (p) => store.frozenChildren(month, p));
    const streets = below.filter((s) => s.scope === 'street');
    const published = await publishRollup(districtId, month, done, streets);
    return {
      month,
      frozenAt: done.frozenAt,
      alreadyFrozen: true,
      created: 0,
      existing: below.length + 1,
      scopes: below.length + 1,
      published,
    };
  }

  const frozenAt = nowIso();
  const parents = new Map<string, Parent>();
  const below = await walk(district, async (p) => {
    const kids = await store.liveChildren(month, p);
    for (const k of kids) parents.set(`${k.scope}#${k.id}`, p);
    return kids;
  });
  let created = 0;
  let existing = 0;
  const snapshotOf = (s: store.ScopeFigures, parent: { scope: store.ParentScope; id: string }): store.Snapshot => ({
    scope: s.scope,
    id: s.id,
    month,
    parentScope: parent.scope,
    parentId: parent.id,
    frozenAt,
    figures: s.figures,
  });
  /** Writes the snapshot; when one was there already, returns that one (it stays as it was). */
  const freeze = async (s: store.Snapshot): Promise<store.Snapshot> => {
    if (await store.putSnapshot(s)) {
      created++;
      return s;
    }
    existing++;
    return (await store.getSnapshot(s, month)) ?? s;
  };
  const frozenBelow = await mapLimit(below, PARALLEL, (s) => freeze(snapshotOf(s, parents.get(`${s.scope}#${s.id}`)!)));
  const top = await freeze(
    snapshotOf({ ...district, figures: await store.getLive(district, month) }, { scope: 'city', id: 'city' }),
  );
  const published = await publishRollup(
    districtId,
    month,
    top,
    frozenBelow.filter((s) => s.scope === 'street'),
  );
  return {
    month,
    frozenAt: top.frozenAt,
    alreadyFrozen: false,
    created,
    existing,
    scopes: below.length + 1,
    published,
  };
}

async function publishRollup(
  districtId: string,
  month: string,
  top: store.Snapshot,
  streets: readonly store.ScopeFigures[],
): Promise<boolean> {
  // The city names the streets by these (it holds no district's places; districts it names from its directory).
  const names = await store.namesOf(streets, undefined);
  const detail: MonthlyRollupFrozen = {
    district: districtId,
    month,
    frozenAt: top.frozenAt,
    figures: top.figures,
    streets: [...streets]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((s) => {
        const name = names.get(scopeTag(s));
        return { streetId: s.id, ...(name !== undefined ? { name } : {}), figures: s.figures };
      }),
  };
  await publisher().publish(ROLLUP_DETAIL_TYPE, detail);
  return true;
}

import type { ActivityClose } from './activity.ts';
import type { LedgerEntry, StarChangeFact } from './points.ts';
import type { Correction, RecordChange, ServiceRecord } from './records.ts';
import { monthOf } from './time.ts';
import type { CheckIn } from './types.ts';
import type { Booking, BookingCancellation } from './station.ts';
import type { TrainingEntry } from './training.ts';
import type { WishEventFact } from './wish.ts';

/**
 * The statistics counters, declared once. A counted fact (an approved check-in, an activity's
 * close, a service record, an accepted correction, a wish event) adds to the counters of the
 * scopes it belongs to, in the month of its instant (Asia/Shanghai). COUNTED_FACTS says, for each
 * kind of fact, where and when it counts (FACT_KINDS), and for each counter, which kinds of fact
 * move it and by how much (COUNTERS). Everything else is derived from it:
 *   - the live counter updates the write paths put in their transactions (shared/db/counters.ts),
 *   - the verify-counters rebuild from the raw facts (shared/services/verify.ts),
 *   - the figure names (COUNTER_NAMES), the stats contract's figures and the CSV columns.
 * A new counted fact is a FACT_KINDS entry and its deltas in COUNTERS (a new counter is a new
 * key there), and a write path that writes the fact, with its index keys (factIndexKeys), and
 * counterUpdates in one transaction.
 */
export const SCOPES = ['district', 'street', 'community', 'grid', 'team'] as const;
export type Scope = (typeof SCOPES)[number];
export type ParentScope = Scope | 'city';

/** A counter scope and its parent (the counters' gsi1 lists a parent's children per month). */
export interface ScopeRef {
  readonly scope: Scope;
  readonly id: string;
  readonly parent: { readonly scope: ParentScope; readonly id: string };
}

/** The child scopes listed under a scope (the gsi1 children of its counters), from the city down. */
export const CHILD_SCOPES: Readonly<Record<ParentScope, readonly Scope[]>> = {
  city: ['district'],
  district: ['street', 'team'],
  street: ['community'],
  community: ['grid'],
  grid: [],
  team: [],
};

/** `<scope>#<id>`: a scope as a map key (in memory, never a table key). */
export const scopeTag = (s: { readonly scope: string; readonly id: string }): string => `${s.scope}#${s.id}`;

/** Where a fact happened: the place's ids, and the team when one organised it. */
export interface Place {
  readonly streetId: string;
  readonly communityId: string;
  readonly gridId?: string;
  readonly teamId?: string;
}

/**
 * The scopes of `levels` a place belongs to, from the district down: the district, its street and
 * community; the grid and the team only when the place names one.
 */
export function placeScopes(p: Place & { readonly districtId: string }, levels: readonly Scope[] = SCOPES): ScopeRef[] {
  return scopesOf(p.districtId, p, levels);
}

function scopesOf(d: string, p: Place, levels: readonly Scope[]): ScopeRef[] {
  const all: (ScopeRef | false | undefined | '')[] = [
    { scope: 'district', id: d, parent: { scope: 'city', id: 'city' } },
    { scope: 'street', id: p.streetId, parent: { scope: 'district', id: d } },
    // A street's own micro-station has no community ('').
    p.communityId && { scope: 'community', id: p.communityId, parent: { scope: 'street', id: p.streetId } },
    p.gridId && { scope: 'grid', id: p.gridId, parent: { scope: 'community', id: p.communityId } },
    p.teamId && { scope: 'team', id: p.teamId, parent: { scope: 'district', id: d } },
  ];
  return all.filter((r): r is ScopeRef => !!r && levels.includes(r.scope));
}

// ---------- the table ----------

/** Where and when a kind of fact counts. */
export interface FactKindDeclaration<F> {
  /** The fact's instant: the month it counts in (Asia/Shanghai), and the month its index key names. */
  readonly at: (fact: F) => string;
  /** The scopes it counts in (the grid and the team only when the fact names one). */
  readonly scopes: readonly Scope[];
  /** Its place; default: the fact's own streetId, communityId, gridId and teamId. */
  readonly place?: (fact: F) => Place;
  /** Its type, when its counts differ by type (they are then given per type). */
  readonly type?: (fact: F) => string;
}

/** How much a fact adds to a counter: a number, or a function of the fact (undefined: nothing). */
export type Delta<F> = number | ((fact: F) => number | undefined);

export interface CounterTable<Facts extends object = FactShapes> {
  readonly facts: { readonly [K in keyof Facts]: FactKindDeclaration<Facts[K]> };
  /**
   * Each counter, in the order of the figures (the CSV columns): the kinds of fact that move it
   * and by how much (per type, for a kind that declares one).
   */
  readonly counters: Readonly<
    Record<string, { readonly [K in keyof Facts]?: Delta<Facts[K]> | Readonly<Record<string, Delta<Facts[K]>>> }>
  >;
}

/** Each kind of counted fact, as its write path passes it and as it is stored (verify reads it back). */
export interface FactShapes {
  'check-in': CheckIn & { readonly decidedAt: string };
  'activity-close': ActivityClose;
  record: ServiceRecord;
  correction: Correction & { readonly decidedAt: string; readonly hoursDelta: number };
  'wish-event': WishEventFact;
  booking: Booking;
  'booking-cancellation': BookingCancellation;
  training: TrainingEntry;
  /** A points ledger entry (the ledger consumer writes them): its points count in the month it was posted. */
  'ledger-entry': LedgerEntry;
  /** A change of a member's star level (up by service or review, down by a revoked record). */
  'star-change': StarChangeFact;
}
export type FactKind = keyof FactShapes;

/** A fact to count: its kind and the fact. */
export type CountedFact<Facts extends object = FactShapes> = {
  [K in keyof Facts]: { readonly kind: K; readonly fact: Facts[K] };
}[keyof Facts];

/**
 * The hours a record had when it was written (what its recording month's counters got): the
 * `hoursBefore` of its first accepted correction, else its hours. Later corrections count in
 * the month they were accepted.
 */
export function recordedHours(r: { readonly hours: number; readonly history?: readonly RecordChange[] }): number {
  const first = r.history?.find((h) => h.kind === 'correction-accepted' && h.hoursBefore !== undefined);
  return first ? first.hoursBefore! : r.hours;
}

// The table is data and arrow functions only (no calls, no spreads), so a bundle that imports
// this module without using it leaves it out; one that needs only the counter names (the docs)
// takes COUNTERS without FACT_KINDS.
const WITH_GRID: readonly Scope[] = ['district', 'street', 'community', 'grid'];
const WITH_TEAM: readonly Scope[] = ['district', 'street', 'community', 'team'];

/** Where and when each kind of fact counts. */
export const FACT_KINDS: CounterTable['facts'] = {
  'check-in': { at: (c) => c.decidedAt, scopes: WITH_GRID },
  'activity-close': { at: (a) => a.closedAt, scopes: WITH_TEAM },
  record: { at: (r) => r.recordedAt, scopes: WITH_TEAM },
  correction: { at: (c) => c.decidedAt, scopes: WITH_TEAM },
  // The event names the wish's community and grid; its `fact` the street and a team claimant.
  'wish-event': {
    at: (e) => e.at,
    scopes: SCOPES,
    place: (e) => ({ ...e.fact, communityId: e.communityId, gridId: e.gridId }),
    type: (e) => e.eventType,
  },
  // A micro-station's booking counts where the station is (a street's own station: no community) and for the team.
  booking: {
    at: (b) => b.createdAt,
    scopes: WITH_TEAM,
    place: (b) => ({ streetId: b.streetId, communityId: b.communityId ?? '', teamId: b.teamId }),
  },
  'booking-cancellation': {
    at: (c) => c.cancelledAt,
    scopes: WITH_TEAM,
    place: (c) => ({ streetId: c.streetId, communityId: c.communityId ?? '', teamId: c.teamId }),
  },
  // A completed course counts where its organising team is, and for the team.
  training: { at: (e) => e.completedAt, scopes: WITH_TEAM },
  // Points count when posted (a reversal in the month it was posted, never in a month already frozen).
  'ledger-entry': { at: (e) => e.postedAt, scopes: WITH_TEAM, place: (e) => e.place },
  'star-change': { at: (c) => c.at, scopes: ['district', 'street', 'community'], place: (c) => c.place },
};

/** What each counter counts: the kinds of fact that move it, by how much. In the order of the figures. */
export const COUNTERS: CounterTable['counters'] = {
  checkIns: { 'check-in': 1 },
  activities: { 'activity-close': 1 },
  volunteerTimes: { record: 1 },
  // A correction moves the hours by its difference, in the month it is accepted (nothing when 0).
  volunteerHours: { record: recordedHours, correction: (c) => c.hoursDelta || undefined },
  peopleServed: { 'activity-close': (a) => a.peopleServed },
  wishesPosted: { 'wish-event': { WishPosted: 1 } },
  wishesPublished: { 'wish-event': { WishPublished: 1 } },
  wishesClaimed: { 'wish-event': { WishClaimed: 1 } },
  wishesTakenOn: { 'wish-event': { WishTakenOn: 1 } },
  wishesCompleted: { 'wish-event': { WishCompleted: 1 } },
  // Confirmed by the resident (with a rating) or by the daily job (without).
  wishesConfirmed: { 'wish-event': { WishConfirmed: 1 } },
  ratingSum: { 'wish-event': { WishConfirmed: (e) => e.rating } },
  ratingCount: { 'wish-event': { WishConfirmed: (e) => (e.rating === undefined ? undefined : 1) } },
  // Training is kept apart from service: its hours never enter volunteerHours.
  trainingsCompleted: { training: 1 },
  trainingHours: { training: (e) => e.studyHours },
  stationBookings: { booking: 1 },
  // Hours booked at micro-stations, less those cancelled (in the month of the cancellation).
  stationHours: { booking: (b) => b.hours, 'booking-cancellation': (c) => -c.hours },
  // Points posted (reversals subtract) and stars gained (a lost star subtracts), by the ledger consumer.
  points: { 'ledger-entry': (e) => e.points || undefined },
  starsGained: { 'star-change': (c) => c.to - c.from || undefined },
};

export const COUNTED_FACTS: CounterTable = { facts: FACT_KINDS, counters: COUNTERS };

// ---------- derived ----------

// The derivations take any table (tests add a kind of fact); the declared one is the default.
type AnyDelta = Delta<object> | Readonly<Record<string, Delta<object>>>;
type AnyTable = {
  readonly facts: Readonly<Record<string, FactKindDeclaration<object>>>;
  readonly counters: Readonly<Record<string, Readonly<Record<string, AnyDelta>>>>;
};
/** Any fact of any table (a CountedFact is one). */
export type AnyFact = { readonly kind: PropertyKey; readonly fact: unknown };

/** Every counter name of a table's `counters`, in the order of the figures (the CSV columns). */
export function counterNames(counters: object = COUNTERS): string[] {
  return Object.keys(counters);
}

/** The month a fact counts in. */
export function factMonth(f: AnyFact, table: object = COUNTED_FACTS): string {
  return monthOf((table as AnyTable).facts[f.kind as string]!.at(f.fact as object));
}

/** What a fact adds: counter -> delta (empty when it counts nothing). */
export function factDeltas(f: AnyFact, table: object = COUNTED_FACTS): Record<string, number> {
  const t = table as AnyTable;
  const fact = f.fact as object;
  const type = t.facts[f.kind as string]!.type?.(fact);
  const out: Record<string, number> = {};
  for (const [counter, kinds] of Object.entries(t.counters)) {
    let d = kinds[f.kind as string];
    if (d !== undefined && typeof d === 'object') d = d[type!];
    const by = typeof d === 'function' ? d(fact) : d;
    if (by !== undefined) out[counter] = by;
  }
  return out;
}

/** The scopes a fact counts in. */
export function factScopes(f: AnyFact, districtId: string, table: object = COUNTED_FACTS): ScopeRef[] {
  const d = (table as AnyTable).facts[f.kind as string]!;
  return scopesOf(districtId, d.place ? d.place(f.fact as object) : (f.fact as Place), d.scopes);
}

export interface CounterChange {
  readonly ref: ScopeRef;
  readonly month: string;
  readonly increments: Record<string, number>;
}

/**
 * The counter changes of facts written together (one transaction): one change per scope and
 * month (a transaction touches an item once), the deltas of every fact that counts there added up.
 */
export function counterChanges(
  facts: readonly AnyFact[],
  districtId: string,
  table: object = COUNTED_FACTS,
): CounterChange[] {
  const out = new Map<string, CounterChange>();
  for (const f of facts) {
    const deltas = factDeltas(f, table);
    if (Object.keys(deltas).length === 0) continue;
    const month = factMonth(f, table);
    for (const ref of factScopes(f, districtId, table)) {
      const key = `${scopeTag(ref)}#${month}`;
      let c = out.get(key);
      if (!c) out.set(key, (c = { ref, month, increments: {} }));
      for (const [name, by] of Object.entries(deltas)) c.increments[name] = (c.increments[name] ?? 0) + by;
    }
  }
  return [...out.values()];
}

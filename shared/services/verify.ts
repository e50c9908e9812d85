import { env } from '../config/env.ts';
import { nowMs } from '../domain/clock.ts';
import { DomainError } from '../domain/errors.ts';
import { MONTH_PATTERN, monthOf } from '../domain/time.ts';
import { compareTotals, countersOf, recordedHours, Totals, wishActionOf, type Difference, type ScopeId, type VerifyScope } from '../domain/verify.ts';
import { counterIncrements } from '../domain/wish.ts';
import { placeScopes, type ScopeRef } from '../db/counters.ts';
import { childCounterPages, factPages, recordPages, type FactKind } from '../db/facts.ts';
import { recordScopes } from '../db/records.ts';
import type { Item } from '../db/table.ts';
import type { RecordChange } from '../domain/records.ts';

/**
 * verify-counters: rebuilds a month's counters of every scope from the raw facts (shared/db/facts.ts)
 * and compares them with the live counters. Each kind of fact is one paginated Query by month
 * (never a Scan); pages are folded into per-scope sums as they arrive, so memory grows with the
 * number of scopes, not with the month. The live counters are read by walking the counters'
 * parent index (city -> districts -> streets and teams -> communities -> grids).
 *
 * Each fact counts exactly as its write path counts (grep counterUpdate):
 *   approved check-in     checkIns                       district, street, community, grid
 *   activity close        activities, peopleServed       district, street, community, team
 *   service record        volunteerTimes, volunteerHours district, street, community, team (if any), at the recorded hours
 *   accepted correction   volunteerHours += hoursDelta   the record's scopes, in the month accepted
 *   wish event            counterIncrements(action)      district, street, community, grid, team (a team claimant)
 * (A member's completed wish counts its volunteer time through the record it writes.)
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

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));

export async function verifyCounters(input: { month?: string; pageSize?: number } = {}): Promise<VerifyResult> {
  const started = Date.now();
  // By default the month of yesterday (Asia/Shanghai): run daily at 01:00 it checks the month so
  // far, and on the 1st the whole month just ended, before the 02:00 rollup freezes it.
  const month = input.month ?? monthOf(new Date(nowMs() - 24 * 3600 * 1000));
  if (!MONTH_PATTERN.test(month)) throw new DomainError('VALIDATION_FAILED', `month must be YYYY-MM, got "${month}"`);
  const pageSize = input.pageSize ?? PAGE_SIZE;
  if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= PAGE_SIZE))
    throw new DomainError('VALIDATION_FAILED', `pageSize must be an integer from 1 to ${PAGE_SIZE}`);
  const districtId = env().districtId;
  const rebuilt = new Totals();
  let itemsRead = 0;

  const place = (i: Item, gridId?: string) =>
    placeScopes({ districtId, streetId: String(i.streetId), communityId: String(i.communityId), ...(gridId ? { gridId } : {}) });
  const team = (teamId: string): ScopeRef => ({ scope: 'team', id: teamId, parent: { scope: 'district', id: districtId } });

  const fold: Record<FactKind, (i: Item) => void> = {
    'check-in': (i) => rebuilt.add(place(i, str(i.gridId)), { checkIns: 1 }),
    'activity-close': (i) => rebuilt.add([...place(i), team(String(i.teamId))], { activities: 1, peopleServed: num(i.peopleServed) }),
    correction: (i) => {
      const delta = num(i.hoursDelta);
      if (delta !== 0) rebuilt.add(recordScopes(recordPlace(i), districtId), { volunteerHours: delta });
    },
    'wish-event': (i) => {
      const action = wishActionOf(String(i.eventType));
      if (!action) return;
      const inc = counterIncrements(action, { rating: typeof i.rating === 'number' ? i.rating : undefined });
      if (Object.keys(inc).length === 0) return;
      const fact = (i.fact ?? {}) as { streetId?: string; teamId?: string };
      const refs: ScopeRef[] = placeScopes({
        districtId,
        streetId: String(fact.streetId),
        communityId: String(i.communityId),
        ...(str(i.gridId) ? { gridId: str(i.gridId) } : {}),
      });
      if (fact.teamId) refs.push(team(fact.teamId));
      rebuilt.add(refs, inc);
    },
  };
  const record = (i: Item) =>
    rebuilt.add(recordScopes(recordPlace(i), districtId), {
      volunteerTimes: 1,
      volunteerHours: recordedHours({ hours: num(i.hours), history: i.history as RecordChange[] | undefined }),
    });

  const drain = async (pages: AsyncGenerator<Item[]>, each: (i: Item) => void) => {
    for await (const page of pages) {
      itemsRead += page.length;
      for (const i of page) each(i);
    }
  };
  await Promise.all([
    ...(Object.keys(fold) as FactKind[]).map((kind) => drain(factPages(kind, month, { pageSize }), fold[kind])),
    drain(recordPages(month, { pageSize }), record),
  ]);

  const live = await liveTotals(month, rebuilt, pageSize);
  const { differences, scopes, counters } = compareTotals(live, rebuilt);
  return { month, scopes, counters, differences, itemsRead, ms: Date.now() - started };
}

function recordPlace(i: Item): { streetId: string; communityId: string; teamId?: string } {
  return { streetId: String(i.streetId), communityId: String(i.communityId), ...(str(i.teamId) ? { teamId: str(i.teamId) } : {}) };
}

/** Children listed under each scope in the counters' gsi1 (parent -> child). */
const CHILDREN: Readonly<Record<'city' | VerifyScope, readonly VerifyScope[]>> = {
  city: ['district'],
  district: ['street', 'team'],
  street: ['community'],
  community: ['grid'],
  grid: [],
  team: [],
};

/**
 * The live counters of the month: level by level from the city, the children of every scope
 * found live or rebuilt at the level above (so a counter that exists only live is found too).
 */
async function liveTotals(month: string, rebuilt: Totals, pageSize: number): Promise<Totals> {
  const live = new Totals();
  let parents: { scope: 'city' | VerifyScope; id: string }[] = [{ scope: 'city', id: 'city' }];
  const seen = new Set<string>();
  while (parents.length > 0) {
    const found: ScopeId[] = [];
    await Promise.all(
      parents.map(async (parent) => {
        for await (const page of childCounterPages(month, parent, { pageSize })) {
          for (const i of page) {
            if (i.sk !== `MONTH#${month}`) continue;
            const ref: ScopeId = { scope: i.scope as VerifyScope, id: String(i.scopeId) };
            live.add([ref], countersOf(i));
            found.push(ref);
          }
        }
      }),
    );
    const childScopes = new Set(parents.flatMap((p) => CHILDREN[p.scope]));
    const next = [...found, ...rebuilt.scopes().filter((r) => childScopes.has(r.scope))];
    parents = [];
    for (const r of next) {
      const key = `${r.scope}#${r.id}`;
      if (seen.has(key) || CHILDREN[r.scope].length === 0) continue;
      seen.add(key);
      parents.push(r);
    }
  }
  return live;
}

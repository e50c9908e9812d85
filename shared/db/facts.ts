import type { Scope } from './counters.ts';
import { queryPage, type Item } from './table.ts';

/**
 * Raw facts by month: what the counters count, findable by the month they count in, so the
 * counters can be rebuilt from the records (the verify-counters job) with Queries only.
 * Each fact is an item written in the SAME transaction as the counter update it stands for,
 * with the month of that update (Asia/Shanghai):
 *   approved check-in   CHECKIN#<id> / CHECKIN                gsi3 FACTS#<YYYY-MM>#check-in / <decidedAt>#<checkInId>
 *   activity close      ACTIVITY#<id> / CLOSE (fact item)     gsi3 FACTS#<YYYY-MM>#activity-close / <closedAt>#<activityId>
 *                       { teamId, streetId, communityId, peopleServed, closedAt }
 *   accepted correction RECORD#<id> / CORRECTION#<cid>        gsi3 FACTS#<YYYY-MM>#correction / <decidedAt>#<correctionId>
 *                       { hoursDelta }  (the hours the counters moved by)
 *   wish event          WISH#<id> / EVENT#<seq>               gsi3 FACTS#<YYYY-MM>#wish-event / <at>#<wishId>#<seq>
 *                       { fact: { streetId, teamId? } }  (scopes the event does not name itself)
 *   service record      RECORD#<id> / RECORD                  gsi2 RECORDS#<YYYY-MM> / <recordId>  (shared/db/records.ts)
 * gsi3 is free on each of these items (wishes use it on the wish item, not on its events).
 */
export type FactKind = 'check-in' | 'activity-close' | 'correction' | 'wish-event';

export const factsPartition = (month: string, kind: FactKind) => `FACTS#${month}#${kind}`;

/** The gsi3 keys that make an item a fact of `kind` counted in `month`. */
export function factKeys(kind: FactKind, month: string, sortKey: string): { gsi3pk: string; gsi3sk: string } {
  return { gsi3pk: factsPartition(month, kind), gsi3sk: sortKey };
}

/** Page size when none is given: DynamoDB's own (1 MB). */
export interface PageOptions {
  readonly pageSize?: number;
}

async function* pages(index: 'gsi2' | 'gsi3' | 'gsi1', partition: string, o: PageOptions): AsyncGenerator<Item[]> {
  let cursor: string | undefined;
  do {
    const page = await queryPage({ index, partition, limit: o.pageSize, cursor });
    yield page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

/** A month's facts of one kind, a page at a time (one Query per page, never the month at once). */
export function factPages(kind: FactKind, month: string, o: PageOptions = {}): AsyncGenerator<Item[]> {
  return pages('gsi3', factsPartition(month, kind), o);
}

/** The service records recorded in `month`, a page at a time. */
export function recordPages(month: string, o: PageOptions = {}): AsyncGenerator<Item[]> {
  return pages('gsi2', `RECORDS#${month}`, o);
}

/** The live counter items of a parent's children for `month` (counters' gsi1), a page at a time. */
export function childCounterPages(month: string, parent: { scope: Scope | 'city'; id: string }, o: PageOptions = {}): AsyncGenerator<Item[]> {
  return pages('gsi1', `STATS#${month}#${parent.scope}#${parent.id}`, o);
}

import type { ParentScope } from '../domain/counters.ts';
import { childCountersQuery, factsQuery } from './keys.ts';
import { queryPage, type Item, type PageQuery } from './table.ts';

/**
 * Raw facts by month: what the counters count, findable by the month they count in, so the
 * counters can be rebuilt from them (the verify-counters job) with Queries only. Each fact is an
 * item written in the SAME transaction as the counter update it stands for (shared/db/counters.ts),
 * with the month of that update (Asia/Shanghai), on the index keys of shared/db/keys.ts factKeys:
 *   approved check-in   CHECKIN#<id> / CHECKIN                gsi3 FACTS#<YYYY-MM>#check-in / <decidedAt>#<checkInId>
 *   activity close      ACTIVITY#<id> / CLOSE (fact item)     gsi3 FACTS#<YYYY-MM>#activity-close / <closedAt>#<activityId>
 *                       { teamId, streetId, communityId, peopleServed, closedAt }
 *   accepted correction RECORD#<id> / CORRECTION#<cid>        gsi3 FACTS#<YYYY-MM>#correction / <decidedAt>#<correctionId>
 *                       { hoursDelta }  (the hours the counters moved by)
 *   wish event          WISH#<id> / EVENT#<seq>               gsi3 FACTS#<YYYY-MM>#wish-event / <at>#<wishId>#<seq>
 *                       { fact: { streetId, teamId? } }  (scopes the event does not name itself)
 *   service record      RECORD#<id> / RECORD                  gsi2 RECORDS#<YYYY-MM> / <recordId>
 * gsi3 is free on each of these items (wishes use it on the wish item, not on its events).
 */

/** Page size when none is given: DynamoDB's own (1 MB). */
export interface PageOptions {
  readonly pageSize?: number;
}

async function* pages(q: Omit<PageQuery, 'cursor' | 'limit'>, o: PageOptions): AsyncGenerator<Item[]> {
  let cursor: string | undefined;
  do {
    const page = await queryPage({ ...q, limit: o.pageSize, cursor });
    yield page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

/** A month's facts of one kind, a page at a time (one Query per page, never the month at once). */
export function factPages(kind: string, month: string, o: PageOptions = {}): AsyncGenerator<Item[]> {
  return pages(factsQuery(kind, month), o);
}

/** The live counter items of a parent's children for `month` (counters' gsi1), a page at a time. */
export function childCounterPages(
  month: string,
  parent: { scope: ParentScope; id: string },
  o: PageOptions = {},
): AsyncGenerator<Item[]> {
  return pages(childCountersQuery(month, parent), o);
}

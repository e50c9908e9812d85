import { liveCounters } from '../support/counters.ts';
import * as z from 'zod/mini';
import { beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import { parseCsv } from '../support/csv.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { figuresSchema } from '../../shared/contract/stats.ts';
import { counterUpdates } from '../../shared/db/counters.ts';
import { factKeys } from '../../shared/db/keys.ts';
import { liveFigures } from '../../shared/db/stats.ts';
import { transact, type Item } from '../../shared/db/table.ts';
import {
  COUNTED_FACTS,
  counterChanges,
  counterNames,
  factMonth,
  type CounterTable,
  type FactShapes,
  type Scope,
} from '../../shared/domain/counters.ts';
import { COUNTER_NAMES, figureColumns } from '../../shared/domain/stats.ts';
import { verifyCounters } from '../../shared/services/verify.ts';
import { statsCsv } from '../../shared/views/csv.ts';

/**
 * The counters table is the one place a counted fact is declared: a new kind of fact added to it
 * (here a resident's thanks to a volunteer, counted per place and grid, with its stars) gets its
 * live counters, its verify-counters rebuild, its figures, its contract field and its CSV column,
 * with no other edit: every one of them is a function of the table (the declared one by default).
 */
interface Thanks {
  readonly thanksId: string;
  readonly streetId: string;
  readonly communityId: string;
  readonly gridId?: string;
  readonly thankedAt: string;
  readonly stars: number;
}

const EXTENDED: CounterTable<FactShapes & { thanks: Thanks }> = {
  facts: {
    ...COUNTED_FACTS.facts,
    thanks: { at: (t) => t.thankedAt, scopes: ['district', 'street', 'community', 'grid'] },
  },
  counters: { ...COUNTED_FACTS.counters, thanksGiven: { thanks: 1 }, thanksStars: { thanks: (t) => t.stars } },
};

const D = LOCAL_DISTRICT_ID;
const place = { streetId: 'st-thanks', communityId: 'co-thanks', gridId: 'gr-thanks-1' };
const thanks = (n: number, stars: number): { kind: 'thanks'; fact: Thanks } => ({
  kind: 'thanks',
  fact: { thanksId: `th-${n}`, ...place, thankedAt: `2025-10-0${n}T02:00:00.000Z`, stars },
});

/** The thanks' own item (a new kind would get its builder in shared/db/keys.ts), findable as a fact of its month. */
const factItem = (t: { kind: 'thanks'; fact: Thanks }): Item => ({
  pk: `THANKS#${t.fact.thanksId}`,
  sk: 'THANKS',
  ...factKeys('thanks', factMonth(t, EXTENDED), t.fact.thankedAt, t.fact.thanksId),
  type: 'thanks',
  ...t.fact,
});
const live = (scope: Scope, id: string) => liveCounters(scope, id, '2025-10');

beforeAll(async () => {
  await useFreshTable();
});

describe('a kind of fact added to the counters table', () => {
  it('keeps the declared figures in their order (the CSV columns are an interface)', () => {
    expect(COUNTER_NAMES).toEqual(counterNames(COUNTED_FACTS.counters));
    expect(COUNTER_NAMES).toEqual([
      'checkIns',
      'activities',
      'volunteerTimes',
      'volunteerHours',
      'peopleServed',
      'wishesPosted',
      'wishesPublished',
      'wishesClaimed',
      'wishesTakenOn',
      'wishesCompleted',
      'wishesConfirmed',
      'ratingSum',
      'ratingCount',
      'trainingsCompleted',
      'trainingHours',
      'stationBookings',
      'stationHours',
      'points',
      'starsGained',
    ]);
  });

  it('has its figures, contract field and CSV column, after the declared ones', () => {
    const names = counterNames(EXTENDED.counters);
    expect(names).toEqual([...COUNTER_NAMES, 'thanksGiven', 'thanksStars']);
    const described = z.toJSONSchema(figuresSchema(names)) as { description?: string };
    expect(described.description).toContain('starsGained, thanksGiven, thanksStars (0 when absent)');
    const csv = parseCsv(
      statsCsv({ scope: 'community', id: 'co-thanks', figures: { thanksGiven: 2, thanksStars: 9 } }, [], names).slice(
        1,
      ),
    ); // after the BOM
    expect(csv[0]).toEqual(['scope', 'id', 'name', ...figureColumns(COUNTER_NAMES), 'thanksGiven', 'thanksStars']);
    expect(csv[1]!.slice(-2)).toEqual(['2', '9']);
  });

  it('is counted live in its write transaction, per scope and month', async () => {
    const t = thanks(1, 5);
    expect(
      counterChanges([t], D, EXTENDED).map((c) => `${c.ref.scope} ${c.month} ${JSON.stringify(c.increments)}`),
    ).toEqual([
      'district 2025-10 {"thanksGiven":1,"thanksStars":5}',
      'street 2025-10 {"thanksGiven":1,"thanksStars":5}',
      'community 2025-10 {"thanksGiven":1,"thanksStars":5}',
      'grid 2025-10 {"thanksGiven":1,"thanksStars":5}',
    ]);
    await transact(
      [{ Put: { TableName: process.env.TABLE_NAME, Item: factItem(t) } }, ...counterUpdates([t], D, EXTENDED)],
      () => {
        throw new Error('no conditions here');
      },
    );
    for (const [scope, id] of [
      ['district', D],
      ['street', place.streetId],
      ['community', place.communityId],
      ['grid', place.gridId],
    ] as const)
      expect(await live(scope, id), scope).toMatchObject({ thanksGiven: 1, thanksStars: 5 });
    expect(liveFigures(await live('community', place.communityId))).toMatchObject({
      checkIns: 0,
      thanksGiven: 1,
      thanksStars: 5,
    });
  });

  it('is rebuilt by verify-counters from its facts, and a fact without its counters is found', async () => {
    const first = await verifyCounters({ month: '2025-10', table: EXTENDED });
    expect(first).toMatchObject({ differences: [], itemsRead: 1, scopes: 4, counters: 8 });
    // A thanks written without its counter updates: the rebuild counts it, the live counters do not.
    await transact([{ Put: { TableName: process.env.TABLE_NAME, Item: factItem(thanks(2, 3)) } }], () => {
      throw new Error('no conditions here');
    });
    const second = await verifyCounters({ month: '2025-10', table: EXTENDED });
    expect(second.itemsRead).toBe(2);
    expect(second.differences.filter((x) => x.scope === 'grid')).toEqual([
      { scope: 'grid', id: place.gridId, counter: 'thanksGiven', live: 1, rebuilt: 2 },
      { scope: 'grid', id: place.gridId, counter: 'thanksStars', live: 5, rebuilt: 8 },
    ]);
    expect(second.differences).toHaveLength(8);
    // The declared table knows no thanks: it reads none, and reports the live counters as unexplained.
    const declared = await verifyCounters({ month: '2025-10' });
    expect(declared.itemsRead).toBe(0);
    expect(declared.differences.map((x) => `${x.scope}:${x.counter}:${x.live}:${x.rebuilt}`)).toContain(
      'community:thanksGiven:1:0',
    );
  });
});

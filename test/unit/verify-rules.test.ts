import { describe, expect, it } from 'vitest';
import { factDeltas, recordedHours } from '../../shared/domain/counters.ts';
import { compareTotals, countersOf, Totals } from '../../shared/domain/verify.ts';
import type { WishEventFact } from '../../shared/domain/wish.ts';

/** The pure part of verify-counters: per-scope sums, their comparison, and how raw facts read. */
describe('Totals and compareTotals', () => {
  it('sums increments per scope, and reports each differing counter (absent counts as 0)', () => {
    const live = new Totals();
    const rebuilt = new Totals();
    const d = { scope: 'district', id: 'jinjiang' } as const;
    const c = { scope: 'community', id: 'co-1' } as const;
    const g = { scope: 'grid', id: 'gr-1' } as const;
    live.add([d, c], { checkIns: 2, volunteerHours: 1.5 });
    live.add([g], { wishesPosted: 0 });
    rebuilt.add([d, c], { checkIns: 1, volunteerHours: 1.5 });
    rebuilt.add([d], { checkIns: 1 });
    rebuilt.add([{ scope: 'team', id: 'tm-1' }], { activities: 1 });
    expect(rebuilt.get(d)).toEqual({ checkIns: 2, volunteerHours: 1.5 });
    const out = compareTotals(live, rebuilt);
    expect(out.differences).toEqual([
      { scope: 'community', id: 'co-1', counter: 'checkIns', live: 2, rebuilt: 1 },
      { scope: 'team', id: 'tm-1', counter: 'activities', live: 0, rebuilt: 1 },
    ]);
    expect(out.scopes).toBe(4);
    expect(out.counters).toBe(2 + 2 + 1 + 1);
  });

  it('equal totals have no differences', () => {
    const a = new Totals();
    const b = new Totals();
    for (const t of [a, b]) t.add([{ scope: 'street', id: 's' }], { ratingSum: 9, ratingCount: 2 });
    expect(compareTotals(a, b).differences).toEqual([]);
  });
});

describe('reading facts', () => {
  it('a live counter item: its numeric counters, not its keys', () => {
    expect(
      countersOf({
        pk: 'STATS#grid#g',
        sk: 'MONTH#2025-06',
        gsi1pk: 'x',
        gsi1sk: 'y',
        scope: 'grid',
        scopeId: 'g',
        month: '2025-06',
        checkIns: 3,
        wishesPosted: 1,
      }),
    ).toEqual({ checkIns: 3, wishesPosted: 1 });
  });

  it('a wish event counts by its type: confirmed by the resident or by the job alike, unknown types nothing', () => {
    const event = (eventType: string, rating?: number) =>
      ({ kind: 'wish-event', fact: { eventType, rating } as unknown as WishEventFact }) as const;
    expect(factDeltas(event('WishConfirmed'))).toEqual({ wishesConfirmed: 1 });
    expect(factDeltas(event('WishConfirmed', 5))).toEqual({ wishesConfirmed: 1, ratingSum: 5, ratingCount: 1 });
    expect(factDeltas(event('Nonsense'))).toEqual({});
  });

  it("a record's recorded hours are those before its first accepted correction", () => {
    expect(recordedHours({ hours: 3, history: [{ at: 't', by: 'x', kind: 'created' }] })).toBe(3);
    expect(
      recordedHours({
        hours: 1,
        history: [
          { at: 't0', by: 'x', kind: 'created' },
          { at: 't1', by: 'm', kind: 'correction-requested', hoursBefore: 2, requestedHours: 4 },
          { at: 't2', by: 'l', kind: 'correction-rejected', hoursBefore: 2, hoursAfter: 2 },
          { at: 't3', by: 'l', kind: 'correction-accepted', hoursBefore: 2, hoursAfter: 4 },
          { at: 't4', by: 'l', kind: 'correction-accepted', hoursBefore: 4, hoursAfter: 1 },
        ],
      }),
    ).toBe(2);
  });
});

describe('what the comparison counts', () => {
  it('reads big integers as numbers, ignores text, booleans and every key attribute', () => {
    expect(
      countersOf({ type: 7, month: 3, scopeId: 1, scope: 2, pk: 1, sk: 1, gsi1pk: 1, gsi1sk: 1, checkIns: 4n }),
    ).toEqual({ checkIns: 4 });
    expect(countersOf({ note: 'x', flag: true, nothing: null, ratingSum: 0 })).toStrictEqual({ ratingSum: 0 });
  });
  it('lists differences by scope tag, then counter name, whatever order they were added in', () => {
    const live = new Totals();
    const rebuilt = new Totals();
    rebuilt.add([{ scope: 'team', id: 'b' }], { zeta: 1, alpha: 1 });
    rebuilt.add([{ scope: 'team', id: 'a' }], { alpha: 1 });
    rebuilt.add([{ scope: 'community', id: 'z' }], { beta: 2 });
    live.add([{ scope: 'team', id: 'b' }], { zeta: 0 });
    const out = compareTotals(live, rebuilt);
    expect(out.differences.map((d) => `${d.scope}#${d.id}.${d.counter}`)).toEqual([
      'community#z.beta',
      'team#a.alpha',
      'team#b.alpha',
      'team#b.zeta',
    ]);
    expect(out.scopes).toBe(3);
    expect(out.counters).toBe(4);
  });
  it('a scope on one side only is compared against zeros', () => {
    const live = new Totals();
    live.add([{ scope: 'grid', id: 'g' }], { checkIns: 1 });
    expect(compareTotals(live, new Totals()).differences).toEqual([
      { scope: 'grid', id: 'g', counter: 'checkIns', live: 1, rebuilt: 0 },
    ]);
  });
  it('keeps one entry per scope, and answers has/size/get', () => {
    const t = new Totals();
    expect(t.size).toBe(0);
    t.add([{ scope: 'street', id: 's' }], { a: 1 });
    t.add([{ scope: 'street', id: 's' }], { a: 2, b: 1 });
    t.add([{ scope: 'community', id: 's' }], {});
    expect(t.size).toBe(2);
    expect(t.has({ scope: 'street', id: 's' })).toBe(true);
    expect(t.has({ scope: 'grid', id: 's' })).toBe(false);
    expect(t.get({ scope: 'street', id: 's' })).toEqual({ a: 3, b: 1 });
    expect(t.get({ scope: 'community', id: 's' })).toEqual({});
    expect(t.get({ scope: 'team', id: 's' })).toBeUndefined();
    expect(t.scopes()).toEqual([
      { scope: 'street', id: 's' },
      { scope: 'community', id: 's' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  addHalves,
  addToTotals,
  compareRank,
  DEFAULT_RULES,
  entriesFor,
  entryId,
  evaluationFacts,
  FACT_KINDS,
  fifthStarDue,
  type LedgerEntry,
  type LedgerFact,
  memberRankScopes,
  type PeriodTotals,
  type PointRule,
  periodsOf,
  rankSortKey,
  recordFacts,
  rulesFor,
  STAR_HOURS,
  starFor,
  trainingFacts,
  wishConfirmedFacts,
  yearOf,
} from '../../shared/domain/points.ts';

/**
 * The points ledger's rules (shared/domain/points.ts): rules as data and their validity, entries
 * keyed by source, caps per event and per year, reversals, totals and when a score was reached,
 * stars on the national scale, rank keys and their tie order, and the facts each source stands for.
 */

const PLACE = { streetId: 'st-1', communityId: 'co-1', teamId: 'tm-1' };
const NO_PREVIOUS = new Map<string, { points: number; hours: number; ruleVersion: number }>();

/** A fact of `kind` at revision 0, with what the test states on top. */
function fact(kind: LedgerFact['kind'], over: Partial<LedgerFact> = {}): LedgerFact {
  return {
    kind,
    id: 'src-1',
    memberId: 'm-1',
    at: '2026-03-10T02:00:00.000Z',
    revision: 0,
    postedAt: '2026-03-10T02:00:00.000Z',
    units: 1,
    hours: 0,
    place: PLACE,
    ...over,
  };
}

/** A rule for a test's own rule table. */
function rule(over: Partial<PointRule>): PointRule {
  return {
    code: 'r',
    fact: 'service-record',
    unit: 'hour',
    pointsPerUnit: 1,
    version: 1,
    validFrom: '2026-01-01',
    basis: 'test',
    ...over,
  };
}

/** An entry moving `points` and `hours` (only those two count in totals). */
function entry(points: number, hours: number): LedgerEntry {
  return {
    memberId: 'm-1',
    kind: 'service-record',
    sourceId: 'rec-1',
    rule: 'service-hours',
    ruleVersion: 1,
    revision: 0,
    effect: 'grant',
    points,
    hours,
    at: '2026-03-10T02:00:00.000Z',
    postedAt: '2026-03-10T02:00:00.000Z',
    year: '2026',
    month: '2026-03',
    place: PLACE,
  };
}

describe('point rules as data', () => {
  it('the defaults: one rule per kind of fact, valid from 2020-01-01, with the figures the README states', () => {
    const summary = (kind: LedgerFact['kind']) =>
      rulesFor(kind, '2020-01-01').map((r) => [r.code, r.unit, r.pointsPerUnit, r.capPerEvent, r.capPerYear]);
    expect(summary('service-record')).toEqual([['service-hours', 'hour', 1, 24, undefined]]);
    expect(summary('wish-confirmed')).toEqual([['wish-confirmed', 'event', 2, undefined, 100]]);
    expect(summary('rating')).toEqual([['wish-rating', 'star', 0.5, 2.5, 50]]);
    expect(summary('training-completed')).toEqual([['training-hours', 'hour', 1, 8, 40]]);
    expect(summary('evaluation')).toEqual([['evaluation', 'star', 1, 3, undefined]]);
    for (const kind of FACT_KINDS) expect(rulesFor(kind, '2019-12-31'), kind).toEqual([]);
    expect(DEFAULT_RULES.length).toBe(5);
  });

  it('every default figure says it is our own choice, and why', () => {
    for (const r of DEFAULT_RULES) expect(r.basis, r.code).toMatch(/^our choice: .{20,}/);
  });

  it('a rule counts facts from its first day to its last, both inclusive; open-ended rules stay valid', () => {
    const windowed = [rule({ code: 'march', validFrom: '2026-03-01', validTo: '2026-03-31' })];
    const codes = (day: string) => rulesFor('service-record', day, windowed).map((r) => r.code);
    expect(codes('2026-02-28')).toEqual([]);
    expect(codes('2026-03-01')).toEqual(['march']);
    expect(codes('2026-03-15')).toEqual(['march']);
    expect(codes('2026-03-31')).toEqual(['march']);
    expect(codes('2026-04-01')).toEqual([]);
    const open = [rule({ code: 'open', validFrom: '2026-01-01' })];
    expect(rulesFor('service-record', '2099-12-31', open).map((r) => r.code)).toEqual(['open']);
  });

  it('a rule applies only to its own kind of fact, within its window or not', () => {
    const rules = [
      rule({ code: 'for-records', fact: 'service-record', validFrom: '2026-01-01' }),
      rule({ code: 'for-training', fact: 'training-completed', validFrom: '2026-01-01' }),
      rule({ code: 'later-training', fact: 'training-completed', validFrom: '2027-01-01' }),
    ];
    expect(rulesFor('service-record', '2026-06-01', rules).map((r) => r.code)).toEqual(['for-records']);
    expect(rulesFor('training-completed', '2026-06-01', rules).map((r) => r.code)).toEqual(['for-training']);
    expect(rulesFor('evaluation', '2026-06-01', rules)).toEqual([]);
  });

  it('of a rule’s versions, the highest valid on the day counts, whatever order the table lists them in', () => {
    const v1 = rule({ code: 'hours', version: 1, validFrom: '2020-01-01', pointsPerUnit: 1 });
    const v2 = rule({ code: 'hours', version: 2, validFrom: '2026-07-01', pointsPerUnit: 2 });
    for (const table of [
      [v1, v2],
      [v2, v1],
    ]) {
      expect(rulesFor('service-record', '2026-06-30', table)).toEqual([v1]);
      expect(rulesFor('service-record', '2026-07-01', table)).toEqual([v2]);
    }
    // The old line closed the day before the new one: each day has exactly one version.
    const closed = [{ ...v1, validTo: '2026-06-30' }, v2];
    expect(rulesFor('service-record', '2026-06-30', closed).map((r) => r.version)).toEqual([1]);
    expect(rulesFor('service-record', '2026-07-01', closed).map((r) => r.version)).toEqual([2]);
  });

  it('several rules for one kind come in the order of their codes', () => {
    const rules = [rule({ code: 'c-bonus' }), rule({ code: 'a-base' }), rule({ code: 'b-extra' })];
    expect(rulesFor('service-record', '2026-05-01', rules).map((r) => r.code)).toEqual([
      'a-base',
      'b-extra',
      'c-bonus',
    ]);
  });
});

describe('entries and periods', () => {
  it('an entry is identified by kind, source, rule, revision (4 digits) and effect', () => {
    const id = { kind: 'service-record', sourceId: 'rec-1', rule: 'service-hours', revision: 2 } as const;
    expect(entryId({ ...id, effect: 'reversal' })).toBe('service-record#rec-1#service-hours#0002#reversal');
    expect(entryId({ ...id, effect: 'grant' })).toBe('service-record#rec-1#service-hours#0002#grant');
    expect(entryId({ ...id, revision: 12, effect: 'grant' })).toBe('service-record#rec-1#service-hours#0012#grant');
  });

  it('the year resets on 1 January in Asia/Shanghai (UTC+8), not in UTC', () => {
    // 15:59:59.999Z on 31 December is 23:59:59.999 in Shanghai; 16:00Z is midnight of 1 January there.
    expect(yearOf('2025-12-31T15:59:59.999Z')).toBe('2025');
    expect(yearOf('2025-12-31T16:00:00.000Z')).toBe('2026');
    expect(yearOf('2026-06-15T08:00:00.000Z')).toBe('2026');
  });

  it('an entry counts in its year and its month', () => {
    expect(periodsOf({ year: '2026', month: '2026-01' })).toEqual(['2026', '2026-01']);
  });

  it('half points add exactly, negatives included', () => {
    expect(addHalves()).toBe(0);
    expect(addHalves(0.5, 0.5, 0.5)).toBe(1.5);
    expect(addHalves(10, -2.5, 0.5)).toBe(8);
    // 0.1 + 0.2 is not 0.3 in floating point; in halves, ten 2.5s are exactly 25.
    expect(addHalves(...Array.from({ length: 10 }, () => 2.5))).toBe(25);
  });
});

describe('what a fact earns (entriesFor)', () => {
  it('a confirmed record earns 1 point per hour, in the Shanghai year and month of its instant', () => {
    // 16:30Z on 31 December 2025 is 00:30 on 1 January 2026 in Shanghai.
    const f = fact('service-record', { id: 'rec-1', at: '2025-12-31T16:30:00.000Z', units: 3, hours: 3 });
    expect(entriesFor(f, NO_PREVIOUS, {})).toStrictEqual([
      {
        memberId: 'm-1',
        kind: 'service-record',
        sourceId: 'rec-1',
        revision: 0,
        at: '2025-12-31T16:30:00.000Z',
        postedAt: '2026-03-10T02:00:00.000Z',
        year: '2026',
        month: '2026-01',
        place: PLACE,
        rule: 'service-hours',
        ruleVersion: 1,
        effect: 'grant',
        points: 3,
        hours: 3,
      },
    ]);
  });

  it('points go down to the half point below; hours are kept as recorded', () => {
    // 2.75 h -> 2.75 points -> 2.5; a rating of 3 stars at 0.5 a star -> exactly 1.5.
    const [rec] = entriesFor(fact('service-record', { units: 2.75, hours: 2.75 }), NO_PREVIOUS, {});
    expect([rec!.points, rec!.hours]).toEqual([2.5, 2.75]);
    const [rating] = entriesFor(fact('rating', { units: 3 }), NO_PREVIOUS, {});
    expect([rating!.rule, rating!.points, rating!.hours]).toEqual(['wish-rating', 1.5, 0]);
  });

  it('the cap per event clips a fact: a 10 h course earns 8, a 3 h one earns 3', () => {
    const points = (units: number) =>
      entriesFor(fact('training-completed', { units }), NO_PREVIOUS, {}).map((e) => [e.rule, e.points]);
    expect(points(10)).toEqual([['training-hours', 8]]);
    expect(points(8)).toEqual([['training-hours', 8]]);
    expect(points(3)).toEqual([['training-hours', 3]]);
    // A record's cap is 24 (a day): 24 h earns 24.
    expect(entriesFor(fact('service-record', { units: 24, hours: 24 }), NO_PREVIOUS, {})[0]!.points).toBe(24);
  });

  it('a rule without caps gives units times points per unit: a confirmed wish earns 2, an excellent evaluation 3', () => {
    expect(entriesFor(fact('wish-confirmed'), NO_PREVIOUS, {}).map((e) => [e.rule, e.points])).toEqual([
      ['wish-confirmed', 2],
    ]);
    expect(entriesFor(fact('evaluation', { units: 3 }), NO_PREVIOUS, {}).map((e) => [e.rule, e.points])).toEqual([
      ['evaluation', 3],
    ]);
    // A poor evaluation still posts its entry, worth 0.
    expect(entriesFor(fact('evaluation', { units: 0 }), NO_PREVIOUS, {}).map((e) => e.points)).toEqual([0]);
  });

  it('the cap per year gives what the year leaves: 98 of 100 used -> 2, 99 -> 1, 100 -> 0, never negative', () => {
    const wish = (used?: number) =>
      entriesFor(fact('wish-confirmed'), NO_PREVIOUS, used === undefined ? {} : { 'wish-confirmed': used })[0]!.points;
    expect(wish()).toBe(2);
    expect(wish(98)).toBe(2);
    expect(wish(99)).toBe(1);
    expect(wish(100)).toBe(0);
    // More than the cap used (a cap lowered in the year) still gives 0, not a deduction.
    expect(wish(101)).toBe(0);
    // Another rule's year total does not count against this one.
    expect(entriesFor(fact('wish-confirmed'), NO_PREVIOUS, { 'wish-rating': 50 })[0]!.points).toBe(2);
  });

  it('a fact is clipped by its cap per event, then by what the year leaves: 5 stars with 48.5 of 50 used -> 1.5', () => {
    expect(entriesFor(fact('rating', { units: 5 }), NO_PREVIOUS, { 'wish-rating': 48.5 })[0]!.points).toBe(1.5);
    expect(entriesFor(fact('rating', { units: 5 }), NO_PREVIOUS, { 'wish-rating': 47.5 })[0]!.points).toBe(2.5);
  });

  it('a correction reverses what the previous revision granted and grants anew, both naming the correction', () => {
    const f = fact('service-record', {
      id: 'rec-1',
      revision: 1,
      postedAt: '2026-04-02T06:00:00.000Z',
      revisionRef: 'cr-1',
      units: 2,
      hours: 2,
    });
    const previous = new Map([['service-hours', { points: 3, hours: 3, ruleVersion: 1 }]]);
    const base = {
      memberId: 'm-1',
      kind: 'service-record',
      sourceId: 'rec-1',
      revision: 1,
      at: '2026-03-10T02:00:00.000Z',
      postedAt: '2026-04-02T06:00:00.000Z',
      year: '2026',
      month: '2026-03',
      place: PLACE,
      revisionRef: 'cr-1',
      rule: 'service-hours',
      ruleVersion: 1,
    };
    expect(entriesFor(f, previous, { 'service-hours': 3 })).toStrictEqual([
      { ...base, effect: 'reversal', points: -3, hours: -3 },
      { ...base, effect: 'grant', points: 2, hours: 2 },
    ]);
  });

  it('a revocation (0 h) takes back every point and hour and grants nothing', () => {
    const f = fact('service-record', { revision: 2, units: 0, hours: 0 });
    const previous = new Map([['service-hours', { points: 2.5, hours: 2.5, ruleVersion: 1 }]]);
    expect(entriesFor(f, previous, {}).map((e) => [e.effect, e.points, e.hours, e.revision])).toEqual([
      ['reversal', -2.5, -2.5, 2],
      ['grant', 0, 0, 2],
    ]);
  });

  it('a reversal names the rule version it takes back, the new grant the version valid on the day', () => {
    const rules = [rule({ code: 'hours', version: 2, validFrom: '2020-01-01', pointsPerUnit: 2 })];
    const f = fact('service-record', { revision: 1, units: 4, hours: 4 });
    const previous = new Map([['hours', { points: 3, hours: 3, ruleVersion: 1 }]]);
    expect(entriesFor(f, previous, {}, rules).map((e) => [e.effect, e.ruleVersion, e.points])).toEqual([
      ['reversal', 1, -3],
      ['grant', 2, 8],
    ]);
  });

  it('a reversal frees its points under the year’s cap before the new grant is clipped', () => {
    // 40 of 40 used, 8 of them by this course's first revision: after the reversal 32 are used,
    // so its corrected 6 h earn 6 (not 0, as they would if the reversed 8 still counted).
    const f = fact('training-completed', { revision: 1, units: 6 });
    const previous = new Map([['training-hours', { points: 8, hours: 0, ruleVersion: 1 }]]);
    expect(entriesFor(f, previous, { 'training-hours': 40 }).map((e) => [e.effect, e.points])).toEqual([
      ['reversal', -8],
      ['grant', 6],
    ]);
  });

  it('a fact from before any rule was valid earns nothing', () => {
    expect(entriesFor(fact('service-record', { at: '2019-06-01T02:00:00.000Z', units: 3 }), NO_PREVIOUS, {})).toEqual(
      [],
    );
  });
});

describe('totals and when the score was reached (addToTotals)', () => {
  const MAR_1 = '2026-03-01T02:00:00.000Z';
  const MAR_5 = '2026-03-05T02:00:00.000Z';

  it('the first entries start the totals at their instant', () => {
    expect(addToTotals(undefined, [entry(3, 3), entry(0.5, 0)], MAR_1)).toEqual({
      points: 3.5,
      hours: 3,
      reachedAt: MAR_1,
    });
    // Even worth nothing (a poor evaluation), the first entry dates the totals.
    expect(addToTotals(undefined, [entry(0, 0)], MAR_1)).toEqual({ points: 0, hours: 0, reachedAt: MAR_1 });
  });

  it('points that move date the score to the later instant', () => {
    expect(addToTotals({ points: 5, hours: 5, reachedAt: MAR_1 }, [entry(2, 2)], MAR_5)).toEqual({
      points: 7,
      hours: 7,
      reachedAt: MAR_5,
    });
  });

  it('a fact arriving late does not move the date back: the latest instant the score moved at stays', () => {
    expect(addToTotals({ points: 5, hours: 5, reachedAt: MAR_5 }, [entry(2, 0)], MAR_1)).toEqual({
      points: 7,
      hours: 5,
      reachedAt: MAR_5,
    });
  });

  it('entries that leave the points as they were keep the date, even when hours move', () => {
    const t: PeriodTotals = { points: 5, hours: 5, reachedAt: MAR_1 };
    expect(addToTotals(t, [entry(-3, -3), entry(3, 3)], MAR_5)).toEqual({ points: 5, hours: 5, reachedAt: MAR_1 });
    expect(addToTotals(t, [entry(0, 0.5)], MAR_5)).toEqual({ points: 5, hours: 5.5, reachedAt: MAR_1 });
  });

  it('totals without a date get the instant of the entries, moved or not', () => {
    expect(addToTotals({ points: 5, hours: 5 }, [entry(0, 0)], MAR_5)).toEqual({
      points: 5,
      hours: 5,
      reachedAt: MAR_5,
    });
  });
});

describe('stars on the national scale', () => {
  it('the scale is 100 / 300 / 600 / 1,000 / 1,500 hours', () => {
    expect(STAR_HOURS).toEqual([100, 300, 600, 1000, 1500]);
  });

  it('each star begins exactly at its hours; the fifth only when an admin approved it', () => {
    const cases: [hours: number, fifthApproved: boolean, star: number][] = [
      [0, false, 0],
      [99.5, false, 0],
      [100, false, 1],
      [299.5, false, 1],
      [300, false, 2],
      [300, true, 2],
      [599.5, false, 2],
      [600, false, 3],
      [999.5, false, 3],
      [1000, false, 4],
      [1499.5, false, 4],
      [1499.5, true, 4],
      [1500, false, 4],
      [1500, true, 5],
      [3000, false, 4],
      [3000, true, 5],
    ];
    for (const [hours, approved, star] of cases) expect(starFor(hours, approved), `${hours} h ${approved}`).toBe(star);
  });

  it('the fifth star is due for review from 1,500 h until an admin approves it', () => {
    expect(fifthStarDue(1000, false)).toBe(false);
    expect(fifthStarDue(1499.5, false)).toBe(false);
    expect(fifthStarDue(1500, false)).toBe(true);
    expect(fifthStarDue(2000, false)).toBe(true);
    expect(fifthStarDue(1500, true)).toBe(false);
  });
});

describe('rankings', () => {
  it('a fact counts for its member in the district, street and community, and the team only when one organised it', () => {
    expect(memberRankScopes('d-1', PLACE)).toEqual([
      { scope: 'district', id: 'd-1' },
      { scope: 'street', id: 'st-1' },
      { scope: 'community', id: 'co-1' },
      { scope: 'team', id: 'tm-1' },
    ]);
    expect(memberRankScopes('d-1', { streetId: 'st-1', communityId: 'co-1' })).toEqual([
      { scope: 'district', id: 'd-1' },
      { scope: 'street', id: 'st-1' },
      { scope: 'community', id: 'co-1' },
    ]);
  });

  it('the sort key is doubled points offset by 2e9, doubled hours, time left before 9,999,999,999,999 ms, the id', () => {
    // 12.5 points -> 25 + 2,000,000,000; 30 h -> 60; 2026-03-01T00:00Z is 1,772,323,200,000 ms,
    // 9,999,999,999,999 - 1,772,323,200,000 = 8,227,676,799,999.
    expect(rankSortKey({ points: 12.5, hours: 30, reachedAt: '2026-03-01T00:00:00.000Z' }, 'm-1')).toBe(
      '02000000025#000000060#8227676799999#m-1',
    );
    // A deduction below zero stays under the offset: -3.5 -> 2,000,000,000 - 7.
    expect(rankSortKey({ points: -3.5, hours: 0, reachedAt: '2026-03-01T00:00:00.000Z' }, 'm-2')).toBe(
      '01999999993#000000000#8227676799999#m-2',
    );
    // Never reached (no date): counted as reached at the epoch, the earliest.
    expect(rankSortKey({ points: 0, hours: 0.5 }, 'm-3')).toBe('02000000000#000000001#9999999999999#m-3');
  });

  it('ties go by points, then hours, then who reached the score first, then the id', () => {
    const early = '2026-03-01T00:00:00.000Z';
    const late = '2026-03-02T00:00:00.000Z';
    const members = [
      { id: 'a', points: 10, hours: 20, reachedAt: early },
      { id: 'b', points: 10.5, hours: 1, reachedAt: late },
      { id: 'c', points: 10, hours: 20, reachedAt: late },
      { id: 'd', points: 10, hours: 25, reachedAt: late },
      { id: 'e', points: -1, hours: 90, reachedAt: early },
      { id: 'f', points: 0, hours: 0, reachedAt: late },
      { id: 'g', points: 10, hours: 20, reachedAt: early },
    ];
    // b has the most points; d the most hours among the 10s; a and g reached 10 first (and g's id sorts
    // after a's, so g first in descending order); c reached it later; then 0, then the deduction.
    expect([...members].sort(compareRank).map((m) => m.id)).toEqual(['b', 'd', 'g', 'a', 'c', 'f', 'e']);
    expect(
      [...members]
        .reverse()
        .sort(compareRank)
        .map((m) => m.id),
    ).toEqual(['b', 'd', 'g', 'a', 'c', 'f', 'e']);
  });

  it('compareRank is negative when the first ranks higher, positive when lower, 0 for the same subject and totals', () => {
    const hi = { id: 'm-1', points: 5, hours: 5, reachedAt: '2026-03-01T00:00:00.000Z' };
    const lo = { id: 'm-2', points: 4, hours: 5, reachedAt: '2026-03-01T00:00:00.000Z' };
    expect(compareRank(hi, lo)).toBe(-1);
    expect(compareRank(lo, hi)).toBe(1);
    expect(compareRank(hi, { ...hi })).toBe(0);
  });

  it('the instant stays fixed width: who reached first ranks first even across a change of digits', () => {
    // 9,999,999,999,999 - ms(2250-01-01) = 1,164,044,799,999 (13 digits); for 2260 it is 848,511,999,999 (12).
    const y2250 = { id: 'x', points: 1, hours: 1, reachedAt: '2250-01-01T00:00:00.000Z' };
    const y2260 = { id: 'y', points: 1, hours: 1, reachedAt: '2260-01-01T00:00:00.000Z' };
    expect(rankSortKey(y2260, 'y')).toBe('02000000002#000000002#0848511999999#y');
    expect(compareRank(y2250, y2260)).toBe(-1);
  });
});

describe('the facts a source stands for', () => {
  const record = {
    recordId: 'rec-1',
    memberId: 'm-1',
    recordedAt: '2026-03-10T02:00:00.000Z',
    streetId: 'st-1',
    communityId: 'co-1',
  };
  const recordBase = {
    kind: 'service-record',
    id: 'rec-1',
    memberId: 'm-1',
    at: '2026-03-10T02:00:00.000Z',
  };

  it('a record without corrections is one fact, revision 0, its hours as units and as hours', () => {
    expect(recordFacts({ ...record, hours: 3.5, teamId: 'tm-1' })).toStrictEqual([
      {
        ...recordBase,
        place: { streetId: 'st-1', communityId: 'co-1', teamId: 'tm-1' },
        revision: 0,
        postedAt: '2026-03-10T02:00:00.000Z',
        units: 3.5,
        hours: 3.5,
      },
    ]);
  });

  it('each accepted correction is the next revision, posted when it was decided; nothing else in the history is', () => {
    const facts = recordFacts({
      ...record,
      hours: 0,
      history: [
        { kind: 'created', at: '2026-03-10T02:00:00.000Z' },
        { kind: 'correction-requested', at: '2026-03-11T02:00:00.000Z', correctionId: 'cr-0', hoursBefore: 3.5 },
        // A refused correction earns nothing, whatever hours it carries.
        { kind: 'correction-rejected', at: '2026-03-12T02:00:00.000Z', correctionId: 'cr-0', hoursAfter: 9 },
        {
          kind: 'correction-accepted',
          at: '2026-03-13T02:00:00.000Z',
          correctionId: 'cr-1',
          hoursBefore: 3.5,
          hoursAfter: 2,
        },
        // An accepted entry that names no new hours is no revision.
        { kind: 'correction-accepted', at: '2026-03-14T02:00:00.000Z', correctionId: 'cr-x', hoursBefore: 2 },
        // Revoked: corrected to 0 h, without a correction id.
        { kind: 'correction-accepted', at: '2026-03-15T02:00:00.000Z', hoursBefore: 2, hoursAfter: 0 },
      ],
    });
    const place = { streetId: 'st-1', communityId: 'co-1' };
    // Revision 0 is the record as first confirmed: the first accepted correction's hours before (3.5),
    // not the record's hours now (0).
    expect(facts).toStrictEqual([
      { ...recordBase, place, revision: 0, postedAt: '2026-03-10T02:00:00.000Z', units: 3.5, hours: 3.5 },
      {
        ...recordBase,
        place,
        revision: 1,
        postedAt: '2026-03-13T02:00:00.000Z',
        revisionRef: 'cr-1',
        units: 2,
        hours: 2,
      },
      { ...recordBase, place, revision: 2, postedAt: '2026-03-15T02:00:00.000Z', units: 0, hours: 0 },
    ]);
  });

  const confirmed = {
    wishId: 'w-1',
    eventType: 'WishConfirmed',
    at: '2026-03-12T04:00:00.000Z',
    communityId: 'co-1',
    fact: { streetId: 'st-1' },
  };
  const member = { kind: 'member', memberId: 'm-1' };

  it('a wish confirmed for a member who served it is a wish fact, and a rating fact when rated', () => {
    const base = {
      id: 'w-1',
      memberId: 'm-1',
      at: '2026-03-12T04:00:00.000Z',
      postedAt: '2026-03-12T04:00:00.000Z',
      revision: 0,
      hours: 0,
      place: { streetId: 'st-1', communityId: 'co-1' },
    };
    expect(wishConfirmedFacts({ ...confirmed, rating: 4 }, member)).toStrictEqual([
      { ...base, kind: 'wish-confirmed', units: 1 },
      { ...base, kind: 'rating', units: 4 },
    ]);
    expect(wishConfirmedFacts(confirmed, member)).toStrictEqual([{ ...base, kind: 'wish-confirmed', units: 1 }]);
  });

  it('no wish fact without a confirmation, a member claimant with an id, and the fact’s place', () => {
    expect(wishConfirmedFacts({ ...confirmed, eventType: 'WishClaimed' }, member)).toEqual([]);
    expect(wishConfirmedFacts(confirmed, undefined)).toEqual([]);
    // A team's claim earns its members nothing here.
    expect(wishConfirmedFacts(confirmed, { kind: 'team', memberId: 'm-1' })).toEqual([]);
    expect(wishConfirmedFacts(confirmed, { kind: 'member' })).toEqual([]);
    const { fact: _, ...withoutPlace } = confirmed;
    expect(wishConfirmedFacts(withoutPlace, member)).toEqual([]);
  });

  it('an evaluation is a fact worth its rating in stars: excellent 3, good 2, fair 1, poor 0', () => {
    const evaluation = (rating: 'excellent' | 'good' | 'fair' | 'poor') =>
      evaluationFacts({
        evaluationId: 'ev-1',
        memberId: 'm-1',
        rating,
        enteredAt: '2026-03-20T03:00:00.000Z',
        streetId: 'st-1',
        communityId: 'co-1',
      });
    expect(evaluation('good')).toStrictEqual([
      {
        kind: 'evaluation',
        id: 'ev-1',
        memberId: 'm-1',
        at: '2026-03-20T03:00:00.000Z',
        postedAt: '2026-03-20T03:00:00.000Z',
        revision: 0,
        units: 2,
        hours: 0,
        place: { streetId: 'st-1', communityId: 'co-1' },
      },
    ]);
    expect(evaluation('excellent')[0]!.units).toBe(3);
    expect(evaluation('fair')[0]!.units).toBe(1);
    expect(evaluation('poor')[0]!.units).toBe(0);
  });

  it('a completed training is a fact of its study hours, which earn points but add no service hours', () => {
    expect(
      trainingFacts({
        entryId: 'te-1',
        memberId: 'm-1',
        studyHours: 6,
        completedAt: '2026-03-21T09:00:00.000Z',
        streetId: 'st-1',
        communityId: 'co-1',
      }),
    ).toStrictEqual([
      {
        kind: 'training-completed',
        id: 'te-1',
        memberId: 'm-1',
        at: '2026-03-21T09:00:00.000Z',
        postedAt: '2026-03-21T09:00:00.000Z',
        revision: 0,
        units: 6,
        hours: 0,
        place: { streetId: 'st-1', communityId: 'co-1' },
      },
    ]);
  });
});

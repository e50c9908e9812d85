import { describe, expect, it } from 'vitest';
import {
  cityCsvFileName,
  cityTotals,
  counterColumns,
  DEFAULT_RANK_BY,
  rankDistricts,
} from '../../shared/domain/city.ts';
import { COUNTER_NAMES } from '../../shared/domain/stats.ts';

/** The city's pure rules over the districts' frozen months: columns, totals, the ranking. */
describe('the city month', () => {
  it('columns: every counter in the figures order, then any other a district sent, sorted', () => {
    expect(counterColumns([])).toEqual([...COUNTER_NAMES]);
    expect(counterColumns([{ figures: { zeta: 1, checkIns: 2 } }, { figures: { alpha: 3, zeta: 4 } }])).toEqual([
      ...COUNTER_NAMES,
      'alpha',
      'zeta',
    ]);
  });
  it('totals: the sum over the districts, a counter a district lacks counting 0, without float drift', () => {
    const totals = cityTotals([
      { figures: { volunteerHours: 0.1, checkIns: 2, extra: 1 } },
      { figures: { volunteerHours: 0.2, checkIns: 3 } },
      { figures: { checkIns: -1 } },
    ]);
    expect(totals.volunteerHours).toBe(0.3);
    expect(totals.checkIns).toBe(4);
    expect(totals.extra).toBe(1);
    expect(totals.activities).toBe(0);
    expect(Object.keys(totals)).toEqual([...COUNTER_NAMES, 'extra']);
    expect(cityTotals([]).checkIns).toBe(0);
  });
  it('ranking: highest first, equal values share a rank and are listed by district id', () => {
    expect(
      rankDistricts(
        [
          { district: 'wuhou', figures: { volunteerHours: 5 } },
          { district: 'chenghua', figures: { volunteerHours: 9 } },
          { district: 'qingyang', figures: { volunteerHours: 5 } },
          { district: 'jinjiang', figures: { volunteerHours: 9 } },
          { district: 'jinniu', figures: {} },
        ],
        DEFAULT_RANK_BY,
      ),
    ).toEqual([
      { district: 'chenghua', value: 9, rank: 1 },
      { district: 'jinjiang', value: 9, rank: 1 },
      { district: 'qingyang', value: 5, rank: 3 },
      { district: 'wuhou', value: 5, rank: 3 },
      { district: 'jinniu', value: 0, rank: 5 },
    ]);
    expect(DEFAULT_RANK_BY).toBe('volunteerHours');
  });
  it('ranks by the counter asked for', () => {
    const months = [
      { district: 'a', figures: { checkIns: 1, activities: 3 } },
      { district: 'b', figures: { checkIns: 2, activities: 1 } },
    ];
    expect(rankDistricts(months, 'checkIns').map((e) => e.district)).toEqual(['b', 'a']);
    expect(rankDistricts(months, 'activities').map((e) => [e.district, e.rank])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(rankDistricts([], 'checkIns')).toEqual([]);
  });
  it('names the CSV after the month', () => {
    expect(cityCsvFileName('2026-10')).toBe('pioneer-city-2026-10.csv');
  });
});

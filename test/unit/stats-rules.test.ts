import { describe, expect, it } from 'vitest';
import {
  COUNTER_NAMES,
  csvFileName,
  figureColumns,
  figuresOf,
  mayReadStats,
  previousMonth,
  rollupMonth,
  suppress,
  type ResolvedScope,
  withAverages,
} from '../../shared/domain/stats.ts';
import { COUNTERS } from '../../shared/domain/counters.ts';
import { BOM, cityCsv, csvCell, csvLang, FIGURE_LABELS_ZH, statsCsv, toCsv } from '../../shared/views/csv.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { parseCsv } from '../support/csv.ts';

/** The pure rules of statistics: CSV, suppression, months, who reads which scope. */
const errorOf = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, nothing was thrown');
};
const caller = (role: Role, scope: Partial<Caller> = {}): Caller => ({
  sub: 'u1',
  roles: new Set([role]),
  memberId: 'u1',
  communityId: undefined,
  streetId: undefined,
  teamId: undefined,
  district: 'jinjiang',
  ...scope,
});

describe('CSV', () => {
  it('escapes quotes, commas and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
    expect(csvCell(undefined)).toBe('');
  });

  it('neutralises spreadsheet formulas in text, not in numbers', () => {
    expect(csvCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('starts with the UTF-8 BOM, ends lines with CRLF, keeps Chinese text intact', () => {
    const csv = toCsv([
      ['名称', 'a,b'],
      ['春熙路街道', 1],
    ]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toBe(`${BOM}名称,"a,b"\r\n春熙路街道,1\r\n`);
    expect(csv.replaceAll('\r\n', '').includes('\n')).toBe(false);
  });

  it('writes a header, one row per child and the total row; every counter a column; round-trips through a parser', () => {
    const csv = statsCsv({ scope: 'street', id: 'st-1', name: '春熙路街道', figures: figuresOf({ checkIns: 7 }) }, [
      {
        scope: 'community',
        id: 'co-1',
        name: '红星,"社区"\n一',
        figures: figuresOf({ checkIns: 3, volunteerHours: -1.5 }),
      },
      { scope: 'community', id: 'co-2', name: '=cmd', figures: figuresOf({ checkIns: 4, extraCounter: 2 }) },
    ]);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual(['scope', 'id', 'name', ...figureColumns(COUNTER_NAMES), 'extraCounter']);
    expect(rows[0]!.indexOf('ratingAverage')).toBe(rows[0]!.indexOf('ratingCount') + 1);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
    expect(rows[1]!.slice(0, 3)).toEqual(['community', 'co-1', '红星,"社区"\n一']);
    expect(rows[1]![rows[0]!.indexOf('volunteerHours')]).toBe('-1.5');
    expect(rows[1]![rows[0]!.indexOf('ratingAverage')]).toBe('');
    expect(rows[2]![2]).toBe("'=cmd");
    expect(rows[2]!.at(-1)).toBe('2');
    expect(rows[3]!.slice(0, 4)).toEqual(['street', 'st-1', '春熙路街道', '7']);
    expect(rows[3]!.at(-1)).toBe('0');
  });

  it('gives the average rating beside its sum and count, and only when there is a rating', () => {
    expect(withAverages({ ratingSum: 14, ratingCount: 3, volunteerHours: 2 })).toEqual({
      ratingSum: 14,
      ratingCount: 3,
      ratingAverage: 4.67,
      volunteerHours: 2,
    });
    expect(withAverages({ ratingSum: 0, ratingCount: 0 })).toEqual({ ratingSum: 0, ratingCount: 0 });
    expect(withAverages({ volunteerHours: 1 })).toEqual({ volunteerHours: 1 });
    const csv = parseCsv(
      statsCsv({ scope: 'team', id: 'tm-1', figures: figuresOf({ ratingSum: 9, ratingCount: 2 }) }, []).slice(1),
    );
    expect(csv[1]![csv[0]!.indexOf('ratingAverage')]).toBe('4.5');
    expect(csv[1]![csv[0]!.indexOf('ratingSum')]).toBe('9');
  });

  it('writes readable Chinese headers with lang zh, for every counter', () => {
    for (const name of [...Object.keys(COUNTERS), 'ratingAverage'])
      expect(FIGURE_LABELS_ZH[name], name).toMatch(/\p{Script=Han}/u);
    const csv = parseCsv(
      statsCsv(
        { scope: 'street', id: 'st-1', name: '春熙路街道', figures: figuresOf({ checkIns: 7 }) },
        [{ scope: 'community', id: 'co-1', name: '红星社区', figures: figuresOf({ checkIns: 7 }) }],
        undefined,
        'zh',
      ).slice(1),
    );
    expect(csv[0]!.slice(0, 4)).toEqual(['层级', '编号', '名称', '社区报到数']);
    expect(csv[0]).toContain('服务时长（小时）');
    expect(csv[0]).toContain('平均评分');
    expect(csv[0]!.some((h) => /^[a-z]+[A-Z]/.test(h))).toBe(false);
    expect(csv[1]!.slice(0, 3)).toEqual(['社区', 'co-1', '红星社区']);
    expect(csv[2]!.slice(0, 3)).toEqual(['街道', 'st-1', '春熙路街道']);
    const city = parseCsv(
      cityCsv(
        {
          month: '2026-11',
          rankBy: 'volunteerHours',
          districts: [{ id: 'jinjiang', name: '锦江区' }],
          totals: { volunteerHours: 0, ratingSum: 0, ratingCount: 0 },
        },
        'zh',
      ).slice(1),
    );
    expect(city[0]).toEqual([
      '区县编号',
      '名称',
      '状态',
      '冻结时间',
      '排名（按服务时长（小时））',
      '服务时长（小时）',
      '评分总和',
      '评分次数',
      '平均评分',
    ]);
    expect(city[1]!.slice(0, 3)).toEqual(['jinjiang', '锦江区', '未报送']);
    expect(city[2]![2]).toBe('0/1 个区县');
  });

  it('picks the CSV language from lang, else Accept-Language, else English', () => {
    expect(csvLang(undefined, undefined)).toBe('en');
    expect(csvLang('zh', 'en-US')).toBe('zh');
    expect(csvLang('en', 'zh-CN')).toBe('en');
    expect(csvLang(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(csvLang(undefined, 'en-GB,zh;q=0.5')).toBe('en');
    expect(csvLang(undefined, 'fr, zh;q=0.3')).toBe('zh');
    expect(csvLang(undefined, 'zh;q=0, en;q=0.1')).toBe('en');
    expect(csvLang(undefined, 'de')).toBe('en');
  });

  it('names the file after the district, month and scope', () => {
    expect(csvFileName('jinjiang', '2026-03', 'street', 'st-1')).toBe('pioneer-jinjiang-2026-03-street-st-1.csv');
  });
});

describe('figures', () => {
  it('has every counter, 0 when absent, keeps other numeric counters, ignores keys and text', () => {
    const f = figuresOf({ pk: 'STATS#x', scope: 'district', checkIns: 2, other: 5, month: '2026-01' }, [
      'pk',
      'scope',
      'month',
    ]);
    expect(Object.keys(f).slice(0, COUNTER_NAMES.length)).toEqual([...COUNTER_NAMES]);
    expect(f.checkIns).toBe(2);
    expect(f.activities).toBe(0);
    expect(f.other).toBe(5);
    expect(f).not.toHaveProperty('pk');
    expect(figuresOf(undefined).wishesCompleted).toBe(0);
  });
  it('counters are keys of letters only: index keys, ids and odd keys are never figures', () => {
    const f = figuresOf({ gsi1pk: 3, a1: 4, '1a': 5, x_y: 6, 'two words': 7, '': 8, ok: 9 });
    expect(Object.keys(f)).toEqual([...COUNTER_NAMES, 'ok']);
    expect(f.ok).toBe(9);
  });
  it('keeps finite numbers and big integers, drops text, booleans, NaN and infinities', () => {
    const f = figuresOf({ checkIns: 5n, activities: Number.NaN, peopleServed: Infinity, extra: -Infinity, flag: true });
    expect(f.checkIns).toBe(5);
    expect(f.activities).toBe(0);
    expect(f.peopleServed).toBe(0);
    expect(f).not.toHaveProperty('extra');
    expect(f).not.toHaveProperty('flag');
    expect(figuresOf({ volunteerHours: '12' }).volunteerHours).toBe(0);
  });
  it('leaves out the attributes it is told to ignore, numeric ones too', () => {
    const f = figuresOf({ version: 3, checkIns: 2 }, ['version']);
    expect(f).not.toHaveProperty('version');
    expect(f.checkIns).toBe(2);
    expect(figuresOf({ version: 3 })).toHaveProperty('version', 3);
  });
  it('takes the names it is given, in their order', () => {
    expect(figuresOf({ b: 1 }, [], ['a', 'b'])).toEqual({ a: 0, b: 1 });
    expect(Object.keys(figuresOf(undefined, [], ['z', 'a']))).toEqual(['z', 'a']);
  });
});

describe('small-count suppression', () => {
  it('shows counts under 5 (0 included) as "<5", 5 and more as numbers', () => {
    const s = suppress(
      figuresOf({
        activities: 4,
        volunteerTimes: 5,
        volunteerHours: 2.5,
        peopleServed: 0,
        wishesCompleted: 5,
        checkIns: 1,
        wishesPosted: 1,
      }),
    );
    expect(s).toEqual({
      activities: '<5',
      volunteerTimes: 5,
      volunteerHours: 2.5,
      peopleServed: '<5',
      wishesCompleted: 5,
      checkIns: '<5',
    });
  });
  it('suppresses hours exactly when the volunteer times are suppressed', () => {
    expect(suppress(figuresOf({ volunteerTimes: 4, volunteerHours: 40 })).volunteerHours).toBe('<5');
    expect(suppress(figuresOf({ volunteerTimes: 6, volunteerHours: 3 })).volunteerHours).toBe(3);
  });
  it('a figure missing from the item is a count of 0: suppressed', () => {
    expect(suppress({})).toEqual({
      activities: '<5',
      volunteerTimes: '<5',
      volunteerHours: '<5',
      peopleServed: '<5',
      wishesCompleted: '<5',
      checkIns: '<5',
    });
    expect(suppress({ volunteerTimes: 7 }).volunteerHours).toBe(0);
  });
  it('shows only the headline figures', () => {
    expect(Object.keys(suppress(figuresOf({ ratingSum: 50 })))).not.toContain('ratingSum');
  });
});

describe('months', () => {
  it('steps back a month across a year', () => {
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-10')).toBe('2026-09');
  });
  it('defaults to last month and freezes only ended months', () => {
    expect(rollupMonth(undefined, '2026-03')).toBe('2026-02');
    expect(rollupMonth('2025-12', '2026-03')).toBe('2025-12');
    for (const bad of ['2026-03', '2026-04', '2026-13', '2026-3', 202602, '', 'x'])
      expect(() => rollupMonth(bad, '2026-03')).toThrow(DomainError);
  });
  it('says what is wrong with the month, naming the field', () => {
    const shape = errorOf(() => rollupMonth(`2026-1${'x'.repeat(60)}`, '2026-03'));
    expect(shape.code).toBe('VALIDATION_FAILED');
    expect(shape.detail).toBe(`month must be YYYY-MM, got 2026-1${'x'.repeat(34)}`);
    expect(shape.extra.errors).toEqual([{ field: 'args.month', message: 'a month YYYY-MM' }]);
    expect(errorOf(() => rollupMonth(202602, '2026-03')).extra.errors).toEqual([
      { field: 'args.month', message: 'a month YYYY-MM' },
    ]);
    const current = errorOf(() => rollupMonth('2026-03', '2026-03'));
    expect(current.code).toBe('VALIDATION_FAILED');
    expect(current.detail).toBe('2026-03 has not ended yet (now 2026-03, Asia/Shanghai): only ended months are frozen');
    expect(current.extra.errors).toEqual([{ field: 'args.month', message: 'a month before the current one' }]);
  });
  it('the default is always an ended month, across a year', () => {
    expect(rollupMonth(undefined, '2026-01')).toBe('2025-12');
    expect(rollupMonth('2025-12', '2026-01')).toBe('2025-12');
  });
});

describe('who reads which scope', () => {
  const district: ResolvedScope = { scope: 'district', id: 'jinjiang' };
  const street: ResolvedScope = { scope: 'street', id: 's1' };
  const community: ResolvedScope = { scope: 'community', id: 'c1', streetId: 's1', communityId: 'c1' };
  const grid: ResolvedScope = { scope: 'grid', id: 'g1', streetId: 's1', communityId: 'c1' };
  const team: ResolvedScope = { scope: 'team', id: 't1', leaderMemberId: 'lead' };
  const cases: [string, Caller, ResolvedScope[], ResolvedScope[]][] = [
    ['city admin', caller('city_admin'), [district, street, community, grid, team], []],
    ['district admin', caller('district_admin'), [district, street, community, grid, team], []],
    ['street admin', caller('street_admin', { streetId: 's1' }), [street, community, grid], [district, team]],
    ['another street admin', caller('street_admin', { streetId: 's2' }), [], [district, street, community, grid, team]],
    // A street id equal to the district's id names a street, never the district.
    [
      'street admin of a street named like the district',
      caller('street_admin', { streetId: 'jinjiang' }),
      [],
      [district],
    ],
    ['community admin', caller('community_admin', { communityId: 'c1' }), [community, grid], [district, street, team]],
    [
      'another community admin',
      caller('community_admin', { communityId: 'c2' }),
      [],
      [district, street, community, grid, team],
    ],
    [
      'team leader',
      caller('team_leader', { memberId: 'lead', teamId: 't1' }),
      [team],
      [district, street, community, grid],
    ],
    ['leader of another team', caller('team_leader', { memberId: 'lead', teamId: 't2' }), [], [team]],
    [
      'leader named in a token who no longer leads',
      caller('team_leader', { memberId: 'other', teamId: 't1' }),
      [],
      [team],
    ],
    [
      'member',
      caller('member', { communityId: 'c1', teamId: 't1', memberId: 'lead' }),
      [],
      [district, street, community, grid, team],
    ],
  ];
  it.each(cases)('%s', (_name, who, allowed, refused) => {
    for (const t of allowed) expect(mayReadStats(who, t), `${t.scope}`).toBe(true);
    for (const t of refused) expect(mayReadStats(who, t), `${t.scope}`).toBe(false);
  });
});

describe('the columns of a table of figures', () => {
  it('puts the rating average right after the rating count, once, whatever the names given', () => {
    expect(figureColumns(['volunteerHours', 'ratingSum', 'ratingCount'])).toEqual([
      'volunteerHours',
      'ratingSum',
      'ratingCount',
      'ratingAverage',
    ]);
    expect(figureColumns(['ratingAverage', 'ratingCount', 'wishesCompleted'])).toEqual([
      'ratingCount',
      'ratingAverage',
      'wishesCompleted',
    ]);
    expect(figureColumns(['volunteerHours'])).toEqual(['volunteerHours']);
  });
});

import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import { ID_PATTERN } from '../../shared/domain/ids.ts';
import {
  applyingTheme,
  assertKickoffInMonth,
  isKickoffDay,
  serviceDayActivityId,
  serviceDayWindow,
  sourceOf,
  yearPlan,
} from '../../shared/domain/theme.ts';
import { isRealDay } from '../../shared/domain/time.ts';
import { putTheme, listThemes } from '../../shared/contract/themes.ts';
import { findSchedule } from '../../shared/config/schedules.ts';

/** The pure theme rules: kickoff date, which theme applies, the service day. */
const codeOf = (f: () => void): string => {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e; // anything else is a bug in the rule, never a pass
  }
};
const errorOf = (f: () => void): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, nothing was thrown');
};

describe('the kickoff date', () => {
  it('must be a real day inside the month', () => {
    expect(codeOf(() => assertKickoffInMonth('2026-12', '2026-12-05'))).toBe('ok');
    expect(codeOf(() => assertKickoffInMonth('2026-12', '2026-11-30'))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertKickoffInMonth('2026-12', '2027-12-05'))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertKickoffInMonth('2026-02', '2026-02-29'))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertKickoffInMonth('2028-02', '2028-02-29'))).toBe('ok');
  });
  it('names the field that failed', () => {
    expect(errorOf(() => assertKickoffInMonth('2026-12', '2026-11-30')).extra.errors).toEqual([
      { field: 'body.kickoffDate', message: 'the kickoff date must lie in 2026-12' },
    ]);
    expect(errorOf(() => assertKickoffInMonth('2026-12', '2026-02-30')).extra.errors).toEqual([
      { field: 'body.kickoffDate', message: 'a date YYYY-MM-DD that exists' },
    ]);
    expect(errorOf(() => assertKickoffInMonth('2026-13', '2026-12-05')).extra.errors).toEqual([
      { field: 'params.month', message: 'a month YYYY-MM' },
    ]);
  });
  it('real days', () => {
    expect(isRealDay('2026-04-30')).toBe(true);
    expect(isRealDay('2026-04-31')).toBe(false);
    expect(isRealDay('2026-4-3')).toBe(false);
  });
  it('a kickoff day is the applying theme’s kickoff date, nothing else', () => {
    expect(isKickoffDay({ kickoffDate: '2026-12-05' }, '2026-12-05')).toBe(true);
    expect(isKickoffDay({ kickoffDate: '2026-12-05' }, '2026-12-06')).toBe(false);
    expect(isKickoffDay(undefined, '2026-12-05')).toBe(false);
  });
});

describe('which theme applies', () => {
  const city = { source: 'city' as const, month: '2026-03', title: 'city' };
  const district = { source: 'district' as const, month: '2026-03', title: 'district' };
  it('the district theme overrides the city plan; else the city plan', () => {
    expect(applyingTheme([city, district])?.title).toBe('district');
    expect(applyingTheme([district, city])?.title).toBe('district');
    expect(applyingTheme([city])?.title).toBe('city');
    expect(applyingTheme([])).toBeUndefined();
  });
  it('the year plan has twelve months, null where no theme is set', () => {
    const plan = yearPlan(2026, [city, district, { source: 'city' as const, month: '2026-12', title: 'dec' }]);
    expect(plan.map((m) => m.month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    );
    expect(plan[2]!.theme?.title).toBe('district');
    expect(plan[11]!.theme?.title).toBe('dec');
    expect(plan.filter((m) => m.theme === null)).toHaveLength(10);
  });
  it('a city admin sets the city plan, a district admin the district theme, nobody else', () => {
    expect(sourceOf(new Set(['city_admin']))).toBe('city');
    expect(sourceOf(new Set(['district_admin']))).toBe('district');
    expect(sourceOf(new Set(['community_admin']))).toBeUndefined();
  });
});

describe('the service day', () => {
  it('runs 09:00 to 12:00 Asia/Shanghai on the kickoff date', () => {
    expect(serviceDayWindow('2026-12-05')).toEqual({
      startsAt: '2026-12-05T01:00:00.000Z',
      endsAt: '2026-12-05T04:00:00.000Z',
    });
  });
  it('has a deterministic id of the id shape, even for the longest team ids', () => {
    expect(serviceDayActivityId('2026-12', 'team_01ABC')).toBe('sd-202612-team_01ABC');
    const long = 'x'.repeat(64);
    const id = serviceDayActivityId('2026-12', long);
    expect(id).toMatch(ID_PATTERN);
    expect(id).toBe(serviceDayActivityId('2026-12', long));
    expect(id).not.toBe(serviceDayActivityId('2026-12', 'y'.repeat(64)));
    expect(serviceDayActivityId('2027-01', 'team_01ABC')).not.toBe(serviceDayActivityId('2026-12', 'team_01ABC'));
  });
  it('the kickoff schedule runs daily at 00:05 Asia/Shanghai in the jobs function', () => {
    expect(findSchedule('kickoff')).toMatchObject({
      cron: 'cron(5 0 * * ? *)',
      timeZone: 'Asia/Shanghai',
      function: 'jobs',
      access: 'RW',
    });
  });
});

describe('theme contracts', () => {
  const valid = { title: '垃圾分类月', description: '推进垃圾分类', kickoffDate: '2026-03-05' };
  it('fills defaults and bounds the lists', () => {
    expect(putTheme.body.parse(valid)).toEqual({
      ...valid,
      suggestedCategories: [],
      expectedTeamIds: [],
      plannedFlagGrants: [],
    });
    expect(
      putTheme.body.safeParse({ ...valid, expectedTeamIds: Array.from({ length: 501 }, (_, i) => `t${i}`) }).success,
    ).toBe(false);
    expect(putTheme.body.safeParse({ ...valid, plannedFlagGrants: ['a#b'] }).success).toBe(false);
    expect(putTheme.body.safeParse({ ...valid, status: 'kicked-off' }).success).toBe(false);
    expect(putTheme.params.safeParse({ month: '2026-13' }).success).toBe(false);
    expect(listThemes.query.safeParse({ year: '26' }).success).toBe(false);
  });
});

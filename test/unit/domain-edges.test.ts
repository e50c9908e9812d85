import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { hoursServed, placeText } from '../../shared/domain/activity.ts';
import { certificateNumber, CERT_NAME_MAX, shortName } from '../../shared/domain/certificate.ts';
import { assertMoves, decide } from '../../shared/domain/check-in.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { DomainError, ERROR_CODES, ERRORS, forbidden, notFound } from '../../shared/domain/errors.ts';
import { ID_PATTERN, newId } from '../../shared/domain/ids.ts';
import { assertCorrectable, decideCorrection, MAX_HISTORY, recordIdFor } from '../../shared/domain/records.ts';
import { ROLLUP_DETAIL_TYPE, ROLLUP_EVENT_SOURCE } from '../../shared/domain/rollup.ts';
import { placeRequirement, teamPlaceErrors } from '../../shared/domain/team.ts';
import { applyingTheme, assertKickoffInMonth, serviceDayActivityId, uniqueIds } from '../../shared/domain/theme.ts';
import { DAY_PATTERN, dayOf, isRealDay, MONTH_PATTERN, monthOf } from '../../shared/domain/time.ts';

/** Boundaries and edges of the domain rules that the rule-by-rule files leave open. */
const errorOf = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, nothing was thrown');
};
afterEach(() => resetClock());

describe('ids sort by creation', () => {
  it('an id made later sorts after one made earlier, across every digit of the time', () => {
    const times = [
      '1970-01-01T00:00:00.001Z',
      '1970-01-01T00:00:00.031Z',
      '1970-01-01T00:00:00.032Z',
      '2001-09-09T01:46:40Z',
      '2026-12-03T09:00:00.000Z',
      '2026-12-03T09:00:00.001Z',
      '2026-12-03T09:00:01Z',
      '2089-01-01T00:00:00Z',
    ];
    const ids = times.map((t) => {
      freezeClock(t);
      return newId('x');
    });
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^x_[0-9A-HJKMNP-TV-Z]{26}$/);
  });
  it('the first ten characters are the time in Crockford base32, the rest random', () => {
    freezeClock('1970-01-01T00:00:00.033Z');
    const a = newId('ab');
    const b = newId('ab');
    expect(a.slice(0, 13)).toBe('ab_0000000011');
    expect(b.slice(0, 13)).toBe('ab_0000000011');
    expect(a.slice(13)).not.toBe(b.slice(13));
    expect(ID_PATTERN.test(a)).toBe(true);
  });
  it('the id shape: a letter or digit first, then letters, digits, _ and -, 64 at most', () => {
    expect(ID_PATTERN.test('a'.repeat(64))).toBe(true);
    expect(ID_PATTERN.test('a'.repeat(65))).toBe(false);
    expect(ID_PATTERN.test('_a')).toBe(false);
    expect(ID_PATTERN.test('a#b')).toBe(false);
    expect(ID_PATTERN.test('')).toBe(false);
  });
});

describe('record ids', () => {
  it('derive from source and member: the same pair gives the same id, another pair another', () => {
    const id = recordIdFor('act_1', 'm-1');
    expect(id).toMatch(/^sr_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(recordIdFor('act_1', 'm-1')).toBe(id);
    expect(recordIdFor('act_1', 'm-2')).not.toBe(id);
    expect(recordIdFor('act_2', 'm-1')).not.toBe(id);
    // The separator keeps ("a", "b-c") and ("a-b", "c") apart.
    expect(recordIdFor('a', 'bc')).not.toBe(recordIdFor('ab', 'c'));
  });
});

describe('hours and places', () => {
  const a = { startsAt: '2025-06-01T01:00:00.000Z', endsAt: '2025-06-01T04:00:00.000Z' };
  it('no check-in, no hours; a check-out at the check-in, none either', () => {
    expect(hoursServed(a, {})).toBe(0);
    expect(hoursServed(a, { checkedOutAt: a.endsAt })).toBe(0);
    expect(hoursServed(a, { checkedInAt: a.startsAt, checkedOutAt: a.startsAt })).toBe(0);
    expect(hoursServed(a, { checkedInAt: a.startsAt, checkedOutAt: '2025-06-01T01:30:00.000Z' })).toBe(0.5);
  });
  it('a place with neither address nor station is the community', () => {
    expect(placeText({}, '锦官社区')).toBe('锦官社区');
    expect(placeText({ address: '3号楼', stationId: 'stn-1' }, '锦官社区')).toBe('锦官社区 3号楼');
  });
});

describe('certificates', () => {
  it('need a six-digit district code, nothing around it, and 8 random bytes', () => {
    const random = new Uint8Array(8);
    expect(certificateNumber('510104', '2026-12-03T00:00:00Z', random)).toBe('PNR-510104-20261203-00000000');
    expect(() => certificateNumber('5101041', '2026-12-03T00:00:00Z', random)).toThrow(
      'not a 6-digit district code: 5101041',
    );
    expect(() => certificateNumber('x510104', '2026-12-03T00:00:00Z', random)).toThrow('not a 6-digit district code');
    expect(() => certificateNumber('51010', '2026-12-03T00:00:00Z', random)).toThrow('not a 6-digit district code');
    expect(() => certificateNumber('510104', '2026-12-03T00:00:00Z', new Uint8Array(7))).toThrow('need 8 random bytes');
  });
  it('keep a name of exactly the limit whole, and cut one character more', () => {
    const exact = '志'.repeat(CERT_NAME_MAX);
    expect(shortName(exact)).toBe(exact);
    const longer = '志'.repeat(CERT_NAME_MAX + 1);
    expect(shortName(longer)).toBe(`${'志'.repeat(CERT_NAME_MAX - 1)}…`);
    expect(Array.from(shortName(longer))).toHaveLength(CERT_NAME_MAX);
  });
});

describe('check-ins and corrections say what is wrong', () => {
  it('a decided check-in names its state', () => {
    expect(errorOf(() => decide('approved', 'reject')).detail).toBe(
      'the check-in is approved; only a pending one can be decided',
    );
  });
  it('checking in where one is: ALREADY_CHECKED_IN, said so', () => {
    const e = errorOf(() => assertMoves({ communityId: 'c1' }, { communityId: 'c1' }));
    expect(e.code).toBe('ALREADY_CHECKED_IN');
    expect(e.detail).toBe('you are already checked in to that community and grid');
  });
  it('a decided correction names its state', () => {
    const e = errorOf(() => decideCorrection('rejected', 'accept'));
    expect(e.detail).toBe('the correction is rejected; only a pending one can be decided');
    expect(e.extra).toEqual({ state: 'rejected' });
  });
  it('a pending correction is named; the history has room for exactly one more correction at 59', () => {
    const r = { hours: 2, history: [], pendingCorrectionId: undefined };
    const pending = errorOf(() => assertCorrectable({ ...r, pendingCorrectionId: 'cr_1' }, 3));
    expect(pending.extra).toEqual({ correctionId: 'cr_1' });
    expect(pending.detail).toBe('a correction of this record is already pending; wait for its decision');
    const entries = (n: number) => Array.from({ length: n }, () => ({ at: 'x', by: 'y', kind: 'created' as const }));
    expect(() => assertCorrectable({ ...r, history: entries(MAX_HISTORY - 2) }, 3)).not.toThrow();
    const full = errorOf(() => assertCorrectable({ ...r, history: entries(MAX_HISTORY - 1) }, 3));
    expect(full.code).toBe('TOO_MANY_CORRECTIONS');
    expect(full.detail).toBe('this record has had the most corrections allowed; ask an admin');
    expect(errorOf(() => assertCorrectable(r, 2)).detail).toBe('the record already has 2 hours');
  });
});

describe('team places and themes', () => {
  it('where each scope of team belongs', () => {
    expect(placeRequirement('community')).toEqual({ communityId: 'required', streetId: 'optional' });
    expect(placeRequirement('street')).toEqual({ communityId: 'forbidden', streetId: 'required' });
    for (const scope of ['district', 'cross-industry', 'cross-region'] as const)
      expect(placeRequirement(scope)).toEqual({ communityId: 'optional', streetId: 'optional' });
  });
  it('a bad kickoff says to see the field errors', () => {
    expect(errorOf(() => assertKickoffInMonth('2026-12', '2026-11-30')).detail).toBe('see errors for each field');
  });
  it('each missing or forbidden place field is named, with the scope', () => {
    expect(teamPlaceErrors({ scope: 'community' })).toEqual([
      { field: 'body.communityId', message: 'a community team needs its communityId' },
    ]);
    expect(teamPlaceErrors({ scope: 'street', communityId: 'c1' })).toEqual([
      { field: 'body.communityId', message: 'a street team names a street, not a community' },
      { field: 'body.streetId', message: 'a street team needs its streetId' },
    ]);
    expect(teamPlaceErrors({ scope: 'district' })).toEqual([]);
    expect(teamPlaceErrors({ scope: 'community', communityId: 'c1' })).toEqual([]);
  });
  it('the city theme applies only when it is the city’s; a theme of another source never', () => {
    expect(applyingTheme([{ source: 'other' as 'city', title: 'x' }])).toBeUndefined();
  });
  it('a long team id gives a hashed service-day id: letters and digits only, 32 of them', () => {
    const teamId = `${'a'.repeat(60)}-0`;
    // Its base64url hash has a _ among its first 32 characters: the id drops it and takes one more.
    const hash = createHash('sha256').update(teamId).digest('base64url');
    expect(hash.slice(0, 32)).toContain('_');
    const id = serviceDayActivityId('2026-12', teamId);
    expect(id).toMatch(/^sd-202612-h[A-Za-z0-9]{32}$/);
    expect(id).toBe(`sd-202612-h${hash.replace(/[-_]/g, '').slice(0, 32)}`);
  });
  it('unique ids keep the first of each, in order', () => {
    expect(uniqueIds(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
    expect(uniqueIds([])).toEqual([]);
  });
});

describe('time', () => {
  it('months and days of instants and of dates, in Shanghai', () => {
    expect(monthOf(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
    expect(dayOf(new Date('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
  });
  it('the month and day shapes are whole strings', () => {
    expect(MONTH_PATTERN.test('2026-12')).toBe(true);
    expect(MONTH_PATTERN.test('2026-123')).toBe(false);
    expect(MONTH_PATTERN.test('x2026-12')).toBe(false);
    expect(DAY_PATTERN.test('2026-12-31')).toBe(true);
    expect(DAY_PATTERN.test('2026-12-311')).toBe(false);
    expect(DAY_PATTERN.test('12026-12-31')).toBe(false);
  });
  it('a real day has the day shape, whatever Date would make of it', () => {
    expect(isRealDay('2026-12-3')).toBe(false);
    expect(isRealDay('2026-12-03T00:00')).toBe(false);
    expect(isRealDay('+02026-12-03')).toBe(false);
  });
});

describe('errors', () => {
  it('a DomainError is named, says its code and detail, and carries its extras', () => {
    const e = new DomainError('NOT_FOUND', 'member not found', { id: 'm-1' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DomainError');
    expect(e.message).toBe('NOT_FOUND: member not found');
    expect(e.extra).toEqual({ id: 'm-1' });
    expect(new DomainError('FORBIDDEN', 'x').extra).toEqual({});
  });
  it('notFound and forbidden', () => {
    expect(notFound('wish')).toMatchObject({ code: 'NOT_FOUND', detail: 'wish not found' });
    expect(forbidden()).toMatchObject({ code: 'FORBIDDEN', detail: 'not allowed for your role or scope' });
    expect(forbidden('only leaders')).toMatchObject({ code: 'FORBIDDEN', detail: 'only leaders' });
  });
  it('every code has its kind and a title', () => {
    // Every kind has codes (test/unit/error-codes.test.ts holds the exact list, one line a code).
    expect([...new Set(ERROR_CODES.map((c) => ERRORS[c].kind))].sort()).toEqual([
      'conflict',
      'forbidden',
      'internal',
      'invalid',
      'not-found',
      'rate-limited',
      'too-large',
      'unauthenticated',
      'unavailable',
      'unknown-reference',
      'unprocessable',
      'unsupported-type',
    ]);
    for (const code of ERROR_CODES) expect(ERRORS[code].title.length, code).toBeGreaterThan(0);
    expect(ERRORS.CLAIM_LIMIT_REACHED).toEqual({
      kind: 'conflict',
      title: 'You hold the most open wish claims allowed: complete or release one first',
    });
  });
});

describe('the rollup event', () => {
  it('is MonthlyRollupFrozen from pioneer.district', () => {
    expect(ROLLUP_EVENT_SOURCE).toBe('pioneer.district');
    expect(ROLLUP_DETAIL_TYPE).toBe('MonthlyRollupFrozen');
  });
});

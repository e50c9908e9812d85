import { describe, expect, it } from 'vitest';
import {
  addMonths,
  completed,
  expiryOf,
  extendedExpiry,
  meets,
  REMINDER_DAYS,
  regrantChanges,
  reminderWindow,
  satisfiedBy,
  TIERS,
  tierBelow,
  validAt,
} from '../../shared/domain/training.ts';

/** Tiers include those below; re-grants only extend; completion rules; reminder windows. */
describe('training rules', () => {
  it('a tier is satisfied by itself and the tiers above', () => {
    expect(satisfiedBy('pre-service')).toEqual(['pre-service', 'professional', 'backbone']);
    expect(satisfiedBy('backbone')).toEqual(['backbone']);
    expect(tierBelow('professional')).toBe('pre-service');
    expect(tierBelow('pre-service')).toBeUndefined();
  });

  it('meets: valid at the start; expired the day before is refused with its expiry', () => {
    const start = '2026-12-10T01:00:00.000Z';
    expect(meets([{ qualification: 'backbone' }], 'professional', start)).toEqual({ ok: true });
    expect(meets([{ qualification: 'pre-service' }], 'professional', start)).toEqual({ ok: false, reason: 'missing' });
    expect(
      meets([{ qualification: 'professional', validUntil: '2026-12-09T01:00:00.000Z' }], 'professional', start),
    ).toEqual({
      ok: false,
      reason: 'expires',
      validUntil: '2026-12-09T01:00:00.000Z',
    });
    expect(meets([{ qualification: 'professional', validUntil: start }], 'professional', start).ok).toBe(false);
    expect(
      meets([{ qualification: 'professional', validUntil: '2026-12-10T01:00:00.001Z' }], 'professional', start).ok,
    ).toBe(true);
  });

  it('a re-grant only extends; no expiry is the latest', () => {
    expect(extendedExpiry(undefined, '2027-01-01T00:00:00.000Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(extendedExpiry('2028-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).toBe('2028-01-01T00:00:00.000Z');
    expect(extendedExpiry('2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(extendedExpiry(null, '2027-01-01T00:00:00.000Z')).toBeUndefined();
    expect(extendedExpiry('2027-01-01T00:00:00.000Z', undefined)).toBeUndefined();
    expect(regrantChanges(null, undefined)).toBe(false);
    expect(regrantChanges('2028-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).toBe(false);
    expect(regrantChanges('2028-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z')).toBe(false);
    expect(regrantChanges('2027-01-01T00:00:00.000Z', undefined)).toBe(true);
    expect(regrantChanges(undefined, '2027-01-01T00:00:00.000Z')).toBe(true);
  });

  it('months are calendar months, the day clipped', () => {
    expect(addMonths('2026-01-31T04:00:00.000Z', 1)).toBe('2026-02-28T04:00:00.000Z');
    expect(addMonths('2026-12-21T04:00:00.000Z', 12)).toBe('2027-12-21T04:00:00.000Z');
  });

  it('completion: any, every (one missed: never), last', () => {
    const s = [
      { activityId: 'a', startsAt: '2026-12-01T00:00:00.000Z', closed: true },
      { activityId: 'b', startsAt: '2026-12-08T00:00:00.000Z', closed: true },
      { activityId: 'c', startsAt: '2026-12-15T00:00:00.000Z', closed: false },
    ];
    expect(completed('any', s, new Set(['b']))).toBe(true);
    expect(completed('any', s, new Set(['c']))).toBe(false);
    expect(completed('every', s, new Set(['a', 'b']))).toBe(false);
    expect(
      completed(
        'every',
        s.map((x) => ({ ...x, closed: true })),
        new Set(['a', 'b']),
      ),
    ).toBe(false);
    expect(
      completed(
        'every',
        s.map((x) => ({ ...x, closed: true })),
        new Set(['a', 'b', 'c']),
      ),
    ).toBe(true);
    expect(completed('last', s, new Set(['a', 'b', 'c']))).toBe(false);
    expect(
      completed(
        'last',
        s.map((x) => ({ ...x, closed: true })),
        new Set(['c']),
      ),
    ).toBe(true);
    expect(completed('every', [], new Set())).toBe(false);
  });

  it('reminder windows: 30, 7 and 1 day before', () => {
    const exp = '2026-12-31T00:00:00.000Z';
    const at = (days: number) => Date.parse(exp) - days * 24 * 3600_000;
    expect(reminderWindow(exp, at(31))).toBeUndefined();
    expect(reminderWindow(exp, at(30))).toBe(30);
    expect(reminderWindow(exp, at(8))).toBe(30);
    expect(reminderWindow(exp, at(7))).toBe(7);
    expect(reminderWindow(exp, at(1.5))).toBe(7);
    expect(reminderWindow(exp, at(1))).toBe(1);
    expect(reminderWindow(exp, at(0.1))).toBe(1);
    expect(reminderWindow(exp, at(0))).toBeUndefined();
  });

  it('tiers in order; the tier below each', () => {
    expect(TIERS).toEqual(['pre-service', 'professional', 'backbone']);
    expect(satisfiedBy('professional')).toEqual(['professional', 'backbone']);
    expect(tierBelow('backbone')).toBe('professional');
    expect(REMINDER_DAYS).toEqual([30, 7, 1]);
  });

  it('a completion grants until validity months later, or for good', () => {
    expect(expiryOf({ validityMonths: 24 }, '2026-02-28T10:00:00.000Z')).toBe('2028-02-28T10:00:00.000Z');
    expect(expiryOf({ validityMonths: 1 }, '2026-03-31T10:00:00.000Z')).toBe('2026-04-30T10:00:00.000Z');
    expect(expiryOf({}, '2026-03-31T10:00:00.000Z')).toBeUndefined();
    // Into a leap February, across a year, and backwards.
    expect(addMonths('2027-12-31T23:59:59.000Z', 2)).toBe('2028-02-29T23:59:59.000Z');
    expect(addMonths('2026-05-31T00:00:00.000Z', -3)).toBe('2026-02-28T00:00:00.000Z');
    expect(addMonths('2026-01-15T08:30:00.000Z', 0)).toBe('2026-01-15T08:30:00.000Z');
  });

  it('a grant is valid up to, not at, its expiry; without one, always', () => {
    const at = '2026-12-10T01:00:00.000Z';
    expect(validAt({}, at)).toBe(true);
    expect(validAt({ validUntil: '2026-12-10T01:00:00.001Z' }, at)).toBe(true);
    expect(validAt({ validUntil: at }, at)).toBe(false);
    expect(validAt({ validUntil: '2026-12-09T00:00:00.000Z' }, at)).toBe(false);
  });

  it('meets: any usable valid grant will do; when all expired, the latest expiry is named', () => {
    const at = '2026-12-10T01:00:00.000Z';
    const expired = [
      { qualification: 'professional' as const, validUntil: '2026-06-01T00:00:00.000Z' },
      { qualification: 'backbone' as const, validUntil: '2026-11-01T00:00:00.000Z' },
      { qualification: 'professional' as const, validUntil: '2026-08-01T00:00:00.000Z' },
      // Not usable for professional: its later expiry is not the one named.
      { qualification: 'pre-service' as const, validUntil: '2026-12-01T00:00:00.000Z' },
    ];
    expect(meets(expired, 'professional', at)).toEqual({
      ok: false,
      reason: 'expires',
      validUntil: '2026-11-01T00:00:00.000Z',
    });
    expect(
      meets(
        [...expired, { qualification: 'professional', validUntil: '2027-01-01T00:00:00.000Z' }],
        'professional',
        at,
      ),
    ).toEqual({ ok: true });
    expect(meets([{ qualification: 'pre-service' }], 'pre-service', at)).toEqual({ ok: true });
    expect(meets([], 'pre-service', at)).toEqual({ ok: false, reason: 'missing' });
  });

  it('a re-grant changes a grant only by extending it', () => {
    expect(regrantChanges('2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.001Z')).toBe(true);
    expect(regrantChanges(null, '2030-01-01T00:00:00.000Z')).toBe(false);
    expect(regrantChanges(undefined, undefined)).toBe(true);
    expect(extendedExpiry(undefined, undefined)).toBeUndefined();
    expect(extendedExpiry(null, undefined)).toBeUndefined();
    expect(extendedExpiry('2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('completion by the last session: the latest start, wherever it is listed', () => {
    const s = [
      { activityId: 'late', startsAt: '2026-12-15T00:00:00.000Z', closed: true },
      { activityId: 'early', startsAt: '2026-12-01T00:00:00.000Z', closed: true },
      { activityId: 'mid', startsAt: '2026-12-08T00:00:00.000Z', closed: true },
    ];
    expect(completed('last', s, new Set(['late']))).toBe(true);
    expect(completed('last', s, new Set(['early', 'mid']))).toBe(false);
    expect(completed('last', [], new Set())).toBe(false);
    expect(completed('any', [], new Set())).toBe(false);
    // `any` counts only closed sessions; `every` needs every one closed, attended or not.
    expect(completed('any', [{ ...s[0]!, closed: false }], new Set(['late']))).toBe(false);
    expect(completed('every', [{ ...s[0]!, closed: false }], new Set(['late']))).toBe(false);
    expect(completed('every', s, new Set(['late', 'early', 'mid']))).toBe(true);
    // Only the last attended: enough under `last`, not under `every`.
    expect(completed('every', s, new Set(['late']))).toBe(false);
  });

  it('a reminder window is the smallest one the time left is within', () => {
    const exp = '2026-12-31T00:00:00.000Z';
    const at = (ms: number) => Date.parse(exp) - ms;
    const day = 24 * 3600_000;
    expect(reminderWindow(exp, at(30 * day + 1))).toBeUndefined();
    expect(reminderWindow(exp, at(7 * day + 1))).toBe(30);
    expect(reminderWindow(exp, at(day + 1))).toBe(7);
    expect(reminderWindow(exp, at(1))).toBe(1);
    expect(reminderWindow(exp, at(-1))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import {
  addMonths,
  completed,
  extendedExpiry,
  meets,
  regrantChanges,
  reminderWindow,
  satisfiedBy,
  tierBelow,
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
});

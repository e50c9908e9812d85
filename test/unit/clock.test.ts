import { afterEach, describe, expect, it } from 'vitest';
import { freezeClock, now, nowIso, nowMs, resetClock, setClock } from '../../shared/domain/clock.ts';

/** The one "now" of production code: the system clock, or one set or frozen by the local runtime and tests. */
afterEach(() => resetClock());

describe('the clock', () => {
  it('is the system clock by default', () => {
    const before = Date.now();
    const t = nowMs();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
  it('set to a time, it runs on from there', async () => {
    setClock('2030-01-01T00:00:00Z');
    const first = nowMs();
    expect(first).toBeGreaterThanOrEqual(Date.parse('2030-01-01T00:00:00Z'));
    expect(first).toBeLessThan(Date.parse('2030-01-01T00:00:05Z'));
    await new Promise((r) => setTimeout(r, 30));
    expect(nowMs()).toBeGreaterThanOrEqual(first + 25);
    // And to a time in the past.
    setClock('2001-02-03T04:05:06Z');
    expect(nowIso().slice(0, 18)).toBe('2001-02-03T04:05:0');
  });
  it('frozen, it stands still; set again, it runs again', async () => {
    freezeClock('2026-12-01T02:00:00.000Z');
    await new Promise((r) => setTimeout(r, 20));
    expect(nowIso()).toBe('2026-12-01T02:00:00.000Z');
    expect(now()).toEqual(new Date('2026-12-01T02:00:00.000Z'));
    expect(nowMs()).toBe(Date.parse('2026-12-01T02:00:00Z'));
    setClock('2026-12-01T02:00:00.000Z');
    await new Promise((r) => setTimeout(r, 30));
    expect(nowMs()).toBeGreaterThan(Date.parse('2026-12-01T02:00:00Z'));
  });
  it('reset, it is the system clock again', () => {
    freezeClock('2000-01-01T00:00:00Z');
    resetClock();
    expect(Math.abs(nowMs() - Date.now())).toBeLessThan(1000);
    setClock('2000-01-01T00:00:00Z');
    resetClock();
    expect(Math.abs(nowMs() - Date.now())).toBeLessThan(1000);
  });
  it('refuses what is not a time, and keeps the time it had', () => {
    freezeClock('2026-01-01T00:00:00Z');
    expect(() => setClock('yesterday')).toThrow('not an ISO time: yesterday');
    expect(() => freezeClock('2026-13-45')).toThrow('not an ISO time: 2026-13-45');
    expect(nowIso()).toBe('2026-01-01T00:00:00.000Z');
  });
});

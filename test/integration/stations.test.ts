import { describe, expect, it } from 'vitest';
import * as store from '../../shared/db/stations.ts';
import { freezeClock } from '../../shared/domain/clock.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import type { Booking } from '../../shared/domain/station.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import * as svc from '../../shared/services/stations.ts';
import { verifyCounters } from '../../shared/services/verify.ts';
import { district, place, team } from './activities-fixture.ts';

/**
 * Bookings against DynamoDB Local behind the layer (transaction conflicts as in AWS): 1,000
 * random, overlapping bookings by 20 teams, 25 at a time, over three days of one station, some of
 * them cancelled as they go. Afterwards the table is read unit by unit: no unit is held twice, every
 * confirmed booking holds exactly its units, no two confirmed bookings overlap, every refusal was
 * an overlap (or a conflict that outlasted its retries), and the counters equal their rebuild.
 */
const T0 = '2026-06-01T00:00:00.000Z'; // Monday 08:00, Asia/Shanghai
const BOOKINGS = 1000;
const AT_ONCE = 25;

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe('booking races', () => {
  it(`${BOOKINGS} random overlapping bookings: no unit held twice, every confirmed booking holds exactly its units`, async () => {
    freezeClock(T0);
    const station = await svc.createStation(district, {
      name: '压力驿站',
      communityId: place.communityId,
      address: '一楼',
      managers: [],
      amenities: [],
      openingHours: {
        tue: [{ from: '08:00', to: '20:00' }],
        wed: [{ from: '08:00', to: '20:00' }],
        thu: [{ from: '08:00', to: '20:00' }],
      },
      weeklyCapHours: 168,
    });
    const leaders: Caller[] = [];
    for (let i = 0; i < 20; i++) leaders.push((await team()).leader);
    const rnd = random(14);
    const requests = Array.from({ length: BOOKINGS }, () => {
      const day = ['2026-06-02', '2026-06-03', '2026-06-04'][Math.floor(rnd() * 3)]!;
      const unit = Math.floor(rnd() * 24); // 08:00 .. 19:30
      const len = 1 + Math.floor(rnd() * Math.min(6, 24 - unit));
      const start = Date.parse(`${day}T08:00:00+08:00`) + unit * 1_800_000;
      return {
        leader: leaders[Math.floor(rnd() * leaders.length)]!,
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + len * 1_800_000).toISOString(),
        cancel: rnd() < 0.1,
      };
    });
    const outcomes: string[] = [];
    for (let i = 0; i < requests.length; i += AT_ONCE)
      outcomes.push(
        ...(await Promise.all(
          requests.slice(i, i + AT_ONCE).map(async (r) => {
            try {
              const b = await svc.book(r.leader, station.stationId, { startsAt: r.startsAt, endsAt: r.endsAt });
              if (r.cancel) {
                await svc.cancelBooking(r.leader, station.stationId, b.bookingId);
                return 'cancelled';
              }
              return 'confirmed';
            } catch (err) {
              if (err instanceof DomainError) return err.code;
              throw err;
            }
          }),
        )),
      );
    const tally: Record<string, number> = {};
    for (const o of outcomes) tally[o] = (tally[o] ?? 0) + 1;
    for (const code of Object.keys(tally)) expect(['confirmed', 'cancelled', 'BOOKING_OVERLAP']).toContain(code);
    expect(tally.confirmed).toBeGreaterThan(20);
    expect(tally.BOOKING_OVERLAP).toBeGreaterThan(100);

    // The table, unit by unit
    const bookings: Booking[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listStationBookings(station.stationId, undefined, 100, cursor);
      bookings.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const confirmed = bookings.filter((b) => b.status === 'confirmed');
    expect(confirmed).toHaveLength(tally.confirmed!);
    expect(bookings.filter((b) => b.status === 'cancelled')).toHaveLength(tally.cancelled ?? 0);
    const units = await store.unitsOf(station.stationId);
    const held = new Map<string, string>();
    for (const u of units) {
      expect(held.has(String(u.unit)), `unit ${u.unit} held twice`).toBe(false);
      held.set(String(u.unit), String(u.bookingId));
    }
    let expected = 0;
    for (const b of confirmed) {
      for (let t = Date.parse(b.startsAt); t < Date.parse(b.endsAt); t += 1_800_000) {
        expect(held.get(new Date(t).toISOString()), `${b.bookingId} at ${new Date(t).toISOString()}`).toBe(b.bookingId);
        expected++;
      }
    }
    expect(units).toHaveLength(expected); // nothing held by a cancelled or refused booking
    const sorted = [...confirmed].sort((x, y) => Date.parse(x.startsAt) - Date.parse(y.startsAt));
    for (let i = 1; i < sorted.length; i++)
      expect(Date.parse(sorted[i]!.startsAt)).toBeGreaterThanOrEqual(Date.parse(sorted[i - 1]!.endsAt));

    const verified = await verifyCounters({ month: '2026-06' });
    expect(verified.differences).toEqual([]);
  }, 300_000);
});

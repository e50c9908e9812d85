import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetClock, setClock } from '../../shared/domain/clock.ts';
import { liveCounters } from '../support/counters.ts';
import { allItems } from '../support/inspect.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Booking races over HTTP, conflicts as in AWS (the DynamoDB layer): 100 teams book the same half
 * hours at once. One unit is one item, put only if absent, in the booking's one transaction:
 * exactly one booking is confirmed, the other 99 are 409, and the table holds its units once.
 */
const e2e = useE2e();
const { api } = e2e;
const t = { admin: '' };
const ids = { street: '', community: '', station: '' };
const MONTH = '2026-06';
const teams: { teamId: string; leader: { token: string } }[] = [];

beforeAll(async () => {
  setClock('2026-06-15T00:00:00.000Z');
  ids.street = await e2e.street();
  ids.community = await e2e.community(ids.street, '竞争社区');
  t.admin = await mint.communityAdmin(ids.community);
  const all = [{ from: '00:00', to: '24:00' }];
  const res = await api.post('/stations', t.admin, {
    name: '驿站',
    communityId: ids.community,
    address: '一楼',
    managers: [],
    amenities: [],
    openingHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, all])),
  });
  expect(res.status, res.text).toBe(201);
  ids.station = res.body.stationId;
  for (let i = 0; i < 100; i += 20)
    teams.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => e2e.team({ name: `队${i + j}` })))));
}, 180_000);
afterAll(() => resetClock());

describe('booking races', () => {
  it('100 concurrent bookings of one slot: exactly 1 confirmed and 99 × 409, its units held once', async () => {
    const body = { startsAt: '2026-06-20T10:00:00+08:00', endsAt: '2026-06-20T12:00:00+08:00' };
    const results = await Promise.all(
      teams.map((tm) => api.post(`/stations/${ids.station}/bookings`, tm.leader.token, body)),
    );
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    const lost = results.filter((r) => r.status !== 201);
    expect(lost.map((r) => r.status)).toEqual(Array(99).fill(409));
    expect(lost.every((r) => (r.headers.get('content-type') ?? '').startsWith('application/problem+json'))).toBe(true);
    expect(new Set(lost.map((r) => r.body.code))).toEqual(new Set(['BOOKING_OVERLAP']));

    const items = await allItems(e2e.tableName);
    const units = items.filter((i) => i.type === 'station-unit');
    expect(units.map((u) => u.unit).sort()).toEqual([
      '2026-06-20T02:00:00.000Z',
      '2026-06-20T02:30:00.000Z',
      '2026-06-20T03:00:00.000Z',
      '2026-06-20T03:30:00.000Z',
    ]);
    expect(new Set(units.map((u) => u.bookingId))).toEqual(new Set([won[0]!.body.bookingId]));
    expect(items.filter((i) => i.type === 'booking')).toHaveLength(1);
    expect(await liveCounters('community', ids.community, MONTH)).toMatchObject({
      stationBookings: 1,
      stationHours: 2,
    });
  }, 120_000);
});

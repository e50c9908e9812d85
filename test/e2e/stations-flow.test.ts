import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { allItems } from '../support/inspect.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Micro-stations over HTTP: a community's station open 08:00-12:00 and 14:00-20:00 (Asia/Shanghai)
 * every day; teams book it by the half hour. Back to back is accepted, an overlap is 409, outside
 * the opening hours 422, beyond 30 days 422, past the weekly cap 409; a retry with the same
 * Idempotency-Key gives one booking; cancelling frees the units; a closure cancels every booking it
 * covers with exactly one notice to each team; an activity at the station needs its team's booking.
 */
const e2e = useE2e();
const { api } = e2e;
const T0 = '2026-12-01T00:00:00.000Z'; // Tuesday 08:00 in Shanghai
const t = { admin: '', leaderA: '', leaderB: '' };
const ids = { street: '', community: '', station: '', teamA: '', teamB: '' };
const at = (day: string, hhmm: string) => `${day}T${hhmm}:00+08:00`;
const OPEN = [
  { from: '08:00', to: '12:00' },
  { from: '14:00', to: '20:00' },
];

beforeAll(async () => {
  freezeClock(T0);
  ids.street = await e2e.street('春熙路街道');
  ids.community = await e2e.community(ids.street, '红星社区');
  t.admin = await mint.communityAdmin(ids.community);
  const a = await e2e.team({ name: 'A队', communityId: ids.community });
  const b = await e2e.team({ name: 'B队', communityId: ids.community });
  ids.teamA = a.teamId;
  ids.teamB = b.teamId;
  t.leaderA = a.leader.token;
  t.leaderB = b.leader.token;
  const res = await api.post('/stations', t.admin, {
    name: '红星微驿站',
    communityId: ids.community,
    address: '党群服务中心一楼',
    managers: [a.leader.memberId],
    amenities: ['饮水', '充电'],
    openingHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, OPEN])),
    weeklyCapHours: 6,
  });
  expect(res.status, res.text).toBe(201);
  expect(res.body).toMatchObject({ level: 'community', streetId: ids.street, weeklyCapHours: 6, closures: [] });
  ids.station = res.body.stationId;
});
afterAll(() => resetClock());

const book = (token: string, from: string, to: string, headers?: Record<string, string>) =>
  api.post(`/stations/${ids.station}/bookings`, token, { startsAt: from, endsAt: to, purpose: '活动' }, headers);

async function unitsHeld(): Promise<Map<string, string>> {
  const items = await allItems(e2e.tableName);
  const out = new Map<string, string>();
  for (const i of items)
    if (i.type === 'station-unit' && i.pk === `STATION#${ids.station}`)
      out.set(String(i.unit), String(i.bookingId ?? i.closureId));
  return out;
}

describe('stations', () => {
  it('lists and reads the station', async () => {
    const list = await api.get(`/stations?streetId=${ids.street}&communityId=${ids.community}`, t.leaderA);
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { stationId: string }) => s.stationId)).toEqual([ids.station]);
    expect((await api.get(`/stations/${ids.station}`, t.leaderB)).body.name).toBe('红星微驿站');
    expect((await api.get('/stations/stn-none', t.leaderB)).status).toBe(404);
  });

  it('back to back both succeed; an overlap is 409 and holds nothing', async () => {
    const first = await book(t.leaderA, at('2026-12-02', '09:00'), at('2026-12-02', '10:00'));
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({
      units: 2,
      hours: 1,
      status: 'confirmed',
      week: '2026-11-30',
      teamId: ids.teamA,
    });
    const next = await book(t.leaderB, at('2026-12-02', '10:00'), at('2026-12-02', '11:00'));
    expect(next.status, next.text).toBe(201);
    const before = await unitsHeld();
    const clash = await book(t.leaderB, at('2026-12-02', '09:30'), at('2026-12-02', '10:30'));
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('BOOKING_OVERLAP');
    expect(clash.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await unitsHeld()).toEqual(before);
    expect([...before.values()].filter((b) => b === first.body.bookingId)).toHaveLength(2);
  });

  it('outside the opening hours is 422, beyond 30 days 422, off the half hour 400', async () => {
    const lunch = await book(t.leaderA, at('2026-12-03', '11:30'), at('2026-12-03', '12:30'));
    expect([lunch.status, lunch.body.code]).toEqual([422, 'OUTSIDE_OPENING_HOURS']);
    const night = await book(t.leaderA, at('2026-12-03', '19:30'), at('2026-12-03', '20:30'));
    expect([night.status, night.body.code]).toEqual([422, 'OUTSIDE_OPENING_HOURS']);
    const far = await book(t.leaderA, at('2027-01-05', '09:00'), at('2027-01-05', '10:00'));
    expect([far.status, far.body.code]).toEqual([422, 'BOOKING_TOO_FAR']);
    const odd = await book(t.leaderA, at('2026-12-03', '09:15'), at('2026-12-03', '10:00'));
    expect([odd.status, odd.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('a retry with the same Idempotency-Key gives one booking', async () => {
    const headers = { 'idempotency-key': 'book-2026-12-04-a' };
    const one = await book(t.leaderA, at('2026-12-04', '14:00'), at('2026-12-04', '15:00'), headers);
    const two = await book(t.leaderA, at('2026-12-04', '14:00'), at('2026-12-04', '15:00'), headers);
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect(two.headers.get('idempotency-replayed')).toBe('true');
    expect(two.body).toEqual(one.body);
    const listed = await api.get(
      `/stations/${ids.station}/bookings?from=${encodeURIComponent(at('2026-12-04', '00:00'))}&to=${encodeURIComponent(at('2026-12-04', '23:59'))}`,
      t.leaderB,
    );
    expect(listed.body.items.map((b: { bookingId: string }) => b.bookingId)).toEqual([one.body.bookingId]);
  });

  it("a team's hours in a week stop at the station's cap (409); cancelling frees the units and the hours", async () => {
    // Team A holds 1 h (Dec 2) + 1 h (Dec 4) this week; the cap is 6 h.
    const big = await book(t.leaderA, at('2026-12-05', '08:00'), at('2026-12-05', '12:00'));
    expect(big.status, big.text).toBe(201);
    const over = await book(t.leaderA, at('2026-12-05', '14:00'), at('2026-12-05', '15:00'));
    expect([over.status, over.body.code]).toEqual([409, 'WEEKLY_CAP_REACHED']);
    const nextWeek = await book(t.leaderA, at('2026-12-07', '14:00'), at('2026-12-07', '15:00'));
    expect(nextWeek.status).toBe(201);
    const cancel = await api.delete(`/stations/${ids.station}/bookings/${big.body.bookingId}`, t.leaderA);
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'cancelled', cancelledBecause: 'team' });
    expect([...(await unitsHeld()).values()]).not.toContain(big.body.bookingId);
    const again = await api.delete(`/stations/${ids.station}/bookings/${big.body.bookingId}`, t.leaderA);
    expect([again.status, again.body.code]).toEqual([409, 'BOOKING_NOT_CONFIRMED']);
    // the units are free for another team, and team A's hours came back
    expect((await book(t.leaderB, at('2026-12-05', '08:00'), at('2026-12-05', '09:00'))).status).toBe(201);
    expect((await book(t.leaderA, at('2026-12-05', '14:00'), at('2026-12-05', '15:00'))).status).toBe(201);
  });

  it('an activity at the station needs its team’s booking covering its time', async () => {
    const activity = (startsAt: string, endsAt: string) => ({
      title: '驿站义诊',
      content: '量血压',
      category: 'health',
      communityId: ids.community,
      stationId: ids.station,
      startsAt,
      endsAt,
      capacity: 10,
    });
    // team A holds Dec 2 09:00-10:00
    const inside = await api.post(
      '/activities',
      t.leaderA,
      activity(at('2026-12-02', '09:00'), at('2026-12-02', '10:00')),
    );
    expect(inside.status, inside.text).toBe(201);
    const longer = await api.post(
      '/activities',
      t.leaderA,
      activity(at('2026-12-02', '09:00'), at('2026-12-02', '10:30')),
    );
    expect([longer.status, longer.body.code]).toEqual([422, 'STATION_BOOKING_REQUIRED']);
    // team B's booking (10:00-11:00) is not team A's
    const others = await api.post(
      '/activities',
      t.leaderA,
      activity(at('2026-12-02', '10:00'), at('2026-12-02', '11:00')),
    );
    expect([others.status, others.body.code]).toEqual([422, 'STATION_BOOKING_REQUIRED']);
  });

  it('a closure cancels every booking it covers, with one notice to each team, and refuses new ones', async () => {
    const covered = [
      await book(t.leaderA, at('2026-12-10', '08:00'), at('2026-12-10', '09:00')),
      await book(t.leaderB, at('2026-12-10', '09:00'), at('2026-12-10', '10:30')),
      await book(t.leaderB, at('2026-12-10', '19:00'), at('2026-12-10', '20:00')),
    ];
    const outside = await book(t.leaderA, at('2026-12-11', '08:00'), at('2026-12-11', '09:00'));
    for (const r of [...covered, outside]) expect(r.status, r.text).toBe(201);
    const close = await api.post(`/stations/${ids.station}/closures`, t.leaderA /* a manager */, {
      from: at('2026-12-10', '00:00'),
      to: at('2026-12-11', '00:00'),
      reason: '设备检修',
    });
    expect(close.status, close.text).toBe(201);
    expect(close.body.cancelledBookings).toEqual(covered.map((r) => r.body.bookingId).sort());
    const items = await allItems(e2e.tableName);
    const notices = items.filter((i) => i.type === 'outbox' && i.noticeType === 'BookingCancelledByClosure');
    expect(notices.map((n) => String((n.payload as { bookingId: string }).bookingId)).sort()).toEqual(
      covered.map((r) => r.body.bookingId).sort(),
    );
    expect(notices.map((n) => n.recipient).sort()).toEqual(
      [`team#${ids.teamA}`, `team#${ids.teamB}`, `team#${ids.teamB}`].sort(),
    );
    for (const r of covered) {
      const b = items.find((i) => i.type === 'booking' && i.bookingId === r.body.bookingId)!;
      expect(b).toMatchObject({
        status: 'cancelled',
        cancelledBecause: 'closure',
        closureId: close.body.closure.closureId,
      });
    }
    // held by the closure now; the booking outside it stands
    const held = await unitsHeld();
    expect(held.get('2026-12-10T01:00:00.000Z')).toBe(close.body.closure.closureId);
    expect(held.get('2026-12-11T00:00:00.000Z')).toBe(outside.body.bookingId);
    const refused = await book(t.leaderA, at('2026-12-10', '15:00'), at('2026-12-10', '16:00'));
    expect([refused.status, refused.body.code]).toEqual([422, 'STATION_CLOSED']);
    expect((await api.get(`/stations/${ids.station}`, t.leaderA)).body.closures).toHaveLength(1);
  });
});

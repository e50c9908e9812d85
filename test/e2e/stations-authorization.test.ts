import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { deniedFailures, expectRefusedWritingNothing, type Attempt } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Who may do what at a micro-station: admins of another community or street cannot create or close
 * it; a member who is not a manager cannot close it; only a team's leader books (a member, a
 * resident, an admin cannot), and for their own team only; another team's leader cannot cancel a
 * booking. Every refusal is problem+json and writes nothing.
 */
const e2e = useE2e();
const { api } = e2e;
const T0 = '2026-12-01T00:00:00.000Z';
const t: Record<string, string> = {};
const ids = { street: '', community: '', otherCommunity: '', otherStreet: '', station: '', booking: '' };
const day = [{ from: '08:00', to: '20:00' }];

beforeAll(async () => {
  freezeClock(T0);
  ids.street = await e2e.street();
  ids.otherStreet = await e2e.street('别的街道');
  ids.community = await e2e.community(ids.street, '本社区');
  ids.otherCommunity = await e2e.community(ids.otherStreet, '别的社区');
  t.admin = await mint.communityAdmin(ids.community);
  t.otherAdmin = await mint.communityAdmin(ids.otherCommunity);
  t.otherStreetAdmin = await mint.streetAdmin(ids.otherStreet);
  const a = await e2e.team({ name: 'A队', communityId: ids.community });
  const b = await e2e.team({ name: 'B队', communityId: ids.community });
  t.leaderA = a.leader.token;
  t.leaderB = b.leader.token;
  t.impostor = await mint.leader(b.leader.memberId, a.teamId); // names team A, leads B
  t.leaderNoTeam = await mint.leader(a.leader.memberId);
  t.member = (await e2e.member()).token;
  t.resident = await mint.resident();
  Object.assign(t, await mint.outsiders({ role: 'team_leader', memberId: a.leader.memberId, teamId: a.teamId }));
  const s = await api.post('/stations', t.admin, {
    name: '驿站',
    communityId: ids.community,
    address: '一楼',
    managers: [b.leader.memberId],
    amenities: [],
    openingHours: { mon: day, tue: day, wed: day, thu: day, fri: day },
  });
  ids.station = s.body.stationId;
  const bk = await api.post(`/stations/${ids.station}/bookings`, t.leaderA, {
    startsAt: '2026-12-02T09:00:00+08:00',
    endsAt: '2026-12-02T10:00:00+08:00',
  });
  expect(bk.status, bk.text).toBe(201);
  ids.booking = bk.body.bookingId;
});
afterAll(() => resetClock());

const station = (over: Record<string, unknown> = {}) => ({
  name: '新驿站',
  communityId: ids.community,
  address: '二楼',
  managers: [],
  amenities: [],
  openingHours: { mon: day },
  ...over,
});
const booking = () => ({ startsAt: '2026-12-03T09:00:00+08:00', endsAt: '2026-12-03T10:00:00+08:00' });
const closure = () => ({ from: '2026-12-04T00:00:00+08:00', to: '2026-12-05T00:00:00+08:00', reason: '检修' });

describe('micro-stations: who may', () => {
  const attempts = (): Attempt[] => [
    {
      method: 'POST',
      path: () => '/stations',
      body: () => station(),
      deny: { otherAdmin: [403], otherStreetAdmin: [403], member: [403], leaderA: [403], resident: [403] },
    },
    {
      method: 'POST',
      path: () => '/stations',
      body: () => station({ communityId: undefined, streetId: ids.street }),
      deny: { admin: [403], otherStreetAdmin: [403] },
    },
    {
      method: 'POST',
      path: () => `/stations/${ids.station}/closures`,
      body: closure,
      deny: { otherAdmin: [403], otherStreetAdmin: [403], member: [403], leaderA: [403], resident: [403] },
    },
    {
      method: 'POST',
      path: () => `/stations/${ids.station}/bookings`,
      body: booking,
      deny: { admin: [403], member: [403], resident: [403], impostor: [403], leaderNoTeam: [403] },
    },
    {
      method: 'DELETE',
      path: () => `/stations/${ids.station}/bookings/${ids.booking}`,
      deny: {
        leaderB: [403],
        impostor: [403],
        otherAdmin: [403],
        member: [403],
        resident: [403],
        leaderNoTeam: [403],
      },
    },
    { method: 'GET', path: () => `/stations?streetId=${ids.street}`, deny: {} },
    { method: 'GET', path: () => `/stations/${ids.station}`, deny: {} },
    { method: 'GET', path: () => `/stations/${ids.station}/bookings`, deny: {} },
  ];

  it('refuses each outsider with the right status, as problem+json, writing nothing', async () => {
    await expectRefusedWritingNothing(() => deniedFailures(api, attempts(), t), e2e.tableName);
  });

  it('a manager who leads no admin scope may close it; the booking team’s leader and admins may cancel', async () => {
    const close = await api.post(`/stations/${ids.station}/closures`, t.leaderB, closure());
    expect(close.status, close.text).toBe(201);
    const cancel = await api.delete(`/stations/${ids.station}/bookings/${ids.booking}`, t.admin);
    expect(cancel.status, cancel.text).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Bad input to every micro-station route: each is a 4xx problem+json naming what is wrong, never a
 * 5xx, and nothing is written (the table is compared before and after).
 */
const e2e = useE2e();
const { api } = e2e;
const T0 = '2026-12-01T00:00:00.000Z'; // Tuesday 08:00 in Shanghai
const t: Record<string, string> = {};
const ids = { street: '', community: '', station: '', booking: '' };
const long = (n: number) => 'x'.repeat(n);
const day = [{ from: '08:00', to: '20:00' }];

beforeAll(async () => {
  freezeClock(T0);
  ids.street = await e2e.street();
  ids.community = await e2e.community(ids.street);
  t.admin = await mint.communityAdmin(ids.community);
  const team = await e2e.team({ communityId: ids.community });
  t.leader = team.leader.token;
  const s = await api.post('/stations', t.admin, {
    name: '驿站',
    communityId: ids.community,
    address: '一楼',
    managers: [],
    amenities: [],
    openingHours: { mon: day, tue: day, wed: day, thu: day, fri: day },
  });
  expect(s.status, s.text).toBe(201);
  ids.station = s.body.stationId;
  const b = await api.post(`/stations/${ids.station}/bookings`, t.leader, {
    startsAt: '2026-12-02T09:00:00+08:00',
    endsAt: '2026-12-02T10:00:00+08:00',
  });
  expect(b.status, b.text).toBe(201);
  ids.booking = b.body.bookingId;
});
afterAll(() => resetClock());

describe('micro-stations: bad input', () => {
  const station = () => ({
    name: '驿站二',
    communityId: ids.community,
    address: '二楼',
    managers: ['m-1'],
    amenities: ['饮水'],
    openingHours: { mon: day },
    weeklyCapHours: 8,
  });
  const booking = () => ({
    startsAt: '2026-12-03T09:00:00+08:00',
    endsAt: '2026-12-03T10:00:00+08:00',
    purpose: '活动',
  });
  const closure = () => ({ from: '2026-12-04T00:00:00+08:00', to: '2026-12-05T00:00:00+08:00', reason: '检修' });

  function cases(): BadCase[] {
    const st = `/stations/${ids.station}`;
    return [
      ...bodyCases(
        'POST',
        '/stations',
        'admin',
        station(),
        {
          'name too long': { name: long(101) },
          'name with a line break': { name: 'a\nb' },
          'neither street nor community': { communityId: undefined },
          'unknown community': { communityId: 'co-nowhere' },
          'unknown street': { communityId: undefined, streetId: 'st-nowhere' },
          "not the community's street": { streetId: 'st-other' },
          'bad manager id': { managers: ['a#b'] },
          'too many managers': { managers: Array.from({ length: 21 }, (_, i) => `m${i}`) },
          'amenities not an array': { amenities: '饮水' },
          'unknown weekday': { openingHours: { mon: day, xyz: day } },
          'off the half hour': { openingHours: { mon: [{ from: '08:15', to: '12:00' }] } },
          'hour 25': { openingHours: { mon: [{ from: '08:00', to: '25:00' }] } },
          'end before start': { openingHours: { mon: [{ from: '12:00', to: '08:00' }] } },
          'overlapping ranges': {
            openingHours: {
              mon: [
                { from: '08:00', to: '12:00' },
                { from: '11:00', to: '13:00' },
              ],
            },
          },
          'cap 0': { weeklyCapHours: 0 },
          'cap a fraction': { weeklyCapHours: 1.5 },
          'cap over a week': { weeklyCapHours: 169 },
        },
        ['weeklyCapHours'],
      ),
      ...bodyCases(
        'POST',
        `${st}/bookings`,
        'leader',
        booking(),
        {
          'not a time': { startsAt: 'tomorrow' },
          'without an offset': { startsAt: '2026-12-03T09:00:00' },
          'off the half hour': { startsAt: '2026-12-03T09:10:00+08:00' },
          'ends before it starts': { endsAt: '2026-12-03T08:00:00+08:00' },
          'in the past': { startsAt: '2026-11-30T09:00:00+08:00', endsAt: '2026-11-30T10:00:00+08:00' },
          'longer than a day': { endsAt: '2026-12-04T09:30:00+08:00' },
          'outside the opening hours': { startsAt: '2026-12-03T19:30:00+08:00', endsAt: '2026-12-03T20:30:00+08:00' },
          'on a closed day': { startsAt: '2026-12-05T09:00:00+08:00', endsAt: '2026-12-05T10:00:00+08:00' },
          'beyond 30 days': { startsAt: '2027-01-04T09:00:00+08:00', endsAt: '2027-01-04T10:00:00+08:00' },
          'overlapping a booking': { startsAt: '2026-12-02T09:30:00+08:00', endsAt: '2026-12-02T10:30:00+08:00' },
          'purpose too long': { purpose: long(201) },
        },
        ['purpose'],
      ),
      ...bodyCases('POST', `${st}/closures`, 'admin', closure(), {
        'to before from': { to: '2026-12-03T00:00:00+08:00' },
        'over 31 days': { to: '2027-01-06T00:00:00+08:00' },
        'already over': { from: '2026-11-01T00:00:00+08:00', to: '2026-11-02T00:00:00+08:00' },
        'reason too long': { reason: long(201) },
        'reason empty': { reason: ' ' },
      }),
      { name: 'GET /stations without a street', method: 'GET', path: '/stations', token: 'admin' },
      { name: 'GET /stations bad street', method: 'GET', path: '/stations?streetId=a%23b', token: 'admin' },
      {
        name: 'GET /stations unknown field',
        method: 'GET',
        path: `/stations?streetId=${ids.street}&x=1`,
        token: 'admin',
      },
      {
        name: 'GET /stations limit 0',
        method: 'GET',
        path: `/stations?streetId=${ids.street}&limit=0`,
        token: 'admin',
      },
      { name: 'GET station bad id', method: 'GET', path: '/stations/a%23b', token: 'admin' },
      { name: 'GET station unknown', method: 'GET', path: '/stations/stn-nowhere', token: 'admin' },
      { name: 'GET bookings bad from', method: 'GET', path: `${st}/bookings?from=monday`, token: 'admin' },
      { name: 'GET bookings bad cursor', method: 'GET', path: `${st}/bookings?cursor=abc`, token: 'admin' },
      { name: 'GET bookings unknown station', method: 'GET', path: '/stations/stn-nowhere/bookings', token: 'admin' },
      {
        name: 'book an unknown station',
        method: 'POST',
        path: '/stations/stn-nowhere/bookings',
        token: 'leader',
        body: booking(),
      },
      {
        name: 'close an unknown station',
        method: 'POST',
        path: '/stations/stn-nowhere/closures',
        token: 'admin',
        body: closure(),
      },
      { name: 'cancel an unknown booking', method: 'DELETE', path: `${st}/bookings/bk-nowhere`, token: 'leader' },
      { name: 'cancel a bad booking id', method: 'DELETE', path: `${st}/bookings/a%23b`, token: 'leader' },
    ];
  }

  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(70);
    await expectRefusedWritingNothing(() => badInputFailures(api, all, t), e2e.tableName);
  });

  it('names the field, or the rule', async () => {
    const odd = await api.post(`/stations/${ids.station}/bookings`, t.leader, {
      ...booking(),
      startsAt: '2026-12-03T09:10:00+08:00',
    });
    expect(odd.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'body.startsAt' }] });
    const hours = await api.post('/stations', t.admin, {
      ...station(),
      openingHours: {
        mon: [
          { from: '08:00', to: '12:00' },
          { from: '11:00', to: '13:00' },
        ],
      },
    });
    expect(hours.body).toMatchObject({ status: 400, errors: [{ field: 'body.openingHours' }] });
    const closed = await api.post(`/stations/${ids.station}/bookings`, t.leader, {
      startsAt: '2026-12-05T09:00:00+08:00',
      endsAt: '2026-12-05T10:00:00+08:00',
    });
    expect(closed.body).toMatchObject({ status: 422, code: 'OUTSIDE_OPENING_HOURS' });
  });
});

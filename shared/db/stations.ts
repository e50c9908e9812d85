import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CountedFact } from '../domain/counters.ts';
import { DomainError } from '../domain/errors.ts';
import type { Booking, BookingCancellation, Closure, Station } from '../domain/station.ts';
import type { Team } from '../domain/team.ts';
import type { Community, Street } from '../domain/types.ts';
import { tableName } from './client.ts';
import { counterUpdates, factIndexKeys } from './counters.ts';
import type { Page } from './cursor.ts';
import {
  bookingCancelKeys,
  bookingKey,
  bookingKeys,
  communityKey,
  stationBookingsQuery,
  stationKey,
  stationKeys,
  stationsQuery,
  stationUnitKey,
  stationUnitsQuery,
  streetKey,
  teamBookingsQuery,
  teamKey,
  teamWeekKey,
} from './keys.ts';
import { outboxPut, type Notice } from './outbox.ts';
import { fromItem, getEach, getItem, queryAll, queryPage, transact, type Item } from './table.ts';
import { putIfAbsent } from './writes.ts';

/**
 * Micro-stations and their bookings.
 *   station   pk STATION#<id>  sk STATION   { ..., closures, version }
 *             gsi1 STATIONS#<streetId> / <communityId or ~>#<id>        (a street's, or a community's, stations)
 *   unit      pk STATION#<id>  sk UNIT#<unit start, UTC ISO>  { bookingId | closureId, teamId }
 *   booking   pk STATION#<id>  sk BOOKING#<bookingId>
 *             gsi1 STATION#<id>#BOOKINGS / <startsAt>#<bookingId>        (a station's, by start)
 *             gsi2 TEAM#<teamId>#BOOKINGS / <startsAt>#<bookingId>      (a team's, by start)
 *             gsi3 FACTS#<YYYY-MM>#booking / <createdAt>#<bookingId>     (a counted fact)
 *   week      pk STATION#<id>  sk WEEK#<monday>#<teamId>  { units }     (the team's weekly cap)
 *   cancel    pk STATION#<id>  sk CANCEL#<bookingId>  gsi3 FACTS#<YYYY-MM>#booking-cancellation (a counted fact)
 * A unit is one item: two bookings can never hold it, whatever the concurrency. A booking is one
 * transaction: its units (each put only if absent), the booking, the team's week (under the cap),
 * the counters. Cancelling deletes the units (each only if still the booking's) in one transaction.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const INTERNAL = ['version'];
export const stationOf = (i: Item): Station => fromItem<Station>(i, ...INTERNAL);
const bookingOf = (i: Item): Booking => fromItem<Booking>(i);

export function stationItem(s: Station): Item {
  return { ...stationKeys(s), type: 'station', ...s, version: 1 };
}

export async function putNewStation(s: Station): Promise<boolean> {
  return putIfAbsent(stationItem(s));
}

/** A station and its version (closures are added under it). */
export async function getStation(
  stationId: string,
  consistent = false,
): Promise<{ station: Station; version: number } | undefined> {
  const k = stationKey(stationId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && { station: stationOf(i), version: Number(i.version ?? 1) };
}

/** A street and a community (either may be absent), in one round trip: where a station is created. */
export async function streetAndCommunity(
  streetId: string | undefined,
  communityId: string | undefined,
): Promise<{ street: Street | undefined; community: Community | undefined }> {
  const [s, c] = await getEach([
    streetId ? streetKey(streetId) : undefined,
    communityId ? communityKey(communityId) : undefined,
  ]);
  return { street: s && fromItem<Street>(s), community: c && fromItem<Community>(c) };
}

/** A station and a team, in one round trip (strongly consistent): what a booking needs to read. */
export async function stationAndTeam(
  stationId: string,
  teamId: string | undefined,
): Promise<{ station: Station | undefined; team: Team | undefined }> {
  const [s, t] = await getEach([stationKey(stationId), teamId ? teamKey(teamId) : undefined], true);
  return { station: s && stationOf(s), team: t && fromItem<Team>(t) };
}

export async function listStations(
  streetId: string,
  communityId: string | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Station>> {
  const page = await queryPage({ ...stationsQuery(streetId, communityId), limit, cursor });
  return { items: page.items.map(stationOf), nextCursor: page.nextCursor };
}

// ---------- bookings ----------

const put = (item: Item): TransactItem => ({
  Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
});

/**
 * Books `units` (their start instants) for `b` in one transaction: the booking, the team's week
 * (ADD units under `units <= cap - n`), every unit (put only if absent), the counters. A unit
 * held already is BOOKING_OVERLAP; the week over its cap is WEEKLY_CAP_REACHED.
 */
export async function book(b: Booking, units: readonly string[], capUnits: number, districtId: string): Promise<void> {
  const fact: CountedFact = { kind: 'booking', fact: b };
  const items: TransactItem[] = [
    put({ ...bookingKeys(b), ...factIndexKeys(fact, b.createdAt, b.bookingId), type: 'booking', ...b }),
    {
      Update: {
        TableName: tableName(),
        Key: teamWeekKey(b.stationId, b.week, b.teamId),
        UpdateExpression: 'ADD #units :n SET teamId = :team, week = :week',
        ConditionExpression: 'attribute_not_exists(#units) OR #units <= :room',
        ExpressionAttributeNames: { '#units': 'units' },
        ExpressionAttributeValues: { ':n': b.units, ':room': capUnits - b.units, ':team': b.teamId, ':week': b.week },
      },
    },
    ...units.map((u) =>
      put({
        ...stationUnitKey(b.stationId, u),
        type: 'station-unit',
        unit: u,
        bookingId: b.bookingId,
        teamId: b.teamId,
      }),
    ),
    ...counterUpdates([fact], districtId),
  ];
  if (b.units > capUnits) throw weeklyCap();
  await transact(items, (failed) => {
    if (failed.some((i) => i >= 2 && i < 2 + units.length))
      return new DomainError('BOOKING_OVERLAP', 'the station is booked for part of that time');
    if (failed.includes(1)) return weeklyCap();
    return new DomainError('CONCURRENT_UPDATE', 'that booking id exists already');
  });
}

const weeklyCap = () =>
  new DomainError(
    'WEEKLY_CAP_REACHED',
    'the team would pass its weekly hours at this station (Monday to Sunday, Asia/Shanghai)',
  );

export async function getBooking(
  stationId: string,
  bookingId: string,
  consistent = true,
): Promise<Booking | undefined> {
  const k = bookingKey(stationId, bookingId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && bookingOf(i);
}

/** A booking and a team (the caller's, who may lead it), in one round trip (strongly consistent). */
export async function bookingAndTeam(
  stationId: string,
  bookingId: string,
  teamId: string | undefined,
): Promise<{ booking: Booking | undefined; team: Team | undefined }> {
  const [b, t] = await getEach([bookingKey(stationId, bookingId), teamId ? teamKey(teamId) : undefined], true);
  return { booking: b && bookingOf(b), team: t && fromItem<Team>(t) };
}

/** A station's bookings starting in [from, to] (by start; cancelled ones too). */
export async function stationBookings(stationId: string, from: string, to: string): Promise<Booking[]> {
  const items = await queryAll({ ...stationBookingsQuery(stationId), between: { from, to: `${to}~` } });
  return items.map(bookingOf);
}

export async function listStationBookings(
  stationId: string,
  range: { from: string; to: string } | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Booking>> {
  const page = await queryPage({ ...stationBookingsQuery(stationId), between: range, limit, cursor });
  return { items: page.items.map(bookingOf), nextCursor: page.nextCursor };
}

/** A team's bookings starting in [from, to] (by start). */
export async function teamBookings(teamId: string, from: string, to: string): Promise<Booking[]> {
  const items = await queryAll({ ...teamBookingsQuery(teamId), between: { from, to: `${to}~` } });
  return items.map(bookingOf);
}

export async function listTeamBookings(
  teamId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Booking>> {
  const page = await queryPage({ ...teamBookingsQuery(teamId), limit, cursor, newestFirst: true });
  return { items: page.items.map(bookingOf), nextCursor: page.nextCursor };
}

/**
 * Cancels a confirmed booking in one transaction: the booking becomes cancelled (condition: it is
 * confirmed), each unit goes (condition: it is still the booking's), the team's week gives the
 * units back, the cancellation's fact and counters; and the notice, when one is given (a closure
 * tells the team). False when it was cancelled already.
 */
export async function cancelBooking(
  b: Booking,
  units: readonly string[],
  c: { at: string; because: 'team' | 'closure'; closureId?: string },
  districtId: string,
  notice?: Notice,
): Promise<boolean> {
  const cancellation: BookingCancellation = {
    bookingId: b.bookingId,
    stationId: b.stationId,
    teamId: b.teamId,
    streetId: b.streetId,
    ...(b.communityId ? { communityId: b.communityId } : {}),
    hours: b.hours,
    cancelledAt: c.at,
  };
  const fact: CountedFact = { kind: 'booking-cancellation', fact: cancellation };
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: bookingKey(b.stationId, b.bookingId),
        UpdateExpression:
          'SET #status = :cancelled, cancelledAt = :at, cancelledBecause = :because' +
          (c.closureId ? ', closureId = :closure' : ''),
        ConditionExpression: '#status = :confirmed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':cancelled': 'cancelled',
          ':confirmed': 'confirmed',
          ':at': c.at,
          ':because': c.because,
          ...(c.closureId ? { ':closure': c.closureId } : {}),
        },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: teamWeekKey(b.stationId, b.week, b.teamId),
        UpdateExpression: 'ADD #units :minus',
        ExpressionAttributeNames: { '#units': 'units' },
        ExpressionAttributeValues: { ':minus': -b.units },
      },
    },
    ...units.map(
      (u): TransactItem => ({
        Delete: {
          TableName: tableName(),
          Key: stationUnitKey(b.stationId, u),
          ConditionExpression: 'bookingId = :id',
          ExpressionAttributeValues: { ':id': b.bookingId },
        },
      }),
    ),
    put({ ...bookingCancelKeys(cancellation), type: 'booking-cancellation', ...cancellation }),
    ...counterUpdates([fact], districtId),
    ...(notice ? [outboxPut(notice)] : []),
  ];
  let already = false;
  await transact(items, (failed) => {
    if (failed.includes(0)) {
      already = true;
      return new DomainError('BOOKING_NOT_CONFIRMED', 'the booking is cancelled already');
    }
    return new DomainError('CONCURRENT_UPDATE', 'the booking changed meanwhile');
  }).catch((err) => {
    if (already) return;
    throw err;
  });
  return !already;
}

// ---------- closures ----------

/** Adds a closure to the station (condition: the version read), dropping closures that have ended. */
export async function addClosure(stationId: string, version: number, closures: readonly Closure[]): Promise<boolean> {
  try {
    await transact(
      [
        {
          Update: {
            TableName: tableName(),
            Key: stationKey(stationId),
            UpdateExpression: 'SET closures = :closures, version = :next',
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':closures': closures, ':v': version, ':next': version + 1 },
          },
        },
      ],
      () => new DomainError('CONCURRENT_UPDATE', 'the station changed meanwhile'),
    );
    return true;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'CONCURRENT_UPDATE') return false;
    throw err;
  }
}

/** Units per claiming transaction. */
export const CLAIM_CHUNK = 99;

/**
 * Claims free units for a closure in one transaction (each put only if absent). When some are
 * held, nothing is written and the bookings holding them are returned (their ids, from the units
 * as they are: ReturnValuesOnConditionCheckFailure); a unit held by the closure itself is fine.
 */
export async function claimUnits(
  stationId: string,
  closureId: string,
  units: readonly string[],
): Promise<{ blockedBy: string[]; claimedAlready: string[] }> {
  const items: TransactItem[] = units.map((u) => ({
    Put: {
      TableName: tableName(),
      Item: { ...stationUnitKey(stationId, u), type: 'station-unit', unit: u, closureId },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }));
  const blockedBy = new Set<string>();
  const claimedAlready: string[] = [];
  try {
    await transact(items, (failed, _reasons, old) => {
      for (const i of failed) {
        const o = old[i];
        if (o?.bookingId) blockedBy.add(String(o.bookingId));
        else if (o?.closureId) claimedAlready.push(units[i]!);
      }
      return new DomainError('CONCURRENT_UPDATE', 'units held');
    });
  } catch (err) {
    if (!(err instanceof DomainError) || (blockedBy.size === 0 && claimedAlready.length === 0)) throw err;
  }
  return { blockedBy: [...blockedBy], claimedAlready };
}

/** Whether any of these units is held (one strongly consistent BatchGetItem). */
export async function anyUnitHeld(stationId: string, units: readonly string[]): Promise<boolean> {
  const found = await getEach(
    units.map((u) => stationUnitKey(stationId, u)),
    true,
  );
  return found.some((i) => i !== undefined);
}

/** Every unit item of a station (tests: no unit held twice, every booking's units its own). */
export async function unitsOf(stationId: string): Promise<Item[]> {
  return queryAll({ ...stationUnitsQuery(stationId), consistent: true });
}

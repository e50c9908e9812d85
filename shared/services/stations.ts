import { env } from '../config/env.ts';
import { nowIso, nowMs } from '../domain/clock.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { administers, administersStreet, hasRole, type Caller } from '../domain/policy.ts';
import {
  bookingInputProblems,
  bookingRefusal,
  closureUnits,
  covers,
  DEFAULT_WEEKLY_CAP_HOURS,
  MAX_CLOSURE_DAYS,
  openingHoursProblems,
  overlaps,
  unitStarts,
  weekOf,
  type Booking,
  type Closure,
  type OpeningHours,
  type Station,
} from '../domain/station.ts';
import { leadsTeam } from '../domain/team.ts';
import type { Page } from '../db/cursor.ts';
import { committing } from '../db/idempotency.ts';
import * as store from '../db/stations.ts';

/**
 * Micro-stations (微驿站): create and read them, close them for a while (the bookings a closure
 * covers are cancelled and each team is told), and book them by the half hour. Every rule about
 * time reads the clock through shared/domain/clock.ts.
 */

const DAY_MS = 24 * 3600 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

export interface StationInput {
  name: string;
  streetId?: string;
  communityId?: string;
  address: string;
  managers: string[];
  amenities: string[];
  openingHours: OpeningHours;
  weeklyCapHours?: number;
}

const invalid = (errors: { field: string; message: string }[]) =>
  new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors });

/** A street's station (street admins of it and above) or a community's (its admins and above). */
export async function createStation(caller: Caller, input: StationInput): Promise<Station> {
  const problems = openingHoursProblems(input.openingHours);
  if (problems.length > 0) throw invalid(problems);
  const { street, community } = await store.streetAndCommunity(input.streetId, input.communityId);
  if (input.communityId && !community)
    throw new DomainError('UNKNOWN_COMMUNITY', `no community ${input.communityId} in this district`);
  if (!input.communityId && !street)
    throw new DomainError('UNKNOWN_STREET', `no street ${input.streetId} in this district`);
  const streetId = community?.streetId ?? street!.streetId;
  if (input.streetId && input.streetId !== streetId)
    throw invalid([{ field: 'body.streetId', message: "must be the community's street (or left out)" }]);
  const allowed = community ? administers(caller, community) : administersStreet(caller, streetId);
  if (!allowed) throw forbidden('only admins of its street or community (or above) create a station there');
  const station: Station = {
    stationId: newId('stn'),
    name: input.name,
    level: community ? 'community' : 'street',
    streetId,
    ...(community ? { communityId: community.communityId } : {}),
    address: input.address,
    managers: [...new Set(input.managers)],
    amenities: [...new Set(input.amenities)],
    openingHours: input.openingHours,
    weeklyCapHours: input.weeklyCapHours ?? DEFAULT_WEEKLY_CAP_HOURS,
    closures: [],
    createdAt: nowIso(),
  };
  return committing(station, async () => {
    if (!(await store.putNewStation(station)))
      throw new DomainError('CONCURRENT_UPDATE', 'that station id exists already');
  });
}

export async function getStation(stationId: string): Promise<Station> {
  const s = await store.getStation(stationId);
  if (!s) throw notFound('station');
  return s.station;
}

export async function listStations(q: {
  streetId: string;
  communityId?: string;
  limit: number;
  cursor?: string;
}): Promise<Page<Station>> {
  return store.listStations(q.streetId, q.communityId, q.limit, q.cursor);
}

// ---------- bookings ----------

/**
 * Books half-hour units for the caller's team, in two round trips: the station and the team (one
 * BatchGetItem), then one transaction that claims every unit, the booking and the team's week
 * under its cap. Overlap 409; outside opening hours, beyond 30 days or in a closure 422.
 */
export async function book(
  caller: Caller,
  stationId: string,
  input: { startsAt: string; endsAt: string; purpose?: string },
): Promise<Booking> {
  if (!caller.teamId) throw forbidden('your token names no team');
  const startsAt = new Date(input.startsAt).toISOString();
  const endsAt = new Date(input.endsAt).toISOString();
  const problems = bookingInputProblems(startsAt, endsAt, nowMs());
  if (problems.length > 0) throw invalid(problems);
  const { station, team } = await store.stationAndTeam(stationId, caller.teamId);
  if (!station) throw notFound('station');
  if (!team || !leadsTeam(caller, team)) throw forbidden("only a team's leader books for it");
  if (team.status !== 'active') throw new DomainError('TEAM_INACTIVE', 'an inactive team cannot book');
  const refusal = bookingRefusal(station, startsAt, endsAt, nowMs());
  if (refusal?.code === 'BOOKING_TOO_FAR') throw new DomainError('BOOKING_TOO_FAR', refusal.detail);
  if (refusal?.code === 'OUTSIDE_OPENING_HOURS') throw new DomainError('OUTSIDE_OPENING_HOURS', refusal.detail);
  if (refusal?.code === 'STATION_CLOSED') throw new DomainError('STATION_CLOSED', refusal.detail);
  const units = unitStarts(startsAt, endsAt);
  const b: Booking = {
    bookingId: newId('bk'),
    stationId,
    stationName: station.name,
    teamId: team.teamId,
    teamName: team.name,
    streetId: station.streetId,
    ...(station.communityId ? { communityId: station.communityId } : {}),
    startsAt,
    endsAt,
    units: units.length,
    hours: units.length / 2,
    week: weekOf(startsAt),
    ...(input.purpose ? { purpose: input.purpose } : {}),
    status: 'confirmed',
    bookedBy: caller.memberId,
    createdAt: nowIso(),
  };
  try {
    return await committing(b, () => store.book(b, units, station.weeklyCapHours * 2, env().districtId));
  } catch (err) {
    // A crowd on the same units can outlast the conflict retries: decide from the units as they are.
    if (err instanceof DomainError && err.code === 'CONCURRENT_UPDATE' && (await store.anyUnitHeld(stationId, units)))
      throw new DomainError('BOOKING_OVERLAP', 'the station is booked for part of that time');
    throw err;
  }
}

export async function listBookings(q: {
  stationId: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}): Promise<Page<Booking>> {
  const range =
    q.from || q.to
      ? {
          from: q.from ? new Date(q.from).toISOString() : '0',
          to: `${q.to ? new Date(q.to).toISOString() : '9'}~`,
        }
      : undefined;
  const page = await store.listStationBookings(q.stationId, range, q.limit, q.cursor);
  if (page.items.length === 0 && !q.cursor && !(await store.getStation(q.stationId))) throw notFound('station');
  return page;
}

/** A team's leader cancels its booking (or an admin of the station's place): the units are freed. */
export async function cancelBooking(caller: Caller, stationId: string, bookingId: string): Promise<Booking> {
  const { booking: b, team } = await store.bookingAndTeam(stationId, bookingId, caller.teamId);
  if (!b) throw notFound('booking');
  const place = { streetId: b.streetId, communityId: b.communityId ?? '' };
  const leader = team !== undefined && team.teamId === b.teamId && leadsTeam(caller, team);
  if (!leader && !administers(caller, place))
    throw forbidden("only the team's leader or an admin of the station's place");
  if (b.status !== 'confirmed') throw new DomainError('BOOKING_NOT_CONFIRMED', 'the booking is cancelled already');
  const at = nowIso();
  if (!(await store.cancelBooking(b, unitStarts(b.startsAt, b.endsAt), { at, because: 'team' }, env().districtId)))
    throw new DomainError('BOOKING_NOT_CONFIRMED', 'the booking is cancelled already');
  return { ...b, status: 'cancelled', cancelledAt: at, cancelledBecause: 'team' };
}

// ---------- closures ----------

/** A closure's notice to a team whose booking it cancelled: once per booking. */
function closureNotice(b: Booking, c: Closure, at: string) {
  return {
    dedupeKey: `booking-closed.${b.bookingId}`,
    noticeType: 'BookingCancelledByClosure' as const,
    recipient: `team#${b.teamId}`,
    payload: {
      bookingId: b.bookingId,
      stationId: b.stationId,
      stationName: b.stationName,
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      closureId: c.closureId,
      reason: c.reason,
    },
    createdAt: at,
  };
}

/**
 * Closes a station from `from` to `to` (its managers, or admins of its place): the closure is added
 * to the station (bookings made after it are refused), then every confirmed booking it covers is
 * cancelled, each with one notice to its team in the same transaction, and the open units it
 * covers within the booking horizon are claimed for the closure, so a booking that read the
 * station before the closure cannot take them either (a unit held by such a booking gets that
 * booking cancelled the same way).
 */
export async function closeStation(
  caller: Caller,
  stationId: string,
  input: { from: string; to: string; reason: string },
): Promise<{ closure: Closure; cancelledBookings: string[] }> {
  const from = new Date(input.from).toISOString();
  const to = new Date(input.to).toISOString();
  const problems: { field: string; message: string }[] = [];
  if (!(Date.parse(to) > Date.parse(from))) problems.push({ field: 'body.to', message: 'must be after from' });
  else if (Date.parse(to) - Date.parse(from) > MAX_CLOSURE_DAYS * DAY_MS)
    problems.push({ field: 'body.to', message: `at most ${MAX_CLOSURE_DAYS} days after from` });
  if (!(Date.parse(to) > nowMs())) problems.push({ field: 'body.to', message: 'must be in the future' });
  if (problems.length > 0) throw invalid(problems);
  const at = nowIso();
  const closure: Closure = {
    closureId: newId('cl'),
    from,
    to,
    reason: input.reason,
    createdAt: at,
    createdBy: caller.memberId,
  };
  let station: Station | undefined;
  for (let n = 0; ; n++) {
    const read = await store.getStation(stationId, true);
    if (!read) throw notFound('station');
    station = read.station;
    const place = { streetId: station.streetId, communityId: station.communityId ?? '' };
    const manager = hasRole(caller, 'member', 'team_leader') && station.managers.includes(caller.memberId);
    if (!manager && !administers(caller, place))
      throw forbidden("only the station's managers or admins of its place close it");
    const kept = station.closures.filter((c) => Date.parse(c.to) > nowMs());
    if (await store.addClosure(stationId, read.version, [...kept, closure])) break;
    if (n >= 5) throw new DomainError('CONCURRENT_UPDATE', 'the station changed meanwhile: try again');
  }
  const districtId = env().districtId;
  const cancelled = new Set<string>();
  const cancel = async (b: Booking) => {
    if (b.status !== 'confirmed' || !overlaps({ from: b.startsAt, to: b.endsAt }, closure)) return;
    const units = unitStarts(b.startsAt, b.endsAt);
    if (
      await store.cancelBooking(
        b,
        units,
        { at, because: 'closure', closureId: closure.closureId },
        districtId,
        closureNotice(b, closure, at),
      )
    )
      cancelled.add(b.bookingId);
  };
  // Bookings last at most a day: those that start from a day before `from` to `to` may overlap.
  for (const b of await store.stationBookings(stationId, iso(Date.parse(from) - DAY_MS), to)) await cancel(b);
  // Claim what a booking in flight could still take.
  const units = closureUnits(station.openingHours, closure, nowMs());
  for (let i = 0; i < units.length; i += store.CLAIM_CHUNK) {
    let chunk = units.slice(i, i + store.CLAIM_CHUNK);
    for (let n = 0; chunk.length > 0; n++) {
      const { blockedBy, claimedAlready } = await store.claimUnits(stationId, closure.closureId, chunk);
      if (blockedBy.length === 0 && claimedAlready.length === 0) break;
      if (n >= 10) throw new DomainError('CONCURRENT_UPDATE', 'bookings kept arriving: try again');
      for (const id of blockedBy) {
        const b = await store.getBooking(stationId, id);
        if (b) await cancel(b);
      }
      chunk = chunk.filter((u) => !claimedAlready.includes(u));
    }
  }
  return { closure, cancelledBookings: [...cancelled].sort() };
}

// ---------- activities at a station ----------

/**
 * An activity at a station needs a confirmed booking of that station by its team covering its
 * time: one Query of the team's bookings that start up to a day before the activity.
 */
export async function assertBooked(
  teamId: string,
  stationId: string,
  activity: { startsAt: string; endsAt: string },
): Promise<void> {
  const from = iso(Date.parse(activity.startsAt) - DAY_MS);
  const found = (await store.teamBookings(teamId, from, activity.startsAt)).some(
    (b) => b.stationId === stationId && b.status === 'confirmed' && covers(b, activity),
  );
  if (!found)
    throw new DomainError(
      'STATION_BOOKING_REQUIRED',
      `book station ${stationId} from ${activity.startsAt} to ${activity.endsAt} for your team first`,
    );
}

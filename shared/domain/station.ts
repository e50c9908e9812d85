/**
 * Micro-stations (微驿站) and their bookings, as pure rules. A station belongs to a street or a
 * community; teams book it by the half hour inside its weekly opening hours, at most 30 days
 * ahead, within a weekly cap per team. Times are stored in UTC ISO-8601; opening hours, days and
 * weeks are Asia/Shanghai (UTC+8, no daylight saving). Intervals are half-open [from, to): two
 * bookings sit back to back.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `HH:MM` on the half hour, Asia/Shanghai; `24:00` ends a day. */
export interface OpeningRange {
  readonly from: string;
  readonly to: string;
}
export type OpeningHours = Readonly<Partial<Record<Weekday, readonly OpeningRange[]>>>;

export interface Closure {
  readonly closureId: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface Station {
  readonly stationId: string;
  readonly name: string;
  /** `street`: the street's own party-mass service centre; `community`: a community's. */
  readonly level: 'street' | 'community';
  readonly streetId: string;
  readonly communityId?: string;
  readonly address: string;
  /** Member ids of its managers: they may close it. */
  readonly managers: readonly string[];
  readonly amenities: readonly string[];
  readonly openingHours: OpeningHours;
  /** The most hours one team may hold in one week (Monday to Sunday, Asia/Shanghai). */
  readonly weeklyCapHours: number;
  /** Closures that have not ended (ended ones are dropped when the next is added). */
  readonly closures: readonly Closure[];
  readonly createdAt: string;
}

export type BookingStatus = 'confirmed' | 'cancelled';

export interface Booking {
  readonly bookingId: string;
  readonly stationId: string;
  readonly stationName: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly streetId: string;
  readonly communityId?: string;
  readonly startsAt: string;
  readonly endsAt: string;
  /** Half-hour units held. */
  readonly units: number;
  readonly hours: number;
  /** The Monday (YYYY-MM-DD, Asia/Shanghai) of its week: its weekly cap's week. */
  readonly week: string;
  readonly purpose?: string;
  readonly status: BookingStatus;
  readonly bookedBy: string;
  readonly createdAt: string;
  readonly cancelledAt?: string;
  /** `team`: the team cancelled it; `closure`: a closure covered it. */
  readonly cancelledBecause?: 'team' | 'closure';
  readonly closureId?: string;
}

/** What a cancelled booking counts (its fact item, written with the cancellation). */
export interface BookingCancellation {
  readonly bookingId: string;
  readonly stationId: string;
  readonly teamId: string;
  readonly streetId: string;
  readonly communityId?: string;
  readonly hours: number;
  readonly cancelledAt: string;
}

export const UNIT_MS = 30 * 60 * 1000;
/** Bookings start at most this many days ahead. */
export const BOOKING_HORIZON_DAYS = 30;
/**
 * The longest booking, in half-hour units: one day. Its transaction holds one item per unit, the
 * booking, the team's week, at most 4 counters (district, street, community, team) and an
 * Idempotency-Key: 48 + 1 + 1 + 4 + 1 = 55, within DynamoDB's 100 actions per transaction.
 */
export const MAX_BOOKING_UNITS = 48;
export const DEFAULT_WEEKLY_CAP_HOURS = 10;
/** A closure lasts at most this many days; its units within the booking horizon are claimed in chunks. */
export const MAX_CLOSURE_DAYS = 31;

const SHANGHAI_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const ms = (iso: string) => Date.parse(iso);

/** Minutes since midnight of `HH:MM`. */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The Shanghai weekday and minute of day of an instant. */
export function shanghaiClock(at: number): { day: string; weekday: Weekday; minute: number } {
  const local = new Date(at + SHANGHAI_MS);
  const day = local.toISOString().slice(0, 10);
  const weekday = WEEKDAYS[(local.getUTCDay() + 6) % 7]!;
  return { day, weekday, minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** The Monday (YYYY-MM-DD, Asia/Shanghai) of the week an instant falls in. */
export function weekOf(iso: string): string {
  const at = ms(iso);
  const local = new Date(at + SHANGHAI_MS);
  const back = (local.getUTCDay() + 6) % 7;
  return new Date(at + SHANGHAI_MS - back * DAY_MS).toISOString().slice(0, 10);
}

/** The start instants (ISO, UTC) of each half-hour unit of [startsAt, endsAt). */
export function unitStarts(startsAt: string, endsAt: string): string[] {
  const out: string[] = [];
  for (let t = ms(startsAt); t < ms(endsAt); t += UNIT_MS) out.push(new Date(t).toISOString());
  return out;
}

/** Whether half-open intervals meet: back to back is not an overlap. */
export function overlaps(a: { from: string; to: string }, b: { from: string; to: string }): boolean {
  return ms(a.from) < ms(b.to) && ms(b.from) < ms(a.to);
}

/** Whether a unit starting at `at` lies inside the station's opening hours of its day. */
export function unitOpen(hours: OpeningHours, at: number): boolean {
  const { weekday, minute } = shanghaiClock(at);
  return (hours[weekday] ?? []).some((r) => minute >= minutesOf(r.from) && minute + 30 <= minutesOf(r.to));
}

/** What is wrong with opening hours (field -> message); empty when fine. */
export function openingHoursProblems(hours: OpeningHours): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const d of WEEKDAYS) {
    const ranges = [...(hours[d] ?? [])].sort((x, y) => minutesOf(x.from) - minutesOf(y.from));
    ranges.forEach((r, i) => {
      if (!(minutesOf(r.to) > minutesOf(r.from)))
        out.push({ field: 'body.openingHours', message: `${d} ${r.from}-${r.to}: the end must be after the start` });
      const next = ranges[i + 1];
      if (next && minutesOf(next.from) < minutesOf(r.to))
        out.push({ field: 'body.openingHours', message: `${d} ${r.from}-${r.to} overlaps ${next.from}-${next.to}` });
    });
  }
  return out;
}

/** Input problems of a booking's times (400): the half hour, the order, the length, the past. */
export function bookingInputProblems(
  startsAt: string,
  endsAt: string,
  nowMs: number,
): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const s = ms(startsAt);
  const e = ms(endsAt);
  if (s % UNIT_MS !== 0) out.push({ field: 'body.startsAt', message: 'must be on the half hour' });
  if (e % UNIT_MS !== 0) out.push({ field: 'body.endsAt', message: 'must be on the half hour' });
  if (!(s > nowMs)) out.push({ field: 'body.startsAt', message: 'must be in the future' });
  if (!(e > s)) out.push({ field: 'body.endsAt', message: 'must be after startsAt' });
  else if ((e - s) / UNIT_MS > MAX_BOOKING_UNITS)
    out.push({ field: 'body.endsAt', message: `at most ${MAX_BOOKING_UNITS} half hours (one day) after startsAt` });
  return out;
}

/** Why a well-formed booking cannot be made at this station (422), or undefined. */
export function bookingRefusal(
  station: Pick<Station, 'openingHours' | 'closures'>,
  startsAt: string,
  endsAt: string,
  nowMs: number,
): { code: 'BOOKING_TOO_FAR' | 'OUTSIDE_OPENING_HOURS' | 'STATION_CLOSED'; detail: string } | undefined {
  if (ms(startsAt) > nowMs + BOOKING_HORIZON_DAYS * DAY_MS)
    return { code: 'BOOKING_TOO_FAR', detail: `bookings start at most ${BOOKING_HORIZON_DAYS} days ahead` };
  for (const u of unitStarts(startsAt, endsAt))
    if (!unitOpen(station.openingHours, ms(u)))
      return {
        code: 'OUTSIDE_OPENING_HOURS',
        detail: `the station is not open at ${u} (opening hours are Asia/Shanghai)`,
      };
  const closed = station.closures.find((c) => overlaps(c, { from: startsAt, to: endsAt }));
  if (closed) return { code: 'STATION_CLOSED', detail: `the station is closed from ${closed.from} to ${closed.to}` };
  return undefined;
}

/** The units of a closure a booking could still take: open ones from now to the booking horizon's end. */
export function closureUnits(hours: OpeningHours, closure: { from: string; to: string }, nowMs: number): string[] {
  const from = Math.max(ms(closure.from), Math.ceil(nowMs / UNIT_MS) * UNIT_MS);
  const to = Math.min(ms(closure.to), nowMs + (BOOKING_HORIZON_DAYS + 1) * DAY_MS);
  const out: string[] = [];
  for (let t = Math.floor(from / UNIT_MS) * UNIT_MS; t < to; t += UNIT_MS)
    if (t + UNIT_MS > ms(closure.from) && unitOpen(hours, t)) out.push(new Date(t).toISOString());
  return out;
}

/** A booking covers an activity's time when it starts no later and ends no earlier. */
export function covers(b: Pick<Booking, 'startsAt' | 'endsAt'>, a: { startsAt: string; endsAt: string }): boolean {
  return ms(b.startsAt) <= ms(a.startsAt) && ms(b.endsAt) >= ms(a.endsAt);
}

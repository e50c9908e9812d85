import * as z from 'zod/mini';
import { WEEKDAYS } from '../domain/station.ts';
import type { Contract } from '../http/api.ts';
import { describe, documented, Id, IsoTime, Line, named, pageOf, PageQuery, requires } from './common.ts';

/** Schemas of the micro-station routes: stations, closures, bookings. */

const HalfHour = describe(
  z.string().check(z.regex(/^([01]\d|2[0-3]):[03]0$|^24:00$/, 'HH:MM on the half hour (00:00-24:00)')),
  'HH:MM on the half hour, Asia/Shanghai; 24:00 ends the day',
);
const Range = z.strictObject({ from: HalfHour, to: HalfHour });
const OpeningHours = named(
  'OpeningHours',
  describe(
    z.strictObject(
      Object.fromEntries(WEEKDAYS.map((d) => [d, z.optional(z.array(Range).check(z.maxLength(6)))])) as Record<
        (typeof WEEKDAYS)[number],
        z.ZodMiniOptional<z.ZodMiniArray<typeof Range>>
      >,
    ),
    'per weekday (Monday to Sunday), the ranges the station is open, Asia/Shanghai; a day left out is closed',
  ),
);

const ClosureView = named(
  'Closure',
  z.object({ closureId: Id, from: IsoTime, to: IsoTime, reason: z.string(), createdAt: IsoTime, createdBy: Id }),
);

export const StationView = named(
  'Station',
  z.object({
    stationId: Id,
    name: z.string(),
    level: z.enum(['street', 'community']),
    streetId: Id,
    communityId: z.optional(Id),
    address: z.string(),
    managers: z.array(Id),
    amenities: z.array(z.string()),
    openingHours: OpeningHours,
    weeklyCapHours: z.number(),
    closures: describe(z.array(ClosureView), 'closures that have not ended'),
    createdAt: IsoTime,
  }),
);

export const BookingView = named(
  'Booking',
  z.object({
    bookingId: Id,
    stationId: Id,
    stationName: z.string(),
    teamId: Id,
    teamName: z.string(),
    streetId: Id,
    communityId: z.optional(Id),
    startsAt: IsoTime,
    endsAt: IsoTime,
    units: describe(z.number(), 'half-hour units held'),
    hours: z.number(),
    week: describe(z.string(), 'the Monday (YYYY-MM-DD, Asia/Shanghai) of its week: the weekly cap counts per week'),
    purpose: z.optional(z.string()),
    status: z.enum(['confirmed', 'cancelled']),
    bookedBy: Id,
    createdAt: IsoTime,
    cancelledAt: z.optional(IsoTime),
    cancelledBecause: z.optional(z.enum(['team', 'closure'])),
    closureId: z.optional(Id),
  }),
);

// ---------- examples ----------

const STATION = {
  stationId: 'stn_01KC3A4B5C6D7E8F9G0H1J2K3M',
  name: '红星社区微驿站',
  level: 'community',
  streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
  communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  address: '红星社区党群服务中心一楼',
  managers: ['m-demo-1'],
  amenities: ['饮水', '充电', '急救箱'],
  openingHours: {
    mon: [
      { from: '09:00', to: '12:00' },
      { from: '14:00', to: '18:00' },
    ],
    sat: [{ from: '09:00', to: '17:00' }],
  },
  weeklyCapHours: 10,
  closures: [],
  createdAt: '2026-11-20T08:00:00.000Z',
};
const BOOKING = {
  bookingId: 'bk_01KC4A5B6C7D8E9F0G1H2J3K4M',
  stationId: STATION.stationId,
  stationName: STATION.name,
  teamId: 'team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N',
  teamName: '红星义诊队',
  streetId: STATION.streetId,
  communityId: STATION.communityId,
  startsAt: '2026-12-05T01:00:00.000Z',
  endsAt: '2026-12-05T03:00:00.000Z',
  units: 4,
  hours: 2,
  week: '2026-11-30',
  purpose: '义诊',
  status: 'confirmed',
  bookedBy: 'm-demo-1',
  createdAt: '2026-11-21T02:00:00.000Z',
};
const CLOSURE = {
  closureId: 'cl_01KC5A6B7C8D9E0F1G2H3J4K5M',
  from: '2026-12-05T00:00:00.000Z',
  to: '2026-12-06T00:00:00.000Z',
  reason: '设备检修',
  createdAt: '2026-11-22T02:00:00.000Z',
  createdBy: 'm-demo-1',
};

const StationParams = z.strictObject({ stationId: Id });

export const createStation = {
  method: 'POST',
  path: '/stations',
  body: documented(
    z
      .strictObject({
        name: Line(100),
        streetId: describe(z.optional(Id), "a street's own station; with communityId, must be the community's street"),
        communityId: describe(z.optional(Id), "a community's station"),
        address: Line(200),
        managers: describe(z.array(Id).check(z.maxLength(20)), 'member ids of its managers (they may close it)'),
        amenities: z.array(Line(50)).check(z.maxLength(30)),
        openingHours: OpeningHours,
        weeklyCapHours: describe(
          z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(168))),
          'the most hours one team may book in a week (Monday to Sunday, Asia/Shanghai); default 10',
        ),
      })
      .check(
        z.refine((b) => b.streetId !== undefined || b.communityId !== undefined, {
          message: 'give a streetId or a communityId',
          path: ['streetId'],
        }),
      ),
    { anyOf: [requires('streetId'), requires('communityId')] },
  ),
  response: StationView,
  status: 201,
  idempotent: true,
  description:
    "A street's station (admins of the street or above) or a community's (admins of the community or above).",
  rules: {
    'body.openingHours': 'ranges of a day end after they start and do not overlap',
    'body.streetId': "the community's street when both are given",
  },
  tag: 'stations',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'UNKNOWN_COMMUNITY', 'UNKNOWN_STREET'],
  examples: {
    body: {
      name: STATION.name,
      communityId: STATION.communityId,
      address: STATION.address,
      managers: STATION.managers,
      amenities: STATION.amenities,
      openingHours: STATION.openingHours,
      weeklyCapHours: 10,
    },
    response: STATION,
  },
} as const satisfies Contract;

export const listStations = {
  method: 'GET',
  path: '/stations',
  query: z.strictObject({ ...PageQuery, streetId: Id, communityId: z.optional(Id) }),
  response: pageOf(StationView),
  description: "A street's stations (its own and its communities'), or one community's.",
  tag: 'stations',
  errors: [],
  examples: { query: { streetId: STATION.streetId, limit: 20 }, response: { items: [STATION] } },
} as const satisfies Contract;

export const getStation = {
  method: 'GET',
  path: '/stations/{stationId}',
  params: StationParams,
  response: StationView,
  tag: 'stations',
  errors: ['NOT_FOUND'],
  examples: { params: { stationId: STATION.stationId }, response: STATION },
} as const satisfies Contract;

export const closeStation = {
  method: 'POST',
  path: '/stations/{stationId}/closures',
  params: StationParams,
  body: z.strictObject({
    from: IsoTime,
    to: describe(IsoTime, 'after from, in the future, at most 31 days after from'),
    reason: Line(200),
  }),
  response: z.object({
    closure: ClosureView,
    cancelledBookings: describe(z.array(Id), 'the bookings it cancelled; each team got one notice'),
  }),
  status: 201,
  description:
    "The station's managers or admins of its place close it for a while: every booking it covers is cancelled, its team told (one notice each, through the notification outbox), and no booking can be made in it.",
  rules: { 'body.to': 'after from, in the future, at most 31 days after from' },
  tag: 'stations',
  errors: ['BOOKING_NOT_CONFIRMED', 'CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { stationId: STATION.stationId },
    body: { from: '2026-12-05T08:00:00+08:00', to: '2026-12-06T08:00:00+08:00', reason: CLOSURE.reason },
    response: { closure: CLOSURE, cancelledBookings: [BOOKING.bookingId] },
  },
} as const satisfies Contract;

export const bookStation = {
  method: 'POST',
  path: '/stations/{stationId}/bookings',
  params: StationParams,
  body: z.strictObject({
    startsAt: describe(IsoTime, 'on the half hour, in the future, at most 30 days ahead'),
    endsAt: describe(IsoTime, 'on the half hour, after startsAt, at most 48 half hours (one day) after it'),
    purpose: z.optional(Line(200)),
  }),
  response: BookingView,
  status: 201,
  idempotent: true,
  description:
    "A team's leader books half-hour units of a station for the team: all or nothing, in one transaction. 409 when part of the time is booked (back to back is fine) or the team's weekly hours there would pass the station's cap; 422 outside opening hours, more than 30 days ahead, or in a closure.",
  rules: {
    'body.startsAt': 'on the half hour, in the future',
    'body.endsAt': 'on the half hour, after startsAt, within 48 half hours of it',
  },
  tag: 'stations',
  errors: [
    'BOOKING_OVERLAP',
    'BOOKING_TOO_FAR',
    'CONCURRENT_UPDATE',
    'FORBIDDEN',
    'NOT_FOUND',
    'OUTSIDE_OPENING_HOURS',
    'STATION_CLOSED',
    'TEAM_INACTIVE',
    'WEEKLY_CAP_REACHED',
  ],
  examples: {
    params: { stationId: STATION.stationId },
    body: { startsAt: '2026-12-05T09:00:00+08:00', endsAt: '2026-12-05T11:00:00+08:00', purpose: '义诊' },
    response: BOOKING,
  },
} as const satisfies Contract;

export const listBookings = {
  method: 'GET',
  path: '/stations/{stationId}/bookings',
  params: StationParams,
  query: z.strictObject({ ...PageQuery, from: z.optional(IsoTime), to: z.optional(IsoTime) }),
  response: pageOf(BookingView),
  description: "A station's bookings by start time (cancelled ones too), optionally those starting in [from, to].",
  tag: 'stations',
  errors: ['NOT_FOUND'],
  examples: {
    params: { stationId: STATION.stationId },
    query: { from: '2026-12-01T00:00:00+08:00', limit: 20 },
    response: { items: [BOOKING] },
  },
} as const satisfies Contract;

export const cancelBooking = {
  method: 'DELETE',
  path: '/stations/{stationId}/bookings/{bookingId}',
  params: z.strictObject({ stationId: Id, bookingId: Id }),
  response: BookingView,
  description: "The team's leader (or an admin of the station's place) cancels a booking: its units are free again.",
  tag: 'stations',
  errors: ['BOOKING_NOT_CONFIRMED', 'CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { stationId: STATION.stationId, bookingId: BOOKING.bookingId },
    response: { ...BOOKING, status: 'cancelled', cancelledAt: '2026-11-22T02:00:00.000Z', cancelledBecause: 'team' },
  },
} as const satisfies Contract;

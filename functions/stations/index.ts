import { ROUTES } from '#routes/stations';
import * as c from '../../shared/contract/stations.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/stations.ts';

/** The micro-stations context: stations, closures, bookings by the half hour. */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.createStation, ({ caller, body }) => svc.createStation(caller, body)),
    route(c.listStations, ({ query }) => svc.listStations(query)),
    route(c.getStation, ({ params }) => svc.getStation(params.stationId)),
    route(c.closeStation, ({ caller, params, body }) => svc.closeStation(caller, params.stationId, body)),
    route(c.bookStation, ({ caller, params, body }) => svc.book(caller, params.stationId, body)),
    route(c.listBookings, ({ params, query }) => svc.listBookings({ ...query, stationId: params.stationId })),
    route(c.cancelBooking, ({ caller, params }) => svc.cancelBooking(caller, params.stationId, params.bookingId)),
  ],
  { idempotency: withIdempotency },
);

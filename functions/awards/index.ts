import { ROUTES } from '../../shared/config/routes.ts';
import * as c from '../../shared/contract/awards.ts';
import type { CityDelivery } from '../../shared/domain/featured.ts';
import { streamFunction, withStream } from '../../shared/events/stream.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import * as svc from '../../shared/services/awards.ts';

/**
 * Awards of featured projects (以奖代补) and the award entries of members' records and teams'
 * histories (HTTP); and, fed by the table's stream (shared/config/streams.ts, `city-delivery`),
 * each batch of awards from its call's outbox onto the city bus.
 */
const http = httpFunction(ROUTES, [
  route(c.awardFeaturedProjects, ({ caller, params, body }) => svc.award(caller, params.callId, body.awards)),
  route(c.myAwards, ({ caller, query }) => svc.myAwards(caller, query.limit, query.cursor)),
  route(c.teamAwards, ({ params }) => svc.teamAwards(params.teamId)),
]);

const stream = streamFunction(async (change) =>
  change.newImage ? svc.deliverToCity(change.newImage as unknown as CityDelivery) : undefined,
);

export const handler = withStream(http, stream);

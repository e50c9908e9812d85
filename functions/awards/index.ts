import { ROUTES } from '#routes/awards';
import * as c from '../../shared/contract/awards.ts';
import type { CityDelivery } from '../../shared/domain/featured.ts';
import { streamFunction, withStream } from '../../shared/events/stream.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/awards.ts';

/**
 * Awards of featured projects (以奖代补) and the award entries of members' records and teams'
 * histories; the reads across calls (the district's calls, a reviewer's assignments, a call's
 * award report) (HTTP); and, fed by the table's stream (shared/config/streams.ts, `city-delivery`),
 * each batch of awards from its call's outbox onto the city bus.
 */
const http = httpFunction(
  ROUTES,
  [
    route(c.awardFeaturedProjects, ({ caller, params, body }) => svc.award(caller, params.callId, body.awards)),
    route(c.myAwards, ({ caller, query }) => svc.myAwards(caller, query.limit, query.cursor)),
    route(c.teamAwards, ({ params }) => svc.teamAwards(params.teamId)),
    route(c.listFeaturedCalls, ({ query }) => svc.listCalls(query, query.limit, query.cursor)),
    route(c.myReviewAssignments, ({ caller, query }) => svc.myReviewAssignments(caller, query.limit, query.cursor)),
    route(c.featuredAwardReport, ({ params }) => svc.awardReport(params.callId)),
  ],
  { idempotency: withIdempotency },
);

const stream = streamFunction(async (change) =>
  change.newImage ? svc.deliverToCity(change.newImage as unknown as CityDelivery) : undefined,
);

export const handler = withStream(http, stream);

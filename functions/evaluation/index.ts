import { ROUTES } from '#routes/evaluation';
import * as c from '../../shared/contract/evaluation.ts';
import { streamFunction, withStream } from '../../shared/events/stream.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { applyChange } from '../../shared/services/ledger.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/evaluation.ts';
import * as noShows from '../../shared/services/no-shows.ts';

/**
 * The evaluation context: points, stars, rankings, evaluations, no-shows (HTTP; the five-part
 * record is served by the nominations function); and, fed by the table's stream, the ledger consumer.
 */
const http = httpFunction(
  ROUTES,
  [
    route(c.myPoints, ({ caller, query }) => svc.myPoints(caller, query)),
    route(c.memberRanking, ({ caller, query }) => svc.memberRanking(caller, query)),
    route(c.myRank, ({ caller, query }) => svc.myRank(caller, query)),
    route(c.teamRanking, ({ caller, query }) => svc.teamRanking(caller, query)),
    route(c.listFifthStarDue, ({ caller, query }) => svc.listFifthStarDue(caller, query.limit, query.cursor)),
    route(c.decideFifthStar, ({ caller, params, body }) => svc.decideFifthStar(caller, params.memberId, body)),
    route(c.evaluateService, ({ caller, params, body }) => svc.evaluate(caller, params.recordId, body)),
    route(c.myNoShows, ({ caller, query }) => noShows.myNoShows(caller, query.year)),
    route(c.contestNoShow, ({ caller, params, body }) => noShows.contest(caller, params.activityId, body)),
    route(c.decideNoShow, ({ caller, params, body }) =>
      noShows.decide(caller, params.memberId, params.activityId, body),
    ),
    route(c.listNoShowReviews, ({ caller, params, query }) => noShows.listReviews(caller, params.communityId, query)),
  ],
  { idempotency: withIdempotency },
);

/** The ledger consumer (shared/config/streams.ts `ledger`): each confirmed fact, posted once. */
const stream = streamFunction(async (change) => applyChange(change));

export const handler = withStream(http, stream);

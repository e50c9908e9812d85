import { ROUTES } from '../../shared/config/routes.ts';
import * as c from '../../shared/contract/awards.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import * as svc from '../../shared/services/awards.ts';

/** Awards of featured projects (以奖代补) and the award entries of members' records and teams' histories. */
export const handler = httpFunction(ROUTES, [
  route(c.awardFeaturedProjects, ({ caller, params, body }) => svc.award(caller, params.callId, body.awards)),
  route(c.myAwards, ({ caller, query }) => svc.myAwards(caller, query.limit, query.cursor)),
  route(c.teamAwards, ({ params }) => svc.teamAwards(params.teamId)),
]);

import { ROUTES } from '#routes/members';
import * as c from '../../shared/contract/members.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/members.ts';

/** The members context: streets, communities, grids, member profiles, check-in. */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.createStreet, ({ caller, body }) => svc.createStreet(caller, body)),
    route(c.listStreets, ({ query }) => svc.listStreets(query.limit, query.cursor)),
    route(c.createCommunity, ({ caller, body }) => svc.createCommunity(caller, body)),
    route(c.listCommunities, ({ query }) => svc.listCommunities(query.streetId, query.limit, query.cursor)),
    route(c.getCommunity, ({ params }) => svc.getCommunity(params.communityId)),
    route(c.createGrid, ({ caller, params, body }) => svc.createGrid(caller, params.communityId, body)),
    route(c.listGrids, ({ params, query }) => svc.listGrids(params.communityId, query.limit, query.cursor)),
    route(c.createMember, async ({ caller, body }) => svc.viewMember(caller, await svc.createMember(caller, body))),
    route(c.getMe, async ({ caller }) => svc.viewMember(caller, await svc.getMyProfile(caller))),
    route(c.patchMe, async ({ caller, body }) => svc.viewMember(caller, await svc.updateMyProfile(caller, body))),
    route(c.getMember, ({ caller, params }) => svc.getMember(caller, params.memberId)),
    route(c.requestCheckIn, ({ caller, body }) => svc.requestCheckIn(caller, body)),
    route(c.listMyCheckIns, ({ caller, query }) => svc.listMyCheckIns(caller, query.limit, query.cursor)),
    route(c.listCommunityCheckIns, ({ caller, params, query }) =>
      svc.listCommunityCheckIns(caller, params.communityId, query.status, query.limit, query.cursor),
    ),
    route(c.approveCheckIn, ({ caller, params }) => svc.approveCheckIn(caller, params.checkInId)),
    route(c.rejectCheckIn, ({ caller, params, body }) => svc.rejectCheckIn(caller, params.checkInId, body.reason)),
    route(c.cancelCheckIn, ({ caller, params }) => svc.cancelCheckIn(caller, params.checkInId)),
    route(c.listCommunityMembers, ({ caller, params, query }) =>
      svc.listCommunityMembers(caller, params.communityId, query.gridId, query.limit, query.cursor),
    ),
  ],
  { idempotency: withIdempotency },
);

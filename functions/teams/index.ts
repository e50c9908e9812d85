import { ROUTES } from '#routes/teams';
import * as c from '../../shared/contract/teams.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/teams.ts';

/** The teams context: registry, join requests and roster, flag grants. */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.createTeam, ({ caller, body }) => svc.createTeam(caller, body)),
    route(c.listTeams, ({ query }) => svc.listTeams(query.category, query.limit, query.cursor)),
    route(c.getTeam, ({ params }) => svc.getTeam(params.teamId)),
    route(c.joinTeam, ({ caller, params }) => svc.joinTeam(caller, params.teamId)),
    route(c.leaveTeam, ({ caller, params }) => svc.leaveTeam(caller, params.teamId)),
    route(c.listMyTeams, ({ caller, query }) => svc.listMyTeams(caller, query.limit, query.cursor)),
    route(c.listTeamMembers, ({ caller, params, query }) =>
      svc.listTeamMembers(caller, params.teamId, query.status, query.limit, query.cursor),
    ),
    route(c.approveTeamMember, ({ caller, params }) => svc.approveMember(caller, params.teamId, params.memberId)),
    route(c.rejectTeamMember, ({ caller, params, body }) =>
      svc.rejectMember(caller, params.teamId, params.memberId, body?.reason),
    ),
    route(c.grantTeamFlag, ({ caller, params, body }) => svc.grantFlag(caller, params.teamId, body)),
    route(c.changeTeamLeader, ({ caller, params, body }) => svc.changeLeader(caller, params.teamId, body)),
  ],
  { idempotency: withIdempotency },
);

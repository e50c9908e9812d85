import { CITY_EVENT_SOURCE, RESIDENT_SIGNED_UP_DETAIL_TYPE } from '../../shared/config/city.ts';
import { ROUTES } from '#routes/identity';
import * as c from '../../shared/contract/identity.ts';
import type { UserRoles } from '../../shared/domain/identity.ts';
import { eventFunction, eventRoute, withEvents } from '../../shared/events/handler.ts';
import { streamFunction, withStream } from '../../shared/events/stream.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/identity.ts';

/**
 * Roles: a user's roles and scope, grants and revocations by admins, the role audit (HTTP); the
 * sign-ups the city bus delivers (ResidentSignedUp); and, fed by the table's stream
 * (shared/config/streams.ts), the projection of every roles record onto the user pool: the one
 * district function that changes Cognito groups and attributes.
 */
const http = httpFunction(
  ROUTES,
  [
    route(c.getUserRoles, ({ caller, params }) => svc.getRoles(caller, params.sub)),
    route(c.grantRole, ({ caller, params, body }) => svc.grant(caller, params.sub, body)),
    route(c.revokeRole, ({ caller, params, body }) => svc.revoke(caller, params.sub, params.role, body.reason)),
    route(c.listRoleAudit, ({ caller, query }) => svc.listAudit(caller, query, query.limit, query.cursor)),
  ],
  { idempotency: withIdempotency },
);

const events = eventFunction([
  eventRoute(CITY_EVENT_SOURCE, RESIDENT_SIGNED_UP_DETAIL_TYPE, c.ResidentSignedUpDetail, (d) =>
    svc.residentSignedUp(d),
  ),
]);

const stream = streamFunction(async (change) =>
  change.newImage ? svc.syncToPool(change.newImage as unknown as UserRoles) : undefined,
);

export const handler = withStream(withEvents(http, events), stream);

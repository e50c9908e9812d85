import { ROUTES } from '../../shared/config/routes.ts';
import * as c from '../../shared/contract/training.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/training.ts';

/** The training context: qualification grants, my qualifications and training, what expires soon. */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.grantQualification, ({ caller, params, body }) => svc.grantQualification(caller, params.memberId, body)),
    route(c.myQualifications, ({ caller }) => svc.myQualifications(caller)),
    route(c.expiringQualifications, ({ caller, query }) => svc.expiring(caller, query)),
  ],
  { idempotency: withIdempotency },
);

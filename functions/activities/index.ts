import { ROUTES } from '#routes/activities';
import * as c from '../../shared/contract/activities.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/activities.ts';

/** The activities context: publish, change, cancel, list, read, sign-up and cancel, my sign-ups (attendance and the close: functions/attendance). */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.publishActivity, ({ caller, body }) => svc.publish(caller, body)),
    route(c.listActivities, ({ query }) => svc.listActivities(query)),
    route(c.getActivity, ({ params }) => svc.getActivity(params.activityId)),
    route(c.signUp, ({ caller, params }) => svc.signUp(caller, params.activityId)),
    route(c.cancelSignup, async ({ caller, params }) => {
      await svc.cancel(caller, params.activityId);
      return undefined;
    }),
    route(c.listSignups, ({ caller, params, query }) =>
      svc.listSignups(caller, params.activityId, query.limit, query.cursor),
    ),
    route(c.changeActivity, ({ caller, params, body }) => svc.editActivity(caller, params.activityId, body)),
    route(c.cancelActivity, ({ caller, params, body }) => svc.cancelActivity(caller, params.activityId, body.reason)),
    route(c.listMySignups, ({ caller, query }) => svc.mySignups(caller, query.limit, query.cursor)),
  ],
  { idempotency: withIdempotency },
);

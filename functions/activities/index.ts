import { ROUTES } from '../../shared/config/routes.ts';
import * as c from '../../shared/contract/activities.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/activities.ts';

/** The activities context: publish, change, cancel, list, read, sign-up and cancel, my sign-ups, attendance, close. */
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
    route(c.issueAttendanceCode, ({ caller, params }) => svc.issueAttendanceCode(caller, params.activityId)),
    route(c.checkIn, ({ caller, params, body }) => svc.attend(caller, params.activityId, 'in', body.code)),
    route(c.checkOut, ({ caller, params, body }) => svc.attend(caller, params.activityId, 'out', body.code)),
    route(c.closeActivity, ({ caller, params, body }) => svc.close(caller, params.activityId, body)),
    route(c.changeActivity, ({ caller, params, body }) => svc.editActivity(caller, params.activityId, body)),
    route(c.cancelActivity, ({ caller, params, body }) => svc.cancelActivity(caller, params.activityId, body.reason)),
    route(c.listMySignups, ({ caller, query }) => svc.mySignups(caller, query.limit, query.cursor)),
  ],
  { idempotency: withIdempotency },
);

import { ROUTES } from '#routes/attendance';
import * as c from '../../shared/contract/activities.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/attendance.ts';

/** The attendance of activities: codes, check-in and check-out, leaders' fixes, the close (service records). */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.issueAttendanceCode, ({ caller, params }) => svc.issueAttendanceCode(caller, params.activityId)),
    route(c.checkIn, ({ caller, params, body }) => svc.attend(caller, params.activityId, 'in', body.code)),
    route(c.checkOut, ({ caller, params, body }) => svc.attend(caller, params.activityId, 'out', body.code)),
    route(c.fixAttendance, ({ caller, params, body }) =>
      svc.fixAttendance(caller, params.activityId, params.memberId, body),
    ),
    route(c.closeActivity, ({ caller, params, body }) => svc.close(caller, params.activityId, body)),
  ],
  { idempotency: withIdempotency },
);

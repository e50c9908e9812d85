import { ROUTES } from '#routes/training';
import * as c from '../../shared/contract/training.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as courses from '../../shared/services/courses.ts';
import * as svc from '../../shared/services/training.ts';

/** The training context: qualification grants, my qualifications and training, what expires soon, courses and their sessions. */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.grantQualification, ({ caller, params, body }) => svc.grantQualification(caller, params.memberId, body)),
    route(c.myQualifications, ({ caller }) => svc.myQualifications(caller)),
    route(c.expiringQualifications, ({ caller, query }) => svc.expiring(caller, query)),
    route(c.createCourse, ({ caller, body }) => courses.createCourse(caller, body)),
    route(c.listCourses, ({ query }) => courses.listCourses(query)),
    route(c.getCourse, ({ params }) => courses.getCourse(params.courseId)),
    route(c.addSession, ({ caller, params, body }) => courses.addSession(caller, params.courseId, body)),
  ],
  { idempotency: withIdempotency },
);

import { ROUTES } from '#routes/featured';
import * as c from '../../shared/contract/featured.ts';
import { TIE_RULE } from '../../shared/domain/featured.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/featured.ts';

/** The featured-projects context (特色项目): calls, submissions, review, the public notice (awards: functions/awards). */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.openFeaturedCall, ({ caller, body }) => svc.openCall(caller, body)),
    route(c.getFeaturedCall, ({ params }) => svc.getCall(params.callId)),
    route(c.submitFeaturedProject, ({ caller, params, body }) => svc.submit(caller, params.callId, body)),
    route(c.listFeaturedSubmissions, ({ params, query }) =>
      svc.listSubmissions(params.callId, query.limit, query.cursor),
    ),
    route(c.getFeaturedSubmission, ({ caller, params }) =>
      svc.getSubmission(caller, params.callId, params.submissionId),
    ),
    route(c.editFeaturedSubmission, ({ caller, params, body }) =>
      svc.editSubmission(caller, params.callId, params.submissionId, body),
    ),
    route(c.assignFeaturedReviewer, ({ caller, params, body }) =>
      svc.assignReviewer(caller, params.callId, params.submissionId, body.reviewerId),
    ),
    route(c.scoreFeaturedSubmission, ({ caller, params, body }) =>
      svc.submitScores(caller, params.callId, params.submissionId, body.scores),
    ),
    route(c.publishFeaturedResults, ({ caller, params }) => svc.publishResults(caller, params.callId)),
    route(c.featuredNotice, ({ params }) => svc.notice(params.callId, TIE_RULE)),
  ],
  { idempotency: withIdempotency },
);

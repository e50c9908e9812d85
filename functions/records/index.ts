import { ROUTES } from '../../shared/config/routes.ts';
import * as c from '../../shared/contract/records.ts';
import { certificateHtml } from '../../shared/views/certificate.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import { htmlOrJson } from '../../shared/http/replies.ts';
import * as svc from '../../shared/services/records.ts';

/** The records context: service records, corrections, certificates (issue, public verification). */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.listTeamCorrections, ({ caller, params, query }) =>
      svc.listTeamCorrections(caller, params.teamId, query.status, query.limit, query.cursor),
    ),
    route(c.listCommunityCorrections, ({ caller, params, query }) =>
      svc.listCommunityCorrections(caller, params.communityId, query.status, query.limit, query.cursor),
    ),
    route(c.listMyCertificates, ({ caller, query }) => svc.listMyCertificates(caller, query.limit, query.cursor)),
    route(c.listMyRecords, ({ caller, query }) => svc.listMyRecords(caller, query.limit, query.cursor)),
    route(c.getRecord, ({ caller, params }) => svc.getRecord(caller, params.recordId)),
    route(c.requestCorrection, ({ caller, params, body }) => svc.requestCorrection(caller, params.recordId, body)),
    route(c.acceptCorrection, ({ caller, params, body }) =>
      svc.acceptCorrection(caller, params.recordId, params.correctionId, body),
    ),
    route(c.rejectCorrection, ({ caller, params, body }) =>
      svc.rejectCorrection(caller, params.recordId, params.correctionId, body),
    ),
    route(c.issueCertificate, ({ caller }) => svc.issueCertificate(caller)),
    route(c.verifyCertificate, async ({ params, headers }) =>
      htmlOrJson(headers.accept, await svc.verifyCertificate(params.number), certificateHtml),
    ),
  ],
  { idempotency: withIdempotency },
);

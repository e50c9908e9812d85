import { ROUTES } from '#routes/records';
import * as c from '../../shared/contract/records.ts';
import type { CertificateVerification } from '../../shared/domain/certificate.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { certificateHtml, certificateNotFoundHtml } from '../../shared/views/certificate.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import { htmlOrJson, htmlReply, prefersHtml } from '../../shared/http/replies.ts';
import * as svc from '../../shared/services/records.ts';

/**
 * A certificate as JSON, or as its printable page to a client that prefers HTML; to that client an
 * unknown number is a 404 page rather than a problem+json it would show as text.
 */
async function certificatePage(
  accept: string | undefined,
  number: string,
  holder: boolean,
  load: () => Promise<CertificateVerification>,
) {
  try {
    return htmlOrJson(accept, await load(), (v) => certificateHtml(v, holder));
  } catch (e) {
    if (e instanceof DomainError && e.code === 'NOT_FOUND' && prefersHtml(accept))
      return htmlReply(certificateNotFoundHtml(number), 404);
    throw e;
  }
}

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
    route(c.verifyCertificate, ({ params, headers }) =>
      certificatePage(headers.accept, params.number, false, () => svc.verifyCertificate(params.number)),
    ),
    route(c.verifyMyCertificate, ({ caller, params, headers }) =>
      certificatePage(headers.accept, params.number, true, () => svc.verifyMyCertificate(caller, params.number)),
    ),
  ],
  { idempotency: withIdempotency },
);

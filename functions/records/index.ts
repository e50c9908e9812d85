import * as c from '../../shared/contract/records.ts';
import { certificateHtml } from '../../shared/views/certificate.ts';
import { httpFunction, Reply, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/records.ts';

/** The records context: service records, corrections, certificates (issue, public verification). */

/** True when the Accept header ranks text/html above JSON (a browser, or `Accept: text/html`). */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (type === 'text/html') html = Math.max(html, q);
    else if (type === 'application/json' || type === 'application/*') json = Math.max(json, q);
  }
  return html > json;
}

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const handler = httpFunction([
  route(c.listTeamCorrections, ({ caller, params, query }) => svc.listTeamCorrections(caller, params.teamId, query.status, query.limit, query.cursor)),
  route(c.listCommunityCorrections, ({ caller, params, query }) =>
    svc.listCommunityCorrections(caller, params.communityId, query.status, query.limit, query.cursor),
  ),
  route(c.listMyCertificates, ({ caller, query }) => svc.listMyCertificates(caller, query.limit, query.cursor)),
  route(c.listMyRecords, ({ caller, query }) => svc.listMyRecords(caller, query.limit, query.cursor)),
  route(c.getRecord, ({ caller, params }) => svc.getRecord(caller, params.recordId)),
  route(c.requestCorrection, ({ caller, params, body }) => svc.requestCorrection(caller, params.recordId, body)),
  route(c.acceptCorrection, ({ caller, params, body }) => svc.acceptCorrection(caller, params.recordId, params.correctionId, body)),
  route(c.rejectCorrection, ({ caller, params, body }) => svc.rejectCorrection(caller, params.recordId, params.correctionId, body)),
  route(c.issueCertificate, ({ caller }) => svc.issueCertificate(caller)),
  route(c.verifyCertificate, async ({ params, headers }) => {
    const v = await svc.verifyCertificate(params.number);
    return prefersHtml(headers.accept) ? new Reply(200, certificateHtml(v), HTML_HEADERS) : v;
  }),
], { idempotency: withIdempotency });

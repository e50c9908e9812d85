import { ROUTES } from '#routes/nominations';
import * as record from '../../shared/contract/member-record.ts';
import * as c from '../../shared/contract/nominations.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import { htmlOrJson } from '../../shared/http/replies.ts';
import * as records from '../../shared/services/member-record.ts';
import * as svc from '../../shared/services/nominations.ts';
import { memberRecordHtml } from '../../shared/views/member-record.ts';

/**
 * Exemplary nominations (先进典型) with their public notice and objections; the reserve-cadre pool
 * (后备干部); the five-part record, whose awards part an approved nomination adds to.
 */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.nominate, ({ caller, body }) => svc.nominate(caller, body)),
    route(c.listNominations, ({ query }) => svc.listNominations(query.status, query.limit, query.cursor)),
    route(c.getNomination, ({ caller, params }) => svc.nominationFile(caller, params.nominationId)),
    route(c.openNotice, ({ caller, params }) => svc.openNotice(caller, params.nominationId)),
    route(c.nominationNotices, () => svc.publicNotice()),
    route(c.objectToNomination, ({ caller, params, body }) => svc.objectTo(caller, params.nominationId, body.text)),
    route(c.decideNomination, ({ caller, params, body }) => svc.decide(caller, params.nominationId, body)),
    route(c.admitCadre, ({ caller, body }) => svc.admit(caller, body)),
    route(c.listCadres, ({ caller, query }) => svc.listPool(caller, query)),
    route(c.exitCadre, ({ caller, params, body }) => svc.exitPool(caller, params.memberId, body.reason)),
    route(record.myRecord, async ({ caller, headers }) =>
      htmlOrJson(headers.accept, await records.myRecord(caller), memberRecordHtml),
    ),
    route(record.memberRecord, async ({ caller, params, headers }) =>
      htmlOrJson(headers.accept, await records.memberRecord(caller, params.memberId), memberRecordHtml),
    ),
  ],
  { idempotency: withIdempotency },
);

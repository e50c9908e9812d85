import { env } from '../../shared/config/env.ts';
import * as c from '../../shared/contract/platform.ts';
import { ALL_CONTRACTS } from '../../shared/contract/index.ts';
import { pingTable } from '../../shared/db/health.ts';
import { nowIso } from '../../shared/domain/clock.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { errorFields } from '../../shared/http/logger.ts';
import { buildOpenApi } from '../../shared/http/openapi.ts';
import { httpFunction, route } from '../../shared/http/api.ts';

/** Platform routes: /health and /openapi.json (public). */
let doc: unknown;

export const handler = httpFunction([
  route(c.health, async ({ log }) => {
    try {
      await pingTable();
    } catch (err) {
      log.error('table unreachable', errorFields(err));
      throw new DomainError('UNAVAILABLE', 'the table does not answer');
    }
    return { status: 'ok', district: env().districtId, table: 'reachable', time: nowIso() };
  }),
  route(c.openapi, async ({ headers }) => {
    doc ??= buildOpenApi(ALL_CONTRACTS, {
      district: env().districtId,
      serverUrl: headers.host ? `${headers['x-forwarded-proto'] ?? 'https'}://${headers.host}` : undefined,
    });
    return doc;
  }),
]);

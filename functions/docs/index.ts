import { env } from '../../shared/config/env.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import * as c from '../../shared/contract/platform.ts';
import { ALL_CONTRACTS } from '../../shared/contract/index.ts';
import { buildOpenApi } from '../../shared/http/openapi.ts';
import { httpFunction, route } from '../../shared/http/api.ts';

/**
 * GET /openapi.json. A function of its own: it holds every route's schemas but no database
 * client, so neither it nor the functions that serve the routes carry the other's weight.
 */
let doc: unknown;

export const handler = httpFunction(ROUTES, [
  route(c.openapi, async ({ headers }) => {
    doc ??= buildOpenApi(ALL_CONTRACTS, {
      district: env().districtId,
      serverUrl: headers.host ? `${headers['x-forwarded-proto'] ?? 'https'}://${headers.host}` : undefined,
    });
    return doc;
  }),
]);

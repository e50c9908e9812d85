import {
  apiUrl,
  cityApiUrl,
  districtProfile,
  env,
  needAtColdStart,
  PROFILE_REQUIRED,
} from '../../shared/config/env.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import * as c from '../../shared/contract/platform.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { serveDocument } from '../../shared/http/openapi-serve.ts';
// The document built with the bundle (package.json `imports`), or from the contracts when unbundled.
import { openApiDocument } from '#openapi/document';

/**
 * GET /openapi.json. A function of its own: it holds the document but no database client, so
 * neither it nor the functions that serve the routes carry the other's weight. The base URLs come
 * from the stack (API_URL, CITY_API_URL), never from the request's Host header; the district's name
 * from its profile (DISTRICT_NAME, DISTRICT_NAME_ZH).
 */
// The district's name in the document's title: its init fails naming a missing one.
needAtColdStart(...PROFILE_REQUIRED);

let served: unknown;

export const handler = httpFunction(ROUTES, [
  route(c.openapi, async () => {
    served ??= serveDocument(openApiDocument(), {
      districtId: env().districtId,
      profile: districtProfile(),
      apiUrl: apiUrl(),
      cityApiUrl: cityApiUrl(),
    });
    return served;
  }),
]);

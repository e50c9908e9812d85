import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  API_URL_VARIABLE,
  apiUrl,
  cityApiUrl,
  districtProfile,
  env,
  needAtColdStart,
  PROFILE_REQUIRED,
} from '../../shared/config/env.ts';
import { CITY_DOCUMENT_PATH, DOCS_ASSET_DIR, DOCS_ASSETS, type DocsAssetName } from '../../shared/config/docs.ts';
import { ROUTES } from '#routes/docs';
import * as c from '../../shared/contract/platform.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { serveDocument } from '../../shared/http/openapi-serve.ts';
import { assetReply, docsPageReply } from '../../shared/http/replies.ts';
import { docsHtml } from '../../shared/views/docs.ts';
// The document built with the bundle (package.json `imports`), or from the contracts when unbundled.
import { openApiDocument } from '#openapi/document';

/**
 * GET /openapi.json, and the API reference page: GET /docs and its scripts (GET /docs/assets/{file}).
 * A function of its own: it holds the document but no database client, so neither it nor the
 * functions that serve the routes carry the other's weight. The base URLs come from the stack
 * (API_URL, CITY_API_URL), never from the request's Host header; the district's name from its
 * profile (DISTRICT_NAME, DISTRICT_NAME_ZH). The page's scripts are files beside the bundle
 * (shared/config/docs.ts), read on first request, never part of the code bundle.
 */
// The district's name in the document's title: its init fails naming a missing one.
needAtColdStart(...PROFILE_REQUIRED);
// It cannot say where the API is without it: its init fails naming it.
needAtColdStart(API_URL_VARIABLE);

let served: { info: { title: string } } | undefined;
const document = () =>
  (served ??= serveDocument(openApiDocument(), {
    districtId: env().districtId,
    profile: districtProfile(),
    apiUrl: apiUrl(),
    cityApiUrl: cityApiUrl(),
  }));

const here = path.dirname(fileURLToPath(import.meta.url));
/** Beside the bundle (`docs-assets/`, copied there by CDK), else the project's own file (unbundled). */
function assetPath(name: DocsAssetName): string {
  const beside = path.join(here, DOCS_ASSET_DIR, name);
  return existsSync(beside) ? beside : path.resolve(here, '..', '..', DOCS_ASSETS[name].from);
}
const assets = new Map<DocsAssetName, { text: string; gzip: Buffer }>();
function asset(name: DocsAssetName) {
  let a = assets.get(name);
  if (!a) {
    const bytes = readFileSync(assetPath(name));
    a = { text: bytes.toString('utf8'), gzip: gzipSync(bytes, { level: 9 }) };
    assets.set(name, a);
  }
  return a;
}

export const handler = httpFunction(ROUTES, [
  route(c.openapi, async () => document()),
  route(c.docsPage, async ({ query }) => {
    const city = cityApiUrl();
    const api = query.api === 'city' && city ? 'city' : 'district';
    const cityDocument = city ? `${city.replace(/\/+$/, '')}${CITY_DOCUMENT_PATH}` : undefined;
    return docsPageReply(
      docsHtml({
        api,
        title: document().info.title,
        specUrl: api === 'city' && cityDocument ? cityDocument : 'openapi.json',
        cityAvailable: cityDocument !== undefined,
      }),
      city ? [new URL(city).origin] : [],
    );
  }),
  route(c.docsAsset, async ({ params, headers }) =>
    assetReply(asset(params.file), DOCS_ASSETS[params.file].contentType, headers['accept-encoding']),
  ),
]);

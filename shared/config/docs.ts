/**
 * The API reference page (`GET /docs`, the docs function): the files its page loads, served by the
 * docs function itself at `GET /docs/assets/{file}` (no CDN). They are not in the function's code
 * bundle (which stays the document and a few KB of code): CDK copies each `from` beside the bundle,
 * into `docs-assets/` (infra/constructs/pioneer-function.ts, afterBundling), and the function reads
 * it from there on first request; unbundled (locally, in tests) it reads `from` in the project.
 * Redoc's standalone build renders the documents: the smallest of the reference renderers that
 * read OpenAPI 3.1 (README: *The API reference page*).
 */
export interface DocsAsset {
  /** Project-relative source. */
  readonly from: string;
  readonly contentType: string;
}

export const DOCS_ASSETS = {
  'redoc.standalone.js': {
    from: 'node_modules/redoc/bundles/redoc.standalone.js',
    contentType: 'text/javascript; charset=utf-8',
  },
  'docs.js': { from: 'functions/docs/assets/docs.js', contentType: 'text/javascript; charset=utf-8' },
} as const satisfies Record<string, DocsAsset>;

export type DocsAssetName = keyof typeof DOCS_ASSETS;
export const DOCS_ASSET_NAMES = Object.keys(DOCS_ASSETS) as [DocsAssetName, ...DocsAssetName[]];

/** The folder beside the docs bundle the assets are copied into. */
export const DOCS_ASSET_DIR = 'docs-assets';

/** The documents the page shows: the district's (this API) and the city's (the city API's own). */
export const DOCS_APIS = ['district', 'city'] as const;
export type DocsApi = (typeof DOCS_APIS)[number];

/** Where the city API serves its document (shared/config/city-routes.ts). */
export const CITY_DOCUMENT_PATH = '/city/openapi.json';

import { escapeHtml } from './certificate.ts';

/**
 * The API reference page (`GET /docs`): a bar to switch between the district's document and the
 * city's, and a container Redoc renders the chosen one into. The scripts are files the API serves
 * (docs/assets/..., relative: a stage path stays), never inline and never from a CDN.
 */
export interface DocsPage {
  readonly api: 'district' | 'city';
  /** The title of the district's document (it names the district). */
  readonly title: string;
  /** The document Redoc renders. */
  readonly specUrl: string;
  /** False when the stack knows no city API (its tab is then left out). */
  readonly cityAvailable: boolean;
}

export function docsHtml(p: DocsPage): string {
  const e = escapeHtml;
  const tab = (api: 'district' | 'city', label: string) =>
    api === p.api ? `<a href="?api=${api}" aria-current="page">${label}</a>` : `<a href="?api=${api}">${label}</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${e(p.title)}: ${p.api === 'city' ? 'city API' : 'district API'} reference</title>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; }
  nav { position: sticky; top: 0; z-index: 10; height: 48px; display: flex; align-items: center; gap: 1.5em; padding: 0 1.5em; background: #a8201a; color: #fff; }
  nav strong { margin-right: auto; }
  nav a { color: #fff; text-decoration: none; padding: 0.3em 0.2em; }
  nav a[aria-current] { border-bottom: 2px solid #fff; font-weight: bold; }
</style>
</head>
<body>
<nav aria-label="APIs">
<strong>${e(p.title)}</strong>
${tab('district', 'District API')}
${p.cityAvailable ? tab('city', 'City API') : ''}
<a href="${e(p.specUrl)}">OpenAPI JSON</a>
</nav>
<main id="reference" data-spec-url="${e(p.specUrl)}"><noscript>This reference needs JavaScript; the document itself is at <a href="${e(p.specUrl)}">${e(p.specUrl)}</a>.</noscript></main>
<script src="docs/assets/redoc.standalone.js"></script>
<script src="docs/assets/docs.js"></script>
</body>
</html>
`;
}

import { Reply } from './api.ts';

/**
 * Replies other than the stack's JSON, with their headers chosen here rather than in handlers:
 * CSV downloads, HTML pages, publicly cacheable JSON, and the content negotiation that picks
 * HTML or JSON. A handler returns one of these instead of data.
 */

/** A CSV download: `text/csv; charset=utf-8`, an attachment named `fileName` (reduced to `A-Za-z0-9._-`), never cached. */
export function csvReply({ csv, fileName }: { readonly csv: string; readonly fileName: string }): Reply {
  return new Reply(200, csv, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
    'cache-control': 'no-store',
  });
}

/**
 * An HTML page we render ourselves (no scripts, inline styles only): a content security policy
 * that allows nothing else, no sniffing, no referrer, not framed, never cached. `status`: 404 for
 * the page that says what was not found.
 */
export function htmlReply(html: string, status = 200): Reply {
  return new Reply(status, html, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
}

/**
 * The API reference page: scripts from the API itself only (Redoc's build and the page's own, no
 * inline script), Redoc's search worker from a blob, its inline styles; it may fetch the documents
 * from this API and from `connect` (the city API's origin). Public, kept 5 minutes.
 */
export function docsPageReply(html: string, connect: readonly string[]): Reply {
  return new Reply(200, html, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'public, max-age=300',
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      'worker-src blob:',
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      ["connect-src 'self'", ...connect].join(' '),
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
}

/**
 * A static file of the reference page, gzip-compressed when the client takes gzip (base64 in the
 * Lambda result, as API Gateway wants binary bodies). Public, cached a day by browsers and shared caches.
 */
export function assetReply(
  body: { readonly text: string; readonly gzip: Buffer },
  contentType: string,
  acceptEncoding: string | undefined,
): Reply {
  const headers = {
    'content-type': contentType,
    'cache-control': 'public, max-age=86400',
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  };
  return acceptsGzip(acceptEncoding)
    ? new Reply(200, body.gzip.toString('base64'), { ...headers, 'content-encoding': 'gzip' }, true)
    : new Reply(200, body.text, headers);
}

/** True when Accept-Encoding takes gzip (or `*`) with a q above 0. */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [coding = '', ...params] = part.split(';').map((x) => x.trim());
    const q = params.find((p) => p.startsWith('q='));
    if ((coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0)) return true;
  }
  return false;
}

/** JSON that is public and the same for everyone: shared caches may keep it `maxAgeSeconds`. */
export function publicJsonReply(value: unknown, maxAgeSeconds: number): Reply {
  return new Reply(200, JSON.stringify(value), {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': `public, max-age=${maxAgeSeconds}`,
  });
}

/** True when the Accept header ranks text/html above JSON (a browser, or `Accept: text/html`). */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type, ...params] = part
      .toLowerCase()
      .split(';')
      .map((s) => s.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (type === 'text/html') html = Math.max(html, q);
    else if (type === 'application/json' || type === 'application/*') json = Math.max(json, q);
  }
  return html > json;
}

/** `html()` for clients that prefer HTML (prefersHtml), the JSON value otherwise. */
export function htmlOrJson<T>(accept: string | undefined, value: T, html: (value: T) => string): Reply | T {
  return prefersHtml(accept) ? htmlReply(html(value)) : value;
}

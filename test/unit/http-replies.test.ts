import { describe, expect, it } from 'vitest';
import { toResult } from '../../shared/http/api.ts';
import {
  acceptsGzip,
  assetReply,
  csvReply,
  docsPageReply,
  htmlOrJson,
  htmlReply,
  prefersHtml,
  publicJsonReply,
} from '../../shared/http/replies.ts';

/** The replies other than the stack's JSON (shared/http/replies.ts): their headers, and content negotiation. */

describe('Accept negotiation', () => {
  it('gives HTML to browsers and to Accept: text/html, JSON otherwise', () => {
    expect(prefersHtml('text/html')).toBe(true);
    expect(prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(true);
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('application/json')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('application/json, text/html;q=0.5')).toBe(false);
    expect(prefersHtml('text/html;q=0, application/json')).toBe(false);
    expect(prefersHtml('TEXT/HTML; q=1')).toBe(true);
  });
  it('reads q wherever it stands among the parameters, spaces or not', () => {
    expect(prefersHtml('application/json;q=0.4, text/html; q=0.5')).toBe(true);
    expect(prefersHtml('application/json; q=0.6, text/html;level=1;q=0.5')).toBe(false);
    expect(prefersHtml('text/html;level=1; q=0.5, application/json;q=0.6')).toBe(false);
    expect(prefersHtml('text/html;q=0.5;level=1, application/json;q=0.4')).toBe(true);
    expect(prefersHtml('text/html;level=1;q=0.5, application/json;q=0.4')).toBe(true);
  });
  it('application/* is JSON; a q that is not a number counts for nothing', () => {
    expect(prefersHtml('text/html;q=0.5, application/*')).toBe(false);
    expect(prefersHtml('text/html, application/json;q=abc')).toBe(true);
    expect(prefersHtml('text/html;q=abc, application/json;q=0.1')).toBe(false);
    expect(prefersHtml('text/html;q=Infinity, application/json;q=0.1')).toBe(false);
    expect(prefersHtml('')).toBe(false);
  });

  it('renders HTML only for clients that prefer it, and passes the value through otherwise', () => {
    const value = { n: '<1>' };
    const page = htmlOrJson('text/html', value, (v) => `<p>${v.n.replace('<', '&lt;')}</p>`);
    expect(toResult(200, page)).toMatchObject({ statusCode: 200, body: '<p>&lt;1></p>' });
    expect(htmlOrJson('application/json', value, () => 'never')).toBe(value);
    expect(htmlOrJson(undefined, value, () => 'never')).toBe(value);
  });
});

describe('replies', () => {
  it('CSV: UTF-8 text/csv, an attachment with a safe file name, never cached', () => {
    const r = toResult(
      200,
      csvReply({ csv: '\uFEFFa,b\r\n', fileName: 'pioneer-jinjiang-2026-10-district-jinjiang.csv' }),
    );
    expect(r).toEqual({
      statusCode: 200,
      body: '\uFEFFa,b\r\n',
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="pioneer-jinjiang-2026-10-district-jinjiang.csv"',
        'cache-control': 'no-store',
      },
    });
    const unsafe = csvReply({ csv: '', fileName: 'a"b\r\nset-cookie: x/../统计.csv' });
    expect(unsafe.headers['content-disposition']).toBe('attachment; filename="a_b__set-cookie__x_..___.csv"');
  });

  it('HTML: a content security policy that allows no scripts, no sniffing, no referrer, never cached', () => {
    expect(htmlReply('<p>x</p>').headers).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });

  it('public JSON: cacheable by shared caches for the given seconds', () => {
    const r = toResult(200, publicJsonReply({ a: 1 }, 300));
    expect(r).toEqual({
      statusCode: 200,
      body: '{"a":1}',
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
    });
  });
});

describe('the reference page and its scripts', () => {
  it('takes gzip only when Accept-Encoding does, with a q above 0', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('GZIP')).toBe(true);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('br')).toBe(false);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('x-gzip')).toBe(false);
  });

  it('a script: base64 gzip in the Lambda result when taken, the text otherwise; cached a day, varying by encoding', () => {
    const file = { text: 'let a = 1;', gzip: Buffer.from([0x1f, 0x8b, 1, 2]) };
    const zipped = toResult(200, assetReply(file, 'text/javascript; charset=utf-8', 'gzip'));
    expect(zipped).toMatchObject({
      statusCode: 200,
      isBase64Encoded: true,
      body: file.gzip.toString('base64'),
      headers: { 'content-encoding': 'gzip', vary: 'accept-encoding', 'cache-control': 'public, max-age=86400' },
    });
    const plain = toResult(200, assetReply(file, 'text/javascript; charset=utf-8', undefined));
    expect(plain.body).toBe('let a = 1;');
    expect(plain.isBase64Encoded).toBeUndefined();
    expect(plain.headers?.['content-encoding']).toBeUndefined();
  });

  it('a script’s headers, word for word: its type, public for a day, varying by encoding, never sniffed', () => {
    const file = { text: 'let a = 1;', gzip: Buffer.from([0x1f, 0x8b, 1, 2]) };
    const headers = {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
    };
    expect(assetReply(file, 'text/javascript; charset=utf-8', 'br').headers).toEqual(headers);
    expect(assetReply(file, 'text/javascript; charset=utf-8', 'gzip').headers).toEqual({
      ...headers,
      'content-encoding': 'gzip',
    });
  });

  it('reads q among the coding’s parameters, not the first parameter whatever it is', () => {
    // No q: taken, whatever other parameter stands there.
    expect(acceptsGzip('gzip;level=1')).toBe(true);
    // q=0 after another parameter: refused (the other parameter is not its q).
    expect(acceptsGzip('gzip;x=1;q=0')).toBe(false);
    expect(acceptsGzip('gzip;x=0;q=0.5')).toBe(true);
  });

  it('the page: scripts from the API only, fetches from the API and the named origins, cached 5 minutes', () => {
    const r = toResult(200, docsPageReply('<!doctype html>', ['https://city.example']));
    const csp = String(r.headers?.['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("connect-src 'self' https://city.example");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers?.['cache-control']).toBe('public, max-age=300');
    // Word for word: each directive, in order; Redoc's worker from a blob, its styles and inline
    // styles, images and fonts from the API or data URLs, nothing else.
    expect(r).toEqual({
      statusCode: 200,
      body: '<!doctype html>',
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'public, max-age=300',
        'content-security-policy':
          "default-src 'none'; script-src 'self'; worker-src blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' https://city.example; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      },
    });
    // Without other origins, fetches go to the API only.
    expect(docsPageReply('', []).headers['content-security-policy']).toContain("; connect-src 'self'; ");
  });

  it('an HTML page with another status: the not-found page', () => {
    expect(toResult(200, htmlReply('<p>no</p>', 404))).toMatchObject({
      statusCode: 404,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    });
  });
});

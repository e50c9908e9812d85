import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCS_ASSETS } from '../../shared/config/docs.ts';
import { docsHtml } from '../../shared/views/docs.ts';

/** The reference page's HTML (shared/views/docs.ts) and the files it loads (shared/config/docs.ts). */
describe('the API reference page', () => {
  it('loads only its two scripts, from the API, relative (a stage path stays), no inline script', () => {
    const html = docsHtml({ api: 'district', title: 'Pioneer API: x', specUrl: 'openapi.json', cityAvailable: true });
    expect([...html.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)].map((m) => [m[1], m[2]])).toEqual([
      [' src="docs/assets/redoc.standalone.js"', ''],
      [' src="docs/assets/docs.js"', ''],
    ]);
    expect(html).toContain('<a href="?api=district" aria-current="page">District API</a>');
    expect(html).toContain('<a href="?api=city">City API</a>');
  });

  it('leaves the city tab out when the stack knows no city API, and escapes what it shows', () => {
    const html = docsHtml({
      api: 'city',
      title: '<b>"x"</b>',
      specUrl: 'https://city.example/city/openapi.json?a=1&b="2"',
      cityAvailable: false,
    });
    expect(html).not.toContain('City API</a>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;b&gt;&quot;x&quot;&lt;/b&gt;');
    expect(html).toContain('data-spec-url="https://city.example/city/openapi.json?a=1&amp;b=&quot;2&quot;"');
  });

  it('serves files that exist in the project, each a script', () => {
    for (const [name, a] of Object.entries(DOCS_ASSETS)) {
      expect(name).toMatch(/^[a-z.]+\.js$/);
      expect(readFileSync(new URL(`../../${a.from}`, import.meta.url), 'utf8').length, name).toBeGreaterThan(100);
      expect(a.contentType).toBe('text/javascript; charset=utf-8');
    }
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCity } from '../../infra/local/city-bus.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { dynamoEndpoint, uniqueTableName } from '../support/table.ts';
import { ROUTE_SUMMARIES } from '../../shared/config/route-summaries.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * The API reference page as a browser sees it: headless Chromium (Debian's, installed by
 * scripts/ensure-chromium when missing: this file fails, never skips, when it cannot be) opens
 * /docs on the local server, which renders the district's document with Redoc from the API's own
 * scripts, then /docs?api=city, the city API's document (GET /city/openapi.json); both list
 * their routes. Then the page's and the scripts' headers over plain HTTP.
 */
const e2e = useE2e({ routes: [...ROUTES, ...CITY_ROUTES] });
const { api } = e2e;
const ROOT = path.resolve(import.meta.dirname, '..', '..');
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  // The city beside the district, as on the laptop: its function serves the city's document.
  await startLocalCity(dynamoEndpoint(), { tableName: uniqueTableName('city') });
  execFileSync(path.join(ROOT, 'scripts', 'ensure-chromium'), { stdio: ['ignore', 'inherit', 'inherit'] });
  profile = mkdtempSync(path.join(tmpdir(), 'pioneer-chromium-'));
  // A fresh, empty profile (Playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 240_000);
afterAll(async () => {
  setPublisher(undefined);
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Opens `path` in a new page; returns the texts Redoc rendered, and anything the console complained of. */
async function render(pathAndQuery: string, waitFor: string) {
  const page = await browser.newPage();
  const complaints: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') complaints.push(m.text());
  });
  page.on('pageerror', (err) => complaints.push(err.message));
  try {
    await page.goto(e2e.url + pathAndQuery, { waitUntil: 'load' });
    // Redoc renders each operation as a heading in the middle panel (the side menu's labels may be hidden).
    // Rendering the district's 130-odd operations takes a while on a loaded machine.
    await page.locator('h2', { hasText: waitFor }).first().waitFor({ timeout: 100_000 });
    return {
      text: (await page.locator('body').textContent()) ?? '',
      title: await page.title(),
      // Redoc's footer asks for its logo on Redocly's CDN: the page's policy refuses it (no CDN), which is what we want.
      complaints: complaints.filter(
        (c) => !/^Loading the image 'https:\/\/cdn\.redoc\.ly\/.*violates.*img-src/.test(c),
      ),
      blockedCdn: complaints.some((c) => c.includes('cdn.redoc.ly')),
    };
  } finally {
    await page.close();
  }
}

describe('the API reference page in headless Chromium', () => {
  it("renders the district's document: its routes are listed, with nothing refused by the page's policy", async () => {
    const page = await render('/docs', ROUTE_SUMMARIES['GET /members/me/certificates/{number}']!);
    expect(page.title).toContain('district API reference');
    for (const key of [
      'POST /members/me/certificates',
      'GET /certificates/{number}',
      'POST /wishes',
      'GET /stats/monthly.csv',
      'GET /docs',
    ])
      expect(page.text, key).toContain(ROUTE_SUMMARIES[key]);
    expect(page.text).toContain('City API');
    expect(page.complaints).toEqual([]);
  }, 180_000);

  it("renders the city's own document at ?api=city: the city's routes, and only those", async () => {
    const city = CITY_ROUTES.find((r) => r.path === '/city/stats/monthly.csv')!;
    const page = await render('/docs?api=city', city.summary!);
    expect(page.title).toContain('city API reference');
    for (const r of CITY_ROUTES) expect(page.text, r.path).toContain(r.summary);
    expect(page.text).not.toContain(ROUTE_SUMMARIES['POST /wishes']);
    expect(page.complaints).toEqual([]);
  }, 180_000);
});

describe('the page and its scripts over HTTP', () => {
  it('the page: HTML from the API, scripts only from the API, cached 5 minutes; a token changes nothing', async () => {
    const res = await api.get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    const scripts = [...res.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts).toEqual([' src="docs/assets/redoc.standalone.js"', ' src="docs/assets/docs.js"']);
    expect(res.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    expect(res.text).toContain('data-spec-url="openapi.json"');
    const city = await api.get('/docs?api=city', await mint.member('m-docs'));
    expect(city.status).toBe(200);
    expect(city.text).toContain(`data-spec-url="${e2e.url}/city/openapi.json"`);
  });

  it('the scripts: gzip when asked for, plain otherwise, cached a day', async () => {
    const plain = await fetch(`${e2e.url}/docs/assets/redoc.standalone.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const text = await plain.text();
    expect(text.length).toBeGreaterThan(500_000);
    // Node's fetch would inflate it on its own: read the bytes as they come, over plain HTTP.
    const { request } = await import('node:http');
    const zipped = await new Promise<{ status: number; encoding?: string; body: Buffer }>((resolve, reject) => {
      request(`${e2e.url}/docs/assets/redoc.standalone.js`, { headers: { 'accept-encoding': 'gzip, br' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () =>
          resolve({ status: r.statusCode ?? 0, encoding: r.headers['content-encoding'], body: Buffer.concat(chunks) }),
        );
      })
        .on('error', reject)
        .end();
    });
    expect(zipped.status).toBe(200);
    expect(zipped.encoding).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(text.length / 2);
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(text);
    const own = await api.get('/docs/assets/docs.js');
    expect(own.status).toBe(200);
    expect(own.text).toContain('Redoc.init');
  });

  it("the city API's own document: its routes only, its servers the city API's", async () => {
    const res = await api.get('/city/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.info.title).toBe('Pioneer City API');
    expect(Object.keys(res.body.paths).sort()).toEqual([...new Set(CITY_ROUTES.map((r) => r.path))].sort());
    expect(res.body.servers).toEqual([{ url: e2e.url, description: 'The city’s API' }]);
  });
});

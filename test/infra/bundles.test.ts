import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUNDLE_BYTES } from '../../infra/bundling.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { allFunctions, bundle } from '../bench/bundles.ts';
import { useFreshTable } from '../support/table.ts';

/**
 * The bundles Lambda runs, not just the sources the other tests import: each function, built
 * with the same esbuild options as CDK (aliases included), stays under 300 KB, and the bundles
 * answer real requests against DynamoDB Local with the credentials taken from the environment,
 * as in Lambda (the bundle-time credential shim is on that path).
 */
const files = new Map<string, string>();

beforeAll(async () => {
  for (const name of allFunctions()) files.set(name, await bundle(name));
}, 120_000);

function event(routeKey: string, rawPath: string, opts: { body?: unknown; claims?: Record<string, string> } = {}) {
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      requestId: 'bundle-test',
      routeKey,
      http: { method: routeKey.split(' ')[0], path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      ...(opts.claims ? { authorizer: { jwt: { claims: opts.claims, scopes: null } } } : {}),
    },
    ...(opts.body ? { body: JSON.stringify(opts.body), isBase64Encoded: false } : {}),
  };
}

const context = { awsRequestId: 'bundle-test', functionName: 'bundle-test', getRemainingTimeInMillis: () => 10_000 };

describe('function bundles', () => {
  it('each stays under 300 KB minified', () => {
    const sizes = Object.fromEntries([...files].map(([name, file]) => [name, readFileSync(file).length]));
    for (const [name, bytes] of Object.entries(sizes)) expect(bytes, name).toBeLessThan(MAX_BUNDLE_BYTES);
  });

  it('answer requests against DynamoDB Local with credentials from the environment', async () => {
    await useFreshTable();
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLAMBDA';
    process.env.AWS_SECRET_ACCESS_KEY = 'lambda-secret';
    process.env.AWS_SESSION_TOKEN = 'lambda-session';
    try {
      const platform = (await import(pathToFileURL(files.get('platform')!).href)) as { handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }> };
      const health = await platform.handler(event('GET /health', '/health'), context);
      expect(health.statusCode).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', table: 'reachable' });

      const members = (await import(pathToFileURL(files.get('members')!).href)) as typeof platform;
      const claims = { sub: 'admin-1', 'cognito:groups': '[district_admin]', 'custom:district': LOCAL_DISTRICT_ID };
      const created = await members.handler(event('POST /streets', '/streets', { body: { name: '街道' }, claims }), context);
      expect(created.statusCode).toBe(201);
      const bad = await members.handler(event('POST /streets', '/streets', { body: { name: '街道', x: 1 }, claims }), context);
      expect(bad.statusCode).toBe(400);
      expect(JSON.parse(bad.body).errors[0].message).toMatch(/Unrecognized key/);

      // Same context object as the calls before: no state (the last body) may leak between invocations.
      const docs = (await import(pathToFileURL(files.get('docs')!).href)) as typeof platform;
      const doc = await docs.handler(event('GET /openapi.json', '/openapi.json'), context);
      expect(JSON.parse(doc.body).openapi, doc.body.slice(0, 300)).toBe('3.1.0');
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      delete process.env.AWS_SESSION_TOKEN;
    }
  });
});

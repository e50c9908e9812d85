import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import type { RouteEntry } from '../../shared/config/routes.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { httpFunction, route, type Contract } from '../../shared/http/api.ts';
import { setLogSink } from '../../shared/http/logger.ts';
import { captureMetrics } from '../support/metrics.ts';

/**
 * The HTTP stack itself (shared/http/api.ts), on a route table of its own, so nothing here needs
 * the database: the middlewares run in the order the README states, under the names middy's
 * plugin hooks see; per-request state never survives into the next invocation, even when Lambda
 * hands the same context object to both.
 */
const TABLE: readonly RouteEntry[] = [
  { method: 'POST', path: '/echo', function: 'test', auth: 'jwt', roles: 'signed-in', access: 'RO', summary: 'echo' },
  { method: 'GET', path: '/fail', function: 'test', auth: 'public', roles: 'anyone', access: 'RO', summary: 'fail' },
  { method: 'POST', path: '/lost', function: 'test', auth: 'public', roles: 'anyone', access: 'RW', summary: 'lost' },
  { method: 'POST', path: '/taken', function: 'test', auth: 'public', roles: 'anyone', access: 'RW', summary: 'taken' },
];
/** What the document needs of a contract, which this stack test does not look at. */
const DOC = { tag: 'platform', errors: [], examples: {} } as const;
const echo = {
  method: 'POST',
  path: '/echo',
  body: z.strictObject({ name: z.string() }),
  ...DOC,
} satisfies Contract;
const fail = { method: 'GET', path: '/fail', ...DOC } satisfies Contract;
const lost = { method: 'POST', path: '/lost', ...DOC } satisfies Contract;
const taken = { method: 'POST', path: '/taken', ...DOC } satisfies Contract;

const names: string[] = [];
const handler = httpFunction(
  TABLE,
  [
    route(echo, async ({ caller, body }) => ({ sub: caller.sub, name: body.name })),
    route(fail, async () => {
      throw new Error('boom');
    }),
    route(lost, async () => {
      throw new DomainError('CONCURRENT_UPDATE', 'lost to the others');
    }),
    route(taken, async () => {
      throw new DomainError('ALREADY_CHECKED_IN', 'checked in already');
    }),
  ],
  { plugin: { beforeMiddleware: (name) => names.push(name) } },
);

const claims = (sub: string) => ({
  sub,
  'cognito:groups': '[member]',
  'custom:district': LOCAL_DISTRICT_ID,
  'custom:memberId': sub,
});

function event(routeKey: string, opts: { body?: unknown; claims?: Record<string, string> } = {}) {
  const [method, rawPath] = routeKey.split(' ') as [string, string];
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'Content-Type': 'application/json' } as Record<string, string>,
    requestContext: {
      requestId: `r-${Math.random()}`,
      routeKey,
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      ...(opts.claims ? { authorizer: { jwt: { claims: opts.claims, scopes: null } } } : {}),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body), isBase64Encoded: false } : {}),
  };
}

type Call = { statusCode: number; headers: Record<string, string>; body: string };
const call = (e: unknown, context: object) => handler(e as never, context as Context) as Promise<Call>;

/** The middleware names of the README's "HTTP stack" paragraph, in its order (up to the handler). */
function readmeOrder(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const paragraph = readme.slice(readme.indexOf('**The HTTP stack**'));
  const list = paragraph.slice(paragraph.indexOf('in order:'), paragraph.indexOf('then the handler'));
  return [...list.matchAll(/(?:in order:|→)\s*`([A-Za-z]+)`/g)].map((m) => m[1]!);
}

const logs: string[] = [];

beforeAll(() => {
  setLogSink((line) => logs.push(line));
  process.env.TABLE_NAME ??= 'unused';
  process.env.DISTRICT_ID = LOCAL_DISTRICT_ID;
});

describe('the HTTP stack', () => {
  it('runs named middlewares in the order the README states', async () => {
    const order = readmeOrder();
    expect(order).toHaveLength(8);

    names.length = 0;
    const ok = await call(event('POST /echo', { body: { name: 'a' }, claims: claims('m-1') }), { awsRequestId: 'a' });
    expect(ok.statusCode).toBe(200);
    const withBefore = order.filter((n) => n !== 'problemJson');
    const afters = ['httpCors', 'requestLog'].sort((a, b) => order.indexOf(b) - order.indexOf(a));
    expect(names).toEqual([
      ...withBefore.map((n) => `${n}MiddlewareBefore`),
      ...afters.map((n) => `${n}MiddlewareAfter`),
    ]);

    names.length = 0;
    const failed = await call(event('GET /fail'), { awsRequestId: 'b' });
    expect(failed.statusCode).toBe(500);
    expect(failed.headers['content-type']).toBe('application/problem+json');
    expect(logs.some((l) => JSON.parse(l).msg === 'unhandled error')).toBe(true);
    const onErrors = ['httpCors', 'requestLog', 'problemJson'].sort((a, b) => order.indexOf(b) - order.indexOf(a));
    expect(names.slice(withBefore.length)).toEqual(onErrors.map((n) => `${n}MiddlewareOnError`));
  });

  it('keeps no request state across invocations, with one context object reused for all', async () => {
    const context = { awsRequestId: 'reused', functionName: 'test', getRemainingTimeInMillis: () => 10_000 };
    const keys = Object.keys(context).sort();

    const first = await call(event('POST /echo', { body: { name: 'first' }, claims: claims('m-1') }), context);
    expect(JSON.parse(first.body)).toEqual({ sub: 'm-1', name: 'first' });

    // No body: the last body must not be seen again.
    const noBody = await call(event('POST /echo', { claims: claims('m-1') }), context);
    expect(noBody.statusCode).toBe(400);
    expect(JSON.parse(noBody.body).errors).toEqual([{ field: 'body', message: expect.any(String) }]);

    // No token: the last caller must not be seen again.
    const noCaller = await call(event('POST /echo', { body: { name: 'x' } }), context);
    expect(noCaller.statusCode).toBe(401);

    // Another caller on the same context gets their own identity.
    const second = await call(event('POST /echo', { body: { name: 'second' }, claims: claims('m-2') }), context);
    expect(JSON.parse(second.body)).toEqual({ sub: 'm-2', name: 'second' });

    // The stack leaves the Lambda context as it found it.
    expect(Object.keys(context).sort()).toEqual(keys);
  });

  it('counts a 409 CONCURRENT_UPDATE in ConcurrentUpdates, by district only (the api-contention alarm), and no other 409', async () => {
    const metrics = captureMetrics();
    try {
      const context = { awsRequestId: 'c', functionName: `pioneer-${LOCAL_DISTRICT_ID}-test` };
      const gaveUp = await call(event('POST /lost'), context);
      expect(gaveUp.statusCode).toBe(409);
      expect(JSON.parse(gaveUp.body).code).toBe('CONCURRENT_UPDATE');
      // Counted by the request that gave up, as it ends.
      expect(metrics.documents).toHaveLength(1);
      const other = await call(event('POST /taken'), context);
      expect(other.statusCode).toBe(409);
      // The other 409 adds nothing.
      expect(metrics.documents).toHaveLength(1);
      const doc = metrics.documents[0] as { _aws: { CloudWatchMetrics: unknown[] } } & Record<string, unknown>;
      expect(doc._aws.CloudWatchMetrics).toEqual([
        { Namespace: 'Pioneer', Dimensions: [['District']], Metrics: [{ Name: 'ConcurrentUpdates', Unit: 'Count' }] },
      ]);
      // The function's short name, from Lambda's (pioneer-<district>-test).
      expect(doc).toMatchObject({ District: LOCAL_DISTRICT_ID, Function: 'test', ConcurrentUpdates: 1 });
    } finally {
      metrics.stop();
    }
  });

  it('refuses, when built, a route that is not in its table', () => {
    const other = { method: 'GET', path: '/elsewhere', ...DOC } satisfies Contract;
    expect(() => httpFunction(TABLE, [route(other, async () => ({}))])).toThrow(
      /GET \/elsewhere is not in this function's route table/,
    );
  });
});

import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import type { RouteEntry } from '../../shared/config/routes.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { httpFunction, MAX_BODY_BYTES, Reply, route, toResult, type Contract } from '../../shared/http/api.ts';
import type { withIdempotency } from '../../shared/http/idempotency.ts';
import { setLogSink } from '../../shared/http/logger.ts';

/**
 * Each middleware of the HTTP stack (shared/http/api.ts) on a route table of its own, without the
 * database: who gets through the authorizer, what the body parser accepts, how validation names
 * fields, what the request log and the problem documents say, and when Idempotency-Key applies.
 */
const TABLE: readonly RouteEntry[] = [
  {
    method: 'POST',
    path: '/things',
    function: 'test',
    auth: 'jwt',
    roles: ['community_admin', 'street_admin'],
    access: 'RW',
    summary: 'create',
  },
  {
    method: 'GET',
    path: '/things/{id}',
    function: 'test',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RO',
    summary: 'read',
  },
  {
    method: 'DELETE',
    path: '/things/{id}',
    function: 'test',
    auth: 'jwt',
    roles: 'signed-in',
    access: 'RW',
    summary: 'd',
  },
  { method: 'GET', path: '/public', function: 'test', auth: 'public', roles: 'anyone', access: 'RO', summary: 'p' },
  { method: 'GET', path: '/down', function: 'test', auth: 'public', roles: 'anyone', access: 'RO', summary: 'down' },
];
/** What the OpenAPI document needs of a contract; nothing the HTTP stack reads. */
const described = { tag: 'platform', errors: [], examples: {} } as const;
const create = {
  method: 'POST',
  path: '/things',
  body: z.strictObject({ name: z.string().check(z.minLength(2)) }),
  status: 201,
  idempotent: true,
  ...described,
} satisfies Contract;
const read = {
  method: 'GET',
  path: '/things/{id}',
  params: z.strictObject({ id: z.string().check(z.minLength(3)) }),
  query: z.strictObject({ limit: z.optional(z.string().check(z.regex(/^\d+$/))) }),
  ...described,
} satisfies Contract;
const remove = {
  method: 'DELETE',
  path: '/things/{id}',
  params: z.strictObject({ id: z.string() }),
  status: 204,
  ...described,
} satisfies Contract;
const pub = { method: 'GET', path: '/public', ...described } satisfies Contract;
const down = { method: 'GET', path: '/down', ...described } satisfies Contract;

const idempotencyCalls: Parameters<typeof withIdempotency>[0][] = [];
const handler = httpFunction(
  TABLE,
  [
    route(create, async ({ body, caller }) => ({ name: body.name, by: caller.sub })),
    route(read, async ({ params, query, caller, requestId, headers }) => ({
      id: params.id,
      limit: query.limit ?? null,
      sub: caller.sub,
      roles: [...caller.roles],
      requestId,
      accept: headers.accept ?? null,
    })),
    route(remove, async () => ({ ignored: true })),
    route(
      pub,
      async ({ caller }) => new Reply(202, `public ${caller === undefined}`, { 'content-type': 'text/plain' }),
    ),
    route(down, async () => {
      throw new DomainError('UNAVAILABLE', 'the table does not answer', { retryAfter: 5, table: 'district' });
    }),
  ],
  {
    idempotency: async (req, run) => {
      idempotencyCalls.push(req);
      return run();
    },
  },
);

type Call = { statusCode: number; headers: Record<string, string>; body: string };
const member = (over: Record<string, string> = {}) => ({
  sub: 'u-1',
  'cognito:groups': '[member]',
  'custom:district': LOCAL_DISTRICT_ID,
  ...over,
});
function ev(
  routeKey: string,
  opts: {
    body?: string;
    base64?: boolean;
    claims?: Record<string, string>;
    headers?: Record<string, string>;
    params?: Record<string, string>;
    query?: Record<string, string>;
    requestId?: string | null;
  } = {},
) {
  const [method, rawPath] = routeKey.split(' ') as [string, string];
  return {
    version: '2.0',
    routeKey,
    rawPath: opts.params?.id ? rawPath.replace('{id}', opts.params.id) : rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...opts.headers },
    ...(opts.params ? { pathParameters: opts.params } : {}),
    ...(opts.query ? { queryStringParameters: opts.query } : {}),
    requestContext: {
      ...(opts.requestId === null ? {} : { requestId: opts.requestId ?? 'req-1' }),
      routeKey,
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      ...(opts.claims ? { authorizer: { jwt: { claims: opts.claims, scopes: null } } } : {}),
    },
    ...(opts.body !== undefined ? { body: opts.body, isBase64Encoded: opts.base64 ?? false } : {}),
  };
}
const call = (e: unknown) => handler(e as never, { awsRequestId: 'aws-9' } as Context) as Promise<Call>;
const problem = async (e: unknown): Promise<Record<string, unknown> & { status: number }> => {
  const res = await call(e);
  return { ...(JSON.parse(res.body) as Record<string, unknown>), status: res.statusCode };
};

let lines: string[] = [];
let restore: () => void = () => undefined;
const saved = { level: process.env.LOG_LEVEL, district: process.env.DISTRICT_ID };
beforeAll(() => {
  restore = setLogSink((l) => lines.push(l));
  process.env.DISTRICT_ID = LOCAL_DISTRICT_ID;
  process.env.LOG_LEVEL = 'info';
});
afterAll(() => {
  restore();
  process.env.LOG_LEVEL = saved.level;
  process.env.DISTRICT_ID = saved.district;
});
beforeEach(() => {
  lines = [];
  idempotencyCalls.length = 0;
});
const logs = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const admin = member({ 'cognito:groups': '[community_admin]' });

describe('routes', () => {
  it('a route key the function does not serve is 404 ROUTE_NOT_FOUND, naming it', async () => {
    expect(await problem(ev('GET /nowhere'))).toMatchObject({
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      detail: 'no route GET /nowhere',
    });
  });
  it('a JSON reply: the contract’s status, JSON headers, never cached; a 204 has no body', async () => {
    const res = await call(ev('GET /things/{id}', { claims: member(), params: { id: 'abc' } }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const gone = await call(ev('DELETE /things/{id}', { claims: member(), params: { id: 'abc' } }));
    expect(gone.statusCode).toBe(204);
    expect(gone.body).toBe('');
  });
  it('a Reply keeps its own status, body and headers', async () => {
    const res = await call(ev('GET /public'));
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('public true');
    expect(res.headers['content-type']).toBe('text/plain');
    expect(toResult(200, new Reply(201, 'x'))).toEqual({ statusCode: 201, headers: {}, body: 'x' });
    expect(toResult(204, { a: 1 }).body).toBe('');
    expect(toResult(200, { a: 1 }).body).toBe('{"a":1}');
  });
  it('CORS headers on every reply, errors included', async () => {
    for (const e of [
      ev('GET /public', { headers: { origin: 'https://app.example' } }),
      ev('GET /nowhere', { headers: { origin: 'https://app.example' } }),
    ]) {
      const res = await call(e);
      expect(res.headers).toMatchObject({
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Headers': 'authorization,content-type,idempotency-key',
        'Access-Control-Allow-Methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
        'Access-Control-Expose-Headers':
          'idempotency-replayed,retry-after,content-disposition,www-authenticate,content-encoding',
        'Access-Control-Max-Age': '600',
      });
    }
  });
  it('the route gets the caller, the headers and the request id (API Gateway’s, else Lambda’s)', async () => {
    const body = async (requestId?: string | null) =>
      JSON.parse(
        (
          await call(
            ev('GET /things/{id}', {
              claims: member({ 'cognito:groups': '[member team_leader]' }),
              params: { id: 'abc' },
              query: { limit: '5' },
              headers: { accept: 'text/html' },
              requestId,
            }),
          )
        ).body,
      );
    expect(await body()).toEqual({
      id: 'abc',
      limit: '5',
      sub: 'u-1',
      roles: ['member', 'team_leader'],
      requestId: 'req-1',
      accept: 'text/html',
    });
    expect((await body(null)).requestId).toBe('aws-9');
  });
});

describe('the authorizer', () => {
  it('no claims, or claims without a role: 401', async () => {
    expect(await problem(ev('GET /things/{id}', { params: { id: 'abc' } }))).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
      detail: 'the token does not name a caller with a role',
    });
    expect(
      (await problem(ev('GET /things/{id}', { claims: member({ 'cognito:groups': '[root]' }), params: { id: 'abc' } })))
        .status,
    ).toBe(401);
  });
  it('an authorizer context without a JWT is no token', async () => {
    const e = ev('GET /things/{id}', { params: { id: 'abc' } });
    Object.assign(e.requestContext, { authorizer: {} });
    expect((await problem(e)).code).toBe('UNAUTHORIZED');
  });
  it('a token of another district: 403 WRONG_DISTRICT, unless a city admin’s', async () => {
    expect(
      await problem(ev('GET /things/{id}', { claims: member({ 'custom:district': 'wuhou' }), params: { id: 'abc' } })),
    ).toMatchObject({ status: 403, code: 'WRONG_DISTRICT', detail: `this API serves district ${LOCAL_DISTRICT_ID}` });
    const noDistrict = { sub: 'u-1', 'cognito:groups': '[member]' };
    expect((await problem(ev('GET /things/{id}', { claims: noDistrict, params: { id: 'abc' } }))).code).toBe(
      'WRONG_DISTRICT',
    );
    const city = { sub: 'c-1', 'cognito:groups': '[city_admin]', 'custom:district': 'city' };
    expect((await call(ev('GET /things/{id}', { claims: city, params: { id: 'abc' } }))).statusCode).toBe(200);
  });
  it('a role the route does not list: 403 FORBIDDEN, naming the roles; any listed role passes', async () => {
    expect(await problem(ev('POST /things', { claims: member(), body: '{"name":"ab"}' }))).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      detail: 'this route is for: community_admin, street_admin',
    });
    for (const role of ['community_admin', 'street_admin'])
      expect(
        (await call(ev('POST /things', { claims: member({ 'cognito:groups': `[${role}]` }), body: '{"name":"ab"}' })))
          .statusCode,
      ).toBe(201);
  });
  it('a public route needs no token, and ignores one', async () => {
    expect((await call(ev('GET /public', { claims: member({ 'custom:district': 'wuhou' }) }))).body).toBe(
      'public true',
    );
  });
  it('the request log names the caller', async () => {
    await call(ev('GET /things/{id}', { claims: member(), params: { id: 'abc' } }));
    expect(logs().at(-1)).toMatchObject({ msg: 'request', sub: 'u-1', roles: ['member'] });
  });
});

describe('the body', () => {
  const post = (body: string, headers: Record<string, string> = {}, base64 = false) =>
    problem(ev('POST /things', { claims: admin, body, headers, base64 }));
  it('JSON, with a charset or as a +json type, or base64-encoded', async () => {
    expect((await post('{"name":"ab"}', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
    expect((await post('{"name":"ab"}', { 'content-type': 'Application/JSON' })).status).toBe(201);
    expect((await post('{"name":"ab"}', { 'content-type': ' application/json ; charset=utf-8' })).status).toBe(201);
    expect((await post('{"name":"ab"}', { 'content-type': 'application/merge-patch+json' })).status).toBe(201);
    const b64 = Buffer.from('{"name":"北京"}').toString('base64');
    expect(await post(b64, {}, true)).toMatchObject({ status: 201, name: '北京' });
  });
  it('another type is 415; no type at all too', async () => {
    expect(await post('{"name":"ab"}', { 'content-type': 'text/plain' })).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: 'send the body as application/json',
    });
    const untyped = ev('POST /things', { claims: admin, body: '{"name":"ab"}' });
    delete (untyped.headers as Record<string, string | undefined>)['content-type'];
    expect((await problem(untyped)).status).toBe(415);
    expect((await post('{"name":"ab"}', { 'content-type': 'application/jsonx' })).status).toBe(415);
    expect((await post('{"name":"ab"}', { 'content-type': '+json/text' })).status).toBe(415);
  });
  it('bad JSON is 400 MALFORMED_JSON', async () => {
    expect(await post('{"name":')).toMatchObject({
      status: 400,
      code: 'MALFORMED_JSON',
      detail: 'the body is not valid JSON',
    });
  });
  it('at most 64 KB, counted in UTF-8 bytes: 413 beyond', async () => {
    const name = (bytes: number) => `{"name":"${'a'.repeat(bytes - 11)}"}`;
    expect(Buffer.byteLength(name(MAX_BODY_BYTES))).toBe(MAX_BODY_BYTES);
    expect((await post(name(MAX_BODY_BYTES))).status).toBe(201);
    expect(await post(name(MAX_BODY_BYTES + 1))).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      detail: `the body may be at most ${MAX_BODY_BYTES} bytes`,
    });
    // 22,000 characters of three bytes each: under the limit in characters, over it in bytes.
    expect((await post(`{"name":"${'北'.repeat(22_000)}"}`)).status).toBe(413);
  });
  it('an empty body is no body', async () => {
    expect(await post('')).toMatchObject({ status: 400, errors: [{ field: 'body', message: expect.any(String) }] });
  });
});

describe('validation', () => {
  it('names each bad field by where it is: params, query, body', async () => {
    const bad = await problem(
      ev('GET /things/{id}', { claims: member(), params: { id: 'ab' }, query: { limit: 'many', extra: '1' } }),
    );
    expect(bad).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'see errors for each field' });
    const fields = (bad.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['params.id', 'query', 'query.limit']);
    expect(
      ((await problem(ev('POST /things', { claims: admin, body: '{"name":"a"}' }))).errors as { field: string }[]).map(
        (e) => e.field,
      ),
    ).toEqual(['body.name']);
  });
  it('a route without a query or body schema takes none', async () => {
    expect((await problem(ev('GET /public', { query: { a: '1' } }))).errors).toEqual([
      { field: 'query', message: expect.any(String) },
    ]);
    expect((await problem(ev('GET /public', { body: '{"a":1}' }))).errors).toEqual([
      { field: 'body', message: expect.any(String) },
    ]);
    expect((await call(ev('GET /public', { body: '{}' }))).statusCode).toBe(202);
  });
});

describe('logs and problems', () => {
  it('one request line per request, with its ids, route, district, status and time', async () => {
    await call(ev('GET /things/{id}', { claims: member(), params: { id: 'abc' } }));
    await call(ev('GET /nowhere', { requestId: 'req-2' }));
    const requests = logs().filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      level: 'info',
      requestId: 'req-1',
      awsRequestId: 'aws-9',
      routeKey: 'GET /things/{id}',
      district: LOCAL_DISTRICT_ID,
      status: 200,
    });
    expect(requests[1]).toMatchObject({ requestId: 'req-2', routeKey: 'GET /nowhere', status: 404 });
    for (const r of requests) {
      expect(r.ms).toEqual(expect.any(Number));
      expect(r.ms as number).toBeGreaterThanOrEqual(0);
      expect(r.ms as number).toBeLessThan(10_000);
    }
  });
  it('a 5xx is logged with its cause, never shown; a 4xx is not logged as an error', async () => {
    const res = await call(ev('GET /down'));
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['retry-after']).toBe('5');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'UNAVAILABLE', table: 'district' });
    expect(JSON.parse(res.body)).not.toHaveProperty('retryAfter');
    const errors = logs().filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        msg: 'unhandled error',
        errorName: 'DomainError',
        errorMessage: expect.stringContaining('UNAVAILABLE'),
      }),
    ]);
    lines = [];
    await call(ev('GET /nowhere'));
    expect(logs().filter((l) => l.level === 'error')).toEqual([]);
  });
  it('the cause of a 5xx is logged beside it', async () => {
    const failing = httpFunction(
      [TABLE[4]!],
      [
        route(down, async () => {
          throw new DomainError('UNAVAILABLE', 'no table', { cause: undefined });
        }),
      ],
    );
    const err = new Error('wrapped');
    Object.assign(err, { cause: new TypeError('socket hang up 13812345678') });
    const withCause = httpFunction(
      [TABLE[4]!],
      [
        route(down, async () => {
          throw err;
        }),
      ],
    );
    await (withCause as unknown as (e: unknown, c: unknown) => Promise<Call>)(ev('GET /down'), { awsRequestId: 'x' });
    const logged = logs().find((l) => l.msg === 'unhandled error')!;
    expect(logged.cause).toEqual(
      expect.objectContaining({ errorName: 'TypeError', errorMessage: 'socket hang up [phone]' }),
    );
    lines = [];
    await (failing as unknown as (e: unknown, c: unknown) => Promise<Call>)(ev('GET /down'), { awsRequestId: 'x' });
    expect(logs().find((l) => l.msg === 'unhandled error')).not.toHaveProperty('cause');
  });
});

describe('Idempotency-Key', () => {
  it('an idempotent route goes through the key store with the key, caller, route, path and body', async () => {
    const res = await call(
      ev('POST /things', { claims: admin, body: '{"name":"ab"}', headers: { 'idempotency-key': 'key-12345678' } }),
    );
    expect(res.statusCode).toBe(201);
    expect(idempotencyCalls).toEqual([
      {
        key: 'key-12345678',
        caller: expect.objectContaining({ sub: 'u-1' }),
        routeKey: 'POST /things',
        path: '/things',
        body: { name: 'ab' },
        render: expect.any(Function),
        log: expect.objectContaining({ error: expect.any(Function) }),
      },
    ]);
    // What the key stores is the route's answer as this route answers it: its status, JSON.
    expect(idempotencyCalls[0]!.render({ name: 'ab' })).toMatchObject({
      statusCode: 201,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"name":"ab"}',
    });
  });
  it('other routes never do', async () => {
    await call(
      ev('GET /things/{id}', {
        claims: member(),
        params: { id: 'abc' },
        headers: { 'idempotency-key': 'key-12345678' },
      }),
    );
    expect(idempotencyCalls).toEqual([]);
  });
  it('a function with an idempotent route cannot be built without the key store', () => {
    expect(() => httpFunction(TABLE, [route(create, async () => ({})), route(read, async () => ({}))])).toThrow(
      'idempotent routes need options.idempotency: POST /things',
    );
  });
});

import { fileURLToPath } from 'node:url';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../shared/config/routes.ts';
import type { ScheduleEntry } from '../../shared/config/schedules.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { functionSpecs } from '../../infra/catalog.ts';
import { startLocalServer, type LocalServer } from '../../infra/local/server.ts';
import { api, startTestServer, token, type TestServer } from '../support/server.ts';

/**
 * The API Gateway HTTP API emulator itself, against a test-only echo function
 * (test/support/echo-function) that returns the event it received.
 */
const SUPPORT_DIR = fileURLToPath(new URL('../support/', import.meta.url));
const ECHO = 'echo-function';
const r = (method: RouteEntry['method'], path: string, auth: RouteEntry['auth'] = 'public'): RouteEntry => ({
  method,
  path,
  function: ECHO,
  auth,
  roles: auth === 'public' ? 'anyone' : 'signed-in',
  access: 'RO',
  summary: `test route ${method} ${path}`,
});
const ROUTES: RouteEntry[] = [
  r('GET', '/echo'),
  r('POST', '/echo'),
  r('GET', '/echo/private', 'jwt'),
  r('POST', '/echo/private', 'jwt'),
  r('GET', '/echo/items/{id}'),
  r('GET', '/echo/items/special'),
  r('GET', '/echo/a/{x}/b/{y}'),
  r('GET', '/echo/files/{path+}'),
  ...['throw', 'plain', 'string', 'bad-body', 'binary', 'cookies', 'slow'].map((p) => r('GET', `/echo/x/${p}`)),
];
const SCHEDULES: ScheduleEntry[] = [
  {
    name: 'echo-job',
    description: 'test job',
    cron: 'cron(0 3 * * ? *)',
    timeZone: 'Asia/Shanghai',
    function: ECHO,
    access: 'RO',
  },
];

let server: LocalServer;
let call: ReturnType<typeof api>;
let member: string;

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    quiet: true,
    routes: ROUTES,
    schedules: SCHEDULES,
    functionsDir: SUPPORT_DIR,
    // A district function that uses nothing but the district's id.
    functions: functionSpecs('district', { routes: ROUTES, schedules: SCHEDULES, declared: { [ECHO]: {} } }),
    integrationTimeoutMs: 800,
  });
  call = api(server.url);
  member = await token('member', { memberId: 'm-1', communityId: 'c-1' });
});

afterAll(async () => {
  await server?.close();
});

/** The event the echo function received. */
// biome-ignore lint/suspicious/noExplicitAny: the echoed event is read field by field, as the handler would
const eventOf = (res: { json: { event: Record<string, any> } }) => res.json.event;

describe('routing', () => {
  it('answers 404 {"message":"Not Found"} for a path no route has', async () => {
    const res = await call.get('/nope');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: 'Not Found' });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['apigw-requestid']).toBeTruthy();
  });

  it('answers 404 for a path that exists with another method, as HTTP API does', async () => {
    expect((await call.request('DELETE', '/echo')).status).toBe(404);
    expect((await call.request('PUT', '/echo/items/1')).status).toBe(404);
  });

  it('a {param} matches exactly one non-empty segment; a trailing slash is another path', async () => {
    expect((await call.get('/echo/items/')).status).toBe(404);
    expect((await call.get('/echo/items/1/2')).status).toBe(404);
    expect((await call.get('/echo/')).status).toBe(404);
  });

  it('passes decoded path parameters and the route key; rawPath stays as sent', async () => {
    const res = await call.get('/echo/items/a%20b%2Fc%E4%B8%AD');
    expect(res.status).toBe(200);
    const e = eventOf(res);
    expect(e.routeKey).toBe('GET /echo/items/{id}');
    expect(e.requestContext.routeKey).toBe('GET /echo/items/{id}');
    expect(e.rawPath).toBe('/echo/items/a%20b%2Fc%E4%B8%AD');
    expect(e.pathParameters).toEqual({ id: 'a b/c中' });
  });

  it('prefers the most specific route (a literal segment over a parameter)', async () => {
    expect(eventOf(await call.get('/echo/items/special')).routeKey).toBe('GET /echo/items/special');
    expect(eventOf(await call.get('/echo/items/specials')).routeKey).toBe('GET /echo/items/{id}');
  });

  it('handles several parameters and a greedy {path+}', async () => {
    expect(eventOf(await call.get('/echo/a/1/b/2')).pathParameters).toEqual({ x: '1', y: '2' });
    expect(eventOf(await call.get('/echo/files/d/e/f.txt')).pathParameters).toEqual({ path: 'd/e/f.txt' });
  });

  it('has no pathParameters or queryStringParameters when there are none', async () => {
    const e = eventOf(await call.get('/echo'));
    expect(e).not.toHaveProperty('pathParameters');
    expect(e).not.toHaveProperty('queryStringParameters');
    expect(e).not.toHaveProperty('body');
    expect(e.isBase64Encoded).toBe(false);
    expect(e.rawQueryString).toBe('');
  });
});

describe('payload format 2.0', () => {
  it('builds the event API Gateway builds', async () => {
    const res = await call.get('/echo?b=x%20y&a=1&a=2&flag', {
      headers: { 'X-Custom': 'One', cookie: 'c1=v1; c2=v2', 'user-agent': 'vitest-agent' },
    });
    const e = eventOf(res);
    expect(e.version).toBe('2.0');
    expect(e.rawQueryString).toBe('b=x%20y&a=1&a=2&flag');
    expect(e.queryStringParameters).toEqual({ a: '1,2', b: 'x y', flag: '' });
    expect(e.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(e.headers['x-custom']).toBe('One');
    expect(e.headers).not.toHaveProperty('cookie');
    expect(e.headers['x-forwarded-proto']).toBe('http');
    expect(e.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(Object.keys(e.headers).every((k: string) => k === k.toLowerCase())).toBe(true);
    expect(e.requestContext).toMatchObject({
      accountId: 'local',
      apiId: 'local',
      domainName: `127.0.0.1:${server.port}`,
      stage: '$default',
      http: { method: 'GET', path: '/echo', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest-agent' },
    });
    expect(e.requestContext.requestId).toBe(res.headers['apigw-requestid']);
    expect(e.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(e.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(e.requestContext).not.toHaveProperty('authorizer');
  });

  it('joins repeated headers with commas', async () => {
    const res = await call.get('/echo', { headers: { 'x-multi': 'a' } });
    expect(eventOf(res).headers['x-multi']).toBe('a');
    // fetch joins repeated headers itself; send two raw ones with node:http.
    const http = await import('node:http');
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request(`${server.url}/echo`, (res) => {
        let s = '';
        res
          .setEncoding('utf8')
          .on('data', (c: string) => (s += c))
          .on('end', () => resolve(s));
      });
      req.on('error', reject);
      req.setHeader('x-multi', ['a', 'b']); // two header lines
      req.end();
    });
    expect(JSON.parse(body).event.headers['x-multi']).toBe('a,b');
  });

  it('passes a text body as utf8 and a binary one base64-encoded', async () => {
    const text = eventOf(await call.post('/echo', { name: '王建国' }));
    expect(text.body).toBe('{"name":"王建国"}');
    expect(text.isBase64Encoded).toBe(false);
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const bin = eventOf(
      await call.request('POST', '/echo', { raw: bytes, headers: { 'content-type': 'application/octet-stream' } }),
    );
    expect(bin.isBase64Encoded).toBe(true);
    expect(Buffer.from(bin.body, 'base64')).toEqual(Buffer.from(bytes));
  });

  it('gives the handler a Lambda context', async () => {
    const res = await call.get('/echo');
    // Named as Lambda names it: pioneer-<district>-<function>.
    expect(res.json.context.functionName).toBe(`pioneer-${LOCAL_DISTRICT_ID}-${ECHO}`);
    expect(res.json.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.context.remainingMs).toBeGreaterThan(0);
  });

  it('refuses a body over 10 MB with 413 before the handler', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024 + 1);
    const res = await call.request('POST', '/echo', { raw: big, headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(413);
    expect(res.json).toEqual({ message: 'Request Entity Too Large' });
    const ok = await call.request('POST', '/echo', {
      raw: 'y'.repeat(1024 * 1024),
      headers: { 'content-type': 'text/plain' },
    });
    expect(ok.status).toBe(200);
    expect(eventOf(ok).body).toHaveLength(1024 * 1024);
  });
});

describe('responses', () => {
  it('maps a plain object without statusCode to 200 JSON', async () => {
    const res = await call.get('/echo/x/plain');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json).toEqual({ hello: 'world' });
    expect((await call.get('/echo/x/string')).json).toBe('just a string');
  });

  it('turns cookies into set-cookie headers and keeps the status', async () => {
    const res = await fetch(`${server.url}/echo/x/cookies`);
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers.get('x-one')).toBe('one');
  });

  it('decodes an isBase64Encoded body', async () => {
    const res = await fetch(`${server.url}/echo/x/binary`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]));
  });

  it('answers 500 {"message":"Internal Server Error"} when the handler throws or returns a non-string body', async () => {
    for (const p of ['/echo/x/throw', '/echo/x/bad-body']) {
      const res = await call.get(p);
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ message: 'Internal Server Error' });
    }
  });

  it('answers 503 when the handler outlives the integration timeout', async () => {
    const res = await call.get('/echo/x/slow');
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ message: 'Service Unavailable' });
  });
});

describe('CORS', () => {
  it('answers any preflight with 204 and the configured CORS headers', async () => {
    for (const path of ['/echo/private', '/anything/at/all']) {
      const res = await call.request('OPTIONS', path, {
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-methods']).toBe('GET,POST,PUT,PATCH,DELETE,OPTIONS');
      expect(res.headers['access-control-allow-headers']).toBe('authorization,content-type,idempotency-key');
      expect(res.headers['access-control-max-age']).toBe('600');
    }
  });

  it('adds access-control-allow-origin only when the request has an Origin', async () => {
    expect(
      (await call.get('/echo', { headers: { origin: 'http://localhost:5173' } })).headers[
        'access-control-allow-origin'
      ],
    ).toBe('*');
    expect((await call.get('/echo')).headers['access-control-allow-origin']).toBeUndefined();
    expect((await call.get('/nope', { headers: { origin: 'http://x' } })).headers['access-control-allow-origin']).toBe(
      '*',
    );
  });
});

describe('JWT authorizer', () => {
  it('answers 401 without a token', async () => {
    const res = await call.get('/echo/private');
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ message: 'Unauthorized' });
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers 401 for a malformed token, a token signed by another key, and an expired one', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ 'cognito:groups': ['city_admin'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('pioneer-local')
      .setAudience('pioneer-local')
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(privateKey);
    const expired = await token('member', { memberId: 'm-1', ttlSeconds: -60 });
    const cases: Array<[string, RegExp]> = [
      ['Bearer not-a-jwt', /invalid_token/],
      [`Bearer ${forged}`, /signature is invalid/],
      [`Bearer ${expired}`, /the token has expired/],
      ['Bearer ', /^Bearer$/],
    ];
    for (const [authorization, www] of cases) {
      const res = await call.get('/echo/private', { headers: { authorization } });
      expect(res.status, authorization.slice(0, 20)).toBe(401);
      expect(res.json).toEqual({ message: 'Unauthorized' });
      expect(res.headers['www-authenticate']).toMatch(www);
    }
  });

  it('passes the claims as strings, arrays as "[a b]", with scopes null', async () => {
    const res = await call.get('/echo/private', { token: member });
    expect(res.status).toBe(200);
    const jwt = eventOf(res).requestContext.authorizer.jwt;
    expect(jwt.scopes).toBeNull();
    expect(jwt.claims).toMatchObject({
      iss: 'pioneer-local',
      aud: 'pioneer-local',
      sub: 'm-1',
      'cognito:groups': '[member]',
      'custom:memberId': 'm-1',
      'custom:communityId': 'c-1',
      'custom:district': LOCAL_DISTRICT_ID,
      token_use: 'id',
    });
    expect(jwt.claims.exp).toMatch(/^\d+$/);
    expect(jwt.claims.iat).toMatch(/^\d+$/);
    expect(Object.values(jwt.claims).every((v) => typeof v === 'string')).toBe(true);
  });

  it('accepts the token without the Bearer prefix, as API Gateway does', async () => {
    expect((await call.get('/echo/private', { headers: { authorization: member } })).status).toBe(200);
  });

  it('checks the token before the body reaches the function', async () => {
    const res = await call.post('/echo/private', { a: 1 });
    expect(res.status).toBe(401);
  });
});

describe('local jobs endpoint', () => {
  it('runs a job of the schedule table with the scheduler event shape', async () => {
    const res = await call.post('/_local/jobs/echo-job', { date: '2025-06-01' });
    expect(res.status).toBe(200);
    const event = JSON.parse(res.json.body).event;
    expect(event).toEqual({
      job: 'echo-job',
      scheduledTime: expect.any(String),
      executionId: expect.any(String),
      args: { date: '2025-06-01' },
    });
    expect(Date.parse(event.scheduledTime)).not.toBeNaN();
    const noBody = await call.request('POST', '/_local/jobs/echo-job');
    expect(JSON.parse(noBody.json.body).event.args).toEqual({});
  });

  it('refuses an unknown job, a body that is not a JSON object, and other methods', async () => {
    const unknown = await call.post('/_local/jobs/nope', {});
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toMatch(/unknown job "nope".*echo-job/);
    expect(
      (
        await call.request('POST', '/_local/jobs/echo-job', {
          raw: '[1]',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call.request('POST', '/_local/jobs/echo-job', {
          raw: '{',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect((await call.get('/_local/jobs/echo-job')).status).toBe(404);
    expect((await call.get('/_local/jobs')).json).toEqual([
      expect.objectContaining({ name: 'echo-job', function: ECHO }),
    ]);
  });
});

describe('listening', () => {
  it('listens on 127.0.0.1 and says clearly when the port is taken', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    await expect(startLocalServer({ port: server.port, quiet: true })).rejects.toThrow(
      `port ${server.port} is in use: stop what uses it or pass --port N`,
    );
  });
});

describe('with the real route table', () => {
  let real: TestServer;
  beforeAll(async () => {
    real = await startTestServer();
  });
  afterAll(async () => {
    await real?.close();
  });

  it('serves the route table: unknown paths 404, jwt routes 401 without a token, public routes reach their function', async () => {
    const c = api(real.url);
    expect((await c.get('/no-such-route')).status).toBe(404);
    expect((await c.request('DELETE', '/health')).status).toBe(404);
    const streets = await c.get('/streets');
    expect(streets.status).toBe(401);
    expect(streets.json).toEqual({ message: 'Unauthorized' });
    const health = await c.get('/health');
    expect(health.status).not.toBe(404);
    expect(health.status).not.toBe(401);
  });
});

describe("a route's own throttle", () => {
  it('answers 429 past the burst, as API Gateway applies route settings, and refills at the rate', async () => {
    const limited = await startLocalServer({
      port: 0,
      quiet: true,
      throttle: true,
      routes: [{ ...r('GET', '/echo'), throttle: { rateLimit: 1, burstLimit: 2 } }, r('GET', '/echo/items/{id}')],
      functionsDir: SUPPORT_DIR,
      functions: functionSpecs('district', { routes: ROUTES, schedules: SCHEDULES, declared: { [ECHO]: {} } }),
    });
    try {
      const c = api(limited.url);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await c.get('/echo')).status);
      expect(statuses).toEqual([200, 200, 429]);
      const refused = await c.get('/echo');
      expect(refused.json).toEqual({ message: 'Too Many Requests' });
      // Another route keeps the stage's limits: untouched.
      for (let i = 0; i < 5; i++) expect((await c.get('/echo/items/1')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await c.get('/echo')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('the access log', () => {
  it('carries the route key and the path template, never the ids in the path; an unmatched path is redacted', async () => {
    const lines: string[] = [];
    const loud = await startLocalServer({
      port: 0,
      routes: ROUTES,
      schedules: SCHEDULES,
      functionsDir: SUPPORT_DIR,
      functions: functionSpecs('district', { routes: ROUTES, schedules: SCHEDULES, declared: { [ECHO]: {} } }),
    });
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (typeof chunk === 'string' && chunk.startsWith('{"time"')) {
        lines.push(chunk);
        return true;
      }
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      const c = api(loud.url);
      await c.get('/echo/items/13812345678');
      await c.get('/echo/a/510104199001011234/b/2');
      await c.get('/nowhere/13912345678/%35%31%30%31%30%34%31%39%39%30%30%31%30%31%31%32%33%34');
    } finally {
      process.stdout.write = write;
      await loud.close();
    }
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.map((l) => [l.routeKey, l.path, l.status])).toEqual([
      ['GET /echo/items/{id}', '/echo/items/{id}', 200],
      ['GET /echo/a/{x}/b/{y}', '/echo/a/{x}/b/{y}', 200],
      ['-', '/nowhere/[phone]/[id-number]', 404],
    ]);
    const text = lines.join('');
    for (const secret of ['13812345678', '13912345678', '510104199001011234']) expect(text).not.toContain(secret);
  });
});

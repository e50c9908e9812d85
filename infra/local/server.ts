import { randomBytes, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors as joseErrors } from 'jose';
import { ROUTES, routeKey, type RouteEntry } from '../../shared/config/routes.ts';
import { CITY_SCHEDULES } from '../../shared/config/city-schedules.ts';
import { SCHEDULES, type ScheduleEntry } from '../../shared/config/schedules.ts';
import { CORS } from '../../shared/config/cors.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { nowIso } from '../../shared/domain/clock.ts';
import type { FunctionSpec } from '../catalog.ts';
import { redact } from '../../shared/http/logger.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { PROBLEM_CONTENT_TYPE, statusOf, toProblem } from '../../shared/http/problem.ts';
import { withDbMeter, type DbMetrics } from '../../shared/db/client.ts';
import { deployLocally, localDeployment } from './deployment.ts';
import { LocalError } from './errors.ts';
import { type FailureList, currentFailureList, rerunFailure } from './failures.ts';
import { invokeFunction } from './invoke.ts';
import { capturedMessages } from '../../shared/events/channels.ts';
import { claimsForLambda, verifyToken } from './keys.ts';

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Past this we stop draining an oversized upload and drop the connection. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
/** API Gateway HTTP API's integration timeout. */
const INTEGRATION_TIMEOUT_MS = 30_000;
/** `npm run job` against a running server: long jobs are fine locally. */
const JOB_TIMEOUT_MS = 15 * 60_000;

export interface LocalServerOptions {
  /** 0: a free port. */
  port: number;
  /** Only 127.0.0.1: the local platform is never reachable from the network. */
  host?: '127.0.0.1';
  /** Default: the route table (shared/config/routes.ts). */
  routes?: readonly RouteEntry[];
  /** Jobs runnable through `POST /_local/jobs/{name}`; default: the district's and the city's schedule tables. */
  schedules?: readonly ScheduleEntry[];
  /** The failed asynchronous invocations (`/_local/failures`); default: the one installed (failures.ts). */
  failures?: FailureList;
  /**
   * Apply the routes' own throttles (public routes, shared/config/routes.ts) as API Gateway does:
   * past a route's burst, 429. `npm start` does; tests that call a route many times in a row
   * (the bad-input matrices) leave it off. @default false
   */
  throttle?: boolean;
  /** Folder of function folders; default: functions/ (tests point at their own). */
  functionsDir?: string;
  /** What each function is and uses (its environment follows); default: every district and city function. */
  functions?: readonly FunctionSpec[];
  /** No access log on stdout. */
  quiet?: boolean;
  /** Default 30 s, as API Gateway; past it the client gets 503. */
  integrationTimeoutMs?: number;
  /** Benchmarks: where to count each request's DynamoDB calls and capacity, by route key. */
  meter?: (routeKey: string) => DbMetrics | undefined;
}

export interface LocalServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Route matching, as API Gateway HTTP API does it: `{param}` matches one non-empty segment,
// `{param+}` the rest of the path; the most specific route wins (literal > param > greedy,
// segment by segment); a path matched only with another method is a 404.

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

interface CompiledRoute {
  entry: RouteEntry;
  segments: Segment[];
}

export interface RouteMatch {
  entry: RouteEntry;
  pathParameters: Record<string, string>;
}

export function compileRoutes(routes: readonly RouteEntry[]): CompiledRoute[] {
  return routes.map((entry) => ({
    entry,
    segments: entry.path
      .split('/')
      .slice(1)
      .map((s): Segment => {
        const m = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(s);
        if (!m) return { kind: 'literal', value: s };
        return m[2] ? { kind: 'greedy', name: m[1]! } : { kind: 'param', name: m[1]! };
      }),
  }));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function matchPath(
  route: CompiledRoute,
  parts: string[],
): { params: Record<string, string>; rank: number[] } | undefined {
  const params: Record<string, string> = {};
  const rank: number[] = [];
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    if (seg.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[seg.name] = safeDecode(rest.join('/'));
      rank.push(0);
      return { params, rank };
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.kind === 'literal') {
      if (part !== seg.value && safeDecode(part) !== seg.value) return undefined;
      rank.push(2);
    } else {
      if (part === '') return undefined;
      params[seg.name] = safeDecode(part);
      rank.push(1);
    }
  }
  return parts.length === route.segments.length ? { params, rank } : undefined;
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** The route for METHOD rawPath, or undefined (API Gateway: 404). */
export function matchRoute(routes: CompiledRoute[], method: string, rawPath: string): RouteMatch | undefined {
  const parts = rawPath.split('/').slice(1);
  let best: { route: CompiledRoute; params: Record<string, string>; rank: number[] } | undefined;
  for (const route of routes) {
    if (route.entry.method !== method) continue;
    const m = matchPath(route, parts);
    if (m && (!best || compareRank(m.rank, best.rank) > 0)) best = { route, ...m };
  }
  return best && { entry: best.route.entry, pathParameters: best.params };
}

// ---------------------------------------------------------------------------------------------
// The event (payload format 2.0)

const TEXT_TYPES = new Set([
  'application/json',
  'application/javascript',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/x-ndjson',
  'application/yaml',
  'application/x-yaml',
]);

export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0]!.trim().toLowerCase();
  return mime.startsWith('text/') || TEXT_TYPES.has(mime) || mime.endsWith('+json') || mime.endsWith('+xml');
}

export function parseQueryString(raw: string): Record<string, string> | undefined {
  if (!raw) return undefined;
  const out: Record<string, string> = {};
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = safeDecode((eq >= 0 ? pair.slice(0, eq) : pair).replace(/\+/g, ' '));
    const v = safeDecode((eq >= 0 ? pair.slice(eq + 1) : '').replace(/\+/g, ' '));
    if (!k) continue;
    out[k] = k in out ? `${out[k]},${v}` : v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** API Gateway's request ids look like `JKJaXmPLvHcESHA=`. */
function apigwRequestId(): string {
  return randomBytes(11).toString('base64');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `12/Mar/2020:19:03:58 +0000` */
function apigwTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

interface RequestInfo {
  requestId: string;
  method: string;
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  cookies: string[];
  sourceIp: string;
  body: Buffer;
  startMs: number;
}

function requestHeaders(
  req: IncomingMessage,
  sourceIp: string,
  localPort: number,
): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const k = req.rawHeaders[i]!.toLowerCase();
    const v = req.rawHeaders[i + 1]!;
    if (k === 'cookie') {
      cookies.push(
        ...v
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[k] = k in headers ? `${headers[k]},${v}` : v;
  }
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-port'] = String(localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  return { headers, cookies };
}

export function buildEvent(
  info: RequestInfo,
  match: RouteMatch,
  claims: Record<string, string> | undefined,
): Record<string, unknown> {
  const key = routeKey(match.entry);
  const host = info.headers.host ?? '127.0.0.1';
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: key,
    rawPath: info.rawPath,
    rawQueryString: info.rawQueryString,
  };
  if (info.cookies.length) event.cookies = info.cookies;
  event.headers = info.headers;
  const query = parseQueryString(info.rawQueryString);
  if (query) event.queryStringParameters = query;
  const requestContext: Record<string, unknown> = {
    accountId: 'local',
    apiId: 'local',
    ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    domainName: host,
    domainPrefix: host.split(/[.:]/)[0] ?? host,
    http: {
      method: info.method,
      path: info.rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: info.sourceIp,
      userAgent: info.headers['user-agent'] ?? '',
    },
    requestId: info.requestId,
    routeKey: key,
    stage: '$default',
    time: apigwTime(info.startMs),
    timeEpoch: info.startMs,
  };
  event.requestContext = requestContext;
  if (info.body.length) {
    const text = isTextContentType(info.headers['content-type']);
    event.body = text ? info.body.toString('utf8') : info.body.toString('base64');
    event.isBase64Encoded = !text;
  } else {
    event.isBase64Encoded = false;
  }
  if (Object.keys(match.pathParameters).length) event.pathParameters = match.pathParameters;
  return event;
}

// ---------------------------------------------------------------------------------------------
// The response

interface HttpResult {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): HttpResult => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify(value)),
});

const apigwError = (status: number, message: string, headers: Record<string, string> = {}): HttpResult =>
  json(status, { message }, headers);

class BadLambdaResponse extends Error {}

/** Maps a handler's result to HTTP as API Gateway does for payload format 2.0. */
export function toHttpResult(result: unknown): HttpResult {
  const structured = typeof result === 'object' && result !== null && !Array.isArray(result) && 'statusCode' in result;
  if (!structured) {
    // "If your function returns valid JSON and doesn't return a statusCode", API Gateway assumes 200 JSON.
    return json(200, result ?? null);
  }
  const r = result as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown>;
    cookies?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const status = Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new BadLambdaResponse(`statusCode ${JSON.stringify(r.statusCode)} is not an HTTP status`);
  }
  const headers: Record<string, string | string[]> = {};
  const add = (name: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (typeof value === 'object') throw new BadLambdaResponse(`header ${name} is not a string`);
    const k = name.toLowerCase();
    const v = String(value);
    const prev = headers[k];
    if (prev === undefined) headers[k] = v;
    else if (k === 'set-cookie') headers[k] = [...(Array.isArray(prev) ? prev : [prev]), v];
    else headers[k] = `${Array.isArray(prev) ? prev.join(',') : prev},${v}`;
  };
  for (const [k, v] of Object.entries(r.headers ?? {})) add(k, v);
  for (const [k, vs] of Object.entries(r.multiValueHeaders ?? {})) {
    for (const v of Array.isArray(vs) ? vs : [vs]) add(k, v);
  }
  if (r.cookies !== undefined) {
    if (!Array.isArray(r.cookies)) throw new BadLambdaResponse('cookies is not an array of strings');
    for (const c of r.cookies) add('set-cookie', c);
  }
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') {
    throw new BadLambdaResponse(`body is a ${typeof r.body}, not a string (JSON.stringify it)`);
  }
  const bodyText = (r.body as string | undefined) ?? '';
  const body = r.isBase64Encoded === true ? Buffer.from(bodyText, 'base64') : Buffer.from(bodyText, 'utf8');
  return { status, headers, body };
}

function send(res: ServerResponse, result: HttpResult, requestId: string, origin: string | undefined): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | string[]> = { ...result.headers };
  headers['apigw-requestid'] = requestId;
  if (origin && !headers['access-control-allow-origin'])
    headers['access-control-allow-origin'] = CORS.allowOrigins.join(',');
  headers['content-length'] = String(result.body.length);
  res.writeHead(result.status, headers);
  res.end(result.body);
}

// ---------------------------------------------------------------------------------------------
// Body

type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true; destroy: boolean };

function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult): void => {
      if (!done) {
        done = true;
        resolve(r);
      }
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DRAIN_LIMIT_BYTES) {
      req.resume();
      return finish({ ok: false, tooLarge: true, destroy: true });
    }
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > DRAIN_LIMIT_BYTES) return finish({ ok: false, tooLarge: true, destroy: true });
      if (size <= MAX_BODY_BYTES) chunks.push(c);
      else chunks.length = 0; // keep draining (so the client reads our 413), but drop the bytes
    });
    req.on('end', () =>
      finish(
        size > MAX_BODY_BYTES
          ? { ok: false, tooLarge: true, destroy: false }
          : { ok: true, body: Buffer.concat(chunks) },
      ),
    );
    req.on('error', () => finish({ ok: true, body: Buffer.alloc(0) }));
    req.on('aborted', () => finish({ ok: true, body: Buffer.alloc(0) }));
  });
}

// ---------------------------------------------------------------------------------------------
// JWT (API Gateway's JWT authorizer)

function unauthorized(description?: string): HttpResult {
  const www = description ? `Bearer scope="" error="invalid_token" error_description="${description}"` : 'Bearer';
  return apigwError(401, 'Unauthorized', { 'www-authenticate': www });
}

async function authorize(
  headers: Record<string, string>,
): Promise<{ claims: Record<string, string> } | { denied: HttpResult }> {
  const raw = headers.authorization?.trim();
  if (!raw) return { denied: unauthorized() };
  // API Gateway accepts the token alone or prefixed with "Bearer".
  const bearer = /^Bearer(?:\s+(.*))?$/i.exec(raw);
  const token = (bearer ? (bearer[1] ?? '') : raw).trim();
  if (!token) return { denied: unauthorized() };
  try {
    return { claims: claimsForLambda(await verifyToken(token)) };
  } catch (err) {
    if (err instanceof LocalError) throw err; // the key store itself is broken: a 500 with the reason logged
    return { denied: unauthorized(describeJwtError(err)) };
  }
}

function describeJwtError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'the token does not have a valid audience';
    if (err.claim === 'iss') return 'the token does not have a valid issuer';
    if (err.claim === 'nbf') return 'the token is not valid yet';
    return `the token does not have a valid ${err.claim} claim`;
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature is invalid';
  return 'the token is malformed';
}

// ---------------------------------------------------------------------------------------------
// Server

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
const TIMED_OUT = Symbol('timed out');

/**
 * A token bucket per throttled route, as API Gateway applies a route's settings: `burstLimit`
 * requests at once, refilled at `rateLimit` a second; past that, 429.
 */
function routeThrottles(routes: readonly RouteEntry[]): Map<string, { take(): boolean }> {
  const out = new Map<string, { take(): boolean }>();
  for (const r of routes) {
    if (!r.throttle) continue;
    const { rateLimit, burstLimit } = r.throttle;
    let tokens = burstLimit;
    let last = performance.now();
    out.set(routeKey(r), {
      take() {
        const now = performance.now();
        tokens = Math.min(burstLimit, tokens + ((now - last) / 1000) * rateLimit);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
      },
    });
  }
  return out;
}

function logError(context: string, err: unknown): void {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`[pioneer-local] ${context}: ${text}\n`);
}

/** What one request's handling needs, built once per server. */
interface ServerContext {
  readonly routes: CompiledRoute[];
  readonly schedules: readonly ScheduleEntry[];
  /** The routes' own throttles, by route key (empty unless the server applies them). */
  readonly throttles: ReadonlyMap<string, { take(): boolean }>;
  /** The failed asynchronous invocations it serves under `/_local/failures` (undefined: the one installed). */
  readonly failures: FailureList | undefined;
  readonly timeoutMs: number;
  readonly loadOpts: { dir?: string; functions?: readonly FunctionSpec[] };
  readonly meter: LocalServerOptions['meter'];
  readonly log: AccessLog;
  /** The port bound (set once listening). */
  port: number;
}

/** One line per request on stdout: the route key and the path as a template, never raw ids. */
type AccessLog = (line: {
  requestId: string;
  method: string;
  path: string;
  routeKey: string;
  status: number;
  t0: number;
}) => void;

function accessLog(quiet: boolean | undefined): AccessLog {
  return (l) => {
    if (quiet) return;
    const line = {
      time: new Date().toISOString(),
      requestId: l.requestId,
      method: l.method,
      path: l.path,
      routeKey: l.routeKey,
      status: l.status,
      ms: Math.round(performance.now() - l.t0),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
}

/**
 * The path as the access log shows it: a route's path template (`/members/{memberId}`), never the
 * ids in it; a path no route matched, with anything like a phone or an ID number redacted.
 */
export function loggedPath(rawPath: string, match: RouteMatch | undefined): string {
  if (match) return match.entry.path;
  return redact(safeDecode(rawPath));
}

/** With CORS configured, API Gateway answers every preflight itself, for any path. */
function preflight(): HttpResult {
  return {
    status: 204,
    headers: {
      'access-control-allow-origin': CORS.allowOrigins.join(','),
      'access-control-allow-methods': CORS.allowMethods.join(','),
      'access-control-allow-headers': CORS.allowHeaders.join(','),
      'access-control-max-age': String(CORS.maxAgeSeconds),
    },
    body: Buffer.alloc(0),
  };
}

function requestInfo(req: IncomingMessage, body: Buffer, port: number): RequestInfo {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const { headers, cookies } = requestHeaders(req, sourceIp, port);
  return {
    requestId: apigwRequestId(),
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath: q >= 0 ? url.slice(0, q) : url,
    rawQueryString: q >= 0 ? url.slice(q + 1) : '',
    headers,
    cookies,
    sourceIp,
    body,
    startMs: Date.now(),
  };
}

/** Calls the route's function with the event (as API Gateway's integration: timeout, response checks). */
async function invokeRoute(ctx: ServerContext, info: RequestInfo, match: RouteMatch, claims?: Record<string, string>) {
  const key = routeKey(match.entry);
  const fn = match.entry.function;
  const event = buildEvent(info, match, claims);
  const invoke = () =>
    invokeFunction(fn, event, {
      ...ctx.loadOpts,
      timeoutMs: Math.max(ctx.timeoutMs - 1000, Math.floor(ctx.timeoutMs * 0.9)),
      awsRequestId: randomUUID(),
    });
  const meter = ctx.meter?.(key);
  let result: unknown;
  try {
    result = await withTimeout(meter ? withDbMeter(meter, invoke) : invoke(), ctx.timeoutMs);
  } catch (err) {
    logError(`pioneer-${fn} ${key} (${info.requestId}) threw`, err);
    return apigwError(500, 'Internal Server Error');
  }
  if (result === TIMED_OUT) {
    logError(
      `pioneer-${fn} ${key} (${info.requestId})`,
      `no response within ${ctx.timeoutMs} ms: API Gateway answers 503`,
    );
    return apigwError(503, 'Service Unavailable');
  }
  try {
    return toHttpResult(result);
  } catch (err) {
    logError(
      `pioneer-${fn} ${key} (${info.requestId}) returned a response API Gateway rejects`,
      (err as Error).message,
    );
    return apigwError(500, 'Internal Server Error');
  }
}

/** One request, as API Gateway handles it: preflight, body limit, local jobs and failures, route, throttle, authorizer, integration. */
async function handleRequest(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const t0 = performance.now();
  const origin = req.headers.origin;
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  const rawPath = url.split('?')[0]!;
  let requestId = apigwRequestId();
  let key = '-';
  let path = loggedPath(rawPath, undefined);
  const reply = (result: HttpResult): void => {
    send(res, result, requestId, origin);
    ctx.log({ requestId, method, path, routeKey: key, status: result.status, t0 });
  };

  if (method === 'OPTIONS') {
    key = 'OPTIONS (preflight)';
    return reply(preflight());
  }
  const bodyResult = await readBody(req);
  if (!bodyResult.ok) {
    if (bodyResult.destroy) res.setHeader('connection', 'close');
    reply(apigwError(413, 'Request Entity Too Large'));
    if (bodyResult.destroy) res.once('finish', () => req.socket.destroy());
    return;
  }
  const info = requestInfo(req, bodyResult.body, ctx.port);
  requestId = info.requestId;

  if (rawPath === '/_local/jobs' || rawPath.startsWith('/_local/jobs/')) {
    key = `${method} /_local/jobs/{name}`;
    path = rawPath === '/_local/jobs' ? rawPath : '/_local/jobs/{name}';
    return reply(await runJobRequest(ctx, info));
  }
  if (rawPath === '/_local/messages') {
    // Every SMS and WeChat message the notifier sent in this process (the local channels capture them).
    key = `${method} /_local/messages`;
    path = rawPath;
    if (method !== 'GET') return reply(apigwError(404, 'Not Found'));
    return reply(json(200, { items: capturedMessages() }));
  }
  if (rawPath === '/_local/failures' || rawPath.startsWith('/_local/failures/')) {
    key = `${method} /_local/failures`;
    path = rawPath === '/_local/failures' ? rawPath : '/_local/failures/{id}/rerun';
    return reply(await failuresRequest(ctx, info));
  }
  const match = matchRoute(ctx.routes, method, rawPath);
  if (!match) return reply(apigwError(404, 'Not Found'));
  key = routeKey(match.entry);
  path = loggedPath(rawPath, match);
  // The route's own limits (public routes, shared/config/routes.ts), as the stage's route settings.
  if (ctx.throttles.get(key)?.take() === false) return reply(apigwError(429, 'Too Many Requests'));

  let claims: Record<string, string> | undefined;
  if (match.entry.auth === 'jwt') {
    const auth = await authorize(info.headers);
    if ('denied' in auth) return reply(auth.denied);
    claims = auth.claims;
  }
  return reply(await invokeRoute(ctx, info, match, claims));
}

/** `GET /_local/jobs` lists the jobs; `POST /_local/jobs/{name}` runs one now (its body: the job's args). */
async function runJobRequest(ctx: ServerContext, info: RequestInfo): Promise<HttpResult> {
  const { schedules } = ctx;
  const jobs = schedules.map((s) => s.name);
  if (info.rawPath === '/_local/jobs') {
    if (info.method !== 'GET') return apigwError(404, 'Not Found');
    return json(
      200,
      schedules.map((s) => ({
        name: s.name,
        cron: s.cron,
        timeZone: s.timeZone,
        function: s.function,
        description: s.description,
      })),
    );
  }
  if (info.method !== 'POST') return apigwError(404, 'Not Found');
  const name = safeDecode(info.rawPath.slice('/_local/jobs/'.length));
  const job = schedules.find((s) => s.name === name);
  if (!job) return json(404, { message: `unknown job "${name}": jobs are ${jobs.join(', ') || '(none)'}`, jobs });
  let args: unknown = {};
  const text = info.body.toString('utf8').trim();
  if (text) {
    try {
      args = JSON.parse(text);
    } catch {
      return apigwError(400, 'the body must be a JSON object of job args');
    }
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return apigwError(400, 'the body must be a JSON object of job args');
  }
  // Scheduled now by the platform's clock (`npm start -- --clock`), as Scheduler would.
  const event = { job: name, scheduledTime: nowIso(), executionId: randomUUID(), args };
  try {
    const result = await invokeFunction(job.function, event, { ...ctx.loadOpts, timeoutMs: JOB_TIMEOUT_MS });
    return json(200, result ?? null);
  } catch (err) {
    // A job refused for the caller's input (a month that has not ended, a bad date) is the caller's
    // error: its domain status (4xx), as problem+json; anything else failed the job (500).
    if (err instanceof DomainError && statusOf(err.code) < 500) {
      const problem = toProblem(err);
      return {
        status: problem.status,
        headers: { 'content-type': PROBLEM_CONTENT_TYPE },
        body: Buffer.from(JSON.stringify(problem)),
      };
    }
    logError(`job ${name} (pioneer-${job.function}) failed`, err);
    return apigwError(500, `job ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** `GET /_local/failures`: the kept failed invocations; `POST /_local/failures/{id}/rerun`: run one again. */
async function failuresRequest(ctx: ServerContext, info: RequestInfo): Promise<HttpResult> {
  const list = ctx.failures ?? currentFailureList();
  if (!list) return json(404, { message: 'this local server keeps no failure list' });
  if (info.rawPath === '/_local/failures') {
    if (info.method !== 'GET') return apigwError(404, 'Not Found');
    return json(200, list.list());
  }
  const m = /^\/_local\/failures\/([^/]+)\/rerun$/.exec(info.rawPath);
  if (!m || info.method !== 'POST') return apigwError(404, 'Not Found');
  const id = safeDecode(m[1]!);
  if (!list.get(id)) return json(404, { message: `no failed invocation ${id}`, kept: list.list().map((f) => f.id) });
  try {
    const result = await rerunFailure(list, id, { ...ctx.loadOpts, timeoutMs: JOB_TIMEOUT_MS });
    return json(200, { rerun: id, removed: true, result: result ?? null });
  } catch (err) {
    logError(`failed invocation ${id} failed again`, err);
    return json(500, { rerun: id, removed: false, message: err instanceof Error ? err.message : String(err) });
  }
}

/** Listens on host:port; resolves with the server's handle once it does. */
function listen(
  server: http.Server,
  host: string,
  port: number,
  servesCity: boolean,
  onBound: (port: number) => void,
): Promise<LocalServer> {
  return new Promise<LocalServer>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(new LocalError(`port ${port} is in use: stop what uses it or pass --port N`));
      else if (err.code === 'EACCES')
        reject(new LocalError(`not allowed to listen on port ${port}: pass --port N with N >= 1024`));
      else reject(new LocalError(`cannot listen on ${host}:${port}: ${err.message}`));
    });
    server.listen({ port, host, exclusive: true }, () => {
      const bound = (server.address() as AddressInfo).port;
      onBound(bound);
      server.on('error', (err) => logError('server error', err));
      const url = `http://127.0.0.1:${bound}`;
      // This is the API now: the docs function's `servers` (API_URL, and CITY_API_URL when it serves the city's routes).
      deployLocally({ apiUrl: url, cityApiUrl: servesCity ? url : undefined });
      let closing: Promise<void> | undefined;
      resolve({
        url,
        port: bound,
        close: () =>
          (closing ??= new Promise<void>((done) => {
            if (localDeployment().apiUrl === url) deployLocally({ apiUrl: undefined, cityApiUrl: undefined });
            server.close(() => done());
            server.closeIdleConnections();
            // Requests still running get a moment to answer; then their connections go too.
            setTimeout(() => server.closeAllConnections(), 1000).unref();
          })),
      });
    });
  });
}

/**
 * Starts the API Gateway HTTP API emulator on 127.0.0.1. Serves the route table with payload
 * format 2.0 and the JWT authorizer, answers CORS preflights, and exposes the local-only
 * `POST /_local/jobs/{name}` that runs a scheduled job now and `/_local/failures` (the failed
 * asynchronous invocations kept, and `POST /_local/failures/{id}/rerun`).
 */
export function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') return Promise.reject(new LocalError('the local server binds only to 127.0.0.1'));
  const ctx: ServerContext = {
    routes: compileRoutes(opts.routes ?? ROUTES),
    schedules: opts.schedules ?? [...SCHEDULES, ...CITY_SCHEDULES],
    throttles: opts.throttle ? routeThrottles(opts.routes ?? ROUTES) : new Map(),
    failures: opts.failures,
    timeoutMs: opts.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS,
    loadOpts: {
      ...(opts.functionsDir ? { dir: opts.functionsDir } : {}),
      ...(opts.functions ? { functions: opts.functions } : {}),
    },
    meter: opts.meter,
    log: accessLog(opts.quiet),
    port: opts.port,
  };
  const server = http.createServer((req, res) => {
    handleRequest(ctx, req, res).catch((err: unknown) => {
      logError('request failed', err);
      if (!res.headersSent) send(res, apigwError(500, 'Internal Server Error'), apigwRequestId(), req.headers.origin);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  const servesCity = (opts.routes ?? ROUTES).some((r) => CITY_ROUTES.includes(r));
  return listen(server, host, opts.port, servesCity, (bound) => {
    ctx.port = bound;
  });
}

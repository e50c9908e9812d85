import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { fieldErrors } from '../contract/common.ts';
import { CORS } from '../config/cors.ts';
import { routeKey, type RouteEntry } from '../config/routes.ts';
import { env } from '../config/env.ts';
import { DomainError, type ErrorCode, type FieldError } from '../domain/errors.ts';
import type { Tag } from '../contract/tags.ts';
import { hasRole, type Caller } from '../domain/policy.ts';
import { addMetric, withMetrics } from '../metrics/metrics.ts';
import { callerFromClaims } from './caller.ts';
import { createLogger, errorFields, type Logger } from './logger.ts';
import { problemHeaders, toProblem } from './problem.ts';
import type { withIdempotency } from './idempotency.ts';

/**
 * The HTTP stack every function uses. A function serves a route table (the district's ROUTES or
 * CITY_ROUTES) with a list of routes (contract + implementation). Named middy middlewares, in order:
 *   httpHeaderNormalizer -> httpCors -> requestLog -> problemJson (errors) -> routeResolver (by
 *   `routeKey`) -> authorizer (caller and role, from the token's claims and the route table) ->
 *   jsonBody (size, type, syntax) -> validator (zod: path, query and body)
 * then the handler: Idempotency-Key -> the route's implementation. What the middlewares learn
 * lives on middy's per-request `request.internal`. Status codes for errors are chosen in one place
 * (problem.ts); implementations return data, or a Reply (replies.ts) for CSV, HTML and the like.
 */

export type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
export type Result = APIGatewayProxyStructuredResultV2;

/** Largest JSON body accepted (API Gateway allows 10 MB; no route of ours needs more than this). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * What one route says about itself: its inputs (validated), what it answers, and what the OpenAPI
 * document (shared/http/openapi.ts) needs to tell a client the truth. The contracts' export names
 * are the operationIds. A test holds `errors` to what the implementation can throw
 * (test/unit/contract-errors.test.ts), and every example to the schemas (test/unit/openapi.test.ts).
 */
export interface Contract<
  P extends z.ZodMiniType = z.ZodMiniType,
  Q extends z.ZodMiniType = z.ZodMiniType,
  B extends z.ZodMiniType = z.ZodMiniType,
> {
  readonly method: RouteEntry['method'];
  readonly path: string;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** The success body when it is JSON (OpenAPI only: services build it). */
  readonly response?: z.ZodMiniType;
  /**
   * Replies other than JSON (shared/http/replies.ts): `csv` answers text/csv as an attachment
   * (Content-Disposition) instead of JSON; `html` also answers text/html to a client whose Accept
   * prefers it; `document` is the OpenAPI document itself; `page` only text/html (the API
   * reference page); `script` a JavaScript file (the page's assets).
   */
  readonly replies?: 'csv' | 'html' | 'document' | 'page' | 'script';
  /** Status on success (200 unless it creates: 201). */
  readonly status?: number;
  /** Creating POSTs honour `Idempotency-Key`. */
  readonly idempotent?: boolean;
  readonly description?: string;
  /**
   * Input rules the API checks (400 VALIDATION_FAILED, naming the field) that JSON Schema cannot
   * say (across parameters, between the path and the body, against the clock, a checksum): by the
   * field the problem names, in words. The document lists them; a 400 the document's schemas do
   * not explain must name only these fields (test/support/openapi.ts).
   */
  readonly rules?: Readonly<Record<string, string>>;
  /** The group it is listed under in the document (shared/contract/tags.ts). */
  readonly tag: Tag;
  /**
   * The error codes its implementation can throw (services, domain, db), in any order; the HTTP
   * stack's own codes (validation, token, role, body, idempotency, cursor, 5xx) come from the
   * route's shape and are not listed. A test reads the implementation and holds this list to it.
   */
  readonly errors: readonly ErrorCode[];
  /** One example of each input it takes and of its success body (CSV or HTML text for those replies). */
  readonly examples: Examples;
}

/** Examples of a route's request (path and query parameters, body) and success response. */
export interface Examples {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly body?: unknown;
  readonly response?: unknown;
}

type Out<T> = T extends z.ZodMiniType ? z.output<T> : undefined;

export interface RouteInput<C extends Contract> {
  readonly params: Out<C['params']>;
  readonly query: Out<C['query']>;
  readonly body: Out<C['body']>;
  /** Undefined only on public routes. */
  readonly caller: C extends { readonly public: true } ? Caller | undefined : Caller;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly requestId: string;
  readonly log: Logger;
}

/** A reply other than JSON with the contract's status (CSV, HTML, another status). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string> = {},
    /** `body` is base64 of binary bytes (a compressed file). */
    readonly base64 = false,
  ) {}
}

/** A route of a function: its contract and its implementation (the entry comes from the function's table). */
export interface Route {
  readonly contract: Contract;
  readonly handle: (input: RouteInput<Contract>) => Promise<unknown>;
}

export function route<C extends Contract>(contract: C, handle: (input: RouteInput<C>) => Promise<unknown>): Route {
  return { contract, handle: handle as unknown as Route['handle'] };
}

interface ServedRoute extends Route {
  readonly entry: RouteEntry;
}

/** What the middlewares learn about one request: middy's `request.internal`, new for every invocation. */
type State = {
  started: number;
  log: Logger;
  route?: ServedRoute;
  caller?: Caller;
  body?: unknown;
  input?: { params: unknown; query: unknown; body: unknown };
};

type Request = middy.Request<Event, Result, Error, Context, State>;
type Middleware = middy.MiddlewareObj<Event, Result, Error, Context, State>;
type Phase = 'before' | 'after' | 'onError';

/**
 * Names a middleware as middy identifies them: its plugin hooks (profiling, tracing) get each
 * function's name, `<name>MiddlewareBefore` / `After` / `OnError` as in middy's own packages.
 * Set explicitly, so that the names survive minification.
 */
function named<M extends middy.MiddlewareObj<Event, Result, Error, Context, never>>(
  name: string,
  m: M,
): M & { name: string } {
  for (const phase of ['before', 'after', 'onError'] as Phase[])
    if (m[phase])
      Object.defineProperty(m[phase], 'name', {
        value: `${name}Middleware${phase[0]!.toUpperCase()}${phase.slice(1)}`,
      });
  return Object.assign(m, { name });
}

/**
 * middy calls the handler with (event, context) only: it finds its request's state by the event,
 * which Lambda makes new for every invocation (the state itself is on `request.internal`, never
 * on the context, which Lambda may reuse).
 */
const states = new WeakMap<Event, State>();

const routeResolver = (routes: Map<string, ServedRoute>): Middleware =>
  named('routeResolver', {
    before: (request) => {
      const route = routes.get(request.event.routeKey);
      if (!route) throw new DomainError('ROUTE_NOT_FOUND', `no route ${request.event.routeKey}`);
      request.internal.route = route;
    },
  });

const authorizer = (): Middleware =>
  named('authorizer', {
    before: (request) => {
      const state = request.internal;
      const entry = state.route!.entry;
      if (entry.auth === 'public') return;
      const caller = callerFromClaims(request.event.requestContext.authorizer?.jwt?.claims);
      if (!caller) throw new DomainError('UNAUTHORIZED', 'the token does not name a caller with a role');
      if (!caller.roles.has('city_admin') && caller.district !== env().districtId)
        throw new DomainError('WRONG_DISTRICT', `this API serves district ${env().districtId}`);
      if (entry.roles !== 'signed-in' && entry.roles !== 'anyone' && !hasRole(caller, ...entry.roles))
        throw new DomainError('FORBIDDEN', `this route is for: ${entry.roles.join(', ')}`);
      state.caller = caller;
      state.log = state.log.child({ sub: caller.sub, roles: [...caller.roles] });
    },
  });

const jsonBody = (): Middleware =>
  named('jsonBody', {
    before: (request) => {
      const { event } = request;
      const raw = event.body ?? '';
      if (raw.length === 0) return;
      const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES)
        throw new DomainError('PAYLOAD_TOO_LARGE', `the body may be at most ${MAX_BODY_BYTES} bytes`);
      const type = (event.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json' && !type.endsWith('+json'))
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
      try {
        request.internal.body = JSON.parse(text);
      } catch {
        throw new DomainError('MALFORMED_JSON', 'the body is not valid JSON');
      }
    },
  });

const NO_BODY = z.optional(z.strictObject({}));
const EMPTY = z.strictObject({});

const validator = (): Middleware =>
  named('validator', {
    before: (request) => {
      const state = request.internal;
      const c = state.route!.contract;
      const errors: FieldError[] = [];
      const parse = (where: string, schema: z.ZodMiniType | undefined, value: unknown, fallback: z.ZodMiniType) => {
        const r = (schema ?? fallback).safeParse(value);
        if (!r.success) errors.push(...fieldErrors(where, r.error));
        return r.success ? r.data : undefined;
      };
      const params = parse('params', c.params, request.event.pathParameters ?? {}, EMPTY);
      const query = parse('query', c.query, request.event.queryStringParameters ?? {}, EMPTY);
      const body = parse('body', c.body, state.body, NO_BODY);
      if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors });
      state.input = { params, query, body };
    },
  });

const requestLog = (): Middleware => {
  const done = (request: Request) => {
    const state = request.internal;
    // No log when a middleware before this one failed (an event that is not an HTTP API request).
    state.log?.info('request', { status: request.response?.statusCode ?? 500, ms: Date.now() - state.started });
  };
  return named('requestLog', {
    before: (request) => {
      Object.assign(request.internal, {
        started: Date.now(),
        log: createLogger({
          requestId: request.event.requestContext?.requestId,
          awsRequestId: request.context.awsRequestId,
          routeKey: request.event.routeKey,
          district: env().districtId,
        }),
      });
      states.set(request.event, request.internal);
    },
    after: (request) => done(request),
    onError: (request) => done(request),
  });
};

const problemJson = (): Middleware =>
  named('problemJson', {
    onError: (request) => {
      const err = request.error;
      const problem = toProblem(err);
      // A DomainError's cause (what did not answer, and why) is logged, never shown.
      if (problem.status >= 500)
        request.internal.log?.error('unhandled error', {
          ...errorFields(err),
          cause: err?.cause && errorFields(err.cause),
        });
      // A 4xx no alarm on 5xx sees: contention past the client's conflict retries (README, api-contention).
      if (problem.code === 'CONCURRENT_UPDATE') addMetric('ConcurrentUpdates');
      request.response = {
        statusCode: problem.status,
        headers: problemHeaders(err, problem),
        body: JSON.stringify(problem),
      };
    },
  });

function json(status: number, value: unknown, extraHeaders: Record<string, string> = {}): Result {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extraHeaders },
    body: status === 204 ? '' : JSON.stringify(value),
  };
}

export function toResult(status: number, value: unknown): Result {
  if (value instanceof Reply)
    return {
      statusCode: value.status,
      headers: value.headers,
      body: value.body,
      ...(value.base64 ? { isBase64Encoded: true } : {}),
    };
  return json(status, value);
}

export interface HttpFunctionOptions {
  /**
   * The Idempotency-Key store (shared/http/idempotency.ts), required when a route is
   * `idempotent`. Passed in rather than imported so that a function without such routes
   * (docs) does not bundle the database client.
   */
  readonly idempotency?: typeof withIdempotency;
  /**
   * A middy plugin (its hooks get each middleware's name): profiling, and the test of the stack's
   * order. Never with `internal`: middy then makes a new one for every request.
   */
  readonly plugin?: Omit<middy.PluginObject, 'internal'>;
}

/**
 * Builds a Lambda handler that serves `routes` from `table`, the route table this function's
 * API is built from (ROUTES for a district function, CITY_ROUTES for the city's): every route
 * must be an entry of it, whose auth and roles the stack enforces.
 */
export function httpFunction(
  table: readonly RouteEntry[],
  routes: readonly Route[],
  options: HttpFunctionOptions = {},
) {
  const byKey = new Map<string, ServedRoute>();
  for (const r of routes) {
    const key = routeKey(r.contract);
    const entry = table.find((e) => routeKey(e) === key);
    if (!entry) throw new Error(`${key} is not in this function's route table`);
    byKey.set(key, { ...r, entry });
  }
  const withIdempotency = options.idempotency;
  const needs = routes.filter((r) => r.contract.idempotent).map((r) => routeKey(r.contract));
  if (needs.length > 0 && !withIdempotency)
    throw new Error(`idempotent routes need options.idempotency: ${needs.join(', ')}`);
  const handler = middy<Event, Result, Error, Context, State>(options.plugin)
    .use(named('httpHeaderNormalizer', httpHeaderNormalizer()))
    .use(
      named(
        'httpCors',
        httpCors({
          origin: CORS.allowOrigins.join(','),
          headers: CORS.allowHeaders.join(','),
          methods: CORS.allowMethods.join(','),
          exposeHeaders: CORS.exposeHeaders.join(','),
          maxAge: CORS.maxAgeSeconds,
        }),
      ),
    )
    .use(requestLog())
    .use(problemJson())
    .use(routeResolver(byKey))
    .use(authorizer())
    .use(jsonBody())
    .use(validator())
    .handler(async (event, context) => {
      const state = states.get(event)!;
      const route = state.route!;
      const input = {
        ...state.input!,
        caller: state.caller,
        headers: event.headers,
        requestId: event.requestContext?.requestId ?? context.awsRequestId,
        log: state.log,
      } as RouteInput<Contract>;
      const status = route.contract.status ?? 200;
      const run = async (): Promise<Result> => toResult(status, await route.handle(input));
      if (!route.contract.idempotent || !withIdempotency) return run();
      return withIdempotency(
        {
          key: event.headers['idempotency-key'],
          caller: state.caller,
          routeKey: event.routeKey,
          path: event.rawPath,
          body: state.body,
          render: (answer) => toResult(status, answer),
          log: state.log,
        },
        run,
      );
    });
  // Each request writes the business metrics its route added (shared/metrics/metrics.ts), if any.
  const measured = (event: Event, context: Context) =>
    withMetrics({ functionName: context?.functionName }, () => handler(event, context));
  /** The route keys this function serves (checked against the route table by a test). */
  return Object.assign(measured, { routeKeys: [...byKey.keys()] });
}

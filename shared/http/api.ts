import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import * as z from 'zod/mini';
import '../contract/common.ts';
import { CORS } from '../config/cors.ts';
import { ROUTES, routeKey, type RouteEntry } from '../config/routes.ts';
import { env } from '../config/env.ts';
import { DomainError, type FieldError } from '../domain/errors.ts';
import { hasRole, type Caller } from '../domain/policy.ts';
import { callerFromClaims } from './caller.ts';
import { createLogger, errorFields, type Logger } from './logger.ts';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.ts';
import type { withIdempotency } from './idempotency.ts';

/**
 * The HTTP stack every function uses. A function is a list of routes (contract + implementation);
 * the stack finds the route by `routeKey`, then:
 *   header normalizer -> CORS -> request log -> problem+json errors -> caller & role (from the
 *   token's claims and the route table) -> JSON body (size, type, syntax) -> zod validation of
 *   path, query and body -> Idempotency-Key -> the route's implementation.
 * Status codes for errors are chosen in one place (problem.ts); implementations return data.
 */

export type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
export type Result = APIGatewayProxyStructuredResultV2;

/** Largest JSON body accepted (API Gateway allows 10 MB; no route of ours needs more than this). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface Contract<P extends z.ZodMiniType = z.ZodMiniType, Q extends z.ZodMiniType = z.ZodMiniType, B extends z.ZodMiniType = z.ZodMiniType> {
  readonly method: RouteEntry['method'];
  readonly path: string;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Documented response body (OpenAPI only). */
  readonly response?: z.ZodMiniType;
  /** Status on success (200 unless it creates: 201). */
  readonly status?: number;
  /** Creating POSTs honour `Idempotency-Key`. */
  readonly idempotent?: boolean;
  readonly description?: string;
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
  ) {}
}

export interface BoundRoute {
  readonly contract: Contract;
  readonly entry: RouteEntry;
  readonly handle: (input: RouteInput<Contract>) => Promise<unknown>;
}

export function route<C extends Contract>(contract: C, handle: (input: RouteInput<C>) => Promise<unknown>): BoundRoute {
  const key = routeKey(contract);
  const entry = ROUTES.find((r) => routeKey(r) === key);
  if (!entry) throw new Error(`route ${key} is not in the route table (shared/config/routes.ts)`);
  return { contract, entry, handle: handle as unknown as BoundRoute['handle'] };
}

interface Internal {
  route?: BoundRoute;
  caller?: Caller;
  body?: unknown;
  input?: { params: unknown; query: unknown; body: unknown };
  started: number;
  log: Logger;
}

type Request = middy.Request<Event, Result, Error, Context, Record<string, unknown>>;
type PioneerContext = Context & { pioneer?: Internal };

/** What the middlewares learn about a request travels to the handler on the Lambda context. */
function internal(request: Request): Internal {
  const ctx = request.context as PioneerContext;
  ctx.pioneer ??= { started: Date.now(), log: createLogger() };
  return ctx.pioneer;
}

const routeResolver = (routes: Map<string, BoundRoute>): middy.MiddlewareObj<Event, Result> => ({
  before: (request) => {
    const route = routes.get(request.event.routeKey);
    if (!route) throw new DomainError('ROUTE_NOT_FOUND', `no route ${request.event.routeKey}`);
    internal(request as Request).route = route;
  },
});

const authorizer = (): middy.MiddlewareObj<Event, Result> => ({
  before: (request) => {
    const inn = internal(request as Request);
    const entry = inn.route!.entry;
    if (entry.auth === 'public') return;
    const caller = callerFromClaims(request.event.requestContext.authorizer?.jwt?.claims);
    if (!caller) throw new DomainError('UNAUTHORIZED', 'the token does not name a caller with a role');
    if (!caller.roles.has('city_admin') && caller.district !== env().districtId)
      throw new DomainError('WRONG_DISTRICT', `this API serves district ${env().districtId}`);
    if (entry.roles !== 'signed-in' && entry.roles !== 'anyone' && !hasRole(caller, ...entry.roles))
      throw new DomainError('FORBIDDEN', `this route is for: ${entry.roles.join(', ')}`);
    inn.caller = caller;
    inn.log = inn.log.child({ sub: caller.sub, roles: [...caller.roles] });
  },
});

const jsonBody = (): middy.MiddlewareObj<Event, Result> => ({
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
      internal(request as Request).body = JSON.parse(text);
    } catch {
      throw new DomainError('MALFORMED_JSON', 'the body is not valid JSON');
    }
  },
});

const NO_BODY = z.optional(z.strictObject({}));
const EMPTY = z.strictObject({});

function issues(where: string, error: z.core.$ZodError): FieldError[] {
  return error.issues.map((i) => ({
    field: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}

const validator = (): middy.MiddlewareObj<Event, Result> => ({
  before: (request) => {
    const inn = internal(request as Request);
    const c = inn.route!.contract;
    const errors: FieldError[] = [];
    const parse = (where: string, schema: z.ZodMiniType | undefined, value: unknown, fallback: z.ZodMiniType) => {
      const r = (schema ?? fallback).safeParse(value);
      if (!r.success) errors.push(...issues(where, r.error));
      return r.success ? r.data : undefined;
    };
    const params = parse('params', c.params, request.event.pathParameters ?? {}, EMPTY);
    const query = parse('query', c.query, request.event.queryStringParameters ?? {}, EMPTY);
    const body = parse('body', c.body, inn.body, NO_BODY);
    if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors });
    inn.input = { params, query, body };
  },
});

const requestLog = (): middy.MiddlewareObj<Event, Result> => {
  const done = (request: middy.Request<Event, Result>) => {
    const inn = internal(request as Request);
    const status = request.response?.statusCode ?? 500;
    inn.log.info('request', { status, ms: Date.now() - inn.started });
  };
  return {
    before: (request) => {
      // A fresh state for every invocation: a reused context object must not carry the last body.
      const inn: Internal = ((request.context as PioneerContext).pioneer = { started: Date.now(), log: createLogger() });
      inn.log = createLogger({
        requestId: request.event.requestContext?.requestId,
        awsRequestId: request.context.awsRequestId,
        routeKey: request.event.routeKey,
        district: env().districtId,
      });
    },
    after: done,
    onError: done,
  };
};

const problemErrors = (): middy.MiddlewareObj<Event, Result> => ({
  onError: (request) => {
    const inn = internal(request as Request);
    const problem = toProblem(request.error);
    if (problem.status >= 500) inn.log?.error('unhandled error', errorFields(request.error));
    request.response = {
      statusCode: problem.status,
      headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
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
  if (value instanceof Reply) return { statusCode: value.status, headers: value.headers, body: value.body };
  return json(status, value);
}

export interface HttpFunctionOptions {
  /**
   * The Idempotency-Key store (shared/http/idempotency.ts), required when a route is
   * `idempotent`. Passed in rather than imported so that a function without such routes
   * (docs) does not bundle the database client.
   */
  readonly idempotency?: typeof withIdempotency;
}

/** Builds a Lambda handler that serves `routes` (each must be in the route table). */
export function httpFunction(routes: readonly BoundRoute[], options: HttpFunctionOptions = {}) {
  const byKey = new Map(routes.map((r) => [routeKey(r.contract), r]));
  const withIdempotency = options.idempotency;
  const needs = routes.filter((r) => r.contract.idempotent).map((r) => routeKey(r.contract));
  if (needs.length > 0 && !withIdempotency) throw new Error(`idempotent routes need options.idempotency: ${needs.join(', ')}`);
  const handler = middy<Event, Result>()
    .use(httpHeaderNormalizer())
    .use(
      httpCors({
        origin: CORS.allowOrigins.join(','),
        headers: CORS.allowHeaders.join(','),
        methods: CORS.allowMethods.join(','),
        exposeHeaders: CORS.exposeHeaders.join(','),
        maxAge: CORS.maxAgeSeconds,
      }),
    )
    .use(requestLog())
    .use(problemErrors())
    .use(routeResolver(byKey))
    .use(authorizer())
    .use(jsonBody())
    .use(validator())
    .handler(async (event, context) => {
      const inn = (context as PioneerContext).pioneer!;
      const route = inn.route!;
      const input: RouteInput<Contract> = {
        ...(inn.input as { params: unknown; query: unknown; body: unknown }),
        caller: inn.caller as Caller,
        headers: event.headers,
        requestId: event.requestContext?.requestId ?? context.awsRequestId,
        log: inn.log,
      } as RouteInput<Contract>;
      const status = route.contract.status ?? 200;
      const run = async (): Promise<Result> => toResult(status, await route.handle(input));
      if (!route.contract.idempotent || !withIdempotency) return run();
      return withIdempotency(
        { key: event.headers['idempotency-key'], caller: inn.caller, routeKey: event.routeKey, path: event.rawPath, body: inn.body },
        run,
      );
    });
  /** The route keys this function serves (checked against the route table by a test). */
  return Object.assign(handler, { routeKeys: [...byKey.keys()] });
}

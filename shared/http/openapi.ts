import * as z from 'zod/mini';
import { API_DOCUMENT } from '../config/api-document.ts';
import { CITY_ROUTES } from '../config/city-routes.ts';
import { FUNCTIONS, type StackKind } from '../config/functions.ts';
import { ROUTE_SUMMARIES } from '../config/route-summaries.ts';
import { ROUTES, routeKey, summaryOf, type RouteEntry } from '../config/routes.ts';
import { QUERY_INTEGERS, SCHEMA_NAMES } from '../contract/common.ts';
import { CITY_CONTRACTS_BY_NAME, DISTRICT_CONTRACTS } from '../contract/index.ts';
import { TAGS, type Tag } from '../contract/tags.ts';
import { ERROR_CODES, ERRORS, type ErrorCode } from '../domain/errors.ts';
import type { CertificateVerification } from '../domain/certificate.ts';
import { certificateHtml, certificateNotFoundHtml } from '../views/certificate.ts';
import { memberRecordHtml, type MemberRecordPage } from '../views/member-record.ts';
import { type Contract, MAX_BODY_BYTES } from './api.ts';
import { statusOf } from './problem.ts';

/**
 * The OpenAPI 3.1 document of the district's API and the city's, generated from the route tables
 * (paths, security, roles: shared/config/routes.ts, city-routes.ts) and the contracts (the same zod
 * schemas that validate requests, the operationIds, tags, error codes and examples:
 * shared/contract/). It runs when the docs function is bundled (infra/openapi-build.ts writes it
 * as JSON the bundle imports) and, unbundled, in the local runtime; the document never depends on
 * a request. `serveDocument` adds what the stack's configuration says at run time: the base URLs.
 *
 * What it says beyond the schemas, all derived:
 *   - every status an operation can answer: its success, each error code its implementation can
 *     throw (the contract's `errors`) and those of the HTTP stack by the route's shape (body,
 *     token, roles, Idempotency-Key, cursor, a table), grouped by status, `code` an enum per status;
 *     and API Gateway's own answers (`{"message": ...}`, application/json): the JWT authorizer's
 *     401, 413 over 10 MiB, 429 when throttled, 500 and 503;
 *   - the real media types (CSV with Content-Disposition, HTML on request, the document itself),
 *     the response headers (Idempotency-Replayed, Content-Disposition, Retry-After, WWW-Authenticate);
 *   - named components for the named schemas (`named()`), request bodies and responses
 *     (`<OperationId>Request` / `Response` when unnamed), a schema that differs between what a
 *     request may send and what a response holds (defaults) getting an `<Name>Input` twin.
 */

/** The error codes the HTTP stack answers by a route's shape: never listed in a contract's `errors`. */
export const STACK_CODES: readonly ErrorCode[] = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHORIZED',
  'WRONG_DISTRICT',
  'ROUTE_NOT_FOUND',
  'BAD_IDEMPOTENCY_KEY',
  'IDEMPOTENCY_KEY_REUSED',
  'BAD_CURSOR',
  'INTERNAL',
  'UNAVAILABLE',
];

/** API Gateway's own errors: `{"message": "..."}` as application/json, by status. */
const GATEWAY: Record<number, string> = {
  401: 'the JWT authorizer: no token, or one that is expired, forged or for another audience (`{"message":"Unauthorized"}`, with WWW-Authenticate)',
  413: 'API Gateway: a body over 10 MiB (`{"message":"Request Entity Too Large"}`)',
  429: 'API Gateway: the stage’s throttling, or the route’s own (public routes) (`{"message":"Too Many Requests"}`)',
  500: 'API Gateway: the function failed or answered something it cannot pass on (`{"message":"Internal Server Error"}`)',
  503: 'API Gateway: the function did not answer within 30 seconds (`{"message":"Service Unavailable"}`)',
};

const REF = '#/components/schemas/';
type Json = Record<string, unknown>;
export type OpenApiDocument = Json & { info: { title: string } & Json; paths: Record<string, Record<string, unknown>> };

/** A contract with its name (the operationId), its entry of a route table and the API serving it. */
export interface Operation {
  readonly name: string;
  readonly contract: Contract;
  readonly entry: RouteEntry;
  readonly api: StackKind;
}

/** A route table, the contracts of its routes by export name, and the API that serves them. */
export type RouteTable = readonly [StackKind, readonly RouteEntry[], Readonly<Record<string, Contract>>];

/**
 * Every route of the tables (both APIs' unless given) with its contract; fails on a route without
 * one, or a contract without a route.
 */
export function operations(
  tables: readonly RouteTable[] = [
    ['district', ROUTES, DISTRICT_CONTRACTS],
    ['city', CITY_ROUTES, CITY_CONTRACTS_BY_NAME],
  ],
): Operation[] {
  const out: Operation[] = [];
  for (const [api, table, contracts] of tables) {
    const byKey = new Map(
      Object.entries(contracts).map(([name, contract]) => [routeKey(contract), { name, contract }]),
    );
    for (const entry of table) {
      const found = byKey.get(routeKey(entry));
      if (!found) throw new Error(`${routeKey(entry)} has no contract`);
      byKey.delete(routeKey(entry));
      out.push({ ...found, entry, api });
    }
    if (byKey.size > 0) throw new Error(`contracts without a route: ${[...byKey.keys()].join(', ')}`);
  }
  return out;
}

/** An example as JSON says it (fields set to undefined, to leave them out of a spread, are gone). */
const plain = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

const pascal = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Does a function use a table (then a dependency that does not answer is its 503)? */
function usesTable(op: Operation): boolean {
  return Object.keys(FUNCTIONS[op.api][op.entry.function]?.tables ?? {}).length > 0;
}

/** Every error code an operation can answer: its implementation's and the stack's, by its shape. */
export function codesOf(op: Operation, queryParams: readonly string[]): ErrorCode[] {
  const { contract: c, entry } = op;
  const codes = new Set<ErrorCode>(['VALIDATION_FAILED', 'MALFORMED_JSON', 'PAYLOAD_TOO_LARGE']);
  codes.add('UNSUPPORTED_MEDIA_TYPE').add('INTERNAL');
  if (entry.auth === 'jwt') codes.add('UNAUTHORIZED').add('WRONG_DISTRICT');
  if (Array.isArray(entry.roles)) codes.add('FORBIDDEN');
  if (c.idempotent) codes.add('BAD_IDEMPOTENCY_KEY').add('IDEMPOTENCY_KEY_REUSED');
  if (queryParams.includes('cursor')) codes.add('BAD_CURSOR');
  if (usesTable(op)) codes.add('UNAVAILABLE');
  for (const code of c.errors) codes.add(code);
  return ERROR_CODES.filter((code) => codes.has(code));
}

// ---------------------------------------------------------------------------------------------
// Schemas: zod -> JSON Schema 2020-12, named ones as components

const REGISTRY_IDS = (SCHEMA_NAMES as unknown as { _idmap: Map<string, z.ZodMiniType> })._idmap;

function convert(
  io: 'input' | 'output',
  names: ReadonlyMap<z.ZodMiniType, string>,
  rename: (name: string) => string,
): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of names) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    metadata: z.globalRegistry,
    uri: (id: string) => REF + rename(id),
    // A query-string integer is parsed from text, but the document shows the integer it stands for.
    override: ({ zodSchema, jsonSchema }) => {
      const integer = QUERY_INTEGERS.get(zodSchema as unknown as z.ZodMiniType);
      if (!integer) return;
      const { description } = jsonSchema;
      for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Record<string, unknown>)[key];
      Object.assign(jsonSchema, integer, description === undefined ? {} : { description });
    },
  }) as unknown as { schemas: Record<string, Json> };
  for (const s of Object.values(out.schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  if ('__shared' in out.schemas) throw new Error('a schema could not be named: give it a name with named()');
  return out.schemas;
}

function refsIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsIn(v, into);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF)) into.add(v.slice(REF.length));
      else refsIn(v, into);
    }
  return into;
}

function reachable(roots: Iterable<string>, schemas: Record<string, Json>): Set<string> {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (seen.has(n) || !schemas[n]) continue;
    seen.add(n);
    todo.push(...refsIn(schemas[n]));
  }
  return seen;
}

interface Converted {
  /** The components: every named schema a path uses. */
  readonly schemas: Record<string, Json>;
  /** A request-side root's component name (bodies) or JSON Schema (parameter objects). */
  readonly input: (schema: z.ZodMiniType) => Json;
  /** A response-side root's `$ref`. */
  readonly output: (schema: z.ZodMiniType) => Json;
}

/**
 * Converts every root (request bodies and parameter objects: input; responses: output) with every
 * named schema. A name whose request-side JSON differs from its response-side JSON (a default
 * makes a field optional in a request) gets an `<Name>Input` twin for the request side.
 */
function convertSchemas(ops: readonly Operation[]): Converted {
  const names = new Map<z.ZodMiniType, string>([...REGISTRY_IDS].map(([id, s]) => [s, id]));
  const taken = new Set(names.values());
  const inputRoots = new Map<z.ZodMiniType, string>();
  const outputRoots = new Map<z.ZodMiniType, string>();
  const params = new Map<z.ZodMiniType, string>();
  const nameFor = (schema: z.ZodMiniType, wanted: string, roots: Map<z.ZodMiniType, string>) => {
    let name = names.get(schema) ?? roots.get(schema);
    if (!name) {
      if (taken.has(wanted)) throw new Error(`two schemas would be named ${wanted}`);
      name = wanted;
      taken.add(name);
    }
    roots.set(schema, name);
  };
  for (const op of ops) {
    const { contract: c, name } = op;
    if (c.body) nameFor(c.body, `${pascal(name)}Request`, inputRoots);
    if (c.response) nameFor(c.response, `${pascal(name)}Response`, outputRoots);
    for (const [where, schema] of [
      ['Path', c.params],
      ['Query', c.query],
    ] as const)
      if (schema && !params.has(schema)) params.set(schema, `${pascal(name)}${where}Parameters`);
  }
  const inputNames = new Map([...names, ...inputRoots, ...params]);
  const outputNames = new Map([...names, ...outputRoots]);
  const outSchemas = convert('output', outputNames, (n) => n);
  let inSchemas = convert('input', inputNames, (n) => n);
  const outReach = reachable(outputRoots.values(), outSchemas);
  const inReach = reachable([...inputRoots.values(), ...params.values()], inSchemas);
  const both = [...inReach].filter((n) => outReach.has(n));
  const differs = new Set(both.filter((n) => JSON.stringify(inSchemas[n]) !== JSON.stringify(outSchemas[n])));
  for (let grew = true; grew; ) {
    grew = false;
    for (const n of both)
      if (!differs.has(n) && [...refsIn(inSchemas[n])].some((r) => differs.has(r))) {
        differs.add(n);
        grew = true;
      }
  }
  const rename = (n: string) => (differs.has(n) ? `${n}Input` : n);
  if (differs.size > 0) inSchemas = convert('input', inputNames, rename);
  const paramNames = new Set(params.values());
  const schemas: Record<string, Json> = {};
  for (const n of [...outReach].sort()) schemas[n] = outSchemas[n]!;
  for (const n of [...inReach].sort())
    if (!paramNames.has(n) && (!outReach.has(n) || differs.has(n))) schemas[rename(n)] = inSchemas[n]!;
  return {
    schemas,
    input: (schema) => {
      const p = params.get(schema);
      if (p) return inSchemas[p]!;
      return { $ref: REF + rename(inputRoots.get(schema)!) };
    },
    output: (schema) => ({ $ref: REF + outputRoots.get(schema)! }),
  };
}

// ---------------------------------------------------------------------------------------------
// Operations

const SHARED_SCHEMAS: Record<string, Json> = {
  Problem: {
    type: 'object',
    description:
      'An error, as RFC 9457 problem details (application/problem+json). `code` is stable: clients branch on it, never on `title` or `detail`. Some problems carry more fields (the state of a wish and the actions it allows, a limit...).',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: { type: 'string', format: 'uri', description: 'https://pioneer.example/problems/<code in kebab case>' },
      title: { type: 'string', description: "the code's title, the same for every problem with this code" },
      status: { type: 'integer', description: 'the HTTP status' },
      detail: { type: 'string', description: 'what happened, in words for a person' },
      code: { $ref: `${REF}ErrorCode` },
      errors: {
        type: 'array',
        description: 'with VALIDATION_FAILED (and UNKNOWN_TEAM): each field that is wrong, and why',
        items: { $ref: `${REF}FieldError` },
      },
    },
  },
  FieldError: {
    type: 'object',
    required: ['field', 'message'],
    properties: {
      field: { type: 'string', description: 'where: `body.phone`, `query.limit`, `params.communityId`' },
      message: { type: 'string' },
    },
    additionalProperties: false,
  },
  ErrorCode: {
    type: 'string',
    enum: [...ERROR_CODES],
    description: `Every error code, with its status and title:\n${ERROR_CODES.map((c) => `- \`${c}\` (${statusOf(c)}): ${ERRORS[c].title}`).join('\n')}`,
  },
  GatewayError: {
    type: 'object',
    description: 'An answer of API Gateway itself, before or instead of the function (application/json).',
    required: ['message'],
    properties: { message: { type: 'string', examples: ['Unauthorized'] } },
    additionalProperties: false,
  },
  OpenApiDocument: {
    type: 'object',
    description: 'An OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0).',
    required: ['openapi', 'info', 'paths'],
    properties: {
      openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
      info: { type: 'object' },
      paths: { type: 'object' },
    },
  },
};

const RETRY_AFTER = {
  description: 'Seconds to wait before retrying (on the problem of a dependency that does not answer).',
  schema: { type: 'string', pattern: '^\\d+$' },
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Unavailable',
};

/**
 * The error responses every operation of that shape has in common, once in `components.responses`
 * (by status, codes and whether API Gateway answers it too); any other combination is inline.
 */
const COMMON_RESPONSES: Record<string, string> = {
  '401 UNAUTHORIZED +gateway': 'Unauthorized',
  '413 PAYLOAD_TOO_LARGE +gateway': 'PayloadTooLarge',
  '415 UNSUPPORTED_MEDIA_TYPE': 'UnsupportedMediaType',
  '429 +gateway': 'Throttled',
  '500 INTERNAL +gateway': 'InternalError',
  '503 UNAVAILABLE +gateway': 'Unavailable',
  '503 +gateway': 'GatewayTimeout',
};

function problemResponse(status: number, codes: readonly ErrorCode[], gateway: boolean): Json {
  // The codes are the schema's enum (and ErrorCode's description has their titles): only the gateway's part is said here.
  const content: Json = {};
  if (codes.length > 0)
    content['application/problem+json'] = {
      schema: {
        allOf: [
          { $ref: `${REF}Problem` },
          { type: 'object', properties: { status: { const: status }, code: { enum: codes } } },
        ],
      },
    };
  if (gateway) content['application/json'] = { schema: { $ref: `${REF}GatewayError` } };
  const headers: Json = {};
  if (status === 401 && gateway)
    headers['WWW-Authenticate'] = {
      description:
        'From the JWT authorizer: `Bearer`, with `error="invalid_token"` and a description when a token was given.',
      schema: { type: 'string' },
    };
  // Our problem carries it; API Gateway's own 503 (the function did not answer in time) does not.
  if (status === 503 && codes.length > 0) headers['Retry-After'] = RETRY_AFTER;
  return {
    description: `${STATUS_TEXT[status] ?? 'Error'}${codes.length > 0 ? ': problem+json, `code` one of the enum' : ''}${gateway ? `${codes.length > 0 ? '; or' : ':'} ${GATEWAY[status]}` : ''}.`,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content,
  };
}

/** An error response, or a reference to the common one it equals. */
function errorResponse(status: number, codes: readonly ErrorCode[], gateway: boolean): Json {
  const common = COMMON_RESPONSES[`${status} ${codes.join(' ')}${gateway ? `${codes.length ? ' ' : ''}+gateway` : ''}`];
  return common ? { $ref: `#/components/responses/${common}` } : problemResponse(status, codes, gateway);
}

function commonResponses(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, name] of Object.entries(COMMON_RESPONSES)) {
    const [status, ...rest] = key.split(' ');
    const gateway = rest.includes('+gateway');
    out[name] = problemResponse(Number(status), rest.filter((r) => r !== '+gateway') as ErrorCode[], gateway);
  }
  return out;
}

/** 404 of a route that answers pages: problem+json, or the not-found page to a client that prefers HTML. */
function htmlNotFound(codes: readonly ErrorCode[], gateway: boolean): Json {
  const problem = problemResponse(404, codes, gateway) as { description: string; content: Json };
  return {
    ...problem,
    description: `${problem.description} A client whose Accept prefers text/html gets a page saying what was not found.`,
    content: {
      ...problem.content,
      'text/html': {
        schema: { type: 'string', description: 'a page (no scripts) saying the number is not known' },
        example: certificateNotFoundHtml('PNR-510104-20240101-00000000'),
      },
    },
  };
}

function successResponse(op: Operation, schemas: Converted): [string, Json] {
  const c = op.contract;
  const status = c.status ?? 200;
  const example = plain(c.examples.response);
  const headers: Json = {};
  const content: Json = {};
  if (c.idempotent)
    headers['Idempotency-Replayed'] = {
      description: '`true` on a replay: the first response to this Idempotency-Key and body, nothing done again.',
      schema: { type: 'string', enum: ['true'] },
    };
  if (c.replies === 'csv') {
    headers['Content-Disposition'] = {
      required: true,
      description: 'An attachment and its file name: `attachment; filename="<name>.csv"`.',
      schema: { type: 'string', pattern: '^attachment; filename="[A-Za-z0-9._-]+"$' },
    };
    content['text/csv'] = {
      schema: { type: 'string', description: 'UTF-8 with a byte order mark, CRLF line ends (RFC 4180)' },
      example,
    };
  } else if (c.replies === 'page') {
    content['text/html'] = {
      schema: { type: 'string', description: 'the interactive API reference (its scripts: GET /docs/assets/{file})' },
      example,
    };
  } else if (c.replies === 'script') {
    headers['Content-Encoding'] = {
      description: '`gzip` when the request’s Accept-Encoding takes gzip; absent otherwise.',
      schema: { type: 'string', enum: ['gzip'] },
    };
    content['text/javascript'] = { schema: { type: 'string', description: 'a script of the reference page' }, example };
  } else if (c.replies === 'document') {
    content['application/json'] = { schema: { $ref: `${REF}OpenApiDocument` }, example };
  } else if (c.response) {
    content['application/json'] = { schema: schemas.output(c.response), example };
  }
  if (c.replies === 'html')
    content['text/html'] = {
      schema: {
        type: 'string',
        description: 'a printable page (no scripts), for a client whose Accept prefers text/html',
      },
      example: htmlExample(c.path, example),
    };
  const description =
    status === 204
      ? 'Done: no content.'
      : status === 201
        ? 'Created.'
        : c.replies === 'csv'
          ? 'The CSV file.'
          : c.replies === 'page'
            ? 'The page.'
            : c.replies === 'script'
              ? 'The script.'
              : 'OK.';
  return [
    String(status),
    {
      description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(Object.keys(content).length > 0 ? { content } : {}),
    },
  ];
}

function parameters(op: Operation, schemas: Converted): Json[] {
  const c = op.contract;
  const out: Json[] = [];
  for (const [where, schema, examples] of [
    ['path', c.params, c.examples.params],
    ['query', c.query, c.examples.query],
  ] as const) {
    if (!schema) continue;
    const js = schemas.input(schema) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      const { description, ...rest } = s;
      out.push({
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
        ...(examples && name in examples ? { example: plain(examples[name]) } : {}),
      });
    }
  }
  if (c.idempotent)
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: a replay with the same key and body (within 24 hours, per caller) returns the first response with `Idempotency-Replayed: true` and does nothing again; the same key with another body is 422. A retry while the first request still runs races it: one of the two does the work, both answer its response.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
      example: 'a2f6c1d4-5b7e-4c3a-9d8f-0e1b2c3d4e5f',
    });
  return out;
}

function operationObject(op: Operation, schemas: Converted): Json {
  const { contract: c, entry } = op;
  const params = parameters(op, schemas);
  const queryParams = params.filter((p) => p.in === 'query').map((p) => p.name as string);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codesOf(op, queryParams)) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const gateway = new Set([413, 429, 500, 503, ...(entry.auth === 'jwt' ? [401] : [])]);
  const statuses = [...new Set([...byStatus.keys(), ...gateway])].sort((a, b) => a - b);
  const who =
    entry.roles === 'anyone'
      ? 'Anyone: no token.'
      : entry.roles === 'signed-in'
        ? 'Any signed-in caller.'
        : `Roles: ${entry.roles.join(', ')}.`;
  const optionalBody = c.body !== undefined && (c.body as { _zod: { optin?: string } })._zod.optin === 'optional';
  return {
    operationId: op.name,
    summary: summaryOf(entry, ROUTE_SUMMARIES),
    description: [
      c.description,
      c.rules
        ? `Also checked (400 \`VALIDATION_FAILED\`, naming the field), beyond what the schemas say:\n${Object.entries(
            c.rules,
          )
            .map(([field, rule]) => `- \`${field}\`: ${rule}`)
            .join('\n')}`
        : undefined,
      who,
    ]
      .filter(Boolean)
      .join('\n\n'),
    ...(c.rules ? { 'x-pioneer-rules': c.rules } : {}),
    tags: [c.tag],
    'x-roles': entry.roles,
    security: entry.auth === 'jwt' ? [{ jwt: [] }] : [],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(c.body
      ? {
          requestBody: {
            required: !optionalBody,
            description: `JSON, at most ${MAX_BODY_BYTES / 1024} KiB (a larger body is 413).${optionalBody ? ' Optional.' : ''}`,
            content: { 'application/json': { schema: schemas.input(c.body), example: plain(c.examples.body) } },
          },
        }
      : {}),
    responses: Object.fromEntries([
      successResponse(op, schemas),
      ...statuses.map((s) => [String(s), errorResponse(s, byStatus.get(s) ?? [], gateway.has(s))]),
      ...(c.replies === 'html' && byStatus.has(404)
        ? [['404', htmlNotFound(byStatus.get(404)!, gateway.has(404))]]
        : []),
    ]),
  };
}

/**
 * The city API's own document: its routes only (schemas and tags pruned to what they use), titled
 * as the city's. Without `servers` too (`serveCityDocument`).
 */
export function buildCityOpenApi(): OpenApiDocument {
  const doc = buildOpenApi(operations().filter((op) => op.api === 'city'));
  return {
    ...doc,
    info: {
      ...doc.info,
      title: API_DOCUMENT.cityTitle,
      description: API_DOCUMENT.cityDescription,
    },
  };
}

/** The document, without `servers` (the stack's configuration gives them: `serveDocument`). */
export function buildOpenApi(ops: readonly Operation[] = operations()): OpenApiDocument {
  const schemas = convertSchemas(ops);
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<Tag>();
  for (const op of ops) {
    const item = (paths[op.entry.path] ??= op.api === 'city' ? { 'x-pioneer-api': 'city' } : {});
    item[op.entry.method.toLowerCase()] = operationObject(op, schemas);
    tags.add(op.contract.tag);
  }
  const components = { ...SHARED_SCHEMAS, ...schemas.schemas };
  for (const name of Object.keys(components))
    if (name in SHARED_SCHEMAS && name in schemas.schemas) throw new Error(`${name} is named twice`);
  // The shared responses the paths refer to (the city's document uses only some of them).
  const pathsText = JSON.stringify(paths);
  const responses = Object.fromEntries(
    Object.entries(commonResponses()).filter(([name]) => pathsText.includes(`"#/components/responses/${name}"`)),
  );
  const used = reachable([...refsIn(paths), ...refsIn(responses)], components);
  return {
    openapi: '3.1.0',
    info: {
      title: API_DOCUMENT.title,
      version: API_DOCUMENT.version,
      description: API_DOCUMENT.description,
      contact: { ...API_DOCUMENT.contact },
      license: { ...API_DOCUMENT.license },
    },
    tags: (Object.keys(TAGS) as Tag[]).filter((t) => tags.has(t)).map((name) => ({ name, description: TAGS[name] })),
    paths,
    components: {
      securitySchemes: {
        jwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'The ID token of the city’s Cognito user pool: `cognito:groups` is the role, the `custom:*` claims the scope (memberId, communityId, streetId, teamId, district).',
        },
      },
      schemas: Object.fromEntries(Object.entries(components).filter(([n]) => used.has(n))),
      responses,
    },
  };
}

/** The page an HTML route renders from its JSON example: the certificate's, or a member's record. */
function htmlExample(path: string, example: unknown): string {
  return path.endsWith('/record')
    ? memberRecordHtml(example as MemberRecordPage)
    : certificateHtml(example as CertificateVerification);
}

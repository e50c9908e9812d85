import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { API_DOCUMENT } from '../../shared/config/api-document.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { ROUTES, type RouteEntry } from '../../shared/config/routes.ts';
import { describe as described, named, QueryInt } from '../../shared/contract/common.ts';
import { docsAsset, docsPage, openapi as openapiContract } from '../../shared/contract/platform.ts';
import { verifyCertificate } from '../../shared/contract/records.ts';
import type { Contract } from '../../shared/http/api.ts';
import {
  buildCityOpenApi,
  buildOpenApi,
  codesOf,
  operations,
  STACK_CODES,
  type Operation,
  type RouteTable,
} from '../../shared/http/openapi.ts';
import { cityOpenApiDocument, openApiDocument } from '../../shared/http/openapi-document.ts';
import { serveCityDocument, serveDocument } from '../../shared/http/openapi-serve.ts';
import { certificateNotFoundHtml } from '../../shared/views/certificate.ts';

/**
 * The OpenAPI generator (shared/http/openapi.ts) on route tables of this file's own: what each
 * part of an operation says for each shape of route (auth, roles, idempotency, parameters, body,
 * replies, the table behind it), the common error responses and shared schemas word for word (they
 * are the contract clients read), which components it keeps, and how it refuses tables and
 * schemas it cannot document. test/unit/openapi.test.ts holds the real API's document.
 */
// biome-ignore lint/suspicious/noExplicitAny: the test walks the JSON document and lets each assertion judge what it finds
type Json = Record<string, any>;

const entry = (over: Partial<RouteEntry> & Pick<RouteEntry, 'method' | 'path'>): RouteEntry => ({
  function: 'members',
  auth: 'jwt',
  roles: 'signed-in',
  access: 'RO',
  summary: `${over.method} ${over.path}`,
  ...over,
});
const realRoute = (path: string) => ROUTES.find((r) => r.path === path)!;

/** A body that differs between request (size optional: it has a default) and response (size always there). */
const Thing = z.strictObject({ thingId: z.string(), size: z._default(z.number(), 1) });

/** Routes of every shape, with contracts of every kind, built in each test (Stryker credits only what runs in one). */
function table(): RouteTable[] {
  const entries: RouteEntry[] = [
    entry({
      method: 'POST',
      path: '/things',
      roles: ['district_admin', 'street_admin'],
      access: 'RW',
      summary: 'Make a thing',
    }),
    entry({ method: 'GET', path: '/things/{thingId}', function: 'docs', auth: 'public', roles: 'anyone' }),
    entry({ method: 'DELETE', path: '/things/{thingId}', function: 'nowhere', access: 'RW' }),
    entry({ method: 'GET', path: '/things.csv', function: 'stats', roles: ['district_admin'] }),
    entry({ method: 'POST', path: '/things/{thingId}/notes', access: 'RW' }),
    realRoute('/openapi.json'),
    realRoute('/certificates/{number}'),
  ];
  const contracts: Record<string, Contract> = {
    makeThing: {
      method: 'POST',
      path: '/things',
      body: Thing,
      response: Thing,
      status: 201,
      idempotent: true,
      description: 'Makes one.',
      rules: { 'body.thingId': 'unused in the district', 'body.size': 'even' },
      tag: 'places',
      errors: ['NOT_FOUND', 'UNKNOWN_STREET', 'ATTENDANCE_CODE_LOCKED'],
      examples: { body: { thingId: 't1', size: undefined }, response: { thingId: 't1', size: 1 } },
    },
    readThing: {
      method: 'GET',
      path: '/things/{thingId}',
      params: z.strictObject({ thingId: described(z.string(), 'the thing') }),
      query: z.strictObject({ cursor: z.optional(z.string()), limit: QueryInt(1, 50) }),
      response: z.strictObject({ thingId: z.string() }),
      tag: 'places',
      errors: [],
      examples: { params: { thingId: 't1' }, query: { limit: 5 }, response: { thingId: 't1' } },
    },
    dropThing: {
      method: 'DELETE',
      path: '/things/{thingId}',
      params: z.strictObject({ thingId: z.string() }),
      status: 204,
      tag: 'places',
      errors: ['NOT_FOUND'],
      examples: { params: { thingId: 't1' } },
    },
    thingsCsv: {
      method: 'GET',
      path: '/things.csv',
      replies: 'csv',
      tag: 'stats',
      errors: [],
      examples: { response: 'a,b\r\n' },
    },
    noteThing: {
      method: 'POST',
      path: '/things/{thingId}/notes',
      params: z.strictObject({ thingId: z.string() }),
      body: z.optional(z.strictObject({ note: z.string() })),
      tag: 'places',
      errors: [],
      examples: { params: { thingId: 't1' }, body: { note: 'n' }, response: {} },
    },
    openapi: openapiContract,
    verifyCertificate,
  };
  const city: RouteEntry[] = [
    entry({ method: 'GET', path: '/city/things', function: 'city', roles: ['city_admin'], summary: 'City things' }),
  ];
  const cityContracts: Record<string, Contract> = {
    cityThings: { method: 'GET', path: '/city/things', tag: 'city', errors: [], examples: {} },
  };
  return [
    ['district', entries, contracts],
    ['city', city, cityContracts],
  ];
}
const build = () => buildOpenApi(operations(table())) as Json;
const op = (doc: Json, method: string, path: string): Json => doc.paths[path][method];

const PROBLEM = { $ref: '#/components/schemas/Problem' };
const GATEWAY = { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } };
const problem = (status: number, codes: string[]) => ({
  'application/problem+json': {
    schema: { allOf: [PROBLEM, { type: 'object', properties: { status: { const: status }, code: { enum: codes } } }] },
  },
});
const common = (name: string) => ({ $ref: `#/components/responses/${name}` });
const RETRY_AFTER = {
  description: 'Seconds to wait before retrying (on the problem of a dependency that does not answer).',
  schema: { type: 'string', pattern: '^\\d+$' },
};
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: a replay with the same key and body (within 24 hours, per caller) returns the first response with `Idempotency-Replayed: true` and does nothing again; the same key with another body is 422. A retry while the first request still runs races it: one of the two does the work, both answer its response.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
  example: 'a2f6c1d4-5b7e-4c3a-9d8f-0e1b2c3d4e5f',
};

describe('route tables', () => {
  it('are the contracts by export name, each with its entry and the API serving it', () => {
    const ops = operations(table());
    expect(ops.map((o) => [o.name, o.api, o.entry.path])).toEqual([
      ['makeThing', 'district', '/things'],
      ['readThing', 'district', '/things/{thingId}'],
      ['dropThing', 'district', '/things/{thingId}'],
      ['thingsCsv', 'district', '/things.csv'],
      ['noteThing', 'district', '/things/{thingId}/notes'],
      ['openapi', 'district', '/openapi.json'],
      ['verifyCertificate', 'district', '/certificates/{number}'],
      ['cityThings', 'city', '/city/things'],
    ]);
    expect(ops[0]!.contract.status).toBe(201);
  });

  it('refuse a route without a contract, and contracts without a route, naming them', () => {
    const [district] = table();
    const [, entries, contracts] = district!;
    const { dropThing: _drop, ...withoutDrop } = contracts;
    expect(() => operations([['district', entries, withoutDrop]])).toThrow('DELETE /things/{thingId} has no contract');
    expect(() => operations([['district', entries.slice(2), contracts]])).toThrow(
      'contracts without a route: POST /things, GET /things/{thingId}',
    );
  });
});

describe('the error codes of an operation', () => {
  const codes = (name: string) => {
    const ops = operations(table());
    const o = ops.find((x) => x.name === name)!;
    return codesOf(o, o.contract.query ? ['cursor', 'limit'] : []);
  };
  it('every route: validation, JSON, size, media type, a bug', () => {
    expect(codes('cityThings')).toEqual([
      'VALIDATION_FAILED',
      'MALFORMED_JSON',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'WRONG_DISTRICT',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'INTERNAL',
      'UNAVAILABLE',
    ]);
  });
  it('a token: 401 and the district; roles: 403; a key: its two; a cursor; a table: 503; then its own', () => {
    expect(codes('makeThing')).toEqual([
      'VALIDATION_FAILED',
      'MALFORMED_JSON',
      'BAD_IDEMPOTENCY_KEY',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'WRONG_DISTRICT',
      'NOT_FOUND',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'UNKNOWN_STREET',
      'IDEMPOTENCY_KEY_REUSED',
      'ATTENDANCE_CODE_LOCKED',
      'INTERNAL',
      'UNAVAILABLE',
    ]);
    // Public, no table behind it, a cursor: no 401, 403 or 503 of its own.
    expect(codes('readThing')).toEqual([
      'VALIDATION_FAILED',
      'MALFORMED_JSON',
      'BAD_CURSOR',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'INTERNAL',
    ]);
    // Signed-in (no role list), and a function the configuration does not know: no table.
    expect(codes('dropThing')).toEqual([
      'VALIDATION_FAILED',
      'MALFORMED_JSON',
      'UNAUTHORIZED',
      'WRONG_DISTRICT',
      'NOT_FOUND',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'INTERNAL',
    ]);
  });
  it('the stack’s own codes, which no contract lists', () => {
    expect(STACK_CODES).toEqual([
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
    ]);
  });
});

describe('an operation', () => {
  it('a creating POST with roles, rules, a body, a key and a table', () => {
    expect(op(build(), 'post', '/things')).toEqual({
      operationId: 'makeThing',
      summary: 'Make a thing',
      description:
        'Makes one.\n\nAlso checked (400 `VALIDATION_FAILED`, naming the field), beyond what the schemas say:\n- `body.thingId`: unused in the district\n- `body.size`: even\n\nRoles: district_admin, street_admin.',
      'x-pioneer-rules': { 'body.thingId': 'unused in the district', 'body.size': 'even' },
      tags: ['places'],
      'x-roles': ['district_admin', 'street_admin'],
      security: [{ jwt: [] }],
      parameters: [IDEMPOTENCY_KEY],
      requestBody: {
        required: true,
        description: 'JSON, at most 64 KiB (a larger body is 413).',
        // The example as JSON says it: the field set to undefined is gone.
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/MakeThingRequest' }, example: { thingId: 't1' } },
        },
      },
      responses: {
        201: {
          description: 'Created.',
          headers: {
            'Idempotency-Replayed': {
              description:
                '`true` on a replay: the first response to this Idempotency-Key and body, nothing done again.',
              schema: { type: 'string', enum: ['true'] },
            },
          },
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/MakeThingResponse' },
              example: { thingId: 't1', size: 1 },
            },
          },
        },
        400: {
          description: 'Bad request: problem+json, `code` one of the enum.',
          content: problem(400, ['VALIDATION_FAILED', 'MALFORMED_JSON', 'BAD_IDEMPOTENCY_KEY']),
        },
        401: common('Unauthorized'),
        403: {
          description: 'Forbidden: problem+json, `code` one of the enum.',
          content: problem(403, ['FORBIDDEN', 'WRONG_DISTRICT']),
        },
        404: { description: 'Not found: problem+json, `code` one of the enum.', content: problem(404, ['NOT_FOUND']) },
        413: common('PayloadTooLarge'),
        415: common('UnsupportedMediaType'),
        422: {
          description: 'Unprocessable: problem+json, `code` one of the enum.',
          content: problem(422, ['UNKNOWN_STREET', 'IDEMPOTENCY_KEY_REUSED']),
        },
        // Its own 429 beside API Gateway's: not the common one.
        429: {
          description:
            'Too many requests: problem+json, `code` one of the enum; or API Gateway: the stage’s throttling, or the route’s own (public routes) (`{"message":"Too Many Requests"}`).',
          content: { ...problem(429, ['ATTENDANCE_CODE_LOCKED']), ...GATEWAY },
        },
        500: common('InternalError'),
        503: common('Unavailable'),
      },
    });
  });

  it('statuses in order, the success first', () => {
    const responses = op(build(), 'post', '/things').responses;
    expect(Object.keys(responses)).toEqual([
      '201',
      '400',
      '401',
      '403',
      '404',
      '413',
      '415',
      '422',
      '429',
      '500',
      '503',
    ]);
  });

  it('a public read with path and query parameters: described, required as declared, examples where given', () => {
    expect(op(build(), 'get', '/things/{thingId}')).toEqual({
      operationId: 'readThing',
      summary: 'GET /things/{thingId}',
      description: 'Anyone: no token.',
      tags: ['places'],
      'x-roles': 'anyone',
      security: [],
      parameters: [
        {
          name: 'thingId',
          in: 'path',
          required: true,
          description: 'the thing',
          schema: { type: 'string' },
          example: 't1',
        },
        { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
        {
          name: 'limit',
          in: 'query',
          required: true,
          description: 'a whole number from 1 to 50, in decimal digits',
          // A query-string integer shows the integer it stands for, not the text it arrives as.
          schema: { type: 'integer', minimum: 1, maximum: 50 },
          example: 5,
        },
      ],
      responses: {
        200: {
          description: 'OK.',
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/ReadThingResponse' },
              example: { thingId: 't1' },
            },
          },
        },
        400: {
          description: 'Bad request: problem+json, `code` one of the enum.',
          content: problem(400, ['VALIDATION_FAILED', 'MALFORMED_JSON', 'BAD_CURSOR']),
        },
        413: common('PayloadTooLarge'),
        415: common('UnsupportedMediaType'),
        429: common('Throttled'),
        500: common('InternalError'),
        // No table behind it: only API Gateway's own 503, and no Retry-After.
        503: common('GatewayTimeout'),
      },
    });
  });

  it('a 204 for any signed-in caller: no content, no body, no parameters beyond the path', () => {
    const o = op(build(), 'delete', '/things/{thingId}');
    expect(o.description).toBe('Any signed-in caller.');
    expect(o.security).toEqual([{ jwt: [] }]);
    expect(o['x-roles']).toBe('signed-in');
    expect(o.responses['204']).toEqual({ description: 'Done: no content.' });
    expect(o).not.toHaveProperty('requestBody');
    expect(o).not.toHaveProperty('x-pioneer-rules');
    expect(o.parameters).toEqual([
      { name: 'thingId', in: 'path', required: true, schema: { type: 'string' }, example: 't1' },
    ]);
    expect(o.responses['403']).toEqual({
      description: 'Forbidden: problem+json, `code` one of the enum.',
      content: problem(403, ['WRONG_DISTRICT']),
    });
  });

  it('an optional body, and a 200 with no response schema: no content', () => {
    const o = op(build(), 'post', '/things/{thingId}/notes');
    expect(o.requestBody).toEqual({
      required: false,
      description: 'JSON, at most 64 KiB (a larger body is 413). Optional.',
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/NoteThingRequest' }, example: { note: 'n' } },
      },
    });
    expect(o.responses['200']).toEqual({ description: 'OK.' });
    expect(o.parameters.map((p: Json) => p.name)).toEqual(['thingId']);
  });

  it('a CSV file with its Content-Disposition', () => {
    expect(op(build(), 'get', '/things.csv').responses['200']).toEqual({
      description: 'The CSV file.',
      headers: {
        'Content-Disposition': {
          required: true,
          description: 'An attachment and its file name: `attachment; filename="<name>.csv"`.',
          schema: { type: 'string', pattern: '^attachment; filename="[A-Za-z0-9._-]+"$' },
        },
      },
      content: {
        'text/csv': {
          schema: { type: 'string', description: 'UTF-8 with a byte order mark, CRLF line ends (RFC 4180)' },
          example: 'a,b\r\n',
        },
      },
    });
    expect(op(build(), 'get', '/things.csv').description).toBe('Roles: district_admin.');
  });

  it('the document itself, and a page for a client that prefers HTML', () => {
    const doc = build();
    expect(op(doc, 'get', '/openapi.json').responses['200']).toEqual({
      description: 'OK.',
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/OpenApiDocument' },
          example: openapiContract.examples.response,
        },
      },
    });
    // A route of the table without a summary of its own has its line from the summaries file.
    expect(op(doc, 'get', '/openapi.json').summary).toBe('OpenAPI 3.1 document of every route');
    const page = op(doc, 'get', '/certificates/{number}').responses['200'].content;
    expect(Object.keys(page)).toEqual(['application/json', 'text/html']);
    expect(page['text/html'].schema).toEqual({
      type: 'string',
      description: 'a printable page (no scripts), for a client whose Accept prefers text/html',
    });
    expect(page['text/html'].example).toMatch(/^<!doctype html>/);
    expect(page['text/html'].example).toContain(verifyCertificate.examples.response.number);
  });

  it('the city’s paths are marked, and tagged as their contracts say', () => {
    const doc = build();
    expect(doc.paths['/city/things']['x-pioneer-api']).toBe('city');
    expect(doc.paths['/things']).not.toHaveProperty('x-pioneer-api');
    expect(op(doc, 'get', '/city/things').tags).toEqual(['city']);
    expect(doc.tags.map((t: Json) => t.name)).toEqual(['platform', 'places', 'certificates', 'stats', 'city']);
    expect(doc.tags[1]).toEqual({
      name: 'places',
      description:
        'The district’s streets (街道, sub-districts and towns), their communities (社区, urban, or 村, rural) and the grids (网格) of each community.',
    });
  });
});

describe('the document around the operations', () => {
  it('says what it is, who made it, and how a caller signs in', () => {
    const doc = build();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({
      title: 'Pioneer API',
      version: '1.0.0',
      description: expect.stringContaining('Every route but the public ones needs `Authorization: Bearer <ID token>`'),
      contact: {
        name: 'Pioneer platform team',
        email: 'pioneer-api@pioneer.example',
        url: 'https://pioneer.example/support',
      },
      license: {
        name: 'Proprietary: for apps of the Chengdu Pioneer platform',
        url: 'https://pioneer.example/license',
      },
    });
    expect(doc.components.securitySchemes).toEqual({
      jwt: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'The ID token of the city’s Cognito user pool: `cognito:groups` is the role, the `custom:*` claims the scope (memberId, communityId, streetId, teamId, district).',
      },
    });
  });

  it('keeps exactly the schemas its paths and common responses use: the shared ones, the response side sorted, then the request side', () => {
    const names = Object.keys(build().components.schemas);
    expect(names.slice(0, 5)).toEqual(['Problem', 'FieldError', 'ErrorCode', 'GatewayError', 'OpenApiDocument']);
    const responses = names.slice(5, -2);
    expect(responses).toEqual([...responses].sort());
    expect(responses).toEqual(
      expect.arrayContaining(['CertificateVerification', 'MakeThingResponse', 'ReadThingResponse']),
    );
    // Bodies only requests send; the parameters' objects never become components, nor anything unused.
    expect(names.slice(-2)).toEqual(['MakeThingRequest', 'NoteThingRequest']);
    for (const unused of ['ReadThingPathParameters', 'ReadThingQueryParameters', 'Wish', 'Activity'])
      expect(names).not.toContain(unused);
  });

  it('leaves out the shared schemas nothing refers to', () => {
    const ops = operations(table()).filter((o) => o.name !== 'openapi');
    expect(Object.keys((buildOpenApi(ops) as Json).components.schemas)).not.toContain('OpenApiDocument');
  });

  it('the problem schemas, word for word', () => {
    const s = build().components.schemas;
    expect(s.Problem).toEqual({
      type: 'object',
      description:
        'An error, as RFC 9457 problem details (application/problem+json). `code` is stable: clients branch on it, never on `title` or `detail`. Some problems carry more fields (the state of a wish and the actions it allows, a limit...).',
      required: ['type', 'title', 'status', 'detail', 'code'],
      properties: {
        type: { type: 'string', format: 'uri', description: 'https://pioneer.example/problems/<code in kebab case>' },
        title: { type: 'string', description: "the code's title, the same for every problem with this code" },
        status: { type: 'integer', description: 'the HTTP status' },
        detail: { type: 'string', description: 'what happened, in words for a person' },
        code: { $ref: '#/components/schemas/ErrorCode' },
        errors: {
          type: 'array',
          description: 'with VALIDATION_FAILED (and UNKNOWN_TEAM): each field that is wrong, and why',
          items: { $ref: '#/components/schemas/FieldError' },
        },
      },
    });
    expect(s.FieldError).toEqual({
      type: 'object',
      required: ['field', 'message'],
      properties: {
        field: { type: 'string', description: 'where: `body.phone`, `query.limit`, `params.communityId`' },
        message: { type: 'string' },
      },
      additionalProperties: false,
    });
    expect(s.GatewayError).toEqual({
      type: 'object',
      description: 'An answer of API Gateway itself, before or instead of the function (application/json).',
      required: ['message'],
      properties: { message: { type: 'string', examples: ['Unauthorized'] } },
      additionalProperties: false,
    });
    expect(s.OpenApiDocument).toEqual({
      type: 'object',
      description: 'An OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0).',
      required: ['openapi', 'info', 'paths'],
      properties: {
        openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
        info: { type: 'object' },
        paths: { type: 'object' },
      },
    });
    const lines = (s.ErrorCode.description as string).split('\n');
    expect(lines[0]).toBe('Every error code, with its status and title:');
    expect(lines[1]).toBe('- `VALIDATION_FAILED` (400): The request is not valid');
    expect(lines).toContain('- `WISH_ALREADY_CLAIMED` (409): The wish has already been claimed or taken on');
    expect(lines.length).toBe(s.ErrorCode.enum.length + 1);
  });

  it('the error responses every operation shares, word for word', () => {
    const retry = { 'Retry-After': RETRY_AFTER };
    expect(build().components.responses).toEqual({
      Unauthorized: {
        description:
          'Unauthorized: problem+json, `code` one of the enum; or the JWT authorizer: no token, or one that is expired, forged or for another audience (`{"message":"Unauthorized"}`, with WWW-Authenticate).',
        headers: {
          'WWW-Authenticate': {
            description:
              'From the JWT authorizer: `Bearer`, with `error="invalid_token"` and a description when a token was given.',
            schema: { type: 'string' },
          },
        },
        content: { ...problem(401, ['UNAUTHORIZED']), ...GATEWAY },
      },
      PayloadTooLarge: {
        description:
          'Payload too large: problem+json, `code` one of the enum; or API Gateway: a body over 10 MiB (`{"message":"Request Entity Too Large"}`).',
        content: { ...problem(413, ['PAYLOAD_TOO_LARGE']), ...GATEWAY },
      },
      UnsupportedMediaType: {
        description: 'Unsupported media type: problem+json, `code` one of the enum.',
        content: problem(415, ['UNSUPPORTED_MEDIA_TYPE']),
      },
      Throttled: {
        description:
          'Too many requests: API Gateway: the stage’s throttling, or the route’s own (public routes) (`{"message":"Too Many Requests"}`).',
        content: GATEWAY,
      },
      InternalError: {
        description:
          'Internal error: problem+json, `code` one of the enum; or API Gateway: the function failed or answered something it cannot pass on (`{"message":"Internal Server Error"}`).',
        content: { ...problem(500, ['INTERNAL']), ...GATEWAY },
      },
      Unavailable: {
        description:
          'Unavailable: problem+json, `code` one of the enum; or API Gateway: the function did not answer within 30 seconds (`{"message":"Service Unavailable"}`).',
        headers: retry,
        content: { ...problem(503, ['UNAVAILABLE']), ...GATEWAY },
      },
      GatewayTimeout: {
        description:
          'Unavailable: API Gateway: the function did not answer within 30 seconds (`{"message":"Service Unavailable"}`).',
        content: GATEWAY,
      },
    });
  });

  it('every status has its words', () => {
    // One route answering a code of each kind, inline where no common response fits.
    const all: Contract = {
      method: 'POST',
      path: '/all',
      body: z.strictObject({ a: z.string() }),
      tag: 'places',
      errors: ['NOT_FOUND', 'WISH_ALREADY_CLAIMED', 'UNKNOWN_STREET', 'ATTENDANCE_CODE_LOCKED'],
      examples: { body: { a: 'a' } },
    };
    const doc = buildOpenApi(
      operations([['district', [entry({ method: 'POST', path: '/all', roles: ['member'] })], { all }]]),
    ) as Json;
    const words = Object.fromEntries(
      Object.entries(doc.paths['/all'].post.responses as Record<string, Json>).map(([s, r]) => [
        s,
        (r.description ?? r.$ref) as string,
      ]),
    );
    expect(words).toEqual({
      200: 'OK.',
      400: 'Bad request: problem+json, `code` one of the enum.',
      401: '#/components/responses/Unauthorized',
      403: 'Forbidden: problem+json, `code` one of the enum.',
      404: 'Not found: problem+json, `code` one of the enum.',
      409: 'Conflict: problem+json, `code` one of the enum.',
      413: '#/components/responses/PayloadTooLarge',
      415: '#/components/responses/UnsupportedMediaType',
      422: 'Unprocessable: problem+json, `code` one of the enum.',
      429: 'Too many requests: problem+json, `code` one of the enum; or API Gateway: the stage’s throttling, or the route’s own (public routes) (`{"message":"Too Many Requests"}`).',
      500: '#/components/responses/InternalError',
      503: '#/components/responses/Unavailable',
    });
  });
});

describe('schemas', () => {
  it('a named schema whose request side differs from its response side gets an Input twin, and what holds it too', () => {
    const Sized = named('TestSized', z.strictObject({ n: z._default(z.number(), 1) }));
    const Holder = named('TestHolder', z.strictObject({ sized: Sized }));
    const Plain = named('TestPlain', z.strictObject({ p: z.string() }));
    const both: Contract = {
      method: 'POST',
      path: '/sized',
      body: z.strictObject({ holder: Holder, plain: Plain }),
      response: z.strictObject({ holder: Holder, plain: Plain }),
      tag: 'places',
      errors: [],
      examples: { body: { holder: { sized: {} }, plain: { p: 'p' } }, response: {} },
    };
    const doc = buildOpenApi(operations([['district', [entry({ method: 'POST', path: '/sized' })], { both }]])) as Json;
    const s = doc.components.schemas;
    expect(s.TestSized).toEqual({
      type: 'object',
      properties: { n: { type: 'number', default: 1 } },
      required: ['n'],
      additionalProperties: false,
    });
    expect(s.TestSizedInput).toEqual({
      type: 'object',
      properties: { n: { type: 'number', default: 1 } },
      additionalProperties: false,
    });
    // The holder is the same JSON on both sides but refers to a schema that is not: it gets a twin too.
    expect(s.TestHolderInput.properties.sized).toEqual({ $ref: '#/components/schemas/TestSizedInput' });
    expect(s.TestHolder.properties.sized).toEqual({ $ref: '#/components/schemas/TestSized' });
    // The same on both sides: one schema.
    expect(s).toHaveProperty('TestPlain');
    expect(s).not.toHaveProperty('TestPlainInput');
    expect(s.BothRequest.properties).toEqual({
      holder: { $ref: '#/components/schemas/TestHolderInput' },
      plain: { $ref: '#/components/schemas/TestPlain' },
    });
    expect(s.BothResponse.properties).toEqual({
      holder: { $ref: '#/components/schemas/TestHolder' },
      plain: { $ref: '#/components/schemas/TestPlain' },
    });
    for (const schema of Object.values(s)) {
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).not.toHaveProperty('$id');
    }
    // Without twins, no name ends in Input.
    expect(Object.keys((build() as Json).components.schemas).filter((n) => n.endsWith('Input'))).toEqual([]);
  });

  it('one schema for two roots of the same kind keeps the first name; two schemas for one name are refused', () => {
    const body = z.strictObject({ a: z.string() });
    const one = (path: string): Contract => ({
      method: 'POST',
      path,
      body,
      tag: 'places',
      errors: [],
      examples: { body: { a: 'a' } },
    });
    const shared = buildOpenApi(
      operations([
        [
          'district',
          [entry({ method: 'POST', path: '/one' }), entry({ method: 'POST', path: '/two' })],
          { one: one('/one'), two: one('/two') },
        ],
      ]),
    ) as Json;
    expect(shared.paths['/two'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/OneRequest',
    });
    expect(shared.components.schemas).not.toHaveProperty('TwoRequest');
    const clash = (): Operation[] =>
      operations([
        [
          'district',
          [entry({ method: 'POST', path: '/a' }), entry({ method: 'POST', path: '/b' })],
          {
            thing: { ...one('/a'), body: z.strictObject({ a: z.string() }) },
            Thing: { ...one('/b'), body: z.strictObject({ b: z.string() }) },
          },
        ],
      ]);
    expect(() => buildOpenApi(clash())).toThrow('two schemas would be named ThingRequest');
  });

  it('refuses a schema it cannot name, and a name a shared schema has', () => {
    const Node = z.strictObject({
      name: z.string(),
      get kids() {
        return z.optional(z.array(Node));
      },
    });
    const tree: Contract = {
      method: 'POST',
      path: '/tree',
      body: z.strictObject({ tree: Node }),
      tag: 'places',
      errors: [],
      examples: { body: {} },
    };
    expect(() =>
      buildOpenApi(operations([['district', [entry({ method: 'POST', path: '/tree' })], { tree }]])),
    ).toThrow('a schema could not be named: give it a name with named()');
    const problem: Contract = {
      method: 'POST',
      path: '/p',
      body: z.strictObject({ p: named('GatewayError', z.strictObject({ g: z.string() })) }),
      tag: 'places',
      errors: [],
      examples: { body: {} },
    };
    expect(() =>
      buildOpenApi(operations([['district', [entry({ method: 'POST', path: '/p' })], { problem }]])),
    ).toThrow('GatewayError is named twice');
  });
});

describe('the document as served', () => {
  it('names the district and its base URLs, the city’s paths at the city’s URL', () => {
    const served = serveDocument(build() as never, {
      districtId: 'jinjiang',
      profile: { name: 'Jinjiang District', nameZh: '锦江区' },
      apiUrl: 'https://d.example/stage//',
      cityApiUrl: 'https://c.example/',
    }) as Json;
    expect(served.info.title).toBe('Pioneer API: Jinjiang District (锦江区)');
    expect(served.servers).toEqual([
      { url: 'https://d.example/stage', description: 'The API of Jinjiang District (锦江区)' },
    ]);
    expect(served.paths['/city/things']).toEqual({
      'x-pioneer-api': 'city',
      get: expect.objectContaining({ operationId: 'cityThings' }),
      servers: [{ url: 'https://c.example', description: 'The city’s API' }],
    });
    expect(served.paths['/things']).not.toHaveProperty('servers');
    expect(served.components).toEqual(build().components);
  });

  it('without a profile names the district by its id; without the city’s URL leaves the city out', () => {
    const built = build();
    const served = serveDocument(built as never, { districtId: 'wuhou', apiUrl: 'https://w.example' }) as Json;
    expect(served.info.title).toBe('Pioneer API: wuhou');
    expect(served.servers).toEqual([{ url: 'https://w.example', description: 'The API of wuhou' }]);
    expect(Object.keys(served.paths)).toEqual([
      '/things',
      '/things/{thingId}',
      '/things.csv',
      '/things/{thingId}/notes',
      '/openapi.json',
      '/certificates/{number}',
    ]);
    // The built document is left as it was.
    expect(built.info.title).toBe('Pioneer API');
    expect(built).not.toHaveProperty('servers');
  });

  it('unbundled, is the contracts’ document, built once', () => {
    const first = openApiDocument();
    expect(first).toBe(openApiDocument());
    expect(Object.keys(first.paths)).toContain('/openapi.json');
    expect(first.info.title).toBe('Pioneer API');
  });
});

describe('the city API’s own document', () => {
  it('holds the city’s routes only, each marked as the city’s, under the city’s title', () => {
    const doc = buildCityOpenApi() as Json;
    const cityPaths = [...new Set(CITY_ROUTES.map((r) => r.path))].sort();
    expect(Object.keys(doc.paths).sort()).toEqual(cityPaths);
    for (const r of CITY_ROUTES) {
      expect(doc.paths[r.path]['x-pioneer-api']).toBe('city');
      expect(doc.paths[r.path]).toHaveProperty(r.method.toLowerCase());
    }
    expect(doc.info).toEqual({
      title: 'Pioneer City API',
      version: '1.0.0',
      description: API_DOCUMENT.cityDescription,
      contact: { ...API_DOCUMENT.contact },
      license: { ...API_DOCUMENT.license },
    });
    expect(doc.openapi).toBe('3.1.0');
    expect(doc).not.toHaveProperty('servers');
  });

  it('unbundled, is built once from the contracts', () => {
    const first = cityOpenApiDocument();
    expect(cityOpenApiDocument()).toBe(first);
    expect(first.info.title).toBe('Pioneer City API');
    expect(Object.keys(first.paths).every((p) => p.startsWith('/city/'))).toBe(true);
  });

  it('is served at the city API’s base URL, without its trailing slash, and otherwise as built', () => {
    const built = buildCityOpenApi();
    const served = serveCityDocument(built, 'https://c.example/stage/') as Json;
    expect(served.servers).toEqual([{ url: 'https://c.example/stage', description: 'The city’s API' }]);
    const { servers: _servers, ...rest } = served;
    expect(rest).toEqual(built);
    expect(built).not.toHaveProperty('servers');
  });
});

describe('replies other than JSON, and parameters at their edges', () => {
  const pages = () =>
    buildOpenApi(
      operations([['district', [realRoute('/docs'), realRoute('/docs/assets/{file}')], { docsPage, docsAsset }]]),
    ) as Json;

  it('the reference page: HTML, said to be the page', () => {
    expect(op(pages(), 'get', '/docs').responses['200']).toEqual({
      description: 'The page.',
      content: {
        'text/html': {
          schema: {
            type: 'string',
            description: 'the interactive API reference (its scripts: GET /docs/assets/{file})',
          },
          example: '<!doctype html>…',
        },
      },
    });
  });

  it('a script of the page: JavaScript, gzip-encoded when the client takes it', () => {
    expect(op(pages(), 'get', '/docs/assets/{file}').responses['200']).toEqual({
      description: 'The script.',
      headers: {
        'Content-Encoding': {
          description: '`gzip` when the request’s Accept-Encoding takes gzip; absent otherwise.',
          schema: { type: 'string', enum: ['gzip'] },
        },
      },
      content: {
        'text/javascript': {
          schema: { type: 'string', description: 'a script of the reference page' },
          example: '(() => { … })();',
        },
      },
    });
  });

  it('a route that answers pages: its 404 is problem+json, or the not-found page to a client that prefers HTML', () => {
    expect(op(build(), 'get', '/certificates/{number}').responses['404']).toEqual({
      description:
        'Not found: problem+json, `code` one of the enum. A client whose Accept prefers text/html gets a page saying what was not found.',
      content: {
        ...problem(404, ['NOT_FOUND']),
        'text/html': {
          schema: { type: 'string', description: 'a page (no scripts) saying the number is not known' },
          example: certificateNotFoundHtml('PNR-510104-20240101-00000000'),
        },
      },
    });
    // A route that answers JSON only has no page for its 404.
    expect(Object.keys(op(build(), 'delete', '/things/{thingId}').responses['404'].content)).toEqual([
      'application/problem+json',
    ]);
  });

  it('no parameters: no parameters field at all', () => {
    expect(op(build(), 'get', '/things.csv')).not.toHaveProperty('parameters');
    expect(op(build(), 'get', '/city/things')).not.toHaveProperty('parameters');
  });

  it('a path parameter is required even where its schema is optional; without examples, none is shown', () => {
    // Named `cursor`: a path segment does not page, so it brings no BAD_CURSOR (only a query parameter does).
    const odd: Contract = {
      method: 'GET',
      path: '/odd/{cursor}',
      params: z.strictObject({ cursor: z.optional(z.string()) }),
      query: z.strictObject({ q: z.optional(z.string()) }),
      tag: 'places',
      errors: [],
      examples: {},
    };
    const doc = buildOpenApi(
      operations([['district', [entry({ method: 'GET', path: '/odd/{cursor}', function: 'nowhere' })], { odd }]]),
    ) as Json;
    const o = op(doc, 'get', '/odd/{cursor}');
    expect(o.parameters).toEqual([
      { name: 'cursor', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'q', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    for (const p of o.parameters) expect(Object.keys(p)).toEqual(['name', 'in', 'required', 'schema']);
    expect(o.responses['400'].content['application/problem+json'].schema.allOf[1].properties.code.enum).toEqual([
      'VALIDATION_FAILED',
      'MALFORMED_JSON',
    ]);
  });

  it('a parameter without an example among examples given shows none (not an empty one)', () => {
    const cursor = op(build(), 'get', '/things/{thingId}').parameters.find((p: Json) => p.name === 'cursor');
    expect(Object.keys(cursor)).toEqual(['name', 'in', 'required', 'schema']);
  });
});

describe('which components a document keeps', () => {
  it('only the common responses its operations refer to', () => {
    const [district] = table();
    const [, entries, contracts] = district!;
    const doc = buildOpenApi(operations([['district', [entries[0]!], { makeThing: contracts.makeThing! }]])) as Json;
    // Its own 429 is inline, and a table answers its 503: no Throttled, no GatewayTimeout.
    expect(Object.keys(doc.components.responses)).toEqual([
      'Unauthorized',
      'PayloadTooLarge',
      'UnsupportedMediaType',
      'InternalError',
      'Unavailable',
    ]);
  });

  it('text that merely looks like a reference (in an example) keeps no schema: only $ref counts', () => {
    const echo: Contract = {
      method: 'POST',
      path: '/echo',
      body: z.strictObject({ a: z.string() }),
      tag: 'places',
      errors: [],
      examples: { body: { a: '#/components/schemas/OpenApiDocument' } },
    };
    const doc = buildOpenApi(operations([['district', [entry({ method: 'POST', path: '/echo' })], { echo }]])) as Json;
    expect(op(doc, 'post', '/echo').requestBody.content['application/json'].example).toEqual({
      a: '#/components/schemas/OpenApiDocument',
    });
    expect(Object.keys(doc.components.schemas)).toEqual([
      'Problem',
      'FieldError',
      'ErrorCode',
      'GatewayError',
      'EchoRequest',
    ]);
  });

  it('a named schema that holds itself is one component referring to itself', () => {
    const Tree: z.ZodMiniType = named(
      'TestTree',
      z.strictObject({
        name: z.string(),
        get kids() {
          return z.optional(z.array(Tree));
        },
      }),
    );
    const plant: Contract = {
      method: 'POST',
      path: '/plant',
      body: z.strictObject({ tree: Tree }),
      response: z.strictObject({ tree: Tree }),
      tag: 'places',
      errors: [],
      examples: { body: { tree: { name: 'a' } }, response: { tree: { name: 'a' } } },
    };
    const doc = buildOpenApi(
      operations([['district', [entry({ method: 'POST', path: '/plant' })], { plant }]]),
    ) as Json;
    expect(doc.components.schemas.TestTree).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        kids: { type: 'array', items: { $ref: '#/components/schemas/TestTree' } },
      },
      required: ['name'],
      additionalProperties: false,
    });
    expect(doc.components.schemas).not.toHaveProperty('TestTreeInput');
  });

  it('a schema two levels above one that differs gets its Input twin too', () => {
    const Sized = named('TestDeepSized', z.strictObject({ n: z._default(z.number(), 1) }));
    const Holder = named('TestDeepHolder', z.strictObject({ sized: Sized }));
    const Outer = named('TestDeepOuter', z.strictObject({ holder: Holder }));
    const deep: Contract = {
      method: 'POST',
      path: '/deep',
      body: z.strictObject({ outer: Outer }),
      response: z.strictObject({ outer: Outer }),
      tag: 'places',
      errors: [],
      examples: { body: { outer: { holder: { sized: {} } } }, response: {} },
    };
    const doc = buildOpenApi(operations([['district', [entry({ method: 'POST', path: '/deep' })], { deep }]])) as Json;
    const s = doc.components.schemas;
    expect(s.DeepRequest.properties.outer).toEqual({ $ref: '#/components/schemas/TestDeepOuterInput' });
    expect(s.TestDeepOuterInput.properties.holder).toEqual({ $ref: '#/components/schemas/TestDeepHolderInput' });
    expect(s.TestDeepHolderInput.properties.sized).toEqual({ $ref: '#/components/schemas/TestDeepSizedInput' });
    expect(s.DeepResponse.properties.outer).toEqual({ $ref: '#/components/schemas/TestDeepOuter' });
    expect(s.TestDeepOuter.properties.holder).toEqual({ $ref: '#/components/schemas/TestDeepHolder' });
  });
});

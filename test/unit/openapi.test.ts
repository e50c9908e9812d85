import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../shared/config/routes.ts';
import { describe as described } from '../../shared/contract/common.ts';
import { ALL_CONTRACTS } from '../../shared/contract/index.ts';
import type { Contract } from '../../shared/http/api.ts';
import { buildOpenApi } from '../../shared/http/openapi.ts';

/**
 * The OpenAPI document (shared/http/openapi.ts) from the route table and the contracts: one
 * operation per route, its security, parameters, body and responses as the rules say.
 */
type Op = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  'x-roles': unknown;
  security: unknown[];
  parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown>; description?: string }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};
type Doc = ReturnType<typeof buildOpenApi> & { paths: Record<string, Record<string, Op>> };

// Built in each test, never at load: Stryker attributes what runs at load to no test.
const build = () => buildOpenApi(ALL_CONTRACTS, { district: 'jinjiang', serverUrl: 'https://api.example' }) as Doc;
const op = (doc: Doc, method: string, path: string): Op => doc.paths[path]![method]!;
const problem = {
  description: 'An error, as RFC 9457 problem details',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 for its district, with a server only when one is given', () => {
    const full = build();
    expect(full.openapi).toBe('3.1.0');
    expect(full.info).toEqual({
      title: 'Pioneer API (jinjiang)',
      version: '1.0.0',
      description:
        'Community volunteer service: check-in, teams, monthly themes, activities, micro-wishes, statistics.',
    });
    expect(full.servers).toEqual([{ url: 'https://api.example' }]);
    expect(buildOpenApi([], { district: 'wuhou' })).not.toHaveProperty('servers');
  });

  it('has one operation per route of the table, each with a unique id made of its method and path', () => {
    const full = build();
    const ops = ROUTES.map((r) => op(full, r.method.toLowerCase(), r.path));
    expect(ops.every(Boolean)).toBe(true);
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ROUTES.length);
    expect(op(full, 'post', '/communities/{communityId}/grids').operationId).toBe('postCommunitiesCommunityIdGrids');
    expect(op(full, 'get', '/stats/monthly.csv').operationId).toBe('getStatsMonthlyCsv');
    expect(op(full, 'get', '/members/me/check-ins').operationId).toBe('getMembersMeCheckIns');
    expect(op(full, 'delete', '/activities/{activityId}/signups/me').operationId).toBe(
      'deleteActivitiesActivityIdSignupsMe',
    );
  });

  it('each operation: the route’s summary, its function as tag, its roles, and a bearer token unless public', () => {
    const full = build();
    for (const r of ROUTES) {
      const o = op(full, r.method.toLowerCase(), r.path);
      expect(o.summary).toBe(r.summary);
      expect(o.tags).toEqual([r.function]);
      expect(o['x-roles']).toEqual(r.roles);
      expect(o.security).toEqual(r.auth === 'jwt' ? [{ jwt: [] }] : []);
      if (r.auth === 'jwt') expect(o.responses).toMatchObject({ 401: problem, 403: problem });
      else {
        expect(o.responses).not.toHaveProperty('401');
        expect(o.responses).not.toHaveProperty('403');
      }
      expect(o.responses.default).toEqual(problem);
    }
    expect(full.components.securitySchemes).toEqual({ jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
  });

  it('a creating POST: its body, its 201 with the response schema, 400, and the Idempotency-Key header', () => {
    const full = build();
    const o = op(full, 'post', '/streets');
    expect(o.requestBody?.required).toBe(true);
    expect(o.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['name'],
    });
    expect(Object.keys(o.responses)).toEqual(['201', '400', '401', '403', 'default']);
    expect(o.responses['201']).toMatchObject({ description: 'Success' });
    expect(o.responses['201']!.content?.['application/json']?.schema).toMatchObject({ type: 'object' });
    expect(o.responses['400']).toEqual(problem);
    expect(o.parameters).toEqual([
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
        description: 'A replay with the same key and body returns the first response and creates nothing.',
      },
    ]);
  });

  it('a route without input has no 400 and no parameters; one without a response schema no content', () => {
    const contracts: Contract[] = [{ method: 'GET', path: '/health' }];
    const o = op(buildOpenApi(contracts, { district: 'd' }) as Doc, 'get', '/health');
    expect(o.parameters).toEqual([]);
    expect(o).not.toHaveProperty('requestBody');
    expect(o).not.toHaveProperty('description');
    expect(o.responses).toEqual({ 200: { description: 'Success' }, default: problem });
  });

  it('path parameters are required; query parameters as their schema says, with their descriptions', () => {
    const contracts: Contract[] = [
      {
        method: 'GET',
        path: '/communities/{communityId}',
        params: z.strictObject({ communityId: described(z.string(), 'the community') }),
        query: z.strictObject({
          status: z.string(),
          limit: z.optional(z.string()),
          note: described(z.string(), 'a note'),
        }),
        status: 202,
        description: 'Reads one',
      },
    ];
    const o = op(buildOpenApi(contracts, { district: 'd' }) as Doc, 'get', '/communities/{communityId}');
    expect(o.description).toBe('Reads one');
    expect(o.parameters).toEqual([
      {
        name: 'communityId',
        in: 'path',
        required: true,
        schema: { type: 'string', description: 'the community' },
        description: 'the community',
      },
      { name: 'status', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'string' } },
      {
        name: 'note',
        in: 'query',
        required: true,
        schema: { type: 'string', description: 'a note' },
        description: 'a note',
      },
    ]);
    expect(Object.keys(o.responses)).toEqual(['202', '400', '401', '403', 'default']);
    // Optional path parameters do not exist: a path parameter is required even when its schema allows absence.
    const loose: Contract[] = [
      { method: 'GET', path: '/communities/{communityId}', params: z.object({ communityId: z.optional(z.string()) }) },
    ];
    expect(
      op(buildOpenApi(loose, { district: 'd' }) as Doc, 'get', '/communities/{communityId}').parameters[0],
    ).toMatchObject({
      in: 'path',
      required: true,
    });
  });

  it('every contract of the API is in the document, and every route of the table has its contract', () => {
    const full = build();
    for (const c of ALL_CONTRACTS)
      expect(
        ROUTES.some((r) => routeKey(r) === routeKey(c)),
        routeKey(c),
      ).toBe(true);
    expect(full.components.schemas.Problem).toEqual({
      type: 'object',
      required: ['type', 'title', 'status', 'detail', 'code'],
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer', examples: [400] },
        detail: { type: 'string' },
        code: { type: 'string' },
        errors: {
          type: 'array',
          items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    });
    // A body is documented as clients send it: a field with a default is optional.
    const theme = op(full, 'put', '/themes/{month}').requestBody!.content['application/json']!.schema;
    expect(theme.required).toEqual(['title', 'description', 'kickoffDate']);
    const problemSchema = full.components.schemas.Problem;
    expect(problemSchema.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
    expect(problemSchema.properties.status).toEqual({ type: 'integer', examples: [400] });
    expect(problemSchema.properties.errors).toEqual({
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    });
    expect(Object.keys(problemSchema.properties)).toEqual(['type', 'title', 'status', 'detail', 'code', 'errors']);
  });
});

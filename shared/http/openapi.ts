import * as z from 'zod/mini';
import '../contract/common.ts';
import { ROUTES, routeKey } from '../config/routes.ts';
import type { Contract } from './api.ts';
import { statusOf } from './problem.ts';

/**
 * The OpenAPI 3.1 document, generated from the route table (paths, security, roles) and the
 * same zod schemas that validate requests.
 */
const jsonSchema = (s: z.ZodMiniType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

function parameters(schema: z.ZodMiniType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

const problem = {
  description: 'An error, as RFC 9457 problem details',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

export function buildOpenApi(contracts: readonly Contract[], info: { district: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const c = contracts.find((x) => routeKey(x) === routeKey(r));
    const op: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_, ch: string) => ch.toUpperCase())}`,
      summary: r.summary,
      ...(c?.description ? { description: c.description } : {}),
      tags: [r.function],
      'x-roles': r.roles,
      security: r.auth === 'jwt' ? [{ jwt: [] }] : [],
      parameters: [
        ...parameters(c?.params, 'path'),
        ...parameters(c?.query, 'query'),
        ...(c?.idempotent
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
                description: 'A replay with the same key and body returns the first response and creates nothing.',
              },
            ]
          : []),
      ],
      ...(c?.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(c.body, 'input') } } } }
        : {}),
      responses: {
        [String(c?.status ?? 200)]: {
          description: 'Success',
          ...(c?.response ? { content: { 'application/json': { schema: jsonSchema(c.response, 'output') } } } : {}),
        },
        ...(c?.body || c?.query || c?.params ? { 400: problem } : {}),
        ...(r.auth === 'jwt' ? { 401: problem, 403: problem } : {}),
        default: problem,
      },
    };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `Pioneer API (${info.district})`,
      version: '1.0.0',
      description:
        'Community volunteer service: check-in, teams, monthly themes, activities, micro-wishes, statistics.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer', examples: [statusOf('VALIDATION_FAILED')] },
            detail: { type: 'string' },
            code: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}

import * as z from 'zod/mini';
import { beforeEach, describe, expect, it } from 'vitest';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { CORS } from '../../shared/config/cors.ts';
import { ROUTES, routeKey } from '../../shared/config/routes.ts';
import { CITY_CONTRACTS_BY_NAME, DISTRICT_CONTRACTS } from '../../shared/contract/index.ts';
import { TAGS } from '../../shared/contract/tags.ts';
import { ERROR_CODES } from '../../shared/domain/errors.ts';
import { buildOpenApi, operations, type OpenApiDocument, type Operation } from '../../shared/http/openapi.ts';
import { serveDocument } from '../../shared/http/openapi-serve.ts';
import { statusOf } from '../../shared/http/problem.ts';
import { DocumentValidator } from '../support/openapi.ts';

/**
 * The OpenAPI document (shared/http/openapi.ts) against the route tables and the contracts: every
 * route is an operation named after its contract, every contract carries what a client needs (a
 * tag, its error codes, an example of each input and of its success, each valid), bodies and
 * responses are named components, and `servers` come from the configuration only.
 */
// biome-ignore lint/suspicious/noExplicitAny: the test walks the whole JSON document and lets each assertion judge what it finds
type Json = Record<string, any>;
// Built before each test, never at load: Stryker credits a test only with what runs in it (and
// runs a mutant covered at load against every test of every file that imports its module).
let doc: Json;
let v: DocumentValidator;
let ops: Operation[];
beforeEach(() => {
  doc = buildOpenApi() as Json;
  v = new DocumentValidator(doc as OpenApiDocument);
  ops = operations();
});
const opOf = (method: string, path: string): Json => doc.paths[path][method.toLowerCase()];
const contracts = { ...DISTRICT_CONTRACTS, ...CITY_CONTRACTS_BY_NAME };

describe('the OpenAPI document', () => {
  it('has one operation per route of both tables, its operationId the contract’s export name', () => {
    const keys = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item as Json)
        .filter((m) => !m.startsWith('x-') && m !== 'servers')
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(keys.sort()).toEqual([...ROUTES, ...CITY_ROUTES].map(routeKey).sort());
    for (const [name, c] of Object.entries(contracts)) expect(opOf(c.method, c.path).operationId, name).toBe(name);
    expect(ops.length).toBe(Object.keys(contracts).length);
  });

  it('marks the city’s paths, which the City stack serves', () => {
    for (const r of CITY_ROUTES) {
      expect(doc.paths[r.path]['x-pioneer-api']).toBe('city');
      expect(opOf(r.method, r.path).tags).toEqual(['city']);
    }
    for (const r of ROUTES) expect(doc.paths[r.path]['x-pioneer-api']).toBeUndefined();
  });

  it('declares each tag it uses, with its description, in the order of shared/contract/tags.ts', () => {
    const used = new Set(ops.map((o) => o.contract.tag));
    expect(doc.tags).toEqual(
      Object.entries(TAGS)
        .filter(([t]) => used.has(t as keyof typeof TAGS))
        .map(([name, description]) => ({ name, description })),
    );
  });

  it('takes info’s licence and contact from configuration', () => {
    expect(doc.info.license.name).toBeTruthy();
    expect(doc.info.contact.email).toMatch(/@/);
    expect(doc.servers).toBeUndefined();
  });

  it('has an example of every input and of every success body, each accepted by the contract’s schema and the document’s', () => {
    for (const { name, contract: c } of ops) {
      const op = opOf(c.method, c.path);
      const ex = c.examples;
      expect(ex.params !== undefined, `${name}: a params example iff it has path parameters`).toBe(
        c.params !== undefined,
      );
      expect(ex.body !== undefined, `${name}: a body example iff it takes a body`).toBe(c.body !== undefined);
      expect(ex.query !== undefined, `${name}: a query example iff it takes query parameters`).toBe(
        c.query !== undefined,
      );
      expect(ex.response !== undefined, `${name}: a response example unless 204`).toBe(c.status !== 204);
      for (const [where, schema, value] of [
        ['params', c.params, ex.params],
        ['query', c.query, ex.query],
        ['body', c.body, ex.body],
      ] as const)
        if (schema) {
          // A query string carries every value as text.
          const sent =
            where === 'query' ? Object.fromEntries(Object.entries(value ?? {}).map(([k, x]) => [k, String(x)])) : value;
          expect(z.safeParse(schema, sent).error?.issues, `${name} ${where}`).toBeUndefined();
        }
      for (const p of op.parameters ?? [])
        if (p.in !== 'header') {
          const value = p.in === 'path' ? ex.params?.[p.name] : ex.query?.[p.name];
          if (p.required) expect(value, `${name}: example of required ${p.name}`).toBeDefined();
          if (value !== undefined) expect(v.errors(p.schema, value), `${name} ${p.name}`).toEqual([]);
        }
      if (c.body) {
        const media = op.requestBody.content['application/json'];
        expect(media.example, name).toEqual(JSON.parse(JSON.stringify(ex.body)));
        expect(v.errors(media.schema, ex.body), `${name} body`).toEqual([]);
      }
      const success = op.responses[String(c.status ?? 200)];
      for (const [type, media] of Object.entries((success.content ?? {}) as Record<string, Json>)) {
        expect(media.example, `${name} ${type}`).toBeDefined();
        expect(v.errors(media.schema, media.example), `${name} ${type}`).toEqual([]);
        if (c.response && type === 'application/json')
          expect(z.safeParse(c.response, ex.response).error?.issues, `${name} response`).toBeUndefined();
      }
    }
  });

  it('names every request body and JSON response: a generator makes a named type of each', () => {
    for (const { name, contract: c } of ops) {
      const op = opOf(c.method, c.path);
      if (c.body)
        expect(op.requestBody.content['application/json'].schema.$ref, name).toMatch(/^#\/components\/schemas\/\w+$/);
      const json = op.responses[String(c.status ?? 200)].content?.['application/json'];
      if (json) expect(json.schema.$ref, name).toMatch(/^#\/components\/schemas\/\w+$/);
    }
    // Shared types are components, referenced, never spelled again: the date-time pattern appears once.
    const text = JSON.stringify(doc);
    expect(text.split('"format":"date-time"').length - 1).toBe(1);
    for (const name of ['Id', 'DateTime', 'Date', 'Month', 'Category', 'Wish', 'Activity', 'Member', 'Problem'])
      expect(doc.components.schemas[name], name).toBeDefined();
  });

  it('marks a request body required only where the route needs one', () => {
    expect(opOf('POST', '/teams/{teamId}/members/{memberId}/reject').requestBody.required).toBe(false);
    for (const { name, contract: c } of ops)
      if (c.body && name !== 'rejectTeamMember') expect(opOf(c.method, c.path).requestBody.required, name).toBe(true);
  });

  it('lists every status an operation can answer, codes as an enum per status, and the gateway’s own answers', () => {
    const resolve = (r: Json): Json => (r.$ref ? doc.components.responses[r.$ref.split('/').pop()] : r);
    for (const { name, contract: c, entry } of ops) {
      const responses = opOf(c.method, c.path).responses as Record<string, Json>;
      expect(responses.default, name).toBeUndefined();
      for (const code of c.errors) {
        const problem = resolve(responses[String(statusOf(code))]!).content['application/problem+json'].schema;
        expect(problem.allOf[1].properties.code.enum, `${name} ${code}`).toContain(code);
      }
      // Every operation: 400, 413 (function and gateway), 415, 429 (gateway), 500, 503.
      for (const s of ['400', '413', '415', '429', '500', '503']) expect(responses[s], `${name} ${s}`).toBeDefined();
      const unauthorized = responses['401'];
      if (entry.auth === 'jwt') {
        expect(resolve(unauthorized!).content['application/json'].schema.$ref).toBe(
          '#/components/schemas/GatewayError',
        );
        expect(resolve(unauthorized!).headers['WWW-Authenticate']).toBeDefined();
      } else expect(unauthorized, name).toBeUndefined();
    }
    expect(doc.components.schemas.ErrorCode.enum).toEqual([...ERROR_CODES]);
  });

  it('says the real media types and headers: CSV with Content-Disposition, HTML on request, the document, Idempotency-Replayed, Retry-After', () => {
    const csv = opOf('GET', '/stats/monthly.csv').responses['200'];
    expect(Object.keys(csv.content)).toEqual(['text/csv']);
    expect(csv.headers['Content-Disposition'].required).toBe(true);
    expect(Object.keys(opOf('GET', '/city/stats/monthly.csv').responses['200'].content)).toEqual(['text/csv']);
    const cert = opOf('GET', '/certificates/{number}').responses['200'].content;
    expect(Object.keys(cert).sort()).toEqual(['application/json', 'text/html']);
    expect(cert['text/html'].example).toContain('<!doctype html>');
    expect(opOf('GET', '/openapi.json').responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/OpenApiDocument',
    );
    for (const { name, contract: c } of ops) {
      const headers = opOf(c.method, c.path).responses[String(c.status ?? 200)].headers ?? {};
      expect('Idempotency-Replayed' in headers, name).toBe(c.idempotent === true);
    }
    expect(doc.components.responses.Unavailable.headers['Retry-After']).toBeDefined();
  });

  it('lets a browser read every response header it documents (CORS exposes them)', () => {
    const names = new Set<string>();
    JSON.stringify(doc, (key, value) => {
      if (key === 'headers' && value && typeof value === 'object')
        for (const h of Object.keys(value)) names.add(h.toLowerCase());
      return value;
    });
    expect([...names].sort()).toEqual([
      'content-disposition',
      'content-encoding',
      'idempotency-replayed',
      'retry-after',
      'www-authenticate',
    ]);
    for (const h of names) expect(CORS.exposeHeaders, h).toContain(h);
  });

  it('writes the rules of refines into the schemas: trimmed text, real days, half hours, one of two fields', () => {
    const s = doc.components.schemas;
    expect(s.Date).toMatchObject({ format: 'date' });
    expect(s.Hours).toMatchObject({ multipleOf: 0.5, minimum: 0, maximum: 24 });
    expect(s.PublishActivityRequest.anyOf).toEqual([
      { properties: { address: {} }, required: ['address'] },
      { properties: { stationId: {} }, required: ['stationId'] },
    ]);
    const publish = { $ref: '#/components/schemas/PublishActivityRequest' };
    const activity = {
      title: 't',
      content: 'c',
      category: 'health',
      communityId: 'co-1',
      startsAt: '2026-12-05T09:00:00+08:00',
      endsAt: '2026-12-05T10:00:00+08:00',
      capacity: 3,
    };
    expect(v.errors(publish, activity)).not.toEqual([]);
    expect(v.errors(publish, { ...activity, stationId: 'ms-1' })).toEqual([]);
    expect(v.errors({ $ref: '#/components/schemas/Date' }, '2026-02-29')).not.toEqual([]);
    expect(v.errors({ $ref: '#/components/schemas/Date' }, '2028-02-29')).toEqual([]);
    expect(v.errors({ $ref: '#/components/schemas/Hours' }, 1.25)).not.toEqual([]);
    const name = s.CreateStreetRequest.properties.name;
    expect(v.errors(name, '  ')).not.toEqual([]);
    expect(v.errors(name, ' 春熙路街道 ')).toEqual([]);
    expect(v.errors(name, 'a\u0007b')).not.toEqual([]);
    const review = { $ref: '#/components/schemas/ReviewWishRequest' };
    expect(v.errors(review, { decision: 'reject' })).not.toEqual([]);
    expect(v.errors(review, { decision: 'publish' })).toEqual([]);
    const team = { $ref: '#/components/schemas/CreateTeamRequest' };
    const base = { name: '队', category: 'health', leaderMemberId: 'm-1' };
    expect(v.errors(team, { ...base, scope: 'community' })).not.toEqual([]);
    expect(v.errors(team, { ...base, scope: 'street', streetId: 's', communityId: 'c' })).not.toEqual([]);
    expect(v.errors(team, { ...base, scope: 'district' })).toEqual([]);
    expect(v.errors({ $ref: '#/components/schemas/PatchMeRequest' }, {})).not.toEqual([]);
  });

  it('is served with the configured base URLs, the city’s paths at the city’s URL or not at all', () => {
    const built = buildOpenApi();
    const served = serveDocument(built, {
      districtId: 'jinjiang',
      profile: { name: 'Jinjiang District', nameZh: '锦江区' },
      apiUrl: 'https://d.example/',
      cityApiUrl: 'https://c.example',
    }) as Json;
    expect(served.servers).toEqual([{ url: 'https://d.example', description: expect.stringContaining('Jinjiang') }]);
    expect(served.info.title).toContain('锦江区');
    expect(served.paths['/city/themes'].servers).toEqual([
      { url: 'https://c.example', description: expect.any(String) },
    ]);
    expect(served.paths['/health'].servers).toBeUndefined();
    const alone = serveDocument(built, { districtId: 'jinjiang', apiUrl: 'https://d.example' }) as Json;
    expect(Object.keys(alone.paths).filter((p) => p.startsWith('/city/'))).toEqual([]);
    expect(Object.keys(alone.paths).length).toBe(new Set(ROUTES.map((r) => r.path)).size);
  });
});

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { compileRoutes, matchRoute } from '../../infra/local/server.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import { buildOpenApi, type OpenApiDocument } from '../../shared/http/openapi.ts';
import type { Exchange } from './exchanges.ts';

/**
 * The OpenAPI document as a judge of what the API did (ajv, JSON Schema 2020-12 with formats):
 * `conformance(exchanges)` checks each response the tests saw against the document (its status is
 * documented for the operation, its media type is, its body fits that schema, its headers the
 * documented ones) and each request the API accepted (the document must accept it too).
 */

// ajv-formats is CommonJS; its plugin is also its own `default` property, whichever way a loader wraps it.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;

type Json = Record<string, unknown>;
const REF = '#/components/schemas/';
const ID = 'https://pioneer.example/openapi/schemas/';

/** A copy of `value` with every component `$ref` pointing at the component's own schema id. */
function rebase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebase);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith(REF) ? ID + v.slice(REF.length) : rebase(v),
    ]),
  );
}

export class DocumentValidator {
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(readonly doc: OpenApiDocument) {
    this.#ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
    addFormats(this.#ajv);
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
    for (const [name, schema] of Object.entries(schemas))
      this.#ajv.addSchema({ ...(rebase(schema) as Json), $id: ID + name });
  }

  /** What is wrong with `value` against `schema` (a schema of the document), or []. */
  errors(schema: unknown, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.#compiled.get(key);
    if (!validate) this.#compiled.set(key, (validate = this.#ajv.compile(rebase(schema) as Json)));
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim());
  }

  /** A response object, its `$ref` to components.responses followed. */
  response(ref: Json): Json {
    const r = ref.$ref;
    if (typeof r !== 'string') return ref;
    return (this.doc.components as { responses: Record<string, Json> }).responses[r.split('/').pop()!]!;
  }
}

let shared: DocumentValidator | undefined;
/** The document the contracts make, and its validator (one per test file). */
export function documentValidator(): DocumentValidator {
  shared ??= new DocumentValidator(buildOpenApi());
  return shared;
}

const ROUTE_TABLE = compileRoutes([...ROUTES, ...CITY_ROUTES]);

/** The headers the document speaks of: present on a response whose documentation does not name them, they are a finding. */
const DOCUMENTED_HEADERS = ['idempotency-replayed', 'content-disposition', 'retry-after', 'www-authenticate'];

const mediaType = (contentType: string | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

/** Path and query parameters as the API read them, typed by the document's parameter schema. */
function typed(value: string, schema: Json): unknown {
  const type = schema.type;
  // A query string carries a number in its plain decimal form (OpenAPI's simple style): 0x10, 1e1, +5 or 016 stay text.
  if (type === 'integer' && /^-?(0|[1-9][0-9]*)$/.test(value)) return Number(value);
  if (type === 'number' && /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value)) return Number(value);
  return value;
}

export interface Conformance {
  /** Exchanges checked against an operation of the document. */
  readonly checked: number;
  /** Exchanges that are no operation of the API, by why: the local job runner, CORS preflights, unknown paths. */
  readonly outside: Readonly<Record<string, number>>;
  /** What disagrees with the document, one line each. */
  readonly failures: string[];
  /** Requests the API refused as invalid (400 VALIDATION_FAILED) that the document's schemas accept. */
  readonly refusedButDocumented: string[];
  /** Status codes seen per operationId (`createStreet 201`), and error codes (`createStreet 409 CONCURRENT_UPDATE`). */
  readonly seen: Set<string>;
}

export function conformance(exchanges: readonly Exchange[], v: DocumentValidator = documentValidator()): Conformance {
  const failures: string[] = [];
  const refusedButDocumented: string[] = [];
  const outside: Record<string, number> = {};
  const seen = new Set<string>();
  let checked = 0;
  const out = (why: string) => {
    outside[why] = (outside[why] ?? 0) + 1;
  };
  for (const x of exchanges) {
    const where = `${x.method} ${x.path}${x.query ? `?${x.query}` : ''} -> ${x.status}`;
    const fail = (what: string) => failures.push(`${where}: ${what}`);
    if (x.path.startsWith('/_local/')) {
      out('local job runner (/_local/jobs)');
      continue;
    }
    if (x.method === 'OPTIONS') {
      out('CORS preflight (answered by API Gateway for any path)');
      continue;
    }
    const match = matchRoute(ROUTE_TABLE, x.method, x.path);
    if (!match) {
      if (x.status === 404 && x.body === '{"message":"Not Found"}') out('no such route (API Gateway 404)');
      else fail('no route of the document matches, and it is not API Gateway’s 404');
      continue;
    }
    checked++;
    const op = v.doc.paths[match.entry.path]?.[match.entry.method.toLowerCase()] as Json | undefined;
    if (!op) {
      fail(`${match.entry.method} ${match.entry.path} is not in the document`);
      continue;
    }
    const opId = op.operationId as string;
    seen.add(`${opId} ${x.status}`);
    const responses = op.responses as Record<string, Json>;
    const documented = responses[String(x.status)];
    if (!documented) {
      fail(
        `${opId}: status ${x.status} is not documented (${Object.keys(responses).join(', ')}): ${x.body.slice(0, 200)}`,
      );
      continue;
    }
    const res = v.response(documented);
    const type = mediaType(x.headers['content-type']);
    const content = res.content as Record<string, Json> | undefined;
    if (!content) {
      if (x.body !== '') fail(`${opId} ${x.status}: documented without a body, got ${type}: ${x.body.slice(0, 120)}`);
    } else if (!content[type]) {
      fail(
        `${opId} ${x.status}: media type ${type || '(none)'} is not documented (${Object.keys(content).join(', ')})`,
      );
    } else {
      let body: unknown = x.body;
      if (isJson(type)) {
        try {
          body = JSON.parse(x.body);
        } catch {
          fail(`${opId} ${x.status}: ${type} body is not JSON: ${x.body.slice(0, 120)}`);
          continue;
        }
        const code = (body as { code?: unknown }).code;
        if (typeof code === 'string') seen.add(`${opId} ${x.status} ${code}`);
      }
      for (const e of v.errors(content[type]!.schema, body))
        fail(`${opId} ${x.status} ${type}: ${e} (${x.body.slice(0, 160)})`);
    }
    const headers = (res.headers ?? {}) as Record<string, Json>;
    const named = new Map(Object.entries(headers).map(([k, h]) => [k.toLowerCase(), h]));
    for (const [name, h] of named) {
      const value = x.headers[name];
      if (value === undefined) {
        if (h.required) fail(`${opId} ${x.status}: required header ${name} is missing`);
        continue;
      }
      for (const e of v.errors(h.schema, value)) fail(`${opId} ${x.status}: header ${name}: ${e} (${value})`);
    }
    for (const name of DOCUMENTED_HEADERS)
      if (x.headers[name] !== undefined && !named.has(name))
        fail(`${opId} ${x.status}: header ${name} is sent but not documented`);

    // The request: one the API accepted must fit the document; one it refused as invalid should not.
    const requestFailures = requestErrors(v, op, match.pathParameters, x);
    if (x.status < 300 && requestFailures.length > 0)
      fail(`${opId}: the API accepted a request the document refuses: ${requestFailures.join('; ')}`);
    if (x.status === 400 && requestFailures.length === 0 && x.body.includes('"VALIDATION_FAILED"')) {
      // The document's schemas accept it: each field the problem names must be a rule the operation states in words.
      const rules = (op['x-pioneer-rules'] ?? {}) as Record<string, string>;
      const fields = ((JSON.parse(x.body) as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);
      const unexplained = fields.length === 0 ? ['(no field)'] : fields.filter((f) => !(f in rules));
      refusedButDocumented.push(`${where}: ${fields.join(', ')}`);
      if (unexplained.length > 0)
        fail(
          `${opId}: refused as invalid (${unexplained.join(', ')}) a request the document accepts, and states no rule for it: ${x.requestBody?.slice(0, 160) ?? ''}`,
        );
    }
  }
  return { checked, outside, failures, refusedButDocumented, seen };
}

function requestErrors(v: DocumentValidator, op: Json, pathParameters: Record<string, string>, x: Exchange): string[] {
  const errors: string[] = [];
  const query = new URLSearchParams(x.query ?? '');
  for (const p of (op.parameters ?? []) as Json[]) {
    const name = p.name as string;
    // API Gateway joins a repeated query parameter's values with commas.
    const values = query.getAll(name);
    const raw =
      p.in === 'path' ? pathParameters[name] : p.in === 'query' && values.length > 0 ? values.join(',') : undefined;
    if (p.in === 'header') continue;
    if (raw === undefined) {
      if (p.required) errors.push(`${p.in} parameter ${name} is missing`);
      continue;
    }
    for (const e of v.errors(p.schema, typed(raw, p.schema as Json))) errors.push(`${p.in} ${name}: ${e}`);
  }
  const known = new Set(((op.parameters ?? []) as Json[]).filter((p) => p.in === 'query').map((p) => p.name));
  for (const name of query.keys()) if (!known.has(name)) errors.push(`query ${name} is not a parameter`);
  const body = op.requestBody as Json | undefined;
  const sent = x.requestBody !== undefined && x.requestBody !== '';
  if (!body) {
    if (sent) errors.push('a body, where the operation takes none');
    return errors;
  }
  if (!sent) {
    if (body.required) errors.push('no body, where one is required');
    return errors;
  }
  const type = mediaType(x.requestHeaders['content-type']);
  const content = (body.content as Record<string, Json>)[type];
  if (!content) return [...errors, `request media type ${type || '(none)'} is not documented`];
  let value: unknown;
  try {
    value = JSON.parse(x.requestBody!);
  } catch {
    return [...errors, 'the body is not JSON'];
  }
  for (const e of v.errors(content.schema, value)) errors.push(`body ${e}`);
  return errors;
}

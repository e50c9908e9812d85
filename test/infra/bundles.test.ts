import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { ESBUILD_OPTIONS, MAX_BUNDLE_BYTES, SOURCE_MAP_OPTIONS } from '../../infra/bundling.ts';
import { FUNCTIONS_DIR } from '../../infra/local/paths.ts';
import { allFunctionSpecs } from '../../infra/catalog.ts';
import { functionEnvironment } from '../../infra/function-environment.ts';
import { CITY_ID } from '../../shared/config/city.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { requiredVariables } from '../../shared/config/env.ts';
import { lambdaName } from '../../shared/config/functions.ts';
import { buildOpenApi } from '../../shared/http/openapi.ts';
import { ROUTE_SUMMARIES } from '../../shared/config/route-summaries.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import { buildsBeforeBundling } from '../../infra/constructs/pioneer-function.ts';
import { RUNTIME_FIELDS, ROUTES_BUILD_DIR } from '../../infra/routes-build.ts';
import { allFunctions, bundle } from '../bench/bundles.ts';
import { useFreshTable } from '../support/table.ts';

/**
 * The bundles Lambda runs, not just the sources the other tests import: each function, built
 * with the same esbuild options as CDK (aliases included), stays under 300 KB, and the bundles
 * answer real requests against DynamoDB Local with the credentials taken from the environment,
 * as in Lambda (the bundle-time credential shim is on that path).
 */
const files = new Map<string, string>();

beforeAll(async () => {
  for (const name of allFunctions()) files.set(name, await bundle(name));
}, 120_000);

function event(routeKey: string, rawPath: string, opts: { body?: unknown; claims?: Record<string, string> } = {}) {
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      requestId: 'bundle-test',
      routeKey,
      http: {
        method: routeKey.split(' ')[0],
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      ...(opts.claims ? { authorizer: { jwt: { claims: opts.claims, scopes: null } } } : {}),
    },
    ...(opts.body ? { body: JSON.stringify(opts.body), isBase64Encoded: false } : {}),
  };
}

const context = { awsRequestId: 'bundle-test', functionName: 'bundle-test', getRemainingTimeInMillis: () => 10_000 };

describe('function bundles', () => {
  it('hold no list of districts: a district added to shared/config changes no bundle (the city reads the directory)', async () => {
    for (const name of allFunctions()) {
      const r = await build({
        ...ESBUILD_OPTIONS,
        entryPoints: [path.join(FUNCTIONS_DIR, name, 'index.ts')],
        write: false,
        metafile: true,
        outfile: path.join(os.tmpdir(), 'pioneer-metafile', `${name}.mjs`),
        logLevel: 'error',
      });
      const inputs = Object.keys(r.metafile.inputs);
      expect(
        inputs.some((f) => f.endsWith('shared/services/city.ts') || f.includes(`functions/${name}/`)),
        name,
      ).toBe(true);
      expect(
        inputs.filter((f) => f.endsWith('shared/config/districts.ts')),
        name,
      ).toEqual([]);
    }
  }, 60_000);

  it('give readable stack traces with their source maps, switchable (shared/config: sourceMaps)', async () => {
    const outfile = path.join(os.tmpdir(), 'pioneer-sourcemaps', 'jobs', 'index.mjs');
    await build({
      ...ESBUILD_OPTIONS,
      ...SOURCE_MAP_OPTIONS,
      entryPoints: [path.join(FUNCTIONS_DIR, 'jobs', 'index.ts')],
      outfile,
      logLevel: 'error',
    });
    // A job the function does not know: it throws from shared/http/job.ts.
    const script = `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); try { await m.handler({ job: 'nope' }, {}); } catch (e) { process.stdout.write(e.stack); }`;
    const run = (nodeOptions: string) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env: {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'ap-southeast-1',
          DISTRICT_ID: 'jinjiang',
          NODE_OPTIONS: nodeOptions,
        },
        encoding: 'utf8',
      }).stdout;
    const mapped = run('--enable-source-maps');
    expect(mapped).toContain('unknown job nope');
    expect(mapped).toMatch(/shared\/http\/job\.ts:\d+:\d+/);
    const raw = run('');
    expect(raw).toContain('unknown job nope');
    expect(raw).not.toContain('shared/http/job.ts');
    expect(raw).toMatch(/index\.mjs:\d+:\d+/);
  }, 60_000);

  it('carry the route table with what the HTTP stack reads, not what only the document and the stacks read', async () => {
    for (const name of allFunctionSpecs()
      .filter((s) => s.stack === 'district' && s.routeKeys.length > 0)
      .map((s) => s.name)) {
      // The module the function's bundle imports as #routes/<function>: its own entries, in order,
      // with the runtime fields only.
      const built = (await import(pathToFileURL(path.join(ROUTES_BUILD_DIR, `${name}.js`)).href)) as {
        ROUTES: Record<string, unknown>[];
      };
      const own = ROUTES.filter((r) => r.function === name);
      expect(own.length, name).toBeGreaterThan(0);
      expect(built.ROUTES, name).toEqual(own.map((r) => Object.fromEntries(RUNTIME_FIELDS.map((f) => [f, r[f]]))));
      const code = readFileSync(files.get(name)!, 'utf8');
      // Its own entries are in the bundle, and no other function's.
      expect(code, name).toContain(`function:"${name}"`);
      for (const other of new Set(ROUTES.map((r) => r.function)))
        if (other !== name) expect(code, name).not.toContain(`function:"${other}"`);
      // The route summaries (the document's and the README's) stay out of every district bundle...
      expect(code, name).not.toContain(ROUTE_SUMMARIES['GET /health']);
      // ... and CDK builds the module before bundling each function that imports it.
      expect(buildsBeforeBundling(name), name).toContain('infra/routes-build.ts');
    }
  });

  it('each stays under 300 KB minified', () => {
    const sizes = Object.fromEntries([...files].map(([name, file]) => [name, readFileSync(file).length]));
    for (const [name, bytes] of Object.entries(sizes)) expect(bytes, name).toBeLessThan(MAX_BUNDLE_BYTES);
  });

  it('load in Lambda with what the builder gives them, and fail at cold start naming what their declaration requires and is missing', () => {
    /** Imports a bundle in a fresh Node.js process, as Lambda's init does, with exactly `env`. */
    const init = (name: string, env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(files.get(name)!).href)})`],
        {
          env: { PATH: process.env.PATH ?? '', AWS_REGION: 'ap-southeast-1', ...env },
          encoding: 'utf8',
        },
      );
    for (const spec of allFunctionSpecs()) {
      const stackId = spec.stack === 'city' ? CITY_ID : LOCAL_DISTRICT_ID;
      const AWS_LAMBDA_FUNCTION_NAME = lambdaName(stackId, spec.name);
      const built = functionEnvironment(spec, {
        stackId,
        tables: { district: 'pioneer-t', city: 'pioneer-c' },
        cityBus: 'pioneer-b',
        profile: { name: 'Test District', nameZh: '测试区', code: '510199' },
        districtDirectory: '/pioneer/districts',
        sourceMaps: true,
        apiUrl: 'https://district.example/',
        cityApiUrl: 'https://city.example/',
      });
      const ok = init(spec.name, { ...built.variables, AWS_LAMBDA_FUNCTION_NAME });
      expect(ok.status, `${spec.name}: ${ok.stderr}`).toBe(0);
      // Without any one variable its declaration requires, it cannot start, and says which.
      for (const variable of requiredVariables(spec).slice(1)) {
        const { [variable]: _, ...rest } = built.variables;
        const without = init(spec.name, { ...rest, AWS_LAMBDA_FUNCTION_NAME });
        expect(without.status, `${spec.name} without ${variable}`).not.toBe(0);
        expect(without.stderr, `${spec.name} without ${variable}`).toMatch(
          new RegExp(`environment variable [A-Z_, ]*\\b${variable}\\b[A-Z_, ]* (is|are) not set`),
        );
      }
      // And with what it does not declare taken away, it still starts: nothing else is asked for at cold start.
      const only = Object.fromEntries(requiredVariables(spec).map((v) => [v, built.variables[v] ?? stackId]));
      const minimal = init(spec.name, { ...only, AWS_LAMBDA_FUNCTION_NAME });
      expect(minimal.status, `${spec.name}: ${minimal.stderr}`).toBe(0);
    }
    // Every function needs more than its stack id: a table, or for docs the API's URL, for the
    // city's Cognito triggers the directory of districts (the pool they take from their event).
    expect(
      allFunctionSpecs()
        .filter((s) => requiredVariables(s).length === 1)
        .map((s) => s.name),
    ).toEqual([]);
    const noStack = init('docs', { AWS_LAMBDA_FUNCTION_NAME: lambdaName(LOCAL_DISTRICT_ID, 'docs') });
    expect(noStack.stderr).toContain('environment variable DISTRICT_ID is not set');
    // Outside Lambda nothing is checked at load (tests and the local runtime import the handlers).
    expect(init('members', {}).status).toBe(0);
  }, 60_000);

  it('answer requests against DynamoDB Local with credentials from the environment', async () => {
    await useFreshTable();
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLAMBDA';
    process.env.AWS_SECRET_ACCESS_KEY = 'lambda-secret';
    process.env.AWS_SESSION_TOKEN = 'lambda-session';
    try {
      const platform = (await import(pathToFileURL(files.get('platform')!).href)) as {
        handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }>;
      };
      const health = await platform.handler(event('GET /health', '/health'), context);
      expect(health.statusCode).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', table: 'reachable' });

      const members = (await import(pathToFileURL(files.get('members')!).href)) as typeof platform;
      const claims = { sub: 'admin-1', 'cognito:groups': '[district_admin]', 'custom:district': LOCAL_DISTRICT_ID };
      const created = await members.handler(
        event('POST /streets', '/streets', { body: { name: '街道' }, claims }),
        context,
      );
      expect(created.statusCode).toBe(201);
      const bad = await members.handler(
        event('POST /streets', '/streets', { body: { name: '街道', x: 1 }, claims }),
        context,
      );
      expect(bad.statusCode).toBe(400);
      expect(JSON.parse(bad.body).errors[0].message).toMatch(/Unrecognized key/);

      // Same context object as the calls before: no state (the last body) may leak between invocations.
      // The document built into the bundle is the one the contracts make, with the configured base URL.
      process.env.API_URL = 'https://district.example/';
      const docs = (await import(pathToFileURL(files.get('docs')!).href)) as typeof platform;
      const doc = await docs.handler(event('GET /openapi.json', '/openapi.json'), context);
      const { servers, info, paths, ...rest } = JSON.parse(doc.body);
      const built = buildOpenApi();
      expect(servers).toEqual([{ url: 'https://district.example', description: expect.any(String) }]);
      expect(rest).toEqual(JSON.parse(JSON.stringify({ ...built, info: undefined, paths: undefined })));
      expect(info).toEqual({ ...built.info, title: expect.stringContaining(built.info.title) });
      // No CITY_API_URL: the city's paths are left out, the district's are all there.
      expect(Object.keys(paths)).toEqual(Object.keys(built.paths).filter((p) => !p.startsWith('/city/')));
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      delete process.env.AWS_SESSION_TOKEN;
      delete process.env.API_URL;
    }
  });
});

import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { allFunctionSpecs } from '../../infra/catalog.ts';
import { ESBUILD_OPTIONS, SOURCE_MAP_OPTIONS } from '../../infra/bundling.ts';
import { writeOpenApiBuild } from '../../infra/openapi-build.ts';
import { writeRuntimeRoutes } from '../../infra/routes-build.ts';

/**
 * Bundles each function as CDK does (same esbuild options, infra/bundling.ts) and measures:
 * bytes, gzip bytes, and the time to import it in a fresh Node.js process, next to an empty
 * handler's. Each load is the median of several fresh processes.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, '.bench', 'bundles');

export interface BundleFigure {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly loadMs: number;
}

export function allFunctions(): string[] {
  // Every function of both kinds of stack (the city's jobs and the pool's triggers included).
  return [...new Set(allFunctionSpecs().map((s) => s.name))].sort();
}

let documentBuilt = false;

export async function bundle(name: string, entry = path.join(ROOT, 'functions', name, 'index.ts')): Promise<string> {
  // What CDK builds before bundling (infra/constructs/pioneer-function.ts): the OpenAPI document the
  // docs bundle imports, the route table every district bundle imports.
  if (!documentBuilt) {
    writeOpenApiBuild();
    writeRuntimeRoutes();
  }
  documentBuilt = true;
  const outfile = path.join(OUT, name, 'index.mjs');
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({ ...ESBUILD_OPTIONS, entryPoints: [entry], outfile, logLevel: 'error' });
  return outfile;
}

/** Median of `runs` fresh Node.js processes running `script` (which prints a number of ms). */
function medianMs(script: string, runs: number, nodeOptions = ''): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        TABLE_NAME: 'bench',
        DISTRICT_ID: 'bench',
        AWS_REGION: 'ap-southeast-1',
        NODE_OPTIONS: nodeOptions,
      },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`${script.slice(0, 120)} failed: ${r.stderr}`);
    times.push(Number(r.stdout));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function loadMs(file: string, runs: number, nodeOptions = ''): number {
  const script = `const t=performance.now();await import(${JSON.stringify('file://' + file)});process.stdout.write(String(performance.now()-t));`;
  return medianMs(script, runs, nodeOptions);
}

export async function measureBundles(runs = 7): Promise<BundleFigure[]> {
  const emptyEntry = path.join(OUT, 'empty-src.ts');
  mkdirSync(OUT, { recursive: true });
  writeFileSync(emptyEntry, 'export const handler = async () => ({ statusCode: 200, body: "" });\n');
  const figures: BundleFigure[] = [];
  for (const name of ['(empty handler)', ...allFunctions()]) {
    const file = name === '(empty handler)' ? await bundle('empty', emptyEntry) : await bundle(name);
    const code = readFileSync(file);
    figures.push({ name, bytes: code.length, gzipBytes: gzipSync(code).length, loadMs: loadMs(file, runs) });
  }
  return figures;
}

/**
 * The embedded-metric writer, chosen by measure: the same handler (one business metric, written
 * as EMF at the end of the invocation) with our writer (shared/metrics/metrics.ts) and with
 * Powertools for AWS Lambda (TypeScript) Metrics, bundled with the functions' esbuild options,
 * against the empty handler: bytes, gzip bytes, load (median of fresh processes), and the first
 * invocation (load, then one call that writes the metric line to stdout).
 */
export interface MetricsWriterFigure extends BundleFigure {
  readonly firstCallMs: number;
}

export async function measureMetricsWriters(runs = 21): Promise<MetricsWriterFigure[]> {
  mkdirSync(OUT, { recursive: true });
  const entries: Array<[string, string]> = [
    ['(empty handler)', 'export const handler = async () => ({ statusCode: 200, body: "" });\n'],
    [
      'EMF writer of our own (shared/metrics)',
      `import { addMetric, withMetrics } from ${JSON.stringify(path.join(ROOT, 'shared/metrics/metrics.ts'))};
export const handler = async (event, context) =>
  withMetrics({ functionName: context?.functionName }, async () => { addMetric('SignUps'); return { statusCode: 200, body: '' }; });
`,
    ],
    [
      'Powertools Metrics 2.35.0',
      `import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
const metrics = new Metrics({ namespace: 'Pioneer', serviceName: 'activities' });
export const handler = async () => {
  metrics.addDimension('District', process.env.DISTRICT_ID ?? 'unknown');
  metrics.addMetric('SignUps', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  return { statusCode: 200, body: '' };
};
`,
    ],
  ];
  const built = [];
  for (const [name, source] of entries) {
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    const entry = path.join(OUT, `${slug}-src.mjs`);
    writeFileSync(entry, source);
    const file = await bundle(`metrics-${slug}`, entry);
    const load = `const t=performance.now();await import(${JSON.stringify('file://' + file)});process.stdout.write(String(performance.now()-t));`;
    const call = `const t=performance.now();const m=await import(${JSON.stringify('file://' + file)});const w=process.stdout.write.bind(process.stdout);process.stdout.write=()=>true;await m.handler({}, { functionName: 'pioneer-bench-activities' });process.stdout.write=w;process.stdout.write(String(performance.now()-t));`;
    built.push({ name, code: readFileSync(file), load, call, loads: [] as number[], calls: [] as number[] });
  }
  // In turn (A B C A B C ...), so that a busy machine weighs on every variant alike.
  for (let i = 0; i < runs; i++)
    for (const b of built) {
      b.loads.push(medianMs(b.load, 1));
      b.calls.push(medianMs(b.call, 1));
    }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return built.map((b) => ({
    name: b.name,
    bytes: b.code.length,
    gzipBytes: gzipSync(b.code).length,
    loadMs: median(b.loads),
    firstCallMs: median(b.calls),
  }));
}

/**
 * Readable stack traces: the jobs function bundled with its linked source map (infra/bundling.ts),
 * loaded and made to throw, without and with NODE_OPTIONS=--enable-source-maps.
 */
export async function measureSourceMaps(runs = 15): Promise<{
  mapBytes: number;
  rows: Array<{ options: string; loadMs: number; firstErrorMs: number }>;
}> {
  const outfile = path.join(OUT, 'jobs-with-map', 'index.mjs');
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    ...ESBUILD_OPTIONS,
    ...SOURCE_MAP_OPTIONS,
    entryPoints: [path.join(ROOT, 'functions', 'jobs', 'index.ts')],
    outfile,
    logLevel: 'error',
  });
  const error = `const m=await import(${JSON.stringify('file://' + outfile)});const t=performance.now();try{await m.handler({job:'nope'},{})}catch(e){void e.stack}process.stdout.write(String(performance.now()-t));`;
  const rows = ['', '--enable-source-maps'].map((options) => ({
    options,
    loads: [] as number[],
    errors: [] as number[],
  }));
  // In turn, as above.
  for (let i = 0; i < runs; i++)
    for (const r of rows) {
      r.loads.push(loadMs(outfile, 1, r.options));
      r.errors.push(medianMs(error, 1, r.options));
    }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    mapBytes: readFileSync(`${outfile}.map`).length,
    rows: rows.map((r) => ({
      options: r.options || '(none)',
      loadMs: median(r.loads),
      firstErrorMs: median(r.errors),
    })),
  };
}

import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { allFunctionSpecs } from '../../infra/catalog.ts';
import { ESBUILD_OPTIONS } from '../../infra/bundling.ts';
import { writeOpenApiBuild } from '../../infra/openapi-build.ts';

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
  // Every function of both kinds of stack, the pool's triggers (no route names them) included.
  return [...new Set(allFunctionSpecs().map((s) => s.name))].sort();
}

let documentBuilt = false;

export async function bundle(name: string, entry = path.join(ROOT, 'functions', name, 'index.ts')): Promise<string> {
  // What CDK builds before bundling (infra/constructs/pioneer-function.ts): the OpenAPI document the docs bundle imports.
  if (!documentBuilt) writeOpenApiBuild();
  documentBuilt = true;
  const outfile = path.join(OUT, name, 'index.mjs');
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({ ...ESBUILD_OPTIONS, entryPoints: [entry], outfile, logLevel: 'error' });
  return outfile;
}

function loadMs(file: string, runs: number): number {
  const script = `const t=performance.now();await import(${JSON.stringify('file://' + file)});process.stdout.write(String(performance.now()-t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, TABLE_NAME: 'bench', DISTRICT_ID: 'bench', AWS_REGION: 'ap-southeast-1' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`loading ${file} failed: ${r.stderr}`);
    times.push(Number(r.stdout));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
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

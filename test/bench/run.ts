import { measureBundles, measureMetricsWriters, measureSourceMaps } from './bundles.ts';
import { costBench } from './cost.ts';
import { MAX_BUNDLE_BYTES } from '../../infra/bundling.ts';
import { activitiesScenario } from './activities.ts';
import { burstBench, burstTable } from './burst.ts';
import { everyRoute, routesTable } from './routes.ts';
import { membersScenario } from './members.ts';
import { rollupBench, rollupTable } from './rollup.ts';
import { stationsScenario } from './stations.ts';
import { verifyBench, verifyTable } from './verify.ts';
import { table, withPlatform } from './requests.ts';
import { wishesScenario } from './wishes.ts';
import { mutationTable } from './mutation.ts';

/**
 * `npm run bench [-- bundles|requests|stations|routes|cost|rollup|verify|burst [concurrency]|mutation]`:
 * prints each benchmark's table (markdown), for the README and issue notes. The rollup bench seeds
 * 110,000 records and takes a minute or two; the burst (a service day at once) a few minutes.
 * `mutation` (only when asked for) reads the last `npm run mutation` report: the score per folder
 * and file, and the mutants left alive; it fails under 90 % in a folder.
 */
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function bundles(): Promise<boolean> {
  const figures = await measureBundles();
  const empty = figures.find((f) => f.name === '(empty handler)')!;
  console.log(
    '\n## Function bundles (esbuild, minified, AWS SDK bundled; load = median import time in a fresh Node.js process)\n',
  );
  console.log('| function | bytes | gzip | load (ms) | load over empty (ms) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const f of figures)
    console.log(
      `| ${f.name} | ${f.bytes} (${kb(f.bytes)}) | ${f.gzipBytes} (${kb(f.gzipBytes)}) | ${f.loadMs.toFixed(1)} | ${(f.loadMs - empty.loadMs).toFixed(1)} |`,
    );
  const over = figures.filter((f) => f.bytes > MAX_BUNDLE_BYTES);
  if (over.length) console.log(`\nOVER ${kb(MAX_BUNDLE_BYTES)}: ${over.map((f) => f.name).join(', ')}`);

  const writers = await measureMetricsWriters();
  const base = writers[0]!;
  console.log(
    '\n## Embedded metrics: our writer against Powertools Metrics (one metric per invocation, same esbuild options)\n',
  );
  console.log('| handler | bytes | gzip | load (ms) | load over empty (ms) | load + first call (ms) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const w of writers)
    console.log(
      `| ${w.name} | ${w.bytes} (${kb(w.bytes)}) | ${w.gzipBytes} (${kb(w.gzipBytes)}) | ${w.loadMs.toFixed(1)} | ${(w.loadMs - base.loadMs).toFixed(1)} | ${w.firstCallMs.toFixed(1)} |`,
    );

  const maps = await measureSourceMaps();
  console.log(`\n## Source maps: the jobs bundle with its linked map (${kb(maps.mapBytes)}, no sources inside)\n`);
  console.log('| NODE_OPTIONS | load (ms) | first error stack (ms) |');
  console.log('|---|---:|---:|');
  for (const r of maps.rows) console.log(`| ${r.options} | ${r.loadMs.toFixed(1)} | ${r.firstErrorMs.toFixed(1)} |`);
  return over.length === 0;
}

async function requests(): Promise<boolean> {
  await withPlatform(async (p) => {
    console.log(table('Members and check-in: cost per request', await membersScenario(p)));
    console.log(table('Activities: cost per request', await activitiesScenario(p)));
    console.log(table('Micro-wishes: cost per request', await wishesScenario(p)));
    console.log(table('Micro-stations and training: cost per request', await stationsScenario(p)));
  });
  return true;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const only = process.argv[2];
let ok = true;
if (!only || only === 'bundles') ok = (await bundles()) && ok;
if (!only || only === 'requests') ok = (await requests()) && ok;
if (only === 'stations')
  await withPlatform(async (p) =>
    console.log(table('Micro-stations and training: cost per request', await stationsScenario(p))),
  );
if (!only || only === 'routes')
  await withPlatform(async (p) => console.log(routesTable(await everyRoute(p))), { city: true });
if (!only || only === 'rollup') console.log(rollupTable(await rollupBench()));
if (!only || only === 'cost') console.log(await costBench());
if (!only || only === 'verify') {
  const rows = await verifyBench();
  console.log(verifyTable(rows));
  ok = rows.every((r) => r.differences === 0) && ok;
}
if (!only || only === 'burst') {
  const r = await burstBench(process.argv[3] ? Number(process.argv[3]) : undefined);
  console.log(burstTable(r));
  ok = r.differences === 0 && ok;
}
if (only === 'mutation') {
  const { table, survivors, ok: enough } = mutationTable();
  console.log(`\n${table}\n\nAlive (${survivors.length}):\n${survivors.join('\n')}`);
  ok = enough && ok;
}
process.exit(ok ? 0 : 1);

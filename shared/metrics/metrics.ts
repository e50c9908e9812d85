import { AsyncLocalStorage } from 'node:async_hooks';
import { env, logsSilenced } from '../config/env.ts';
import { DIMENSIONS, METRICS, METRICS_NAMESPACE, type MetricName } from '../config/metrics.ts';

/**
 * CloudWatch embedded metric format (EMF), written by hand: each invocation collects its metrics
 * (`addMetric`, from any code it runs, through an AsyncLocalStorage scope that follows every await)
 * and writes them at its end as one JSON line on stdout, which CloudWatch Logs turns into metrics
 * of the `Pioneer` namespace (shared/config/metrics.ts). No API call, no client, no wait.
 *
 * Why not Powertools Metrics: measured with the same esbuild options (`npm run bench -- bundles`),
 * it adds ~13 KB to a bundle and a few ms of load for what ~1.5 KB does here (README, "Metrics").
 *
 * Outside an invocation (tests calling services directly) `addMetric` does nothing.
 */
interface Batch {
  readonly functionName: string;
  readonly job: string | undefined;
  readonly values: Map<MetricName, number>;
}

const scope = new AsyncLocalStorage<Batch>();

/** Adds `value` (default 1) to the metric in the invocation running now. */
export function addMetric(name: MetricName, value = 1): void {
  const b = scope.getStore();
  if (b) b.values.set(name, (b.values.get(name) ?? 0) + value);
}

let sink: (line: string) => void = (line) => {
  if (!logsSilenced()) process.stdout.write(`${line}\n`);
};

/** Tests read the lines; returns a function that puts the previous sink back. */
export function setMetricSink(fn: (line: string) => void): () => void {
  const prev = sink;
  sink = fn;
  return () => {
    sink = prev;
  };
}

/** The function's short name (`members`) from Lambda's (`pioneer-<district>-members`). */
export function shortFunctionName(lambdaName: string | undefined): string {
  const prefix = `pioneer-${env().districtId}-`;
  if (!lambdaName) return 'unknown';
  return lambdaName.startsWith(prefix) ? lambdaName.slice(prefix.length) : lambdaName;
}

/**
 * Runs one invocation of function `functionName` (Lambda's name; `job` for a job's run) and writes
 * the metrics it added, whether it returned or threw.
 */
export async function withMetrics<T>(
  invocation: { readonly functionName: string | undefined; readonly job?: string },
  run: () => Promise<T>,
): Promise<T> {
  const batch: Batch = {
    functionName: shortFunctionName(invocation.functionName),
    job: invocation.job,
    values: new Map(),
  };
  try {
    return await scope.run(batch, run);
  } finally {
    flush(batch);
  }
}

/** One EMF document: a directive per dimension set that has values. */
export function emfLine(batch: Batch, timestamp = Date.now()): string | undefined {
  if (batch.values.size === 0) return undefined;
  const directives = [];
  for (const kind of ['business', 'job', 'api'] as const) {
    const names = [...batch.values.keys()].filter((n) => METRICS[n].kind === kind);
    if (names.length === 0) continue;
    if (kind === 'job' && batch.job === undefined) throw new Error(`job metric ${names.join(', ')} outside a job`);
    directives.push({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [[...DIMENSIONS[kind]]],
      Metrics: names.map((n) => ({ Name: n, Unit: METRICS[n].unit })),
    });
  }
  return JSON.stringify({
    _aws: { Timestamp: timestamp, CloudWatchMetrics: directives },
    District: env().districtId,
    Function: batch.functionName,
    ...(batch.job !== undefined ? { Job: batch.job } : {}),
    ...Object.fromEntries(batch.values),
  });
}

function flush(batch: Batch): void {
  let line: string | undefined;
  try {
    line = emfLine(batch);
  } catch (err) {
    // A metric must never fail the invocation that counted it.
    process.stderr.write(`[metrics] not written: ${(err as Error).message}\n`);
    return;
  }
  if (line) sink(line);
}

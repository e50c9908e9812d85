import { setMetricSink } from '../../shared/metrics/metrics.ts';

/**
 * Captures the embedded-metric lines the functions write (shared/metrics/metrics.ts) while a test
 * drives them through the local runtime (in this process), and sums them by metric and dimensions.
 */
export interface CapturedMetrics {
  /** Every EMF document written since the capture started. */
  readonly documents: Array<Record<string, unknown>>;
  /** The sum of `name` over the documents whose dimensions include `dims`. */
  total(name: string, dims?: Record<string, string>): number;
  /** How many documents carry `name`. */
  count(name: string, dims?: Record<string, string>): number;
  stop(): void;
}

export function captureMetrics(): CapturedMetrics {
  const documents: Array<Record<string, unknown>> = [];
  const stop = setMetricSink((line) => documents.push(JSON.parse(line) as Record<string, unknown>));
  const matching = (name: string, dims: Record<string, string>) =>
    documents.filter((d) => name in d && Object.entries(dims).every(([k, v]) => d[k] === v));
  return {
    documents,
    total: (name, dims = {}) => matching(name, dims).reduce((sum, d) => sum + (d[name] as number), 0),
    count: (name, dims = {}) => matching(name, dims).length,
    stop,
  };
}

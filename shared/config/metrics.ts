/**
 * The platform's own metrics, declared once: each function writes them as CloudWatch embedded
 * metrics (shared/metrics/metrics.ts: one JSON log line per invocation that has any, which
 * CloudWatch Logs turns into metrics, no API call), and the monitoring construct
 * (infra/constructs/monitoring.ts) graphs them and alarms on some. Namespace `Pioneer`.
 *
 * Dimensions: every metric has District (the stack's id, `city` for the City stack) and Function
 * (`members`, `jobs`, ...); a job's metrics also Job (`rollup`, ...). Each metric name with one
 * set of dimension values is one billed custom metric (README, "Cost model").
 */
export const METRICS_NAMESPACE = 'Pioneer';

export type MetricUnit = 'Count' | 'Milliseconds';

export interface MetricSpec {
  readonly unit: MetricUnit;
  /** `business`: District, Function; `job`: District, Function, Job. */
  readonly kind: 'business' | 'job';
  readonly description: string;
}

export const METRICS = {
  SignUps: { unit: 'Count', kind: 'business', description: 'sign-ups to activities (confirmed or waitlisted)' },
  Claims: { unit: 'Count', kind: 'business', description: 'micro-wishes claimed by a member' },
  CheckIns: { unit: 'Count', kind: 'business', description: 'check-ins to a community approved (a member joins it)' },
  RecordsWritten: {
    unit: 'Count',
    kind: 'business',
    description: 'service records written (activity closes, completed wishes)',
  },
  JobDuration: { unit: 'Milliseconds', kind: 'job', description: "a job run's duration" },
  JobFailed: { unit: 'Count', kind: 'job', description: 'a job run: 1 if it threw, 0 if it succeeded' },
  CounterDifferences: {
    unit: 'Count',
    kind: 'job',
    description: 'verify-counters: live counters that differ from the rebuild from the raw records',
  },
  ScopesFrozen: {
    unit: 'Count',
    kind: 'job',
    description: 'rollup: snapshots written (0 when the month was frozen already)',
  },
  RollupsMissing: {
    unit: 'Count',
    kind: 'job',
    description: 'check-rollups: districts of the directory whose last month the city has not received',
  },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;

export const DIMENSIONS = { business: ['District', 'Function'], job: ['District', 'Function', 'Job'] } as const;

/**
 * The platform's own metrics, declared once: each function writes them as CloudWatch embedded
 * metrics (shared/metrics/metrics.ts: one JSON log line per invocation that has any, which
 * CloudWatch Logs turns into metrics, no API call), and the monitoring construct
 * (infra/constructs/monitoring.ts) graphs them and alarms on some. Namespace `Pioneer`.
 *
 * Dimensions: every metric has District (the stack's id, `city` for the City stack); business and
 * job metrics also Function (`members`, `jobs`, ...), a job's metrics also Job (`rollup`, ...); an
 * `api` metric is the stack's API as a whole (one alarm reads it, whichever function answered). Each metric name with one
 * set of dimension values is one billed custom metric (README, "Cost model").
 */
export const METRICS_NAMESPACE = 'Pioneer';

export type MetricUnit = 'Count' | 'Milliseconds';

export interface MetricSpec {
  readonly unit: MetricUnit;
  /** `business`: District, Function; `job`: District, Function, Job; `api`: District. */
  readonly kind: 'business' | 'job' | 'api';
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
  CityDeliveriesFailed: {
    unit: 'Count',
    kind: 'business',
    description:
      'awards: puts of FeaturedProjectsAwarded on the city bus that failed (each retried from the stream, then its failure queue)',
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
  ConcurrentUpdates: {
    unit: 'Count',
    kind: 'api',
    description:
      'requests answered 409 CONCURRENT_UPDATE: an item still contended once the transaction-conflict retries ran out',
  },
  NoticesFailed: {
    unit: 'Count',
    kind: 'business',
    description:
      'notifications: pushes a provider refused (retried by the stream, then its failure queue) or that had no address or no configured channel (undeliverable)',
  },
  RemindersSent: {
    unit: 'Count',
    kind: 'job',
    description:
      "reminders jobs: reminder outbox entries written (reminders: activities' 24 h and 2 h, a rerun rewrites the same entries, which announce nothing again; remind-expiring: qualifications' 30/7/1 days, new ones only)",
  },
  CalendarDaysUncovered: {
    unit: 'Count',
    kind: 'job',
    description:
      "check-calendar: days of the next 45 whose year's holiday arrangement the working-day calendar does not hold (counted Monday to Friday)",
  },
  RollupsMissing: {
    unit: 'Count',
    kind: 'job',
    description: 'check-rollups: districts of the directory whose last month the city has not received',
  },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;

export const DIMENSIONS = {
  business: ['District', 'Function'],
  job: ['District', 'Function', 'Job'],
  api: ['District'],
} as const;

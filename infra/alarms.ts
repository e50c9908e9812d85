/**
 * Every kind of alarm the stacks have, declared once: what it watches, its threshold and how long
 * it must hold, and its runbook entry (README, "Runbook: alarms", one `#### <kind>` heading each).
 * The monitoring construct (infra/constructs/monitoring.ts) makes one alarm per kind and thing
 * watched; the infra tests hold every alarm of the templates to this table and to the thresholds
 * they state themselves.
 *
 * Periods are 5 minutes unless said; a daily job's metric has a 1-day period, so its alarm stays
 * raised until the next run says otherwise. Missing data never alarms (a quiet API, a day without a
 * job run): each kind that needs a run to happen has another alarm for the run failing.
 */
export type AlarmKind =
  | 'api-5xx-rate'
  | 'api-p99-latency'
  | 'api-contention'
  | 'function-errors'
  | 'function-throttles'
  | 'queue-not-empty'
  | 'job-failed'
  | 'table-throttles'
  | 'table-system-errors'
  | 'counter-differences'
  | 'rollups-missing'
  | 'calendar-uncovered'
  | 'notices-failed'
  | 'stream-iterator-age'
  | 'city-deliveries-failed';

export interface AlarmSpec {
  /** One line: what it means when it fires. */
  readonly means: string;
  readonly threshold: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold';
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

const FIVE_MINUTES = 300;
const DAY = 86_400;

export const ALARMS: Readonly<Record<AlarmKind, AlarmSpec>> = {
  'api-5xx-rate': {
    means:
      'More than 5% of API requests answered 5xx in 2 of the last 3 five-minute periods (periods with fewer than 20 requests do not count)',
    threshold: 5,
    comparison: 'GreaterThanThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
  },
  'api-p99-latency': {
    means: "The API's 99th-percentile latency stayed above 2 s for 15 minutes",
    threshold: 2000,
    comparison: 'GreaterThanThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
  },
  'api-contention': {
    means:
      'Requests were answered 409 CONCURRENT_UPDATE: an item stayed contended after the client retried its transaction conflicts for 8 s (a hot spot past what the design absorbs; users were told to try again)',
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'function-errors': {
    means:
      'A function invocation failed (threw, timed out, ran out of memory or failed at cold start): HTTP routes catch their own errors, so this is a crash or a failed job or event',
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'function-throttles': {
    means: "Lambda refused invocations of a function: the account's (or its reserved) concurrency is used up",
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'queue-not-empty': {
    means:
      'A dead-letter or failure queue holds a message: an event or an asynchronous invocation failed after its retries',
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'job-failed': {
    means:
      'A scheduled job failed after its retries (or Scheduler could not invoke it): its event waits in the schedule queue',
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'table-throttles': {
    means: 'DynamoDB throttled requests to the table (on demand: a hot partition or a sudden peak)',
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'table-system-errors': {
    means: 'DynamoDB answered requests to the table with 500 (an AWS-side failure; the SDK retried them)',
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'counter-differences': {
    means: 'verify-counters found live counters that differ from the rebuild from the raw records (any difference)',
    threshold: 0,
    comparison: 'GreaterThanThreshold',
    periodSeconds: DAY,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'notices-failed': {
    means:
      'The notifier counted 10 or more failed pushes in 15 minutes: a provider refusing SMS or WeChat messages (retried by the stream, then its failure queue), or many recipients without an address or a configured channel',
    threshold: 10,
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: 900,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'stream-iterator-age': {
    means:
      "A stream consumer's oldest unprocessed record stayed older than 5 minutes for 15 minutes: notices (or role changes) are late, and records older than 24 h leave the stream unread",
    threshold: 300_000,
    comparison: 'GreaterThanThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
  },
  'calendar-uncovered': {
    means:
      "check-calendar found days within the next 45 whose year's public holidays and make-up working days are not in shared/domain/holidays.ts: working-day deadlines there would count Monday to Friday",
    threshold: 0,
    comparison: 'GreaterThanThreshold',
    periodSeconds: DAY,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'rollups-missing': {
    means: "At 03:00 on the 1st, the city had not received last month's rollup from a district of its directory",
    threshold: 0,
    comparison: 'GreaterThanThreshold',
    periodSeconds: DAY,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  'city-deliveries-failed': {
    means:
      'Puts of FeaturedProjectsAwarded on the city bus failed (CityDeliveriesFailed): awards wait in their outbox; the stream retries them 8 times, then its failure queue holds them',
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
};

/** The README anchor of a kind's runbook entry. */
export function runbookAnchor(kind: AlarmKind): string {
  return `README.md#${kind}`;
}

import { Template } from 'aws-cdk-lib/assertions';
import { ACCESS_LOG_FORMAT } from '../../infra/constructs/route-table-api.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { METRICS, type MetricName } from '../../shared/config/metrics.ts';
import { SCHEDULES } from '../../shared/config/schedules.ts';
import { setLogSink } from '../../shared/http/logger.ts';
import { setMetricSink } from '../../shared/metrics/metrics.ts';
import { buildTestApp } from '../infra/support.ts';
import { activitiesScenario } from './activities.ts';
import { membersScenario } from './members.ts';
import { type RequestFigure, withPlatform } from './requests.ts';
import { wishesScenario } from './wishes.ts';

/**
 * `npm run bench -- cost`: the AWS bill of a district, from what the request benches measure
 * (DynamoDB round trips and capacity units by kind, the bytes each request logs) and from the
 * synthesized district stack (its alarms, dashboard and metrics), priced with the public prices
 * below. Every number that is not measured is an assumption, stated here and printed with the
 * tables (README, "Cost model").
 */

/** Public on-demand prices, US East (N. Virginia), USD, looked up on 2026-12-03. */
export const PRICES = {
  region: 'us-east-1',
  lookedUp: '2026-12-03',
  /** API Gateway HTTP API, first 300 million requests a month (per million; metered per 512 KB). */
  httpApiPerMillion: 1.0,
  /** Lambda requests (per million) and arm64 duration (per GB-second, first 7.5 billion GB-s a month). */
  lambdaRequestsPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  /** DynamoDB on demand (standard table class), since the November 2024 price cut. */
  dynamoWriteUnitsPerMillion: 0.625,
  dynamoReadUnitsPerMillion: 0.125,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  /** CloudWatch: logs (standard class), custom metrics (first 10,000), standard alarms per metric, dashboards. */
  logsIngestedGb: 0.5,
  logsStoredGbMonth: 0.03,
  customMetricMonth: 0.3,
  alarmMetricMonth: 0.1,
  dashboardMonth: 3.0,
  /** X-Ray traces recorded (per million), when a district switches tracing on. */
  xrayTracesPerMillion: 5.0,
  /** Cognito user pool, Essentials, per monthly active user past the first 10,000 (city-wide). */
  cognitoEssentialsMau: 0.015,
} as const;

/** What the cost model assumes (not measured). */
export const ASSUMPTIONS = {
  /** Function memory of the HTTP functions (infra/constructs/pioneer-function.ts). */
  httpMemoryGb: 0.5,
  /** Billed milliseconds of a request: the stack's own work (middy, validation, JSON), plus each round trip. */
  overheadMs: 4,
  readRoundTripMs: 6,
  writeRoundTripMs: 8,
  transactRoundTripMs: 15,
  /** Share of requests that start a new execution environment, and the billed INIT (billed since August 2025). */
  coldStartShare: 0.01,
  initMs: 250,
  /** Lambda's START, END and REPORT lines, per invocation. */
  platformLogBytes: 330,
  /**
   * Multiplier on the transactions' measured units: 1, since the local DynamoDB layer the benches run
   * behind already bills them as AWS does (2 write units per KB of each item, condition checks
   * included; infra/local/dynamo-layer.ts). DynamoDB Local alone reports them wrongly.
   */
  transactionFactor: 1,
  /** Members active in a month, and their requests each month. */
  activeShare: 0.4,
  requestsPerActiveMember: 50,
  /** Table storage per member: profile, roster, hours, a year of check-ins, sign-ups and records, three indexes projecting all. */
  storageKbPerMember: 12,
  /** Records written per active member and month (the daily verify-counters reads the month's facts). */
  recordsPerActiveMember: 1.5,
} as const;

/** The typical mix, per 100 requests (labels of the request benches). */
export const MIX: ReadonlyArray<readonly [label: string, share: number]> = [
  ['GET /members/me', 12],
  ['GET /activities?teamId= (a page)', 14],
  ['GET /activities/{id}', 14],
  ['GET /wishes?communityId=&status=published (page of 20)', 8],
  ['GET /wishes/{id}', 8],
  ['GET /wishes/suggested (wall of 150 open)', 4],
  ['GET /communities/{id}/members?limit=20', 3],
  ['GET /wishes/{id}/events (page of 20)', 2],
  ['GET /health', 4],
  ['POST /activities/{id}/signups (confirmed)', 6],
  ['POST /activities/{id}/signups (waitlisted)', 1],
  ['DELETE /activities/{id}/signups/me (promotes the first waiting)', 1],
  ['POST /activities/{id}/check-in', 5],
  ['POST /activities/{id}/check-out', 5],
  ['POST /activities/{id}/close, per attendee (100 attendees)', 5],
  ['POST /members', 1],
  ['POST /check-ins', 1],
  ['POST /check-ins/{id}/approve', 1],
  ['POST /wishes', 1],
  ['POST /wishes/{id}/review (publish)', 1],
  ['POST /wishes/{id}/claim', 1],
  ['POST /wishes/{id}/complete (member)', 1],
  ['POST /wishes/{id}/confirm', 1],
];

/**
 * Custom metrics a district publishes (shared/config/metrics.ts): each name with each set of
 * dimension values is one metric. Business metrics by the function that counts them; each job's
 * JobDuration and JobFailed, and the metrics of the jobs that have their own.
 */
export function districtMetricSeries(): number {
  const business: Record<Extract<MetricName, 'SignUps' | 'Claims' | 'CheckIns' | 'RecordsWritten'>, string[]> = {
    SignUps: ['activities'],
    Claims: ['wishes'],
    CheckIns: ['members'],
    RecordsWritten: ['attendance', 'wishes'],
  };
  const jobOwn = { CounterDifferences: 1, CalendarDaysUncovered: 1, ScopesFrozen: 1, RemindersSent: 2 };
  const jobs = SCHEDULES.length * 2;
  for (const n of Object.keys(business)) if (METRICS[n as MetricName].kind !== 'business') throw new Error(n);
  return Object.values(business).flat().length + jobs + Object.values(jobOwn).reduce((a, b) => a + b, 0);
}

/** The API access log line of a request, as the stage's format writes it (typical values). */
export function accessLogBytes(): number {
  const sample: Record<string, string> = {
    '$context.requestId': 'QpB3jhV4SQ0EJbw=',
    '$context.requestTimeEpoch': '1764729600000',
    '$context.routeKey': 'POST /activities/{activityId}/signups',
    '$context.status': '201',
    '$context.responseLatency': '48',
    '$context.integrationLatency': '45',
    '$context.identity.sourceIp': '203.0.113.42',
    '$context.responseLength': '412',
    '$context.authorizer.error': '-',
    '$context.integrationErrorMessage': '-',
  };
  const line = JSON.stringify(
    Object.fromEntries(Object.entries(ACCESS_LOG_FORMAT).map(([k, v]) => [k, sample[v] ?? v])),
  );
  return Buffer.byteLength(line) + 1;
}

export interface RequestCost {
  readonly label: string;
  readonly share: number;
  /** USD per million of this request, by component. */
  readonly api: number;
  readonly lambda: number;
  readonly dynamo: number;
  readonly logs: number;
  readonly total: number;
  readonly billedMs: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

export function requestCost(f: RequestFigure, share: number): RequestCost {
  const a = ASSUMPTIONS;
  const p = PRICES;
  const billedMs =
    a.overheadMs +
    f.readCalls * a.readRoundTripMs +
    f.writeCalls * a.writeRoundTripMs +
    f.transactCalls * a.transactRoundTripMs +
    a.coldStartShare * a.initMs;
  const lambda = p.lambdaRequestsPerMillion + (billedMs / 1000) * a.httpMemoryGb * p.lambdaArmGbSecond * 1e6;
  const readUnits = f.readUnits;
  const writeUnits = f.writeUnits + f.transactUnits * a.transactionFactor;
  const dynamo = readUnits * p.dynamoReadUnitsPerMillion + writeUnits * p.dynamoWriteUnitsPerMillion;
  const logBytes = f.logBytes + a.platformLogBytes + accessLogBytes();
  const logs = (logBytes / 1024 ** 3) * p.logsIngestedGb * 1e6;
  const api = p.httpApiPerMillion;
  return {
    label: f.label,
    share,
    api,
    lambda,
    dynamo,
    logs,
    total: api + lambda + dynamo + logs,
    billedMs,
    readUnits,
    writeUnits,
  };
}

export interface MixCost {
  readonly rows: RequestCost[];
  /** USD per million requests of the mix, by component. */
  readonly perMillion: { api: number; lambda: number; dynamo: number; logs: number; total: number };
  /** Mean bytes of logs a request ingests (function, platform, access log). */
  readonly logBytes: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

export function mixCost(figures: readonly RequestFigure[]): MixCost {
  const byLabel = new Map(figures.map((f) => [f.label, f]));
  const total = MIX.reduce((s, [, share]) => s + share, 0);
  if (total !== 100) throw new Error(`the mix adds up to ${total}, not 100`);
  const rows = MIX.map(([label, share]) => {
    const f = byLabel.get(label);
    if (!f) throw new Error(`the request benches measure no "${label}"`);
    return requestCost(f, share);
  });
  const weighted = (pick: (r: RequestCost) => number) => rows.reduce((s, r) => s + (pick(r) * r.share) / 100, 0);
  const logBytes =
    MIX.reduce((s, [label, share]) => s + (byLabel.get(label)!.logBytes * share) / 100, 0) +
    ASSUMPTIONS.platformLogBytes +
    accessLogBytes();
  return {
    rows,
    perMillion: {
      api: weighted((r) => r.api),
      lambda: weighted((r) => r.lambda),
      dynamo: weighted((r) => r.dynamo),
      logs: weighted((r) => r.logs),
      total: weighted((r) => r.total),
    },
    logBytes,
    readUnits: weighted((r) => r.readUnits),
    writeUnits: weighted((r) => r.writeUnits),
  };
}

/** What a district stack has that is billed by the month whatever its traffic (from its template). */
export function districtFixtures(): { alarms: number; alarmMetrics: number; dashboards: number; metricSeries: number } {
  const { districts } = buildTestApp({ bundle: false, context: { district: LOCAL_DISTRICT_ID } });
  const resources = Template.fromStack(districts.get(LOCAL_DISTRICT_ID)!).toJSON().Resources as Record<
    string,
    { Type: string; Properties: { Metrics?: Array<{ MetricStat?: unknown }> } }
  >;
  const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  // A standard alarm is billed per metric it reads: a math alarm's every metric, a plain one's one.
  const alarmMetrics = alarms.reduce(
    (s, a) => s + (a.Properties.Metrics ? a.Properties.Metrics.filter((m) => m.MetricStat).length : 1),
    0,
  );
  const dashboards = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard').length;
  return { alarms: alarms.length, alarmMetrics, dashboards, metricSeries: districtMetricSeries() };
}

/** Units verify-counters reads per fact of the month, and the rollup's units (README, the job benches). */
const VERIFY_UNITS_PER_RECORD = 8006.5 / 100_000;
const ROLLUP_UNITS = 1320;

export interface DistrictMonth {
  readonly members: number;
  readonly requests: number;
  readonly lines: ReadonlyArray<readonly [what: string, usd: number, basis: string]>;
  readonly total: number;
}

export function districtMonth(
  members: number,
  mix: MixCost,
  fixtures: ReturnType<typeof districtFixtures>,
): DistrictMonth {
  const a = ASSUMPTIONS;
  const p = PRICES;
  const active = members * a.activeShare;
  const requests = active * a.requestsPerActiveMember;
  const m = requests / 1e6;
  const storageGb = (members * a.storageKbPerMember) / 1024 ** 2;
  const ingestedGb = (requests * mix.logBytes) / 1024 ** 3;
  const jobUnits = 30 * active * a.recordsPerActiveMember * VERIFY_UNITS_PER_RECORD + ROLLUP_UNITS;
  const lines: Array<readonly [string, number, string]> = [
    ['API Gateway HTTP API', m * mix.perMillion.api, `${fmtInt(requests)} requests`],
    ['Lambda (requests, arm64 GB-seconds, INIT)', m * mix.perMillion.lambda, 'the mix, per million'],
    [
      'DynamoDB requests (on demand, transactions as AWS bills them)',
      m * mix.perMillion.dynamo,
      `${fmtInt(requests * mix.readUnits)} RRU, ${fmtInt(requests * mix.writeUnits)} WRU`,
    ],
    [
      'DynamoDB jobs (verify-counters daily, rollup monthly)',
      (jobUnits / 1e6) * p.dynamoReadUnitsPerMillion + (631 / 1e6) * p.dynamoWriteUnitsPerMillion,
      `${fmtInt(jobUnits)} RRU`,
    ],
    [
      'DynamoDB storage and point-in-time recovery',
      storageGb * (p.dynamoStorageGbMonth + p.dynamoPitrGbMonth),
      `${storageGb.toFixed(2)} GB`,
    ],
    ['CloudWatch Logs ingestion', ingestedGb * p.logsIngestedGb, `${ingestedGb.toFixed(2)} GB`],
    [
      'CloudWatch Logs storage (180 days kept)',
      ingestedGb * 6 * p.logsStoredGbMonth,
      `${(ingestedGb * 6).toFixed(2)} GB held`,
    ],
    [
      'CloudWatch alarms',
      fixtures.alarmMetrics * p.alarmMetricMonth,
      `${fixtures.alarms} alarms, ${fixtures.alarmMetrics} metrics`,
    ],
    [
      'CloudWatch custom metrics (embedded)',
      fixtures.metricSeries * p.customMetricMonth,
      `${fixtures.metricSeries} metrics, each billed a full month`,
    ],
    [
      'CloudWatch dashboard',
      fixtures.dashboards * p.dashboardMonth,
      `${fixtures.dashboards} dashboard; an account's first 3 are free`,
    ],
  ];
  return { members, requests, lines, total: lines.reduce((s, [, usd]) => s + usd, 0) };
}

const fmtUsd = (n: number) => (n < 0.01 ? n.toFixed(4) : n < 10 ? n.toFixed(3) : n.toFixed(2));
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

export function costTables(mix: MixCost, months: readonly DistrictMonth[]): string {
  const out: string[] = [];
  out.push(
    `\n## Cost per million requests, by request (USD, ${PRICES.region} prices of ${PRICES.lookedUp})\n`,
    '| request | share of the mix | API Gateway | Lambda | DynamoDB | logs | total | billed ms | RRU | WRU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...mix.rows.map(
      (r) =>
        `| ${r.label} | ${r.share}% | ${fmtUsd(r.api)} | ${fmtUsd(r.lambda)} | ${fmtUsd(r.dynamo)} | ${fmtUsd(r.logs)} | ${fmtUsd(r.total)} | ${r.billedMs.toFixed(1)} | ${r.readUnits.toFixed(2)} | ${r.writeUnits.toFixed(2)} |`,
    ),
    `\n## Cost per million requests of the typical mix (USD, ${PRICES.region})\n`,
    '| API Gateway | Lambda | DynamoDB | logs | total | RRU / request | WRU / request | log bytes / request |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${fmtUsd(mix.perMillion.api)} | ${fmtUsd(mix.perMillion.lambda)} | ${fmtUsd(mix.perMillion.dynamo)} | ${fmtUsd(mix.perMillion.logs)} | ${fmtUsd(mix.perMillion.total)} | ${mix.readUnits.toFixed(2)} | ${mix.writeUnits.toFixed(2)} | ${Math.round(mix.logBytes)} |`,
    `\n## Monthly cost of a district (USD, ${PRICES.region})\n`,
    `| | ${months.map((d) => `${fmtInt(d.members)} members`).join(' | ')} |`,
    `|---|${months.map(() => '---:').join('|')}|`,
    `| requests a month | ${months.map((d) => fmtInt(d.requests)).join(' | ')} |`,
  );
  for (let i = 0; i < months[0]!.lines.length; i++) {
    const what = months[0]!.lines[i]![0];
    out.push(`| ${what} | ${months.map((d) => `${fmtUsd(d.lines[i]![1])} (${d.lines[i]![2]})`).join(' | ')} |`);
  }
  out.push(`| **total** | ${months.map((d) => `**${fmtUsd(d.total)}**`).join(' | ')} |`);
  return out.join('\n');
}

export async function costBench(): Promise<string> {
  const previous = process.env.PIONEER_BENCH_LOG_LEVEL;
  // Log bytes as the stacks write them: LOG_LEVEL info, their default.
  process.env.PIONEER_BENCH_LOG_LEVEL = 'info';
  // The scenarios' setup logs at info too: counted by each measure, printed by none.
  const restoreLogs = setLogSink(() => undefined);
  const restoreMetrics = setMetricSink(() => undefined);
  let figures: RequestFigure[];
  try {
    figures = await withPlatform(async (p) => [
      ...(await membersScenario(p)),
      ...(await activitiesScenario(p)),
      ...(await wishesScenario(p)),
    ]);
  } finally {
    restoreLogs();
    restoreMetrics();
    if (previous === undefined) delete process.env.PIONEER_BENCH_LOG_LEVEL;
    else process.env.PIONEER_BENCH_LOG_LEVEL = previous;
  }
  const mix = mixCost(figures);
  const fixtures = districtFixtures();
  const months = [10_000, 100_000].map((n) => districtMonth(n, mix, fixtures));
  return costTables(mix, months);
}

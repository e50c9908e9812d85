/**
 * Reads the alarms of a synthesized stack and holds them to what the stack holds: every Lambda
 * function, SQS queue, HTTP API and table has its alarms, and every asynchronously invoked
 * function an on-failure destination. Shared by the district and the city stack tests.
 */
import { expect } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: each resource type has its own properties; the tests read them as synthesized
type Properties = any;
export type Resources = Record<
  string,
  { Type: string; Properties: Properties; DeletionPolicy?: string; DependsOn?: string[] }
>;

export interface AlarmView {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly threshold: number;
  readonly comparison: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: string;
  /** The metrics it reads: namespace, name, dimensions (a metric alarm's one, or a math alarm's). */
  readonly metrics: Array<{
    namespace: string;
    name: string;
    dimensions: Record<string, unknown>;
    period: number;
    stat: string;
  }>;
  readonly expression?: string;
  readonly actions: unknown[];
  readonly okActions: unknown[];
  readonly description: string;
}

export const ofType = (res: Resources, type: string) => Object.entries(res).filter(([, r]) => r.Type === type);

const KINDS = [
  'api-5xx-rate',
  'api-p99-latency',
  'api-contention',
  'function-errors',
  'function-throttles',
  'queue-not-empty',
  'job-failed',
  'table-throttles',
  'table-system-errors',
  'counter-differences',
  'rollups-missing',
  'calendar-uncovered',
  'notices-failed',
  'stream-iterator-age',
  'city-deliveries-failed',
];

export function alarmsOf(res: Resources): AlarmView[] {
  return ofType(res, 'AWS::CloudWatch::Alarm').map(([id, a]) => {
    const p = a.Properties;
    const name = p.AlarmName as string;
    const kind = KINDS.find((k) => name.endsWith(`-${k}`));
    expect(kind, name).toBeDefined();
    const dims = (ds: Array<{ Name: string; Value: unknown }> = []) =>
      Object.fromEntries(ds.map((d) => [d.Name, d.Value]));
    const metrics = p.Metrics
      ? (
          p.Metrics as Array<{
            MetricStat?: {
              Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: unknown }> };
              Period: number;
              Stat: string;
            };
          }>
        )
          .filter((m) => m.MetricStat)
          .map((m) => ({
            namespace: m.MetricStat!.Metric.Namespace,
            name: m.MetricStat!.Metric.MetricName,
            dimensions: dims(m.MetricStat!.Metric.Dimensions),
            period: m.MetricStat!.Period,
            stat: m.MetricStat!.Stat,
          }))
      : [
          {
            namespace: p.Namespace,
            name: p.MetricName,
            dimensions: dims(p.Dimensions),
            period: p.Period,
            stat: p.Statistic ?? p.ExtendedStatistic,
          },
        ];
    const expression = (p.Metrics as Array<{ Expression?: string; ReturnData?: boolean }> | undefined)?.find(
      (m) => m.Expression && m.ReturnData !== false,
    )?.Expression;
    return {
      id,
      name,
      kind: kind!,
      threshold: p.Threshold,
      comparison: p.ComparisonOperator,
      evaluationPeriods: p.EvaluationPeriods,
      datapointsToAlarm: p.DatapointsToAlarm,
      treatMissingData: p.TreatMissingData,
      metrics,
      ...(expression ? { expression } : {}),
      actions: p.AlarmActions ?? [],
      okActions: p.OKActions ?? [],
      description: p.AlarmDescription,
    };
  });
}

/** The thresholds the issue and the runbook state, written here once more (not read from infra/alarms.ts). */
export const EXPECTED: Record<
  string,
  { threshold: number; comparison: string; evaluationPeriods: number; datapointsToAlarm: number; period: number }
> = {
  'api-5xx-rate': {
    threshold: 5,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    period: 300,
  },
  'api-p99-latency': {
    threshold: 2000,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    period: 300,
  },
  'api-contention': {
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 300,
  },
  'function-errors': {
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 300,
  },
  'function-throttles': {
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 300,
  },
  'queue-not-empty': {
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 300,
  },
  'job-failed': {
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 300,
  },
  'table-throttles': {
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 300,
  },
  'table-system-errors': {
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 300,
  },
  'counter-differences': {
    threshold: 0,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 86400,
  },
  'notices-failed': {
    threshold: 10,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 900,
  },
  'stream-iterator-age': {
    threshold: 300_000,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    period: 300,
  },
  'calendar-uncovered': {
    threshold: 0,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 86400,
  },
  'rollups-missing': {
    threshold: 0,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 86400,
  },
  'city-deliveries-failed': {
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: 300,
  },
};

/**
 * Every alarm: its threshold and periods as EXPECTED says, missing data not breaching, ALARM and
 * OK sent to the stack's one topic; and the stack's things each covered by their alarms.
 */
export function checkAlarms(res: Resources): AlarmView[] {
  const alarms = alarmsOf(res);
  const [topicId] = ofType(res, 'AWS::SNS::Topic').map(([id]) => id);
  expect(topicId).toBeDefined();
  for (const a of alarms) {
    const e = EXPECTED[a.kind]!;
    expect(
      {
        threshold: a.threshold,
        comparison: a.comparison,
        evaluationPeriods: a.evaluationPeriods,
        datapointsToAlarm: a.datapointsToAlarm,
      },
      a.name,
    ).toEqual({
      threshold: e.threshold,
      comparison: e.comparison,
      evaluationPeriods: e.evaluationPeriods,
      datapointsToAlarm: e.datapointsToAlarm,
    });
    for (const m of a.metrics) expect(m.period, a.name).toBe(e.period);
    expect(a.treatMissingData, a.name).toBe('notBreaching');
    expect(a.actions, a.name).toEqual([{ Ref: topicId }]);
    expect(a.okActions, a.name).toEqual([{ Ref: topicId }]);
    expect(a.description, a.name).toContain(`Runbook: README.md#${a.kind}`);
  }
  expect(new Set(alarms.map((a) => a.name)).size).toBe(alarms.length);

  const covering = (kind: string, pick: (a: AlarmView) => unknown) => alarms.filter((a) => a.kind === kind).map(pick);
  // Every function: errors and throttles, on its own FunctionName.
  const functions = ofType(res, 'AWS::Lambda::Function').map(([id]) => ({ Ref: id }));
  for (const kind of ['function-errors', 'function-throttles']) {
    const watched = covering(kind, (a) => a.metrics[0]!.dimensions.FunctionName);
    expect(watched, kind).toHaveLength(functions.length);
    expect(watched, kind).toEqual(expect.arrayContaining(functions));
  }
  // Every queue: not empty (the jobs' queue as "a failed job").
  const queues = ofType(res, 'AWS::SQS::Queue').map(([id]) => ({ 'Fn::GetAtt': [id, 'QueueName'] }));
  const watchedQueues = alarms
    .filter((a) => a.kind === 'queue-not-empty' || a.kind === 'job-failed')
    .map((a) => {
      expect(a.metrics[0], a.name).toMatchObject({
        namespace: 'AWS/SQS',
        name: 'ApproximateNumberOfMessagesVisible',
        stat: 'Maximum',
      });
      return a.metrics[0]!.dimensions.QueueName;
    });
  expect(watchedQueues).toHaveLength(queues.length);
  expect(watchedQueues).toEqual(expect.arrayContaining(queues));
  // Every HTTP API: 5xx rate (of at least 20 requests) and p99 latency.
  for (const [apiId] of ofType(res, 'AWS::ApiGatewayV2::Api')) {
    const rate = alarms.filter(
      (a) =>
        a.kind === 'api-5xx-rate' &&
        a.metrics.every((m) => JSON.stringify(m.dimensions.ApiId) === JSON.stringify({ Ref: apiId })),
    );
    expect(rate).toHaveLength(1);
    expect(rate[0]!.expression).toBe('IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)');
    expect(rate[0]!.metrics.map((m) => m.name).sort()).toEqual(['5xx', 'Count']);
    const p99 = alarms.filter(
      (a) =>
        a.kind === 'api-p99-latency' &&
        JSON.stringify(a.metrics[0]!.dimensions.ApiId) === JSON.stringify({ Ref: apiId }),
    );
    expect(p99).toHaveLength(1);
    expect(p99[0]!.metrics[0]).toMatchObject({ name: 'Latency', stat: 'p99' });
  }
  // The stack's API: requests given up on contention (a 409 the 5xx rate does not see), the stack's own metric.
  const apis = ofType(res, 'AWS::ApiGatewayV2::Api').length;
  const contention = alarms.filter((a) => a.kind === 'api-contention');
  expect(contention).toHaveLength(apis);
  for (const a of contention) {
    expect(a.metrics).toHaveLength(1);
    expect(a.metrics[0]).toMatchObject({ namespace: 'Pioneer', name: 'ConcurrentUpdates', stat: 'Sum' });
    expect(Object.keys(a.metrics[0]!.dimensions)).toEqual(['District']);
  }
  // Every table: throttles and system errors of each operation the code calls.
  for (const [tableId] of ofType(res, 'AWS::DynamoDB::GlobalTable')) {
    for (const [kind, metric] of [
      ['table-throttles', 'ThrottledRequests'],
      ['table-system-errors', 'SystemErrors'],
    ] as const) {
      const found = alarms.filter(
        (a) =>
          a.kind === kind &&
          a.metrics.every((m) => JSON.stringify(m.dimensions.TableName) === JSON.stringify({ Ref: tableId })),
      );
      expect(found, kind).toHaveLength(1);
      expect(found[0]!.metrics.map((m) => `${m.name} ${m.dimensions.Operation}`).sort(), kind).toEqual(
        ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'TransactWriteItems', 'UpdateItem'].map(
          (o) => `${metric} ${o}`,
        ),
      );
    }
  }
  return alarms;
}

/**
 * Every function that something invokes asynchronously (a schedule, an event rule, an event
 * source mapping) sends its failures to an SQS queue (an on-failure destination); and nothing
 * else has an asynchronous configuration.
 */
export function checkAsyncFailures(res: Resources): void {
  const fnOf = (arn: unknown) => (arn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
  const targets = new Set<string>();
  for (const [, s] of ofType(res, 'AWS::Scheduler::Schedule')) targets.add(fnOf(s.Properties.Target.Arn)!);
  for (const [, r] of ofType(res, 'AWS::Events::Rule'))
    for (const t of r.Properties.Targets ?? []) {
      const fn = fnOf(t.Arn);
      if (fn && res[fn]?.Type === 'AWS::Lambda::Function') targets.add(fn);
    }
  for (const [id, m] of ofType(res, 'AWS::Lambda::EventSourceMapping'))
    expect(m.Properties.DestinationConfig?.OnFailure?.Destination, id).toBeDefined();
  const configs = new Map(
    ofType(res, 'AWS::Lambda::EventInvokeConfig').map(([, c]) => [
      c.Properties.FunctionName.Ref as string,
      c.Properties,
    ]),
  );
  expect([...configs.keys()].sort()).toEqual([...targets].sort());
  for (const fn of targets) {
    const c = configs.get(fn);
    expect(c, fn).toBeDefined();
    expect(c.MaximumRetryAttempts, fn).toBe(2);
    const queue = fnOf(c.DestinationConfig.OnFailure.Destination);
    expect(res[queue!]?.Type, fn).toBe('AWS::SQS::Queue');
  }
}

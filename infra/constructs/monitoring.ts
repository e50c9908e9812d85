import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DIMENSIONS, METRICS, METRICS_NAMESPACE, type MetricName } from '../../shared/config/metrics.ts';
import type { ScheduleEntry } from '../../shared/config/schedules.ts';
import { ALARMS, type AlarmKind, runbookAnchor } from '../alarms.ts';
import { PioneerFunction } from './pioneer-function.ts';

/** The DynamoDB operations the code calls (shared/db): their throttles and system errors are alarmed. */
export const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
] as const;

/** An alarm on one of the stack's own metrics (shared/config/metrics.ts) of one job. */
export interface JobMetricAlarm {
  readonly kind: Extract<AlarmKind, 'counter-differences' | 'rollups-missing' | 'calendar-uncovered'>;
  readonly metric: MetricName;
  readonly job: ScheduleEntry;
}

/** An alarm on one of the stack's own business metrics (shared/config/metrics.ts) of one function. */
export interface FunctionMetricAlarm {
  readonly kind: Extract<AlarmKind, 'city-deliveries-failed'>;
  readonly metric: MetricName;
  /** The function's short name (`awards`). */
  readonly function: string;
}

export interface PioneerMonitoringProps {
  /** A district's id, or `city`: names the topic, the alarms and the dashboard. */
  readonly stackId: string;
  /** Subscribed to the alarm topic by e-mail (shared/config/: the district's or the city's). */
  readonly alarmEmails: readonly string[];
  /** The stack's HTTP APIs: 5xx rate and p99 latency. */
  readonly apis: readonly apigw.HttpApi[];
  /** The stack's tables: throttles and system errors. */
  readonly tables: readonly dynamodb.ITable[];
  /** The queue that holds failed jobs (the schedule table's): its alarm is "a failed job". */
  readonly jobFailures?: sqs.IQueue;
  /** The stack's scheduled jobs (their metrics on the dashboard). */
  readonly jobs: readonly ScheduleEntry[];
  /** Alarms on the stack's own metrics. */
  readonly jobAlarms?: readonly JobMetricAlarm[];
  /** The functions the table's stream feeds (by consumer name): their iterator age. */
  readonly streamConsumers?: readonly { readonly name: string; readonly fn: lambda.IFunction }[];
  /** The function whose notifier counts NoticesFailed (shared/config/metrics.ts). */
  readonly notifier?: string;
  /** Alarms on the stack's own business metrics (Sum over the alarm's period). */
  readonly functionMetricAlarms?: readonly FunctionMetricAlarm[];
  /** The city's overview: every district side by side (search expressions, so districts come and go freely). */
  readonly cityOverview?: boolean;
}

/**
 * Alarms and a dashboard for one stack, from one place. An SNS topic (`pioneer-<id>-alarms`, TLS
 * only) with the configured e-mail subscribers gets every alarm's ALARM and OK. `cover()`, called
 * once the stack holds everything, puts alarms on what it finds in the stack, so that what others
 * add is covered by adding it to the stack:
 *   - every Lambda function: errors and throttles;
 *   - every SQS queue: not empty (the jobs' queue as "a failed job");
 *   - each HTTP API: 5xx rate, p99 latency and contention (409 CONCURRENT_UPDATE); each table:
 *     throttles and system errors;
 *   - the stack's own metrics: counter differences, rollups missing, city deliveries failed.
 * Thresholds and runbooks: infra/alarms.ts and the README's "Runbook: alarms".
 */
export class PioneerMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cw.Dashboard;
  /** Every alarm, by name. */
  readonly alarms = new Map<string, cw.Alarm>();
  private readonly props: PioneerMonitoringProps;
  private readonly action: SnsAction;
  private covered = false;

  constructor(scope: Construct, id: string, props: PioneerMonitoringProps) {
    super(scope, id);
    this.props = props;
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `pioneer-${props.stackId}-alarms`,
      displayName: `Pioneer ${props.stackId} alarms`,
      enforceSSL: true,
    });
    for (const email of props.alarmEmails) {
      const sub = this.topic.addSubscription(new EmailSubscription(email));
      Validations.of(sub).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An e-mail notification that SNS cannot deliver after its retries is not worth a queue: the alarm stays raised in the console and on the dashboard, and a queue of undelivered alarms would itself need an alarm sent to the same topic.',
      });
    }
    this.action = new SnsAction(this.topic);
    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      dashboardName: `pioneer-${props.stackId}`,
      defaultInterval: Duration.days(1),
    });
  }

  /** Alarms on everything the stack holds now, and the dashboard. Call once, last. */
  cover(): void {
    if (this.covered) throw new Error('PioneerMonitoring.cover() runs once, when the stack is complete');
    this.covered = true;
    const p = this.props;
    const stack = Stack.of(this);
    const all = stack.node.findAll();
    const functions = all.filter((c): c is lambda.Function => c instanceof lambda.Function);
    const queues = all.filter((c): c is sqs.Queue => c instanceof sqs.Queue);

    for (const api of p.apis) this.apiAlarms(api);
    for (const fn of functions) {
      this.functionAlarms(fn);
      const owner = fn.node.scope;
      if (owner instanceof PioneerFunction) owner.acknowledgeDeadLetters();
    }
    for (const q of queues) {
      const failedJobs = p.jobFailures !== undefined && q.node.path === p.jobFailures.node.path;
      this.queueAlarm(q, failedJobs ? 'job-failed' : 'queue-not-empty');
    }
    for (const t of p.tables) this.tableAlarms(t);
    for (const a of p.jobAlarms ?? []) this.jobMetricAlarm(a);
    for (const c of p.streamConsumers ?? [])
      this.alarm(
        'stream-iterator-age',
        `${c.name}-stream`,
        c.fn.metric('IteratorAge', {
          period: Duration.seconds(ALARMS['stream-iterator-age'].periodSeconds),
          statistic: 'Maximum',
        }),
        `Stream consumer ${c.name}`,
      );
    if (p.notifier)
      this.alarm(
        'notices-failed',
        p.notifier,
        this.ownMetric('NoticesFailed', { Function: p.notifier }, 'Sum', ALARMS['notices-failed'].periodSeconds),
        `Notifier ${p.notifier}`,
      );
    for (const a of p.functionMetricAlarms ?? []) this.functionMetricAlarm(a);

    this.buildDashboard(functions, queues);
  }

  private alarm(kind: AlarmKind, subject: string, metric: cw.IMetric, what: string): cw.Alarm {
    const spec = ALARMS[kind];
    const name = `pioneer-${this.props.stackId}-${subject}-${kind}`;
    if (this.alarms.has(name)) throw new Error(`alarm ${name} twice`);
    const alarm = new cw.Alarm(this, `Alarm-${subject}-${kind}`, {
      alarmName: name,
      alarmDescription: `${what}: ${spec.means}. Runbook: ${runbookAnchor(kind)}`,
      metric,
      threshold: spec.threshold,
      comparisonOperator: cw.ComparisonOperator[comparisonKey(spec.comparison)],
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.set(name, alarm);
    return alarm;
  }

  private apiAlarms(api: apigw.HttpApi): void {
    const period = Duration.seconds(ALARMS['api-5xx-rate'].periodSeconds);
    const subject = api.node.scope?.node.id === 'Http' ? 'api' : `api-${api.node.id}`;
    this.alarm(
      'api-5xx-rate',
      subject,
      new cw.MathExpression({
        expression: 'IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)',
        usingMetrics: {
          requests: api.metricCount({ period, statistic: 'Sum' }),
          errors: api.metricServerError({ period, statistic: 'Sum' }),
        },
        period,
        label: '5xx (% of requests)',
      }),
      'HTTP API',
    );
    this.alarm(
      'api-p99-latency',
      subject,
      api.metricLatency({ period: Duration.seconds(ALARMS['api-p99-latency'].periodSeconds), statistic: 'p99' }),
      'HTTP API',
    );
    // Contention the client's conflict retries did not absorb: a 409, which the 5xx rate never sees.
    this.alarm(
      'api-contention',
      subject,
      this.ownMetric('ConcurrentUpdates', {}, 'Sum', ALARMS['api-contention'].periodSeconds),
      'HTTP API',
    );
  }

  private functionAlarms(fn: lambda.Function): void {
    const subject = subjectOf(fn);
    const period = Duration.seconds(ALARMS['function-errors'].periodSeconds);
    this.alarm('function-errors', subject, fn.metricErrors({ period, statistic: 'Sum' }), `Function ${subject}`);
    this.alarm(
      'function-throttles',
      subject,
      fn.metricThrottles({ period: Duration.seconds(ALARMS['function-throttles'].periodSeconds), statistic: 'Sum' }),
      `Function ${subject}`,
    );
  }

  private queueAlarm(queue: sqs.Queue, kind: 'queue-not-empty' | 'job-failed'): void {
    const subject = queueSubject(queue, this.props.stackId);
    this.alarm(
      kind,
      subject,
      queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.seconds(ALARMS[kind].periodSeconds),
        statistic: 'Maximum',
      }),
      `Queue ${subject}`,
    );
  }

  private tableAlarms(table: dynamodb.ITable): void {
    const period = Duration.seconds(ALARMS['table-throttles'].periodSeconds);
    const operations = [...TABLE_OPERATIONS];
    this.alarm(
      'table-throttles',
      'table',
      table.metricThrottledRequestsForOperations({ operations, period, statistic: 'Sum' }),
      'Table',
    );
    this.alarm(
      'table-system-errors',
      'table',
      table.metricSystemErrorsForOperations({
        operations,
        period: Duration.seconds(ALARMS['table-system-errors'].periodSeconds),
        statistic: 'Sum',
      }),
      'Table',
    );
  }

  private jobMetricAlarm(a: JobMetricAlarm): void {
    this.alarm(
      a.kind,
      a.job.name,
      this.ownMetric(a.metric, { Function: a.job.function, Job: a.job.name }, 'Maximum', ALARMS[a.kind].periodSeconds),
      `Job ${a.job.name}`,
    );
  }

  private functionMetricAlarm(a: FunctionMetricAlarm): void {
    this.alarm(
      a.kind,
      a.function,
      this.ownMetric(a.metric, { Function: a.function }, 'Sum', ALARMS[a.kind].periodSeconds),
      `Function ${a.function}`,
    );
  }

  /** One of the platform's own metrics (shared/config/metrics.ts) of this stack. */
  ownMetric(
    name: MetricName,
    dims: { Function?: string; Job?: string },
    statistic: string,
    periodSeconds: number,
  ): cw.Metric {
    const dimensionsMap: Record<string, string> = { District: this.props.stackId };
    if (METRICS[name].kind !== 'api') {
      if (!dims.Function) throw new Error(`metric ${name} needs a Function dimension`);
      dimensionsMap.Function = dims.Function;
    }
    if (METRICS[name].kind === 'job') {
      if (!dims.Job) throw new Error(`metric ${name} needs a Job dimension`);
      dimensionsMap.Job = dims.Job;
    }
    return new cw.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap,
      statistic,
      period: Duration.seconds(periodSeconds),
    });
  }

  private buildDashboard(functions: readonly lambda.Function[], queues: readonly sqs.Queue[]): void {
    const p = this.props;
    const d = this.dashboard;
    const five = Duration.minutes(5);
    const day = Duration.days(1);
    const wide = { width: 12, height: 6 } as const;
    d.addWidgets(
      new cw.TextWidget({
        markdown: `# Pioneer ${p.stackId}\nAlarms e-mail ${p.alarmEmails.join(', ')}. Each alarm's description links its runbook entry in the README.`,
        width: 24,
        height: 2,
      }),
    );
    d.addWidgets(
      new cw.AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms.values()], width: 24, height: 4 }),
    );
    for (const api of p.apis)
      d.addWidgets(
        new cw.GraphWidget({
          title: 'API: requests, 4xx, 5xx',
          left: [
            api.metricCount({ period: five, statistic: 'Sum' }),
            api.metricClientError({ period: five, statistic: 'Sum' }),
            api.metricServerError({ period: five, statistic: 'Sum' }),
          ],
          ...wide,
        }),
        new cw.GraphWidget({
          title: 'API: latency (ms)',
          left: ['p50', 'p99'].map((s) => api.metricLatency({ period: five, statistic: s, label: s })),
          right: [this.ownMetric('ConcurrentUpdates', {}, 'Sum', 300)],
          rightYAxis: { label: '409 CONCURRENT_UPDATE', min: 0 },
          ...wide,
        }),
      );
    const byName = (m: (fn: lambda.Function) => cw.IMetric) => functions.map(m);
    d.addWidgets(
      new cw.GraphWidget({
        title: 'Functions: invocations',
        left: byName((fn) => fn.metricInvocations({ period: five, statistic: 'Sum', label: subjectOf(fn) })),
        ...wide,
      }),
      new cw.GraphWidget({
        title: 'Functions: errors and throttles',
        left: byName((fn) => fn.metricErrors({ period: five, statistic: 'Sum', label: `${subjectOf(fn)} errors` })),
        right: byName((fn) =>
          fn.metricThrottles({ period: five, statistic: 'Sum', label: `${subjectOf(fn)} throttles` }),
        ),
        ...wide,
      }),
      new cw.GraphWidget({
        title: 'Functions: p99 duration (ms)',
        left: byName((fn) => fn.metricDuration({ period: five, statistic: 'p99', label: subjectOf(fn) })),
        ...wide,
      }),
      new cw.GraphWidget({
        title: 'Queues: messages waiting (failed events and jobs)',
        left: queues.map((q) =>
          q.metricApproximateNumberOfMessagesVisible({ period: five, statistic: 'Maximum', label: q.queueName }),
        ),
        ...wide,
      }),
    );
    for (const t of p.tables)
      d.addWidgets(
        new cw.GraphWidget({
          title: 'Table: consumed capacity units',
          left: [
            t.metricConsumedReadCapacityUnits({ period: five, statistic: 'Sum', label: 'read' }),
            t.metricConsumedWriteCapacityUnits({ period: five, statistic: 'Sum', label: 'write' }),
          ],
          ...wide,
        }),
        // One expression per graph: both sum the same operations' metrics under the same ids.
        new cw.GraphWidget({
          title: 'Table: throttled requests',
          left: [t.metricThrottledRequestsForOperations({ operations: [...TABLE_OPERATIONS], period: five })],
          width: 6,
          height: 6,
        }),
        new cw.GraphWidget({
          title: 'Table: system errors',
          left: [t.metricSystemErrorsForOperations({ operations: [...TABLE_OPERATIONS], period: five })],
          width: 6,
          height: 6,
        }),
      );
    // The platform's own metrics, by district and function (shared/config/metrics.ts).
    const business = (Object.keys(METRICS) as MetricName[]).filter((n) => METRICS[n].kind === 'business');
    if (!p.cityOverview)
      d.addWidgets(
        new cw.GraphWidget({
          title: 'Business: per day',
          left: business.map((n) =>
            search(
              `{${METRICS_NAMESPACE},${DIMENSIONS.business.join(',')}} MetricName="${n}" District="${p.stackId}"`,
              'Sum',
              day,
              n,
            ),
          ),
          ...wide,
        }),
      );
    if (p.jobs.length > 0)
      d.addWidgets(
        new cw.GraphWidget({
          title: 'Jobs: duration (ms) and failed runs',
          left: p.jobs.map((j) =>
            this.ownMetric('JobDuration', { Function: j.function, Job: j.name }, 'Maximum', 86_400),
          ),
          right: p.jobs.map((j) => this.ownMetric('JobFailed', { Function: j.function, Job: j.name }, 'Sum', 86_400)),
          ...wide,
        }),
        new cw.GraphWidget({
          title: 'Jobs: what they found',
          left: (p.jobAlarms ?? []).map((a) =>
            this.ownMetric(a.metric, { Function: a.job.function, Job: a.job.name }, 'Maximum', 86_400),
          ),
          ...wide,
        }),
      );
    if (p.cityOverview) this.districtsSideBySide();
  }

  /**
   * The city's overview: every district side by side, through search expressions over the
   * districts' names (their metrics' District dimension, their functions', tables' and queues'
   * `pioneer-<district>-...` names), so that a district deployed or deleted changes nothing here.
   */
  private districtsSideBySide(): void {
    const d = this.dashboard;
    const five = Duration.minutes(5);
    const day = Duration.days(1);
    const wide = { width: 12, height: 6 } as const;
    const ns = METRICS_NAMESPACE;
    d.addWidgets(
      new cw.TextWidget({
        markdown:
          '## Every district side by side\nSearch expressions: a district appears when it reports, and needs no change here.',
        width: 24,
        height: 2,
      }),
    );
    const business = (Object.keys(METRICS) as MetricName[]).filter((n) => METRICS[n].kind === 'business');
    d.addWidgets(
      ...business.map(
        (n) =>
          new cw.GraphWidget({
            title: `${n} per day, by district and function`,
            left: [search(`{${ns},${DIMENSIONS.business.join(',')}} MetricName="${n}"`, 'Sum', day, n)],
            ...wide,
          }),
      ),
      new cw.GraphWidget({
        title: 'Failed job runs per day, by district and job',
        left: [search(`{${ns},${DIMENSIONS.job.join(',')}} MetricName="JobFailed"`, 'Sum', day, 'JobFailed')],
        ...wide,
      }),
      new cw.GraphWidget({
        title: 'Counter differences, by district',
        left: [
          search(
            `{${ns},${DIMENSIONS.job.join(',')}} MetricName="CounterDifferences"`,
            'Maximum',
            day,
            'CounterDifferences',
          ),
        ],
        ...wide,
      }),
      new cw.GraphWidget({
        title: 'Requests given up on contention (409 CONCURRENT_UPDATE), by district',
        left: [
          search(
            `{${ns},${DIMENSIONS.api.join(',')}} MetricName="ConcurrentUpdates"`,
            'Sum',
            five,
            'ConcurrentUpdates',
          ),
        ],
        ...wide,
      }),
      new cw.GraphWidget({
        title: 'Function errors, by function (pioneer-<district>-<name>)',
        left: [search('{AWS/Lambda,FunctionName} MetricName="Errors" pioneer', 'Sum', five, 'Errors')],
        ...wide,
      }),
      new cw.GraphWidget({
        title: 'Function p99 duration (ms), by function',
        left: [search('{AWS/Lambda,FunctionName} MetricName="Duration" pioneer', 'p99', five, 'Duration')],
        ...wide,
      }),
      new cw.GraphWidget({
        title: 'Failure queues: messages waiting, by queue',
        left: [
          search(
            '{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" pioneer',
            'Maximum',
            five,
            'Messages',
          ),
        ],
        ...wide,
      }),
      new cw.GraphWidget({
        title: 'Tables: throttled requests, by table and operation',
        left: [
          search('{AWS/DynamoDB,Operation,TableName} MetricName="ThrottledRequests" pioneer', 'Sum', five, 'Throttled'),
        ],
        ...wide,
      }),
    );
  }
}

/** A search expression for a dashboard (alarms cannot use them; dashboards can). */
function search(query: string, statistic: string, period: Duration, label: string): cw.MathExpression {
  return new cw.MathExpression({
    expression: `SEARCH('${query}', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    period,
    label,
  });
}

/** A queue's name without `pioneer-<stack>-` (`schedule-dlq`), else its construct id in kebab case. */
function queueSubject(queue: sqs.Queue, stackId: string): string {
  const name = (queue.node.defaultChild as sqs.CfnQueue).queueName;
  const prefix = `pioneer-${stackId}-`;
  if (typeof name === 'string' && !name.startsWith('${Token') && name.startsWith(prefix))
    return name.slice(prefix.length);
  return queue.node.id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The function's short name when it is ours (`members`), else its construct id. */
function subjectOf(fn: lambda.Function): string {
  const owner = fn.node.scope;
  return owner instanceof PioneerFunction ? owner.name : fn.node.id.toLowerCase();
}

function comparisonKey(
  c: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold',
): keyof typeof cw.ComparisonOperator {
  return c === 'GreaterThanThreshold' ? 'GREATER_THAN_THRESHOLD' : 'GREATER_THAN_OR_EQUAL_TO_THRESHOLD';
}

import { CfnOutput, CrossStackReferences, Lazy, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DISTRICT_DIRECTORY_PATH } from '../shared/config/city.ts';
import { DEFAULT_LOG_RETENTION_DAYS } from '../shared/config/deployment.ts';
import { findDistrict, type District } from '../shared/config/districts.ts';
import { ROUTES, type RouteEntry } from '../shared/config/routes.ts';
import { SCHEDULES, type ScheduleEntry } from '../shared/config/schedules.ts';
import { STREAM_CONSUMERS, type StreamConsumerEntry } from '../shared/config/streams.ts';
import { TABLE, type TableDefinition } from '../shared/config/table.ts';
import { StreamConsumer } from './constructs/stream-consumer.ts';
import { functionSpecs } from './catalog.ts';
import { PioneerMonitoring } from './constructs/monitoring.ts';
import { connectDistrictToCity } from './city-events.ts';
import type { CityAuth } from './city-stack.ts';
import { PioneerFunction } from './constructs/pioneer-function.ts';
import { PioneerTable } from './constructs/pioneer-table.ts';
import { RouteTableApi } from './constructs/route-table-api.ts';
import { ScheduleTable } from './constructs/schedule-table.ts';
import { functionEnvironment, type StackResources } from './function-environment.ts';

export interface DistrictStackProps extends StackProps {
  readonly district: District;
  readonly auth: CityAuth;
  /**
   * The city's event bus (City stack): the functions that declare it (shared/config/functions.ts:
   * jobs, for the rollup's MonthlyRollupFrozen) may PutEvents on it (EVENT_BUS_NAME), and a rule on
   * it delivers the city plan (CityThemePlanned) to the themes function. Absent: a district on its
   * own, with neither.
   */
  readonly cityBus?: events.IEventBus;
  /**
   * The base URL of the city's HTTP API (City stack): the OpenAPI document names it as the server
   * of the city's paths (CITY_API_URL of the docs function). Absent: the document leaves them out.
   */
  readonly cityApiUrl?: string;
  /** @default ROUTES */
  readonly routes?: readonly RouteEntry[];
  /** @default SCHEDULES */
  readonly schedules?: readonly ScheduleEntry[];
  /** @default TABLE */
  readonly table?: TableDefinition;
  /** @default STREAM_CONSUMERS */
  readonly streams?: readonly StreamConsumerEntry[];
  /** Default route throttling of the stage. @default 200 rps, burst 400 */
  readonly throttle?: apigw.ThrottleSettings;
}

/**
 * One district: its single table, its HTTP API (one route per route-table entry, JWT
 * verified against the city's user pool), one function per bounded context and one
 * EventBridge Scheduler schedule per schedule-table entry. Everything is derived from the
 * tables in shared/config/, so adding a route or a job is a data change.
 */
export class DistrictStack extends Stack {
  readonly table: dynamodb.TableV2;
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  readonly functions: ReadonlyMap<string, PioneerFunction>;
  /** The dead-letter queue of every schedule and the jobs' on-failure destination (absent when there is no schedule). */
  readonly deadLetterQueue: sqs.Queue | undefined;
  /** The district's profile in the city's directory (`/pioneer/districts/<id>`). */
  readonly directoryEntry: ssm.StringParameter;
  /** Alarms, their topic and the dashboard. */
  readonly monitoring: PioneerMonitoring;
  /** The table's stream consumers, by name (each with its failure queue). */
  readonly streamConsumers: ReadonlyMap<string, StreamConsumer>;

  constructor(scope: Construct, id: string, props: DistrictStackProps) {
    super(scope, id, props);
    const districtId = props.district.id;
    const routes = props.routes ?? ROUTES;
    const schedules = props.schedules ?? SCHEDULES;
    const def = props.table ?? TABLE;
    // Strong (Fn::ImportValue) on purpose: a district cannot work without the city's user
    // pool, and CloudFormation then refuses to delete the pool while a district uses it.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    // --- Table -------------------------------------------------------------------------
    const table = new PioneerTable(this, 'Table', { tableName: `pioneer-${districtId}`, definition: def });
    this.table = table.table;

    // --- Functions: each gets what the builder says its declaration needs ---------------------
    const d = props.district;
    const sourceMaps = d.sourceMaps ?? true;
    const logRetentionDays = d.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    const resources: StackResources = {
      stackId: districtId,
      tables: { district: table.tableName },
      ...(props.cityBus ? { cityBus: props.cityBus.eventBusName } : {}),
      profile: {
        name: d.name,
        nameZh: d.nameZh,
        code: d.code,
        ...(d.wishEscalationDays !== undefined ? { wishEscalationDays: d.wishEscalationDays } : {}),
      },
      sourceMaps,
      // The stage is made below, from the functions; its URL is resolved at synth (the function
      // depends on the API, the API's routes on the function: no cycle).
      apiUrl: Lazy.string({ produce: () => this.stage.url }),
      ...(props.cityApiUrl ? { cityApiUrl: props.cityApiUrl } : {}),
      ...(findDistrict(districtId)?.pushSecrets ? { pushSecrets: findDistrict(districtId)!.pushSecrets } : {}),
      userPoolId: props.auth.userPoolId,
    };
    const functions = new Map<string, PioneerFunction>();
    for (const spec of functionSpecs('district', { routes, schedules })) {
      const fn = new PioneerFunction(this, `Fn-${spec.name}`, {
        name: spec.name,
        districtId,
        kind: spec.jobs.length > 0 ? 'job' : 'http',
        description: `Pioneer ${districtId}: ${spec.name} (${spec.routeKeys.length} routes, ${spec.jobs.length} jobs)`,
        tracing: d.tracing ?? false,
        sourceMaps,
        logRetentionDays,
      });
      fn.provide(functionEnvironment(spec, resources), {
        tables: { district: table },
        ...(props.cityBus ? { cityBus: props.cityBus } : {}),
        userPoolArn: props.auth.userPoolArn,
      });
      functions.set(spec.name, fn);
    }
    this.functions = functions;
    if (props.cityBus) connectDistrictToCity(this, { districtId, bus: props.cityBus, functions, routes });

    // --- The table's stream consumers (shared/config/streams.ts) ----------------------------
    const consumers = new Map<string, StreamConsumer>();
    for (const entry of props.streams ?? STREAM_CONSUMERS) {
      if (entry.table !== 'district') continue;
      const fn = functions.get(entry.function);
      if (!fn) throw new Error(`stream consumer ${entry.name}: no function ${entry.function} in this stack`);
      consumers.set(
        entry.name,
        new StreamConsumer(this, `Stream-${entry.name}`, { stackId: districtId, entry, table, fn }),
      );
    }
    this.streamConsumers = consumers;
    const notifier = (props.streams ?? STREAM_CONSUMERS).find(
      (e) => e.table === 'district' && e.name === 'notifications',
    );

    // --- HTTP API ----------------------------------------------------------------------
    const http = new RouteTableApi(this, 'Http', {
      name: `pioneer-${districtId}`,
      description: `Pioneer HTTP API of ${props.district.name} (${props.district.nameZh})`,
      routes,
      functions,
      issuerUrl: props.auth.issuerUrl,
      audience: props.auth.audience,
      throttle: props.throttle ?? { rateLimit: 200, burstLimit: 400 },
      logRetentionDays,
    });
    this.api = http.api;
    this.stage = http.stage;
    this.authorizer = http.authorizer;

    // --- Schedules (the id `Default` keeps their logical ids: see ScheduleTable) ----------
    if (schedules.length > 0) {
      this.deadLetterQueue = new ScheduleTable(this, 'Default', {
        stackId: districtId,
        schedules,
        functions,
      }).deadLetterQueue;
    }

    // --- The district in the city's directory: the city reads it at run time ---------------
    this.directoryEntry = new ssm.StringParameter(this, 'DirectoryEntry', {
      parameterName: `${DISTRICT_DIRECTORY_PATH}/${districtId}`,
      description: `Pioneer: ${d.name} in the city's directory of districts (read by the city function)`,
      stringValue: JSON.stringify({ id: districtId, name: d.name, nameZh: d.nameZh, code: d.code }),
    });

    // --- Alarms and dashboard: on everything above (keep this last) --------------------------
    const verify = schedules.find((j) => j.name === 'verify-counters');
    const checkCalendar = schedules.find((j) => j.name === 'check-calendar');
    this.monitoring = new PioneerMonitoring(this, 'Monitoring', {
      stackId: districtId,
      alarmEmails: d.alarmEmails,
      apis: [this.api],
      tables: [this.table],
      ...(this.deadLetterQueue ? { jobFailures: this.deadLetterQueue } : {}),
      jobs: schedules,
      jobAlarms: [
        ...(verify
          ? [{ kind: 'counter-differences' as const, metric: 'CounterDifferences' as const, job: verify }]
          : []),
        ...(checkCalendar
          ? [{ kind: 'calendar-uncovered' as const, metric: 'CalendarDaysUncovered' as const, job: checkCalendar }]
          : []),
      ],
      streamConsumers: (props.streams ?? STREAM_CONSUMERS)
        .filter((e) => e.table === 'district')
        .map((e) => ({ name: e.name, fn: functions.get(e.function)!.function })),
      // The notifier: the function the `notifications` consumer feeds (it counts NoticesFailed).
      ...(notifier ? { notifier: notifier.function } : {}),
      // Awards reach the city from their outbox (the `city-delivery` stream consumer): a failed put is alarmed.
      functionMetricAlarms: consumers.has('city-delivery')
        ? [{ kind: 'city-deliveries-failed', metric: 'CityDeliveriesFailed', function: 'awards' }]
        : [],
    });
    this.monitoring.cover();

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the district API' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}

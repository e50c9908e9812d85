import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { District } from '../shared/config/districts.ts';
import { ROUTES, type RouteEntry } from '../shared/config/routes.ts';
import { SCHEDULES, type ScheduleEntry } from '../shared/config/schedules.ts';
import { TABLE, type TableDefinition } from '../shared/config/table.ts';
import { functionSpecs } from './catalog.ts';
import { connectDistrictToCity } from './city-events.ts';
import type { CityAuth } from './city-stack.ts';
import { PioneerFunction } from './constructs/pioneer-function.ts';
import { RouteTableApi } from './constructs/route-table-api.ts';
import { parseCron } from './cron.ts';

export interface DistrictStackProps extends StackProps {
  readonly district: District;
  readonly auth: CityAuth;
  /**
   * The city's event bus (City stack): the job functions may PutEvents on it (EVENT_BUS_NAME; the
   * rollup's MonthlyRollupFrozen), and a rule on it delivers the city plan (CityThemePlanned) to
   * the themes function. Absent: a district on its own, with neither.
   */
  readonly cityBus?: events.IEventBus;
  /** @default ROUTES */
  readonly routes?: readonly RouteEntry[];
  /** @default SCHEDULES */
  readonly schedules?: readonly ScheduleEntry[];
  /** @default TABLE */
  readonly table?: TableDefinition;
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
  /** The dead-letter queue of every schedule (absent when there is no schedule). */
  readonly deadLetterQueue: sqs.Queue | undefined;

  constructor(scope: Construct, id: string, props: DistrictStackProps) {
    super(scope, id, props);
    const districtId = props.district.id;
    const routes = props.routes ?? ROUTES;
    const schedules = props.schedules ?? SCHEDULES;
    const def = props.table ?? TABLE;
    // Strong (Fn::ImportValue) on purpose: a district cannot work without the city's user
    // pool, and CloudFormation then refuses to delete the pool while a district uses it.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const str = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

    // --- Table -------------------------------------------------------------------------
    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: `pioneer-${districtId}`,
      partitionKey: str(def.partitionKey),
      sortKey: str(def.sortKey),
      globalSecondaryIndexes: def.indexes.map((i) => ({
        indexName: i.name,
        partitionKey: str(i.partitionKey),
        sortKey: str(i.sortKey),
      })),
      timeToLiveAttribute: def.ttlAttribute,
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- Functions ---------------------------------------------------------------------
    const functions = new Map<string, PioneerFunction>();
    for (const spec of functionSpecs(routes, schedules)) {
      const fn = new PioneerFunction(this, `Fn-${spec.name}`, {
        name: spec.name,
        districtId,
        kind: spec.jobs.length > 0 ? 'job' : 'http',
        description: `Pioneer ${districtId}: ${spec.name} (${spec.routeKeys.length} routes, ${spec.jobs.length} jobs)`,
      });
      fn.bindTable(this.table, spec.access, def.indexes.map((i) => i.name));
      functions.set(spec.name, fn);
    }
    this.functions = functions;
    if (props.cityBus) {
      connectDistrictToCity(this, {
        districtId,
        bus: props.cityBus,
        functions,
        jobFunctions: [...new Set(schedules.map((s) => s.function))],
        routes,
      });
    }
    const fnOf = (name: string): PioneerFunction => {
      const fn = functions.get(name);
      if (!fn) throw new Error(`no function "${name}"`);
      return fn;
    };

    // --- HTTP API ----------------------------------------------------------------------
    const http = new RouteTableApi(this, 'Http', {
      name: `pioneer-${districtId}`,
      description: `Pioneer HTTP API of ${props.district.name} (${props.district.nameZh})`,
      routes,
      functions,
      issuerUrl: props.auth.issuerUrl,
      audience: props.auth.audience,
      throttle: props.throttle ?? { rateLimit: 200, burstLimit: 400 },
    });
    this.api = http.api;
    this.stage = http.stage;
    this.authorizer = http.authorizer;

    // --- Schedules ---------------------------------------------------------------------
    if (schedules.length > 0) {
      const dlq = new sqs.Queue(this, 'ScheduleDlq', {
        queueName: `pioneer-${districtId}-schedule-dlq`,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      this.deadLetterQueue = dlq;
      Validations.of(dlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself the dead-letter queue of the EventBridge Scheduler targets (Scheduler DLQs are not linked through an SQS redrive policy, which the rule looks for).',
      });
      // One role for every schedule of the district, trusted by Scheduler in this account only.
      const schedulerRole = new iam.Role(this, 'SchedulerRole', {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
          StringEquals: { 'aws:SourceAccount': this.account },
        }),
        description: `pioneer-${districtId}: EventBridge Scheduler invokes the job functions`,
      });
      const acknowledgeInvoke = new Set<string>();
      const group = new scheduler.ScheduleGroup(this, 'ScheduleGroup', {
        scheduleGroupName: `pioneer-${districtId}`,
      });
      for (const entry of schedules) {
        new scheduler.Schedule(this, `Schedule-${entry.name}`, {
          scheduleName: entry.name,
          scheduleGroup: group,
          description: entry.description,
          schedule: scheduler.ScheduleExpression.cron({
            ...parseCron(entry.cron),
            timeZone: TimeZone.of(entry.timeZone),
          }),
          timeWindow: scheduler.TimeWindow.off(),
          target: new LambdaInvoke(fnOf(entry.function).function, {
            role: schedulerRole,
            input: scheduler.ScheduleTargetInput.fromObject({
              job: entry.name,
              scheduledTime: scheduler.ContextAttribute.scheduledTime,
              executionId: scheduler.ContextAttribute.executionId,
              args: {},
            }),
            maxEventAge: Duration.hours(1),
            retryAttempts: 3,
            deadLetterQueue: dlq,
          }),
        });
        acknowledgeInvoke.add(entry.function);
      }
      // LambdaInvoke grants lambda:InvokeFunction on `<fn>` and `<fn>:*` (its versions and
      // aliases): acknowledge exactly that finding, per function.
      for (const name of acknowledgeInvoke) {
        const cfn = fnOf(name).function.node.defaultChild as lambda.CfnFunction;
        Validations.of(schedulerRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(cfn)}.Arn>:*]`,
          reason: `The wildcard is the version/alias qualifier of the one "${name}" function (its ARN followed by :*), granted by the Scheduler LambdaInvoke target; no other function is reachable.`,
        });
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the district API' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}

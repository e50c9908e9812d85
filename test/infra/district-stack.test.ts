/**
 * Holds one synthesized district stack against the three tables in shared/config/: every
 * route, index and schedule present with nothing extra, and each function granted exactly
 * the table access its entries declare. Synthesized once (beforeAll), with esbuild
 * bundling on, as `cdk synth` does it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { TimeZone } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { ROUTES, routeKey } from '../../shared/config/routes.ts';
import { SCHEDULES } from '../../shared/config/schedules.ts';
import { TABLE } from '../../shared/config/table.ts';
import { FUNCTIONS } from '../../shared/config/functions.ts';
import { functionSpecs } from '../../infra/catalog.ts';
import { STREAM_READ_ACTIONS } from '../../infra/constructs/stream-consumer.ts';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../../infra/constructs/pioneer-function.ts';
import { parseCron } from '../../infra/cron.ts';
import { functionEnvironment } from '../../infra/function-environment.ts';
import { ROLLUP_DETAIL_TYPE, ROLLUP_EVENT_SOURCE } from '../../shared/domain/rollup.ts';
import { checkAlarms, checkAsyncFailures, type Resources as MonitoredResources } from './monitoring-support.ts';
import { buildTestApp, symbolicEnvironment } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: each resource type has its own properties; the tests read them as synthesized
type Properties = any;
type Resources = Record<
  string,
  { Type: string; Properties: Properties; DeletionPolicy?: string; UpdateReplacePolicy?: string; DependsOn?: string[] }
>;

const districtId = LOCAL_DISTRICT_ID;
let template: Template;
let resources: Resources;
let outdir: string;
let synthMs = 0;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const getAttArn = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
/** Logical id of the Lambda function named `pioneer-<district>-<name>`. */
const functionId = (name: string): string => {
  const found = ofType('AWS::Lambda::Function').filter(
    ([, r]) => r.Properties.FunctionName === `pioneer-${districtId}-${name}`,
  );
  expect(found, `function ${name}`).toHaveLength(1);
  return found[0]![0];
};

beforeAll(() => {
  const t0 = performance.now();
  const { app, districts } = buildTestApp({ context: { district: districtId } });
  outdir = app.outdir;
  const stack = districts.get(districtId);
  if (!stack) throw new Error(`no stack for ${districtId}`);
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Resources;
  synthMs = performance.now() - t0;
  console.log(`[infra] Pioneer-${districtId}: built and synthesized in ${synthMs.toFixed(0)} ms`);
}, 180_000);

describe(`district stack Pioneer-${districtId}`, () => {
  it('stays well under the CloudFormation resource limit', () => {
    const count = Object.keys(resources).length;
    console.log(
      `[infra] Pioneer-${districtId}: ${count} resources (${ROUTES.length} routes, ${functionSpecs().length} functions, ${SCHEDULES.length} schedules)`,
    );
    expect(count).toBeLessThan(400);
  });

  describe('HTTP API', () => {
    it('has exactly the routes of the route table', () => {
      const keys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
      expect(keys.slice().sort()).toEqual(ROUTES.map(routeKey).sort());
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('puts the JWT authorizer of the city user pool on every jwt route and none on public routes', () => {
      const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
      expect(authorizers).toHaveLength(1);
      const [authorizerId, authorizer] = authorizers[0]!;
      expect(authorizer.Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ 'Fn::ImportValue': expect.stringMatching(/^Pioneer-City:.*AppClient/) }],
        },
      });
      // iss = https://cognito-idp.<region>.<suffix>/<the city's user pool id>: the configured region, literally.
      const issuer = JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer);
      // (the partition's DNS suffix stays AWS::URLSuffix: amazonaws.com, or amazonaws.com.cn in China)
      expect(issuer).toContain('"https://cognito-idp.ap-southeast-1.",{"Ref":"AWS::URLSuffix"},"/"');
      expect(issuer).toMatch(/"Fn::ImportValue":"Pioneer-City:ExportsOutputRefUserPool[^"]*"/);
      for (const route of ROUTES) {
        const props =
          route.auth === 'jwt'
            ? { RouteKey: routeKey(route), AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } }
            : { RouteKey: routeKey(route), AuthorizationType: 'NONE', AuthorizerId: Match.absent() };
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', props);
      }
    });

    it('sends each route to its function, one integration and one invoke permission per function', () => {
      const integrationFn = new Map<string, string>();
      for (const [id, r] of ofType('AWS::ApiGatewayV2::Integration')) {
        expect(r.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
        integrationFn.set(id, r.Properties.IntegrationUri['Fn::GetAtt'][0]);
      }
      const withRoutes = functionSpecs().filter((s) => s.routeKeys.length > 0);
      expect([...integrationFn.values()].sort()).toEqual(withRoutes.map((s) => functionId(s.name)).sort());

      for (const [, r] of ofType('AWS::ApiGatewayV2::Route')) {
        const route = ROUTES.find((x) => routeKey(x) === r.Properties.RouteKey)!;
        const integrationId = r.Properties.Target['Fn::Join'][1][1].Ref as string;
        expect(integrationFn.get(integrationId), routeKey(route)).toBe(functionId(route.function));
      }

      // (The other permission: the city bus's rule may invoke the themes function, test/infra/city-stack.test.ts.)
      const permissions = ofType('AWS::Lambda::Permission')
        .map(([, r]) => r.Properties)
        .filter((p) => p.Principal !== 'events.amazonaws.com');
      expect(permissions).toHaveLength(withRoutes.length);
      for (const p of permissions)
        expect(p).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
    });

    it('answers CORS preflight for the app headers', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: {
          AllowOrigins: ['*'],
          AllowMethods: Match.arrayWith(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
          AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
          MaxAge: 600,
        },
      });
    });

    it('has a throttled $default stage with JSON access logs that never hold the Authorization header', () => {
      const format = new Capture();
      const destination = new Capture();
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
        AccessLogSettings: { DestinationArn: destination, Format: format },
      });
      const fields = JSON.parse(format.asString()) as Record<string, string>;
      expect(fields).toMatchObject({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        ip: '$context.identity.sourceIp',
      });
      expect(format.asString().toLowerCase()).not.toContain('authorization');
      const logGroupId = destination.asObject()['Fn::GetAtt'][0] as string;
      expect(resources[logGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: {
          RetentionInDays: 180,
          LogGroupName: generationName(`/aws/apigateway/pioneer-${districtId}/access`),
        },
        DeletionPolicy: 'Retain',
      });
      template.hasOutput('ApiUrl', {});
    });

    it('gives every public route its own throttle, from the route table', () => {
      const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
      const publicRoutes = ROUTES.filter((r) => r.auth === 'public');
      expect(publicRoutes.length).toBeGreaterThanOrEqual(4);
      expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(
        ROUTES.filter((r) => r.throttle)
          .map(routeKey)
          .sort(),
      );
      for (const r of publicRoutes) {
        expect(r.throttle, routeKey(r)).toBeDefined();
        expect(stage.Properties.RouteSettings[routeKey(r)], routeKey(r)).toEqual({
          ThrottlingRateLimit: r.throttle!.rateLimit,
          ThrottlingBurstLimit: r.throttle!.burstLimit,
        });
        // Below the stage's own limit: a public route can never take the whole stage.
        expect(r.throttle!.rateLimit).toBeLessThan(200);
      }
      expect(stage.Properties.RouteSettings['GET /certificates/{number}']).toEqual({
        ThrottlingRateLimit: 10,
        ThrottlingBurstLimit: 20,
      });
      // The route settings name routes that exist when the stage is updated.
      const routeIds = ofType('AWS::ApiGatewayV2::Route')
        .filter(([, r]) => r.Properties.RouteKey in stage.Properties.RouteSettings)
        .map(([id]) => id);
      expect(stage.DependsOn).toEqual(expect.arrayContaining(routeIds));
    });
  });

  describe('table', () => {
    it('is built from the table definition, keys and every index and the TTL', () => {
      const tables = ofType('AWS::DynamoDB::GlobalTable');
      expect(tables).toHaveLength(1);
      const p = tables[0]![1].Properties;
      expect(p.TableName).toBe(`pioneer-${districtId}`);
      expect(p.KeySchema).toEqual([
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ]);
      expect(p.GlobalSecondaryIndexes).toEqual(
        TABLE.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      );
      const keyNames = [
        TABLE.partitionKey,
        TABLE.sortKey,
        ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
      ];
      expect(p.AttributeDefinitions).toEqual(
        [...new Set(keyNames)].map((n) => ({ AttributeName: n, AttributeType: 'S' })),
      );
      expect(p.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.ttlAttribute, Enabled: true });
    });

    it("keeps the logical id the README's re-deploy imports it under (TableCD117FA1)", () => {
      expect(ofType('AWS::DynamoDB::GlobalTable').map(([id]) => id)).toEqual(['TableCD117FA1']);
    });

    it('is on-demand, point-in-time recoverable, deletion protected and retained', () => {
      const [, table] = ofType('AWS::DynamoDB::GlobalTable')[0]!;
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties.Replicas).toHaveLength(1);
      expect(table.Properties.Replicas[0]).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });
  });

  describe('schedules', () => {
    it('has exactly one schedule per schedule-table entry', () => {
      const names = ofType('AWS::Scheduler::Schedule').map(([, r]) => r.Properties.Name as string);
      expect(names.sort()).toEqual(SCHEDULES.map((s) => s.name).sort());
    });

    it.each(SCHEDULES.map((s) => [s.name, s] as const))(
      '%s: cron, time zone, target input, retries and DLQ',
      (_name, entry) => {
        const dlq = new Capture();
        const input = new Capture();
        template.hasResourceProperties(
          'AWS::Scheduler::Schedule',
          Match.objectLike({
            Name: entry.name,
            GroupName: `pioneer-${districtId}`,
            ScheduleExpression: entry.cron,
            ScheduleExpressionTimezone: 'Asia/Shanghai',
            FlexibleTimeWindow: { Mode: 'OFF' },
            State: 'ENABLED',
            Target: Match.objectLike({
              Arn: getAttArn(functionId(entry.function)),
              Input: input,
              RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
              DeadLetterConfig: { Arn: dlq },
            }),
          }),
        );
        expect(JSON.parse(input.asString())).toEqual({
          job: entry.name,
          scheduledTime: '<aws.scheduler.scheduled-time>',
          executionId: '<aws.scheduler.execution-id>',
          args: {},
        });
        const queueId = dlq.asObject()['Fn::GetAtt'][0] as string;
        expect(resources[queueId]).toMatchObject({
          Type: 'AWS::SQS::Queue',
          Properties: { SqsManagedSseEnabled: true },
        });
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: queueId }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      },
    );

    it('parses six-field cron expressions so that the CDK renders them back unchanged', () => {
      for (const s of SCHEDULES) {
        expect(
          ScheduleExpression.cron({ ...parseCron(s.cron), timeZone: TimeZone.ASIA_SHANGHAI }).expressionString,
        ).toBe(s.cron);
      }
      for (const cron of ['cron(0 3 * * ? *)', 'cron(30 8 ? * MON-FRI *)', 'cron(0 0 1 * ? 2030)']) {
        expect(ScheduleExpression.cron(parseCron(cron)).expressionString).toBe(cron);
      }
      expect(() => parseCron('rate(1 day)')).toThrow(/six-field/);
      expect(() => parseCron('cron(0 3 * * *)')).toThrow(/six-field/);
      expect(() => parseCron('cron(0 3 * * MON *)')).toThrow(/"\?"/);
    });
  });

  describe('functions', () => {
    const READ = [...TABLE_READ_ACTIONS];
    const WRITE = [...TABLE_WRITE_ACTIONS];

    it('has one function per name in the route and schedule tables', () => {
      const names = ofType('AWS::Lambda::Function').map(([, r]) => r.Properties.FunctionName as string);
      expect(names.sort()).toEqual(
        functionSpecs()
          .map((s) => `pioneer-${districtId}-${s.name}`)
          .sort(),
      );
    });

    it('has exactly the district functions shared/config/functions.ts declares', () => {
      expect(functionSpecs().map((s) => s.name)).toEqual(Object.keys(FUNCTIONS.district).sort());
    });

    it.each(functionSpecs().map((s) => [s.name, s] as const))(
      "%s: runtime, arm64, exactly the builder's environment, logs and exactly its table access",
      (name, spec) => {
        const id = functionId(name);
        const fn = resources[id]!.Properties;
        expect(fn.Runtime).toMatch(/^nodejs(22|24)\.x$/);
        expect(fn.Architectures).toEqual(['arm64']);
        expect(fn.Handler).toBe('index.handler');
        const job = spec.jobs.length > 0;
        expect(fn.Timeout).toBe(job ? 300 : 10);
        expect(fn.MemorySize).toBe(job ? 1024 : 512);
        const tableId = ofType('AWS::DynamoDB::GlobalTable')[0]![0];
        // Every variable, and no other, is the builder's (source maps are off: no NODE_OPTIONS either).
        const { USER_POOL_ID: _pool, ...builtVariables } = functionEnvironment(spec, {
          stackId: districtId,
          tables: { district: '<district table>' },
          cityBus: '<city bus>',
          profile: { name: 'Jinjiang District', nameZh: '锦江区', code: '510104' },
          sourceMaps: true,
          apiUrl: '<api url>',
          cityApiUrl: '<city api url>',
        }).variables;
        const built = { variables: builtVariables };
        const apiId = ofType('AWS::ApiGatewayV2::Api')[0]![0];
        const { USER_POOL_ID: pool, ...variables } = fn.Environment.Variables;
        expect(symbolicEnvironment(variables, { [tableId]: '<district table>', [apiId]: '<api url>' })).toEqual(
          built.variables,
        );
        // The city's user pool, imported, for the functions that call it (identity) only.
        if (spec.userPool.length > 0)
          expect(pool).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Pioneer-City:ExportsOutputRefUserPool/) });
        else expect(pool).toBeUndefined();
        expect(fn.Environment.Variables.DISTRICT_ID).toBe(districtId);
        // Readable stack traces: source maps on by default (shared/config), used by Node.
        expect(fn.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
        if (spec.profile)
          expect(fn.Environment.Variables).toMatchObject({ DISTRICT_CODE: '510104', DISTRICT_NAME_ZH: '锦江区' });
        else expect(fn.Environment.Variables).not.toHaveProperty('DISTRICT_CODE');
        if (spec.tables.district) expect(fn.Environment.Variables.TABLE_NAME).toEqual({ Ref: tableId });
        else expect(fn.Environment.Variables).not.toHaveProperty('TABLE_NAME');
        const logGroupId = fn.LoggingConfig.LogGroup.Ref as string;
        // Kept 180 days, and kept when the stack goes, under a name of the stack's generation.
        expect(resources[logGroupId]).toMatchObject({
          Type: 'AWS::Logs::LogGroup',
          Properties: {
            RetentionInDays: 180,
            LogGroupName: generationName(`/aws/lambda/pioneer-${districtId}-${name}`),
          },
          DeletionPolicy: 'Retain',
        });

        // Its role: no managed policies, and the union of its policies' statements.
        const roleId = fn.Role['Fn::GetAtt'][0] as string;
        expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
        const all = ofType('AWS::IAM::Policy')
          .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
          .flatMap(
            ([, p]) =>
              p.Properties.PolicyDocument.Statement as Array<{
                Sid: string;
                Effect: string;
                Action: string | string[];
                Resource: unknown;
              }>,
          );
        // The role audit's append-only Deny is on every function that writes the table (and only there).
        const denies = all.filter((x) => x.Effect === 'Deny');
        expect(denies.map((d) => d.Sid)).toEqual(spec.tables.district === 'RW' ? ['TableAuditAppendOnly'] : []);
        // Reading a stream (its consumers, test/infra/identity.test.ts) and the user pool are checked apart.
        const streamActions = new Set([...STREAM_READ_ACTIONS, 'dynamodb:ListStreams']);
        const statements = all.filter(
          (x) =>
            x.Effect !== 'Deny' &&
            !actionsOf(x).some((a) => streamActions.has(a) || a.startsWith('cognito-idp:') || a.startsWith('sqs:')),
        );
        const actions = new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
        const dynamo = [...actions].filter((a) => a.startsWith('dynamodb:')).sort();
        const access = spec.tables.district;
        const expected = access === 'RW' ? [...READ, ...WRITE] : access === 'RO' ? READ : [];
        expect(dynamo).toEqual([...new Set(expected)].sort());
        // Every DynamoDB statement is on this table or one of its indexes, one by one.
        const tableArn = getAttArn(tableId);
        const indexArns = TABLE.indexes.map((i) => ({ 'Fn::Join': ['', [tableArn, `/index/${i.name}`]] }));
        for (const s of statements.filter((x) => actionsOf(x).some((a) => a.startsWith('dynamodb:')))) {
          const resourcesOf = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
          for (const r of resourcesOf)
            expect([tableArn, ...indexArns], `${name}: ${JSON.stringify(r)}`).toContainEqual(r);
        }
        expect(actions.has('dynamodb:Scan')).toBe(false);
        expect([...actions].filter((a) => a.includes('*'))).toEqual([]);
        expect(JSON.stringify(statements.map((s) => s.Resource))).not.toMatch(/"\*"|\/index\/\*/);
      },
    );

    it('ships each bundle with its linked source map (no sources in it), for NODE_OPTIONS=--enable-source-maps', () => {
      const assets = readdirSync(outdir).filter(
        (d) => d.startsWith('asset.') && existsSync(path.join(outdir, d, 'index.mjs')),
      );
      // The district's functions and the city's (the app synthesizes both stacks).
      expect(assets.length).toBe(functionSpecs().length + functionSpecs('city').length);
      for (const a of assets) {
        const code = readFileSync(path.join(outdir, a, 'index.mjs'), 'utf8');
        expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map'), a).toBe(true);
        const map = JSON.parse(readFileSync(path.join(outdir, a, 'index.mjs.map'), 'utf8')) as {
          sources: string[];
          sourcesContent?: unknown;
        };
        expect(
          map.sources.some((f) => f.endsWith('shared/config/env.ts')),
          a,
        ).toBe(true);
        expect(map.sourcesContent, a).toBeUndefined();
      }
    });

    it('gives docs, which reads no table, neither its name nor any DynamoDB permission, and the APIs’ URLs', () => {
      const spec = functionSpecs().find((s) => s.name === 'docs')!;
      expect(spec.tables).toEqual({});
      const fn = resources[functionId('docs')]!.Properties;
      // Its own API's stage URL and the city's (the document's servers), the district's names (its
      // title), and nothing about a table.
      expect(Object.keys(fn.Environment.Variables).sort()).toEqual([
        'API_URL',
        'CITY_API_URL',
        'DISTRICT_CODE',
        'DISTRICT_ID',
        'DISTRICT_NAME',
        'DISTRICT_NAME_ZH',
        'NODE_OPTIONS',
      ]);
      expect(fn.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      const roleId = fn.Role['Fn::GetAtt'][0] as string;
      const policies = ofType('AWS::IAM::Policy').filter(([, p]) =>
        p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId),
      );
      expect(JSON.stringify(policies)).not.toContain('dynamodb:');
    });
  });
});

describe(`district stack Pioneer-${districtId}: operations`, () => {
  it('has every alarm the issue asks for, each with its threshold, on everything the stack holds', () => {
    const alarms = checkAlarms(resources as MonitoredResources);
    const count = (kind: string) => alarms.filter((a) => a.kind === kind).length;
    const functions = ofType('AWS::Lambda::Function').length;
    expect({
      'api-5xx-rate': count('api-5xx-rate'),
      'api-p99-latency': count('api-p99-latency'),
      'api-contention': count('api-contention'),
      'function-errors': count('function-errors'),
      'function-throttles': count('function-throttles'),
      'queue-not-empty': count('queue-not-empty'),
      'job-failed': count('job-failed'),
      'table-throttles': count('table-throttles'),
      'table-system-errors': count('table-system-errors'),
      'counter-differences': count('counter-differences'),
      'calendar-uncovered': count('calendar-uncovered'),
      'notices-failed': count('notices-failed'),
      'stream-iterator-age': count('stream-iterator-age'),
      'city-deliveries-failed': count('city-deliveries-failed'),
    }).toEqual({
      'api-5xx-rate': 1,
      'api-p99-latency': 1,
      'api-contention': 1,
      'function-errors': functions,
      'function-throttles': functions,
      // The city events' queue and the identity, ledger, notifications and city-delivery streams'
      // failure queues; the schedules' queue is "a failed job".
      'queue-not-empty': 5,
      'job-failed': 1,
      'table-throttles': 1,
      'table-system-errors': 1,
      'counter-differences': 1,
      'calendar-uncovered': 1,
      'notices-failed': 1,
      'city-deliveries-failed': 1,
      // The identity, ledger, notifications and city-delivery consumers.
      'stream-iterator-age': 4,
    });
    expect(alarms).toHaveLength(19 + 2 * functions);
    const noticesFailed = alarms.find((a) => a.kind === 'notices-failed')!;
    expect(noticesFailed.name).toBe(`pioneer-${districtId}-notifications-notices-failed`);
    expect(noticesFailed.metrics).toEqual([
      {
        namespace: 'Pioneer',
        name: 'NoticesFailed',
        dimensions: { District: districtId, Function: 'notifications' },
        period: 900,
        stat: 'Sum',
      },
    ]);
    const failed = alarms.find((a) => a.kind === 'job-failed')!;
    expect(failed.name).toBe(`pioneer-${districtId}-schedule-dlq-job-failed`);
    const contention = alarms.find((a) => a.kind === 'api-contention')!;
    expect(contention.name).toBe(`pioneer-${districtId}-api-api-contention`);
    expect(contention.metrics).toEqual([
      {
        namespace: 'Pioneer',
        name: 'ConcurrentUpdates',
        dimensions: { District: districtId },
        period: 300,
        stat: 'Sum',
      },
    ]);
    const city = alarms.find((a) => a.kind === 'city-deliveries-failed')!;
    expect(city.name).toBe(`pioneer-${districtId}-awards-city-deliveries-failed`);
    expect(city.metrics).toEqual([
      {
        namespace: 'Pioneer',
        name: 'CityDeliveriesFailed',
        dimensions: { District: districtId, Function: 'awards' },
        period: 300,
        stat: 'Sum',
      },
    ]);
    const calendar = alarms.find((a) => a.kind === 'calendar-uncovered')!;
    expect(calendar.name).toBe(`pioneer-${districtId}-check-calendar-calendar-uncovered`);
    expect(calendar.metrics).toEqual([
      {
        namespace: 'Pioneer',
        name: 'CalendarDaysUncovered',
        dimensions: { District: districtId, Function: 'jobs', Job: 'check-calendar' },
        period: 86400,
        stat: 'Maximum',
      },
    ]);
    const diff = alarms.find((a) => a.kind === 'counter-differences')!;
    expect(diff.name).toBe(`pioneer-${districtId}-verify-counters-counter-differences`);
    expect(diff.metrics).toEqual([
      {
        namespace: 'Pioneer',
        name: 'CounterDifferences',
        dimensions: { District: districtId, Function: 'jobs', Job: 'verify-counters' },
        period: 86400,
        stat: 'Maximum',
      },
    ]);
  });

  it('sends alarms to one topic, TLS only, with the e-mail subscribers of the configuration', () => {
    const topics = ofType('AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const [topicId, topic] = topics[0]!;
    expect(topic.Properties.TopicName).toBe(`pioneer-${districtId}-alarms`);
    const subs = ofType('AWS::SNS::Subscription').map(([, x]) => x.Properties);
    expect(subs).toEqual([
      expect.objectContaining({
        Protocol: 'email',
        Endpoint: 'ops-jinjiang@pioneer.example.cn',
        TopicArn: { Ref: topicId },
      }),
    ]);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it("has a dashboard of the district's API, functions, table, queues, business and job metrics", () => {
    const dashboards = ofType('AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const [, dashboard] = dashboards[0]!;
    expect(dashboard.Properties.DashboardName).toBe(`pioneer-${districtId}`);
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of [
      'API: requests, 4xx, 5xx',
      'API: latency (ms)',
      'Functions: errors and throttles',
      'Table: throttled requests',
      'Queues: messages waiting',
      'Business: per day',
      'Jobs: duration (ms) and failed runs',
      'Jobs: what they found',
    ])
      expect(body, title).toContain(title);
    for (const metric of [
      'SignUps',
      'Claims',
      'CheckIns',
      'RecordsWritten',
      'JobDuration',
      'JobFailed',
      'CounterDifferences',
      'ConcurrentUpdates',
    ])
      expect(body, metric).toContain(metric);
    // Its business metrics, searched by its own District only.
    expect(body).toMatch(new RegExp(`MetricName=[\\\\"]+SignUps[\\\\"]+ District=[\\\\"]+${districtId}[\\\\"]+`));
  });

  it("sends every failed asynchronous invocation to a queue: jobs to the schedules' queue, the city's events to the city events' queue, the stream's batches to the consumer's queue", () => {
    checkAsyncFailures(resources as MonitoredResources);
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties);
    const queueName = (q: { 'Fn::GetAtt': [string, string] }) => resources[q['Fn::GetAtt'][0]]!.Properties.QueueName;
    expect(
      Object.fromEntries(
        configs.map((c) => [
          resources[c.FunctionName.Ref]!.Properties.FunctionName,
          queueName(c.DestinationConfig.OnFailure.Destination),
        ]),
      ),
    ).toEqual({
      [`pioneer-${districtId}-jobs`]: `pioneer-${districtId}-schedule-dlq`,
      // The reminders jobs run in the notifications function.
      [`pioneer-${districtId}-notifications`]: `pioneer-${districtId}-schedule-dlq`,
      [`pioneer-${districtId}-themes`]: `pioneer-${districtId}-city-events-dlq`,
      [`pioneer-${districtId}-identity`]: `pioneer-${districtId}-city-events-dlq`,
    });
    // The table stream's consumers (identity, ledger, notifications; city-delivery, the awards'
    // outbox): failed batches to each one's own queue (alarmed as any queue).
    const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties);
    expect(mappings.map((m) => queueName(m.DestinationConfig.OnFailure.Destination))).toEqual([
      `pioneer-${districtId}-identity-stream-dlq`,
      `pioneer-${districtId}-ledger-stream-dlq`,
      `pioneer-${districtId}-notifications-stream-dlq`,
      `pioneer-${districtId}-city-delivery-stream-dlq`,
    ]);
    const city = mappings[3]!;
    expect(resources[city.FunctionName.Ref]!.Properties.FunctionName).toBe(`pioneer-${districtId}-awards`);
    expect(city.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: 'CITYOUT#' }] } } } },
    ]);
    expect([city.BisectBatchOnFunctionError, city.MaximumRetryAttempts, city.FunctionResponseTypes]).toEqual([
      true,
      8,
      ['ReportBatchItemFailures'],
    ]);
  });

  it('trusts Scheduler for its own schedule group only, and lets the group go with the stack', () => {
    const [groupId, group] = ofType('AWS::Scheduler::ScheduleGroup')[0]!;
    expect(group.Properties.Name).toBe(`pioneer-${districtId}`);
    expect(resources[groupId]).toMatchObject({ DeletionPolicy: 'Delete' });
    const roles = ofType('AWS::IAM::Role').filter(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(roles).toHaveLength(1);
    expect(roles[0]![1].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111122223333' },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  `:scheduler:ap-southeast-1:111122223333:schedule/pioneer-${districtId}/*`,
                ],
              ],
            },
          },
        },
      },
    ]);
  });

  it('grants no action the code does not call: no DescribeTable, BatchWriteItem or Scan; PutEvents with its source and detail-type only', () => {
    const statements = ofType('AWS::IAM::Policy').flatMap(
      ([, p]) =>
        p.Properties.PolicyDocument.Statement as Array<{
          Action: string | string[];
          Effect?: string;
          Sid?: string;
          Condition?: unknown;
        }>,
    );
    // What is allowed (the audit's append-only Deny names BatchWriteItem too: it grants nothing).
    const all = new Set(statements.filter((x) => x.Effect !== 'Deny').flatMap(actionsOf));
    for (const unused of [
      'dynamodb:DescribeTable',
      'dynamodb:BatchWriteItem',
      'dynamodb:Scan',
      'dynamodb:TransactGetItems',
    ])
      expect(all.has(unused), unused).toBe(false);
    const put = statements.filter((x) => actionsOf(x).includes('events:PutEvents'));
    // The rollup (jobs) and the featured projects' awards (awards), each its own detail-type.
    expect(put.map((x) => x.Condition)).toEqual([
      { StringEquals: { 'events:source': ['pioneer.district'], 'events:detail-type': ['FeaturedProjectsAwarded'] } },
      { StringEquals: { 'events:source': ['pioneer.district'], 'events:detail-type': ['MonthlyRollupFrozen'] } },
    ]);
    // The rollup publishes exactly what its grant allows.
    expect([ROLLUP_EVENT_SOURCE, ROLLUP_DETAIL_TYPE]).toEqual(['pioneer.district', 'MonthlyRollupFrozen']);
  });

  it("writes the district's profile into the city's directory, which the city reads at run time", () => {
    const params = ofType('AWS::SSM::Parameter');
    expect(params).toHaveLength(1);
    const p = params[0]![1].Properties;
    expect(p).toMatchObject({ Name: `/pioneer/districts/${districtId}`, Type: 'String' });
    expect(JSON.parse(p.Value)).toEqual({
      id: districtId,
      name: 'Jinjiang District',
      nameZh: '锦江区',
      code: '510104',
    });
  });
});

/** `<prefix>-<the first 8 hex digits of the stack id's UUID>`, as CloudFormation resolves it. */
function generationName(prefix: string) {
  return {
    'Fn::Join': [
      '-',
      [
        prefix,
        {
          'Fn::Select': [
            0,
            { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] },
          ],
        },
      ],
    ],
  };
}

function actionsOf(s: { Action: string | string[] }): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action];
}

/**
 * Holds one synthesized district stack against the three tables in shared/config/: every
 * route, index and schedule present with nothing extra, and each function granted exactly
 * the table access its entries declare. Synthesized once (beforeAll), with esbuild
 * bundling on, as `cdk synth` does it.
 */
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
  const { districts } = buildTestApp({ context: { district: districtId } });
  const stack = districts.get(districtId);
  if (!stack) throw new Error(`no stack for ${districtId}`);
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Resources;
  synthMs = performance.now() - t0;
  console.log(`[infra] Pioneer-${districtId}: built and synthesized in ${synthMs.toFixed(0)} ms`);
}, 60_000);

describe(`district stack Pioneer-${districtId}`, () => {
  it('stays well under the CloudFormation resource limit', () => {
    const count = Object.keys(resources).length;
    console.log(
      `[infra] Pioneer-${districtId}: ${count} resources (${ROUTES.length} routes, ${functionSpecs().length} functions, ${SCHEDULES.length} schedules)`,
    );
    expect(count).toBeLessThan(350);
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
      // iss = https://cognito-idp.<region>.<suffix>/<the city's user pool id>
      const issuer = JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer);
      expect(issuer).toContain('"https://cognito-idp."');
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
      expect(resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
      template.hasOutput('ApiUrl', {});
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
        if (spec.tables.district) expect(fn.Environment.Variables.TABLE_NAME).toEqual({ Ref: tableId });
        else expect(fn.Environment.Variables).not.toHaveProperty('TABLE_NAME');
        const logGroupId = fn.LoggingConfig.LogGroup.Ref as string;
        expect(resources[logGroupId]).toMatchObject({
          Type: 'AWS::Logs::LogGroup',
          Properties: { RetentionInDays: 30, LogGroupName: `/aws/lambda/pioneer-${districtId}-${name}` },
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

    it('gives docs, which reads no table, neither its name nor any DynamoDB permission, and the APIs’ URLs', () => {
      const spec = functionSpecs().find((s) => s.name === 'docs')!;
      expect(spec.tables).toEqual({});
      const fn = resources[functionId('docs')]!.Properties;
      // Its own API's stage URL and the city's (the document's servers), and nothing about a table.
      expect(Object.keys(fn.Environment.Variables).sort()).toEqual(['API_URL', 'CITY_API_URL', 'DISTRICT_ID']);
      const roleId = fn.Role['Fn::GetAtt'][0] as string;
      const policies = ofType('AWS::IAM::Policy').filter(([, p]) =>
        p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId),
      );
      expect(JSON.stringify(policies)).not.toContain('dynamodb:');
    });
  });
});

function actionsOf(s: { Action: string | string[] }): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action];
}

/**
 * The city level of the app: the City stack's table, bus, rollup rule and HTTP API (built from the
 * city route table, like a district's from its own), and what every district stack gets from it
 * (the bus for its jobs, a rule delivering the city theme plan to its themes function).
 * Synthesized once, without esbuild (templates are the same but for asset hashes); the city
 * function's bundle is built separately with the CDK's esbuild options and must stay < 300 KB.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUNDLE_BYTES } from '../../infra/bundling.ts';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../../infra/constructs/pioneer-function.ts';
import {
  CITY_BUS_NAME,
  CITY_EVENT_SOURCE,
  CITY_TABLE,
  CITY_TABLE_NAME,
  CITY_THEME_DETAIL_TYPE,
} from '../../shared/config/city.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { DISTRICTS } from '../../shared/config/districts.ts';
import { ROUTES, routeKey } from '../../shared/config/routes.ts';
import { SCHEDULES } from '../../shared/config/schedules.ts';
import { CITY_CONTRACTS } from '../../shared/contract/city.ts';
import { FEATURED_DETAIL_TYPE } from '../../shared/domain/featured.ts';
import { ROLLUP_DETAIL_TYPE, ROLLUP_EVENT_SOURCE } from '../../shared/domain/rollup.ts';
import { bundle } from '../bench/bundles.ts';
import { FUNCTIONS } from '../../shared/config/functions.ts';
import { functionSpecs } from '../../infra/catalog.ts';
import { functionEnvironment } from '../../infra/function-environment.ts';
import { checkAlarms, checkAsyncFailures, type Resources as MonitoredResources } from './monitoring-support.ts';
import { buildTestApp, symbolicEnvironment } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: each resource type has its own properties; the tests read them as synthesized
type Properties = any;
type Resources = Record<
  string,
  { Type: string; Properties: Properties; DeletionPolicy?: string; UpdateReplacePolicy?: string }
>;

let city: Resources;
const districts = new Map<string, Resources>();

beforeAll(() => {
  const t0 = performance.now();
  const app = buildTestApp({ bundle: false });
  city = Template.fromStack(app.city).toJSON().Resources as Resources;
  for (const [id, stack] of app.districts) districts.set(id, Template.fromStack(stack).toJSON().Resources as Resources);
  console.log(
    `[infra] Pioneer-City: ${Object.keys(city).length} resources (${CITY_ROUTES.length} routes); built with ${districts.size} districts in ${(performance.now() - t0).toFixed(0)} ms`,
  );
}, 60_000);

const ofType = (res: Resources, type: string) => Object.entries(res).filter(([, r]) => r.Type === type);
const one = (res: Resources, type: string) => {
  const found = ofType(res, type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const fnNamed = (res: Resources, functionName: string) => {
  const found = ofType(res, 'AWS::Lambda::Function').filter(([, f]) => f.Properties.FunctionName === functionName);
  expect(found, functionName).toHaveLength(1);
  return found[0]!;
};
const cityFunction = (name: string) => fnNamed(city, `pioneer-city-${name}`);
const statementsOf = (res: Resources, roleId: string) =>
  ofType(res, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap(
      ([, p]) =>
        p.Properties.PolicyDocument.Statement as Array<{
          Action: string | string[];
          Effect?: string;
          Resource: unknown;
          Sid?: string;
          Condition?: unknown;
        }>,
    );
const actionsOf = (statements: Array<{ Action: string | string[] }>) =>
  new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

describe('City stack: table, bus, rollup rule', () => {
  it('keeps the user pool and its outputs, and stays small', () => {
    one(city, 'AWS::Cognito::UserPool');
    expect(Object.keys(city).length).toBeLessThan(100);
  });

  it('has its own table, hardened like the districts: on-demand, PITR, deletion protection, retained', () => {
    const [, table] = one(city, 'AWS::DynamoDB::GlobalTable');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      TableName: CITY_TABLE_NAME,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: CITY_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: CITY_TABLE.sortKey, KeyType: 'RANGE' },
      ],
    });
    expect(table.Properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(table.Properties.Replicas[0]).toMatchObject({
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('has the pioneer-city bus, with an archive of the theme plan for new districts', () => {
    const [busId, bus] = one(city, 'AWS::Events::EventBus');
    expect(bus.Properties.Name).toBe(CITY_BUS_NAME);
    const [, archive] = one(city, 'AWS::Events::Archive');
    expect(archive.Properties).toMatchObject({
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      EventPattern: { source: [CITY_EVENT_SOURCE] },
    });
  });

  it('delivers MonthlyRollupFrozen and FeaturedProjectsAwarded to the city function, retried, with a DLQ on the rules and on the async invocation', () => {
    const [busId] = one(city, 'AWS::Events::EventBus');
    const [fnId] = cityFunction('city');
    const rules = ofType(city, 'AWS::Events::Rule');
    expect(rules.map(([, r]) => r.Properties.EventPattern)).toEqual([
      { source: [ROLLUP_EVENT_SOURCE], 'detail-type': [ROLLUP_DETAIL_TYPE] },
      { source: [ROLLUP_EVENT_SOURCE], 'detail-type': [FEATURED_DETAIL_TYPE] },
    ]);
    const dlqIds = new Set<string>();
    for (const [, rule] of rules) {
      expect(rule.Properties.EventBusName).toEqual({ Ref: busId });
      expect(rule.Properties.Targets).toHaveLength(1);
      const target = rule.Properties.Targets[0];
      expect(target.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
      expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 8 });
      dlqIds.add(target.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string);
    }
    expect(dlqIds.size).toBe(1);
    const [dlqId] = [...dlqIds] as [string];
    expect(city[dlqId]).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { SqsManagedSseEnabled: true, QueueName: 'pioneer-city-events-dlq' },
    });
    const invokeConfig = ofType(city, 'AWS::Lambda::EventInvokeConfig').find(
      ([, c]) => c.Properties.FunctionName.Ref === fnId,
    )![1];
    expect(invokeConfig.Properties).toMatchObject({
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    const eventsPermissions = ofType(city, 'AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties.Principal === 'events.amazonaws.com',
    );
    expect(eventsPermissions.map(([, p]) => p.Properties.SourceArn)).toEqual(
      rules.map(([ruleId]) => ({ 'Fn::GetAtt': [ruleId, 'Arn'] })),
    );
  });

  it("gives the city function the builder's environment: its table (read-write, no Scan), the bus for the theme plan, and nothing else", () => {
    const [tableId] = one(city, 'AWS::DynamoDB::GlobalTable');
    const [busId] = one(city, 'AWS::Events::EventBus');
    const [, fn] = cityFunction('city');
    expect(fn.Properties.FunctionName).toBe('pioneer-city-city');
    const spec = functionSpecs('city').find((s) => s.name === 'city')!;
    const built = functionEnvironment(spec, {
      stackId: 'city',
      tables: { city: '<city table>' },
      cityBus: '<city bus>',
      districtDirectory: '/pioneer/districts',
      sourceMaps: true,
      apiUrl: '<city api>',
      cityApiUrl: '<city api>',
    });
    const { API_URL, CITY_API_URL, ...variables } = fn.Properties.Environment.Variables;
    const { API_URL: builtApi, CITY_API_URL: builtCity, ...builtRest } = built.variables;
    expect(symbolicEnvironment(variables, { [tableId]: '<city table>', [busId]: '<city bus>' })).toEqual(builtRest);
    // Its own API's stage URL (its document's `servers`), both variables the same.
    expect([builtApi, builtCity]).toEqual(['<city api>', '<city api>']);
    expect(JSON.stringify(API_URL)).toContain('execute-api');
    expect(CITY_API_URL).toEqual(API_URL);
    // No TABLE_NAME: the city function reads no district's table; it learns the districts from the directory.
    expect(variables).toEqual({
      DISTRICT_ID: 'city',
      CITY_TABLE_NAME: { Ref: tableId },
      EVENT_BUS_NAME: { Ref: busId },
      DISTRICT_DIRECTORY: '/pioneer/districts',
      NODE_OPTIONS: '--enable-source-maps',
    });
    const statements = statementsOf(city, fn.Properties.Role['Fn::GetAtt'][0]);
    // What is allowed (the role audit's append-only Deny grants nothing).
    const actions = actionsOf(statements.filter((s) => s.Effect !== 'Deny'));
    expect([...actions].filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(
      [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS].sort(),
    );
    for (const st of statements.filter((x) => [...actionsOf([x])].some((a) => a.startsWith('dynamodb:')))) {
      expect(st.Resource, st.Sid).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
    }
    expect(actions.has('dynamodb:Scan')).toBe(false);
    expect(statements.find((s) => s.Sid === 'PutCityEvents')).toMatchObject({
      Action: 'events:PutEvents',
      Resource: { 'Fn::GetAtt': [busId, 'Arn'] },
      Condition: {
        StringEquals: { 'events:source': [CITY_EVENT_SOURCE], 'events:detail-type': [CITY_THEME_DETAIL_TYPE] },
      },
    });
    // The directory: GetParametersByPath on its path, which is what Parameter Store authorizes.
    expect(statements.find((s) => s.Sid === 'ReadDistrictDirectory')).toMatchObject({
      Action: 'ssm:GetParametersByPath',
      Resource: {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':ssm:ap-southeast-1:111122223333:parameter/pioneer/districts'],
        ],
      },
    });
    expect([...actions].filter((a) => a.includes('*'))).toEqual([]);
  });
});

describe('City HTTP API', () => {
  it('has exactly the routes of the city route table, each JWT-authorized on the city user pool, to the city function', () => {
    const routes = ofType(city, 'AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(CITY_ROUTES.map(routeKey).sort());
    const [authorizerId, authorizer] = one(city, 'AWS::ApiGatewayV2::Authorizer');
    const [poolId] = one(city, 'AWS::Cognito::UserPool');
    const [clientId] = one(city, 'AWS::Cognito::UserPoolClient');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: clientId }] },
    });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain(`{"Ref":"${poolId}"}`);
    for (const [, r] of routes)
      if (r.Properties.RouteKey === 'GET /city/openapi.json') expect(r.Properties.AuthorizationType).toBe('NONE');
      else expect(r.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    const [fnId] = cityFunction('city');
    const [, integration] = one(city, 'AWS::ApiGatewayV2::Integration');
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });
    const [, stage] = one(city, 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true });
    expect(stage.Properties.AccessLogSettings.Format.toLowerCase()).not.toContain('authorization');
  });

  it('the city route table: city_admin only but for its public document, /city paths apart from the district routes, one contract and one handler key each', async () => {
    for (const r of CITY_ROUTES) {
      if (routeKey(r) === 'GET /city/openapi.json') {
        expect(r).toMatchObject({ auth: 'public', roles: 'anyone', throttle: expect.anything() });
        continue;
      }
      expect(r.roles, routeKey(r)).toEqual(['city_admin']);
      expect(r.auth).toBe('jwt');
      expect(r.path).toMatch(/^\/city\//);
    }
    const districtKeys = new Set(ROUTES.map((r) => r.path));
    for (const r of CITY_ROUTES) expect(districtKeys.has(r.path)).toBe(false);
    const keys = (xs: readonly { method: string; path: string }[]) => xs.map((x) => `${x.method} ${x.path}`).sort();
    expect(keys(CITY_CONTRACTS)).toEqual(keys(CITY_ROUTES));
    process.env.TABLE_NAME ??= 'unused';
    process.env.DISTRICT_ID ??= 'jinjiang';
    const mod = (await import('../../functions/city/index.ts')) as { handler: { routeKeys: string[] } };
    expect([...mod.handler.routeKeys].sort()).toEqual(CITY_ROUTES.map(routeKey).sort());
  });
});

describe('district stacks and the city bus', () => {
  it.each(DISTRICTS.map((d) => [d.id] as const))(
    '%s: jobs may PutEvents on the city bus (EVENT_BUS_NAME), themes get CityThemePlanned',
    (id) => {
      const res = districts.get(id)!;
      const count = Object.keys(res).length;
      expect(count).toBeLessThan(400);
      const busImport = { 'Fn::ImportValue': expect.stringMatching(/^Pioneer-City:ExportsOutputRefBus/) };
      // The functions that declare the city bus (shared/config/functions.ts): the jobs (the rollup)
      // and awards (featured projects' awards, FeaturedProjectsAwarded).
      const jobFunctions = Object.entries(FUNCTIONS.district).flatMap(([name, needs]) => (needs.cityBus ? [name] : []));
      // (Not every job's function: the notifications function runs the reminders and puts no event.)
      expect(jobFunctions.sort()).toEqual(['awards', 'jobs']);
      expect(SCHEDULES.some((s) => s.function === 'jobs')).toBe(true);
      for (const [, fn] of ofType(res, 'AWS::Lambda::Function')) {
        const name = (fn.Properties.FunctionName as string).slice(`pioneer-${id}-`.length);
        const statements = statementsOf(res, fn.Properties.Role['Fn::GetAtt'][0]);
        const put = statements.filter((s) => actionsOf([s]).has('events:PutEvents'));
        if (jobFunctions.includes(name)) {
          expect(fn.Properties.Environment.Variables.EVENT_BUS_NAME, name).toEqual(busImport);
          expect(put, name).toHaveLength(1);
          expect(put[0]!.Resource).toEqual({
            'Fn::ImportValue': expect.stringMatching(/^Pioneer-City:ExportsOutputFnGetAttBus.*Arn/),
          });
          expect(put[0]!.Condition).toEqual({
            StringEquals: {
              'events:source': [ROLLUP_EVENT_SOURCE],
              'events:detail-type': [name === 'awards' ? FEATURED_DETAIL_TYPE : ROLLUP_DETAIL_TYPE],
            },
          });
        } else {
          expect(fn.Properties.Environment.Variables.EVENT_BUS_NAME, name).toBeUndefined();
          expect(put, name).toHaveLength(0);
        }
      }
      const rules = ofType(res, 'AWS::Events::Rule');
      expect(rules).toHaveLength(2); // the theme plan, and the district's sign-ups
      const [ruleId, rule] = rules.find(
        ([, r]) => r.Properties.EventPattern['detail-type'][0] === CITY_THEME_DETAIL_TYPE,
      )!;
      expect(rule.Properties.EventBusName).toEqual(busImport);
      expect(rule.Properties.EventPattern).toEqual({
        source: [CITY_EVENT_SOURCE],
        'detail-type': [CITY_THEME_DETAIL_TYPE],
      });
      const themesId = ofType(res, 'AWS::Lambda::Function').find(
        ([, f]) => f.Properties.FunctionName === `pioneer-${id}-themes`,
      )![0];
      const target = rule.Properties.Targets[0];
      expect(target).toMatchObject({
        Arn: { 'Fn::GetAtt': [themesId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 8 },
      });
      const dlqId = target.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string;
      expect(res[dlqId]).toMatchObject({
        Type: 'AWS::SQS::Queue',
        Properties: { QueueName: `pioneer-${id}-city-events-dlq`, SqsManagedSseEnabled: true },
      });
      const invokeConfig = ofType(res, 'AWS::Lambda::EventInvokeConfig').find(
        ([, c]) => c.Properties.FunctionName.Ref === themesId,
      )![1];
      expect(invokeConfig.Properties).toMatchObject({
        FunctionName: { Ref: themesId },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
      });
      const eventsPermissions = ofType(res, 'AWS::Lambda::Permission').filter(
        ([, p]) =>
          p.Properties.Principal === 'events.amazonaws.com' &&
          JSON.stringify(p.Properties.FunctionName).includes(themesId),
      );
      expect(eventsPermissions.map(([, p]) => p.Properties)).toEqual([
        expect.objectContaining({
          FunctionName: { 'Fn::GetAtt': [themesId, 'Arn'] },
          SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
        }),
      ]);
      if (id === DISTRICTS[0]!.id) console.log(`[infra] Pioneer-${id}: ${count} resources with the city wiring`);
    },
  );
});

describe('city function bundle', () => {
  it('stays under 300 KB with the CDK esbuild options', async () => {
    const entry = fileURLToPath(new URL('../../functions/city/index.ts', import.meta.url));
    const bytes = readFileSync(await bundle('infra-test-city', entry)).length;
    console.log(`[infra] city bundle: ${(bytes / 1024).toFixed(1)} KB`);
    expect(bytes).toBeLessThan(MAX_BUNDLE_BYTES);
  }, 60_000);
});

describe('City stack: operations', () => {
  it('has every alarm, each with its threshold, and "a rollup missing by 03:00 on the 1st"', () => {
    const alarms = checkAlarms(city as MonitoredResources);
    const kinds = alarms.map((a) => a.kind);
    const functions = ofType(city, 'AWS::Lambda::Function').length;
    // city, city-jobs and the pool's triggers (a failed post-confirmation is an error of theirs).
    expect(functions).toBe(3);
    expect(kinds.filter((k) => k === 'function-errors')).toHaveLength(functions);
    const missing = alarms.find((a) => a.kind === 'rollups-missing')!;
    expect(missing.name).toBe('pioneer-city-check-rollups-rollups-missing');
    expect(missing.metrics).toEqual([
      {
        namespace: 'Pioneer',
        name: 'RollupsMissing',
        dimensions: { District: 'city', Function: 'city-jobs', Job: 'check-rollups' },
        period: 86400,
        stat: 'Maximum',
      },
    ]);
    expect(kinds.filter((k) => k === 'job-failed')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'queue-not-empty')).toHaveLength(1);
    // The city's API: 5xx rate, p99 latency, contention.
    expect(kinds.filter((k) => k === 'api-contention')).toHaveLength(1);
    expect(alarms).toHaveLength(3 + 2 * functions + 2 + 2 + 1);
  });

  it('checks the rollups at 03:00 on the 1st (an hour after the districts freeze), failures to its queue', () => {
    const [, schedule] = one(city, 'AWS::Scheduler::Schedule');
    const [jobsId] = fnNamed(city, 'pioneer-city-city-jobs');
    expect(schedule.Properties).toMatchObject({
      Name: 'check-rollups',
      GroupName: 'pioneer-city',
      ScheduleExpression: 'cron(0 3 1 * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: { Arn: { 'Fn::GetAtt': [jobsId, 'Arn'] } },
    });
    expect(SCHEDULES.find((s) => s.name === 'rollup')!.cron).toBe('cron(0 2 1 * ? *)');
    checkAsyncFailures(city as MonitoredResources);
    // city-jobs reads the city table and the directory; it writes nothing and puts no event.
    const [, jobsFn] = fnNamed(city, 'pioneer-city-city-jobs');
    const statements = statementsOf(city, jobsFn.Properties.Role['Fn::GetAtt'][0]);
    const actions = [...actionsOf(statements)].filter((a) => !a.startsWith('logs:') && !a.startsWith('sqs:')).sort();
    expect(actions).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'ssm:GetParametersByPath']);
  });

  it("shows every district side by side on the city's dashboard, without naming any: a new district changes nothing", () => {
    const [, dashboard] = one(city, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties.DashboardName).toBe('pioneer-city');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    expect(body).toContain('Every district side by side');
    for (const metric of ['SignUps', 'Claims', 'CheckIns', 'RecordsWritten', 'JobFailed', 'CounterDifferences'])
      expect(body, metric).toMatch(
        new RegExp(`SEARCH\\('\\{Pioneer,District,[A-Za-z,]+\\} MetricName=[\\\\"]+${metric}[\\\\"]+'`),
      );
    // Requests given up on contention: the API's own metric, by district only.
    expect(body).toMatch(/SEARCH\('\{Pioneer,District\} MetricName=[\\"]+ConcurrentUpdates[\\"]+'/);
    expect(body).toContain("SEARCH('{AWS/Lambda,FunctionName} MetricName=");
    for (const d of DISTRICTS) expect(body, d.id).not.toContain(d.id);
  });
});

/**
 * Identity in the templates: the pool's triggers (City stack), the one function per stack that may
 * change the pool's users and exactly on the city pool's ARN, the table's stream consumers with
 * their failure queues, the sign-up rule, SES for the pool's mail, and the role audit kept
 * append-only by IAM.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESIDENT_SIGNED_UP_DETAIL_TYPE } from '../../shared/config/city.ts';
import { DISTRICTS } from '../../shared/config/districts.ts';
import { COGNITO_ACTIONS, FUNCTIONS } from '../../shared/config/functions.ts';
import { STREAM_CONSUMERS } from '../../shared/config/streams.ts';
import { acknowledgements, buildTestApp } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: template properties are read field by field and judged by the assertions
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
type Resources = Record<string, Resource>;
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

let city: Resources;
const districts = new Map<string, Resources>();
let cityApp: ReturnType<typeof buildTestApp>;

beforeAll(() => {
  cityApp = buildTestApp({ bundle: false });
  city = Template.fromStack(cityApp.city).toJSON().Resources as Resources;
  for (const [id, stack] of cityApp.districts)
    districts.set(id, Template.fromStack(stack).toJSON().Resources as Resources);
}, 120_000);

const ofType = (res: Resources, type: string) => Object.entries(res).filter(([, r]) => r.Type === type);
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const fnNamed = (res: Resources, name: string) =>
  ofType(res, 'AWS::Lambda::Function').find(([, f]) => f.Properties.FunctionName === name)!;
/** Every statement of every policy, with the role it is attached to. */
const statements = (res: Resources) =>
  ofType(res, 'AWS::IAM::Policy').flatMap(([policyId, p]) =>
    (p.Properties.PolicyDocument.Statement as Statement[]).map((s) => ({
      policyId,
      roles: (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref),
      s,
    })),
  );

describe('the user pool (City stack)', () => {
  it('runs the cognito-triggers function before sign-up, after confirmation and before each token', () => {
    const [poolId, pool] = ofType(city, 'AWS::Cognito::UserPool')[0]!;
    const [fnId, fn] = fnNamed(city, 'pioneer-city-cognito-triggers');
    const arn = { 'Fn::GetAtt': [fnId, 'Arn'] };
    expect(pool.Properties.LambdaConfig).toEqual({
      PreSignUp: arn,
      PostConfirmation: arn,
      PreTokenGeneration: arn,
    });
    // Cognito waits 5 s for a trigger; the function reads no table, checks a sign-up's district
    // against the directory and puts ResidentSignedUp on the bus.
    expect(fn.Properties.Timeout).toBe(5);
    expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual([
      'DISTRICT_DIRECTORY',
      'DISTRICT_ID',
      'EVENT_BUS_NAME',
      'NODE_OPTIONS',
    ]);
    const invoke = ofType(city, 'AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties.Principal === 'cognito-idp.amazonaws.com',
    );
    expect(invoke.map(([, p]) => p.Properties.SourceArn)).toEqual(
      invoke.map(() => ({ 'Fn::GetAtt': [poolId, 'Arn'] })),
    );
    expect(invoke.length).toBeGreaterThan(0);
  });

  it('says in the COG2 acknowledgement exactly how admin MFA is enforced', () => {
    const cog2 = acknowledgements(cityApp.city).find((a) => a.id === 'AwsSolutions-COG2')!;
    expect(cog2.reason).toContain('pre-token-generation trigger withholds the admin groups');
    expect(cog2.reason).toContain('refuse an admin role to a user without an authenticator app (TOTP) set up');
    expect(cog2.reason).not.toMatch(/expected to|tracked for/);
  });

  it("mails with Cognito's default sender unless an SES sender is configured (-c sesFromEmail)", () => {
    const [, pool] = ofType(city, 'AWS::Cognito::UserPool')[0]!;
    expect(pool.Properties.EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
    const withSes = buildTestApp({
      bundle: false,
      context: { sesFromEmail: 'noreply@pioneer.example', sesRegion: 'ap-southeast-1', district: 'pujiang' },
    });
    const [, sesPool] = ofType(
      Template.fromStack(withSes.city).toJSON().Resources as Resources,
      'AWS::Cognito::UserPool',
    )[0]!;
    expect(sesPool.Properties.EmailConfiguration).toMatchObject({
      EmailSendingAccount: 'DEVELOPER',
      From: 'noreply@pioneer.example',
    });
    expect(JSON.stringify(sesPool.Properties.EmailConfiguration.SourceArn)).toContain(
      'identity/noreply@pioneer.example',
    );
  });
});

describe('who may change the pool: one function per stack, on the city pool only', () => {
  it('in the City stack: the triggers, in a policy of their own, with exactly their actions on the pool ARN', () => {
    const [poolId] = ofType(city, 'AWS::Cognito::UserPool')[0]!;
    const [, fn] = fnNamed(city, 'pioneer-city-cognito-triggers');
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const cognito = statements(city).filter(({ s }) => actionsOf(s).some((a) => a.startsWith('cognito-idp:')));
    expect(cognito).toHaveLength(1);
    const [{ s, roles, policyId }] = cognito as [(typeof cognito)[number]];
    expect(roles).toEqual([roleId]);
    expect(s.Effect).toBe('Allow');
    expect(actionsOf(s).sort()).toEqual(
      FUNCTIONS.city['cognito-triggers']!.userPool!.map((a) => `cognito-idp:${a}`).sort(),
    );
    expect(s.Resource).toEqual({ 'Fn::GetAtt': [poolId, 'Arn'] });
    // Detached: the function does not depend on it (the pool names the function; this names the pool).
    expect(fn.DependsOn ?? []).not.toContain(policyId);
  });

  it.each(DISTRICTS.map((d) => [d.id]))(
    'in %s: the identity function alone, exactly its actions, on the imported pool ARN',
    (id) => {
      const res = districts.get(id)!;
      const [, fn] = fnNamed(res, `pioneer-${id}-identity`);
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];
      const cognito = statements(res).filter(({ s }) => actionsOf(s).some((a) => a.startsWith('cognito-idp:')));
      expect(cognito.map((c) => c.roles)).toEqual([[roleId]]);
      const { s } = cognito[0]!;
      expect(actionsOf(s).sort()).toEqual(COGNITO_ACTIONS.map((a) => `cognito-idp:${a}`).sort());
      expect(s.Resource).toEqual({
        'Fn::ImportValue': expect.stringMatching(/^Pioneer-City:ExportsOutputFnGetAttUserPool.*Arn/),
      });
      expect(fn.Properties.Environment.Variables.USER_POOL_ID).toEqual({
        'Fn::ImportValue': expect.stringMatching(/^Pioneer-City:ExportsOutputRefUserPool/),
      });
    },
  );

  it('no statement anywhere allows a cognito-idp action on anything but the pool', () => {
    for (const res of [city, ...districts.values()])
      for (const { s } of statements(res))
        if (actionsOf(s).some((a) => a.startsWith('cognito-idp:'))) {
          expect(JSON.stringify(s.Resource)).toMatch(/UserPool/);
          expect(actionsOf(s).some((a) => a.includes('*'))).toBe(false);
        }
  });
});

describe('the table stream and its consumers (districts)', () => {
  it.each(DISTRICTS.map((d) => [d.id]))(
    '%s: each consumer of shared/config/streams.ts, filtered, bisected, retried, then its own queue',
    (id) => {
      const res = districts.get(id)!;
      const [tableId, table] = ofType(res, 'AWS::DynamoDB::GlobalTable')[0]!;
      expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
      const mappings = ofType(res, 'AWS::Lambda::EventSourceMapping');
      expect(mappings).toHaveLength(STREAM_CONSUMERS.length);
      for (const entry of STREAM_CONSUMERS) {
        const [fnId, fn] = fnNamed(res, `pioneer-${id}-${entry.function}`);
        const [, m] = mappings.find(([, x]) => x.Properties.FunctionName.Ref === fnId)!;
        expect(m.Properties).toMatchObject({
          EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: entry.batchSize,
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: entry.retryAttempts,
          MaximumRecordAgeInSeconds: entry.maxRecordAgeHours * 3600,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
        expect(m.Properties.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual(
          entry.filters,
        );
        const dlqId = m.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
        expect(res[dlqId]).toMatchObject({
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: `pioneer-${id}-${entry.name}-stream-dlq`, SqsManagedSseEnabled: true },
        });
        // The role reads this stream only (ListStreams has no resource) and sends to this queue only.
        const roleId = fn.Properties.Role['Fn::GetAtt'][0];
        const mine = statements(res)
          .filter(({ roles }) => roles.includes(roleId))
          .map(({ s }) => s);
        const read = mine.find((s) => actionsOf(s).includes('dynamodb:GetRecords'))!;
        expect(read.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
        const sends = mine.filter((s) => actionsOf(s).includes('sqs:SendMessage')).map((s) => s.Resource);
        expect(sends).toContainEqual({ 'Fn::GetAtt': [dlqId, 'Arn'] });
        expect(mine.find((s) => actionsOf(s).includes('dynamodb:ListStreams'))!.Resource).toBe('*');
      }
      // The identity consumer takes exactly the roles records.
      expect(STREAM_CONSUMERS.find((c) => c.name === 'identity')!.filters).toEqual([
        { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['ROLES'] } } } },
      ]);
    },
  );

  it.each(DISTRICTS.map((d) => [d.id]))(
    "%s: the district's own sign-ups (ResidentSignedUp) go to its identity function",
    (id) => {
      const res = districts.get(id)!;
      const [fnId] = fnNamed(res, `pioneer-${id}-identity`);
      const [, rule] = ofType(res, 'AWS::Events::Rule').find(
        ([, r]) => r.Properties.EventPattern['detail-type'][0] === RESIDENT_SIGNED_UP_DETAIL_TYPE,
      )!;
      expect(rule.Properties.EventPattern.detail).toEqual({ district: [id] });
      expect(rule.Properties.Targets[0]).toMatchObject({
        Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 8 },
      });
    },
  );

  it.each(DISTRICTS.map((d) => [d.id]))(
    '%s: every function that writes the table is denied updates and deletes of the role audit',
    (id) => {
      const res = districts.get(id)!;
      const [tableId] = ofType(res, 'AWS::DynamoDB::GlobalTable')[0]!;
      const writers = statements(res).filter(
        ({ s }) => s.Effect === 'Allow' && actionsOf(s).includes('dynamodb:PutItem'),
      );
      expect(writers.length).toBeGreaterThan(3);
      for (const w of writers) {
        const deny = statements(res).find(({ s, roles }) => s.Effect === 'Deny' && roles[0] === w.roles[0]);
        expect(deny?.s, w.roles[0]).toMatchObject({
          Action: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
          Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
          Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['ROLE_AUDIT#*'] } },
        });
      }
    },
  );
});

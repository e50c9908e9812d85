/**
 * The city stack (identity shared by every district) and the app: its stack selection, its
 * explicit environments (account and region from shared/config, checked before anything is built),
 * and districts that come and go without changing the city or the other districts. Stack selection
 * needs no templates, so it builds without esbuild; one full synth with cdk-nag registered (as
 * `npm run synth -- -c district=pujiang`) proves the app synthesizes offline, with cdk-nag wired in.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CITY_DEPLOYMENT } from '../../shared/config/city.ts';
import { DISTRICTS, type District } from '../../shared/config/districts.ts';
import { ROLES } from '../../shared/domain/roles.ts';
import { buildTestApp, stacksOf } from './support.ts';

describe('city stack', () => {
  let city: Template;
  beforeAll(() => {
    const { city: stack } = buildTestApp({ context: { district: 'pujiang' }, bundle: false });
    city = Template.fromStack(stack);
  }, 60_000);

  it('has one user pool with a strong password policy, optional TOTP MFA and deletion protection', () => {
    city.resourceCountIs('AWS::Cognito::UserPool', 1);
    city.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtection: 'ACTIVE',
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UsernameAttributes: ['email'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      }),
    });
  });

  it('has one group per role', () => {
    const groups = Object.values(city.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName as string,
    );
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has a public app client that cannot write its own scope claims', () => {
    city.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    const client = Object.values(city.findResources('AWS::Cognito::UserPoolClient'))[0]!.Properties;
    expect(client).toMatchObject({
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    expect(client.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH']));
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    // Of the custom attributes, only the district chosen at sign-up, which is immutable (written once).
    expect((client.WriteAttributes as string[]).filter((a) => a.startsWith('custom:'))).toEqual([
      'custom:signUpDistrict',
    ]);
    const pool = Object.values(city.findResources('AWS::Cognito::UserPool'))[0]!;
    const schema = pool.Properties.Schema as { Name: string; Mutable: boolean }[];
    expect(schema.find((a) => a.Name === 'signUpDistrict')).toMatchObject({ Mutable: false });
    for (const a of ['memberId', 'communityId', 'streetId', 'teamId', 'district'])
      expect(
        schema.find((x) => x.Name === a),
        a,
      ).toMatchObject({ Mutable: true });
    expect(client.ReadAttributes).toEqual(
      expect.arrayContaining(['custom:memberId', 'custom:communityId', 'custom:teamId', 'custom:district']),
    );
  });

  it('exports the issuer and the client id the district authorizers use', () => {
    city.hasOutput('IssuerUrl', {});
    city.hasOutput('AppClientId', {});
  });
});

describe('app', () => {
  it('builds the city and every district by default', () => {
    const { app } = buildTestApp({ bundle: false });
    expect(
      stacksOf(app)
        .map((s) => s.stackName)
        .sort(),
    ).toEqual(['Pioneer-City', ...DISTRICTS.map((d) => `Pioneer-${d.id}`)].sort());
  });

  it('builds the city and that district only with -c district=<id>', () => {
    const { app } = buildTestApp({ context: { district: 'pujiang' }, bundle: false });
    expect(
      stacksOf(app)
        .map((s) => s.stackName)
        .sort(),
    ).toEqual(['Pioneer-City', 'Pioneer-pujiang']);
  });

  it('names the known ids when the district is unknown', () => {
    expect(() => buildTestApp({ context: { district: 'atlantis' }, bundle: false })).toThrow(
      /unknown district "atlantis".*jinjiang, shuangliu, pujiang/,
    );
  });

  it('synthesizes offline, to the account and region of shared/config, with the cdk-nag plugins of infra/app.ts passing', () => {
    const t0 = performance.now();
    // Bundling is covered by the district test, the CDK's CloudFormation schema validation
    // (~2 s) by `npm run synth`; here: the app as infra/app.ts wires it, cdk-nag included.
    const { app } = buildTestApp({ context: { district: 'pujiang' }, validate: true, bundle: false });
    const assembly = app.synth();
    console.log(`[infra] app synth (City + pujiang, cdk-nag plugin): ${(performance.now() - t0).toFixed(0)} ms`);
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Pioneer-City', 'Pioneer-pujiang']);
    // The values the configuration states, and no other: no fallback to a machine's defaults.
    expect(CITY_DEPLOYMENT).toMatchObject({ account: '111122223333', region: 'ap-southeast-1' });
    for (const s of assembly.stacks) {
      expect(s.environment).toMatchObject({ account: '111122223333', region: 'ap-southeast-1' });
      // Tags are applied at synth (an aspect): check them on a taggable resource of each stack.
      const district = s.stackName === 'Pioneer-City' ? 'city' : 'pujiang';
      const tagged = Object.values(
        s.template.Resources as Record<
          string,
          { Type: string; Properties: { Tags?: unknown; UserPoolTags?: unknown } }
        >,
      ).find((r) => r.Type === 'AWS::Cognito::UserPool' || r.Type === 'AWS::Lambda::Function');
      const tags =
        tagged?.Properties.UserPoolTags ??
        Object.fromEntries(
          ((tagged?.Properties.Tags ?? []) as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]),
        );
      expect(tags, s.stackName).toMatchObject({ project: 'pioneer', district });
    }
  }, 60_000);
});

describe('configuration', () => {
  const jinjiang = DISTRICTS.find((d) => d.id === 'jinjiang')!;
  const build =
    (districts: readonly District[], city = CITY_DEPLOYMENT) =>
    () =>
      buildTestApp({ bundle: false, districts, city });

  it('refuses a district without an account or a region, naming it: no silent fallback', () => {
    const { account: _a, ...noAccount } = jinjiang;
    expect(build([noAccount as District])).toThrow(
      /district "jinjiang": account must be a 12-digit AWS account id, got undefined/,
    );
    const { region: _r, ...noRegion } = jinjiang;
    expect(build([noRegion as District])).toThrow(/district "jinjiang": region must be an AWS region/);
    expect(build([jinjiang], { ...CITY_DEPLOYMENT, region: '' })).toThrow(
      /the city \(city\): region must be an AWS region/,
    );
  });

  it('reserves `city` and checks district ids, codes and alarm e-mails', () => {
    expect(build([{ ...jinjiang, id: 'city' }])).toThrow(/district "city": the id "city" is reserved/);
    expect(build([{ ...jinjiang, id: 'Jin-Jiang' }])).toThrow(/id must be 2-24 lower-case letters and digits/);
    expect(build([jinjiang, { ...jinjiang }])).toThrow(/the id is used twice/);
    expect(build([jinjiang, { ...jinjiang, id: 'xindu' }])).toThrow(/the code 510104 is used twice/);
    expect(build([{ ...jinjiang, code: '5101' }])).toThrow(/code must be a 6-digit GB\/T 2260 code/);
    expect(build([{ ...jinjiang, alarmEmails: [] }])).toThrow(/alarmEmails must list at least one address/);
    expect(build([{ ...jinjiang, alarmEmails: ['nobody'] }])).toThrow(/"nobody" is not an e-mail address/);
    expect(build([{ ...jinjiang, logRetentionDays: 100 as never }])).toThrow(/logRetentionDays must be one of/);
  });

  it("keeps every district in the city's account and region (CloudFormation exports cross neither)", () => {
    expect(build([{ ...jinjiang, region: 'ap-east-1' }])).toThrow(
      /district "jinjiang": deployed to 111122223333\/ap-east-1, the city to 111122223333\/ap-southeast-1/,
    );
  });

  it("switches X-Ray, source maps and log retention per district, from the district's entry", () => {
    const app = buildTestApp({
      bundle: false,
      districts: DISTRICTS.map((d) =>
        d.id === 'jinjiang' ? { ...d, tracing: true, sourceMaps: false, logRetentionDays: 365 as const } : d,
      ),
    });
    const of = (id: string) =>
      Object.values(
        Template.fromStack(app.districts.get(id)!).toJSON().Resources as Record<
          string,
          { Type: string; Properties: Record<string, unknown> }
        >,
      );
    const fns = (id: string) =>
      of(id)
        .filter((r) => r.Type === 'AWS::Lambda::Function')
        .map((r) => r.Properties);
    const retention = (id: string) => [
      ...new Set(
        of(id)
          .filter((r) => r.Type === 'AWS::Logs::LogGroup')
          .map((r) => r.Properties.RetentionInDays),
      ),
    ];
    for (const fn of fns('jinjiang')) {
      expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
      expect((fn.Environment as { Variables: Record<string, unknown> }).Variables.NODE_OPTIONS).toBeUndefined();
    }
    expect(retention('jinjiang')).toEqual([365]);
    for (const fn of fns('pujiang')) {
      expect(fn.TracingConfig).toBeUndefined();
      expect((fn.Environment as { Variables: Record<string, unknown> }).Variables.NODE_OPTIONS).toBe(
        '--enable-source-maps',
      );
    }
    expect(retention('pujiang')).toEqual([180]);
  }, 60_000);

  it('adds a district without changing the city or any other district (templates; no bundle holds the list)', () => {
    const xindu: District = {
      ...jinjiang,
      id: 'xindu',
      name: 'Xindu District',
      nameZh: '新都区',
      code: '510114',
      alarmEmails: ['ops-xindu@pioneer.example.cn'],
    };
    const before = buildTestApp({ bundle: false });
    const after = buildTestApp({ bundle: false, districts: [...DISTRICTS, xindu] });
    expect(after.districts.has('xindu')).toBe(true);
    expect(Template.fromStack(after.city).toJSON()).toEqual(Template.fromStack(before.city).toJSON());
    for (const d of DISTRICTS)
      expect(Template.fromStack(after.districts.get(d.id)!).toJSON(), d.id).toEqual(
        Template.fromStack(before.districts.get(d.id)!).toJSON(),
      );
    // The bundles: no function's bundle reads shared/config/districts.ts (test/infra/bundles.test.ts
    // builds them and holds their inputs), so their assets, and so these templates, stay the same.
  }, 60_000);
});

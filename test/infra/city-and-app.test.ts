/**
 * The city stack (identity shared by every district) and the app's stack selection.
 * Stack selection needs no templates, so it builds without esbuild; one full synth with
 * cdk-nag registered (as `npm run synth -- -c district=pujiang`) proves the app synthesizes
 * offline, environment-agnostic, with cdk-nag wired in.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DISTRICTS } from '../../shared/config/districts.ts';
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

  it('synthesizes offline and env-agnostic with the cdk-nag plugin of infra/app.ts passing', () => {
    const t0 = performance.now();
    // Bundling is covered by the district test, the CDK's CloudFormation schema validation
    // (~2 s) by `npm run synth`; here: the app as infra/app.ts wires it, cdk-nag included.
    const { app } = buildTestApp({ context: { district: 'pujiang' }, validate: true, bundle: false });
    const assembly = app.synth();
    console.log(`[infra] app synth (City + pujiang, cdk-nag plugin): ${(performance.now() - t0).toFixed(0)} ms`);
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Pioneer-City', 'Pioneer-pujiang']);
    for (const s of assembly.stacks) {
      expect(s.environment).toMatchObject({ account: 'unknown-account', region: 'unknown-region' });
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

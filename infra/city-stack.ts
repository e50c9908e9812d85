import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { ROLES, type Role } from '../shared/domain/roles.ts';

/**
 * The scope claims the API reads from the token (`custom:<name>`, shared/http/caller.ts): those of
 * ../shared/API.md plus `streetId`, which a street admin's scope needs.
 */
export const SCOPE_ATTRIBUTES = ['memberId', 'communityId', 'streetId', 'teamId', 'district'] as const;

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  resident: 'Signed-up resident, no member profile yet',
  member: 'Volunteer with a member profile',
  team_leader: 'Leader of a volunteer team',
  community_admin: 'Administrator of one community',
  street_admin: 'Administrator of one street (sub-district or town)',
  district_admin: 'Administrator of one district',
  city_admin: 'City-wide administrator',
};

/** What a district stack needs from the city to verify tokens. */
export interface CityAuth {
  /** The user pool's issuer URL (`https://cognito-idp.<region>.amazonaws.com/<poolId>`). */
  readonly issuerUrl: string;
  /** The app client id: the tokens' `aud` (ID token) or `client_id` (access token). */
  readonly audience: string;
}

/**
 * City-wide resources shared by every district: the identity (one Cognito user pool, one
 * group per role, one public app client). Later: the city's own table and event bus.
 */
export class CityStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly appClient: cognito.UserPoolClient;
  readonly groups: Record<Role, cognito.UserPoolGroup>;
  readonly auth: CityAuth;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: 'pioneer-city',
      // Residents sign themselves up; roles and scopes are granted by admins afterwards.
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email only replaces the old one once verified (no account takeover by typo).
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: Object.fromEntries(
        SCOPE_ATTRIBUTES.map((a) => [a, new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true })]),
      ),
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // MFA: optional, authenticator apps (TOTP) only. Required MFA would shut out many
      // residents (elderly volunteers, shared phones); SMS MFA costs per message, invites
      // SMS-pumping fraud and needs an SNS role. Acknowledged below (AwsSolutions-COG2).
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true, email: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // ESSENTIALS, not PLUS: threat protection (the old "advanced security") is billed per
      // monthly active user over a city's whole population. Acknowledged below (COG8).
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional (TOTP) for residents and volunteers: required MFA would lock out elderly users and shared-phone households; admins are expected to enrol TOTP (tracked for enforcement in the app layer).',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'Essentials feature plan: Plus (threat protection) is billed per monthly active user across the whole city population; strong password policy, password history, optional TOTP and short-lived tokens cover the MVP risk.',
      },
    );

    this.groups = Object.fromEntries(
      ROLES.map((role) => [
        role,
        this.userPool.addGroup(`Group-${role}`, { groupName: role, description: ROLE_DESCRIPTIONS[role] }),
      ]),
    ) as Record<Role, cognito.UserPoolGroup>;

    // Public client (mobile and web apps): no secret, SRP sign-in, no hosted UI yet.
    // Clients may write the user's own email and name, never the scope claims (custom:*)
    // nor groups: those are set by admins, so a user cannot widen their own scope.
    this.appClient = this.userPool.addClient('AppClient', {
      userPoolClientName: 'pioneer-app',
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(...SCOPE_ATTRIBUTES),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    // The tokens' `iss`, built as the CDK's own HttpUserPoolAuthorizer does.
    const issuerUrl = `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`;
    this.auth = { issuerUrl, audience: this.appClient.userPoolClientId };

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'AppClientId', { value: this.appClient.userPoolClientId });
    new CfnOutput(this, 'IssuerUrl', { value: issuerUrl });
  }
}

import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  CITY_BUS_NAME,
  CITY_DEPLOYMENT,
  CITY_EVENT_SOURCE,
  CITY_ID,
  CITY_TABLE,
  CITY_TABLE_NAME,
  DISTRICT_DIRECTORY_PATH,
} from '../shared/config/city.ts';
import { CITY_EVENTS_FUNCTION, CITY_ROUTES } from '../shared/config/city-routes.ts';
import { CITY_SCHEDULES } from '../shared/config/city-schedules.ts';
import { DEFAULT_LOG_RETENTION_DAYS, type Operations } from '../shared/config/deployment.ts';
import type { RouteEntry } from '../shared/config/routes.ts';
import type { ScheduleEntry } from '../shared/config/schedules.ts';
import type { TableDefinition } from '../shared/config/table.ts';
import { FEATURED_DETAIL_TYPE } from '../shared/domain/featured.ts';
import { ROLLUP_DETAIL_TYPE, ROLLUP_EVENT_SOURCE } from '../shared/domain/rollup.ts';
import { ROLES, type Role } from '../shared/domain/roles.ts';
import { functionSpecs } from './catalog.ts';
import { PioneerMonitoring } from './constructs/monitoring.ts';
import { RouteTableApi } from './constructs/route-table-api.ts';
import { deliver, eventsDeadLetterQueue } from './city-events.ts';
import { PioneerFunction } from './constructs/pioneer-function.ts';
import { PioneerTable } from './constructs/pioneer-table.ts';
import { ScheduleTable } from './constructs/schedule-table.ts';
import { functionEnvironment, type StackResources } from './function-environment.ts';

import { SCOPE_ATTRIBUTES, SIGN_UP_DISTRICT, TOKEN_VALIDITY_MINUTES } from '../shared/config/identity.ts';

export { SCOPE_ATTRIBUTES };

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
  /** The pool's id (USER_POOL_ID of the district's identity function) and ARN (its only Cognito resource). */
  readonly userPoolId: string;
  readonly userPoolArn: string;
}

/** The pool's mail: through SES from a verified sender, or Cognito's default (a few dozen mails a day: not for production). */
export interface PoolEmail {
  /** A sender SES has verified (`noreply@pioneer.example`). */
  readonly fromEmail: string;
  readonly fromName?: string;
  /** @default the stack's region */
  readonly sesRegion?: string;
}

export interface CityStackProps extends StackProps {
  /** Alarm e-mails, log retention, tracing, source maps. @default CITY_DEPLOYMENT */
  readonly operations?: Operations;
  /** @default CITY_ROUTES */
  readonly routes?: readonly RouteEntry[];
  /** @default CITY_SCHEDULES */
  readonly schedules?: readonly ScheduleEntry[];
  /** @default CITY_TABLE */
  readonly table?: TableDefinition;
  /** SES for the pool's mail (`-c sesFromEmail=...`); absent: Cognito's default sender. */
  readonly email?: PoolEmail;
}

/**
 * City-wide resources shared by every district: the identity (one Cognito user pool, one
 * group per role, one public app client); and the city level above the districts: its own table,
 * the `pioneer-city` event bus (each district's rollup puts MonthlyRollupFrozen on it, a rule
 * delivers it to the city function; the city puts CityThemePlanned on it, a rule in each district
 * stack delivers it to that district), and the city HTTP API (city admins), built from the city
 * route table (shared/config/city-routes.ts) as a district's is from its own.
 */
export class CityStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly appClient: cognito.UserPoolClient;
  readonly groups: Record<Role, cognito.UserPoolGroup>;
  readonly auth: CityAuth;
  readonly table: dynamodb.TableV2;
  readonly bus: events.EventBus;
  readonly functions: ReadonlyMap<string, PioneerFunction>;
  /** The pool's triggers (pre sign-up, post confirmation, pre token generation). */
  readonly triggers!: PioneerFunction;
  readonly httpApi: RouteTableApi;
  readonly rollupRule: events.Rule;
  readonly featuredRule: events.Rule;
  /** Events the city function could not take (the rollup rule's target and its async retries). */
  readonly deadLetterQueue: sqs.Queue;
  /** The city's schedules and their queue (the city jobs' failures too). */
  readonly schedules: ScheduleTable | undefined;
  /** Alarms, their topic, the city's dashboard with every district side by side. */
  readonly monitoring: PioneerMonitoring;

  constructor(scope: Construct, id: string, props: CityStackProps = {}) {
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
      customAttributes: {
        ...Object.fromEntries(
          SCOPE_ATTRIBUTES.map((a) => [a, new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true })]),
        ),
        // The district chosen at sign-up: written by the app then, and never again (immutable);
        // the post-confirmation trigger turns it into custom:district, which only the identity
        // functions write.
        [SIGN_UP_DISTRICT]: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: false }),
      },
      // Verification codes and invitations: SES from a verified sender when one is configured,
      // else Cognito's default sender (limited to a few dozen mails a day: for trying, not production).
      email: props.email
        ? cognito.UserPoolEmail.withSES({
            fromEmail: props.email.fromEmail,
            ...(props.email.fromName ? { fromName: props.email.fromName } : {}),
            ...(props.email.sesRegion ? { sesRegion: props.email.sesRegion } : {}),
          })
        : cognito.UserPoolEmail.withCognito(),
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
          'MFA is optional (TOTP only) for residents and volunteers: required MFA would lock out elderly users and shared-phone households. Admin roles require MFA, enforced by the system: the grant route (POST /users/{sub}/roles) and `npm run city-admin` refuse an admin role to a user without an authenticator app (TOTP) set up, and the pre-token-generation trigger withholds the admin groups (community_admin, street_admin, district_admin, city_admin) from every token of a user without MFA set up, whatever groups the pool holds; a user with TOTP set up is asked for its code at every sign-in.',
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
      // A granted or revoked role reaches the user's token at the next refresh: within this.
      accessTokenValidity: Duration.minutes(TOKEN_VALIDITY_MINUTES),
      idTokenValidity: Duration.minutes(TOKEN_VALIDITY_MINUTES),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(...SCOPE_ATTRIBUTES, SIGN_UP_DISTRICT),
      // The sign-up district is writable at sign-up only (the attribute is immutable).
      writeAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, fullname: true })
        .withCustomAttributes(SIGN_UP_DISTRICT),
    });

    // The tokens' `iss`, built as the CDK's own HttpUserPoolAuthorizer does.
    const issuerUrl = `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`;
    this.auth = {
      issuerUrl,
      audience: this.appClient.userPoolClientId,
      userPoolId: this.userPool.userPoolId,
      userPoolArn: this.userPool.userPoolArn,
    };

    // --- The city's table and bus --------------------------------------------------------
    const table = new PioneerTable(this, 'Table', {
      tableName: CITY_TABLE_NAME,
      definition: props.table ?? CITY_TABLE,
    });
    this.table = table.table;

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: CITY_BUS_NAME,
      description: 'Pioneer city bus: districts -> city (MonthlyRollupFrozen), city -> districts (CityThemePlanned)',
    });
    // The city plan's events, kept: a district added later gets the plan by replaying this
    // archive (its rule stores each month; the districts that have it already change nothing).
    this.bus.archive('ThemePlanArchive', {
      archiveName: 'pioneer-city-theme-plan',
      description: 'Every CityThemePlanned event, for replay to a new district',
      eventPattern: { source: [CITY_EVENT_SOURCE] },
      retention: Duration.days(730),
    });

    // --- The city's functions (from the city route and schedule tables) --------------------
    const ops = props.operations ?? CITY_DEPLOYMENT;
    const sourceMaps = ops.sourceMaps ?? true;
    const logRetentionDays = ops.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    const routes = props.routes ?? CITY_ROUTES;
    const schedules = props.schedules ?? CITY_SCHEDULES;
    const functions = new Map<string, PioneerFunction>();
    const resources: StackResources = {
      stackId: CITY_ID,
      tables: { city: table.tableName },
      cityBus: this.bus.eventBusName,
      districtDirectory: DISTRICT_DIRECTORY_PATH,
      sourceMaps,
      // The city API's own URL (its document's `servers`), made once the API below exists.
      apiUrl: Lazy.string({ produce: () => this.httpApi.stage.url }),
      cityApiUrl: Lazy.string({ produce: () => this.httpApi.stage.url }),
    };
    for (const spec of functionSpecs('city', { routes, schedules })) {
      const triggers = spec.serves === 'cognito-triggers';
      const fn = new PioneerFunction(this, `Fn-${spec.name}`, {
        name: spec.name,
        districtId: CITY_ID,
        kind: spec.jobs.length > 0 ? 'job' : 'http',
        // Cognito waits 5 s for a trigger.
        ...(triggers ? { timeout: Duration.seconds(5) } : {}),
        description: triggers
          ? 'Pioneer city: the user pool triggers (pre sign-up, post confirmation, pre token generation)'
          : `Pioneer city: ${spec.name} (${spec.routeKeys.length} routes, ${spec.jobs.length} jobs${spec.name === CITY_EVENTS_FUNCTION ? ', MonthlyRollupFrozen events' : ''})`,
        tracing: ops.tracing ?? false,
        sourceMaps,
        logRetentionDays,
      });
      fn.provide(
        functionEnvironment(spec, resources),
        {
          tables: { city: table },
          cityBus: this.bus,
          districtDirectory: DISTRICT_DIRECTORY_PATH,
          userPoolArn: this.userPool.userPoolArn,
        },
        { detachedUserPool: triggers },
      );
      if (triggers) {
        this.userPool.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fn.function);
        this.userPool.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, fn.function);
        this.userPool.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, fn.function);
        this.triggers = fn;
      }
      functions.set(spec.name, fn);
    }
    if (!this.triggers)
      throw new Error('shared/config/functions.ts declares no cognito-triggers function for the pool');
    this.functions = functions;
    const eventsFn = functions.get(CITY_EVENTS_FUNCTION);
    if (!eventsFn)
      throw new Error(`the city route table names no "${CITY_EVENTS_FUNCTION}" function, which receives the rollups`);

    this.deadLetterQueue = eventsDeadLetterQueue(this, 'EventsDlq', 'pioneer-city-events-dlq');
    this.rollupRule = deliver(this, 'RollupRule', {
      bus: this.bus,
      source: ROLLUP_EVENT_SOURCE,
      detailType: ROLLUP_DETAIL_TYPE,
      fn: eventsFn,
      dlq: this.deadLetterQueue,
      description: "A district's frozen month (MonthlyRollupFrozen) to the city function, which stores it",
    });
    this.featuredRule = deliver(this, 'FeaturedRule', {
      bus: this.bus,
      source: ROLLUP_EVENT_SOURCE,
      detailType: FEATURED_DETAIL_TYPE,
      fn: eventsFn,
      dlq: this.deadLetterQueue,
      description:
        "A district's awarded featured projects (FeaturedProjectsAwarded) to the city function, which stores them",
      // The rollup's rule configured the function's asynchronous retries and destination already.
      configureAsync: false,
    });

    // --- The city HTTP API ----------------------------------------------------------------
    this.httpApi = new RouteTableApi(this, 'Http', {
      name: 'pioneer-city',
      description: "Pioneer HTTP API of the city (city admins): every district's statistics, the city theme plan",
      throttle: { rateLimit: 50, burstLimit: 100 },
      routes,
      functions,
      issuerUrl: `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`,
      audience: this.appClient.userPoolClientId,
      logRetentionDays,
    });

    // --- The city's schedules (the rollup check) -------------------------------------------
    this.schedules =
      schedules.length > 0
        ? new ScheduleTable(this, 'Schedules', { stackId: CITY_ID, schedules, functions })
        : undefined;

    // --- Alarms and the city's overview: on everything above (keep this last) --------------
    const check = schedules.find((j) => j.name === 'check-rollups');
    this.monitoring = new PioneerMonitoring(this, 'Monitoring', {
      stackId: CITY_ID,
      alarmEmails: ops.alarmEmails,
      apis: [this.httpApi.api],
      tables: [this.table],
      ...(this.schedules ? { jobFailures: this.schedules.deadLetterQueue } : {}),
      jobs: schedules,
      jobAlarms: check ? [{ kind: 'rollups-missing', metric: 'RollupsMissing', job: check }] : [],
      cityOverview: true,
    });
    this.monitoring.cover();

    new CfnOutput(this, 'CityApiUrl', { value: this.httpApi.stage.url, description: 'Base URL of the city API' });
    new CfnOutput(this, 'CityTableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolArn', { value: this.userPool.userPoolArn });
    new CfnOutput(this, 'AppClientId', { value: this.appClient.userPoolClientId });
    new CfnOutput(this, 'IssuerUrl', { value: issuerUrl });
  }
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_LOG_RETENTION_DAYS, type LogRetentionDays } from '../../shared/config/deployment.ts';
import { DOCS_ASSET_DIR, DOCS_ASSETS } from '../../shared/config/docs.ts';
import { CITY_BUS_VARIABLE, DIRECTORY_VARIABLE, TABLE_VARIABLES } from '../../shared/config/env.ts';
import { type CityEvents, lambdaName, type TableId } from '../../shared/config/functions.ts';
import { ALIASES, BANNER, ESBUILD_OPTIONS, SOURCE_MAP_OPTIONS } from '../bundling.ts';
import type { TableAccess } from '../catalog.ts';
import {
  INDEX_READ_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
  type FunctionEnvironment,
} from '../function-environment.ts';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { retainedLogGroup } from './names.ts';
import type { PioneerTable } from './pioneer-table.ts';

/** The repository root: `functions/<name>/index.ts` and `package-lock.json` live there. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Lambda runtime of every function: the newest Node.js this aws-cdk-lib knows (cdk-nag L1). */
export const RUNTIME = lambda.Runtime.NODEJS_24_X;

// The table actions per access level live with the builder (the local DynamoDB layer enforces the same).
export { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS };

/**
 * - `http`: serves API Gateway routes; 10 s (the HTTP API gives up at 29 s anyway), 512 MB.
 * - `job`: runs scheduled jobs (and possibly routes too); 5 min, 1024 MB.
 */
export type FunctionKind = 'http' | 'job';

const DEFAULTS: Record<FunctionKind, { timeout: Duration; memorySize: number }> = {
  http: { timeout: Duration.seconds(10), memorySize: 512 },
  job: { timeout: Duration.minutes(5), memorySize: 1024 },
};

export interface PioneerFunctionProps {
  /** The folder under functions/ whose index.ts exports `handler`. */
  readonly name: string;
  /** The stack's id (a district's, or `city`): names the function `pioneer-<districtId>-<name>`. */
  readonly districtId: string;
  readonly kind: FunctionKind;
  readonly description?: string;
  /** @default 512 for http, 1024 for job */
  readonly memorySize?: number;
  /** @default 10 s for http, 5 min for job */
  readonly timeout?: Duration;
  /** Active X-Ray tracing (adds xray:PutTrace* on `*`). @default false */
  readonly tracing?: boolean;
  /**
   * Bundle with external source maps (no sources inside). Node uses them when the builder sets
   * NODE_OPTIONS=--enable-source-maps (StackResources.sourceMaps): both come from the same setting.
   * @default false
   */
  readonly sourceMaps?: boolean;
  /** Days its log group keeps events. @default 180 */
  readonly logRetentionDays?: LogRetentionDays;
}

/** The resources `provide` grants access to, by the builder's names. */
export interface FunctionResources {
  readonly tables: { readonly [T in TableId]?: PioneerTable };
  readonly cityBus?: events.IEventBus;
  /** The parameter path of the district directory (shared/config/city.ts). */
  readonly districtDirectory?: string;
  /** The city's user pool's ARN: the admin actions the declaration names are allowed on it, nothing else. */
  readonly userPoolArn?: string;
}

/**
 * The modules a function's entry imports that are built before it is bundled (package.json
 * `imports`, condition `pioneer-bundle`), each with the script that builds it in a process of its
 * own: the OpenAPI documents (`#openapi/document`, `#openapi/city-document`) and the route table as
 * the function's bundle carries it (`#routes/<function>`).
 */
const BUILT_IMPORTS: ReadonlyArray<readonly [specifier: string, script: string]> = [
  ['#openapi/document', 'infra/openapi-build.ts'],
  ['#openapi/city-document', 'infra/openapi-build.ts'],
  ['#routes/', 'infra/routes-build.ts'],
];

/** The build scripts a function's bundle needs run first (none: nothing to build). */
export function buildsBeforeBundling(name: string): string[] {
  const source = readFileSync(path.join(PROJECT_ROOT, 'functions', name, 'index.ts'), 'utf8');
  return [
    ...new Set(
      BUILT_IMPORTS.filter(([specifier]) =>
        source.includes(specifier.endsWith('/') ? `'${specifier}` : `'${specifier}'`),
      ).map(([, script]) => script),
    ),
  ];
}

/**
 * The files the docs function serves beside its bundle (shared/config/docs.ts), copied into
 * `docs-assets/` after bundling: they never enter the code bundle.
 */
function afterBundlingCopies(name: string, outputDir: string): string[] {
  if (name !== 'docs') return [];
  return [
    `mkdir -p "${outputDir}/${DOCS_ASSET_DIR}"`,
    ...Object.entries(DOCS_ASSETS).map(
      ([file, a]) => `cp "${path.join(PROJECT_ROOT, a.from)}" "${outputDir}/${DOCS_ASSET_DIR}/${file}"`,
    ),
  ];
}

/**
 * The partition keys of the role audit (shared/db/keys.ts AUDIT_PARTITION_PREFIX, spelled here
 * because infra loads no runtime code): no function may update or delete an item under them.
 */
export const AUDIT_LEADING_KEYS = 'ROLE_AUDIT#*';
export const AUDIT_PROTECTED_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/**
 * A Lambda function with the project's defaults: Node.js 24 on arm64, an ESM bundle with the
 * AWS SDK bundled in (loads faster than the runtime's copy and pins the version we test), an
 * explicit log group with retention, its own role that can only write to that log group, and
 * no environment and nothing else until `provide` gives it what the builder
 * (infra/function-environment.ts) says: its variables, and exactly the grants behind them.
 */
export class PioneerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly name: string;
  /** The function's kind: `job` functions are invoked asynchronously (schedules) too. */
  readonly kind: FunctionKind;
  /** Active X-Ray tracing. */
  readonly tracing: boolean;
  /** Where its failed asynchronous invocations go (`onAsyncFailure`); none: it is invoked synchronously only. */
  failureQueue: sqs.IQueue | undefined;
  private readonly bound = new Map<string, { table: PioneerTable; access: TableAccess }>();

  constructor(scope: Construct, id: string, props: PioneerFunctionProps) {
    super(scope, id);
    this.name = props.name;
    this.kind = props.kind;
    this.tracing = props.tracing ?? false;
    const functionName = lambdaName(props.districtId, props.name);
    const sourceMaps = props.sourceMaps ?? false;
    const defaults = DEFAULTS[props.kind];
    const builds = buildsBeforeBundling(props.name);

    // Kept when the stack goes, under a name of the stack's generation (infra/constructs/names.ts).
    this.logGroup = retainedLogGroup(
      this,
      'Logs',
      `/aws/lambda/${functionName}`,
      props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    );

    // Our own role instead of the default one: the default attaches the AWS managed
    // AWSLambdaBasicExecutionRole (logs:* on every log group; cdk-nag IAM4).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: its log group and its table access, nothing else`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // The log group's Arn attribute already ends in `:*` (its streams).
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry: path.join(PROJECT_ROOT, 'functions', props.name, 'index.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? defaults.memorySize,
      timeout: props.timeout ?? defaults.timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: this.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      // The esbuild settings live in infra/bundling.ts, shared with the bundle benchmark.
      bundling: {
        minify: ESBUILD_OPTIONS.minify,
        logLevel: LogLevel.WARNING,
        format: OutputFormat.ESM,
        target: ESBUILD_OPTIONS.target,
        mainFields: [...ESBUILD_OPTIONS.mainFields],
        // Bundled CommonJS dependencies may still call require() for Node built-ins.
        banner: BANNER,
        sourceMap: sourceMaps,
        // infra/bundling.ts SOURCE_MAP_OPTIONS: a linked map (DEFAULT: the file and its
        // sourceMappingURL comment; EXTERNAL would leave the comment out, and Node would find no map).
        ...(sourceMaps
          ? { sourceMapMode: SourceMapMode.DEFAULT, sourcesContent: SOURCE_MAP_OPTIONS.sourcesContent }
          : {}),
        // Bundle the AWS SDK v3 too (the default would leave @aws-sdk/* to the runtime).
        externalModules: [],
        bundleAwsSDK: true,
        ...(builds.length > 0 || props.name === 'docs'
          ? {
              // What the bundle imports is built first, each in its own process (BUILT_IMPORTS).
              commandHooks: {
                beforeBundling: () =>
                  builds.map((script) => `cd "${PROJECT_ROOT}" && "${process.execPath}" --import tsx ${script}`),
                beforeInstall: () => [],
                // The reference page's files go beside the bundle, not into it.
                afterBundling: (_input: string, outputDir: string) => afterBundlingCopies(props.name, outputDir),
              },
            }
          : {}),
        esbuildArgs: {
          '--alias': Object.entries(ALIASES).map(([from, to]) => `${from}=${to}`),
          '--conditions': ESBUILD_OPTIONS.conditions.join(','),
          '--charset': ESBUILD_OPTIONS.charset,
          '--legal-comments': ESBUILD_OPTIONS.legalComments,
        },
      },
    });
    if (this.tracing)
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing: Lambda adds xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray authorizes on no narrower resource than "*" (the only wildcard of this role).',
      });
    else
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaTracing',
        reason:
          'X-Ray is switched per stack in shared/config (tracing: true on a district or the city): off by default, as traces are billed per request and the dashboards and logs cover daily operation.',
      });
  }

  /**
   * Its asynchronous invocations (schedules, event rules, ...): `retryAttempts` retries by Lambda,
   * then an on-failure destination, `queue`, which gets the event with the error (a destination
   * record) so that it can be run again. One destination per function: a second call throws.
   */
  onAsyncFailure(queue: sqs.IQueue, opts: { retryAttempts: number; maxEventAge: Duration }): void {
    if (this.failureQueue) throw new Error(`${this.name}: its asynchronous failures go to a queue already`);
    this.failureQueue = queue;
    this.function.configureAsyncInvoke({
      retryAttempts: opts.retryAttempts,
      maxEventAge: opts.maxEventAge,
      onFailure: new SqsDestination(queue),
    });
  }

  /**
   * cdk-nag's Serverless-LambdaDLQ, answered once the stack has wired every invoker (called by
   * PioneerMonitoring.cover): a dead-letter queue only applies to asynchronous invocations.
   */
  acknowledgeDeadLetters(): void {
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: this.failureQueue
        ? 'Its asynchronous invocations end, after Lambda retries, in an on-failure destination (an SQS queue, with an alarm) that records the event and the error: a dead-letter queue would hold the same events with less.'
        : 'Invoked synchronously only (API Gateway): a dead-letter queue applies to asynchronous invocations, and a failed request is answered, logged and alarmed (function errors, API 5xx rate).',
    });
  }

  /**
   * What the builder says the function gets: every variable of `env`, and behind each resource a
   * grant (its tables with `bindTable`, PutEvents on the city bus). Nothing else.
   */
  provide(env: FunctionEnvironment, resources: FunctionResources, opts: { detachedUserPool?: boolean } = {}): void {
    for (const t of env.tables) {
      const table = resources.tables[t.table];
      if (!table) throw new Error(`${this.name}: the ${t.table} table it uses is not given`);
      this.bindTable(table, t.access, t.variable);
    }
    if (env.putCityEvents) {
      if (!resources.cityBus) throw new Error(`${this.name}: the city bus it puts events on is not given`);
      if (!env.cityEvents) throw new Error(`${this.name}: the events it puts on the city bus are not declared`);
      this.allowPutEvents(resources.cityBus, env.cityEvents);
    }
    if (env.readDistrictDirectory) {
      if (!resources.districtDirectory) throw new Error(`${this.name}: the district directory it reads is not given`);
      this.allowDirectoryRead(resources.districtDirectory);
    }
    for (const s of env.secrets) this.allowSecret(s.ref);
    if (env.userPool.length > 0) {
      if (!resources.userPoolArn) throw new Error(`${this.name}: the user pool it calls is not given`);
      this.allowUserPool(resources.userPoolArn, env.userPool, opts.detachedUserPool === true);
    }
    for (const [name, value] of Object.entries(env.variables)) this.function.addEnvironment(name, value);
  }

  /** Read access to one channel secret: GetSecretValue on a Secrets Manager secret, or GetParameter on an SSM one. */
  allowSecret(ref: string): void {
    const [kind, ...rest] = ref.split(':');
    const name = rest.join(':');
    const stack = Stack.of(this);
    const statement =
      kind === 'ssm'
        ? new iam.PolicyStatement({
            actions: ['ssm:GetParameter'],
            resources: [
              stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, '') }),
            ],
          })
        : new iam.PolicyStatement({
            actions: ['secretsmanager:GetSecretValue'],
            // Secrets Manager adds six random characters to a secret's ARN.
            resources: [
              stack.formatArn({
                service: 'secretsmanager',
                resource: 'secret',
                resourceName: `${name}-??????`,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            ],
          });
    this.role.addToPrincipalPolicy(statement);
  }

  /**
   * Sets `variable` (TABLE_NAME by default; CITY_TABLE_NAME, ...) to the table's name and grants
   * exactly `access` on it: RO = GetItem, BatchGetItem, Query (and Query on each index of its
   * definition, listed one by one rather than `index/*`); RW adds PutItem, UpdateItem, DeleteItem,
   * ConditionCheckItem. A function may be bound to several tables,
   * each under its own variable; its statements are named after the variable (TABLE_NAME:
   * TableRead, IndexRead, TableWrite; CITY_TABLE_NAME: CityTableRead, ...).
   */
  bindTable(table: PioneerTable, access: TableAccess, variable: string = TABLE_VARIABLES.district): void {
    const already = this.bound.get(variable) ?? [...this.bound.values()].find((b) => b.table === table);
    if (already) throw new Error(`${this.name}: ${variable} or its table is bound already (${already.access})`);
    this.bound.set(variable, { table, access });
    this.function.addEnvironment(variable, table.tableName);

    const sid = variable
      .replace(/_NAME$/, '')
      .toLowerCase()
      .replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: `${sid}Read`, actions: [...TABLE_READ_ACTIONS], resources: [table.tableArn] }),
    );
    if (table.indexArns.length > 0) {
      const indexSid = sid === 'Table' ? 'IndexRead' : `${sid}IndexRead`;
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: indexSid, actions: [...INDEX_READ_ACTIONS], resources: table.indexArns }),
      );
    }
    if (access === 'RW') {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: `${sid}Write`, actions: [...TABLE_WRITE_ACTIONS], resources: [table.tableArn] }),
      );
      // The role audit is append-only: whatever the code does, IAM refuses to change or delete an entry.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: `${sid}AuditAppendOnly`,
          effect: iam.Effect.DENY,
          actions: [...AUDIT_PROTECTED_ACTIONS],
          resources: [table.tableArn],
          conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [AUDIT_LEADING_KEYS] } },
        }),
      );
    }
  }

  /**
   * Allows exactly `actions` (AdminGetUser, AdminAddUserToGroup, ...) on the user pool `poolArn`,
   * and on no other pool. `detached`: in a policy of its own rather than the role's default one, for
   * the pool's own triggers (the pool names the function, the function's policy names the pool: in
   * the default policy, which the function depends on, that is a cycle).
   */
  allowUserPool(poolArn: string, actions: readonly string[], detached = false): void {
    const statement = new iam.PolicyStatement({
      sid: 'UserPoolAdmin',
      actions: actions.map((a) => `cognito-idp:${a}`),
      resources: [poolArn],
    });
    if (detached) new iam.Policy(this, 'UserPoolPolicy', { roles: [this.role], statements: [statement] });
    else this.role.addToPrincipalPolicy(statement);
  }

  /**
   * Sets EVENT_BUS_NAME to the bus and allows PutEvents on it, with the declared source and
   * detail-types only (the grant's conditions): a function cannot impersonate another sender.
   */
  allowPutEvents(bus: events.IEventBus, allowed: CityEvents): void {
    this.function.addEnvironment(CITY_BUS_VARIABLE, bus.eventBusName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PutCityEvents',
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: {
          StringEquals: { 'events:source': [allowed.source], 'events:detail-type': [...allowed.detailTypes] },
        },
      }),
    );
  }

  /**
   * Sets DISTRICT_DIRECTORY to `path` and allows GetParametersByPath on it (Parameter Store
   * authorizes that call against the path asked for, not the parameters returned), nothing else.
   */
  allowDirectoryRead(path: string): void {
    this.function.addEnvironment(DIRECTORY_VARIABLE, path);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadDistrictDirectory',
        actions: ['ssm:GetParametersByPath'],
        resources: [
          Stack.of(this).formatArn({ service: 'ssm', resource: 'parameter', resourceName: path.replace(/^\//, '') }),
        ],
      }),
    );
  }
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CITY_BUS_VARIABLE, TABLE_VARIABLES } from '../../shared/config/env.ts';
import { lambdaName, type TableId } from '../../shared/config/functions.ts';
import { ALIASES, BANNER, ESBUILD_OPTIONS } from '../bundling.ts';
import type { TableAccess } from '../catalog.ts';
import {
  INDEX_READ_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
  type FunctionEnvironment,
} from '../function-environment.ts';
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
  /** External source maps, and NODE_OPTIONS=--enable-source-maps to use them. @default false */
  readonly sourceMaps?: boolean;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
}

/** The resources `provide` grants access to, by the builder's names. */
export interface FunctionResources {
  readonly tables: { readonly [T in TableId]?: PioneerTable };
  readonly cityBus?: events.IEventBus;
  /** The city's user pool's ARN: the admin actions the declaration names are allowed on it, nothing else. */
  readonly userPoolArn?: string;
}

/** Does the function's entry import the OpenAPI document (`#openapi/document`), which is built before it is bundled? */
function importsOpenApiDocument(name: string): boolean {
  return readFileSync(path.join(PROJECT_ROOT, 'functions', name, 'index.ts'), 'utf8').includes("'#openapi/document'");
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
  private readonly bound = new Map<string, { table: PioneerTable; access: TableAccess }>();

  constructor(scope: Construct, id: string, props: PioneerFunctionProps) {
    super(scope, id);
    this.name = props.name;
    const functionName = lambdaName(props.districtId, props.name);
    const sourceMaps = props.sourceMaps ?? false;
    const defaults = DEFAULTS[props.kind];

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });

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
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      // Source maps are a runtime option, not a resource: the builder's variables come with `provide`.
      ...(sourceMaps ? { environment: { NODE_OPTIONS: '--enable-source-maps' } } : {}),
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
        ...(sourceMaps ? { sourceMapMode: SourceMapMode.EXTERNAL, sourcesContent: false } : {}),
        // Bundle the AWS SDK v3 too (the default would leave @aws-sdk/* to the runtime).
        externalModules: [],
        bundleAwsSDK: true,
        ...(importsOpenApiDocument(props.name)
          ? {
              // The document the bundle imports is built first, in its own process (infra/openapi-build.ts).
              commandHooks: {
                beforeBundling: () => [
                  `cd "${PROJECT_ROOT}" && "${process.execPath}" --import tsx infra/openapi-build.ts`,
                ],
                beforeInstall: () => [],
                afterBundling: () => [],
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
      this.allowPutEvents(resources.cityBus);
    }
    if (env.userPool.length > 0) {
      if (!resources.userPoolArn) throw new Error(`${this.name}: the user pool it calls is not given`);
      this.allowUserPool(resources.userPoolArn, env.userPool, opts.detachedUserPool === true);
    }
    for (const [name, value] of Object.entries(env.variables)) this.function.addEnvironment(name, value);
  }

  /**
   * Sets `variable` (TABLE_NAME by default; CITY_TABLE_NAME, ...) to the table's name and grants
   * exactly `access` on it: RO = GetItem, BatchGetItem, Query, ConditionCheckItem, DescribeTable
   * (and Query on each index of its definition, listed one by one rather than `index/*`); RW adds
   * PutItem, UpdateItem, DeleteItem, BatchWriteItem. A function may be bound to several tables,
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

  /** Sets EVENT_BUS_NAME to the bus and allows PutEvents on it, nothing else. */
  allowPutEvents(bus: events.IEventBus): void {
    this.function.addEnvironment(CITY_BUS_VARIABLE, bus.eventBusName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'PutCityEvents', actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
    );
  }
}

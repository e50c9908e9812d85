import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TABLE } from '../../shared/config/table.ts';
import { ALIASES, BANNER, ESBUILD_OPTIONS } from '../bundling.ts';
import type { TableAccess } from '../catalog.ts';

/** The repository root: `functions/<name>/index.ts` and `package-lock.json` live there. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Lambda runtime of every function: the newest Node.js this aws-cdk-lib knows (cdk-nag L1). */
export const RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * Table actions per access level. Explicit lists, not `grantReadData`/`grantReadWriteData`:
 * those also grant `Scan`, PartiQL and stream reads, which no function may use.
 * `TransactGetItems`/`TransactWriteItems` need no action of their own: DynamoDB checks the
 * per-item actions below.
 */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
] as const;
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;
/** The read actions that make sense on an index (`GetItem`, writes and `DescribeTable` do not). */
const INDEX_READ_ACTIONS = ['dynamodb:Query'] as const;

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
  readonly environment?: Record<string, string>;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A Lambda function with the project's defaults: Node.js 24 on arm64, an ESM bundle with the
 * AWS SDK bundled in (loads faster than the runtime's copy and pins the version we test), an
 * explicit log group with retention, its own role that can only write to that log group,
 * and nothing else until `bindTable` grants exactly the table access it needs.
 */
export class PioneerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly name: string;
  private boundTable: dynamodb.ITableV2 | undefined;
  private boundAccess: TableAccess | undefined;

  constructor(scope: Construct, id: string, props: PioneerFunctionProps) {
    super(scope, id);
    this.name = props.name;
    const functionName = `pioneer-${props.districtId}-${props.name}`;
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
      environment: {
        DISTRICT_ID: props.districtId,
        ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
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
        esbuildArgs: {
          '--alias': Object.entries(ALIASES).map(([from, to]) => `${from}=${to}`),
          '--charset': ESBUILD_OPTIONS.charset,
          '--legal-comments': ESBUILD_OPTIONS.legalComments,
        },
      },
    });
  }

  /**
   * Sets TABLE_NAME and grants exactly `access` on the table: RO = GetItem, BatchGetItem,
   * Query, ConditionCheckItem, DescribeTable (and Query on each index); RW adds PutItem,
   * UpdateItem, DeleteItem, BatchWriteItem on the table. Index ARNs are listed one by one
   * (from `indexNames`, by default the shared table definition) rather than `index/*`.
   */
  bindTable(table: dynamodb.ITableV2, access: TableAccess, indexNames: readonly string[] = TABLE.indexes.map((i) => i.name)): void {
    if (this.boundTable) {
      throw new Error(`${this.name}: already bound to a table (${this.boundAccess}); a function has one table`);
    }
    this.boundTable = table;
    this.boundAccess = access;
    this.function.addEnvironment('TABLE_NAME', table.tableName);

    const indexArns = indexNames.map((n) => `${table.tableArn}/index/${n}`);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'TableRead', actions: [...TABLE_READ_ACTIONS], resources: [table.tableArn] }),
    );
    if (indexArns.length > 0) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'IndexRead', actions: [...INDEX_READ_ACTIONS], resources: indexArns }),
      );
    }
    if (access === 'RW') {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'TableWrite', actions: [...TABLE_WRITE_ACTIONS], resources: [table.tableArn] }),
      );
    }
  }

  get access(): TableAccess | undefined {
    return this.boundAccess;
  }
}

/**
 * The one builder of a function's environment and grants, from its declaration
 * (shared/config/functions.ts, resolved in infra/catalog.ts) and the resources of the stack it runs
 * in. The CDK construct applies it (PioneerFunction.provide: the variables, and a grant behind each
 * resource) and the local runtime runs each function with the same variables
 * (infra/local/invoke.ts), so a function sees the same environment on a laptop as in the cloud.
 *
 * Pure: no CDK, no AWS; names are CDK tokens in a stack and DynamoDB Local table names locally.
 */
import {
  API_URL_VARIABLE,
  CITY_API_URL_VARIABLE,
  CITY_BUS_VARIABLE,
  PUSH_SECRET_VARIABLES,
  DIRECTORY_VARIABLE,
  PROFILE_VARIABLES,
  SOURCE_MAPS_OPTION,
  SOURCE_MAPS_VARIABLE,
  STACK_VARIABLE,
  TABLE_VARIABLES,
  USER_POOL_VARIABLE,
} from '../shared/config/env.ts';
import type { CityEvents, CognitoAction, TableId } from '../shared/config/functions.ts';
import type { FunctionSpec, TableAccess } from './catalog.ts';

/**
 * Table actions per access level: exactly the operations the code calls (shared/db), nothing more.
 * Explicit lists, not `grantReadData`/`grantReadWriteData`: those also grant `Scan`, PartiQL,
 * stream reads, `DescribeTable` and `BatchWriteItem`, which no function calls.
 * `TransactGetItems`/`TransactWriteItems` need no action of their own: DynamoDB checks the
 * per-item actions below (`ConditionCheckItem` for a condition check, which only a transaction of
 * writes holds). The CDK construct grants them (infra/constructs/pioneer-function.ts) and the
 * local DynamoDB layer enforces them (infra/local/dynamo-layer.ts).
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;
/** The read actions that make sense on an index (`GetItem` and writes do not). */
export const INDEX_READ_ACTIONS = ['dynamodb:Query'] as const;

/** A district's profile, as its functions get it (shared/config/districts.ts). */
export interface DistrictProfile {
  readonly name: string;
  readonly nameZh: string;
  readonly code: string;
  readonly wishEscalationDays?: number;
}

/** What a stack gives its functions. */
export interface StackResources {
  /** DISTRICT_ID: the district's id, or `city` for the City stack. */
  readonly stackId: string;
  /** The names of the stack's tables. */
  readonly tables: { readonly [T in TableId]?: string };
  /** The city bus's name; absent for a district on its own (its functions then put no events). */
  readonly cityBus?: string;
  /** The district's profile (a district stack). */
  readonly profile?: DistrictProfile;
  /** The parameter path of the district directory (the City stack). */
  readonly districtDirectory?: string;
  /** Stack traces through source maps: NODE_OPTIONS=--enable-source-maps for every function. */
  readonly sourceMaps?: boolean;
  /** The base URL of the stack's HTTP API (its stage's URL; locally the local server's). */
  readonly apiUrl?: string;
  /** The base URL of the city's HTTP API; absent when the stack knows no city API. */
  readonly cityApiUrl?: string;
  /** The district's push channel secrets (shared/config/districts.ts `pushSecrets`); absent: not configured. */
  readonly pushSecrets?: Readonly<Partial<Record<'sms' | 'wechat', string>>>;
  /**
   * The city's user pool id, for the district functions that call its admin API (USER_POOL_ID).
   * Absent in the City stack: its triggers take the pool id from their event.
   */
  readonly userPoolId?: string;
}

/** Read access to one channel secret: its variable and the secret (`secretsmanager:<name>` or `ssm:<name>`). */
export interface SecretGrant {
  readonly variable: string;
  readonly ref: string;
}

export interface TableGrant {
  readonly table: TableId;
  /** The variable holding its name (TABLE_NAME, CITY_TABLE_NAME). */
  readonly variable: string;
  readonly access: TableAccess;
}

export interface FunctionEnvironment {
  /** Every variable the function gets, and no other. */
  readonly variables: Readonly<Record<string, string>>;
  /** The tables it may use: read (RO), or read and write (RW). */
  readonly tables: readonly TableGrant[];
  /** It may put events on the city bus (named in EVENT_BUS_NAME). */
  readonly putCityEvents: boolean;
  /** The channel secrets it may read (never logged; read on the first push). */
  readonly secrets: readonly SecretGrant[];
  /** The source and detail-types it may put there (the grant's conditions); set with putCityEvents. */
  readonly cityEvents?: CityEvents;
  /** It may read the district directory's parameters (named in DISTRICT_DIRECTORY). */
  readonly readDistrictDirectory: boolean;
  /** The admin actions it may call on the city's user pool (and on no other). */
  readonly userPool: readonly CognitoAction[];
}

export function functionEnvironment(spec: FunctionSpec, resources: StackResources): FunctionEnvironment {
  const variables: Record<string, string> = { [STACK_VARIABLE]: resources.stackId };
  const tables: TableGrant[] = [];
  for (const [table, access] of Object.entries(spec.tables) as [TableId, TableAccess][]) {
    const name = resources.tables[table];
    if (!name)
      throw new Error(
        `function "${spec.name}" uses the ${table} table, which stack ${resources.stackId} does not have`,
      );
    const variable = TABLE_VARIABLES[table];
    variables[variable] = name;
    tables.push({ table, variable, access });
  }
  const putCityEvents = spec.cityBus && resources.cityBus !== undefined;
  if (putCityEvents) variables[CITY_BUS_VARIABLE] = resources.cityBus!;
  if (spec.profile) {
    const p = resources.profile;
    if (!p)
      throw new Error(
        `function "${spec.name}" reads its district's profile, which stack ${resources.stackId} does not give`,
      );
    variables[PROFILE_VARIABLES.name] = p.name;
    variables[PROFILE_VARIABLES.nameZh] = p.nameZh;
    variables[PROFILE_VARIABLES.code] = p.code;
    if (p.wishEscalationDays !== undefined)
      variables[PROFILE_VARIABLES.wishEscalationDays] = String(p.wishEscalationDays);
  }
  if (spec.districtDirectory) {
    if (!resources.districtDirectory)
      throw new Error(
        `function "${spec.name}" reads the district directory, which stack ${resources.stackId} does not give`,
      );
    variables[DIRECTORY_VARIABLE] = resources.districtDirectory;
  }
  if (spec.apiUrls) {
    // A district stack always has its API. The City stack's too in the cloud; locally the city
    // function also runs for the bus's events with no server serving the city's routes (its
    // document, the only reader of the URL, is then not served either).
    if (!resources.apiUrl && spec.apiUrls === true)
      throw new Error(`function "${spec.name}" is told the API's URL, which stack ${resources.stackId} does not give`);
    if (resources.apiUrl) variables[API_URL_VARIABLE] = resources.apiUrl;
    if (resources.cityApiUrl) variables[CITY_API_URL_VARIABLE] = resources.cityApiUrl;
  }
  const secrets: SecretGrant[] = [];
  if (spec.pushSecrets)
    for (const [channel, ref] of Object.entries(resources.pushSecrets ?? {}) as ['sms' | 'wechat', string][]) {
      if (!/^(secretsmanager|ssm):[\w/+=.@-]+$/.test(ref))
        throw new Error(`push secret "${ref}" of ${resources.stackId} must be secretsmanager:<name> or ssm:<name>`);
      const variable = PUSH_SECRET_VARIABLES[channel];
      variables[variable] = ref;
      secrets.push({ variable, ref });
    }
  if (spec.userPool.length > 0 && resources.userPoolId) variables[USER_POOL_VARIABLE] = resources.userPoolId;
  if (resources.sourceMaps) variables[SOURCE_MAPS_VARIABLE] = SOURCE_MAPS_OPTION;
  return {
    variables,
    tables,
    putCityEvents,
    ...(putCityEvents && spec.cityEvents ? { cityEvents: spec.cityEvents } : {}),
    readDistrictDirectory: spec.districtDirectory,
    userPool: spec.userPool,
    secrets,
  };
}

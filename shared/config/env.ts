import type { FunctionNeeds, TableId } from './functions.ts';

/**
 * The environment, read here and nowhere else in shared/ and functions/ (a test holds that).
 *
 * Each function gets exactly the variables its declaration (shared/config/functions.ts) names,
 * from one builder (infra/function-environment.ts) used by the CDK stacks and the local runtime:
 *   DISTRICT_ID       every function: the district it serves, `city` in the City stack
 *   TABLE_NAME        the district's table, for the functions that use it (not `docs`)
 *   CITY_TABLE_NAME   the city's table (the city function)
 *   EVENT_BUS_NAME    the city bus, for the functions that put events on it (absent: a district on its own)
 *   DISTRICT_NAME, DISTRICT_NAME_ZH, DISTRICT_CODE, WISH_ESCALATION_DAYS
 *                     the district's own profile (shared/config/districts.ts), for the functions that
 *                     print or apply it (certificates, statistics, wish escalation); no bundle holds the
 *                     list of districts, so adding one changes no other district's functions
 *   DISTRICT_DIRECTORY the parameter path under which every district stack writes its profile (the city)
 *   NODE_OPTIONS      `--enable-source-maps` when the stack's stack traces are source-mapped (read by Node)
 *   API_URL           the base URL of the stack's API, for the function that documents it (docs)
 *   CITY_API_URL      the base URL of the city's API, beside API_URL (absent: no city API known)
 * What Lambda sets (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, credentials), what only the local
 * runtime sets (DYNAMODB_ENDPOINT), and settings nobody has to set (LOG_LEVEL, WISH_CLAIM_LIMIT,
 * PIONEER_SILENT) are read here too.
 *
 * Fails fast: in Lambda a function's init (its cold start) fails, naming the variable, when one
 * its code cannot work without is not set (`needAtColdStart`: DISTRICT_ID here, the tables' in the
 * modules that use them); a function whose code uses no table is never asked for one. Locally the
 * invoker checks each function's declaration (`checkEnv`) before running it. A required variable
 * read later fails with its name too.
 *
 * Values are read when asked for, not cached: the local runtime runs every function in one
 * process, each inside a scope holding its own environment (`setEnvScope`, infra/local/invoke.ts);
 * outside a scope (Lambda, tests calling services directly) they come from process.env.
 */
export const STACK_VARIABLE = 'DISTRICT_ID';
const TABLE_NAME = 'TABLE_NAME';
const CITY_TABLE_NAME = 'CITY_TABLE_NAME';
export const TABLE_VARIABLES: Readonly<Record<TableId, string>> = { district: TABLE_NAME, city: CITY_TABLE_NAME };
export const CITY_BUS_VARIABLE = 'EVENT_BUS_NAME';
/** The district's profile, one variable per field (a function declared `profile: true` gets them). */
export const PROFILE_VARIABLES = {
  name: 'DISTRICT_NAME',
  nameZh: 'DISTRICT_NAME_ZH',
  code: 'DISTRICT_CODE',
  wishEscalationDays: 'WISH_ESCALATION_DAYS',
} as const;
/** The district's profile variables that a function declared `profile` cannot run without. */
export const PROFILE_REQUIRED = [PROFILE_VARIABLES.name, PROFILE_VARIABLES.nameZh, PROFILE_VARIABLES.code] as const;
export const DIRECTORY_VARIABLE = 'DISTRICT_DIRECTORY';
export const SOURCE_MAPS_VARIABLE = 'NODE_OPTIONS';
export const SOURCE_MAPS_OPTION = '--enable-source-maps';
export const API_URL_VARIABLE = 'API_URL';
export const CITY_API_URL_VARIABLE = 'CITY_API_URL';
/** Settings nobody has to set (each has a default); the local runtime passes them on from its own environment. */
export const SETTINGS = ['LOG_LEVEL', 'WISH_CLAIM_LIMIT', 'PIONEER_SILENT'] as const;

export type EnvSource = Readonly<Record<string, string | undefined>>;

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** What the services read everywhere; every other variable has a reader of its own (below), so a bundle carries only the readers its code uses. */
export interface Env {
  /** DISTRICT_ID: the district this stack serves (shared/config/districts.ts), `city` in the City stack. */
  readonly districtId: string;
}

let scope: (() => EnvSource | undefined) | undefined;

/** The local runtime: where the environment of the function running now is (undefined: process.env). */
export function setEnvScope(current: () => EnvSource | undefined): void {
  scope = current;
}

const read = (name: string): string | undefined => (scope?.() ?? process.env)[name] || undefined;

function required(name: string): string {
  const v = read(name);
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

const ENV: Env = {
  get districtId() {
    return required(STACK_VARIABLE);
  },
};

/** The environment of the function running now (each field read when asked for). */
export function env(): Env {
  return ENV;
}

/** TABLE_NAME: the district's table. */
export function tableName(): string {
  return required(TABLE_NAME);
}

/** DYNAMODB_ENDPOINT: set only locally (DynamoDB Local). */
export function dynamoEndpoint(): string | undefined {
  return read('DYNAMODB_ENDPOINT');
}

/** AWS_REGION (Lambda sets it; the local runtime too), else AWS_DEFAULT_REGION; no silent default. */
export function region(): string {
  const r = read('AWS_REGION') ?? read('AWS_DEFAULT_REGION');
  if (!r) throw new Error('environment variable AWS_REGION is not set');
  return r;
}

/** The district's own profile (DISTRICT_NAME, DISTRICT_NAME_ZH, DISTRICT_CODE): the issuing unit of its certificates, its name in statistics. */
export function districtProfile(): { readonly name: string; readonly nameZh: string; readonly code: string } {
  return {
    name: required(PROFILE_VARIABLES.name),
    nameZh: required(PROFILE_VARIABLES.nameZh),
    code: required(PROFILE_VARIABLES.code),
  };
}

/** WISH_ESCALATION_DAYS: the district's setting, 1-90; undefined: the default (shared/services/wishes.ts). */
export function wishEscalationDays(): number | undefined {
  const raw = read(PROFILE_VARIABLES.wishEscalationDays);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 90)
    throw new Error(`WISH_ESCALATION_DAYS must be an integer from 1 to 90, got "${raw}"`);
  return n;
}

/** DISTRICT_DIRECTORY: the parameter path holding one profile per deployed district (the city function). */
export function districtDirectoryPath(): string {
  return required(DIRECTORY_VARIABLE);
}

/** AWS_ENDPOINT_URL_SSM: the SDK's endpoint override for Systems Manager (tests point it at a stand-in). */
export function ssmEndpoint(): string | undefined {
  return read('AWS_ENDPOINT_URL_SSM');
}

/** _X_AMZN_TRACE_ID: the X-Ray trace of this invocation (Lambda sets it when tracing is active). */
export function traceId(): string | undefined {
  return read('_X_AMZN_TRACE_ID');
}

/** CITY_TABLE_NAME: the city's table (shared/config/city.ts). */
export function cityTableName(): string {
  return required(CITY_TABLE_NAME);
}

/** EVENT_BUS_NAME: the city bus; undefined for a district on its own. */
export function cityBusName(): string | undefined {
  return read(CITY_BUS_VARIABLE);
}

/** API_URL: the base URL of this stack's API (the OpenAPI document's `servers`). */
export function apiUrl(): string {
  return required(API_URL_VARIABLE);
}

/** CITY_API_URL: the base URL of the city's API; undefined when no city API is known. */
export function cityApiUrl(): string | undefined {
  return read(CITY_API_URL_VARIABLE);
}

/** AWS_ENDPOINT_URL_EVENTBRIDGE: the SDK's endpoint override (tests point it at a stand-in). */
/**
 * The secret that configures a push channel (`secretsmanager:<id>` or `ssm:<name>`): SMS_SECRET,
 * WECHAT_SECRET, set on the notifier by the stack from the district's entry. Absent: the channel is
 * not configured (in Lambda its pushes are undeliverable; locally they are captured).
 */
export const PUSH_SECRET_VARIABLES = { sms: 'SMS_SECRET', wechat: 'WECHAT_SECRET' } as const;
export function pushChannelSecret(channel: keyof typeof PUSH_SECRET_VARIABLES): string | undefined {
  return read(PUSH_SECRET_VARIABLES[channel]);
}

export function eventBridgeEndpoint(): string | undefined {
  return read('AWS_ENDPOINT_URL_EVENTBRIDGE');
}

/** USER_POOL_ID: the city's Cognito user pool (the functions that read or change its users). */
export const USER_POOL_VARIABLE = 'USER_POOL_ID';
export function userPoolId(): string {
  return required(USER_POOL_VARIABLE);
}

/** AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: the SDK's endpoint override (locally: the Cognito emulator). */
export function cognitoEndpoint(): string | undefined {
  return read('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER');
}

/** AWS_LAMBDA_FUNCTION_NAME is set: running in Lambda (never locally). */
export function inLambda(): boolean {
  return read('AWS_LAMBDA_FUNCTION_NAME') !== undefined;
}

/**
 * Credentials to hand the AWS clients: in a local scope, the function's own (the SDK's default
 * chain reads process.env, which every function of a local process shares); for DynamoDB Local
 * with none set, dummy ones; otherwise undefined: the SDK's chain (in Lambda, the role's, from
 * the environment).
 */
export function awsCredentials(): Credentials | undefined {
  const s = scope?.();
  if (s?.AWS_ACCESS_KEY_ID)
    return {
      accessKeyId: s.AWS_ACCESS_KEY_ID,
      secretAccessKey: s.AWS_SECRET_ACCESS_KEY ?? '',
      ...(s.AWS_SESSION_TOKEN ? { sessionToken: s.AWS_SESSION_TOKEN } : {}),
    };
  return read('DYNAMODB_ENDPOINT') && !read('AWS_ACCESS_KEY_ID')
    ? { accessKeyId: 'local', secretAccessKey: 'local' }
    : undefined;
}

/** LOG_LEVEL: debug, info (default), warn or error. */
export function logLevel(): string | undefined {
  return read('LOG_LEVEL');
}

/** PIONEER_SILENT=1: no log lines at all (tests that provoke errors on purpose). */
export function logsSilenced(): boolean {
  return read('PIONEER_SILENT') === '1';
}

/** WISH_CLAIM_LIMIT: open claims a member may hold, 1-100; undefined: the default (shared/services/wishes.ts). */
export function wishClaimLimit(): number | undefined {
  const raw = read('WISH_CLAIM_LIMIT');
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new Error(`WISH_CLAIM_LIMIT must be an integer from 1 to 100, got "${raw}"`);
  return n;
}

/** A copy of the whole environment the function running now sees (tests: what exactly it was given). */
export function envSnapshot(): Record<string, string | undefined> {
  return { ...(scope?.() ?? process.env) };
}

/** What decides the variables a function cannot run without (a declaration, or its resolved spec). */
export type RequiredNeeds = Pick<FunctionNeeds, 'tables' | 'profile' | 'districtDirectory' | 'apiUrls'>;

/** The variables a function with these needs cannot run without. */
export function requiredVariables(needs: RequiredNeeds): string[] {
  return [
    STACK_VARIABLE,
    ...Object.keys(needs.tables ?? {}).map((t) => TABLE_VARIABLES[t as TableId]),
    ...(needs.profile ? PROFILE_REQUIRED : []),
    ...(needs.districtDirectory ? [DIRECTORY_VARIABLE] : []),
    ...(needs.apiUrls === true ? [API_URL_VARIABLE] : []),
  ];
}

/** Throws, naming them, when variables the function's declaration requires are not set. */
export function checkEnv(needs: RequiredNeeds): void {
  const missing = requiredVariables(needs).filter((n) => !read(n));
  if (missing.length > 0)
    throw new Error(`environment variable ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set`);
}

/**
 * Called at the top level of a module that cannot work without `variable` (shared/db/table.ts: the
 * district's table; shared/db/city.ts: the city's): in Lambda the function's init then fails naming
 * it, at cold start rather than at its first request. Outside Lambda it does nothing: tests import
 * modules freely, and the local runtime checks each function's declaration before running it.
 * test/infra/bundles.test.ts holds each function's cold-start needs to its declaration.
 */
export function needAtColdStart(...variables: string[]): void {
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME) return;
  const missing = variables.filter((v) => !read(v));
  if (missing.length > 0)
    throw new Error(`environment variable ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set`);
}

// Every function serves a district, or the city.
needAtColdStart(STACK_VARIABLE);

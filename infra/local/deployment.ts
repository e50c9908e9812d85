import { CITY_ID, DISTRICT_DIRECTORY_PATH } from '../../shared/config/city.ts';
import { findDistrict, LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { SETTINGS } from '../../shared/config/env.ts';
import { lambdaName } from '../../shared/config/functions.ts';
import { allFunctionSpecs, type FunctionSpec } from '../catalog.ts';
import { functionEnvironment, type StackResources } from '../function-environment.ts';
import { LOCAL_REGION } from './dynamo.ts';
import { encodeGrants } from './grants.ts';

/**
 * What is deployed on this machine: the local counterpart of the stacks' resources (the district's
 * table, the city's table and bus in DynamoDB Local and in-process), from which each function's
 * environment is made by the same builder as in the cloud (infra/function-environment.ts).
 * `npm start`, `npm run job` and the tests deploy into it (the district table, then the city);
 * the local invoker (invoke.ts) runs each function with `localEnvironment` of its spec.
 */
export interface LocalDeployment {
  /** The district the local runtime plays. */
  readonly districtId: string;
  readonly region: string;
  /** DynamoDB Local. */
  readonly dynamoEndpoint?: string;
  /** The district's table in DynamoDB Local. */
  readonly districtTable?: string;
  /** The city's table in DynamoDB Local (the city runs beside the district). */
  readonly cityTable?: string;
  /** The city bus (in-process, infra/local/city-bus.ts): set together with its publisher. */
  readonly cityBus?: string;
  /** The local server's URL (infra/local/server.ts), the district's API. */
  readonly apiUrl?: string;
  /** The local server's URL when it serves the city's routes too. */
  readonly cityApiUrl?: string;
  /** The local user pool (infra/local/cognito.ts): its endpoint and id. */
  readonly cognitoEndpoint?: string;
  readonly userPoolId?: string;
}

const NOTHING: LocalDeployment = { districtId: LOCAL_DISTRICT_ID, region: LOCAL_REGION };
let current: LocalDeployment = NOTHING;

/** Adds to (or replaces parts of) what is deployed locally; returns the whole. */
export function deployLocally(parts: Partial<LocalDeployment>): LocalDeployment {
  current = { ...current, ...parts };
  return current;
}

/** Forgets everything deployed (the next `deployLocally` starts from nothing). */
export function resetLocalDeployment(): void {
  current = NOTHING;
}

export function localDeployment(): LocalDeployment {
  return current;
}

/** The resources of the stack that `spec` belongs to, as deployed locally (the builder's input). */
export function localResources(spec: Pick<FunctionSpec, 'stack'>, d: LocalDeployment = current): StackResources {
  const bus = d.cityBus ? { cityBus: d.cityBus } : {};
  const pool = d.userPoolId ? { userPoolId: d.userPoolId } : {};
  if (spec.stack === 'city')
    return {
      stackId: CITY_ID,
      tables: d.cityTable ? { city: d.cityTable } : {},
      ...bus,
      districtDirectory: DISTRICT_DIRECTORY_PATH,
      // The city API is the local server when it serves the city's routes.
      ...(d.cityApiUrl ? { apiUrl: d.cityApiUrl, cityApiUrl: d.cityApiUrl } : {}),
    };
  // The district's profile, as its stack gives it (infra/district-stack.ts); source maps need no
  // option locally (tsx maps the stack traces already).
  const district = findDistrict(d.districtId);
  return {
    stackId: d.districtId,
    tables: d.districtTable ? { district: d.districtTable } : {},
    ...bus,
    ...pool,
    ...(district
      ? {
          profile: {
            name: district.name,
            nameZh: district.nameZh,
            code: district.code,
            ...(district.wishEscalationDays !== undefined ? { wishEscalationDays: district.wishEscalationDays } : {}),
          },
        }
      : {}),
    ...(d.apiUrl ? { apiUrl: d.apiUrl } : {}),
    ...(d.cityApiUrl ? { cityApiUrl: d.cityApiUrl } : {}),
  };
}

/**
 * The access key id a function runs with locally: `local<Stack><Name>` (`localJinjiangMembers`,
 * `localCityCity`), names made of letters and digits only, which DynamoDB Local demands of a key id.
 */
export function localAccessKeyId(stackId: string, name: string): string {
  return `local-${stackId}-${name}`.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The environment a function runs with locally: exactly the variables the builder gives it in the
 * cloud, and what Lambda would add (AWS_REGION, credentials: its own, AWS_ACCESS_KEY_ID
 * naming it (`localAccessKeyId`), and a session token carrying its grants (grants.ts), so that the
 * local DynamoDB layer (dynamo-layer.ts) holds each function to what its role may do in the cloud;
 * DynamoDB Local runs with -sharedDb, so the key id does not split the data), and the local
 * DynamoDB endpoint. Settings nobody has to set (LOG_LEVEL, ...) pass on from this process's
 * environment when set, read at each call. Lambda's AWS_LAMBDA_FUNCTION_NAME is not set: outside
 * Lambda a function without a bus drops its events instead of failing (shared/events/publisher.ts).
 */
export function localEnvironment(spec: FunctionSpec, d: LocalDeployment = current): Record<string, string> {
  const resources = localResources(spec, d);
  const stackId = resources.stackId;
  const built = functionEnvironment(spec, resources);
  const grants = encodeGrants({
    function: lambdaName(stackId, spec.name),
    tables: Object.fromEntries(built.tables.map((t) => [built.variables[t.variable]!, t.access])),
  });
  const settings = Object.fromEntries(
    SETTINGS.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
  return {
    ...settings,
    ...built.variables,
    AWS_REGION: d.region,
    AWS_ACCESS_KEY_ID: localAccessKeyId(stackId, spec.name),
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: grants,
    ...(d.dynamoEndpoint ? { DYNAMODB_ENDPOINT: d.dynamoEndpoint } : {}),
    // The SDK's endpoint override, as for DynamoDB Local: the local user pool.
    ...(d.cognitoEndpoint && spec.userPool.length > 0
      ? { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: d.cognitoEndpoint }
      : {}),
  };
}

let all: readonly FunctionSpec[] | undefined;

/** The spec of function `name` among `specs` (default: every district and city function). */
export function findSpec(name: string, specs?: readonly FunctionSpec[]): FunctionSpec | undefined {
  return (specs ?? (all ??= allFunctionSpecs())).find((s) => s.name === name);
}

import path from 'node:path';
import { allFunctionSpecs } from '../catalog.ts';
import { deployLocally, localAccessKeyId, localDeployment, localResources } from './deployment.ts';
import { startLocalCognito, type LocalCognito, type TriggerEvent } from './cognito.ts';
import { invokeFunction } from './invoke.ts';
import { startStreamPoller, type StreamPoller } from './stream-poller.ts';

/**
 * The identity flow on this machine: the local user pool (with its triggers run through the local
 * invoker) and the table's stream consumers (the identity function among them), deployed into the
 * local deployment so that functions get USER_POOL_ID and the endpoint override. Started by
 * `npm start` and by the tests that need it, stopped by them; 127.0.0.1 only.
 */
export interface LocalIdentity {
  readonly cognito: LocalCognito;
  readonly streams: StreamPoller;
  close(): Promise<void>;
}

/** Who may call which admin operation: the functions whose declaration names it (their local key ids). */
export function poolGrants(): (accessKeyId: string | undefined, op: string) => boolean {
  const byKey = new Map<string, readonly string[]>();
  for (const spec of allFunctionSpecs())
    byKey.set(localAccessKeyId(localResources(spec).stackId, spec.name), spec.userPool);
  return (key, op) =>
    key !== undefined && (byKey.get(key)?.includes(op) === true || (key === ADMIN_CLI_KEY && op.startsWith('Admin')));
}

/** The key id of the local administrator's CLI (npm run city-admin / sign-up --mfa): the operator, not a function. */
export const ADMIN_CLI_KEY = 'localOperator';

export async function startLocalIdentity(
  opts: {
    dataDir?: string;
    quiet?: boolean;
    /** Where the poller reads the table's stream; default the functions' endpoint (the benchmarks read it past the metered layer). */
    streamEndpoint?: string;
  } = {},
): Promise<LocalIdentity> {
  const d = localDeployment();
  if (!d.dynamoEndpoint || !d.districtTable) throw new Error('deploy the district table locally first');
  const cognito = await startLocalCognito({
    region: d.region,
    ...(opts.dataDir ? { dataFile: path.join(opts.dataDir, 'users.json') } : {}),
    trigger: (event: TriggerEvent) => invokeFunction('cognito-triggers', event) as Promise<TriggerEvent>,
    allowed: poolGrants(),
    ...(opts.quiet ? { mail: () => undefined } : {}),
  });
  deployLocally({ cognitoEndpoint: cognito.endpoint, userPoolId: cognito.poolId });
  const streams = startStreamPoller({
    endpoint: opts.streamEndpoint ?? d.dynamoEndpoint,
    tableName: d.districtTable,
    region: d.region,
    invoke: (fn, event) => invokeFunction(fn, event),
    ...(opts.quiet ? { quiet: true } : {}),
  });
  return {
    cognito,
    streams,
    close: async () => {
      await streams.stop();
      await cognito.close();
    },
  };
}

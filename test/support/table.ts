import { inject } from 'vitest';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { TABLE, type TableDefinition } from '../../shared/config/table.ts';
import { deployLocally, localResources } from '../../infra/local/deployment.ts';
import { PROFILE_VARIABLES } from '../../shared/config/env.ts';
import { LOCAL_REGION, ensureTable } from '../../infra/local/dynamo.ts';
import type {} from './global-setup.ts';

/** The endpoint of the DynamoDB Local that test/support/global-setup.ts started. */
export function dynamoEndpoint(): string {
  let endpoint: string | undefined;
  try {
    endpoint = inject('dynamoEndpoint');
  } catch {
    endpoint = undefined;
  }
  endpoint ||= process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    throw new Error(
      'no DynamoDB Local for tests: run them with vitest (vitest.config.ts starts it in test/support/global-setup.ts)',
    );
  }
  return endpoint;
}

/** DynamoDB Local itself, without the layer (tests that put their own layer in front, with faults). */
export function dynamoLocalEndpoint(): string {
  let endpoint: string | undefined;
  try {
    endpoint = inject('dynamoLocalEndpoint');
  } catch {
    endpoint = undefined;
  }
  endpoint ||= process.env.DYNAMODB_LOCAL_ENDPOINT;
  if (!endpoint) throw new Error('no DynamoDB Local for tests: run them with vitest');
  return endpoint;
}

let count = 0;

/** A table name no other test file (or run) uses. */
export function uniqueTableName(prefix = 'test'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++count}`;
}

/**
 * Creates a new table with the district's definition on the shared DynamoDB Local, deploys it as
 * the local district's table (functions invoked through the local runtime get it in their own
 * environment) and points this process at it too (TABLE_NAME, DISTRICT_ID, DYNAMODB_ENDPOINT,
 * AWS_REGION: services called directly read process.env). Call it in a test file's beforeAll;
 * returns the table name.
 */
/**
 * The district's definition without its stream: the tables of tests that run no stream consumer
 * (most) spare DynamoDB Local the stream's bookkeeping on every write. `useE2e({ identity: true })`
 * makes its table with the stream.
 */
export const TABLE_WITHOUT_STREAM: TableDefinition = (({ stream: _s, ...rest }) => rest)(TABLE);

export async function useFreshTable(def: TableDefinition = TABLE_WITHOUT_STREAM): Promise<string> {
  const endpoint = dynamoEndpoint();
  const tableName = uniqueTableName();
  await ensureTable(endpoint, tableName, def);
  process.env.TABLE_NAME = tableName;
  process.env.DISTRICT_ID = LOCAL_DISTRICT_ID;
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.AWS_REGION = LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const deployed = deployLocally({
    districtId: LOCAL_DISTRICT_ID,
    region: LOCAL_REGION,
    dynamoEndpoint: endpoint,
    districtTable: tableName,
  });
  // The district's profile, as its functions get it (certificates, statistics, escalation days).
  const profile = localResources({ stack: 'district' }, deployed).profile!;
  process.env[PROFILE_VARIABLES.name] = profile.name;
  process.env[PROFILE_VARIABLES.nameZh] = profile.nameZh;
  process.env[PROFILE_VARIABLES.code] = profile.code;
  return tableName;
}

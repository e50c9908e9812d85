/**
 * The environment every function reads, once, at first use; a missing variable fails fast
 * with its name. The local runtime sets the same variables as the CDK construct does.
 */
export interface Env {
  /** The district's table. */
  readonly tableName: string;
  /** The district this stack serves (shared/config/districts.ts). */
  readonly districtId: string;
  /** Set only locally: the DynamoDB Local endpoint. */
  readonly dynamoEndpoint: string | undefined;
  /** AWS region (set by Lambda; a dummy one locally). */
  readonly region: string;
}

let cached: Env | undefined;

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

export function env(): Env {
  cached ??= {
    tableName: required('TABLE_NAME'),
    districtId: required('DISTRICT_ID'),
    dynamoEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    region: process.env.AWS_REGION || 'ap-southeast-1',
  };
  return cached;
}

/** For the local runtime and tests, which may point the same process at another table. */
export function resetEnv(): void {
  cached = undefined;
}

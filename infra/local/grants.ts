import type { TableAccess } from '../catalog.ts';
import { INDEX_READ_ACTIONS, TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../function-environment.ts';

/**
 * A local function's IAM grants, carried by its own credentials. In the cloud a function's role
 * holds its policy and DynamoDB asks IAM; locally every function runs in one process with its own
 * access key id (infra/local/deployment.ts), and its session token (AWS_SESSION_TOKEN, sent by the
 * SDK as `x-amz-security-token`) names the function and the tables the builder grants it, so that
 * the local DynamoDB layer (dynamo-layer.ts) can refuse what IAM would refuse, with the same
 * action lists as the CDK construct (infra/function-environment.ts). DynamoDB Local ignores the
 * token. Test files share one layer, each with its own table: the grant travels with the request,
 * so no registry is shared between them.
 */
export interface LocalGrants {
  /** `pioneer-<stack>-<name>`, as in Lambda. */
  readonly function: string;
  /** Table name -> access. */
  readonly tables: Readonly<Record<string, TableAccess>>;
}

const PREFIX = 'pioneer-grants.';

export function encodeGrants(g: LocalGrants): string {
  return PREFIX + Buffer.from(JSON.stringify(g)).toString('base64url');
}

/** The grants a session token carries; undefined for any other token (or none): not a local function. */
export function decodeGrants(token: string | undefined): LocalGrants | undefined {
  if (!token?.startsWith(PREFIX)) return undefined;
  try {
    const g = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8')) as LocalGrants;
    return typeof g.function === 'string' && typeof g.tables === 'object' && g.tables !== null ? g : undefined;
  } catch {
    return undefined;
  }
}

/** The IAM actions `access` allows on a table, and on its indexes. */
export function allowedActions(access: TableAccess, onIndex: boolean): readonly string[] {
  if (onIndex) return INDEX_READ_ACTIONS;
  return access === 'RW' ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : TABLE_READ_ACTIONS;
}

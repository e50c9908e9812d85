import { cognitoEndpoint, region, userPoolId } from '../config/env.ts';
import { AwsError, awsJson, regionalEndpoint } from './aws-json.ts';

/**
 * The part of Cognito's user-pool admin API Pioneer calls, on the pool named by USER_POOL_ID: one
 * signed JSON POST each (aws-json.ts). The endpoint follows the region's partition, or
 * AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER (the SDK's override; locally the emulator,
 * infra/local/cognito.ts). Users are named by their `sub` (a pool with email sign-in takes the
 * sub as the username in every admin call).
 */

export interface PoolUser {
  readonly username: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** An authenticator app (TOTP) is set up: the pool asks for its code at every sign-in. */
  readonly mfaEnabled: boolean;
  readonly status: string;
  readonly enabled: boolean;
}

export interface Pool {
  getUser(username: string): Promise<PoolUser | undefined>;
  listGroups(username: string): Promise<string[]>;
  addToGroup(username: string, group: string): Promise<void>;
  removeFromGroup(username: string, group: string): Promise<void>;
  updateAttributes(username: string, attributes: Readonly<Record<string, string>>): Promise<void>;
  deleteAttributes(username: string, names: readonly string[]): Promise<void>;
}

/**
 * The admin API of a pool: by default the one named by USER_POOL_ID (the district's identity
 * function); the City stack's triggers pass the pool id of their event (the pool cannot name
 * itself in its own trigger's environment: CloudFormation would see a cycle).
 */
export function userPool(poolId: string = userPoolId()): Pool {
  const call = <T>(op: string, body: Record<string, unknown>) =>
    awsJson<T>({
      service: 'cognito-idp',
      target: `AWSCognitoIdentityProviderService.${op}`,
      endpoint: cognitoEndpoint() ?? regionalEndpoint('cognito-idp', region()),
      body: { UserPoolId: poolId, ...body },
      // A trigger has 5 s in all; an admin call answers in well under one.
      timeoutMs: 4000,
    });
  return {
    getUser: (u) => getUser(call, u),
    listGroups: (u) => listGroups(call, u),
    addToGroup: async (u, g) => void (await call('AdminAddUserToGroup', { Username: u, GroupName: g })),
    removeFromGroup: async (u, g) => void (await call('AdminRemoveUserFromGroup', { Username: u, GroupName: g })),
    updateAttributes: async (u, attributes) => {
      const list = Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
      if (list.length > 0) await call('AdminUpdateUserAttributes', { Username: u, UserAttributes: list });
    },
    deleteAttributes: async (u, names) => {
      if (names.length > 0) await call('AdminDeleteUserAttributes', { Username: u, UserAttributeNames: names });
    },
  };
}

type Call = <T>(op: string, body: Record<string, unknown>) => Promise<T>;

const notFound = (err: unknown) => err instanceof AwsError && err.type === 'UserNotFoundException';

/** The user, or undefined when the pool has no such user. */
async function getUser(call: Call, username: string): Promise<PoolUser | undefined> {
  try {
    const out = await call<{
      Username: string;
      UserAttributes?: { Name: string; Value?: string }[];
      UserMFASettingList?: string[];
      UserStatus?: string;
      Enabled?: boolean;
    }>('AdminGetUser', { Username: username });
    return {
      username: out.Username,
      attributes: Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name, a.Value ?? ''])),
      mfaEnabled: (out.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA'),
      status: out.UserStatus ?? 'UNKNOWN',
      enabled: out.Enabled !== false,
    };
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

/** The user's groups (every page). */
async function listGroups(call: Call, username: string): Promise<string[]> {
  const groups: string[] = [];
  let next: string | undefined;
  do {
    const out = await call<{ Groups?: { GroupName: string }[]; NextToken?: string }>('AdminListGroupsForUser', {
      Username: username,
      Limit: 60,
      ...(next ? { NextToken: next } : {}),
    });
    groups.push(...(out.Groups ?? []).map((g) => g.GroupName));
    next = out.NextToken;
  } while (next);
  return groups;
}

import { awsJson } from '../../shared/identity/aws-json.ts';
import { LOCAL_CLIENT_ID, LOCAL_POOL_ID } from './cognito.ts';
import { SIGN_UP_ATTRIBUTE } from '../../shared/config/identity.ts';
import { LOCAL_REGION } from './dynamo.ts';
import { ADMIN_CLI_KEY } from './identity.ts';
import { LocalError } from './errors.ts';
import { withEnvironment } from './invoke.ts';
import { readRunningState } from './state.ts';

/** The running local user pool: `--pool <url>` when given, else the one `npm start` runs. */
export function poolEndpoint(given: unknown): string {
  if (typeof given === 'string' && given) {
    if (!/^http:\/\/127\.0\.0\.1:\d+\/?$/.test(given))
      throw new LocalError(`--pool must be the local user pool, http://127.0.0.1:<port>/, got "${given}"`, 2);
    return given.endsWith('/') ? given : `${given}/`;
  }
  const running = readRunningState();
  if (!running?.cognitoEndpoint)
    throw new LocalError('the local user pool runs with the platform: start it first (npm start), in another terminal');
  return running.cognitoEndpoint;
}

/**
 * What an app and an operator do with the local user pool (infra/local/cognito.ts): sign up and
 * confirm (the app: unsigned calls with the app client id), set up MFA and make a city admin (the
 * operator: signed with the operator's own key id, which the local pool lets call admin
 * operations), and get a user's token (the pool's, through the pre-token trigger). Used by
 * `npm run users`, `npm run token -- --user` and the tests.
 */
async function appCall<T>(endpoint: string, op: string, body: unknown): Promise<T> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${op}`,
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { __type?: string; message?: string };
  if (!res.ok) throw new Error(`${json.__type ?? res.status}: ${json.message ?? ''}`);
  return json;
}

async function localCall<T>(endpoint: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(new URL(path, endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { __type?: string; message?: string };
  if (!res.ok) throw new Error(`${json.__type ?? res.status}: ${json.message ?? ''}`);
  return json;
}

export function operatorCall<T>(endpoint: string, op: string, body: Record<string, unknown>): Promise<T> {
  return withEnvironment(
    { AWS_REGION: LOCAL_REGION, AWS_ACCESS_KEY_ID: ADMIN_CLI_KEY, AWS_SECRET_ACCESS_KEY: 'local' },
    () =>
      awsJson<T>({
        service: 'cognito-idp',
        target: `AWSCognitoIdentityProviderService.${op}`,
        endpoint,
        body: { UserPoolId: LOCAL_POOL_ID, ...body },
        attempts: 1,
      }),
  );
}

export interface SignUpInput {
  email: string;
  district: string;
  password?: string;
  name?: string;
}

/** SignUp (the pre-sign-up trigger checks the district), then ConfirmSignUp with the mailed code (post confirmation). Returns the sub. */
export async function signUpAndConfirm(endpoint: string, input: SignUpInput): Promise<string> {
  const out = await appCall<{ UserSub: string }>(endpoint, 'SignUp', {
    ClientId: LOCAL_CLIENT_ID,
    Username: input.email,
    Password: input.password ?? 'Local-passw0rd!',
    UserAttributes: [
      { Name: 'email', Value: input.email },
      { Name: SIGN_UP_ATTRIBUTE, Value: input.district },
      ...(input.name ? [{ Name: 'name', Value: input.name }] : []),
    ],
  });
  const { code } = await localCall<{ code: string }>(endpoint, '/_local/code', { username: out.UserSub });
  await appCall(endpoint, 'ConfirmSignUp', {
    ClientId: LOCAL_CLIENT_ID,
    Username: input.email,
    ConfirmationCode: code,
  });
  return out.UserSub;
}

/** Sets up the user's authenticator app (TOTP), as the app would with AssociateSoftwareToken and VerifySoftwareToken. */
export async function enableMfa(endpoint: string, username: string): Promise<void> {
  await operatorCall(endpoint, 'AdminSetUserMFAPreference', {
    Username: username,
    SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
  });
}

/** The user's ID token as the pool issues it now (their current groups and attributes). */
export async function userToken(endpoint: string, username: string, ttlSeconds?: number): Promise<string> {
  const out = await localCall<{ token: string }>(endpoint, '/_local/token', { username, ttlSeconds });
  return out.token;
}

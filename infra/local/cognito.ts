import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ROLES } from '../../shared/domain/roles.ts';
import { SCOPE_ATTRIBUTES, SIGN_UP_ATTRIBUTE, TOKEN_VALIDITY_MINUTES } from '../../shared/config/identity.ts';
import { LocalError } from './errors.ts';
import { mintToken } from './keys.ts';

/**
 * The city's user pool on this machine: a loopback emulator of the part of Cognito's JSON API that
 * Pioneer calls (the identity function and the triggers, through shared/identity/cognito.ts, with
 * the SDK's endpoint override), plus SignUp and ConfirmSignUp as an app calls them, with the pool's
 * triggers run through the local invoker (the City stack's cognito-triggers function, in its own
 * environment). Same groups (one per role) and the same attributes as the pool in the City stack,
 * changed by the same grants; `mintUserToken` issues the ID token the pool would, through the
 * pre-token-generation trigger.
 *
 * Like IAM in the cloud, the admin operations answer only functions whose declaration names them
 * (shared/config/functions.ts `userPool`): each local function signs with its own key id, which
 * `allowed` checks. Users live in memory, and in `dataFile` (under .data/) when given.
 * Listens on 127.0.0.1 only; stopped by the code that started it.
 */
export const LOCAL_POOL_ID = 'ap-southeast-1_PioneerLocal';
export const LOCAL_CLIENT_ID = 'pioneer-local-app';

interface LocalUser {
  sub: string;
  email: string;
  password: string;
  status: 'UNCONFIRMED' | 'CONFIRMED';
  attributes: Record<string, string>;
  groups: string[];
  mfa: boolean;
  code?: string;
  createdAt: string;
}

export interface TriggerEvent {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

export interface LocalCognitoOptions {
  /** Keep users in this JSON file (written on every change); default: in memory only. */
  readonly dataFile?: string;
  readonly region: string;
  /** Runs a pool trigger (the cognito-triggers function through the local invoker); absent: no triggers. */
  readonly trigger?: (event: TriggerEvent) => Promise<TriggerEvent>;
  /** Whether the function signing with `accessKeyId` may call admin operation `op` (IAM). */
  readonly allowed?: (accessKeyId: string | undefined, op: string) => boolean;
  /** Where the "mail" goes (confirmation codes); default stdout. */
  readonly mail?: (line: string) => void;
  /** @default 0: a free port */
  readonly port?: number;
}

export interface LocalCognito {
  readonly endpoint: string;
  readonly poolId: string;
  readonly clientId: string;
  /** An ID token for the user, as the pool issues it: their groups and attributes, through the pre-token trigger. */
  mintUserToken(username: string, ttlSeconds?: number): Promise<string>;
  /** The user, by sub or email (tests, the CLI). */
  user(username: string): Readonly<LocalUser> | undefined;
  close(): Promise<void>;
}

class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The attributes an app may write at sign-up (the app client's write attributes). */
const SIGN_UP_WRITABLE = new Set(['email', 'name', SIGN_UP_ATTRIBUTE]);
/** The admin operations (IAM-checked). */
const ADMIN_OPS = new Set([
  'AdminGetUser',
  'AdminListGroupsForUser',
  'AdminAddUserToGroup',
  'AdminRemoveUserFromGroup',
  'AdminUpdateUserAttributes',
  'AdminDeleteUserAttributes',
  'AdminSetUserMFAPreference',
]);
const MUTABLE_BY_ADMIN = new Set(['name', 'email', ...SCOPE_ATTRIBUTES.map((a) => `custom:${a}`)]);

function accessKeyOf(req: IncomingMessage): string | undefined {
  const m = /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '');
  return m?.[1];
}

export async function startLocalCognito(opts: LocalCognitoOptions): Promise<LocalCognito> {
  const users = new Map<string, LocalUser>();
  if (opts.dataFile && fs.existsSync(opts.dataFile)) {
    try {
      for (const u of JSON.parse(fs.readFileSync(opts.dataFile, 'utf8')) as LocalUser[]) users.set(u.sub, u);
    } catch (err) {
      throw new LocalError(
        `cannot read the local user pool ${opts.dataFile}: ${(err as Error).message} (delete it to start afresh)`,
      );
    }
  }
  const save = (): void => {
    if (!opts.dataFile) return;
    fs.mkdirSync(path.dirname(opts.dataFile), { recursive: true });
    const tmp = `${opts.dataFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify([...users.values()], null, 2)}\n`);
    fs.renameSync(tmp, opts.dataFile);
  };
  const mail = opts.mail ?? ((line: string) => process.stdout.write(`${line}\n`));
  const find = (username: unknown): LocalUser | undefined => {
    if (typeof username !== 'string') return undefined;
    return users.get(username) ?? [...users.values()].find((u) => u.email === username.toLowerCase());
  };
  const must = (username: unknown): LocalUser => {
    const u = find(username);
    if (!u) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return u;
  };
  const runTrigger = async (u: LocalUser, source: string, request: Record<string, unknown>) => {
    if (!opts.trigger) return { response: {} as Record<string, unknown> };
    const event: TriggerEvent = {
      version: '1',
      triggerSource: source,
      region: opts.region,
      userPoolId: LOCAL_POOL_ID,
      userName: u.sub,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: LOCAL_CLIENT_ID },
      request: { userAttributes: { ...u.attributes, 'cognito:user_status': u.status }, ...request },
      response: {},
    };
    try {
      return await opts.trigger(event);
    } catch (err) {
      const phase = source.split('_')[0];
      throw new CognitoError('UserLambdaValidationException', `${phase} failed with error ${(err as Error).message}.`);
    }
  };
  const group = (name: unknown): string => {
    if (typeof name !== 'string' || !(ROLES as readonly string[]).includes(name))
      throw new CognitoError('ResourceNotFoundException', 'Group not found.');
    return name;
  };
  const checkPool = (body: Record<string, unknown>) => {
    if (body.UserPoolId !== LOCAL_POOL_ID)
      throw new CognitoError('ResourceNotFoundException', `User pool ${String(body.UserPoolId)} does not exist.`);
  };
  const checkClient = (body: Record<string, unknown>) => {
    if (body.ClientId !== LOCAL_CLIENT_ID)
      throw new CognitoError('ResourceNotFoundException', 'User pool client does not exist.');
  };
  const attrList = (v: unknown): { Name: string; Value: string }[] =>
    Array.isArray(v)
      ? v.filter((a) => a && typeof a.Name === 'string').map((a) => ({ Name: a.Name, Value: String(a.Value ?? '') }))
      : [];

  const ops: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    SignUp: async (b) => {
      checkClient(b);
      const email = typeof b.Username === 'string' ? b.Username.trim().toLowerCase() : '';
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        throw new CognitoError('InvalidParameterException', 'Username should be an email.');
      if (typeof b.Password !== 'string' || b.Password.length < 12)
        throw new CognitoError(
          'InvalidPasswordException',
          'Password did not conform with policy: Password not long enough',
        );
      if (find(email))
        throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
      const attributes: Record<string, string> = {};
      for (const a of attrList(b.UserAttributes)) {
        if (!SIGN_UP_WRITABLE.has(a.Name))
          throw new CognitoError('NotAuthorizedException', `A client attempted to write unauthorized attribute`);
        attributes[a.Name] = a.Value;
      }
      const sub = randomUUID();
      const u: LocalUser = {
        sub,
        email,
        password: b.Password,
        status: 'UNCONFIRMED',
        attributes: { ...attributes, sub, email, email_verified: 'false' },
        groups: [],
        mfa: false,
        code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
        createdAt: new Date().toISOString(),
      };
      await runTrigger(u, 'PreSignUp_SignUp', {
        validationData: null,
        clientMetadata: (b.ClientMetadata as Record<string, string>) ?? {},
      });
      users.set(sub, u);
      save();
      mail(`[local user pool] mail to ${email}: your confirmation code is ${u.code}`);
      return {
        UserConfirmed: false,
        UserSub: sub,
        CodeDeliveryDetails: {
          Destination: email.replace(/^(.).*@/, '$1***@'),
          DeliveryMedium: 'EMAIL',
          AttributeName: 'email',
        },
      };
    },
    ConfirmSignUp: async (b) => {
      checkClient(b);
      const u = must(b.Username);
      if (u.status === 'CONFIRMED')
        throw new CognitoError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
      if (b.ConfirmationCode !== u.code)
        throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
      u.status = 'CONFIRMED';
      u.attributes.email_verified = 'true';
      delete u.code;
      save();
      // Cognito confirms the user, then runs the trigger: a failing trigger fails the call, the user stays confirmed.
      await runTrigger(u, 'PostConfirmation_ConfirmSignUp', {
        clientMetadata: (b.ClientMetadata as Record<string, string>) ?? {},
      });
      return {};
    },
    AdminGetUser: async (b) => {
      const u = must(b.Username);
      return {
        Username: u.sub,
        UserAttributes: Object.entries(u.attributes).map(([Name, Value]) => ({ Name, Value })),
        UserCreateDate: Date.parse(u.createdAt) / 1000,
        Enabled: true,
        UserStatus: u.status,
        ...(u.mfa ? { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' } : {}),
      };
    },
    AdminListGroupsForUser: async (b) => ({
      Groups: must(b.Username).groups.map((GroupName) => ({ GroupName, UserPoolId: LOCAL_POOL_ID })),
    }),
    AdminAddUserToGroup: async (b) => {
      const u = must(b.Username);
      const g = group(b.GroupName);
      if (!u.groups.includes(g)) u.groups.push(g);
      save();
      return {};
    },
    AdminRemoveUserFromGroup: async (b) => {
      const u = must(b.Username);
      const g = group(b.GroupName);
      u.groups = u.groups.filter((x) => x !== g);
      save();
      return {};
    },
    AdminUpdateUserAttributes: async (b) => {
      const u = must(b.Username);
      const list = attrList(b.UserAttributes);
      for (const a of list)
        if (!MUTABLE_BY_ADMIN.has(a.Name))
          throw new CognitoError('InvalidParameterException', `Attribute cannot be updated. ${a.Name}`);
      for (const a of list) u.attributes[a.Name] = a.Value;
      save();
      return {};
    },
    AdminDeleteUserAttributes: async (b) => {
      const u = must(b.Username);
      const names = Array.isArray(b.UserAttributeNames) ? b.UserAttributeNames.map(String) : [];
      for (const n of names)
        if (!MUTABLE_BY_ADMIN.has(n))
          throw new CognitoError('InvalidParameterException', `Attribute cannot be deleted. ${n}`);
      for (const n of names) delete u.attributes[n];
      save();
      return {};
    },
    // The real pool needs the app to associate an authenticator first (AssociateSoftwareToken,
    // VerifySoftwareToken); the local one takes the administrator's word for it.
    AdminSetUserMFAPreference: async (b) => {
      const u = must(b.Username);
      const s = b.SoftwareTokenMfaSettings as { Enabled?: boolean } | undefined;
      u.mfa = s?.Enabled === true;
      save();
      return {};
    },
  };

  const mintUserToken = async (username: string, ttlSeconds = TOKEN_VALIDITY_MINUTES * 60): Promise<string> => {
    const u = find(username);
    if (!u) throw new LocalError(`no user ${username} in the local user pool`);
    if (u.status !== 'CONFIRMED') throw new LocalError(`user ${username} has not confirmed the sign-up`);
    const out = await runTrigger(u, 'TokenGeneration_Authentication', {
      groupConfiguration: { groupsToOverride: [...u.groups], iamRolesToOverride: [], preferredRole: null },
    });
    const override = (
      out.response.claimsOverrideDetails as { groupOverrideDetails?: { groupsToOverride?: string[] } } | undefined
    )?.groupOverrideDetails?.groupsToOverride;
    const a = u.attributes;
    return mintToken({
      sub: u.sub,
      groups: override ?? u.groups,
      email: u.email,
      memberId: a['custom:memberId'],
      communityId: a['custom:communityId'],
      streetId: a['custom:streetId'],
      teamId: a['custom:teamId'],
      district: a['custom:district'] ?? 'none',
      ttlSeconds,
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, value: unknown) => {
      const body = JSON.stringify(value);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    };
    try {
      let body: Record<string, unknown> = {};
      const text = Buffer.concat(chunks).toString('utf8');
      if (text) body = JSON.parse(text) as Record<string, unknown>;
      if (req.url === '/_local/token' && req.method === 'POST') {
        return reply(200, {
          token: await mintUserToken(String(body.username ?? ''), body.ttlSeconds as number | undefined),
        });
      }
      if (req.url === '/_local/code' && req.method === 'POST') {
        const u = must(body.username);
        return reply(200, { code: u.code ?? null, sub: u.sub });
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith('AWSCognitoIdentityProviderService.') ? target.slice(target.indexOf('.') + 1) : '';
      const run = ops[op];
      if (!run)
        throw new CognitoError('UnknownOperationException', `the local user pool does not emulate ${op || target}`);
      if (ADMIN_OPS.has(op)) {
        checkPool(body);
        const key = accessKeyOf(req);
        if (opts.allowed && !opts.allowed(key, op))
          throw new CognitoError(
            'AccessDeniedException',
            `User: ${key ?? 'anonymous'} is not authorized to perform: cognito-idp:${op}`,
          );
      }
      reply(200, await run(body));
    } catch (err) {
      if (err instanceof CognitoError) return reply(err.status, { __type: err.type, message: err.message });
      if (err instanceof LocalError) return reply(400, { __type: 'LocalError', message: err.message });
      if (err instanceof SyntaxError) return reply(400, { __type: 'SerializationException', message: err.message });
      process.stderr.write(`[local user pool] ${(err as Error).stack ?? String(err)}\n`);
      reply(500, { __type: 'InternalErrorException', message: 'internal error' });
    }
  };

  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new LocalError(`the local user pool cannot listen: ${err.message}`)));
    server.listen({ port: opts.port ?? 0, host: '127.0.0.1', exclusive: true }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}/`,
    poolId: LOCAL_POOL_ID,
    clientId: LOCAL_CLIENT_ID,
    mintUserToken,
    user: (username) => find(username),
    close: () =>
      (closing ??= new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      })),
  };
}

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  SignJWT,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { LocalError } from './errors.ts';
import { KEYS_DIR, displayPath } from './paths.ts';

/**
 * Local JWTs, shaped like Cognito ID tokens. One ES256 key pair per checkout, made on first use
 * and kept in .data/keys/, so a token minted by `npm run token` works with any local server
 * (persistent or in-memory) and with the tests. Times are real time, not shared/domain/clock.ts:
 * `--clock` moves the domain's "now", not token expiry (as in the cloud, where API Gateway checks
 * `exp` against the real clock).
 */
export const LOCAL_ISSUER = 'pioneer-local';
export const LOCAL_AUDIENCE = 'pioneer-local';
const ALG = 'ES256';
const PRIVATE_FILE = 'local-es256.private.jwk.json';
const PUBLIC_FILE = 'local-es256.public.jwk.json';
const DEFAULT_TTL_SECONDS = 12 * 60 * 60;

export interface TokenClaims {
  /** One role (npm run token -- --role), or `groups`: the user's groups as the pool gives them. */
  role?: Role;
  groups?: readonly string[];
  email?: string;
  sub?: string;
  memberId?: string;
  communityId?: string;
  streetId?: string;
  teamId?: string;
  district?: string;
  /** Default 12 h; zero or negative gives an already expired token (tests). */
  ttlSeconds?: number;
}

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

let cached: Promise<KeyPair> | undefined;

function keysDir(): string {
  return process.env.PIONEER_KEYS_DIR || KEYS_DIR;
}

async function loadOrCreateKeys(): Promise<KeyPair> {
  const dir = keysDir();
  const privatePath = path.join(dir, PRIVATE_FILE);
  if (!fs.existsSync(privatePath)) await createKeys(dir, privatePath);
  let jwk: JWK;
  try {
    jwk = JSON.parse(fs.readFileSync(privatePath, 'utf8')) as JWK;
  } catch (err) {
    throw new LocalError(
      `cannot read the local signing key ${displayPath(privatePath)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): delete it to make a new one`,
    );
  }
  if (!jwk.d || !jwk.kid)
    throw new LocalError(`${displayPath(privatePath)} is not a private JWK: delete it to make a new one`);
  const { d: _d, ...publicJwk } = jwk;
  return {
    kid: jwk.kid,
    privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
  };
}

/** First writer wins: write a temp file, hard-link it into place (fails if another process won). */
async function createKeys(dir: string, privatePath: string): Promise<void> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    kid: `pioneer-local-${randomUUID().slice(0, 8)}`,
    alg: ALG,
    use: 'sig',
  };
  const { d: _d, ...publicJwk } = jwk;
  const tmp = path.join(dir, `.${PRIVATE_FILE}.${process.pid}.${Date.now()}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
    try {
      fs.linkSync(tmp, privatePath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return; // another process made the key first: use theirs
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    const pubTmp = path.join(dir, `.${PUBLIC_FILE}.${process.pid}`);
    fs.writeFileSync(pubTmp, `${JSON.stringify({ keys: [publicJwk] }, null, 2)}\n`);
    fs.renameSync(pubTmp, path.join(dir, PUBLIC_FILE));
  } catch (err) {
    throw new LocalError(
      `cannot write the local signing key under ${displayPath(dir)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): make .data writable`,
    );
  }
}

function keys(): Promise<KeyPair> {
  cached ??= loadOrCreateKeys().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

/** Mints a Cognito-like ID token for local use. */
export async function mintToken(claims: TokenClaims): Promise<string> {
  const { kid, privateKey } = await keys();
  const nowSec = Math.floor(Date.now() / 1000);
  const ttl = claims.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  const sub = claims.sub ?? claims.memberId ?? randomUUID();
  const groups = claims.groups ?? (claims.role ? [claims.role] : []);
  const payload: JWTPayload & Record<string, unknown> = {
    // Cognito leaves the claim out for a user in no group.
    ...(groups.length > 0 ? { 'cognito:groups': [...groups] } : {}),
    'cognito:username': sub,
    'custom:district': claims.district ?? LOCAL_DISTRICT_ID,
    token_use: 'id',
    auth_time: nowSec,
  };
  if (claims.memberId) payload['custom:memberId'] = claims.memberId;
  if (claims.communityId) payload['custom:communityId'] = claims.communityId;
  if (claims.streetId) payload['custom:streetId'] = claims.streetId;
  if (claims.teamId) payload['custom:teamId'] = claims.teamId;
  if (claims.email) payload.email = claims.email;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(sub)
    .setJti(randomUUID())
    .setIssuedAt(ttl > 0 ? nowSec : nowSec + ttl - 60)
    .setExpirationTime(nowSec + ttl)
    .sign(privateKey);
}

/**
 * Verifies signature, `iss`, `aud` and `exp` like API Gateway's JWT authorizer; returns the
 * payload. Throws (jose's errors) when the token is not valid.
 */
export async function verifyToken(token: string): Promise<Record<string, unknown>> {
  let k = await keys();
  // The key file may have been replaced (e.g. .data deleted) while this process runs.
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    kid = undefined;
  }
  if (kid && kid !== k.kid) {
    cached = undefined;
    k = await keys();
  }
  const { payload } = await jwtVerify(token, k.publicKey, {
    algorithms: [ALG],
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    requiredClaims: ['exp', 'sub'],
  });
  return payload as Record<string, unknown>;
}

/**
 * Claims as API Gateway's JWT authorizer hands them to the function: every value a string.
 * Arrays become `[a b]` (so `cognito:groups: ["member"]` arrives as `"[member]"`), numbers and
 * booleans their decimal/`true` text, objects their JSON text.
 */
export function claimsForLambda(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (v === undefined || v === null) continue;
    out[k] = claimToString(v);
  }
  return out;
}

function claimToString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v))
    return `[${v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join(' ')}]`;
  return JSON.stringify(v);
}

/** Forget the loaded key pair (tests that point PIONEER_KEYS_DIR elsewhere). */
export function resetKeys(): void {
  cached = undefined;
}

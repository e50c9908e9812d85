import { ID_PATTERN } from '../domain/ids.ts';
import { isRole, type Role } from '../domain/roles.ts';
import type { Caller } from '../domain/policy.ts';

/**
 * Reads the caller from the JWT authorizer's claims, exactly as API Gateway HTTP API passes
 * them (`requestContext.authorizer.jwt.claims`, every value a string; arrays such as
 * `cognito:groups` arrive as "[a b]"). Nothing here trusts the body or the path.
 */
export function parseGroups(raw: unknown): Role[] {
  let list: string[] = [];
  if (Array.isArray(raw)) list = raw.map(String);
  else if (typeof raw === 'string') {
    const s = raw.trim();
    const bracketed = s.startsWith('[') && s.endsWith(']');
    // A JSON array of strings, as some authorizers send it: ["member","city_admin"].
    if (bracketed && s.slice(1).trimStart().startsWith('"')) list = jsonStrings(s);
    // API Gateway's "[member city_admin]", or a bare "member,city_admin".
    else list = (bracketed ? s.slice(1, -1) : s).match(/[^\s,]+/g) ?? [];
  }
  return list.filter(isRole);
}

function jsonStrings(s: string): string[] {
  try {
    return (JSON.parse(s) as unknown[]).map(String);
  } catch {
    return [];
  }
}

function idClaim(claims: Record<string, unknown>, name: string): string | undefined {
  const v = claims[name];
  return typeof v === 'string' && ID_PATTERN.test(v) ? v : undefined;
}

/** Returns undefined when the claims do not name a usable caller (no sub, no known role). */
export function callerFromClaims(claims: Record<string, unknown> | undefined): Caller | undefined {
  if (!claims) return undefined;
  const sub = idClaim(claims, 'sub');
  const roles = parseGroups(claims['cognito:groups']);
  if (!sub || roles.length === 0) return undefined;
  return {
    sub,
    roles: new Set(roles),
    memberId: idClaim(claims, 'custom:memberId') ?? sub,
    communityId: idClaim(claims, 'custom:communityId'),
    streetId: idClaim(claims, 'custom:streetId'),
    teamId: idClaim(claims, 'custom:teamId'),
    district: idClaim(claims, 'custom:district'),
  };
}

import { DomainError } from '../../shared/domain/errors.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';

/**
 * For tests that call services directly: a caller as the HTTP stack would build it from a
 * token's claims (one role, the scope given), and the outcome of a call as a code.
 */
export const who = (role: Role, scope: Partial<Caller> = {}): Caller => ({
  sub: scope.sub ?? scope.memberId ?? `u-${role}`,
  roles: new Set([role]),
  memberId: scope.memberId ?? scope.sub ?? `u-${role}`,
  communityId: undefined,
  streetId: undefined,
  teamId: undefined,
  district: LOCAL_DISTRICT_ID,
  ...scope,
});

/** 'ok', or the DomainError's code; anything else is rethrown (a 500 would fail the test). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

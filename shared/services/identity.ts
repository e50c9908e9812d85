import { env } from '../config/env.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import {
  DISTRICT_ROLES,
  SCOPE_ATTRIBUTE_NAMES,
  administersScope,
  applyChange,
  emptyRecord,
  grantRefusal,
  placesOf,
  projection,
  scopeOf,
  scopeOfChange,
  type DistrictRole,
  type GrantableRole,
  type RoleChange,
  type UserRoles,
} from '../domain/identity.ts';
import type { Caller } from '../domain/policy.ts';
import type { Community, Street } from '../domain/types.ts';
import type { Page } from '../db/cursor.ts';
import { committing } from '../db/idempotency.ts';
import * as identity from '../db/identity.ts';
import type { AuditSource, RoleAuditEntry } from '../db/identity.ts';
import * as places from '../db/places.ts';
import { userPool, type Pool } from '../identity/cognito.ts';

/**
 * Roles and scope: grants by hand (admins, through the API), grants that follow the work (a check-in
 * approved, a team's leader named: their services call `workGrant` and write its record and audit
 * entry in their own transaction), the sign-up's resident (from the city's post-confirmation
 * trigger, over the city bus), the audit, and the projection of each record onto Cognito, which
 * only the identity function runs (fed by the table's stream). A change reaches the user's tokens at
 * their next refresh.
 */

// ---------- reading ----------

export type RolesView = Omit<UserRoles, 'version'>;

const view = ({ version: _v, ...r }: UserRoles): RolesView => r;

/** A user's roles and scope here, for an admin whose scope covers one of the user's places (else 404). */
export async function getRoles(caller: Caller, sub: string): Promise<RolesView> {
  const r = await identity.getUserRoles(sub, true);
  if (!r || !mayRead(caller, r)) throw new DomainError('NOT_FOUND', `no user ${sub} that you administer`);
  return view(r);
}

function mayRead(caller: Caller, r: UserRoles): boolean {
  if (caller.roles.has('city_admin') || caller.roles.has('district_admin')) return true;
  return placesOf(r).some((p) => administersScope(caller, p));
}

export async function listAudit(
  caller: Caller,
  q: { streetId?: string; communityId?: string; sub?: string },
  limit: number,
  cursor: string | undefined,
): Promise<Page<RoleAuditEntry>> {
  if (q.sub !== undefined) {
    const r = await identity.getUserRoles(q.sub);
    if (!r || !mayRead(caller, r)) throw new DomainError('NOT_FOUND', `no user ${q.sub} that you administer`);
    return identity.listAudit({ of: 'user', id: q.sub }, limit, cursor);
  }
  if (q.communityId !== undefined) {
    const c = await places.getCommunity(q.communityId);
    if (!c) throw new DomainError('UNKNOWN_COMMUNITY', `no community ${q.communityId} in this district`);
    if (!administersScope(caller, c)) throw forbiddenAudit();
    return identity.listAudit({ of: 'community', id: c.communityId }, limit, cursor);
  }
  if (q.streetId !== undefined) {
    if (!(await places.getStreet(q.streetId)))
      throw new DomainError('UNKNOWN_STREET', `no street ${q.streetId} in this district`);
    if (!administersScope(caller, { streetId: q.streetId })) throw forbiddenAudit();
    return identity.listAudit({ of: 'street', id: q.streetId }, limit, cursor);
  }
  if (!caller.roles.has('city_admin') && !caller.roles.has('district_admin')) throw forbiddenAudit();
  return identity.listAudit({ of: 'district' }, limit, cursor);
}

const forbiddenAudit = () => new DomainError('FORBIDDEN', 'only admins of that scope read its role audit');

// ---------- grants by hand ----------

export interface GrantInput {
  readonly role: GrantableRole;
  readonly streetId?: string;
  readonly communityId?: string;
  readonly reason: string;
}

/** The change a grant asks for, with its place resolved in this district (422 for a place that is not here). */
function resolveGrant(input: GrantInput, found: { community?: Community; street?: Street }): RoleChange {
  const field = (f: string, message: string) =>
    new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors: [{ field: `body.${f}`, message }] });
  switch (input.role) {
    case 'community_admin': {
      if (!input.communityId) throw field('communityId', 'a community admin needs the communityId they administer');
      if (input.streetId) throw field('streetId', "a community admin's street is their community's: leave it out");
      const c = found.community;
      if (!c) throw new DomainError('UNKNOWN_COMMUNITY', `no community ${input.communityId} in this district`);
      return { action: 'grant', role: 'community_admin', communityId: c.communityId, streetId: c.streetId };
    }
    case 'street_admin': {
      if (!input.streetId) throw field('streetId', 'a street admin needs the streetId they administer');
      if (input.communityId) throw field('communityId', 'a street admin administers a street: leave it out');
      if (!found.street) throw new DomainError('UNKNOWN_STREET', `no street ${input.streetId} in this district`);
      return { action: 'grant', role: 'street_admin', streetId: input.streetId };
    }
    case 'district_admin':
      if (input.streetId || input.communityId)
        throw field(input.streetId ? 'streetId' : 'communityId', 'a district admin administers this whole district');
      return { action: 'grant', role: 'district_admin' };
  }
}

const unavailable = (err: unknown) =>
  Object.assign(new DomainError('UNAVAILABLE', 'the user pool does not answer: retry'), { cause: err });

/** The user as the pool knows them (for MFA); undefined when the pool has no such user. */
async function poolUser(pool: Pool, sub: string) {
  try {
    return await pool.getUser(sub);
  } catch (err) {
    throw unavailable(err);
  }
}

/**
 * Reads, decides and writes (record + audit entry, one transaction) until the write wins: a change
 * that lost to a simultaneous one on the same record is decided again on what won.
 */
async function changeWithRetry(run: () => Promise<UserRoles>, attempts = 6): Promise<UserRoles> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'CONCURRENT_UPDATE') || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 15 * 2 ** i));
    }
  }
}

function auditEntry(e: Omit<RoleAuditEntry, 'auditId' | 'at'> & { at?: string; auditId?: string }): RoleAuditEntry {
  return { ...e, auditId: e.auditId ?? newId('ra'), at: e.at ?? nowIso() };
}

/**
 * An admin grants `input.role` to `sub`: an admin role strictly below their own, inside their
 * scope, never to themselves; the user must be of this district and have MFA set up.
 */
export async function grant(
  caller: Caller,
  sub: string,
  input: GrantInput,
  pool: Pool = userPool(),
): Promise<RolesView> {
  // The user's record and the place the grant names, in one round trip.
  const found = await identity.rolesAndPlace(sub, {
    ...(input.role === 'community_admin' && input.communityId ? { communityId: input.communityId } : {}),
    ...(input.role === 'street_admin' && input.streetId ? { streetId: input.streetId } : {}),
  });
  const change = resolveGrant(input, found);
  const scope = scopeOfChange(env().districtId, change);
  const refusal = grantRefusal(caller, sub, input.role, scope);
  if (refusal) throw refusal;
  const first = found.roles;
  if (!first) throw new DomainError('UNKNOWN_USER', `no user ${sub} signed up in this district`);
  const user = await poolUser(pool, sub);
  if (!user) throw new DomainError('UNKNOWN_USER', `no user ${sub} in the user pool`);
  if (!user.mfaEnabled)
    throw new DomainError(
      'MFA_REQUIRED',
      'the user must set up an authenticator app (TOTP) before holding an admin role: their tokens would not carry it',
    );
  let attempt = 0;
  const after = await changeWithRetry(async () => {
    // The first try writes on the record read above; a retry reads what won.
    const r = attempt++ === 0 ? first : ((await identity.getUserRoles(sub, true)) ?? first);
    const next = applyChange(r, change, nowIso());
    // Under an Idempotency-Key the transaction also stores this answer with the key.
    await committing(view(next), () =>
      identity.writeRoles(
        [{ after: next, readVersion: r.version }],
        [
          auditEntry({
            actor: caller.sub,
            target: sub,
            action: 'grant',
            role: input.role,
            scope,
            reason: input.reason,
            source: 'admin',
          }),
        ],
      ),
    );
    return next;
  });
  return view(after);
}

/** An admin takes `role` from `sub`, under the same rules as granting it with the scope the user holds it in. */
export async function revoke(caller: Caller, sub: string, role: GrantableRole, reason: string): Promise<RolesView> {
  const after = await changeWithRetry(async () => {
    const r = await identity.getUserRoles(sub, true);
    if (!r) throw new DomainError('UNKNOWN_USER', `no user ${sub} signed up in this district`);
    const scope = scopeOf(r, role);
    const refusal = grantRefusal(caller, sub, role, scope);
    if (refusal) throw refusal;
    const next = applyChange(r, { action: 'revoke', role }, nowIso());
    await identity.writeRoles(
      [{ after: next, readVersion: r.version }],
      [auditEntry({ actor: caller.sub, target: sub, action: 'revoke', role, scope, reason, source: 'admin' })],
    );
    return next;
  });
  return view(after);
}

// ---------- grants that follow the work ----------

export interface WorkGrant {
  /** The record to write, and the version read (0: none yet). */
  readonly after: UserRoles;
  readonly readVersion: number;
  readonly audit: RoleAuditEntry;
}

/**
 * The record change and audit entry of a grant that follows the work (a check-in approved, a team's
 * leader named or replaced), for the caller's service to write in the same transaction as the work.
 * A member without a record yet (made before sign-up existed) gets one.
 */
export async function workGrant(
  sub: string,
  change: RoleChange,
  who: { actor: string; reason: string; source: AuditSource; at: string },
  /** The user's roles record when the caller read it already (with other items, strongly consistent). */
  known?: { readonly record: UserRoles | undefined },
): Promise<WorkGrant> {
  const read = known ? known.record : await identity.getUserRoles(sub, true);
  const r = read ?? emptyRecord(sub, env().districtId, who.at);
  const after = applyChange(r, change, who.at);
  const scope = change.action === 'revoke' ? scopeOf(r, change.role) : scopeOfChange(r.district, change);
  return {
    after,
    readVersion: r.version,
    audit: auditEntry({
      actor: who.actor,
      target: sub,
      action: change.action,
      role: change.role,
      scope,
      reason: who.reason,
      source: who.source,
      at: who.at,
    }),
  };
}

// ---------- sign-up ----------

/**
 * A user confirmed their sign-up choosing this district (ResidentSignedUp, from the city's
 * post-confirmation trigger): their record starts with `resident`, and the audit says so. The
 * same event again changes nothing.
 */
export async function residentSignedUp(e: { sub: string; district: string; at: string }): Promise<{
  outcome: 'granted' | 'already' | 'other-district';
}> {
  if (e.district !== env().districtId) return { outcome: 'other-district' };
  for (let i = 1; ; i++) {
    const r = await identity.getUserRoles(e.sub, true);
    if (r?.roles.includes('resident')) return { outcome: 'already' };
    const base = r ?? emptyRecord(e.sub, e.district, e.at);
    const after = applyChange(base, { action: 'grant', role: 'resident' }, nowIso());
    try {
      await identity.writeRoles(
        [{ after, readVersion: base.version }],
        [
          auditEntry({
            actor: 'sign-up',
            target: e.sub,
            action: 'grant',
            role: 'resident',
            scope: { district: e.district },
            reason: 'signed up choosing this district',
            source: 'sign-up',
            at: e.at,
            auditId: `ra_signup_${e.sub}`.slice(0, 64),
          }),
        ],
      );
      return { outcome: 'granted' };
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'CONCURRENT_UPDATE') || i >= 6) throw err;
    }
  }
}

// ---------- the projection onto the pool (the identity function, from the table's stream) ----------

export type SyncOutcome =
  | { readonly outcome: 'synced'; readonly added: string[]; readonly removed: string[]; readonly attributes: number }
  | { readonly outcome: 'no-such-user' | 'other-district' };

/**
 * Makes the user's groups and scope attributes on the pool equal to `record` (the district's
 * roles; the city_admin group, which no district holds, is left as it is). Idempotent: run twice, or
 * on a record a later one already applied, it ends in the same state, which is why the stream's
 * retries can never grant twice nor leave a stale role.
 */
export async function syncToPool(record: UserRoles, pool: Pool = userPool()): Promise<SyncOutcome> {
  const user = await pool.getUser(record.sub);
  if (!user) return { outcome: 'no-such-user' };
  const theirs = user.attributes['custom:district'];
  if (theirs && theirs !== record.district) return { outcome: 'other-district' };
  const want = projection(record);
  const current = new Set(await pool.listGroups(record.sub));
  const added: string[] = [];
  const removed: string[] = [];
  for (const role of DISTRICT_ROLES) {
    const wanted = want.groups.includes(role as DistrictRole);
    if (wanted && !current.has(role)) {
      await pool.addToGroup(record.sub, role);
      added.push(role);
    } else if (!wanted && current.has(role)) {
      await pool.removeFromGroup(record.sub, role);
      removed.push(role);
    }
  }
  const update = Object.fromEntries(
    Object.entries(want.attributes).filter(([k, v]) => user.attributes[k] !== v),
  ) as Record<string, string>;
  const stale = SCOPE_ATTRIBUTE_NAMES.filter(
    (n) => want.attributes[n] === undefined && user.attributes[n] !== undefined,
  );
  await pool.updateAttributes(record.sub, update);
  await pool.deleteAttributes(record.sub, stale);
  return { outcome: 'synced', added, removed, attributes: Object.keys(update).length + stale.length };
}

import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import type { RoleScope, UserRoles } from '../domain/identity.ts';
import type { Community, Street } from '../domain/types.ts';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import {
  auditKeys,
  communityAuditQuery,
  districtAuditQuery,
  streetAuditQuery,
  userAuditQuery,
  communityKey,
  streetKey,
  userRolesKey,
} from './keys.ts';
import { fromItem, getEach, getItem, queryPage, transact, type Item } from './table.ts';

/**
 * A user's roles in the district and the role audit.
 *   roles   pk USER#<sub>          sk ROLES                     (the record; every write carries `version = :read`)
 *   audit   pk ROLE_AUDIT#<sub>    sk <at>#<auditId>            (append-only: Put under attribute_not_exists, never
 *           gsi1 ROLE_AUDIT / <at>#<auditId>                     updated or deleted; IAM denies both on the
 *           gsi2 ROLE_AUDIT#STREET#<streetId> / ...              ROLE_AUDIT# partitions)
 *           gsi3 ROLE_AUDIT#COMMUNITY#<communityId> / ...
 * Every change of a record is written in one transaction with its audit entry and, for grants that
 * follow the work, with the business change itself (check-in approval, team leader). The record's
 * writes are what the table's stream carries to the identity function, which makes Cognito equal
 * to the record (shared/services/identity.ts).
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export type AuditAction = 'grant' | 'revoke';
export type AuditSource = 'sign-up' | 'check-in' | 'team' | 'admin';

export interface RoleAuditEntry {
  readonly auditId: string;
  readonly at: string;
  /** Who: the admin's sub, or the system flow (`sign-up`). */
  readonly actor: string;
  /** To whom: the user's sub. */
  readonly target: string;
  readonly action: AuditAction;
  readonly role: string;
  readonly scope: RoleScope;
  /** Why: the admin's reason, or what the work was (check-in ci_..., team team_...). */
  readonly reason: string;
  readonly source: AuditSource;
}

/** A roles record read with other items (getEach): its domain shape. */
export function rolesOf(i: Item | undefined): UserRoles | undefined {
  return i && fromItem<UserRoles>(i);
}

/**
 * A user's roles record and the place a grant names (a community or a street), strongly
 * consistent, in one round trip.
 */
export async function rolesAndPlace(
  sub: string,
  place: { communityId?: string; streetId?: string },
): Promise<{ roles: UserRoles | undefined; community?: Community; street?: Street }> {
  const [r, c, s] = await getEach(
    [
      userRolesKey(sub),
      place.communityId ? communityKey(place.communityId) : undefined,
      place.streetId ? streetKey(place.streetId) : undefined,
    ],
    true,
  );
  return {
    roles: rolesOf(r),
    ...(c ? { community: fromItem<Community>(c) } : {}),
    ...(s ? { street: fromItem<Street>(s) } : {}),
  };
}

export async function getUserRoles(sub: string, consistent = false): Promise<UserRoles | undefined> {
  const k = userRolesKey(sub);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && fromItem<UserRoles>(i);
}

/** The record's write, for a transaction: new (`version` 1, none before) or replacing the version read. */
export function rolesPut(after: UserRoles, readVersion: number): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...userRolesKey(after.sub), type: 'user-roles', ...after },
      ConditionExpression: readVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
      ...(readVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': readVersion } }),
    },
  };
}

/** An audit entry's write, for a transaction: only ever new. */
export function auditPut(e: RoleAuditEntry): TransactItem {
  const scope = Object.fromEntries(Object.entries(e.scope).filter(([, v]) => v !== undefined));
  return {
    Put: {
      TableName: tableName(),
      Item: { ...auditKeys(e), type: 'role-audit', ...e, scope },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

const changed = () => new DomainError('CONCURRENT_UPDATE', "the user's roles changed meanwhile: read them again");

/** Writes records and their audit entries in one transaction (a lost race on a record is a 409 CONCURRENT_UPDATE). */
export async function writeRoles(
  changes: readonly { readonly after: UserRoles; readonly readVersion: number }[],
  audit: readonly RoleAuditEntry[],
): Promise<void> {
  await transact([...changes.map((c) => rolesPut(c.after, c.readVersion)), ...audit.map(auditPut)], changed);
}

export type AuditList =
  | { readonly of: 'district' }
  | { readonly of: 'street'; readonly id: string }
  | { readonly of: 'community'; readonly id: string }
  | { readonly of: 'user'; readonly id: string };

export async function listAudit(
  list: AuditList,
  limit: number,
  cursor: string | undefined,
): Promise<Page<RoleAuditEntry>> {
  const q =
    list.of === 'district'
      ? districtAuditQuery()
      : list.of === 'street'
        ? streetAuditQuery(list.id)
        : list.of === 'community'
          ? communityAuditQuery(list.id)
          : userAuditQuery(list.id);
  const p = await queryPage({ ...q, limit, cursor, newestFirst: true });
  return { items: p.items.map((i: Item) => fromItem<RoleAuditEntry>(i)), nextCursor: p.nextCursor };
}

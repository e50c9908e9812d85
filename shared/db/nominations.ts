import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import type { Notice } from '../domain/notices.ts';
import type { Nomination, NominationAudit, NominationStatus, Objection, ReserveCadre } from '../domain/nominations.ts';
import type { ExemplaryAward } from '../domain/member-record.ts';
import type { TeamMember } from '../domain/team.ts';
import type { MemberProfile } from '../domain/types.ts';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import {
  cadreKey,
  cadreKeys,
  cadresQuery,
  evaluationsQuery,
  ledgerTotalKey,
  memberHoursKey,
  memberKey,
  noShowCountKey,
  nominationAuditKey,
  nominationKey,
  nominationKeys,
  nominationsQuery,
  objectionKey,
  teamMemberKey,
} from './keys.ts';
import { memberAwardPut } from './member-record.ts';
import { outboxPut } from './notifications.ts';
import { fromItem, getEach, getItem, queryAll, queryPage, transact, type Item } from './table.ts';

/**
 * Nominations and the reserve-cadre pool:
 *   nomination   pk NOMINATION#<id>   sk NOMINATION                 gsi1 NOMINATIONS#<status>
 *   audit        pk NOMINATION#<id>   sk AUDIT#<at>#<auditId>        (append-only: auditEntryPut only)
 *   objection    pk NOMINATION#<id>   sk OBJECTION#<at>#<objectionId>
 *   pool entry   pk MEMBER#<memberId> sk CADRE                       gsi1 CADRES#<streetId>, gsi2 CADRES
 * Every step is one transaction: the change, its audit entry (and an objection's notice, an
 * approval's award), the nomination's status as its condition.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The one writer of audit entries: a Put that never replaces one (nothing here changes or removes one). */
export function auditEntryPut(a: NominationAudit): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...nominationAuditKey(a.nominationId, a.at, a.auditId), type: 'nomination-audit', ...a },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export interface EvidenceSources {
  readonly profile?: MemberProfile;
  readonly hours: number;
  readonly points: number;
  readonly star: number;
  readonly yearPoints: number;
  readonly noShows: number;
  /** The nominator's team's membership of the nominee (a team leader's scope). */
  readonly teamMember?: TeamMember;
  readonly evaluations: { rating: string }[];
}

/** What a nomination's evidence is made of: one BatchGetItem and one Query, at once. */
export async function evidenceSources(
  memberId: string,
  year: string,
  teamId: string | undefined,
): Promise<EvidenceSources> {
  const [items, parts] = await Promise.all([
    getEach(
      [
        memberKey(memberId),
        memberHoursKey(memberId),
        ledgerTotalKey(memberId, 'ALL'),
        ledgerTotalKey(memberId, year),
        noShowCountKey(memberId, year),
        teamId ? teamMemberKey(teamId, memberId) : undefined,
      ],
      true,
    ),
    queryAll(evaluationsQuery(memberId)),
  ]);
  const [p, h, all, y, ns, tm] = items;
  return {
    ...(p ? { profile: fromItem<MemberProfile>(p) } : {}),
    hours: num(h?.confirmedHours),
    points: num(all?.points),
    star: num(all?.star),
    yearPoints: num(y?.points),
    noShows: num(ns?.count),
    ...(tm ? { teamMember: fromItem<TeamMember>(tm) } : {}),
    evaluations: parts.map((i) => ({ rating: String(i.rating) })),
  };
}

export async function createNomination(n: Nomination, audit: NominationAudit): Promise<void> {
  await transact(
    [
      {
        Put: {
          TableName: tableName(),
          Item: { ...nominationKeys(n), type: 'nomination', ...n },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditEntryPut(audit),
    ],
    () => new DomainError('CONCURRENT_UPDATE', 'a nomination with this id exists'),
  );
}

export async function getNomination(nominationId: string, consistent = true): Promise<Nomination | undefined> {
  const k = nominationKey(nominationId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && fromItem<Nomination>(i);
}

/** A nomination with its audit trail and objections, oldest first: one Query of its partition. */
export async function nominationFile(
  nominationId: string,
): Promise<{ nomination?: Nomination; audit: NominationAudit[]; objections: Objection[] }> {
  const items = await queryAll({ partition: nominationKey(nominationId).pk, consistent: true });
  const n = items.find((i) => i.sk === nominationKey(nominationId).sk);
  return {
    ...(n ? { nomination: fromItem<Nomination>(n) } : {}),
    audit: items.filter((i) => i.type === 'nomination-audit').map((i) => fromItem<NominationAudit>(i)),
    objections: items.filter((i) => i.type === 'nomination-objection').map((i) => fromItem<Objection>(i)),
  };
}

export async function listNominations(
  status: NominationStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Nomination>> {
  const p = await queryPage({ ...nominationsQuery(status), limit, cursor });
  return { items: p.items.map((i) => fromItem<Nomination>(i)), nextCursor: p.nextCursor };
}

/** Every nomination on notice (a handful at a time): the public notice page. */
export async function onNotice(): Promise<Nomination[]> {
  return (await queryAll({ ...nominationsQuery('on-notice') })).map((i) => fromItem<Nomination>(i));
}

/**
 * A status change: the nomination moves from `from` to `to` (its list too) with `set`, under the
 * condition that it is still `from` (and, when given, that its notice's last day is before `today`);
 * its audit entry and `also` (an award) in the same transaction. False when the condition failed.
 */
async function move(
  n: Nomination,
  to: NominationStatus,
  set: Partial<Nomination>,
  audit: NominationAudit,
  also: TransactItem[],
  noticeOverBefore?: string,
): Promise<boolean> {
  const next = { ...n, ...set, status: to };
  const keys = nominationKeys(next) as Record<string, string>;
  const fields: Record<string, unknown> = { ...set, status: to, gsi1pk: keys.gsi1pk, gsi1sk: keys.gsi1sk };
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':from': n.status };
  const sets = Object.entries(fields).map(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:f${i}`] = v;
    return `#f${i} = :f${i}`;
  });
  let condition = '#status = :from';
  if (noticeOverBefore !== undefined) {
    names['#until'] = 'noticeUntil';
    values[':today'] = noticeOverBefore;
    condition += ' AND #until < :today';
  }
  try {
    await transact(
      [
        {
          Update: {
            TableName: tableName(),
            Key: nominationKey(n.nominationId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        auditEntryPut(audit),
        ...also,
      ],
      () => MOVED,
    );
    return true;
  } catch (err) {
    if (err === MOVED) return false;
    throw err;
  }
}
const MOVED = new Error('moved');

export const openNotice = (n: Nomination, set: Partial<Nomination>, audit: NominationAudit) =>
  move(n, 'on-notice', set, audit, []);

export const decide = (
  n: Nomination,
  approve: boolean,
  set: Partial<Nomination>,
  audit: NominationAudit,
  award: ExemplaryAward | undefined,
  today: string,
) => move(n, approve ? 'approved' : 'rejected', set, audit, award ? [memberAwardPut(n.memberId, award)] : [], today);

/**
 * An objection: the objection, its audit entry and the reviewer's notice, while the nomination is
 * on notice and its last day is not before `today` (false otherwise).
 */
export async function object(o: Objection, audit: NominationAudit, notice: Notice, today: string): Promise<boolean> {
  try {
    await transact(
      [
        {
          Update: {
            TableName: tableName(),
            Key: nominationKey(o.nominationId),
            UpdateExpression: 'ADD objections :one',
            ConditionExpression: '#status = :on AND noticeUntil >= :today',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':one': 1, ':on': 'on-notice', ':today': today },
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: { ...objectionKey(o.nominationId, o.at, o.objectionId), type: 'nomination-objection', ...o },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        auditEntryPut(audit),
        outboxPut(notice),
      ],
      () => MOVED,
    );
    return true;
  } catch (err) {
    if (err === MOVED) return false;
    throw err;
  }
}

// ---------- the reserve-cadre pool ----------

/** Admission: the pool entry (once per member) and the nomination's audit entry. */
export async function admit(c: ReserveCadre, audit: NominationAudit): Promise<void> {
  await transact(
    [
      {
        Put: {
          TableName: tableName(),
          Item: { ...cadreKeys(c), type: 'reserve-cadre', ...c },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditEntryPut(audit),
    ],
    () => new DomainError('ALREADY_IN_POOL', 'the member is in the reserve-cadre pool already'),
  );
}

export async function getCadre(memberId: string): Promise<ReserveCadre | undefined> {
  const k = cadreKey(memberId);
  const i = await getItem(k.pk, k.sk, true);
  return i && fromItem<ReserveCadre>(i);
}

/** Exit with its reason, while the entry is active; the nomination's audit entry with it. */
export async function exit(
  c: ReserveCadre,
  set: Pick<ReserveCadre, 'exitedAt' | 'exitedBy' | 'exitReason'>,
  audit: NominationAudit,
): Promise<void> {
  await transact(
    [
      {
        Update: {
          TableName: tableName(),
          Key: cadreKey(c.memberId),
          UpdateExpression: 'SET #status = :exited, exitedAt = :at, exitedBy = :by, exitReason = :reason',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':exited': 'exited',
            ':active': 'active',
            ':at': set.exitedAt,
            ':by': set.exitedBy,
            ':reason': set.exitReason,
          },
        },
      },
      auditEntryPut(audit),
    ],
    () => new DomainError('NOT_IN_POOL', 'the member left the pool meanwhile'),
  );
}

/** A street's pool (optionally one community's) or the district's, by place. */
export async function listCadres(
  streetId: string | undefined,
  communityId: string | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<ReserveCadre>> {
  const p = await queryPage({ ...cadresQuery(streetId, communityId), limit, cursor });
  return { items: p.items.map((i: Item) => fromItem<ReserveCadre>(i)), nextCursor: p.nextCursor };
}

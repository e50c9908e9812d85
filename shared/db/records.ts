import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import type { Team } from '../domain/team.ts';
import type { MemberProfile } from '../domain/types.ts';
import {
  MAX_HISTORY,
  type Correction,
  type CorrectionStatus,
  type RecordChange,
  type ServiceRecord,
} from '../domain/records.ts';
import { tableName } from './client.ts';
import { counterUpdates, factIndexKeys } from './counters.ts';
import type { Page } from './cursor.ts';
import {
  correctionKey,
  memberKey,
  teamKey,
  correctionKeys,
  correctionQueueQuery,
  correctionsQuery,
  memberHoursKey,
  memberRecordsQuery,
  recordKey,
  recordKeys,
} from './keys.ts';
import { profileOf } from './members.ts';
import { decidePending, fromItem, getEach, getItem, queryPage, transact, type Item } from './table.ts';

/**
 * Service records and each member's confirmed-hours total.
 *   record        pk RECORD#<recordId>   sk RECORD
 *                 gsi1 MEMBER#<memberId>#RECORDS / <date>#<recordId>   (a member's records)
 *                 gsi2 RECORDS#<YYYY-MM> / <recordId>                  (records by the month they were recorded in,
 *                                                                     the month whose counters they add to)
 *   member hours  pk MEMBER#<memberId>   sk HOURS   { confirmedHours, records }
 *   correction    pk RECORD#<recordId>   sk CORRECTION#<correctionId>        (a record's corrections, oldest first)
 *                 gsi2 TEAM#<teamId>#CORRECTIONS#<status> (or COMMUNITY#<cid>#… without a team) / <requestedAt>#<correctionId>
 *                                                                     (a team's corrections by status, for a
 *                                                                     leader's or admin's to-do list)
 *                 gsi3 FACTS#<YYYY-MM>#correction / <decidedAt>#<correctionId>  (set on acceptance, with
 *                                                                     hoursDelta: what a month's volunteerHours
 *                                                                     counters moved by, in the month accepted)
 * A record's id is derived from its source (activity and member: shared/domain/records.ts
 * recordIdFor), so writing it twice is a conditional-put that fails instead of a duplicate.
 * (Keys: shared/db/keys.ts.)
 * At most one correction of a record is pending: the record carries `pendingCorrectionId` while
 * one is, and asking for another is a conditional update of the record that fails (409).
 * Accepting one is one transaction: the correction leaves `pending`, the record's hours change
 * (if nobody changed them since they were read) with a history entry, the member's hours and
 * this month's volunteerHours counters move by the difference.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function recordItem(r: ServiceRecord): Item {
  return { ...recordKeys(r), type: 'service-record', ...r };
}

/** A Put of a new record for a transaction (fails if it exists: no double records). */
export function putRecord(r: ServiceRecord): TransactItem {
  return { Put: { TableName: tableName(), Item: recordItem(r), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** ADD to a member's confirmed hours (and record count) in the same transaction as the records. */
export function addMemberHours(memberId: string, hours: number, records: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: memberHoursKey(memberId),
      UpdateExpression: 'SET #type = :type, memberId = :m ADD confirmedHours :h, #records :n',
      ExpressionAttributeNames: { '#type': 'type', '#records': 'records' },
      ExpressionAttributeValues: { ':type': 'member-hours', ':m': memberId, ':h': hours, ':n': records },
    },
  };
}

// ---------- reads ----------

const strip = <T>(i: Item) => fromItem<T>(i, 'hoursDelta');

/**
 * A record, one of its corrections and a team (the caller's, who may lead the record's team),
 * strongly consistent, in one round trip: what deciding a correction needs to know.
 */
export async function correctionContext(
  recordId: string,
  correctionId: string,
  teamId: string | undefined,
): Promise<{ record?: ServiceRecord; correction?: Correction; team?: Team }> {
  const [r, c, t] = await getEach(
    [recordKey(recordId), correctionKey(recordId, correctionId), teamId ? teamKey(teamId) : undefined],
    true,
  );
  return {
    ...(r ? { record: strip<ServiceRecord>(r) } : {}),
    ...(c ? { correction: strip<Correction>(c) } : {}),
    ...(t ? { team: strip<Team>(t) } : {}),
  };
}

/** A member's confirmed hours and profile (strongly consistent), in one round trip. */
export async function hoursAndProfile(
  memberId: string,
): Promise<{ hours: MemberHours; profile: MemberProfile | undefined }> {
  const [h, p] = await getEach([memberHoursKey(memberId), memberKey(memberId)], true);
  return {
    hours: { confirmedHours: Number(h?.confirmedHours ?? 0), records: Number(h?.records ?? 0) },
    profile: p && profileOf(p),
  };
}

export async function getRecord(recordId: string, consistent = false): Promise<ServiceRecord | undefined> {
  const k = recordKey(recordId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && strip<ServiceRecord>(i);
}

/** A member's records, newest first (by service date). */
export async function listMemberRecords(
  memberId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<ServiceRecord>> {
  const p = await queryPage({ ...memberRecordsQuery(memberId), limit, cursor, newestFirst: true });
  return { items: p.items.map((i) => strip<ServiceRecord>(i)), nextCursor: p.nextCursor };
}

export interface MemberHours {
  readonly confirmedHours: number;
  readonly records: number;
}

/** The member's confirmed-hours total (zero when they have no records yet). */
export async function getMemberHours(memberId: string, consistent = false): Promise<MemberHours> {
  const k = memberHoursKey(memberId);
  const i = await getItem(k.pk, k.sk, consistent);
  return { confirmedHours: Number(i?.confirmedHours ?? 0), records: Number(i?.records ?? 0) };
}

// ---------- corrections ----------

// Who decides a correction sees it in their queue: the record's team, or its community when no team organised it.
function correctionItem(c: Correction): Item {
  return { ...correctionKeys(c), type: 'record-correction', ...c };
}

/** A decider's queue: a team's corrections (or a community's, for records no team organised) in one status, oldest first. */
export async function listCorrectionQueue(
  owner: { teamId: string } | { communityId: string },
  status: CorrectionStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Correction>> {
  const q = correctionQueueQuery(
    'teamId' in owner ? { teamId: owner.teamId, communityId: '' } : { communityId: owner.communityId },
    status,
  );
  const page = await queryPage({ ...q, limit, cursor });
  return { items: page.items.map((i) => strip<Correction>(i)), nextCursor: page.nextCursor };
}

export async function getCorrection(
  recordId: string,
  correctionId: string,
  consistent = false,
): Promise<Correction | undefined> {
  const k = correctionKey(recordId, correctionId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && strip<Correction>(i);
}

/** A record's corrections, oldest first (a record has at most MAX_HISTORY / 2 of them). */
export async function listCorrections(recordId: string): Promise<Correction[]> {
  const out: Correction[] = [];
  let cursor: string | undefined;
  do {
    const p = await queryPage({ ...correctionsQuery(recordId), limit: 100, cursor, consistent: true });
    out.push(...p.items.map((i) => strip<Correction>(i)));
    cursor = p.nextCursor;
  } while (cursor);
  return out;
}

const alreadyPending = () =>
  new DomainError(
    'CORRECTION_ALREADY_PENDING',
    'a correction of this record is already pending; wait for its decision',
  );
const notPending = () => new DomainError('CORRECTION_NOT_PENDING', 'the correction was decided meanwhile');
const recordChanged = () =>
  new DomainError('CONCURRENT_UPDATE', 'the record changed meanwhile: read it again and retry');

/**
 * Creates a pending correction and appends `entry` to the record's history, in one transaction.
 * The record must still belong to the member, have no pending correction, and have room in its history.
 */
export async function requestCorrection(c: Correction, entry: RecordChange): Promise<void> {
  await transact(
    [
      { Put: { TableName: tableName(), Item: correctionItem(c), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Update: {
          TableName: tableName(),
          Key: recordKey(c.recordId),
          UpdateExpression: 'SET pendingCorrectionId = :cid, history = list_append(history, :entry)',
          ConditionExpression:
            'attribute_exists(pk) AND memberId = :member AND attribute_not_exists(pendingCorrectionId) AND size(history) <= :room',
          ExpressionAttributeValues: {
            ':cid': c.correctionId,
            ':entry': [entry],
            ':member': c.memberId,
            ':room': MAX_HISTORY - 2,
          },
        },
      },
    ],
    (failed) => (failed.includes(1) ? alreadyPending() : recordChanged()),
  );
}

/** The correction leaves `pending` for `status`, and its decider's queue of that status. */
const decisionUpdate = (c: Correction, status: CorrectionStatus, fields: Record<string, string | number>) =>
  decidePending(correctionKey(c.recordId, c.correctionId), status, correctionQueueQuery(c, status), fields);

/**
 * Accepts a pending correction: one transaction with conditions (the correction still pending;
 * the record's hours still `record.hours` and this correction its pending one). When the hours
 * change, the member's confirmed hours and the counters move by the difference (the accepted
 * correction is a counted fact of the month of its decision: shared/domain/counters.ts).
 */
export async function acceptCorrection(
  record: ServiceRecord,
  c: Correction,
  d: { decidedAt: string; decidedBy: string; hours: number; entry: RecordChange; districtId: string },
): Promise<void> {
  const delta = d.hours - record.hours;
  const fact = { kind: 'correction', fact: { ...c, decidedAt: d.decidedAt, hoursDelta: delta } } as const;
  const items: Parameters<typeof transact>[0] = [
    decisionUpdate(c, 'accepted', {
      decidedAt: d.decidedAt,
      decidedBy: d.decidedBy,
      hoursAfter: d.hours,
      hoursDelta: delta,
      ...factIndexKeys(fact, d.decidedAt, c.correctionId),
    }),
    {
      Update: {
        TableName: tableName(),
        Key: recordKey(record.recordId),
        UpdateExpression: 'SET hours = :after, history = list_append(history, :entry) REMOVE pendingCorrectionId',
        ConditionExpression: 'hours = :before AND pendingCorrectionId = :cid',
        ExpressionAttributeValues: {
          ':after': d.hours,
          ':before': record.hours,
          ':entry': [d.entry],
          ':cid': c.correctionId,
        },
      },
    },
  ];
  if (delta !== 0) {
    items.push(addMemberHours(record.memberId, delta, 0), ...counterUpdates([fact], d.districtId));
  }
  await transact(items, (failed) => (failed.includes(0) ? notPending() : recordChanged()));
}

/** Rejects a pending correction: the record keeps its hours; the decision goes to its history. */
export async function rejectCorrection(
  record: ServiceRecord,
  c: Correction,
  d: { decidedAt: string; decidedBy: string; reason: string; entry: RecordChange },
): Promise<void> {
  await transact(
    [
      decisionUpdate(c, 'rejected', { decidedAt: d.decidedAt, decidedBy: d.decidedBy, rejectReason: d.reason }),
      {
        Update: {
          TableName: tableName(),
          Key: recordKey(record.recordId),
          UpdateExpression: 'SET history = list_append(history, :entry) REMOVE pendingCorrectionId',
          ConditionExpression: 'pendingCorrectionId = :cid',
          ExpressionAttributeValues: { ':entry': [d.entry], ':cid': c.correctionId },
        },
      },
    ],
    (failed) => (failed.includes(0) ? notPending() : recordChanged()),
  );
}

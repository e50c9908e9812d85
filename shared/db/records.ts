import { createHash } from 'node:crypto';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { MAX_HISTORY, type Correction, type CorrectionStatus, type RecordChange, type ServiceRecord } from '../domain/records.ts';
import { monthOf } from '../domain/time.ts';
import { tableName } from './client.ts';
import { counterUpdate, placeScopes, type ScopeRef } from './counters.ts';
import type { Page } from './cursor.ts';
import { factKeys } from './facts.ts';
import { getItem, queryPage, toItemWithoutKeys, transact, type Item } from './table.ts';

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
 * A record's id is derived from its source (activity and member), so writing it twice is a
 * conditional-put that fails instead of a duplicate.
 * At most one correction of a record is pending: the record carries `pendingCorrectionId` while
 * one is, and asking for another is a conditional update of the record that fails (409).
 * Accepting one is one transaction: the correction leaves `pending`, the record's hours change
 * (if nobody changed them since they were read) with a history entry, the member's hours and
 * this month's volunteerHours counters move by the difference.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `sr_` + 26 base32 characters of sha256(source id + member id). */
export function recordIdFor(sourceId: string, memberId: string): string {
  const h = createHash('sha256').update(`${sourceId}\n${memberId}`).digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += ALPHABET[h[i]! % 32];
  return `sr_${out}`;
}

export const recordKey = (recordId: string) => ({ pk: `RECORD#${recordId}`, sk: 'RECORD' });
export const memberHoursKey = (memberId: string) => ({ pk: `MEMBER#${memberId}`, sk: 'HOURS' });

export function recordItem(r: ServiceRecord): Item {
  return {
    ...recordKey(r.recordId),
    gsi1pk: `MEMBER#${r.memberId}#RECORDS`,
    gsi1sk: `${r.date}#${r.recordId}`,
    gsi2pk: `RECORDS#${monthOf(r.recordedAt)}`,
    gsi2sk: r.recordId,
    type: 'service-record',
    ...r,
  };
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

function strip<T>(i: Item): T {
  const { type, gsi3pk, gsi3sk, hoursDelta, ...rest } = toItemWithoutKeys<Record<string, unknown>>(i);
  void type, gsi3pk, gsi3sk, hoursDelta;
  return rest as T;
}

export async function getRecord(recordId: string, consistent = false): Promise<ServiceRecord | undefined> {
  const i = await getItem(recordKey(recordId).pk, 'RECORD', consistent);
  return i && strip<ServiceRecord>(i);
}

/** A member's records, newest first (by service date). */
export async function listMemberRecords(memberId: string, limit: number, cursor: string | undefined): Promise<Page<ServiceRecord>> {
  const p = await queryPage({ index: 'gsi1', partition: `MEMBER#${memberId}#RECORDS`, limit, cursor, newestFirst: true });
  return { items: p.items.map((i) => strip<ServiceRecord>(i)), nextCursor: p.nextCursor };
}

export interface MemberHours {
  readonly confirmedHours: number;
  readonly records: number;
}

/** The member's confirmed-hours total (zero when they have no records yet). */
export async function getMemberHours(memberId: string, consistent = false): Promise<MemberHours> {
  const i = await getItem(memberHoursKey(memberId).pk, 'HOURS', consistent);
  return { confirmedHours: Number(i?.confirmedHours ?? 0), records: Number(i?.records ?? 0) };
}

// ---------- corrections ----------

export const correctionKey = (recordId: string, correctionId: string) => ({ pk: `RECORD#${recordId}`, sk: `CORRECTION#${correctionId}` });
/** Who decides a correction sees it in their queue: the record's team, or its community when no team organised it. */
const byTeamStatus = (c: Pick<Correction, 'teamId' | 'communityId'>, status: CorrectionStatus) =>
  c.teamId ? `TEAM#${c.teamId}#CORRECTIONS#${status}` : `COMMUNITY#${c.communityId}#CORRECTIONS#${status}`;

function correctionItem(c: Correction): Item {
  return {
    ...correctionKey(c.recordId, c.correctionId),
    gsi2pk: byTeamStatus(c, c.status),
    gsi2sk: `${c.requestedAt}#${c.correctionId}`,
    type: 'record-correction',
    ...c,
  };
}

/** A decider's queue: a team's corrections (or a community's, for records no team organised) in one status, oldest first. */
export async function listCorrectionQueue(
  owner: { teamId: string } | { communityId: string },
  status: CorrectionStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Correction>> {
  const partition = byTeamStatus('teamId' in owner ? { teamId: owner.teamId, communityId: '' } : { communityId: owner.communityId }, status);
  const page = await queryPage({ index: 'gsi2', partition, limit, cursor });
  return { items: page.items.map((i) => strip<Correction>(i)), nextCursor: page.nextCursor };
}

export async function getCorrection(recordId: string, correctionId: string, consistent = false): Promise<Correction | undefined> {
  const k = correctionKey(recordId, correctionId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && strip<Correction>(i);
}

/** A record's corrections, oldest first (a record has at most MAX_HISTORY / 2 of them). */
export async function listCorrections(recordId: string): Promise<Correction[]> {
  const out: Correction[] = [];
  let cursor: string | undefined;
  do {
    const p = await queryPage({ partition: `RECORD#${recordId}`, beginsWith: 'CORRECTION#', limit: 100, cursor, consistent: true });
    out.push(...p.items.map((i) => strip<Correction>(i)));
    cursor = p.nextCursor;
  } while (cursor);
  return out;
}

/** The counters a record's hours count in: the district, the record's street and community, its team. */
export function recordScopes(r: Pick<ServiceRecord, 'streetId' | 'communityId' | 'teamId'>, districtId: string): ScopeRef[] {
  return [
    ...placeScopes({ districtId, streetId: r.streetId, communityId: r.communityId }),
    ...(r.teamId ? [{ scope: 'team' as const, id: r.teamId, parent: { scope: 'district' as const, id: districtId } }] : []),
  ];
}

const alreadyPending = () =>
  new DomainError('CORRECTION_ALREADY_PENDING', 'a correction of this record is already pending; wait for its decision');
const notPending = () => new DomainError('CORRECTION_NOT_PENDING', 'the correction was decided meanwhile');
const recordChanged = () => new DomainError('CONCURRENT_UPDATE', 'the record changed meanwhile: read it again and retry');

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
          ExpressionAttributeValues: { ':cid': c.correctionId, ':entry': [entry], ':member': c.memberId, ':room': MAX_HISTORY - 2 },
        },
      },
    ],
    (failed) => (failed.includes(1) ? alreadyPending() : recordChanged()),
  );
}

function decisionUpdate(c: Correction, status: CorrectionStatus, fields: Record<string, string | number>) {
  const names: Record<string, string> = { '#status': 'status', '#gsi2pk': 'gsi2pk' };
  const values: Record<string, unknown> = { ':pending': 'pending', ':status': status, ':gsi2pk': byTeamStatus(c, status) };
  const sets = ['#status = :status', '#gsi2pk = :gsi2pk'];
  Object.entries(fields).forEach(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:f${i}`] = v;
    sets.push(`#f${i} = :f${i}`);
  });
  return {
    Update: {
      TableName: tableName(),
      Key: correctionKey(c.recordId, c.correctionId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Accepts a pending correction: one transaction with conditions (the correction still pending;
 * the record's hours still `record.hours` and this correction its pending one). When the hours
 * change, the member's confirmed hours and the volunteerHours counters of `month` (district,
 * street, community, team) move by the difference.
 */
export async function acceptCorrection(
  record: ServiceRecord,
  c: Correction,
  d: { decidedAt: string; decidedBy: string; hours: number; entry: RecordChange; districtId: string; month: string },
): Promise<void> {
  const delta = d.hours - record.hours;
  const items: Parameters<typeof transact>[0] = [
    decisionUpdate(c, 'accepted', {
      decidedAt: d.decidedAt,
      decidedBy: d.decidedBy,
      hoursAfter: d.hours,
      hoursDelta: delta,
      ...factKeys('correction', d.month, `${d.decidedAt}#${c.correctionId}`),
    }),
    {
      Update: {
        TableName: tableName(),
        Key: recordKey(record.recordId),
        UpdateExpression: 'SET hours = :after, history = list_append(history, :entry) REMOVE pendingCorrectionId',
        ConditionExpression: 'hours = :before AND pendingCorrectionId = :cid',
        ExpressionAttributeValues: { ':after': d.hours, ':before': record.hours, ':entry': [d.entry], ':cid': c.correctionId },
      },
    },
  ];
  if (delta !== 0) {
    items.push(addMemberHours(record.memberId, delta, 0));
    for (const ref of recordScopes(record, d.districtId)) items.push(counterUpdate(ref, d.month, { volunteerHours: delta }));
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

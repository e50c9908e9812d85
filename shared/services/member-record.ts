import type { Page } from '../db/cursor.ts';
import * as ledger from '../db/ledger.ts';
import { listServiceEntries, readRecordParts } from '../db/member-record.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { maskIdNumber, maskPhone } from '../domain/masking.ts';
import type { MemberRecord } from '../domain/member-record.ts';

export type { MemberRecord };
import { administers, maySeePersonalData, type Caller } from '../domain/policy.ts';
import type { ServiceRecord } from '../domain/records.ts';

/**
 * The five-part record (志愿者档案): personal information, service, training, awards and
 * evaluations, as JSON or a printable page (shared/views/member-record.ts). Served by the
 * nominations function, beside the awards it adds to the record.
 */

export const SERVICE_ENTRIES = 100;

/** My own record: its head (one BatchGetItem) and its two lists (two Queries), all at once. */
export async function myRecord(caller: Caller): Promise<MemberRecord> {
  const [head, records, parts] = await Promise.all([
    ledger.memberHead(caller.memberId),
    listServiceEntries(caller.memberId, SERVICE_ENTRIES),
    readRecordParts(caller.memberId),
  ]);
  if (!head.profile) throw new DomainError('PROFILE_REQUIRED', 'create your member profile first');
  return recordOf(caller, head, records, parts);
}

/** A member's record, for admins of the community they are checked in to (or above); anyone else: 404. */
export async function memberRecord(caller: Caller, memberId: string): Promise<MemberRecord> {
  const head = await ledger.memberHead(memberId);
  const m = head.profile;
  const place = m?.communityId && m.streetId ? { communityId: m.communityId, streetId: m.streetId } : undefined;
  if (!m || !place || !administers(caller, place)) throw notFound('member');
  const [records, parts] = await Promise.all([
    listServiceEntries(memberId, SERVICE_ENTRIES),
    readRecordParts(memberId),
  ]);
  return recordOf(caller, head, records, parts);
}

function recordOf(
  caller: Caller,
  head: Awaited<ReturnType<typeof ledger.memberHead>>,
  records: Page<ServiceRecord>,
  parts: Awaited<ReturnType<typeof readRecordParts>>,
): MemberRecord {
  const profile = head.profile!;
  const memberId = profile.memberId;
  const place =
    profile.communityId && profile.streetId
      ? { communityId: profile.communityId, streetId: profile.streetId }
      : undefined;
  const full = maySeePersonalData(caller, { memberId, place });
  return {
    personal: {
      memberId,
      name: profile.name,
      phone: full ? profile.phone : maskPhone(profile.phone),
      // A record is printed and passed on: the ID number is masked for everyone.
      ...(profile.idNumber ? { idNumber: maskIdNumber(profile.idNumber) } : {}),
      ...(place ?? {}),
      skills: profile.skills,
      star: head.all?.star ?? 0,
      totalHours: head.hours.confirmedHours,
      totalPoints: head.all?.points ?? 0,
    },
    service: {
      entries: records.items,
      totalHours: head.hours.confirmedHours,
      recordCount: head.hours.records,
      latestOnly: records.nextCursor !== undefined,
    },
    training: parts.training,
    awards: parts.awards,
    evaluations: parts.evaluations,
    generatedAt: nowIso(),
  };
}

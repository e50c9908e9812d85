import { districtProfile, env, needAtColdStart, PROFILE_REQUIRED } from '../config/env.ts';
import { notice } from '../domain/notices.ts';
import { nowIso } from '../domain/clock.ts';
import {
  MAX_CERT_RECORDS,
  certificateNumber,
  shortName,
  verificationOf,
  type Certificate,
  type CertificateVerification,
  type CertifiedRecord,
} from '../domain/certificate.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { administers, hasRole, type Caller } from '../domain/policy.ts';
import {
  assertCorrectable,
  decideCorrection,
  type Correction,
  type CorrectionStatus,
  type RecordChange,
  type ServiceRecord,
} from '../domain/records.ts';
import type { Team } from '../domain/team.ts';
import { dayOf } from '../domain/time.ts';
import * as certificates from '../db/certificates.ts';
import * as records from '../db/records.ts';
import * as teams from '../db/teams.ts';
import { getCommunity } from '../db/places.ts';
import type { Page } from '../db/cursor.ts';
import { committing } from '../db/idempotency.ts';

// The district's profile (its name, code, settings): in Lambda, the init fails naming what is missing.
needAtColdStart(...PROFILE_REQUIRED);

/**
 * Use cases of the records context: a member's service records, corrections (asked by the
 * member, decided by the team's leader or an admin of the record's scope) and certificates
 * (issued to the member, verified by anyone holding the number).
 */

// ---------- who may see and decide ----------

function isOwner(caller: Caller, r: ServiceRecord): boolean {
  return caller.memberId === r.memberId && hasRole(caller, 'member', 'team_leader');
}

/** The caller leads the record's team: the role, the team in their token, and the team's leader in the table. */
/** `read`: the caller's team when it was read already (undefined: read it here, if it is the record's). */
async function leadsTeamOf(caller: Caller, r: ServiceRecord, read?: { team?: Team }): Promise<boolean> {
  if (!r.teamId || !caller.roles.has('team_leader') || caller.teamId !== r.teamId) return false;
  const team = read ? read.team : await teams.getTeam(r.teamId);
  return team !== undefined && team.leaderMemberId === caller.memberId;
}

const mayDecide = async (caller: Caller, r: ServiceRecord, read?: { team?: Team }): Promise<boolean> =>
  administers(caller, r) || (await leadsTeamOf(caller, r, read));

/** A record the caller may read; anyone else learns nothing (404). */
async function readable(caller: Caller, recordId: string, consistent = false): Promise<ServiceRecord> {
  const r = await records.getRecord(recordId, consistent);
  if (!r || !(isOwner(caller, r) || (await mayDecide(caller, r)))) throw notFound('service record');
  return r;
}

// ---------- correction queues ----------

/** A team's corrections to decide: its leader, admins of its place, district and city admins. */
export async function listTeamCorrections(
  caller: Caller,
  teamId: string,
  status: CorrectionStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Correction>> {
  const team = await teams.getTeam(teamId);
  if (!team) throw notFound('team');
  const leads = caller.roles.has('team_leader') && caller.teamId === teamId && team.leaderMemberId === caller.memberId;
  const place =
    team.communityId && team.streetId ? { communityId: team.communityId, streetId: team.streetId } : undefined;
  const admin = hasRole(caller, 'district_admin', 'city_admin') || (place !== undefined && administers(caller, place));
  if (!leads && !admin) throw forbidden("only the team's leader or admins of its place can see its corrections");
  return records.listCorrectionQueue({ teamId }, status, limit, cursor);
}

/** A community's corrections of records no team organised: admins of the community and above. */
export async function listCommunityCorrections(
  caller: Caller,
  communityId: string,
  status: CorrectionStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Correction>> {
  const community = await getCommunity(communityId);
  if (!community) throw notFound('community');
  if (!administers(caller, community))
    throw forbidden('only admins of this community (or above) can see its corrections');
  return records.listCorrectionQueue({ communityId }, status, limit, cursor);
}

// ---------- records ----------

export interface MyRecords {
  readonly items: ServiceRecord[];
  readonly nextCursor: string | undefined;
  readonly totalHours: number;
  readonly recordCount: number;
}

export async function listMyRecords(caller: Caller, limit: number, cursor: string | undefined): Promise<MyRecords> {
  const [page, total] = await Promise.all([
    records.listMemberRecords(caller.memberId, limit, cursor),
    records.getMemberHours(caller.memberId),
  ]);
  return { ...page, totalHours: total.confirmedHours, recordCount: total.records };
}

export async function getRecord(
  caller: Caller,
  recordId: string,
): Promise<ServiceRecord & { corrections: Correction[] }> {
  const r = await readable(caller, recordId, true);
  return { ...r, corrections: await records.listCorrections(recordId) };
}

// ---------- corrections ----------

export async function requestCorrection(
  caller: Caller,
  recordId: string,
  input: { requestedHours: number; reason: string },
): Promise<Correction> {
  const r = await readable(caller, recordId, true);
  if (!isOwner(caller, r)) throw forbidden('only the member the record belongs to can ask for its correction');
  assertCorrectable(r, input.requestedHours);
  const at = nowIso();
  const c: Correction = {
    correctionId: newId('cr'),
    recordId,
    memberId: r.memberId,
    teamId: r.teamId,
    communityId: r.communityId,
    streetId: r.streetId,
    status: 'pending',
    hoursBefore: r.hours,
    requestedHours: input.requestedHours,
    reason: input.reason,
    requestedAt: at,
    requestedBy: caller.sub,
  };
  const entry: RecordChange = {
    at,
    by: caller.sub,
    kind: 'correction-requested',
    correctionId: c.correctionId,
    hoursBefore: r.hours,
    requestedHours: input.requestedHours,
    reason: input.reason,
  };
  return committing(c, () => records.requestCorrection(c, entry));
}

/** The record and its correction, for a caller who may decide it (else 404; their own record: 403). */
async function decidable(
  caller: Caller,
  recordId: string,
  correctionId: string,
): Promise<{ r: ServiceRecord; c: Correction }> {
  // The record, the correction and the caller's team (a leader's right), in one round trip.
  const found = await records.correctionContext(recordId, correctionId, caller.teamId);
  const r = found.record;
  const c = found.correction;
  if (!r || !(await mayDecide(caller, r, found))) throw notFound('service record');
  if (!c) throw notFound('correction');
  if (r.memberId === caller.memberId && !administers(caller, r))
    throw forbidden('a leader cannot decide a correction of their own record: an admin of its scope does');
  return { r, c };
}

export async function acceptCorrection(
  caller: Caller,
  recordId: string,
  correctionId: string,
  input: { hours: number },
): Promise<Correction> {
  const { r, c } = await decidable(caller, recordId, correctionId);
  decideCorrection(c.status, 'accept');
  const at = nowIso();
  const entry: RecordChange = {
    at,
    by: caller.sub,
    kind: 'correction-accepted',
    correctionId,
    hoursBefore: r.hours,
    hoursAfter: input.hours,
  };
  await records.acceptCorrection(
    r,
    c,
    { decidedAt: at, decidedBy: caller.sub, hours: input.hours, entry, districtId: env().districtId },
    [correctionDecided(r, c, { decision: 'accepted', hoursAfter: input.hours }, at)],
  );
  return { ...c, status: 'accepted', decidedAt: at, decidedBy: caller.sub, hoursAfter: input.hours };
}

/** A correction's decision, told to the record's member (an outbox entry of the decision's transaction). */
function correctionDecided(
  r: ServiceRecord,
  c: Correction,
  d: { decision: 'accepted'; hoursAfter: number } | { decision: 'rejected'; reason: string },
  at: string,
) {
  return notice(
    'hours-corrected',
    { kind: 'member', id: r.memberId },
    { recordId: r.recordId, correctionId: c.correctionId, activityName: r.activityName, hoursBefore: r.hours, ...d },
    at,
  );
}

export async function rejectCorrection(
  caller: Caller,
  recordId: string,
  correctionId: string,
  input: { reason: string },
): Promise<Correction> {
  const { r, c } = await decidable(caller, recordId, correctionId);
  decideCorrection(c.status, 'reject');
  const at = nowIso();
  const entry: RecordChange = {
    at,
    by: caller.sub,
    kind: 'correction-rejected',
    correctionId,
    hoursBefore: r.hours,
    hoursAfter: r.hours,
    reason: input.reason,
  };
  await records.rejectCorrection(r, c, { decidedAt: at, decidedBy: caller.sub, reason: input.reason, entry }, [
    correctionDecided(r, c, { decision: 'rejected', reason: input.reason }, at),
  ]);
  return { ...c, status: 'rejected', decidedAt: at, decidedBy: caller.sub, rejectReason: input.reason };
}

// ---------- certificates ----------

/** The district, as the issuing unit of its certificates: its profile (shared/config/env.ts). */
function issuingUnit() {
  return districtProfile();
}

/** The latest MAX_CERT_RECORDS records of a member, newest first (a few Queries of their list). */
async function latestRecords(memberId: string): Promise<{ listed: ServiceRecord[]; more: boolean }> {
  const listed: ServiceRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await records.listMemberRecords(memberId, Math.min(250, MAX_CERT_RECORDS + 1 - listed.length), cursor);
    listed.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && listed.length <= MAX_CERT_RECORDS);
  const more = listed.length > MAX_CERT_RECORDS;
  return { listed: listed.slice(0, MAX_CERT_RECORDS), more };
}

/**
 * Issues a free certificate of all the member's confirmed service so far. The total hours and
 * record count come from the member's hours item (all records); the list holds the latest
 * MAX_CERT_RECORDS records.
 */
/** My certificates, newest first (their headers: number, date, hours, unit). */
export async function listMyCertificates(caller: Caller, limit: number, cursor: string | undefined) {
  return certificates.listMemberCertificates(caller.memberId, limit, cursor);
}

export async function issueCertificate(caller: Caller): Promise<Certificate> {
  const [{ hours: total, profile }, { listed, more }] = await Promise.all([
    records.hoursAndProfile(caller.memberId),
    latestRecords(caller.memberId),
  ]);
  if (total.confirmedHours <= 0 || listed.length === 0)
    throw new DomainError('NO_CONFIRMED_SERVICE', 'you have no confirmed service hours to certify yet');
  const unit = issuingUnit();
  const name = profile?.name ?? listed[0]!.memberName;
  const certified: CertifiedRecord[] = listed.map((r) => ({
    recordId: r.recordId,
    activityName: shortName(r.activityName),
    date: r.date,
    hours: r.hours,
  }));
  const recordCount = Math.max(total.records, listed.length);
  for (let attempt = 0; ; attempt++) {
    const issuedAt = nowIso();
    const cert: Certificate = {
      number: certificateNumber(unit.code, issuedAt),
      memberId: caller.memberId,
      name,
      issuedAt,
      issuedOn: dayOf(issuedAt),
      totalHours: total.confirmedHours,
      recordCount,
      records: certified,
      coversLatestOnly: more || recordCount > certified.length,
      issuingUnit: unit,
    };
    try {
      return await committing(cert, () => certificates.putCertificate(cert));
    } catch (err) {
      if (!(err instanceof certificates.NumberTaken) || attempt >= 2) throw err;
    }
  }
}

/** What anyone holding the number may learn; an unknown number is 404. */
export async function verifyCertificate(number: string): Promise<CertificateVerification> {
  const header = await certificates.getCertificateHeader(number);
  if (!header) throw notFound('certificate');
  return verificationOf(header);
}

/**
 * The holder's own certificate, their name in full (the public verification masks it for
 * everyone, since a public URL cannot tell who asks). Another member's number is 404, as if unknown.
 */
export async function verifyMyCertificate(caller: Caller, number: string): Promise<CertificateVerification> {
  const header = await certificates.getCertificateHeader(number);
  if (!header || header.memberId !== caller.memberId) throw notFound('certificate');
  return verificationOf(header, true);
}

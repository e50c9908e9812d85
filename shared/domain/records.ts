import { createHash } from 'node:crypto';
import { DomainError } from './errors.ts';

/**
 * Service records (志愿服务记录), as the Measures for Volunteer Service Records and Certificates
 * ask: activity name, date, place, content, service hours, organising unit, activity leader.
 */
export interface ServiceRecord {
  readonly recordId: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly activityId: string;
  readonly activityName: string;
  /** YYYY-MM-DD in Asia/Shanghai. */
  readonly date: string;
  readonly place: string;
  readonly content: string;
  /** Time actually served, in hours (half-hour steps). */
  readonly hours: number;
  readonly organisingUnit: string;
  readonly activityLeader: string;
  /** The organising team; absent for a member's completed micro-wish (no team organised it). */
  readonly teamId?: string;
  readonly communityId: string;
  readonly streetId: string;
  /** When the record was written (the close), UTC ISO. */
  readonly recordedAt: string;
  /** Recorded more than 10 working days after the activity ended. */
  readonly late: boolean;
  /** `activity` or `wish` (a completed micro-wish, later). */
  readonly source: 'activity' | 'wish';
  readonly history: readonly RecordChange[];
  /** Set while a correction of this record is pending (at most one at a time). */
  readonly pendingCorrectionId?: string;
}

export interface RecordChange {
  readonly at: string;
  readonly by: string;
  readonly kind: 'created' | 'correction-requested' | 'correction-accepted' | 'correction-rejected';
  readonly correctionId?: string;
  readonly hoursBefore?: number;
  readonly hoursAfter?: number;
  readonly reason?: string;
  /** On `correction-requested`: the hours the member asked for. */
  readonly requestedHours?: number;
}

// ---------- ids ----------

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A record's id, derived from its source (activity or wish) and member: `sr_` + 26 base32
 * characters of sha256(source id + member id). Writing the same record twice is then a
 * conditional put that fails instead of a duplicate.
 */
export function recordIdFor(sourceId: string, memberId: string): string {
  const h = createHash('sha256').update(`${sourceId}\n${memberId}`).digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += ALPHABET[h[i]! % 32];
  return `sr_${out}`;
}

// ---------- hours ----------

/** Hours are recorded in half-hour steps, from 0 to 24 for one record. */
export const MAX_RECORD_HOURS = 24;

/** True for 0, 0.5, 1, ... 24 (finite, a multiple of a half hour, in range). */
export function isHalfHourStep(h: number): boolean {
  return Number.isFinite(h) && h >= 0 && h <= MAX_RECORD_HOURS && Number.isInteger(h * 2);
}

// ---------- corrections ----------

/**
 * A member may ask for a correction of their record (更正); the team's leader or an admin of
 * the record's scope accepts it with new hours or rejects it with a reason. Both stay in the
 * record's history. At most one correction of a record is pending at a time.
 *
 *   pending --accept--> accepted
 *   pending --reject--> rejected
 */
export const CORRECTION_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type CorrectionStatus = (typeof CORRECTION_STATUSES)[number];
export type CorrectionAction = 'accept' | 'reject';

/** A record's history holds at most this many entries: a correction adds two. */
export const MAX_HISTORY = 61;

export interface Correction {
  readonly correctionId: string;
  readonly recordId: string;
  readonly memberId: string;
  readonly teamId?: string;
  readonly communityId: string;
  readonly streetId: string;
  readonly status: CorrectionStatus;
  /** The record's hours when the correction was asked for. */
  readonly hoursBefore: number;
  readonly requestedHours: number;
  readonly reason: string;
  readonly requestedAt: string;
  readonly requestedBy: string;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
  /** On accept: the hours the record now has. */
  readonly hoursAfter?: number;
  /** On reject: why. */
  readonly rejectReason?: string;
}

const NEXT: Record<CorrectionAction, CorrectionStatus> = { accept: 'accepted', reject: 'rejected' };

export function decideCorrection(status: CorrectionStatus, action: CorrectionAction): CorrectionStatus {
  if (status !== 'pending')
    throw new DomainError('CORRECTION_NOT_PENDING', `the correction is ${status}; only a pending one can be decided`, {
      state: status,
    });
  return NEXT[action];
}

/** Checks that `record` can take a new correction request for `requestedHours`. */
export function assertCorrectable(
  record: Pick<ServiceRecord, 'hours' | 'history' | 'pendingCorrectionId'>,
  requestedHours: number,
): void {
  if (record.pendingCorrectionId)
    throw new DomainError(
      'CORRECTION_ALREADY_PENDING',
      'a correction of this record is already pending; wait for its decision',
      {
        correctionId: record.pendingCorrectionId,
      },
    );
  if (record.history.length + 2 > MAX_HISTORY)
    throw new DomainError('TOO_MANY_CORRECTIONS', 'this record has had the most corrections allowed; ask an admin');
  if (requestedHours === record.hours)
    throw new DomainError('CORRECTION_NO_CHANGE', `the record already has ${record.hours} hours`);
}

/** Exact sum of half-hour amounts (no floating-point drift). */
export function sumHours(hours: readonly number[]): number {
  return hours.reduce((a, h) => a + Math.round(h * 2), 0) / 2;
}

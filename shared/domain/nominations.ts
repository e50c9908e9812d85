import { workingDaysAfterDay } from './calendar.ts';
import type { AwardLevel, ExemplaryAward } from './member-record.ts';
import type { EvaluationRating } from './points.ts';
import { dayOf } from './time.ts';

/**
 * Exemplary nominations (先进典型) and the reserve-cadre pool (后备干部).
 *
 * A community admin, street admin or team leader nominates a member of their scope with a snapshot
 * of the evidence; a district admin reviews it and opens the public notice (公示): the nominee's
 * name masked, for NOTICE_WORKING_DAYS working days after the day it opens (shared/domain/
 * calendar.ts). During the notice anyone signed in may object; each objection goes to the admin
 * who opened it. Only after the notice's last day does a district admin approve or reject. The
 * nominator, the nominee and the approver are three different people. Every step is an
 * append-only audit entry. An approved title becomes an award in the member's record (an
 * ExemplaryAward), and admits the member to the reserve-cadre pool of their community when a
 * street or district admin says so.
 */

export const NOMINATION_STATUSES = ['under-review', 'on-notice', 'approved', 'rejected'] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];

/** Working days the notice runs after the day it opens (at least 5, the national practice). */
export const NOTICE_WORKING_DAYS = 5;

/** What the nominator's case rests on, read by the platform when the nomination is made. */
export interface NominationEvidence {
  /** YYYY: the year of `yearPoints` and `noShows`. */
  readonly year: string;
  readonly confirmedHours: number;
  readonly points: number;
  readonly yearPoints: number;
  readonly star: number;
  /** The community's evaluations of the member's services. */
  readonly ratings: { readonly count: number } & Readonly<Record<EvaluationRating, number>>;
  /** Unexcused no-shows this year. */
  readonly noShows: number;
  readonly takenAt: string;
}

export type NominatorRole = 'community_admin' | 'street_admin' | 'team_leader';

export interface Nomination {
  readonly nominationId: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly communityId: string;
  readonly streetId: string;
  readonly title: string;
  readonly level: AwardLevel;
  readonly reason: string;
  readonly evidence: NominationEvidence;
  readonly nominatedBy: string;
  readonly nominatorRole: NominatorRole;
  readonly nominatedAt: string;
  readonly status: NominationStatus;
  readonly objections: number;
  /** The district admin who opened the notice (objections go to them). */
  readonly reviewerId?: string;
  readonly noticeFrom?: string;
  readonly noticeUntil?: string;
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  readonly decisionNote?: string;
  readonly awardId?: string;
}

export const AUDIT_ACTIONS = [
  'nominated',
  'notice-opened',
  'objected',
  'approved',
  'rejected',
  'admitted',
  'exited',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One step of a nomination (or of the pool entry it led to): written once, never changed. */
export interface NominationAudit {
  readonly auditId: string;
  readonly nominationId: string;
  readonly at: string;
  readonly action: AuditAction;
  /** Who took the step (a member id: the caller's). */
  readonly actor: string;
  readonly note?: string;
}

export interface Objection {
  readonly objectionId: string;
  readonly nominationId: string;
  readonly at: string;
  /** Who objected: kept for the reviewer, never shown on the notice. */
  readonly by: string;
  readonly text: string;
}

/** The day the notice opened and its last day: NOTICE_WORKING_DAYS working days after the opening day. */
export function noticeWindow(openedAt: string): { noticeFrom: string; noticeUntil: string } {
  const noticeFrom = dayOf(openedAt);
  return { noticeFrom, noticeUntil: workingDaysAfterDay(noticeFrom, NOTICE_WORKING_DAYS) };
}

export const noticeRunning = (n: Pick<Nomination, 'status' | 'noticeUntil'>, nowIso: string): boolean =>
  n.status === 'on-notice' && n.noticeUntil !== undefined && dayOf(nowIso) <= n.noticeUntil;

export const noticeEnded = (n: Pick<Nomination, 'status' | 'noticeUntil'>, nowIso: string): boolean =>
  n.status === 'on-notice' && n.noticeUntil !== undefined && dayOf(nowIso) > n.noticeUntil;

/** The people a step must not be: the nominee and the nominator (by member id or token subject). */
export function samePerson(n: Pick<Nomination, 'memberId' | 'nominatedBy'>, who: readonly string[]): boolean {
  return who.some((w) => w === n.memberId || w === n.nominatedBy);
}

/** The award an approved nomination becomes in the member's record. */
export function exemplaryAward(n: Nomination, decidedBy: string, at: string, issuer: string): ExemplaryAward {
  return {
    awardId: `aw_${n.nominationId.replace(/^nm_/, '')}`,
    kind: 'exemplary',
    title: n.title,
    level: n.level,
    issuer,
    nominationId: n.nominationId,
    awardedOn: dayOf(at),
    awardedBy: decidedBy,
  };
}

// ---------- the reserve-cadre pool (后备干部) ----------

export const CADRE_STATUSES = ['active', 'exited'] as const;
export type CadreStatus = (typeof CADRE_STATUSES)[number];

export interface ReserveCadre {
  readonly memberId: string;
  readonly memberName: string;
  readonly communityId: string;
  readonly streetId: string;
  /** The approved nomination the member was admitted from. */
  readonly nominationId: string;
  readonly title: string;
  /** Why the member is in the pool (培养依据). */
  readonly basis: string;
  readonly admittedAt: string;
  readonly admittedBy: string;
  /** The next yearly review (YYYY-MM-DD): a year after admission. */
  readonly reviewDueOn: string;
  readonly status: CadreStatus;
  readonly exitedAt?: string;
  readonly exitedBy?: string;
  readonly exitReason?: string;
}

/** The yearly review date: the same day a year later (29 February: 28 February). */
export function yearlyReviewDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y + 1, m - 1, d));
  if (next.getUTCMonth() !== m - 1) next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
}

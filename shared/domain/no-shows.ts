import type { ActivityClose, Signup } from './activity.ts';
import { DomainError } from './errors.ts';
import { monthOf } from './time.ts';

/**
 * No-shows: a member with a confirmed place in an activity who never checked in by its close.
 * The ledger consumer finds them when the close lands (its `activity-close` fact), once per
 * member and activity. The member sees them and may contest one through a correction, which the
 * team's leader or an admin of the activity's community decides: excused (it stops counting) or
 * upheld. Counts are per natural year (Asia/Shanghai) and reset on 1 January. Reaching the
 * district's threshold in a year opens a review for the member's community: a to-do for its
 * admins, never an automatic ban.
 *
 *   counted --contest--> contested --excuse--> excused
 *                                  --uphold--> upheld
 */
export const NO_SHOW_STATUSES = ['counted', 'contested', 'excused', 'upheld'] as const;
export type NoShowStatus = (typeof NO_SHOW_STATUSES)[number];

/** Our default: five unexcused no-shows in a natural year (the practice one district deregisters at). */
export const DEFAULT_NO_SHOW_REVIEW_THRESHOLD = 5;

export interface NoShow {
  readonly activityId: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly teamId: string;
  readonly communityId: string;
  readonly streetId: string;
  /** The close that found it (UTC ISO); its Asia/Shanghai year is the year it counts in. */
  readonly closedAt: string;
  readonly year: string;
  readonly status: NoShowStatus;
  readonly contestReason?: string;
  readonly contestedAt?: string;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
  readonly decisionReason?: string;
}

/** The no-shows of a close: confirmed sign-ups that never checked in. */
export function noShowsOf(close: ActivityClose, signups: readonly Signup[]): NoShow[] {
  return signups
    .filter((s) => s.status === 'confirmed' && !s.checkedInAt)
    .map((s) => ({
      activityId: close.activityId,
      memberId: s.memberId,
      memberName: s.memberName,
      teamId: close.teamId,
      communityId: close.communityId,
      streetId: close.streetId,
      closedAt: close.closedAt,
      year: monthOf(close.closedAt).slice(0, 4),
      status: 'counted',
    }));
}

export function contestable(n: Pick<NoShow, 'status'>): void {
  if (n.status !== 'counted')
    throw new DomainError('NO_SHOW_NOT_CONTESTABLE', `the no-show is ${n.status}; only a counted one can be contested`);
}

export function decidable(n: Pick<NoShow, 'status'>): void {
  if (n.status !== 'contested')
    throw new DomainError('NO_SHOW_NOT_CONTESTED', `the no-show is ${n.status}; only a contested one can be decided`);
}

/** A review for the community opens when the year's count reaches the threshold (once a year). */
export const opensReview = (countAfter: number, threshold: number): boolean => countAfter === threshold;

import { DomainError } from './errors.ts';

/**
 * Check-in (报到入列): a member asks to join the community (and grid) where they live and serve;
 * that community's admins (or admins above it) decide. A member is checked in to one community
 * at a time: approving a new check-in moves them. At most one request is pending per member.
 *
 *   pending --approve--> approved
 *   pending --reject---> rejected
 *   pending --expire---> expired   (the expire-check-ins job, after PENDING_DAYS)
 *   pending --cancel---> cancelled (the member who asked)
 */
export const CHECKIN_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;
export type CheckInStatus = (typeof CHECKIN_STATUSES)[number];
export type CheckInAction = 'approve' | 'reject' | 'expire' | 'cancel';

/** A request left undecided this long is expired by the daily job. */
export const PENDING_DAYS = 30;

const NEXT: Record<CheckInAction, CheckInStatus> = {
  approve: 'approved',
  reject: 'rejected',
  expire: 'expired',
  cancel: 'cancelled',
};

export function decide(status: CheckInStatus, action: CheckInAction): CheckInStatus {
  if (status !== 'pending')
    throw new DomainError('CHECKIN_NOT_PENDING', `the check-in is ${status}; only a pending one can be decided`, {
      state: status,
    });
  return NEXT[action];
}

/** Asking to check in where you already are (same community and grid) is refused. */
export function assertMoves(
  current: { communityId?: string; gridId?: string },
  wanted: { communityId: string; gridId?: string },
): void {
  if (current.communityId === wanted.communityId && (current.gridId ?? null) === (wanted.gridId ?? null))
    throw new DomainError('ALREADY_CHECKED_IN', 'you are already checked in to that community and grid');
}

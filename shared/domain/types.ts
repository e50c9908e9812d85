import type { Category } from './categories.ts';
import type { CheckInStatus } from './check-in.ts';

/** The shapes of the members context's entities, as services and handlers see them. */
export interface Street {
  readonly streetId: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface Community {
  readonly communityId: string;
  readonly name: string;
  readonly streetId: string;
  readonly kind: 'urban' | 'rural';
  readonly address?: string;
  readonly createdAt: string;
}

export interface Grid {
  readonly gridId: string;
  readonly communityId: string;
  readonly name: string;
  readonly description?: string;
  readonly createdAt: string;
}

export interface MemberProfile {
  readonly memberId: string;
  readonly name: string;
  readonly phone: string;
  readonly idNumber?: string;
  readonly skills: readonly string[];
  readonly categories: readonly Category[];
  readonly bio?: string;
  /** Where the member is checked in, once approved. */
  readonly communityId?: string;
  readonly streetId?: string;
  readonly gridId?: string;
  readonly checkedInAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface CheckIn {
  readonly checkInId: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly communityId: string;
  readonly streetId: string;
  readonly gridId?: string;
  readonly note?: string;
  readonly status: CheckInStatus;
  readonly createdAt: string;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
  readonly reason?: string;
}

/** A member as listed in their community's roster (denormalized from the profile). */
export interface RosterEntry {
  readonly communityId: string;
  readonly gridId?: string;
  readonly memberId: string;
  readonly name: string;
  readonly phone: string;
  readonly skills: readonly string[];
  readonly categories: readonly Category[];
  readonly checkedInAt: string;
}

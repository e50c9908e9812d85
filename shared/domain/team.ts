import type { Category } from './categories.ts';

/** Volunteer teams (志愿服务队). */
export const TEAM_SCOPES = ['community', 'street', 'district', 'cross-industry', 'cross-region'] as const;
export type TeamScope = (typeof TEAM_SCOPES)[number];

export interface Team {
  readonly teamId: string;
  readonly name: string;
  readonly category: Category;
  readonly scope: TeamScope;
  /** The place a community- or street-scoped team belongs to. */
  readonly streetId?: string;
  readonly communityId?: string;
  readonly leaderMemberId: string;
  readonly leaderName: string;
  readonly description?: string;
  readonly status: 'active' | 'inactive';
  readonly memberCount: number;
  /** Set once the team is given its flag (授旗). */
  readonly flagGrantedOn?: string;
  readonly flagGrantedAtKickoff?: string;
  readonly createdAt: string;
}

/**
 * A member's place on a team's roster: a join request until the leader decides; `left` when the
 * member left the team (or withdrew a pending request). Rejected and left members may ask again.
 */
export const TEAM_MEMBER_STATUSES = ['pending', 'active', 'rejected', 'left'] as const;
export type TeamMemberStatus = (typeof TEAM_MEMBER_STATUSES)[number];

export interface TeamMember {
  readonly teamId: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly role: 'leader' | 'member';
  readonly status: TeamMemberStatus;
  /** When the member asked to join (for the leader: when the team was registered). */
  readonly requestedAt: string;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
  readonly reason?: string;
  /** When the member left the team or withdrew the request. */
  readonly leftAt?: string;
}

/**
 * Where a team belongs, from its scope. A community team needs its community; a street team
 * its street (and no community); district-wide, cross-industry and cross-region teams may name
 * a home place (used to place their service-day activity) but need not.
 */
export function placeRequirement(scope: TeamScope): {
  communityId: 'required' | 'optional' | 'forbidden';
  streetId: 'required' | 'optional';
} {
  if (scope === 'community') return { communityId: 'required', streetId: 'optional' };
  if (scope === 'street') return { communityId: 'forbidden', streetId: 'required' };
  return { communityId: 'optional', streetId: 'optional' };
}

/** The field errors of a team's place for its scope (empty when it is fine). */
export function teamPlaceErrors(input: {
  scope: TeamScope;
  streetId?: string;
  communityId?: string;
}): { field: string; message: string }[] {
  const need = placeRequirement(input.scope);
  const errors: { field: string; message: string }[] = [];
  if (need.communityId === 'required' && !input.communityId)
    errors.push({ field: 'body.communityId', message: `a ${input.scope} team needs its communityId` });
  if (need.communityId === 'forbidden' && input.communityId)
    errors.push({ field: 'body.communityId', message: `a ${input.scope} team names a street, not a community` });
  if (need.streetId === 'required' && !input.streetId)
    errors.push({ field: 'body.streetId', message: `a ${input.scope} team needs its streetId` });
  return errors;
}

/** The join request that may be made now, given the member's current roster entry (if any). */
export function joinAllowed(
  existing: Pick<TeamMember, 'status'> | undefined,
): 'ok' | 'ALREADY_TEAM_MEMBER' | 'JOIN_ALREADY_PENDING' {
  if (!existing || existing.status === 'rejected' || existing.status === 'left') return 'ok';
  return existing.status === 'active' ? 'ALREADY_TEAM_MEMBER' : 'JOIN_ALREADY_PENDING';
}

/**
 * The leader acting for a team: the `team_leader` role, the team in their `custom:teamId`
 * claim, and the team's recorded leader. Takes the caller's fields rather than policy.ts's
 * Caller so the rule stays a pure function of plain data.
 */
export function leadsTeam(
  caller: { readonly roles: ReadonlySet<string>; readonly teamId: string | undefined; readonly memberId: string },
  team: Pick<Team, 'teamId' | 'leaderMemberId'>,
): boolean {
  return caller.roles.has('team_leader') && caller.teamId === team.teamId && caller.memberId === team.leaderMemberId;
}

/**
 * Whether the member may leave the team now, given their roster entry: an active member leaves
 * (the team's memberCount goes down by one), a pending request is withdrawn (no count changes);
 * the leader hands over first (PUT /teams/{teamId}/leader).
 */
export function leaveAllowed(
  existing: Pick<TeamMember, 'status' | 'role'> | undefined,
): 'ok' | 'LEADER_CANNOT_LEAVE' | 'NOT_TEAM_MEMBER' {
  if (!existing || (existing.status !== 'active' && existing.status !== 'pending')) return 'NOT_TEAM_MEMBER';
  if (existing.role === 'leader') return 'LEADER_CANNOT_LEAVE';
  return 'ok';
}

import type { Category } from '../domain/categories.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { administers, administersStreet, hasRole, type Caller } from '../domain/policy.ts';
import { joinAllowed, leadsTeam, teamPlaceErrors, type Team, type TeamMember, type TeamScope } from '../domain/team.ts';
import type { Page } from '../db/cursor.ts';
import { committing } from '../db/idempotency.ts';
import * as teams from '../db/teams.ts';
import { dayOf } from '../domain/time.ts';
import { workGrant } from './identity.ts';

/**
 * Use cases of the teams context: the registry, join requests decided by the team's leader,
 * the roster, flag grants. Scope checks live here (shared/domain/team.ts, policy.ts).
 */

export async function createTeam(
  caller: Caller,
  input: {
    name: string;
    category: Category;
    scope: TeamScope;
    streetId?: string;
    communityId?: string;
    leaderMemberId: string;
    description?: string;
  },
): Promise<Team> {
  void caller; // role checked by the route table: district and city admins
  const errors = teamPlaceErrors(input);
  if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors });
  let streetId = input.streetId;
  // Its place and its leader, in one round trip.
  const found = await teams.placeAndLeader(input, input.leaderMemberId);
  if (input.communityId) {
    const community = found.community;
    if (!community) throw new DomainError('UNKNOWN_COMMUNITY', `no community ${input.communityId} in this district`);
    if (streetId && streetId !== community.streetId)
      throw new DomainError('UNKNOWN_COMMUNITY', `community ${input.communityId} is not in street ${streetId}`);
    streetId = community.streetId;
  } else if (streetId) {
    if (!found.street) throw new DomainError('UNKNOWN_STREET', `no street ${streetId} in this district`);
  }
  const leader = found.leader;
  if (!leader)
    throw new DomainError('UNKNOWN_MEMBER', `no member profile ${input.leaderMemberId}: the leader must be a member`);
  const at = nowIso();
  const team: Team = {
    teamId: newId('team'),
    name: input.name,
    category: input.category,
    scope: input.scope,
    ...(streetId ? { streetId } : {}),
    ...(input.communityId ? { communityId: input.communityId } : {}),
    leaderMemberId: leader.memberId,
    leaderName: leader.name,
    ...(input.description ? { description: input.description } : {}),
    status: 'active',
    memberCount: 1,
    createdAt: at,
  };
  const first: TeamMember = {
    teamId: team.teamId,
    memberId: leader.memberId,
    memberName: leader.name,
    role: 'leader',
    status: 'active',
    requestedAt: at,
    decidedAt: at,
    decidedBy: caller.sub,
  };
  const grant = await workGrant(
    leader.memberId,
    { action: 'grant', role: 'team_leader', teamId: team.teamId },
    { actor: caller.sub, reason: `named leader of team ${team.teamId} at its registration`, source: 'team', at },
    { record: found.leaderRoles },
  );
  return committing(team, () => teams.createTeam(team, first, grant));
}

/**
 * Names a new leader of a team (an active member of it): they become team_leader with the team, the
 * previous leader stops being one, in the same transaction as the team's change, with the audit.
 */
export async function changeLeader(
  caller: Caller,
  teamId: string,
  input: { memberId: string; reason: string },
): Promise<Team> {
  void caller; // role checked by the route table: district and city admins
  return withRetry(async () => {
    const team = await getTeam(teamId);
    if (team.leaderMemberId === input.memberId)
      throw new DomainError('ROLE_ALREADY_HELD', `member ${input.memberId} already leads the team`);
    const { place, profile, nextRoles, previousRoles } = await teams.leaderChangeContext(
      teamId,
      input.memberId,
      team.leaderMemberId,
    );
    if (!profile) throw new DomainError('UNKNOWN_MEMBER', `no member profile ${input.memberId}`);
    if (place?.status !== 'active')
      throw new DomainError('NOT_TEAM_MEMBER', `member ${input.memberId} is not an active member of the team`);
    const at = nowIso();
    const who = { actor: caller.sub, reason: input.reason, source: 'team', at } as const;
    const grants = [
      await workGrant(input.memberId, { action: 'grant', role: 'team_leader', teamId }, who, { record: nextRoles }),
    ];
    // The previous leader loses the role if their record holds it for this team (a team made
    // before roles were recorded has none to take).
    const old = previousRoles;
    if (old?.roles.includes('team_leader') && old.teamId === teamId)
      grants.push(
        await workGrant(team.leaderMemberId, { action: 'revoke', role: 'team_leader', teamId }, who, { record: old }),
      );
    return teams.changeLeader(team, { memberId: input.memberId, name: profile.name }, grants);
  });
}

export async function getTeam(teamId: string): Promise<Team> {
  const t = await teams.getTeam(teamId);
  if (!t) throw notFound('team');
  return t;
}

export const listTeams = teams.listTeams;

export async function joinTeam(caller: Caller, teamId: string): Promise<TeamMember> {
  const { team, profile, member: existing } = await teams.teamContext(teamId, caller.memberId, true);
  if (!team) throw notFound('team');
  if (team.status !== 'active') throw new DomainError('TEAM_INACTIVE', 'the team does not take join requests');
  if (!profile)
    throw new DomainError('PROFILE_REQUIRED', 'create your member profile (POST /members) before joining a team');
  const allowed = joinAllowed(existing);
  if (allowed !== 'ok') throw joinRefusal(allowed);
  const request: TeamMember = {
    teamId,
    memberId: caller.memberId,
    memberName: profile.name,
    role: 'member',
    status: 'pending',
    requestedAt: nowIso(),
  };
  try {
    await committing(request, () => teams.requestJoin(request));
  } catch (err) {
    // Lost a race: say what the member is now (on the team, or waiting).
    if (err instanceof DomainError && err.code === 'JOIN_ALREADY_PENDING') {
      const now = await teams.getTeamMember(teamId, caller.memberId, true);
      const again = joinAllowed(now);
      throw again === 'ok' ? err : joinRefusal(again);
    }
    throw err;
  }
  return request;
}

function joinRefusal(code: 'ALREADY_TEAM_MEMBER' | 'JOIN_ALREADY_PENDING'): DomainError {
  return code === 'ALREADY_TEAM_MEMBER'
    ? new DomainError('ALREADY_TEAM_MEMBER', 'you are already a member of this team')
    : new DomainError('JOIN_ALREADY_PENDING', 'you already asked to join this team: wait for the leader');
}

/** Admins whose scope covers the team: district and city always; street and community admins for a team placed in their street or community. */
export function administersTeam(caller: Caller, team: Pick<Team, 'streetId' | 'communityId'>): boolean {
  if (hasRole(caller, 'district_admin', 'city_admin')) return true;
  if (team.communityId && team.streetId)
    return administers(caller, { streetId: team.streetId, communityId: team.communityId });
  if (team.streetId) return administersStreet(caller, team.streetId);
  return false;
}

export async function listTeamMembers(
  caller: Caller,
  teamId: string,
  status: 'pending' | 'active',
  limit: number,
  cursor: string | undefined,
): Promise<Page<TeamMember>> {
  const team = await getTeam(teamId);
  if (!leadsTeam(caller, team) && !administersTeam(caller, team))
    throw forbidden("only the team's leader and admins of its scope can see its roster");
  return teams.listTeamMembers(teamId, status, limit, cursor);
}

/** The pending request the caller, as this team's leader, may decide. */
async function decidable(caller: Caller, teamId: string, memberId: string): Promise<TeamMember> {
  if (caller.teamId !== teamId) throw forbidden('you can only decide join requests of the team you lead');
  const { team, member: m } = await teams.teamContext(teamId, memberId, false);
  if (!team) throw notFound('team');
  if (!leadsTeam(caller, team)) throw forbidden("only the team's leader can decide join requests");
  if (!m) throw notFound('join request');
  if (m.status !== 'pending')
    throw new DomainError('JOIN_NOT_PENDING', `the request is ${m.status}, no longer pending`);
  return m;
}

/**
 * Retries a transaction that lost to a simultaneous one on the same items (many approvals of
 * one team all add to its memberCount): each attempt re-checks its conditions, so a retry
 * never applies twice.
 */
async function withRetry<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'CONCURRENT_UPDATE') || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** i));
    }
  }
}

export async function approveMember(caller: Caller, teamId: string, memberId: string): Promise<TeamMember> {
  const m = await decidable(caller, teamId, memberId);
  const at = nowIso();
  await withRetry(() => teams.approveJoin(m, { decidedAt: at, decidedBy: caller.memberId }));
  return { ...m, status: 'active', decidedAt: at, decidedBy: caller.memberId };
}

export async function rejectMember(
  caller: Caller,
  teamId: string,
  memberId: string,
  reason: string | undefined,
): Promise<TeamMember> {
  const m = await decidable(caller, teamId, memberId);
  const at = nowIso();
  await withRetry(() =>
    teams.rejectJoin(m, { decidedAt: at, decidedBy: caller.memberId, ...(reason ? { reason } : {}) }),
  );
  return { ...m, status: 'rejected', decidedAt: at, decidedBy: caller.memberId, ...(reason ? { reason } : {}) };
}

/** Records the team's flag grant, once (the route; the kickoff job grants through shared/db/teams.ts too). */
export async function grantFlag(
  caller: Caller,
  teamId: string,
  input: { date: string; kickoffMonth?: string },
): Promise<Team> {
  void caller; // role checked by the route table: district and city admins
  if (input.kickoffMonth && input.date.slice(0, 7) !== input.kickoffMonth)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', {
      errors: [
        {
          field: 'body.date',
          message: `a flag given at the kickoff of ${input.kickoffMonth} has a date in that month`,
        },
      ],
    });
  // A grant records what happened: a future date was accepted before, and then blocked the real grant at the kickoff.
  const today = dayOf(nowIso());
  if (input.date > today)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', {
      errors: [{ field: 'body.date', message: `a flag grant is recorded on or after its day: not after ${today}` }],
    });
  const r = await teams.grantFlag(teamId, input);
  if (r.outcome === 'missing') throw notFound('team');
  if (r.outcome === 'already')
    throw new DomainError('FLAG_ALREADY_GRANTED', `the team was given its flag on ${r.team.flagGrantedOn}`);
  return r.team;
}

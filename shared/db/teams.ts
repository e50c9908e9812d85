import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Category } from '../domain/categories.ts';
import { DomainError } from '../domain/errors.ts';
import type { UserRoles } from '../domain/identity.ts';
import type { Team, TeamMember, TeamMemberStatus } from '../domain/team.ts';
import type { Community, MemberProfile, Street } from '../domain/types.ts';
import { db, tableName } from './client.ts';
import type { Page } from './cursor.ts';
import { committing, keyPending } from './idempotency.ts';
import {
  activeTeamsQuery,
  communityKey,
  memberKey,
  streetKey,
  teamKey,
  teamKeys,
  teamMemberKey,
  teamMemberKeys,
  teamMembersQuery,
  teamsQuery,
  userRolesKey,
} from './keys.ts';
import { auditPut, rolesOf, rolesPut, type RoleAuditEntry } from './identity.ts';
import { profileOf } from './members.ts';
import { batchGet, decidePending, fromItem, getEach, getItem, queryPage, transact, type Item } from './table.ts';

/**
 * Volunteer teams and their rosters.
 *   team         pk TEAM#<teamId>   sk TEAM
 *                gsi1 TEAMS / <status>#<teamId>                                 (all teams; active ones: begins_with active#)
 *                gsi2 TEAMS#<category> / <status>#<teamId>                      (teams of one category)
 *   team member  pk TEAM#<teamId>   sk MEMBER#<memberId>                         (one per member and team: the join request, then the membership)
 *                gsi1 TEAM#<teamId>#MEMBERS#<status> / <requestedAt>#<memberId>  (a team's roster or join requests, by status, oldest first)
 * "One join request per member and team" is the member item's key plus a condition; an
 * approval moves the member to `active` and adds one to the team's memberCount in one transaction.
 * A flag grant sets flagGrantedOn on the team under `attribute_not_exists(flagGrantedOn)`.
 * (Keys: shared/db/keys.ts.)
 */
export function teamItem(t: Team): Item {
  return { ...teamKeys(t), type: 'team', ...t };
}

export function teamMemberItem(m: TeamMember): Item {
  return { ...teamMemberKeys(m), type: 'team-member', ...m };
}

const strip = <T>(i: Item) => fromItem<T>(i);

/** A new team's place (its community, or its street) and its leader's profile, in one round trip. */
export async function placeAndLeader(
  place: { communityId?: string; streetId?: string },
  leaderMemberId: string,
): Promise<{ community?: Community; street?: Street; leader?: MemberProfile; leaderRoles: UserRoles | undefined }> {
  // Strongly consistent: the leader's roles record is written again with the version read.
  const [c, s, l, r] = await getEach(
    [
      place.communityId ? communityKey(place.communityId) : undefined,
      !place.communityId && place.streetId ? streetKey(place.streetId) : undefined,
      memberKey(leaderMemberId),
      userRolesKey(leaderMemberId),
    ],
    true,
  );
  return {
    ...(c ? { community: strip<Community>(c) } : {}),
    ...(s ? { street: strip<Street>(s) } : {}),
    ...(l ? { leader: profileOf(l) } : {}),
    leaderRoles: rolesOf(r),
  };
}

/**
 * What naming a new leader needs, strongly consistent, in one round trip: the new leader's place in
 * the team and profile, and both leaders' roles records.
 */
export async function leaderChangeContext(
  teamId: string,
  next: string,
  previous: string,
): Promise<{
  place?: TeamMember;
  profile?: MemberProfile;
  nextRoles: UserRoles | undefined;
  previousRoles: UserRoles | undefined;
}> {
  const [m, p, nr, pr] = await getEach(
    [teamMemberKey(teamId, next), memberKey(next), userRolesKey(next), userRolesKey(previous)],
    true,
  );
  return {
    ...(m ? { place: fromItem<TeamMember>(m) } : {}),
    ...(p ? { profile: profileOf(p) } : {}),
    nextRoles: rolesOf(nr),
    previousRoles: rolesOf(pr),
  };
}

/**
 * A team, a member's profile and their place in the team (strongly consistent), in one round
 * trip: what a join request, or a leader's decision on one, needs to know. `memberId` undefined: no profile read.
 */
export async function teamContext(
  teamId: string,
  memberId: string,
  withProfile: boolean,
): Promise<{ team?: Team; profile?: MemberProfile; member?: TeamMember }> {
  const [t, p, m] = await getEach(
    [teamKey(teamId), withProfile ? memberKey(memberId) : undefined, teamMemberKey(teamId, memberId)],
    true,
  );
  return {
    ...(t ? { team: strip<Team>(t) } : {}),
    ...(p ? { profile: profileOf(p) } : {}),
    ...(m ? { member: strip<TeamMember>(m) } : {}),
  };
}

export async function getTeam(teamId: string, consistent = false): Promise<Team | undefined> {
  const k = teamKey(teamId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && strip<Team>(i);
}

/** Several teams by id (BatchGetItem, 100 keys a call); missing ones are simply absent. */
export async function getTeams(teamIds: readonly string[]): Promise<Map<string, Team>> {
  const items = await batchGet(teamIds.map(teamKey));
  return new Map([...items.values()].map((i) => strip<Team>(i)).map((t) => [t.teamId, t]));
}

/** Teams in id order (active first), optionally of one category. */
export async function listTeams(
  category: Category | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Team>> {
  const p = await queryPage({ ...teamsQuery(category), limit, cursor });
  return { items: p.items.map((i) => strip<Team>(i)), nextCursor: p.nextCursor };
}

/** Active teams in id order (the kickoff's "every active team"). */
export async function listActiveTeams(limit: number, cursor: string | undefined): Promise<Page<Team>> {
  const p = await queryPage({ ...activeTeamsQuery(), limit, cursor });
  return { items: p.items.map((i) => strip<Team>(i)), nextCursor: p.nextCursor };
}

/** A role change (record + audit entry) written with the team's. */
export interface RolesWrite {
  readonly after: UserRoles;
  readonly readVersion: number;
  readonly audit: RoleAuditEntry;
}

const rolesItems = (grants: readonly RolesWrite[]) =>
  grants.flatMap((g) => [rolesPut(g.after, g.readVersion), auditPut(g.audit)]);

/**
 * Registers a team with its leader as first active member (the leader's profile must exist) and,
 * in the same transaction, the leader's team_leader role with the team (record and audit entry).
 */
export async function createTeam(team: Team, leader: TeamMember, grant: RolesWrite): Promise<void> {
  await transact(
    [
      { Put: { TableName: tableName(), Item: teamItem(team), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: { TableName: tableName(), Item: teamMemberItem(leader), ConditionExpression: 'attribute_not_exists(pk)' },
      },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: memberKey(leader.memberId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      ...rolesItems([grant]),
    ],
    (failed) =>
      failed.includes(2)
        ? new DomainError('UNKNOWN_MEMBER', `no member profile ${leader.memberId}: the leader must be a member`)
        : failed.includes(3)
          ? new DomainError('CONCURRENT_UPDATE', "the leader's roles changed meanwhile: retry")
          : new DomainError('CONCURRENT_UPDATE', 'that team already exists'),
  );
}

/**
 * A new leader for a team, in one transaction: the team names them (if it still names the old
 * leader), their place on the roster becomes the leader's (if they are still an active member),
 * the old leader's becomes a member's, and the role changes (the new leader's team_leader grant,
 * the old one's revocation) with their audit entries.
 */
export async function changeLeader(
  team: Team,
  next: { memberId: string; name: string },
  grants: readonly RolesWrite[],
): Promise<Team> {
  const updated: Team = { ...team, leaderMemberId: next.memberId, leaderName: next.name };
  await transact(
    [
      {
        Update: {
          TableName: tableName(),
          Key: teamKey(team.teamId),
          UpdateExpression: 'SET leaderMemberId = :new, leaderName = :name',
          ConditionExpression: 'leaderMemberId = :old',
          ExpressionAttributeValues: { ':new': next.memberId, ':name': next.name, ':old': team.leaderMemberId },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: teamMemberKey(team.teamId, next.memberId),
          UpdateExpression: 'SET #role = :leader',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#role': 'role', '#status': 'status' },
          ExpressionAttributeValues: { ':leader': 'leader', ':active': 'active' },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: teamMemberKey(team.teamId, team.leaderMemberId),
          UpdateExpression: 'SET #role = :member',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':member': 'member' },
        },
      },
      ...rolesItems(grants),
    ],
    (failed) =>
      failed.includes(1)
        ? new DomainError('NOT_TEAM_MEMBER', `member ${next.memberId} is not an active member of the team`)
        : new DomainError('CONCURRENT_UPDATE', "the team's leader or roles changed meanwhile: retry"),
  );
  return updated;
}

export async function getTeamMember(
  teamId: string,
  memberId: string,
  consistent = false,
): Promise<TeamMember | undefined> {
  const k = teamMemberKey(teamId, memberId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && strip<TeamMember>(i);
}

/** Several members' places in a team, in one BatchGetItem (each place, or undefined, in order). */
export async function teamMembersOf(teamId: string, memberIds: readonly string[]): Promise<(TeamMember | undefined)[]> {
  const found = await getEach(memberIds.map((m) => teamMemberKey(teamId, m)));
  return found.map((i) => i && strip<TeamMember>(i));
}

/**
 * A pending join request. Refused (409) when the member is already on the roster or has a
 * request pending (a rejected request may be made again), when the team is not active, or
 * when the member has no profile.
 */
export async function requestJoin(m: TeamMember): Promise<void> {
  await transact(
    [
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: teamKey(m.teamId),
          ConditionExpression: 'attribute_exists(pk) AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active' },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: teamMemberItem(m),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :rejected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':rejected': 'rejected' },
        },
      },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: memberKey(m.memberId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ],
    (failed) => {
      if (failed.includes(0)) return new DomainError('TEAM_INACTIVE', 'the team does not take join requests');
      if (failed.includes(2))
        return new DomainError('PROFILE_REQUIRED', 'create your member profile (POST /members) first');
      return new DomainError('JOIN_ALREADY_PENDING', 'you already asked to join this team, or are on it');
    },
  );
}

/** The request leaves `pending` for `status`, and the team's list of that status. */
const decisionUpdate = (
  m: TeamMember,
  status: 'active' | 'rejected',
  fields: { decidedAt: string; decidedBy: string; reason?: string },
) => decidePending(teamMemberKey(m.teamId, m.memberId), status, teamMembersQuery(m.teamId, status), fields);

const notPending = () => new DomainError('JOIN_NOT_PENDING', 'the join request was decided meanwhile');

/** Approves a pending request: the member becomes active and the team's memberCount goes up by one, in one transaction. */
export async function approveJoin(m: TeamMember, fields: { decidedAt: string; decidedBy: string }): Promise<void> {
  await transact(
    [
      decisionUpdate(m, 'active', fields),
      {
        Update: {
          TableName: tableName(),
          Key: teamKey(m.teamId),
          UpdateExpression: 'ADD memberCount :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ],
    (failed) => (failed.includes(1) ? new DomainError('NOT_FOUND', 'team not found') : notPending()),
  );
}

export async function rejectJoin(
  m: TeamMember,
  fields: { decidedAt: string; decidedBy: string; reason?: string },
): Promise<void> {
  await transact([decisionUpdate(m, 'rejected', fields)], notPending);
}

/** A team's members of one status, oldest request first. */
export async function listTeamMembers(
  teamId: string,
  status: TeamMemberStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<TeamMember>> {
  const p = await queryPage({ ...teamMembersQuery(teamId, status), limit, cursor });
  return { items: p.items.map((i) => strip<TeamMember>(i)), nextCursor: p.nextCursor };
}

/**
 * Records a team's flag grant, once: `granted` with the team as it now is, `already` when it
 * had its flag, `missing` when there is no such team. Used by the route and the kickoff job.
 */
export async function grantFlag(
  teamId: string,
  grant: { date: string; kickoffMonth?: string },
): Promise<{ outcome: 'granted'; team: Team } | { outcome: 'already'; team: Team } | { outcome: 'missing' }> {
  const names: Record<string, string> = { '#on': 'flagGrantedOn' };
  const values: Record<string, unknown> = { ':on': grant.date };
  let set = '#on = :on';
  if (grant.kickoffMonth) {
    names['#at'] = 'flagGrantedAtKickoff';
    values[':at'] = grant.kickoffMonth;
    set += ', #at = :at';
  }
  const update = {
    TableName: tableName(),
    Key: teamKey(teamId),
    UpdateExpression: `SET ${set}`,
    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#on)',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
  if (keyPending()) {
    // Under an Idempotency-Key the answer is stored with the write (one transaction): read, then
    // grant if nobody did meanwhile.
    const team = await getTeam(teamId, true);
    if (!team) return { outcome: 'missing' };
    if (team.flagGrantedOn) return { outcome: 'already', team };
    const after: Team = {
      ...team,
      flagGrantedOn: grant.date,
      ...(grant.kickoffMonth ? { flagGrantedAtKickoff: grant.kickoffMonth } : {}),
    };
    const granted = await committing(after, () =>
      transact(
        [{ Update: update }],
        () => new DomainError('CONCURRENT_UPDATE', 'granted meanwhile', { already: true }),
      ),
    ).catch(async (err: unknown) => {
      if (!(err instanceof DomainError) || err.extra.already !== true) throw err;
      return undefined;
    });
    if (granted) return { outcome: 'granted', team: granted };
    const now = await getTeam(teamId, true);
    return now ? { outcome: 'already', team: now } : { outcome: 'missing' };
  }
  try {
    const out = await db().send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
    return { outcome: 'granted', team: strip<Team>(out.Attributes ?? {}) };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const team = await getTeam(teamId, true);
    return team ? { outcome: 'already', team } : { outcome: 'missing' };
  }
}

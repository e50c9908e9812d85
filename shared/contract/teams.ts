import * as z from 'zod/mini';
import { CATEGORIES } from '../domain/categories.ts';
import { TEAM_MEMBER_STATUSES, TEAM_SCOPES } from '../domain/team.ts';
import type { Contract } from '../http/api.ts';
import { Day, describe, Id, IsoTime, Month, PageQuery, Text, pageOf } from './common.ts';

/** Schemas of the teams routes: registry, join requests and roster, flag grants. */

export const TeamView = z.object({
  teamId: Id,
  name: z.string(),
  category: z.enum(CATEGORIES),
  scope: z.enum(TEAM_SCOPES),
  streetId: z.optional(Id),
  communityId: z.optional(Id),
  leaderMemberId: Id,
  leaderName: z.string(),
  description: z.optional(z.string()),
  status: z.enum(['active', 'inactive']),
  memberCount: describe(z.number(), 'active members, the leader included'),
  flagGrantedOn: describe(z.optional(z.string()), 'YYYY-MM-DD, once the team was given its flag'),
  flagGrantedAtKickoff: describe(z.optional(z.string()), 'YYYY-MM of the kickoff at which the flag was given'),
  createdAt: IsoTime,
});

export const TeamMemberView = z.object({
  teamId: Id,
  memberId: Id,
  memberName: z.string(),
  role: z.enum(['leader', 'member']),
  status: z.enum(TEAM_MEMBER_STATUSES),
  requestedAt: IsoTime,
  decidedAt: z.optional(IsoTime),
  decidedBy: z.optional(z.string()),
  reason: z.optional(z.string()),
});

const TeamParams = z.strictObject({ teamId: Id });
const TeamMemberParams = z.strictObject({ teamId: Id, memberId: Id });

export const createTeam = {
  method: 'POST',
  path: '/teams',
  body: z.strictObject({
    name: Text(64),
    category: z.enum(CATEGORIES),
    scope: z.enum(TEAM_SCOPES),
    streetId: describe(
      z.optional(Id),
      'required for a street team; optional home street for district-wide and cross-* teams',
    ),
    communityId: describe(
      z.optional(Id),
      'required for a community team (its street follows); optional home for district-wide and cross-* teams',
    ),
    leaderMemberId: Id,
    description: z.optional(Text(1000)),
  }),
  response: TeamView,
  status: 201,
  idempotent: true,
  description:
    'leaderMemberId must be an existing member profile (else 422 UNKNOWN_MEMBER); the leader becomes the first active member.',
} as const satisfies Contract;

export const listTeams = {
  method: 'GET',
  path: '/teams',
  query: z.strictObject({ ...PageQuery, category: z.optional(z.enum(CATEGORIES)) }),
  response: pageOf(TeamView),
  description: 'Teams in id order (active first), optionally of one category.',
} as const satisfies Contract;

export const getTeam = {
  method: 'GET',
  path: '/teams/{teamId}',
  params: TeamParams,
  response: TeamView,
} as const satisfies Contract;

export const joinTeam = {
  method: 'POST',
  path: '/teams/{teamId}/join',
  params: TeamParams,
  response: TeamMemberView,
  status: 201,
  idempotent: true,
  description: 'A pending join request for the leader to decide. One per member and team (again after a rejection).',
} as const satisfies Contract;

export const listTeamMembers = {
  method: 'GET',
  path: '/teams/{teamId}/members',
  params: TeamParams,
  query: z.strictObject({ ...PageQuery, status: z._default(z.enum(['pending', 'active']), 'active') }),
  response: pageOf(TeamMemberView),
  description:
    "The team's active members or its pending join requests, oldest first: for the team's leader and admins of its scope.",
} as const satisfies Contract;

export const approveTeamMember = {
  method: 'POST',
  path: '/teams/{teamId}/members/{memberId}/approve',
  params: TeamMemberParams,
  response: TeamMemberView,
  description: "The team's leader (team_leader of this team) approves; memberCount goes up by one.",
} as const satisfies Contract;

export const rejectTeamMember = {
  method: 'POST',
  path: '/teams/{teamId}/members/{memberId}/reject',
  params: TeamMemberParams,
  body: z.optional(z.strictObject({ reason: z.optional(Text(500)) })),
  response: TeamMemberView,
} as const satisfies Contract;

export const grantTeamFlag = {
  method: 'POST',
  path: '/teams/{teamId}/flag-grant',
  params: TeamParams,
  body: z.strictObject({
    date: Day,
    kickoffMonth: describe(z.optional(Month), 'the month whose kickoff the flag was given at; the date must lie in it'),
  }),
  response: TeamView,
  idempotent: true,
  description: 'Records the flag grant (授旗), once: a second grant is 409 FLAG_ALREADY_GRANTED.',
} as const satisfies Contract;

export const changeTeamLeader = {
  method: 'PUT',
  path: '/teams/{teamId}/leader',
  params: TeamParams,
  body: z.strictObject({
    memberId: describe(Id, 'an active member of the team'),
    reason: describe(Text(500), 'why: kept in the role audit'),
  }),
  response: TeamView,
  description:
    "Names the team's new leader, an active member of it: they become team_leader with custom:teamId, the previous leader loses both (one transaction with the role audit; tokens change at their next refresh).",
} as const satisfies Contract;

import * as z from 'zod/mini';
import { TEAM_MEMBER_STATUSES, TEAM_SCOPES } from '../domain/team.ts';
import type { Contract } from '../http/api.ts';
import {
  Category,
  Day,
  describe,
  documented,
  Id,
  ifThen,
  IsoTime,
  Line,
  Month,
  named,
  pageOf,
  PageQuery,
  requires,
  Text,
} from './common.ts';

/** Schemas of the teams routes: registry, join requests and roster, flag grants. */

const TeamScope = named('TeamScope', z.enum(TEAM_SCOPES));

export const TeamView = named(
  'Team',
  z.object({
    teamId: Id,
    name: z.string(),
    category: Category,
    scope: TeamScope,
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
  }),
);

export const TeamMemberView = named(
  'TeamMember',
  z.object({
    teamId: Id,
    memberId: Id,
    memberName: z.string(),
    role: z.enum(['leader', 'member']),
    status: z.enum(TEAM_MEMBER_STATUSES),
    requestedAt: IsoTime,
    decidedAt: z.optional(IsoTime),
    decidedBy: z.optional(z.string()),
    reason: z.optional(z.string()),
  }),
);

// ---------- examples (the document's; a test holds each to its schema) ----------

const TEAM = {
  teamId: 'team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N',
  name: '红星义诊队',
  category: 'health',
  scope: 'community',
  streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
  communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  leaderMemberId: 'm-demo-1',
  leaderName: '王小明',
  description: '社区医院医护人员组成的义诊队',
  status: 'active',
  memberCount: 12,
  createdAt: '2026-03-10T02:00:00.000Z',
};
const TEAM_MEMBER = {
  teamId: TEAM.teamId,
  memberId: 'm-demo-2',
  memberName: '李芳',
  role: 'member',
  status: 'pending',
  requestedAt: '2026-03-11T02:00:00.000Z',
};
const DECIDED = { ...TEAM_MEMBER, status: 'active', decidedAt: '2026-03-11T08:00:00.000Z', decidedBy: 'm-demo-1' };

const TeamParams = z.strictObject({ teamId: Id });
const TeamMemberParams = z.strictObject({ teamId: Id, memberId: Id });

export const createTeam = {
  method: 'POST',
  path: '/teams',
  body: documented(
    z.strictObject({
      name: Line(64),
      category: Category,
      scope: TeamScope,
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
    {
      description: 'A community team names its communityId; a street team its streetId and no communityId.',
      allOf: [
        ifThen({ properties: { scope: { const: 'community' } } }, requires('communityId')),
        ifThen(
          { properties: { scope: { const: 'street' } } },
          { ...requires('streetId'), not: requires('communityId') },
        ),
      ],
    },
  ),
  response: TeamView,
  status: 201,
  idempotent: true,
  description:
    'leaderMemberId must be an existing member profile (else 422 UNKNOWN_MEMBER); the leader becomes the first active member.',
  tag: 'teams',
  errors: [
    'ALREADY_LEADS_TEAM',
    'CONCURRENT_UPDATE',
    'ROLE_ALREADY_HELD',
    'ROLE_NOT_HELD',
    'SCOPE_CONFLICT',
    'UNKNOWN_COMMUNITY',
    'UNKNOWN_MEMBER',
    'UNKNOWN_STREET',
  ],
  examples: {
    body: {
      name: TEAM.name,
      category: TEAM.category,
      scope: TEAM.scope,
      communityId: TEAM.communityId,
      leaderMemberId: TEAM.leaderMemberId,
      description: TEAM.description,
    },
    response: { ...TEAM, memberCount: 1 },
  },
} as const satisfies Contract;

export const listTeams = {
  method: 'GET',
  path: '/teams',
  query: z.strictObject({ ...PageQuery, category: z.optional(Category) }),
  response: pageOf(TeamView),
  description: 'Teams in id order (active first), optionally of one category.',
  tag: 'teams',
  errors: [],
  examples: { query: { category: 'health', limit: 20 }, response: { items: [TEAM] } },
} as const satisfies Contract;

export const getTeam = {
  method: 'GET',
  path: '/teams/{teamId}',
  params: TeamParams,
  response: TeamView,
  tag: 'teams',
  errors: ['NOT_FOUND'],
  examples: { params: { teamId: TEAM.teamId }, response: TEAM },
} as const satisfies Contract;

export const joinTeam = {
  method: 'POST',
  path: '/teams/{teamId}/join',
  params: TeamParams,
  response: TeamMemberView,
  status: 201,
  idempotent: true,
  description: 'A pending join request for the leader to decide. One per member and team (again after a rejection).',
  tag: 'teams',
  errors: [
    'ALREADY_TEAM_MEMBER',
    'CONCURRENT_UPDATE',
    'JOIN_ALREADY_PENDING',
    'NOT_FOUND',
    'PROFILE_REQUIRED',
    'TEAM_INACTIVE',
  ],
  examples: { params: { teamId: TEAM.teamId }, response: TEAM_MEMBER },
} as const satisfies Contract;

export const listTeamMembers = {
  method: 'GET',
  path: '/teams/{teamId}/members',
  params: TeamParams,
  query: z.strictObject({ ...PageQuery, status: z._default(z.enum(['pending', 'active']), 'active') }),
  response: pageOf(TeamMemberView),
  description:
    "The team's active members or its pending join requests, oldest first: for the team's leader and admins of its scope.",
  tag: 'teams',
  errors: ['FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { teamId: TEAM.teamId },
    query: { status: 'pending', limit: 20 },
    response: { items: [TEAM_MEMBER] },
  },
} as const satisfies Contract;

export const approveTeamMember = {
  method: 'POST',
  path: '/teams/{teamId}/members/{memberId}/approve',
  params: TeamMemberParams,
  response: TeamMemberView,
  description: "The team's leader (team_leader of this team) approves; memberCount goes up by one.",
  tag: 'teams',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'JOIN_NOT_PENDING', 'NOT_FOUND'],
  examples: { params: { teamId: TEAM.teamId, memberId: TEAM_MEMBER.memberId }, response: DECIDED },
} as const satisfies Contract;

export const rejectTeamMember = {
  method: 'POST',
  path: '/teams/{teamId}/members/{memberId}/reject',
  params: TeamMemberParams,
  body: z.optional(z.strictObject({ reason: z.optional(Text(500)) })),
  response: TeamMemberView,
  tag: 'teams',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'JOIN_NOT_PENDING', 'NOT_FOUND'],
  examples: {
    params: { teamId: TEAM.teamId, memberId: TEAM_MEMBER.memberId },
    body: { reason: '本队暂不招募' },
    response: { ...DECIDED, status: 'rejected', reason: '本队暂不招募' },
  },
} as const satisfies Contract;

export const grantTeamFlag = {
  method: 'POST',
  path: '/teams/{teamId}/flag-grant',
  params: TeamParams,
  body: describe(
    z.strictObject({
      date: Day,
      kickoffMonth: describe(
        z.optional(Month),
        'the month whose kickoff the flag was given at; the date must lie in it',
      ),
    }),
    'The date of the grant; with kickoffMonth, a date in that month (else 400).',
  ),
  response: TeamView,
  idempotent: true,
  description: 'Records the flag grant (授旗), once: a second grant is 409 FLAG_ALREADY_GRANTED.',
  rules: { 'body.date': 'not after today (Asia/Shanghai); a day in kickoffMonth, when kickoffMonth is given' },
  tag: 'teams',
  errors: ['CONCURRENT_UPDATE', 'FLAG_ALREADY_GRANTED', 'NOT_FOUND'],
  examples: {
    params: { teamId: TEAM.teamId },
    body: { date: '2026-12-05', kickoffMonth: '2026-12' },
    response: { ...TEAM, flagGrantedOn: '2026-12-05', flagGrantedAtKickoff: '2026-12' },
  },
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
  tag: 'teams',
  errors: [
    'ALREADY_LEADS_TEAM',
    'CONCURRENT_UPDATE',
    'NOT_FOUND',
    'NOT_TEAM_MEMBER',
    'ROLE_ALREADY_HELD',
    'ROLE_NOT_HELD',
    'SCOPE_CONFLICT',
    'UNKNOWN_MEMBER',
  ],
  examples: {
    params: { teamId: TEAM.teamId },
    body: { memberId: 'm-demo-2', reason: '原队长工作调动' },
    response: { ...TEAM, leaderMemberId: 'm-demo-2', leaderName: '李芳' },
  },
} as const satisfies Contract;

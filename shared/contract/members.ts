import * as z from 'zod/mini';
import { CATEGORIES } from '../domain/categories.ts';
import { CHECKIN_STATUSES } from '../domain/check-in.ts';
import { isValidIdNumber } from '../domain/masking.ts';
import type { Contract } from '../http/api.ts';
import { Category, describe, documented, Id, IsoTime, Line, named, pageOf, PageQuery, Phone, Text } from './common.ts';

/** Schemas of the streets, communities, grids, members and check-in routes. */

const IdNumber = named(
  'IdNumber',
  documented(
    z.string().check(z.refine(isValidIdNumber, 'an 18-character resident ID number with a valid check digit')),
    {
      pattern: '^\\d{17}[\\dX]$',
      description:
        'a resident ID number (GB 11643): 17 digits and a check character (a digit or X) that must match the ISO 7064 MOD 11-2 checksum of the digits',
    },
  ),
);
const Skills = z.array(Line(32)).check(z.maxLength(20, 'at most 20 skills'));
const Categories = z.array(Category).check(z.maxLength(CATEGORIES.length));
const CheckInStatus = named('CheckInStatus', z.enum(CHECKIN_STATUSES));

export const StreetView = named('Street', z.object({ streetId: Id, name: z.string(), createdAt: IsoTime }));
export const CommunityView = named(
  'Community',
  z.object({
    communityId: Id,
    name: z.string(),
    streetId: Id,
    kind: z.enum(['urban', 'rural']),
    address: z.optional(z.string()),
    createdAt: IsoTime,
  }),
);
export const GridView = named(
  'Grid',
  z.object({
    gridId: Id,
    communityId: Id,
    name: z.string(),
    description: z.optional(z.string()),
    createdAt: IsoTime,
  }),
);

export const MemberView = named(
  'Member',
  z.object({
    memberId: Id,
    name: z.string(),
    phone: describe(z.string(), 'full to the member and admins of their scope, else masked: 138****5678'),
    idNumber: describe(z.optional(z.string()), 'full to the member and admins of their scope, else masked'),
    skills: z.array(z.string()),
    categories: z.array(Category),
    bio: z.optional(z.string()),
    communityId: z.optional(Id),
    streetId: z.optional(Id),
    gridId: z.optional(Id),
    checkedInAt: z.optional(IsoTime),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  }),
);

export const RosterView = named(
  'RosterEntry',
  z.object({
    memberId: Id,
    name: z.string(),
    phone: describe(z.string(), 'always masked in lists'),
    gridId: z.optional(Id),
    skills: z.array(z.string()),
    categories: z.array(Category),
    checkedInAt: IsoTime,
  }),
);

export const CheckInView = named(
  'CheckIn',
  z.object({
    checkInId: Id,
    memberId: Id,
    memberName: z.string(),
    communityId: Id,
    streetId: Id,
    gridId: z.optional(Id),
    note: z.optional(z.string()),
    status: CheckInStatus,
    createdAt: IsoTime,
    decidedAt: z.optional(IsoTime),
    decidedBy: z.optional(z.string()),
    reason: z.optional(z.string()),
  }),
);

// ---------- examples (the document's; a test holds each to its schema) ----------

const STREET = { streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D', name: '春熙路街道', createdAt: '2026-03-02T01:20:00.000Z' };
const COMMUNITY = {
  communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  name: '红星社区',
  streetId: STREET.streetId,
  kind: 'urban',
  address: '锦江区红星路二段 88 号',
  createdAt: '2026-03-02T01:25:00.000Z',
};
const GRID = {
  gridId: 'gr_01KC0ZA1B2C3D4E5F6G7H8J9K0',
  communityId: COMMUNITY.communityId,
  name: '第一网格',
  description: '红星路二段 80-120 号',
  createdAt: '2026-03-02T01:30:00.000Z',
};
const MEMBER = {
  memberId: 'm-demo-1',
  name: '王小明',
  phone: '13912345678',
  skills: ['急救', '理发'],
  categories: ['health', 'elderly-care'],
  bio: '社区医院护士',
  communityId: COMMUNITY.communityId,
  streetId: STREET.streetId,
  gridId: GRID.gridId,
  checkedInAt: '2026-03-05T02:00:00.000Z',
  createdAt: '2026-03-04T09:12:00.000Z',
  updatedAt: '2026-03-05T02:00:00.000Z',
};
const CHECK_IN = {
  checkInId: 'ci_01KC1B2C3D4E5F6G7H8J9K0M1N',
  memberId: MEMBER.memberId,
  memberName: MEMBER.name,
  communityId: COMMUNITY.communityId,
  streetId: STREET.streetId,
  gridId: GRID.gridId,
  note: '住在 3 栋',
  status: 'pending',
  createdAt: '2026-03-04T09:20:00.000Z',
};
const APPROVED = { ...CHECK_IN, status: 'approved', decidedAt: '2026-03-05T02:00:00.000Z', decidedBy: 'admin-sub-1' };
const CURSOR = 'eyJwayI6IkNPTU1VTklUWSJ9';

const CommunityParams = z.strictObject({ communityId: Id });
const CheckInParams = z.strictObject({ checkInId: Id });

export const createStreet = {
  method: 'POST',
  path: '/streets',
  body: z.strictObject({ name: Line(64) }),
  response: StreetView,
  status: 201,
  idempotent: true,
  tag: 'places',
  errors: ['CONCURRENT_UPDATE'],
  examples: { body: { name: STREET.name }, response: STREET },
} as const satisfies Contract;

export const listStreets = {
  method: 'GET',
  path: '/streets',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(StreetView),
  tag: 'places',
  errors: [],
  examples: { query: { limit: 20 }, response: { items: [STREET], nextCursor: CURSOR } },
} as const satisfies Contract;

export const createCommunity = {
  method: 'POST',
  path: '/communities',
  body: z.strictObject({
    name: Line(64),
    streetId: Id,
    kind: describe(z._default(z.enum(['urban', 'rural']), 'urban'), 'urban community (社区) or rural village (村)'),
    address: z.optional(Line(200)),
  }),
  response: CommunityView,
  status: 201,
  idempotent: true,
  tag: 'places',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'UNKNOWN_STREET'],
  examples: {
    body: { name: COMMUNITY.name, streetId: STREET.streetId, kind: 'urban', address: COMMUNITY.address },
    response: COMMUNITY,
  },
} as const satisfies Contract;

export const listCommunities = {
  method: 'GET',
  path: '/communities',
  query: z.strictObject({ ...PageQuery, streetId: z.optional(Id) }),
  response: pageOf(CommunityView),
  tag: 'places',
  errors: [],
  examples: { query: { streetId: STREET.streetId, limit: 20 }, response: { items: [COMMUNITY] } },
} as const satisfies Contract;

export const getCommunity = {
  method: 'GET',
  path: '/communities/{communityId}',
  params: CommunityParams,
  response: CommunityView,
  tag: 'places',
  errors: ['NOT_FOUND'],
  examples: { params: { communityId: COMMUNITY.communityId }, response: COMMUNITY },
} as const satisfies Contract;

export const createGrid = {
  method: 'POST',
  path: '/communities/{communityId}/grids',
  params: CommunityParams,
  body: z.strictObject({ name: Line(64), description: z.optional(Text(500)) }),
  response: GridView,
  status: 201,
  idempotent: true,
  tag: 'places',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { communityId: COMMUNITY.communityId },
    body: { name: GRID.name, description: GRID.description },
    response: GRID,
  },
} as const satisfies Contract;

export const listGrids = {
  method: 'GET',
  path: '/communities/{communityId}/grids',
  params: CommunityParams,
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(GridView),
  tag: 'places',
  errors: ['NOT_FOUND'],
  examples: { params: { communityId: COMMUNITY.communityId }, query: { limit: 20 }, response: { items: [GRID] } },
} as const satisfies Contract;

export const createMember = {
  method: 'POST',
  path: '/members',
  body: z.strictObject({
    name: Line(32),
    phone: Phone,
    idNumber: z.optional(IdNumber),
    skills: z._default(Skills, []),
    categories: z._default(Categories, []),
    bio: z.optional(Text(500)),
  }),
  response: MemberView,
  status: 201,
  idempotent: true,
  rules: { 'body.idNumber': 'its check character matches the 17 digits (ISO 7064 MOD 11-2, GB 11643)' },
  tag: 'members',
  errors: ['CONCURRENT_UPDATE', 'MEMBER_ALREADY_EXISTS'],
  examples: {
    body: {
      name: MEMBER.name,
      phone: MEMBER.phone,
      skills: MEMBER.skills,
      categories: MEMBER.categories,
      bio: MEMBER.bio,
    },
    response: { ...MEMBER, communityId: undefined, streetId: undefined, gridId: undefined, checkedInAt: undefined },
  },
} as const satisfies Contract;

export const getMe = {
  method: 'GET',
  path: '/members/me',
  response: MemberView,
  tag: 'members',
  errors: ['PROFILE_REQUIRED'],
  examples: { response: MEMBER },
} as const satisfies Contract;

export const patchMe = {
  method: 'PATCH',
  path: '/members/me',
  body: documented(
    z
      .strictObject({
        name: z.optional(Line(32)),
        phone: z.optional(Phone),
        idNumber: describe(z.optional(z.nullable(IdNumber)), 'null removes it'),
        skills: z.optional(Skills),
        categories: z.optional(Categories),
        bio: describe(z.optional(z.nullable(Text(500))), 'null removes it'),
      })
      .check(z.refine((b) => Object.keys(b).length > 0, 'change at least one field')),
    { minProperties: 1, description: 'the fields to change: at least one' },
  ),
  response: MemberView,
  rules: { 'body.idNumber': 'its check character matches the 17 digits (ISO 7064 MOD 11-2, GB 11643)' },
  tag: 'members',
  errors: ['CONCURRENT_UPDATE', 'PROFILE_REQUIRED'],
  examples: {
    body: { skills: ['急救', '理发', '书法'], bio: null },
    response: { ...MEMBER, skills: ['急救', '理发', '书法'] },
  },
} as const satisfies Contract;

export const requestCheckIn = {
  method: 'POST',
  path: '/check-ins',
  body: z.strictObject({ communityId: Id, gridId: z.optional(Id), note: z.optional(Text(500)) }),
  response: CheckInView,
  status: 201,
  idempotent: true,
  tag: 'check-ins',
  errors: [
    'ALREADY_CHECKED_IN',
    'CHECKIN_ALREADY_PENDING',
    'CONCURRENT_UPDATE',
    'PROFILE_REQUIRED',
    'UNKNOWN_COMMUNITY',
    'UNKNOWN_GRID',
  ],
  examples: {
    body: { communityId: COMMUNITY.communityId, gridId: GRID.gridId, note: CHECK_IN.note },
    response: CHECK_IN,
  },
} as const satisfies Contract;

export const listMyCheckIns = {
  method: 'GET',
  path: '/members/me/check-ins',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(CheckInView),
  tag: 'check-ins',
  errors: [],
  examples: { query: { limit: 20 }, response: { items: [APPROVED] } },
} as const satisfies Contract;

export const listCommunityCheckIns = {
  method: 'GET',
  path: '/communities/{communityId}/check-ins',
  params: CommunityParams,
  query: z.strictObject({ ...PageQuery, status: z._default(CheckInStatus, 'pending') }),
  response: pageOf(CheckInView),
  tag: 'check-ins',
  errors: ['FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { communityId: COMMUNITY.communityId },
    query: { status: 'pending', limit: 20 },
    response: { items: [CHECK_IN], nextCursor: CURSOR },
  },
} as const satisfies Contract;

export const approveCheckIn = {
  method: 'POST',
  path: '/check-ins/{checkInId}/approve',
  params: CheckInParams,
  response: CheckInView,
  tag: 'check-ins',
  errors: [
    'ALREADY_LEADS_TEAM',
    'CHECKIN_NOT_PENDING',
    'CONCURRENT_UPDATE',
    'NOT_FOUND',
    'ROLE_ALREADY_HELD',
    'ROLE_NOT_HELD',
    'SCOPE_CONFLICT',
  ],
  examples: { params: { checkInId: CHECK_IN.checkInId }, response: APPROVED },
} as const satisfies Contract;

export const rejectCheckIn = {
  method: 'POST',
  path: '/check-ins/{checkInId}/reject',
  params: CheckInParams,
  body: z.strictObject({ reason: Text(500) }),
  response: CheckInView,
  tag: 'check-ins',
  errors: ['CHECKIN_NOT_PENDING', 'CONCURRENT_UPDATE', 'NOT_FOUND'],
  examples: {
    params: { checkInId: CHECK_IN.checkInId },
    body: { reason: '地址不在本社区' },
    response: { ...APPROVED, status: 'rejected', reason: '地址不在本社区' },
  },
} as const satisfies Contract;

export const listCommunityMembers = {
  method: 'GET',
  path: '/communities/{communityId}/members',
  params: CommunityParams,
  query: z.strictObject({ ...PageQuery, gridId: z.optional(Id) }),
  response: pageOf(RosterView),
  description: 'Members checked in to the community, ordered by grid (members without a grid last); phones masked.',
  tag: 'members',
  errors: ['FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { communityId: COMMUNITY.communityId },
    query: { gridId: GRID.gridId, limit: 20 },
    response: {
      items: [
        {
          memberId: MEMBER.memberId,
          name: MEMBER.name,
          phone: '139****5678',
          gridId: GRID.gridId,
          skills: MEMBER.skills,
          categories: MEMBER.categories,
          checkedInAt: MEMBER.checkedInAt,
        },
      ],
    },
  },
} as const satisfies Contract;

export const getMember = {
  method: 'GET',
  path: '/members/{memberId}',
  params: z.strictObject({ memberId: Id }),
  response: MemberView,
  description:
    'One member, for admins of the community they are checked in to (or above): phone and ID number in full.',
  tag: 'members',
  errors: ['NOT_FOUND'],
  examples: { params: { memberId: MEMBER.memberId }, response: { ...MEMBER, idNumber: '510104199003070015' } },
} as const satisfies Contract;

import * as z from 'zod/mini';
import { CATEGORIES } from '../domain/categories.ts';
import { CHECKIN_STATUSES } from '../domain/check-in.ts';
import { PHONE_PATTERN, isValidIdNumber } from '../domain/masking.ts';
import type { Contract } from '../http/api.ts';
import { describe, Id, IsoTime, PageQuery, Line, Text, pageOf } from './common.ts';

/** Schemas of the streets, communities, grids, members and check-in routes. */

const Phone = z.string().check(z.regex(PHONE_PATTERN, 'a mainland mobile number: 11 digits starting 13-19'));
const IdNumber = z
  .string()
  .check(z.refine(isValidIdNumber, 'an 18-character resident ID number with a valid check digit'));
const Skills = z.array(Line(32)).check(z.maxLength(20, 'at most 20 skills'));
const Categories = z.array(z.enum(CATEGORIES)).check(z.maxLength(CATEGORIES.length));

export const StreetView = z.object({ streetId: Id, name: z.string(), createdAt: IsoTime });
export const CommunityView = z.object({
  communityId: Id,
  name: z.string(),
  streetId: Id,
  kind: z.enum(['urban', 'rural']),
  address: z.optional(z.string()),
  createdAt: IsoTime,
});
export const GridView = z.object({
  gridId: Id,
  communityId: Id,
  name: z.string(),
  description: z.optional(z.string()),
  createdAt: IsoTime,
});

export const MemberView = z.object({
  memberId: Id,
  name: z.string(),
  phone: describe(z.string(), 'full to the member and admins of their scope, else masked: 138****5678'),
  idNumber: describe(z.optional(z.string()), 'full to the member and admins of their scope, else masked'),
  skills: z.array(z.string()),
  categories: z.array(z.enum(CATEGORIES)),
  bio: z.optional(z.string()),
  communityId: z.optional(Id),
  streetId: z.optional(Id),
  gridId: z.optional(Id),
  checkedInAt: z.optional(IsoTime),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});

export const RosterView = z.object({
  memberId: Id,
  name: z.string(),
  phone: describe(z.string(), 'always masked in lists'),
  gridId: z.optional(Id),
  skills: z.array(z.string()),
  categories: z.array(z.enum(CATEGORIES)),
  checkedInAt: IsoTime,
});

export const CheckInView = z.object({
  checkInId: Id,
  memberId: Id,
  memberName: z.string(),
  communityId: Id,
  streetId: Id,
  gridId: z.optional(Id),
  note: z.optional(z.string()),
  status: z.enum(CHECKIN_STATUSES),
  createdAt: IsoTime,
  decidedAt: z.optional(IsoTime),
  decidedBy: z.optional(z.string()),
  reason: z.optional(z.string()),
});

const CommunityParams = z.strictObject({ communityId: Id });
const CheckInParams = z.strictObject({ checkInId: Id });

export const createStreet = {
  method: 'POST',
  path: '/streets',
  body: z.strictObject({ name: Line(64) }),
  response: StreetView,
  status: 201,
  idempotent: true,
} as const satisfies Contract;

export const listStreets = {
  method: 'GET',
  path: '/streets',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(StreetView),
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
} as const satisfies Contract;

export const listCommunities = {
  method: 'GET',
  path: '/communities',
  query: z.strictObject({ ...PageQuery, streetId: z.optional(Id) }),
  response: pageOf(CommunityView),
} as const satisfies Contract;

export const getCommunity = {
  method: 'GET',
  path: '/communities/{communityId}',
  params: CommunityParams,
  response: CommunityView,
} as const satisfies Contract;

export const createGrid = {
  method: 'POST',
  path: '/communities/{communityId}/grids',
  params: CommunityParams,
  body: z.strictObject({ name: Line(64), description: z.optional(Text(500)) }),
  response: GridView,
  status: 201,
  idempotent: true,
} as const satisfies Contract;

export const listGrids = {
  method: 'GET',
  path: '/communities/{communityId}/grids',
  params: CommunityParams,
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(GridView),
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
} as const satisfies Contract;

export const getMe = { method: 'GET', path: '/members/me', response: MemberView } as const satisfies Contract;

export const patchMe = {
  method: 'PATCH',
  path: '/members/me',
  body: z
    .strictObject({
      name: z.optional(Line(32)),
      phone: z.optional(Phone),
      idNumber: describe(z.optional(z.nullable(IdNumber)), 'null removes it'),
      skills: z.optional(Skills),
      categories: z.optional(Categories),
      bio: describe(z.optional(z.nullable(Text(500))), 'null removes it'),
    })
    .check(z.refine((b) => Object.keys(b).length > 0, 'change at least one field')),
  response: MemberView,
} as const satisfies Contract;

export const requestCheckIn = {
  method: 'POST',
  path: '/check-ins',
  body: z.strictObject({ communityId: Id, gridId: z.optional(Id), note: z.optional(Text(500)) }),
  response: CheckInView,
  status: 201,
  idempotent: true,
} as const satisfies Contract;

export const listMyCheckIns = {
  method: 'GET',
  path: '/members/me/check-ins',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(CheckInView),
} as const satisfies Contract;

export const listCommunityCheckIns = {
  method: 'GET',
  path: '/communities/{communityId}/check-ins',
  params: CommunityParams,
  query: z.strictObject({ ...PageQuery, status: z._default(z.enum(CHECKIN_STATUSES), 'pending') }),
  response: pageOf(CheckInView),
} as const satisfies Contract;

export const approveCheckIn = {
  method: 'POST',
  path: '/check-ins/{checkInId}/approve',
  params: CheckInParams,
  response: CheckInView,
} as const satisfies Contract;

export const rejectCheckIn = {
  method: 'POST',
  path: '/check-ins/{checkInId}/reject',
  params: CheckInParams,
  body: z.strictObject({ reason: Text(500) }),
  response: CheckInView,
} as const satisfies Contract;

export const listCommunityMembers = {
  method: 'GET',
  path: '/communities/{communityId}/members',
  params: CommunityParams,
  query: z.strictObject({ ...PageQuery, gridId: z.optional(Id) }),
  response: pageOf(RosterView),
  description: 'Members checked in to the community, ordered by grid (members without a grid last); phones masked.',
} as const satisfies Contract;

export const getMember = {
  method: 'GET',
  path: '/members/{memberId}',
  params: z.strictObject({ memberId: Id }),
  response: MemberView,
  description:
    'One member, for admins of the community they are checked in to (or above): phone and ID number in full.',
} as const satisfies Contract;

import * as z from 'zod';
import { CATEGORIES } from '../domain/categories.ts';
import { CHECKIN_STATUSES } from '../domain/check-in.ts';
import { PHONE_PATTERN, isValidIdNumber } from '../domain/masking.ts';
import type { Contract } from '../http/api.ts';
import { Id, IsoTime, PageQuery, Text, pageOf } from './common.ts';

/** Schemas of the streets, communities, grids, members and check-in routes. */

const Phone = z.string().regex(PHONE_PATTERN, 'a mainland mobile number: 11 digits starting 13-19');
const IdNumber = z.string().refine(isValidIdNumber, 'an 18-character resident ID number with a valid check digit');
const Skills = z.array(Text(32)).max(20);
const Categories = z.array(z.enum(CATEGORIES)).max(CATEGORIES.length);

export const StreetView = z.object({ streetId: Id, name: z.string(), createdAt: IsoTime });
export const CommunityView = z.object({
  communityId: Id,
  name: z.string(),
  streetId: Id,
  kind: z.enum(['urban', 'rural']),
  address: z.string().optional(),
  createdAt: IsoTime,
});
export const GridView = z.object({ gridId: Id, communityId: Id, name: z.string(), description: z.string().optional(), createdAt: IsoTime });

export const MemberView = z.object({
  memberId: Id,
  name: z.string(),
  phone: z.string().describe('full to the member and admins of their scope, else masked: 138****5678'),
  idNumber: z.string().optional().describe('full to the member and admins of their scope, else masked'),
  skills: z.array(z.string()),
  categories: z.array(z.enum(CATEGORIES)),
  bio: z.string().optional(),
  communityId: Id.optional(),
  streetId: Id.optional(),
  gridId: Id.optional(),
  checkedInAt: IsoTime.optional(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});

export const RosterView = z.object({
  memberId: Id,
  name: z.string(),
  phone: z.string().describe('always masked in lists'),
  gridId: Id.optional(),
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
  gridId: Id.optional(),
  note: z.string().optional(),
  status: z.enum(CHECKIN_STATUSES),
  createdAt: IsoTime,
  decidedAt: IsoTime.optional(),
  decidedBy: z.string().optional(),
  reason: z.string().optional(),
});

const CommunityParams = z.strictObject({ communityId: Id });
const CheckInParams = z.strictObject({ checkInId: Id });

export const createStreet = {
  method: 'POST',
  path: '/streets',
  body: z.strictObject({ name: Text(64) }),
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
    name: Text(64),
    streetId: Id,
    kind: z.enum(['urban', 'rural']).default('urban').describe('urban community (社区) or rural village (村)'),
    address: Text(200).optional(),
  }),
  response: CommunityView,
  status: 201,
  idempotent: true,
} as const satisfies Contract;

export const listCommunities = {
  method: 'GET',
  path: '/communities',
  query: z.strictObject({ ...PageQuery, streetId: Id.optional() }),
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
  body: z.strictObject({ name: Text(64), description: Text(500).optional() }),
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
    name: Text(32),
    phone: Phone,
    idNumber: IdNumber.optional(),
    skills: Skills.default([]),
    categories: Categories.default([]),
    bio: Text(500).optional(),
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
      name: Text(32).optional(),
      phone: Phone.optional(),
      idNumber: IdNumber.nullable().optional().describe('null removes it'),
      skills: Skills.optional(),
      categories: Categories.optional(),
      bio: Text(500).nullable().optional().describe('null removes it'),
    })
    .refine((b) => Object.keys(b).length > 0, 'change at least one field'),
  response: MemberView,
} as const satisfies Contract;

export const requestCheckIn = {
  method: 'POST',
  path: '/check-ins',
  body: z.strictObject({ communityId: Id, gridId: Id.optional(), note: Text(500).optional() }),
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
  query: z.strictObject({ ...PageQuery, status: z.enum(CHECKIN_STATUSES).default('pending') }),
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
  query: z.strictObject({ ...PageQuery, gridId: Id.optional() }),
  response: pageOf(RosterView),
  description: 'Members checked in to the community, ordered by grid (members without a grid last); phones masked.',
} as const satisfies Contract;

export const getMember = {
  method: 'GET',
  path: '/members/{memberId}',
  params: z.strictObject({ memberId: Id }),
  response: MemberView,
  description: 'One member, for admins of the community they are checked in to (or above): phone and ID number in full.',
} as const satisfies Contract;

import * as z from 'zod/mini';
import { CATEGORIES } from '../domain/categories.ts';
import { PHONE_PATTERN } from '../domain/masking.ts';
import { MAX_SKILLS_WANTED, WISH_EVENT_TYPES, WISH_STATES, isCompletionHours } from '../domain/wish.ts';
import type { Contract } from '../http/api.ts';
import { describe, Id, IsoTime, PageQuery, Line, pageOf, QueryInt, Text } from './common.ts';

/** Schemas of the micro-wishes routes. */

const Phone = z.string().check(z.regex(PHONE_PATTERN, 'a mainland mobile number: 11 digits starting 13-19'));
const State = z.enum(WISH_STATES);
const Claimant = z.union([
  z.object({ kind: z.literal('member'), memberId: Id }),
  z.object({ kind: z.literal('team'), teamId: Id, teamName: z.string(), leaderMemberId: Id }),
]);

export const WishView = z.object({
  wishId: Id,
  title: z.string(),
  description: z.string(),
  category: z.enum(CATEGORIES),
  skillsWanted: z.array(z.string()),
  streetId: Id,
  communityId: Id,
  communityName: z.string(),
  gridId: z.optional(Id),
  gridName: z.optional(z.string()),
  status: State,
  version: describe(z.number(), 'goes up by one with every change; the events are numbered by it'),
  residentName: describe(
    z.string(),
    'masked (张*) except to the resident who posted it and admins of its community; lists always mask',
  ),
  contactPhone: describe(
    z.optional(z.string()),
    'only to the resident who posted it and admins of its community, never in lists',
  ),
  mine: describe(z.boolean(), 'the caller posted it'),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  reviewedAt: z.optional(IsoTime),
  reviewedBy: z.optional(z.string()),
  rejectReason: z.optional(z.string()),
  publishedAt: z.optional(IsoTime),
  escalatedAt: z.optional(IsoTime),
  claimant: z.optional(Claimant),
  claimedAt: z.optional(IsoTime),
  completedAt: z.optional(IsoTime),
  completionNote: z.optional(z.string()),
  hours: z.optional(z.number()),
  recordId: describe(z.optional(Id), 'the service record written when a member completed it'),
  confirmedAt: z.optional(IsoTime),
  rating: z.optional(z.number()),
  comment: z.optional(z.string()),
  autoConfirmed: describe(
    z.optional(z.boolean()),
    'confirmed by the daily job 14 days after completion, without rating',
  ),
  withdrawnAt: z.optional(IsoTime),
});

export const WishEventView = z.object({
  wishId: Id,
  seq: z.number(),
  eventType: z.enum(WISH_EVENT_TYPES),
  at: IsoTime,
  actor: describe(
    z.object({
      kind: z.enum(['resident', 'member', 'team', 'admin', 'system']),
      memberId: z.optional(Id),
      teamId: z.optional(Id),
      sub: z.optional(z.string()),
      job: z.optional(z.string()),
    }),
    'who acted, by id; the resident is never identified',
  ),
  from: z.optional(State),
  to: State,
  communityId: Id,
  gridId: z.optional(Id),
  category: z.enum(CATEGORIES),
  claimant: z.optional(Claimant),
  hours: z.optional(z.number()),
  rating: z.optional(z.number()),
});

export const SuggestionView = z.object({
  ...WishView.shape,
  score: z.number(),
  reasons: describe(z.array(z.string()), "why: 'skills: 急救', 'same grid', 'same community', 'waiting 5 days'..."),
});

const WishParams = z.strictObject({ wishId: Id });

export const postWish = {
  method: 'POST',
  path: '/wishes',
  body: z.strictObject({
    title: Line(64),
    description: Text(1000),
    category: z.enum(CATEGORIES),
    skillsWanted: describe(
      z._default(z.array(Line(32)).check(z.maxLength(MAX_SKILLS_WANTED, `at most ${MAX_SKILLS_WANTED} skills`)), []),
      'skills that would help; members with them are suggested this wish first',
    ),
    communityId: Id,
    gridId: z.optional(Id),
    contactName: describe(Line(32), 'shown masked (张*) to everyone but you and the community’s admins'),
    contactPhone: describe(Phone, 'shown only to you and the community’s admins'),
  }),
  response: WishView,
  status: 201,
  idempotent: true,
  description: 'A resident posts a wish; it waits for review by the community.',
} as const satisfies Contract;

export const listMyWishes = {
  method: 'GET',
  path: '/wishes/mine',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(WishView),
  description: "The calling resident's own wishes, newest first, in every state, with their own contact details.",
} as const satisfies Contract;

export const listWishes = {
  method: 'GET',
  path: '/wishes',
  query: z
    .strictObject({
      ...PageQuery,
      communityId: z.optional(Id),
      status: describe(
        z._default(State, 'published'),
        'default published; pending_review, rejected and withdrawn for admins of the community',
      ),
    })
    .check(
      z.refine((q) => q.communityId !== undefined || q.status === 'escalated', {
        message: 'give a communityId, or status=escalated for the whole district',
        path: ['communityId'],
      }),
    ),
  response: pageOf(WishView),
  description:
    "A community's wish wall by status, newest first; without communityId and with status=escalated, the district's escalated wishes (for team leaders). The resident is always masked.",
} as const satisfies Contract;

export const suggestedWishes = {
  method: 'GET',
  path: '/wishes/suggested',
  query: z.strictObject({ limit: z._default(QueryInt(1, 50), 10) }),
  response: z.object({ items: z.array(SuggestionView) }),
  description:
    'Open wishes ranked for my skills, grid and community, and by how long they have waited; each says why. Reads at most 100 wishes.',
} as const satisfies Contract;

export const getWish = {
  method: 'GET',
  path: '/wishes/{wishId}',
  params: WishParams,
  response: WishView,
} as const satisfies Contract;

export const listWishEvents = {
  method: 'GET',
  path: '/wishes/{wishId}/events',
  params: WishParams,
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(WishEventView),
  description: "The wish's outbox, oldest first: one event per change, with ids but no personal data.",
} as const satisfies Contract;

export const reviewWish = {
  method: 'POST',
  path: '/wishes/{wishId}/review',
  params: WishParams,
  body: z
    .strictObject({
      decision: z.enum(['publish', 'reject']),
      reason: describe(z.optional(Text(500)), 'required to reject'),
    })
    .check(
      z.refine((b) => b.decision !== 'reject' || b.reason !== undefined, {
        message: 'a rejection needs a reason',
        path: ['reason'],
      }),
    ),
  response: WishView,
} as const satisfies Contract;

export const withdrawWish = {
  method: 'POST',
  path: '/wishes/{wishId}/withdraw',
  params: WishParams,
  response: WishView,
  description: 'The resident who posted it withdraws it, before anyone claims it.',
} as const satisfies Contract;

export const claimWish = {
  method: 'POST',
  path: '/wishes/{wishId}/claim',
  params: WishParams,
  response: WishView,
  description:
    '409 WISH_ALREADY_CLAIMED to all but one of concurrent claims; 409 CLAIM_LIMIT_REACHED past the open-claims limit (3).',
} as const satisfies Contract;

export const releaseWish = {
  method: 'POST',
  path: '/wishes/{wishId}/release',
  params: WishParams,
  response: WishView,
} as const satisfies Contract;

export const takeOnWish = {
  method: 'POST',
  path: '/wishes/{wishId}/take-on',
  params: WishParams,
  response: WishView,
  description: 'The leader of the team in my token takes on an escalated wish for the team.',
} as const satisfies Contract;

export const completeWish = {
  method: 'POST',
  path: '/wishes/{wishId}/complete',
  params: WishParams,
  body: z.strictObject({
    note: Text(500),
    hours: describe(
      z.number().check(z.refine(isCompletionHours, 'half-hour steps from 0.5 to 24')),
      'hours actually spent',
    ),
  }),
  response: WishView,
  description: "A member's completion writes their service record.",
} as const satisfies Contract;

export const confirmWish = {
  method: 'POST',
  path: '/wishes/{wishId}/confirm',
  params: WishParams,
  body: z.strictObject({
    rating: z.number().check(z.int(), z.minimum(1), z.maximum(5)),
    comment: z.optional(Text(500)),
  }),
  response: WishView,
} as const satisfies Contract;

import * as z from 'zod/mini';
import { MAX_SKILLS_WANTED, WISH_EVENT_TYPES, WISH_STATES, isCompletionHours } from '../domain/wish.ts';
import type { Contract } from '../http/api.ts';
import {
  Category,
  describe,
  documented,
  Id,
  ifThen,
  IsoTime,
  Line,
  named,
  pageOf,
  PageQuery,
  Phone,
  QueryInt,
  requires,
  Text,
} from './common.ts';

/** A team's completion names at most this many members who served. */
export const MAX_SERVED = 20;

/** Schemas of the micro-wishes routes. */

const State = named('WishState', z.enum(WISH_STATES));
const Claimant = named(
  'Claimant',
  z.union([
    z.object({ kind: z.literal('member'), memberId: Id }),
    z.object({ kind: z.literal('team'), teamId: Id, teamName: z.string(), leaderMemberId: Id }),
  ]),
);

export const WishView = named(
  'Wish',
  z.object({
    wishId: Id,
    title: z.string(),
    description: z.string(),
    category: Category,
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
    served: describe(
      z.optional(z.array(z.object({ memberId: Id, memberName: z.string(), hours: z.number() }))),
      "a team's completion: the members who served and each one's hours (each got a service record, counted)",
    ),
    confirmedAt: z.optional(IsoTime),
    rating: z.optional(z.number()),
    comment: z.optional(z.string()),
    autoConfirmed: describe(
      z.optional(z.boolean()),
      'confirmed by the daily job 14 days after completion, without rating',
    ),
    withdrawnAt: z.optional(IsoTime),
  }),
);

export const WishEventView = named(
  'WishEvent',
  z.object({
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
    category: Category,
    claimant: z.optional(Claimant),
    hours: z.optional(z.number()),
    rating: z.optional(z.number()),
  }),
);

export const SuggestionView = named(
  'WishSuggestion',
  z.object({
    ...WishView.shape,
    score: z.number(),
    reasons: describe(z.array(z.string()), "why: 'skills: 急救', 'same grid', 'same community', 'waiting 5 days'..."),
  }),
);

// ---------- examples (the document's; a test holds each to its schema) ----------

const WISH = {
  wishId: 'wi_01KC4A5B6C7D8E9F0G1H2J3K4M',
  title: '帮忙修理楼道灯',
  description: '3 栋 2 单元楼道灯坏了一个月，老人晚上上下楼不方便',
  category: 'elderly-care',
  skillsWanted: ['电工'],
  streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
  communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  communityName: '红星社区',
  gridId: 'gr_01KC0ZA1B2C3D4E5F6G7H8J9K0',
  gridName: '第一网格',
  status: 'published',
  version: 2,
  residentName: '张*',
  mine: false,
  createdAt: '2026-12-01T02:00:00.000Z',
  updatedAt: '2026-12-01T06:00:00.000Z',
  reviewedAt: '2026-12-01T06:00:00.000Z',
  reviewedBy: 'admin-sub-1',
  publishedAt: '2026-12-01T06:00:00.000Z',
};
const MINE = { ...WISH, residentName: '张秀英', contactPhone: '13812345678', mine: true };
const CLAIMED = {
  ...WISH,
  status: 'claimed',
  version: 3,
  claimant: { kind: 'member', memberId: 'm-demo-2' },
  claimedAt: '2026-12-02T01:00:00.000Z',
  updatedAt: '2026-12-02T01:00:00.000Z',
};
const COMPLETED = {
  ...CLAIMED,
  status: 'completed',
  version: 4,
  completedAt: '2026-12-02T09:00:00.000Z',
  completionNote: '已更换灯泡和开关',
  hours: 1.5,
  recordId: 'sr_9M3P5R7T1V3X5Z7B9D1F3H5K7M',
  updatedAt: '2026-12-02T09:00:00.000Z',
};
const WISH_PARAMS = { wishId: WISH.wishId };

const WishParams = z.strictObject({ wishId: Id });

export const postWish = {
  method: 'POST',
  path: '/wishes',
  body: z.strictObject({
    title: Line(64),
    description: Text(1000),
    category: Category,
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
  tag: 'wishes',
  errors: ['CONCURRENT_UPDATE', 'UNKNOWN_COMMUNITY', 'UNKNOWN_GRID'],
  examples: {
    body: {
      title: WISH.title,
      description: WISH.description,
      category: WISH.category,
      skillsWanted: WISH.skillsWanted,
      communityId: WISH.communityId,
      gridId: WISH.gridId,
      contactName: '张秀英',
      contactPhone: '13812345678',
    },
    response: {
      ...MINE,
      status: 'pending_review',
      version: 1,
      updatedAt: WISH.createdAt,
      reviewedAt: undefined,
      reviewedBy: undefined,
      publishedAt: undefined,
    },
  },
} as const satisfies Contract;

export const listMyWishes = {
  method: 'GET',
  path: '/wishes/mine',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(WishView),
  description: "The calling resident's own wishes, newest first, in every state, with their own contact details.",
  tag: 'wishes',
  errors: [],
  examples: { query: { limit: 20 }, response: { items: [MINE] } },
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
  rules: { 'query.communityId': 'required, unless status=escalated (the whole district’s escalated wishes)' },
  tag: 'wishes',
  errors: ['FORBIDDEN', 'NOT_FOUND'],
  examples: { query: { communityId: WISH.communityId, status: 'published', limit: 20 }, response: { items: [WISH] } },
} as const satisfies Contract;

export const suggestedWishes = {
  method: 'GET',
  path: '/wishes/suggested',
  query: z.strictObject({ limit: z._default(QueryInt(1, 50), 10) }),
  response: z.object({ items: z.array(SuggestionView) }),
  description:
    'Open wishes ranked for my skills, grid and community, and by how long they have waited; each says why. Reads at most 100 wishes.',
  tag: 'wishes',
  errors: ['PROFILE_REQUIRED'],
  examples: {
    query: { limit: 10 },
    response: { items: [{ ...WISH, score: 7.5, reasons: ['skills: 电工', 'same grid', 'waiting 3 days'] }] },
  },
} as const satisfies Contract;

export const getWish = {
  method: 'GET',
  path: '/wishes/{wishId}',
  params: WishParams,
  response: WishView,
  tag: 'wishes',
  errors: ['NOT_FOUND'],
  examples: { params: WISH_PARAMS, response: WISH },
} as const satisfies Contract;

export const listWishEvents = {
  method: 'GET',
  path: '/wishes/{wishId}/events',
  params: WishParams,
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(WishEventView),
  description: "The wish's outbox, oldest first: one event per change, with ids but no personal data.",
  tag: 'wishes',
  errors: ['NOT_FOUND'],
  examples: {
    params: WISH_PARAMS,
    query: { limit: 20 },
    response: {
      items: [
        {
          wishId: WISH.wishId,
          seq: 1,
          eventType: 'WishPosted',
          at: WISH.createdAt,
          actor: { kind: 'resident' },
          to: 'pending_review',
          communityId: WISH.communityId,
          gridId: WISH.gridId,
          category: WISH.category,
        },
        {
          wishId: WISH.wishId,
          seq: 2,
          eventType: 'WishPublished',
          at: WISH.publishedAt,
          actor: { kind: 'admin', sub: 'admin-sub-1' },
          from: 'pending_review',
          to: 'published',
          communityId: WISH.communityId,
          gridId: WISH.gridId,
          category: WISH.category,
        },
      ],
    },
  },
} as const satisfies Contract;

export const reviewWish = {
  method: 'POST',
  path: '/wishes/{wishId}/review',
  params: WishParams,
  body: documented(
    z
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
    ifThen({ properties: { decision: { const: 'reject' } } }, requires('reason')),
  ),
  response: WishView,
  tag: 'wishes',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND', 'WISH_ACTION_NOT_ALLOWED', 'WISH_ALREADY_CLAIMED'],
  examples: { params: WISH_PARAMS, body: { decision: 'publish' }, response: WISH },
} as const satisfies Contract;

export const withdrawWish = {
  method: 'POST',
  path: '/wishes/{wishId}/withdraw',
  params: WishParams,
  response: WishView,
  description: 'The resident who posted it withdraws it, before anyone claims it.',
  tag: 'wishes',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND', 'WISH_ACTION_NOT_ALLOWED', 'WISH_ALREADY_CLAIMED'],
  examples: {
    params: WISH_PARAMS,
    response: { ...MINE, status: 'withdrawn', version: 3, withdrawnAt: '2026-12-01T09:00:00.000Z' },
  },
} as const satisfies Contract;

export const claimWish = {
  method: 'POST',
  path: '/wishes/{wishId}/claim',
  params: WishParams,
  response: WishView,
  description:
    '409 WISH_ALREADY_CLAIMED to all but one of concurrent claims; 409 CLAIM_LIMIT_REACHED past the open-claims limit (3).',
  tag: 'wishes',
  errors: [
    'CLAIM_LIMIT_REACHED',
    'CONCURRENT_UPDATE',
    'NOT_FOUND',
    'PROFILE_REQUIRED',
    'WISH_ACTION_NOT_ALLOWED',
    'WISH_ALREADY_CLAIMED',
  ],
  examples: { params: WISH_PARAMS, response: CLAIMED },
} as const satisfies Contract;

export const releaseWish = {
  method: 'POST',
  path: '/wishes/{wishId}/release',
  params: WishParams,
  response: WishView,
  tag: 'wishes',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND', 'WISH_ACTION_NOT_ALLOWED', 'WISH_ALREADY_CLAIMED'],
  examples: { params: WISH_PARAMS, response: { ...WISH, version: 4, updatedAt: '2026-12-02T03:00:00.000Z' } },
} as const satisfies Contract;

export const takeOnWish = {
  method: 'POST',
  path: '/wishes/{wishId}/take-on',
  params: WishParams,
  response: WishView,
  description: 'The leader of the team in my token takes on an escalated wish for the team.',
  tag: 'wishes',
  errors: [
    'CONCURRENT_UPDATE',
    'FORBIDDEN',
    'NOT_FOUND',
    'TEAM_INACTIVE',
    'WISH_ACTION_NOT_ALLOWED',
    'WISH_ALREADY_CLAIMED',
  ],
  examples: {
    params: WISH_PARAMS,
    response: {
      ...WISH,
      status: 'taken_on',
      version: 4,
      escalatedAt: '2026-12-08T00:00:00.000Z',
      claimant: {
        kind: 'team',
        teamId: 'team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N',
        teamName: '红星义诊队',
        leaderMemberId: 'm-demo-1',
      },
      claimedAt: '2026-12-08T02:00:00.000Z',
      updatedAt: '2026-12-08T02:00:00.000Z',
    },
  },
} as const satisfies Contract;

export const completeWish = {
  method: 'POST',
  path: '/wishes/{wishId}/complete',
  params: WishParams,
  body: z.strictObject({
    note: Text(500),
    hours: documented(z.number().check(z.refine(isCompletionHours, 'half-hour steps from 0.5 to 24')), {
      minimum: 0.5,
      maximum: 24,
      multipleOf: 0.5,
      description: 'hours actually spent, in half-hour steps from 0.5 to 24',
    }),
    served: describe(
      z.optional(
        z
          .array(
            z.strictObject({
              memberId: Id,
              hours: documented(z.number().check(z.refine(isCompletionHours, 'half-hour steps from 0.5 to 24')), {
                minimum: 0.5,
                maximum: 24,
                multipleOf: 0.5,
              }),
            }),
          )
          .check(z.minLength(1), z.maxLength(MAX_SERVED)),
      ),
      `a team's completion: the members of the team who served (1 to ${MAX_SERVED}, each once) and each one's hours`,
    ),
  }),
  response: WishView,
  description:
    "A member's completion writes their service record. A team's leader names the team's members who served and each one's hours: each gets a service record, counted in the statistics.",
  rules: {
    'body.served': "required when a team took the wish on (and only then); each member once, each on the team's roster",
  },
  tag: 'wishes',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND', 'WISH_ACTION_NOT_ALLOWED', 'WISH_ALREADY_CLAIMED'],
  examples: { params: WISH_PARAMS, body: { note: COMPLETED.completionNote, hours: 1.5 }, response: COMPLETED },
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
  tag: 'wishes',
  errors: ['CONCURRENT_UPDATE', 'FORBIDDEN', 'NOT_FOUND', 'WISH_ACTION_NOT_ALLOWED', 'WISH_ALREADY_CLAIMED'],
  examples: {
    params: WISH_PARAMS,
    body: { rating: 5, comment: '很及时，谢谢！' },
    response: {
      ...MINE,
      ...COMPLETED,
      residentName: MINE.residentName,
      mine: true,
      status: 'confirmed',
      version: 5,
      confirmedAt: '2026-12-03T01:00:00.000Z',
      rating: 5,
      comment: '很及时，谢谢！',
      updatedAt: '2026-12-03T01:00:00.000Z',
    },
  },
} as const satisfies Contract;

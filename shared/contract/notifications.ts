import * as z from 'zod/mini';
import { NOTICE_TYPE_NAMES } from '../domain/notices.ts';
import type { Contract } from '../http/api.ts';
import { describe, documented, Id, IsoTime, named, pageOf, PageQuery } from './common.ts';

/** Schemas of the notification routes: the inbox of members and residents, and their preferences. */

const NoticeType = named('NoticeType', z.enum(NOTICE_TYPE_NAMES as [string, ...string[]]));

export const NotificationView = named(
  'Notification',
  z.object({
    noticeId: Id,
    type: NoticeType,
    title: z.string(),
    body: z.string(),
    data: describe(
      z.record(z.string(), z.union([z.string(), z.number()])),
      'what the notice is about, by id (activityId, ticket, startsAt, ...): never personal data',
    ),
    createdAt: IsoTime,
    readAt: describe(z.optional(IsoTime), 'absent while unread'),
  }),
);

const ChannelSwitches = z.strictObject({
  inapp: z.optional(z.boolean()),
  sms: z.optional(z.boolean()),
  wechat: z.optional(z.boolean()),
});

export const PreferencesView = named(
  'NotificationPreferences',
  z.object({
    types: z.array(
      z.object({
        type: NoticeType,
        mandatory: describe(z.boolean(), 'cannot be switched off on any channel'),
        urgent: describe(z.boolean(), 'pushed during quiet hours (22:00-08:00 Asia/Shanghai) too'),
        channels: z.object({ inapp: z.boolean(), sms: z.boolean(), wechat: z.boolean() }),
      }),
    ),
  }),
);

const NOTICE = {
  noticeId: 'nt_Q2hhbm5lbHMgYmVoaW5kIG9u',
  type: 'promoted',
  title: '候补转为正式',
  body: '「关爱老人义诊」有了空位，您已从候补转为正式报名（2026-12-05 09:00）。',
  data: { activityId: 'ac_01KC2A3B4C5D6E7F8G9H0J1K2M', ticket: 1795226700000 },
  createdAt: '2026-11-22T02:00:00.000Z',
};
const PREFERENCES = {
  types: [
    { type: 'signup-confirmed', mandatory: false, urgent: false, channels: { inapp: true, sms: false, wechat: false } },
    { type: 'promoted', mandatory: true, urgent: false, channels: { inapp: true, sms: true, wechat: true } },
  ],
};

export const listMyNotifications = {
  method: 'GET',
  path: '/members/me/notifications',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(NotificationView),
  description:
    'My in-app notices, newest first (members by member id, residents by their account). Each notice is here once, however often what it announces was retried.',
  tag: 'notifications',
  errors: [],
  examples: { query: { limit: 20 }, response: { items: [NOTICE] } },
} as const satisfies Contract;

export const markNotificationRead = {
  method: 'POST',
  path: '/members/me/notifications/{noticeId}/read',
  params: z.strictObject({ noticeId: Id }),
  response: NotificationView,
  description: 'Marks one of my notices read (the first reading is kept).',
  tag: 'notifications',
  errors: ['NOT_FOUND'],
  examples: {
    params: { noticeId: NOTICE.noticeId },
    response: { ...NOTICE, readAt: '2026-11-22T03:00:00.000Z' },
  },
} as const satisfies Contract;

export const getNotificationPreferences = {
  method: 'GET',
  path: '/members/me/notification-preferences',
  response: PreferencesView,
  description: 'The notices I receive, each with its channels (defaults, changed by my preferences).',
  tag: 'notifications',
  errors: [],
  examples: { response: PREFERENCES },
} as const satisfies Contract;

export const setNotificationPreferences = {
  method: 'PUT',
  path: '/members/me/notification-preferences',
  body: documented(
    z
      .strictObject(Object.fromEntries(NOTICE_TYPE_NAMES.map((n) => [n, z.optional(ChannelSwitches)])))
      .check(z.refine((b) => Object.keys(b).length > 0, 'name at least one notice type')),
    {
      minProperties: 1,
      description:
        'By notice type, the channels to switch on (true) or off (false); channels not named keep their setting. Mandatory types cannot be switched off (409).',
    },
  ),
  response: PreferencesView,
  rules: { body: 'only notice types the caller receives (a resident receives none of the activity notices)' },
  tag: 'notifications',
  errors: ['NOTICE_MANDATORY'],
  examples: { body: { 'signup-confirmed': { wechat: false, sms: false } }, response: PREFERENCES },
} as const satisfies Contract;

import * as z from 'zod/mini';
import type { Contract } from '../http/api.ts';
import { describe, Id, IsoTime, named } from './common.ts';
import { EVALUATION, EvaluationView, RecordAwardView, TrainingEntryView } from './record-parts.ts';
import { RecordView } from './record-view.ts';

/** The five-part record (志愿者档案): served by the nominations function, beside the awards it adds to. */

export const MemberRecordView = named(
  'MemberRecord',
  z.object({
    personal: z.object({
      memberId: Id,
      name: z.string(),
      phone: describe(z.string(), 'in full for the member and admins of their community (or above); else masked'),
      idNumber: describe(z.optional(z.string()), 'always masked: a record is printed and passed on'),
      communityId: z.optional(Id),
      streetId: z.optional(Id),
      skills: z.array(z.string()),
      star: z.number(),
      totalHours: z.number(),
      totalPoints: z.number(),
    }),
    service: z.object({
      entries: describe(z.array(RecordView), 'newest first'),
      totalHours: z.number(),
      recordCount: z.number(),
      latestOnly: describe(z.boolean(), 'entries shows only the latest 100'),
    }),
    training: describe(z.array(TrainingEntryView), 'completed courses, newest first'),
    awards: describe(z.array(RecordAwardView), 'featured projects and exemplary titles, newest first'),
    evaluations: z.array(EvaluationView),
    generatedAt: IsoTime,
  }),
);

const RECORD_EXAMPLE = {
  personal: {
    memberId: 'm-demo-2',
    name: '李芳',
    phone: '13800001234',
    idNumber: '510***********1234',
    communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
    streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
    skills: ['护理'],
    star: 0,
    totalHours: 3,
    totalPoints: 6,
  },
  service: {
    entries: [],
    totalHours: 3,
    recordCount: 1,
    latestOnly: false,
  },
  training: [],
  awards: [],
  evaluations: [EVALUATION],
  generatedAt: '2026-12-21T02:00:00.000Z',
};

export const myRecord = {
  method: 'GET',
  path: '/members/me/record',
  response: MemberRecordView,
  replies: 'html',
  description:
    'My five-part record (志愿者档案): personal information, service, training, awards and evaluations. JSON by default; with `Accept: text/html` a printable page.',
  tag: 'evaluation',
  errors: ['PROFILE_REQUIRED'],
  examples: { response: RECORD_EXAMPLE },
} as const satisfies Contract;

export const memberRecord = {
  method: 'GET',
  path: '/members/{memberId}/record',
  params: z.strictObject({ memberId: Id }),
  response: MemberRecordView,
  replies: 'html',
  tag: 'evaluation',
  errors: ['NOT_FOUND'],
  examples: { params: { memberId: 'm-demo-2' }, response: RECORD_EXAMPLE },
} as const satisfies Contract;

import * as z from 'zod/mini';
import { Day, describe, Id, IsoTime, named } from './common.ts';

/** A service record as the API shows it: the records routes and the member's five-part record. */

export const RecordChangeView = named(
  'RecordChange',
  z.object({
    at: IsoTime,
    by: z.string(),
    kind: z.enum(['created', 'correction-requested', 'correction-accepted', 'correction-rejected']),
    correctionId: z.optional(Id),
    hoursBefore: z.optional(z.number()),
    hoursAfter: z.optional(z.number()),
    requestedHours: z.optional(z.number()),
    reason: z.optional(z.string()),
  }),
);

export const RecordView = named(
  'ServiceRecord',
  z.object({
    recordId: Id,
    memberId: Id,
    memberName: z.string(),
    activityId: Id,
    activityName: z.string(),
    date: describe(Day, 'service day, Asia/Shanghai'),
    place: z.string(),
    content: z.string(),
    hours: z.number(),
    organisingUnit: z.string(),
    activityLeader: z.string(),
    teamId: describe(z.optional(Id), 'absent for a completed micro-wish: no team organised it'),
    communityId: Id,
    streetId: Id,
    recordedAt: IsoTime,
    late: describe(z.boolean(), 'recorded more than 10 working days after the activity ended'),
    source: z.enum(['activity', 'wish']),
    history: z.array(RecordChangeView),
    pendingCorrectionId: describe(z.optional(Id), 'set while a correction is pending'),
  }),
);

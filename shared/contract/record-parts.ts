import * as z from 'zod/mini';
import { AWARD_LEVELS } from '../domain/member-record.ts';
import { EVALUATION_RATINGS } from '../domain/points.ts';
import { QualificationName } from './qualification.ts';
import { Category, Day, describe, Id, IsoTime, named } from './common.ts';

/**
 * The training and award entries of a member's record, one shape each, shared by the routes that
 * list them (training, awards) and the five-part record (evaluation): a small module, so that a
 * function's bundle carries them without the other contracts.
 */

export const TrainingEntryView = named(
  'TrainingEntry',
  z.object({
    entryId: Id,
    memberId: Id,
    memberName: z.string(),
    courseId: Id,
    name: z.string(),
    content: z.string(),
    tier: QualificationName,
    studyHours: z.number(),
    organiser: z.string(),
    teamId: Id,
    streetId: Id,
    communityId: Id,
    date: z.string(),
    completedAt: IsoTime,
  }),
);

/** A featured project's award (特色项目), as kept with the call, in the team's history and in each core member's record. */
export const FeaturedAwardFields = {
  awardId: Id,
  kind: z.literal('featured-project'),
  title: z.string(),
  year: z.number(),
  callId: Id,
  submissionId: Id,
  teamId: Id,
  teamName: z.string(),
  projectTitle: z.string(),
  category: Category,
  tierId: Id,
  tierName: z.string(),
  tierRank: describe(z.number(), '1 for the top tier'),
  amount: z.number(),
  rank: z.number(),
  total: z.string(),
  awardedOn: Day,
  awardedBy: z.string(),
  conditions: z.object({ keepRunningUntil: Day, reportDueOn: Day }),
};
export const AwardView = named('AwardEntry', z.object(FeaturedAwardFields));

/** An exemplary title (先进典型) approved after its public notice. */
export const ExemplaryAwardView = named(
  'ExemplaryAward',
  z.object({
    awardId: Id,
    kind: z.literal('exemplary'),
    title: z.string(),
    level: z.enum(AWARD_LEVELS),
    issuer: describe(z.string(), 'the unit that awarded it: the district'),
    nominationId: Id,
    awardedOn: Day,
    awardedBy: z.string(),
  }),
);

/** An award entry of a member's record: the same item (`MEMBER#<memberId>` / `AWARD#<awardId>`) for every kind. */
export const RecordAwardView = named(
  'RecordAward',
  describe(
    z.discriminatedUnion('kind', [AwardView, ExemplaryAwardView]),
    'by kind: a featured project (特色项目) or an exemplary title (先进典型)',
  ),
);

export const EvaluationRatingName = named('EvaluationRating', z.enum(EVALUATION_RATINGS));

/** The community's evaluation of one service record (the record's fifth part). */
export const EvaluationView = named(
  'Evaluation',
  z.object({
    evaluationId: Id,
    memberId: Id,
    recordId: Id,
    rating: EvaluationRatingName,
    date: describe(Day, 'the day it was entered'),
    enteredAt: IsoTime,
    enteredBy: z.string(),
    communityId: Id,
    streetId: Id,
    note: z.optional(z.string()),
  }),
);
export const EVALUATION = {
  evaluationId: 'ev_7K2M9Q4T1V8X3Z6B0D5F2H7J9L',
  memberId: 'm-demo-2',
  recordId: 'sr_7K2M9Q4T1V8X3Z6B0D5F2H7J9L',
  rating: 'excellent',
  date: '2026-12-08',
  enteredAt: '2026-12-08T02:00:00.000Z',
  enteredBy: 'community-admin-sub',
  communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
  note: '服务耐心细致',
};

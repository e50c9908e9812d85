import { recordingDeadline } from './calendar.ts';
import type { EvaluationRating, TrainingCompletion } from './points.ts';
import { dayOf } from './time.ts';

/**
 * The five-part record of a volunteer (the national rules' 志愿者档案): personal information,
 * service, training, awards and evaluation. Service entries are the service records; the other
 * three parts are entries kept under the member's record (shared/db/member-record.ts). Other
 * work adds to them through these shapes:
 *   - training (issue 14): a TrainingEntry, which is also a ledger fact (`training-completion`);
 *   - awards (nominations here, featured projects in issue 15): an AwardEntry, added with
 *     `awardPut` / `addAward` (shared/db/member-record.ts), in the caller's own transaction;
 *   - evaluations: entered by the community (POST /service-records/{recordId}/evaluation).
 */

/** A completed training: what issue 14 writes (TrainingCompletion) and what the record shows. */
export interface TrainingEntry extends TrainingCompletion {
  readonly title: string;
  /** Who gave it: a station, a school, a unit. */
  readonly provider: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  readonly completedOn: string;
}

export const AWARD_LEVELS = ['community', 'street', 'district', 'city', 'province', 'national'] as const;
export type AwardLevel = (typeof AWARD_LEVELS)[number];

/** An award in the member's record: an approved exemplary title, a featured project's honour... */
export interface AwardEntry {
  readonly awardId: string;
  readonly memberId: string;
  readonly title: string;
  readonly level: AwardLevel;
  /** YYYY-MM-DD, Asia/Shanghai. */
  readonly awardedOn: string;
  /** The unit that awarded it (the district for an approved nomination). */
  readonly issuer: string;
  /** Where it comes from: its kind (`nomination`, `featured-project`, ...) and id. */
  readonly source: { readonly kind: string; readonly id: string };
}

/** The community's quality rating of one service record, with its date. */
export interface Evaluation {
  readonly evaluationId: string;
  readonly memberId: string;
  readonly recordId: string;
  readonly rating: EvaluationRating;
  /** The day it was entered (YYYY-MM-DD, Asia/Shanghai). */
  readonly date: string;
  readonly enteredAt: string;
  readonly enteredBy: string;
  readonly communityId: string;
  readonly streetId: string;
  readonly note?: string;
}

/** The evaluation's id, from its record: one evaluation per record. */
export const evaluationIdFor = (recordId: string): string => `ev_${recordId.replace(/^sr_/, '')}`;

/** Working days the community has to evaluate a service, counted from the service day. */
export const EVALUATION_WORKING_DAYS = 10;

/** The last day (Asia/Shanghai) a service of `serviceDay` may be evaluated: 10 working days after it. */
export function evaluationDeadline(serviceDay: string): string {
  // Noon in Asia/Shanghai of the service day: its day whatever the offset.
  return recordingDeadline(`${serviceDay}T04:00:00.000Z`, EVALUATION_WORKING_DAYS);
}

export const evaluationOpen = (serviceDay: string, nowIso: string): boolean =>
  dayOf(nowIso) <= evaluationDeadline(serviceDay);

import { workingDaysAfterDay } from './calendar.ts';
import type { AwardEntry as FeaturedAward } from './featured.ts';
import type { EvaluationRating } from './points.ts';
import type { ServiceRecord } from './records.ts';
import type { TrainingEntry } from './training.ts';
import { dayOf } from './time.ts';

/**
 * The five-part record of a volunteer (the national rules' 志愿者档案): personal information,
 * service, training, awards and evaluation. Service entries are the service records; the other
 * three parts are entries kept under the member (shared/db/member-record.ts), one shape each:
 *   - training: the TrainingEntry a course's completion writes (shared/domain/training.ts), which
 *     the ledger also counts (a `training-completed` fact);
 *   - awards: a RecordAward, by kind, written by `memberAwardPut` in the caller's transaction: a
 *     featured project's award (特色项目) or an approved exemplary title (先进典型);
 *   - evaluations: entered by the community (POST /service-records/{recordId}/evaluation).
 */

export type { TrainingEntry };

export const AWARD_LEVELS = ['community', 'street', 'district', 'city', 'province', 'national'] as const;
export type AwardLevel = (typeof AWARD_LEVELS)[number];

/** An exemplary title (先进典型), approved after its public notice. */
export interface ExemplaryAward {
  readonly awardId: string;
  readonly kind: 'exemplary';
  readonly title: string;
  readonly level: AwardLevel;
  /** The unit that awarded it (the district). */
  readonly issuer: string;
  readonly nominationId: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  readonly awardedOn: string;
  readonly awardedBy: string;
}

/** An award entry in a member's record: one item shape (`MEMBER#<memberId>` / `AWARD#<awardId>`), by kind. */
export type RecordAward = FeaturedAward | ExemplaryAward;

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
  return workingDaysAfterDay(serviceDay, EVALUATION_WORKING_DAYS);
}

export const evaluationOpen = (serviceDay: string, nowIso: string): boolean =>
  dayOf(nowIso) <= evaluationDeadline(serviceDay);

/**
 * The five-part record (志愿者档案) as the routes return it and the printable page shows it
 * (shared/services/member-record.ts builds it, shared/views/member-record.ts prints it).
 */
export interface MemberRecord {
  readonly personal: {
    readonly memberId: string;
    readonly name: string;
    readonly phone: string;
    readonly idNumber?: string;
    readonly communityId?: string;
    readonly streetId?: string;
    readonly skills: readonly string[];
    readonly star: number;
    readonly totalHours: number;
    readonly totalPoints: number;
  };
  readonly service: {
    readonly entries: readonly ServiceRecord[];
    readonly totalHours: number;
    readonly recordCount: number;
    /** True when entries shows only the latest SERVICE_ENTRIES of more. */
    readonly latestOnly: boolean;
  };
  readonly training: readonly TrainingEntry[];
  readonly awards: readonly RecordAward[];
  readonly evaluations: readonly Evaluation[];
  readonly generatedAt: string;
}

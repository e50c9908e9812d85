import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import type { Evaluation, RecordAward, TrainingEntry } from '../domain/member-record.ts';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import type { ServiceRecord } from '../domain/records.ts';
import type { Claimant, WishState } from '../domain/wish.ts';
import {
  evaluationKey,
  memberAwardKey,
  memberAwardsQuery,
  memberRecordsQuery,
  memberTrainingQuery,
  recordKey,
  recordPartsQuery,
  teamKey,
  wishKey,
} from './keys.ts';
import { fromItem, getEach, getItem, queryAll, queryPage, transact } from './table.ts';

/**
 * The parts of a member's five-part record kept beside the service records:
 *   training     pk MEMBER#<memberId>     sk TRAINING#<courseId>     type training-entry (shared/db/training.ts)
 *   award        pk MEMBER#<memberId>     sk AWARD#<awardId>         type member-award (memberAwardPut)
 *   evaluation   pk RECORD_OF#<memberId>  sk EVALUATION#<recordId>   type evaluation
 * Training entries and evaluations are ledger facts: the table's stream brings them to the ledger
 * consumer by their `type`. Each is Put once (attribute_not_exists) and never changed.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The one way an award enters a member's record, in the caller's transaction: a featured project's
 * award (shared/db/featured.ts) or an approved exemplary title (shared/db/nominations.ts). Once per
 * award id (a second Put of the same entry fails its condition).
 */
export function memberAwardPut(memberId: string, a: RecordAward): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...memberAwardKey(memberId, a.awardId), type: 'member-award', memberId, ...a },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Stores the community's evaluation of a record: one per record (a second is ALREADY_EVALUATED). */
export async function putEvaluation(v: Evaluation): Promise<void> {
  await transact(
    [
      {
        Put: {
          TableName: tableName(),
          Item: { ...evaluationKey(v.memberId, v.recordId), type: 'evaluation', ...v },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ],
    () => new DomainError('ALREADY_EVALUATED', 'this service has been evaluated already'),
  );
}

export interface RecordParts {
  readonly training: TrainingEntry[];
  readonly awards: RecordAward[];
  readonly evaluations: Evaluation[];
}

/** A member's training, awards and evaluations: three Queries at once (pages as needed), newest first. */
export async function readRecordParts(memberId: string): Promise<RecordParts> {
  const [training, awards, parts] = await Promise.all([
    queryAll({ ...memberTrainingQuery(memberId) }),
    queryAll({ ...memberAwardsQuery(memberId) }),
    queryAll(recordPartsQuery(memberId)),
  ]);
  return {
    training: training.map((i) => fromItem<TrainingEntry>(i)).sort((a, b) => (a.completedAt < b.completedAt ? 1 : -1)),
    awards: awards
      .map((i) => fromItem<RecordAward>(i, 'memberId'))
      .sort((a, b) =>
        a.awardedOn < b.awardedOn ? 1 : a.awardedOn > b.awardedOn ? -1 : a.awardId < b.awardId ? 1 : -1,
      ),
    evaluations: parts.filter((i) => i.type === 'evaluation').map((i) => fromItem<Evaluation>(i)),
  };
}

// ---------- light reads (the evaluation function reads these without the records' and wishes' code) ----------

export async function readServiceRecord(recordId: string, consistent = false): Promise<ServiceRecord | undefined> {
  const k = recordKey(recordId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && fromItem<ServiceRecord>(i, 'hoursDelta');
}

/** A member's service records, newest first (by service day). */
export async function listServiceEntries(memberId: string, limit: number): Promise<Page<ServiceRecord>> {
  const p = await queryPage({ ...memberRecordsQuery(memberId), limit, cursor: undefined, newestFirst: true });
  return { items: p.items.map((i) => fromItem<ServiceRecord>(i, 'hoursDelta')), nextCursor: p.nextCursor };
}

/** A wish's state and claimant (strongly consistent). */
export async function wishOutcome(wishId: string): Promise<{ status: WishState; claimant?: Claimant } | undefined> {
  const k = wishKey(wishId);
  const i = await getItem(k.pk, k.sk, true);
  return i && { status: i.status as WishState, ...(i.claimant ? { claimant: i.claimant as Claimant } : {}) };
}

/** Teams' names by id, in one BatchGetItem. */
export async function teamNames(teamIds: readonly string[]): Promise<Map<string, string>> {
  const items = await getEach(teamIds.map(teamKey));
  const out = new Map<string, string>();
  items.forEach((i, n) => {
    if (i) out.set(teamIds[n]!, String(i.name));
  });
  return out;
}

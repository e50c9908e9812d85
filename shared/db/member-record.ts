import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import type { AwardEntry, Evaluation, TrainingEntry } from '../domain/member-record.ts';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import type { ServiceRecord } from '../domain/records.ts';
import type { Claimant, WishState } from '../domain/wish.ts';
import {
  awardKey,
  evaluationKey,
  memberRecordsQuery,
  recordKey,
  recordPartsQuery,
  teamKey,
  trainingKey,
  wishKey,
} from './keys.ts';
import { fromItem, getEach, getItem, queryAll, queryPage, transact } from './table.ts';

/**
 * The parts of a member's five-part record kept beside the service records, in one partition:
 *   training     pk RECORD_OF#<memberId>  sk TRAINING#<completedOn>#<completionId>   type training-completion
 *   award        pk RECORD_OF#<memberId>  sk AWARD#<awardedOn>#<awardId>             type award
 *   evaluation   pk RECORD_OF#<memberId>  sk EVALUATION#<recordId>                   type evaluation
 * Training completions and evaluations are ledger facts: the table's stream brings them to the
 * ledger consumer by their `type`. Each is Put once (attribute_not_exists) and never changed.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A Put of an award for the caller's transaction (an approved nomination, a featured project): once per id and day. */
export function awardPut(a: AwardEntry): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...awardKey(a.memberId, a.awardedOn, a.awardId), type: 'award', ...a },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Adds an award on its own (a second add of the same award is refused: ALREADY_AWARDED). */
export async function addAward(a: AwardEntry): Promise<void> {
  await transact([awardPut(a)], () => new DomainError('ALREADY_AWARDED', 'this award is in the record already'));
}

/** A Put of a completed training (issue 14): it shows in the record and earns points through the ledger. */
export function trainingPut(t: TrainingEntry): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...trainingKey(t.memberId, t.completedOn, t.completionId), type: 'training-completion', ...t },
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
  readonly awards: AwardEntry[];
  readonly evaluations: Evaluation[];
}

/** A member's training, awards and evaluations: one Query (pages as needed). */
export async function readRecordParts(memberId: string): Promise<RecordParts> {
  const items = await queryAll(recordPartsQuery(memberId));
  const of = (t: string) => items.filter((i) => i.type === t);
  return {
    training: of('training-completion').map((i) => fromItem<TrainingEntry>(i)),
    awards: of('award').map((i) => fromItem<AwardEntry>(i)),
    evaluations: of('evaluation').map((i) => fromItem<Evaluation>(i)),
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

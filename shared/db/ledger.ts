import { QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { entryId, type LedgerEntry, type PeriodTotals } from '../domain/points.ts';
import { db, tableName } from './client.ts';
import { counterUpdates, factIndexKeys } from './counters.ts';
import type { CountedFact } from '../domain/counters.ts';
import type { Page } from './cursor.ts';
import type { MemberProfile } from '../domain/types.ts';
import {
  fifthStarDueKeys,
  fifthStarReviewsQuery,
  ledgerEntryKeys,
  ledgerTotalKey,
  memberHoursKey,
  memberKey,
  memberLedgerQuery,
  rankingQuery,
  rankKey,
  scoreKey,
  sourceEntriesQuery,
  starChangeKey,
  starChangesQuery,
} from './keys.ts';
import { fromItem, getEach, queryAll, queryPage, transact, type Item } from './table.ts';

/**
 * The points ledger, written only by the ledger consumer (shared/services/ledger.ts), which the
 * table's stream feeds:
 *   entry         pk LEDGER#<memberId>  sk ENTRY#<kind>#<sourceId>#<rule>#<revision>#<grant|reversal>
 *                 gsi1 MEMBER#<memberId>#LEDGER / <at>#<entryId>           (a member's entries by instant)
 *   totals        pk LEDGER#<memberId>  sk TOTAL#ALL | TOTAL#<YYYY> | TOTAL#<YYYY-MM>
 *                 { points, hours, reachedAt, version; ALL: star, fifthApproved; YEAR: rules {code: points} }
 *                 ALL carries gsi1 STAR_REVIEWS#due / <memberId> while the fifth star waits for review
 *   star change   pk LEDGER#<memberId>  sk STAR#<seq>          { from, to, hours, reason, by? }
 *   score         pk SCORE#<member|team>#<id>  sk <scope>#<scopeId>#<period>  { points, hours, reachedAt, rankSk, version }
 *   rank          pk RANK#<member|team>#<scope>#<scopeId>#<period>  sk <rankSk>   (nothing else: small, so a
 *                 count of the better ones reads about 100 bytes an item)
 * Entries are Put under attribute_not_exists (a fact delivered twice posts once; nothing is ever
 * rewritten); totals and scores carry a version and each write is conditional on the version read
 * (two deliveries racing: one wins, the other reads again and finds its entries posted).
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface TotalsRow extends PeriodTotals {
  readonly version: number;
  /** YEAR rows: points per rule this year (the yearly caps). */
  readonly rules?: Readonly<Record<string, number>>;
  /** ALL row: the star level and whether an admin approved the fifth. */
  readonly star?: number;
  readonly fifthApproved?: boolean;
}

export interface ScoreRow extends PeriodTotals {
  readonly version: number;
  readonly rankSk: string;
}

export interface ScoreRef {
  readonly subject: 'member' | 'team';
  readonly subjectId: string;
  readonly scope: string;
  readonly scopeId: string;
  readonly period: string;
}

export const scoreKeyOf = (s: ScoreRef) => scoreKey(s.subject, s.subjectId, s.scope, s.scopeId, s.period);
const tag = (s: ScoreRef) => `${s.subject}|${s.subjectId}|${s.scope}|${s.scopeId}|${s.period}`;

export interface LedgerState {
  /** The source's entries already posted (every revision). */
  readonly entries: LedgerEntry[];
  readonly totals: ReadonlyMap<string, TotalsRow>;
  readonly scores: ReadonlyMap<string, ScoreRow>;
}

const num = (v: unknown) => Number(v ?? 0);

function totalsOf(i: Item | undefined): TotalsRow | undefined {
  if (!i) return undefined;
  return {
    points: num(i.points),
    hours: num(i.hours),
    version: num(i.version),
    ...(i.reachedAt ? { reachedAt: String(i.reachedAt) } : {}),
    ...(i.rules ? { rules: i.rules as Record<string, number> } : {}),
    ...(i.star !== undefined ? { star: num(i.star) } : {}),
    ...(i.fifthApproved ? { fifthApproved: true } : {}),
  };
}

/**
 * What posting a fact of `source` needs, strongly consistent: the source's entries (one Query),
 * and the member's totals for `periods` and the `scores` (one BatchGetItem), in parallel.
 */
export async function readLedgerState(
  memberId: string,
  source: { kind: string; id: string },
  periods: readonly string[],
  scores: readonly ScoreRef[],
): Promise<LedgerState> {
  const keys = [...periods.map((p) => ledgerTotalKey(memberId, p)), ...scores.map(scoreKeyOf)];
  const [entries, items] = await Promise.all([
    queryAll({ ...sourceEntriesQuery(memberId, source.kind, source.id), consistent: true }),
    getEach(keys, true),
  ]);
  const totals = new Map<string, TotalsRow>();
  periods.forEach((p, i) => {
    const t = totalsOf(items[i]);
    if (t) totals.set(p, t);
  });
  const scoreRows = new Map<string, ScoreRow>();
  scores.forEach((s, i) => {
    const it = items[periods.length + i];
    if (it)
      scoreRows.set(tag(s), {
        points: num(it.points),
        hours: num(it.hours),
        version: num(it.version),
        rankSk: String(it.rankSk),
        ...(it.reachedAt ? { reachedAt: String(it.reachedAt) } : {}),
      });
  });
  return { entries: entries.map((e) => fromItem<LedgerEntry>(e, 'entryId')), totals, scores: scoreRows };
}

export const scoreOf = (state: LedgerState, s: ScoreRef) => state.scores.get(tag(s));

/** What posting one revision of a fact writes, in one transaction. */
export interface LedgerWrite {
  readonly memberId: string;
  readonly entries: readonly LedgerEntry[];
  /** Each period's totals after, with the version read (undefined: new). */
  readonly totals: readonly { period: string; before?: number; after: Omit<TotalsRow, 'version'> }[];
  /** On the ALL row: the fifth star waits for review. */
  readonly fifthDue: boolean;
  readonly starChange?: StarChangeWrite;
  /** The district whose statistics count the points and stars (shared/domain/counters.ts). */
  readonly districtId: string;
  readonly scores: readonly {
    ref: ScoreRef;
    before?: ScoreRow;
    after: PeriodTotals & { rankSk: string };
  }[];
}

export interface StarChangeWrite {
  readonly at: string;
  readonly seq: number;
  readonly from: number;
  readonly to: number;
  readonly hours: number;
  readonly reason: string;
  readonly by?: string;
  /** Where it counts in the statistics (the fact that moved it, or the member's community). */
  readonly place?: { readonly streetId: string; readonly communityId: string };
}

/** The star change's item, a counted fact when it has a place. */
function starChangePut(memberId: string, c: StarChangeWrite): { put: TransactItem; fact?: CountedFact } {
  const fact = c.place
    ? ({ kind: 'star-change', fact: { memberId, at: c.at, from: c.from, to: c.to, place: c.place } } as const)
    : undefined;
  return {
    put: {
      Put: {
        TableName: tableName(),
        Item: {
          ...starChangeKey(memberId, c.seq),
          ...(fact ? factIndexKeys(fact, c.at, memberId, String(c.seq)) : {}),
          type: 'star-change',
          memberId,
          ...c,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...(fact ? { fact } : {}),
  };
}

/** The transaction refused a condition: someone posted meanwhile. Read again and plan again. */
export class LedgerRaced extends Error {}

const versioned = (before: number | undefined) =>
  before === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': before } };

export async function writeLedger(w: LedgerWrite): Promise<void> {
  const T = tableName();
  const items: TransactItem[] = [];
  const counted: CountedFact[] = [];
  for (const e of w.entries) {
    const id = entryId(e);
    const fact = { kind: 'ledger-entry', fact: e } as const;
    counted.push(fact);
    items.push({
      Put: {
        TableName: T,
        Item: {
          ...ledgerEntryKeys(e, id),
          ...factIndexKeys(fact, e.postedAt, e.memberId, id),
          type: 'ledger-entry',
          entryId: id,
          ...e,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  for (const t of w.totals) {
    const c = versioned(t.before);
    items.push({
      Put: {
        TableName: T,
        Item: {
          ...ledgerTotalKey(w.memberId, t.period),
          ...(t.period === 'ALL' && w.fifthDue ? fifthStarDueKeys(w.memberId) : {}),
          type: 'ledger-totals',
          memberId: w.memberId,
          period: t.period,
          ...t.after,
          version: (t.before ?? 0) + 1,
        },
        ...c,
      },
    });
  }
  if (w.starChange) {
    const c = starChangePut(w.memberId, w.starChange);
    items.push(c.put);
    if (c.fact) counted.push(c.fact);
  }
  items.push(...counterUpdates(counted, w.districtId));
  for (const s of w.scores) {
    const { subject, subjectId, scope, scopeId, period } = s.ref;
    items.push({
      Put: {
        TableName: T,
        Item: {
          ...scoreKeyOf(s.ref),
          type: 'score',
          subject,
          subjectId,
          scope,
          scopeId,
          period,
          ...s.after,
          version: (s.before?.version ?? 0) + 1,
        },
        ...versioned(s.before?.version),
      },
    });
    if (s.before?.rankSk === s.after.rankSk) continue;
    if (s.before)
      items.push({ Delete: { TableName: T, Key: rankKey(subject, scope, scopeId, period, s.before.rankSk) } });
    items.push({ Put: { TableName: T, Item: rankKey(subject, scope, scopeId, period, s.after.rankSk) } });
  }
  await transact(items, () => new LedgerRaced());
}

// ---------- reads ----------

export async function getTotals(memberId: string, periods: readonly string[]): Promise<(TotalsRow | undefined)[]> {
  const items = await getEach(periods.map((p) => ledgerTotalKey(memberId, p)));
  return items.map(totalsOf);
}

/** A member's entries, newest first (by the fact's instant). */
export async function listEntries(
  memberId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<LedgerEntry>> {
  const p = await queryPage({ ...memberLedgerQuery(memberId), limit, cursor, newestFirst: true });
  return { items: p.items.map((i) => fromItem<LedgerEntry>(i, 'entryId')), nextCursor: p.nextCursor };
}

export interface StarChange {
  readonly at: string;
  readonly from: number;
  readonly to: number;
  readonly hours: number;
  readonly reason: string;
  readonly by?: string;
}

/** A member's star changes, oldest first. */
export async function listStarChanges(memberId: string): Promise<StarChange[]> {
  const items = await queryAll({ ...starChangesQuery(memberId), consistent: true });
  return items.map((i) => fromItem<StarChange>(i, 'memberId'));
}

/** Members whose fifth star waits for review (a page). */
export async function listFifthStarDue(limit: number, cursor: string | undefined): Promise<Page<string>> {
  const p = await queryPage({ ...fifthStarReviewsQuery(), limit, cursor });
  return { items: p.items.map((i) => String(i.memberId)), nextCursor: p.nextCursor };
}

/**
 * The approval (or refusal) of a fifth star, on the ALL row, conditional on the version read;
 * the star change goes with it. Throws LedgerRaced when the row changed meanwhile.
 */
export async function decideFifthStar(
  memberId: string,
  before: TotalsRow,
  after: { star: number; fifthApproved: boolean; due: boolean },
  change: StarChangeWrite | undefined,
  districtId: string,
): Promise<void> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: ledgerTotalKey(memberId, 'ALL'),
        UpdateExpression: `SET star = :star, fifthApproved = :ok, version = :next${after.due ? '' : ' REMOVE gsi1pk, gsi1sk'}`,
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: {
          ':star': after.star,
          ':ok': after.fifthApproved,
          ':next': before.version + 1,
          ':v': before.version,
        },
      },
    },
  ];
  if (change) {
    const c = starChangePut(memberId, change);
    items.push(c.put, ...(c.fact ? counterUpdates([c.fact], districtId) : []));
  }
  await transact(items, () => new LedgerRaced());
}

// ---------- rankings ----------

export interface RankRow {
  readonly subjectId: string;
  readonly points: number;
  readonly hours: number;
  readonly reachedAt: string;
}

/** Decodes a rank sort key (shared/domain/points.ts rankSortKey). */
export function rankRowOf(sk: string): RankRow {
  const [p, h, r, ...id] = sk.split('#');
  return {
    points: (Number(p) - 2_000_000_000) / 2,
    hours: Number(h) / 2,
    reachedAt: new Date(9_999_999_999_999 - Number(r)).toISOString(),
    subjectId: id.join('#'),
  };
}

/** The best `limit` of a ranking: one Query. */
export async function topOfRanking(ref: Omit<ScoreRef, 'subjectId'>, limit: number): Promise<RankRow[]> {
  const p = await queryPage({
    ...rankingQuery(ref.subject, ref.scope, ref.scopeId, ref.period),
    limit,
    cursor: undefined,
    newestFirst: true,
  });
  return p.items.map((i) => rankRowOf(String(i.sk)));
}

/** A subject's score in one ranking (its rank key), or undefined. */
export async function getScore(ref: ScoreRef): Promise<ScoreRow | undefined> {
  const [i] = await getEach([scoreKeyOf(ref)]);
  return i
    ? {
        points: num(i.points),
        hours: num(i.hours),
        version: num(i.version),
        rankSk: String(i.rankSk),
        reachedAt: String(i.reachedAt),
      }
    : undefined;
}

/**
 * How many rank above `rankSk` in its ranking: Queries with Select COUNT on `sk > rankSk`, a page
 * (1 MB of these small items) per round trip. Returns the count and the round trips it took.
 */
export async function countAbove(
  ref: Omit<ScoreRef, 'subjectId'>,
  rankSk: string,
): Promise<{ count: number; queries: number }> {
  const partition = rankingQuery(ref.subject, ref.scope, ref.scopeId, ref.period).partition;
  let count = 0;
  let queries = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk > :sk',
        ExpressionAttributeValues: { ':pk': partition, ':sk': rankSk },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    queries++;
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return { count, queries };
}

/**
 * A member's profile, all-time totals and confirmed hours in one BatchGetItem: the head of their
 * record, and who may read it (their community).
 */
export async function memberHead(
  memberId: string,
): Promise<{ profile?: MemberProfile; all?: TotalsRow; hours: { confirmedHours: number; records: number } }> {
  const [p, a, h] = await getEach([memberKey(memberId), ledgerTotalKey(memberId, 'ALL'), memberHoursKey(memberId)]);
  return {
    ...(p ? { profile: profileOf(p) } : {}),
    ...(a ? { all: totalsOf(a) } : {}),
    hours: { confirmedHours: num(h?.confirmedHours), records: num(h?.records) },
  };
}

const profileOf = (i: Item): MemberProfile => fromItem<MemberProfile>(i);

/** Several profiles by id, in one BatchGetItem (100 a call): the found ones by member id. */
export async function profilesOf(memberIds: readonly string[]): Promise<Map<string, MemberProfile>> {
  const items = await getEach(memberIds.map(memberKey));
  const out = new Map<string, MemberProfile>();
  items.forEach((i, n) => {
    if (i) out.set(memberIds[n]!, profileOf(i));
  });
  return out;
}

/** Members' profiles and all-time totals, in one BatchGetItem (100 members a call). */
export async function profilesAndTotals(
  memberIds: readonly string[],
): Promise<{ memberId: string; profile?: MemberProfile; all?: TotalsRow }[]> {
  const items = await getEach(memberIds.flatMap((m) => [memberKey(m), ledgerTotalKey(m, 'ALL')]));
  return memberIds.map((memberId, i) => {
    const p = items[2 * i];
    const a = items[2 * i + 1];
    return { memberId, ...(p ? { profile: profileOf(p) } : {}), ...(a ? { all: totalsOf(a) } : {}) };
  });
}

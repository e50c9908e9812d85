import { UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import type {
  AwardEntry,
  CityDelivery,
  Evidence,
  FeaturedCall,
  RankedEntry,
  Review,
  Scores,
  Submission,
} from '../domain/featured.ts';
import type { Team, TeamMember } from '../domain/team.ts';
import type { MemberProfile } from '../domain/types.ts';
import { db, tableName } from './client.ts';
import type { Page } from './cursor.ts';
import {
  counterShardKeys,
  featuredAwardKey,
  featuredCallKey,
  featuredCallKeys,
  featuredCallQuery,
  featuredCallsQuery,
  featuredAwardReportQuery,
  featuredCityDeliveryKey,
  featuredEntryKey,
  featuredReviewKey,
  featuredReviewKeys,
  reviewerAssignmentsQuery,
  featuredSubmissionKey,
  featuredSubmissionsQuery,
  memberAwardsQuery,
  memberKey,
  teamAwardKey,
  teamAwardsQuery,
  teamKey,
  teamMemberKey,
} from './keys.ts';
import { memberAwardPut } from './member-record.ts';
import { profileOf } from './members.ts';
import { sumFigures } from './stats.ts';
import { fromItem, getEach, queryAll, queryPage, transact, type Item } from './table.ts';
import { putNew } from './writes.ts';

/**
 * Featured projects. One partition per call holds everything the call decides, so that ranking
 * reads it with one Query:
 *   call        pk FCALL#<callId>  sk CALL                               (the rubric, tiers, budget; awarded so far; the ranking once published)
 *   submission  pk FCALL#<callId>  sk SUB#<submissionId>
 *   entry       pk FCALL#<callId>  sk ENTRY#<teamId>                      (one entry per team: a conditional Put with the submission)
 *   review      pk FCALL#<callId>  sk REVIEW#<submissionId>#<reviewerId>  (assignment, then the locked scores)
 *   award       pk FCALL#<callId>  sk AWARD#<submissionId>
 *   city outbox pk FCALL#<callId>  sk CITYOUT#<batchId>                 (a batch of awards for the city bus)
 * and, written with the award in the same transaction:
 *   team history   pk TEAM#<teamId>      sk AWARD#<awardId>
 *   member record  pk MEMBER#<memberId>  sk AWARD#<awardId>   (each core member)
 * (Keys: shared/db/keys.ts.)
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const strip = <T>(i: Item) => fromItem<T>(i);

export const callItem = (c: FeaturedCall): Item => ({ ...featuredCallKeys(c), type: 'featured-call', ...c });
export const submissionItem = (s: Submission): Item => ({
  ...featuredSubmissionKey(s.callId, s.submissionId),
  type: 'featured-submission',
  ...s,
});
export const reviewItem = (r: Review): Item => ({
  ...featuredReviewKeys(r),
  type: 'featured-review',
  ...r,
});

export async function createCall(c: FeaturedCall): Promise<void> {
  await putNew(callItem(c));
}

export async function getCall(callId: string, consistent = false): Promise<FeaturedCall | undefined> {
  const [i] = await getEach([featuredCallKey(callId)], consistent);
  return i && strip<FeaturedCall>(i);
}

export interface SubmissionContext {
  readonly call?: FeaturedCall;
  readonly team?: Team;
  /** The core members' places in the team, by member id (absent: not on the team). */
  readonly places: ReadonlyMap<string, TeamMember>;
  readonly profiles: ReadonlyMap<string, MemberProfile>;
  readonly evidence: Omit<Evidence, 'from' | 'to'>;
  readonly existing?: Submission;
  /** The team's past awards (its history). */
  readonly pastAwards: readonly AwardEntry[];
}

/**
 * What a submission needs, in one BatchGetItem and one Query side by side: the call, the team,
 * each core member's place in the team and profile, the team's counters of every month of the
 * evidence window, the submission being edited; and the team's past awards.
 */
export async function submissionContext(
  callId: string,
  teamId: string,
  coreMemberIds: readonly string[],
  months: readonly string[],
  submissionId?: string,
): Promise<SubmissionContext> {
  const counterKeys = months.flatMap((m) => counterShardKeys('team', teamId, m));
  const [items, awards] = await Promise.all([
    getEach(
      [
        featuredCallKey(callId),
        teamKey(teamId),
        submissionId ? featuredSubmissionKey(callId, submissionId) : undefined,
        ...coreMemberIds.map((m) => teamMemberKey(teamId, m)),
        ...coreMemberIds.map((m) => memberKey(m)),
        ...counterKeys,
      ],
      true,
    ),
    queryAll({ ...teamAwardsQuery(teamId) }),
  ]);
  const [c, t, e] = items;
  const n = coreMemberIds.length;
  const places = new Map<string, TeamMember>();
  const profiles = new Map<string, MemberProfile>();
  coreMemberIds.forEach((m, i) => {
    const p = items[3 + i];
    if (p) places.set(m, strip<TeamMember>(p));
    const prof = items[3 + n + i];
    if (prof) profiles.set(m, profileOf(prof));
  });
  const f = sumFigures(items.slice(3 + 2 * n));
  return {
    ...(c ? { call: strip<FeaturedCall>(c) } : {}),
    ...(t ? { team: strip<Team>(t) } : {}),
    ...(e ? { existing: strip<Submission>(e) } : {}),
    places,
    profiles,
    evidence: {
      activities: f.activities ?? 0,
      volunteerHours: f.volunteerHours ?? 0,
      peopleServed: f.peopleServed ?? 0,
      wishesCompleted: f.wishesCompleted ?? 0,
    },
    pastAwards: awards.map((a) => strip<AwardEntry>(a)),
  };
}

/** Each core member is still an active member of the team when the submission is written. */
const coreMembersOnTeam = (s: Submission): TransactItem[] =>
  s.coreMembers.map((m) => ({
    ConditionCheck: {
      TableName: tableName(),
      Key: teamMemberKey(s.teamId, m.memberId),
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active' },
    },
  }));

const notOnTeam = (s: Submission, failed: number[], first: number) =>
  new DomainError(
    'CORE_MEMBER_NOT_ON_TEAM',
    `core member ${s.coreMembers[(failed.find((i) => i >= first) ?? first) - first]?.memberId} is not an active member of the team`,
  );

/** A new submission, with the team's one entry when the call takes one per team. */
export async function createSubmission(s: Submission, oneEntryPerTeam: boolean): Promise<void> {
  const items: TransactItem[] = [
    { Put: { TableName: tableName(), Item: submissionItem(s), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...(oneEntryPerTeam
      ? [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...featuredEntryKey(s.callId, s.teamId),
                type: 'featured-entry',
                submissionId: s.submissionId,
                at: s.submittedAt,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : []),
  ];
  const first = items.length;
  await transact([...items, ...coreMembersOnTeam(s)], (failed) =>
    failed.includes(1) && oneEntryPerTeam
      ? new DomainError('TEAM_ALREADY_ENTERED', 'the team already has an entry in this call')
      : failed.some((i) => i >= first)
        ? notOnTeam(s, failed, first)
        : new DomainError('CONCURRENT_UPDATE', 'that submission already exists'),
  );
}

/** An edit: the submission as read (its version) is replaced. */
export async function updateSubmission(s: Submission, readVersion: number): Promise<void> {
  await transact(
    [
      {
        Put: {
          TableName: tableName(),
          Item: submissionItem(s),
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': readVersion },
        },
      },
      ...coreMembersOnTeam(s),
    ],
    (failed) =>
      failed.includes(0)
        ? new DomainError('CONCURRENT_UPDATE', 'the submission changed meanwhile: read it again')
        : notOnTeam(s, failed, 1),
  );
}

/** A submission and, when asked, one reviewer's assignment to it, in one round trip. */
export async function submissionAndReview(
  callId: string,
  submissionId: string,
  reviewerId?: string,
): Promise<{ call?: FeaturedCall; submission?: Submission; review?: Review }> {
  const [c, s, r] = await getEach(
    [
      featuredCallKey(callId),
      featuredSubmissionKey(callId, submissionId),
      reviewerId ? featuredReviewKey(callId, submissionId, reviewerId) : undefined,
    ],
    true,
  );
  return {
    ...(c ? { call: strip<FeaturedCall>(c) } : {}),
    ...(s ? { submission: strip<Submission>(s) } : {}),
    ...(r ? { review: strip<Review>(r) } : {}),
  };
}

export async function listSubmissions(
  callId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Submission>> {
  const p = await queryPage({ ...featuredSubmissionsQuery(callId), limit, cursor });
  return { items: p.items.map((i) => strip<Submission>(i)), nextCursor: p.nextCursor };
}

/** What an assignment needs: the call, the submission and the reviewer's profile, in one round trip. */
export async function assignmentContext(
  callId: string,
  submissionId: string,
  reviewerId: string,
): Promise<{ call?: FeaturedCall; submission?: Submission; profile?: MemberProfile }> {
  const [c, s, p] = await getEach(
    [featuredCallKey(callId), featuredSubmissionKey(callId, submissionId), memberKey(reviewerId)],
    true,
  );
  return {
    ...(c ? { call: strip<FeaturedCall>(c) } : {}),
    ...(s ? { submission: strip<Submission>(s) } : {}),
    ...(p ? { profile: profileOf(p) } : {}),
  };
}

/**
 * Assigns a reviewer, under conditions that keep the conflict rule true at the instant of the
 * write: the reviewer is not (now) an active or pending member of the team, is not checked in
 * (now) to the team's community, and the results are not published.
 */
export async function assignReviewer(r: Review, team: { teamId: string; communityId?: string }): Promise<void> {
  await transact(
    [
      { Put: { TableName: tableName(), Item: reviewItem(r), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: teamMemberKey(team.teamId, r.reviewerId),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :rejected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':rejected': 'rejected' },
        },
      },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: memberKey(r.reviewerId),
          ConditionExpression: team.communityId
            ? 'attribute_exists(pk) AND (attribute_not_exists(communityId) OR communityId <> :c)'
            : 'attribute_exists(pk)',
          ...(team.communityId ? { ExpressionAttributeValues: { ':c': team.communityId } } : {}),
        },
      },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: featuredCallKey(r.callId),
          ConditionExpression: 'attribute_not_exists(resultsPublishedAt)',
        },
      },
    ],
    (failed) => {
      if (failed.includes(0)) return new DomainError('REVIEWER_ALREADY_ASSIGNED', 'that reviewer is already assigned');
      if (failed.includes(1) || failed.includes(2))
        return new DomainError('REVIEWER_CONFLICT', 'the reviewer belongs to the submitting team or its community');
      return new DomainError('RESULTS_PUBLISHED', 'the results are published: reviews are closed');
    },
  );
}

/** Locks a reviewer's scores: once, and only before the results are published. */
export async function submitScores(r: Review, scores: Scores, at: string): Promise<void> {
  await transact(
    [
      {
        Update: {
          TableName: tableName(),
          Key: featuredReviewKey(r.callId, r.submissionId, r.reviewerId),
          UpdateExpression: 'SET #status = :submitted, scores = :scores, submittedAt = :at',
          ConditionExpression: '#status = :assigned',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':submitted': 'submitted',
            ':assigned': 'assigned',
            ':scores': scores,
            ':at': at,
          },
        },
      },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: featuredCallKey(r.callId),
          ConditionExpression: 'attribute_not_exists(resultsPublishedAt)',
        },
      },
    ],
    (failed) =>
      failed.includes(0)
        ? new DomainError('SCORES_LOCKED', 'your scores for this submission are submitted and locked')
        : new DomainError('RESULTS_PUBLISHED', 'the results are published: reviews are closed'),
  );
}

/** Everything of a call: the call, submissions, reviews and awards (one Query, page after page, strongly consistent). */
export async function wholeCall(
  callId: string,
): Promise<{ call?: FeaturedCall; submissions: Submission[]; reviews: Review[] }> {
  const items = await queryAll({ ...featuredCallQuery(callId), consistent: true });
  const call = items.find((i) => i.type === 'featured-call');
  return {
    ...(call ? { call: strip<FeaturedCall>(call) } : {}),
    submissions: items.filter((i) => i.type === 'featured-submission').map((i) => strip<Submission>(i)),
    reviews: items.filter((i) => i.type === 'featured-review').map((i) => strip<Review>(i)),
  };
}

/** Publishes the ranking and opens the notice, once. */
export async function publishResults(
  callId: string,
  fields: { resultsPublishedAt: string; noticeFrom: string; noticeUntil: string; ranking: readonly RankedEntry[] },
): Promise<void> {
  await transact(
    [
      {
        Update: {
          TableName: tableName(),
          Key: featuredCallKey(callId),
          UpdateExpression:
            'SET resultsPublishedAt = :at, noticeFrom = :from, noticeUntil = :until, ranking = :ranking',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(resultsPublishedAt)',
          ExpressionAttributeValues: {
            ':at': fields.resultsPublishedAt,
            ':from': fields.noticeFrom,
            ':until': fields.noticeUntil,
            ':ranking': fields.ranking,
          },
        },
      },
    ],
    () => new DomainError('RESULTS_PUBLISHED', 'the results are already published'),
  );
}

/** The call and the submissions named, in one round trip. */
export async function awardContext(
  callId: string,
  submissionIds: readonly string[],
): Promise<{ call?: FeaturedCall; submissions: Map<string, Submission> }> {
  const [c, ...subs] = await getEach(
    [featuredCallKey(callId), ...submissionIds.map((s) => featuredSubmissionKey(callId, s))],
    true,
  );
  const submissions = new Map<string, Submission>();
  for (const s of subs) if (s) submissions.set(String(s.submissionId), strip<Submission>(s));
  return { ...(c ? { call: strip<FeaturedCall>(c) } : {}), submissions };
}

/** Items of one transaction per award: its record in the call, the team's history, each core member's entry. */
/** Items of a batch besides its awards: the call's totals and the city outbox item. */
export const ITEMS_PER_BATCH = 2;

export const itemsPerAward = (coreMembers: number) => 2 + coreMembers;

/**
 * Awards, all or none, in one transaction: the call's running totals move only if, before the
 * transaction, the amount awarded was at most budget - (this batch's sum) and each tier's count
 * at most count - (this batch's number in it); no submission is awarded twice.
 */
export async function putAwards(
  call: Pick<FeaturedCall, 'callId' | 'budget' | 'tiers'>,
  awards: readonly { entry: AwardEntry; coreMemberIds: readonly string[] }[],
  delivery: CityDelivery,
): Promise<void> {
  const sum = awards.reduce((s, a) => s + a.entry.amount, 0);
  const names: Record<string, string> = { '#amount': 'awardedAmount', '#byTier': 'awardedByTier' };
  const values: Record<string, unknown> = { ':sum': sum, ':maxBefore': call.budget - sum };
  const conds = ['#amount <= :maxBefore'];
  const adds = ['#amount :sum'];
  call.tiers.forEach((t, i) => {
    const n = awards.filter((a) => a.entry.tierId === t.tierId).length;
    if (n === 0) return;
    names[`#t${i}`] = t.tierId;
    values[`:n${i}`] = n;
    values[`:max${i}`] = t.count - n;
    conds.push(`#byTier.#t${i} <= :max${i}`);
    adds.push(`#byTier.#t${i} :n${i}`);
  });
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: featuredCallKey(call.callId),
        UpdateExpression: `ADD ${adds.join(', ')}`,
        ConditionExpression: conds.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  ];
  // The outbox: the city's event, written with the awards, delivered from the stream.
  items.push({
    Put: {
      TableName: tableName(),
      Item: {
        ...featuredCityDeliveryKey(delivery.callId, delivery.batchId),
        type: 'featured-city-delivery',
        ...delivery,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  for (const { entry, coreMemberIds } of awards) {
    items.push({
      Put: {
        TableName: tableName(),
        Item: { ...featuredAwardKey(entry.callId, entry.submissionId), type: 'featured-award', ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    items.push({
      Put: {
        TableName: tableName(),
        Item: { ...teamAwardKey(entry.teamId, entry.awardId), type: 'team-award', ...entry },
      },
    });
    for (const memberId of coreMemberIds) items.push(memberAwardPut(memberId, entry));
  }
  await transact(items, (failed) =>
    failed.includes(0)
      ? new DomainError('AWARD_OVER_BUDGET', 'the awards would exceed the budget or a tier’s count (awarded meanwhile)')
      : new DomainError('ALREADY_AWARDED', 'a project in this batch was awarded meanwhile'),
  );
}

const updateItem = (input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) =>
  db().send(new UpdateCommand({ TableName: tableName(), ...input }));

/** The outbox item once the city bus took its event (the stream consumer; an UpdateItem). */
export async function cityDeliverySent(callId: string, batchId: string, at: string): Promise<void> {
  await updateItem({
    Key: featuredCityDeliveryKey(callId, batchId),
    UpdateExpression: 'SET #status = :sent, sentAt = if_not_exists(sentAt, :at)',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':sent': 'sent', ':at': at },
  });
}

/** A put on the city bus that failed: counted on the outbox item (the stream retries it). */
export async function cityDeliveryFailed(callId: string, batchId: string, error: string): Promise<void> {
  await updateItem({
    Key: featuredCityDeliveryKey(callId, batchId),
    UpdateExpression: 'ADD failedAttempts :one SET lastError = :error',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':one': 1, ':error': error.slice(0, 500) },
  });
}

/** The district's calls, newest year first, or one year's (gsi1 `FCALLS`). */
export async function listCalls(
  year: number | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<FeaturedCall>> {
  const p = await queryPage({ ...featuredCallsQuery(year), limit, cursor, newestFirst: true });
  return { items: p.items.map((i) => strip<FeaturedCall>(i)), nextCursor: p.nextCursor };
}

/** A reviewer's assignments, every call's, newest first (gsi1 `REVIEWER#<id>`). */
export async function reviewerAssignments(
  reviewerId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Review>> {
  const p = await queryPage({ ...reviewerAssignmentsQuery(reviewerId), limit, cursor, newestFirst: true });
  return { items: p.items.map((i) => strip<Review>(i)), nextCursor: p.nextCursor };
}

/** A call, its awards and its city deliveries: one Query (shared/db/keys.ts, featuredAwardReportQuery). */
export async function awardReportContext(
  callId: string,
): Promise<{ call?: FeaturedCall; awards: AwardEntry[]; deliveries: CityDelivery[] }> {
  const items = await queryAll({ ...featuredAwardReportQuery(callId), consistent: true });
  const call = items.find((i) => i.type === 'featured-call');
  return {
    ...(call ? { call: strip<FeaturedCall>(call) } : {}),
    awards: items.filter((i) => i.type === 'featured-award').map((i) => strip<AwardEntry>(i)),
    deliveries: items.filter((i) => i.type === 'featured-city-delivery').map((i) => strip<CityDelivery>(i)),
  };
}

/** Teams by id (BatchGetItem). */
export async function teamsById(teamIds: readonly string[]): Promise<Map<string, Team>> {
  if (teamIds.length === 0) return new Map();
  const items = await getEach(teamIds.map((id) => teamKey(id)));
  const out = new Map<string, Team>();
  for (const t of items) if (t) out.set(String(t.teamId), strip<Team>(t));
  return out;
}

export async function memberAwards(
  memberId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<AwardEntry>> {
  const p = await queryPage({ ...memberAwardsQuery(memberId), limit, cursor, newestFirst: true });
  return { items: p.items.map((i) => strip<AwardEntry>(fromItem(i, 'memberId'))), nextCursor: p.nextCursor };
}

/** A team and its award history, side by side. */
export async function teamAwards(teamId: string): Promise<{ team?: Team; awards: AwardEntry[] }> {
  const [[t], items] = await Promise.all([getEach([teamKey(teamId)]), queryAll({ ...teamAwardsQuery(teamId) })]);
  return { ...(t ? { team: strip<Team>(t) } : {}), awards: items.map((i) => strip<AwardEntry>(i)) };
}

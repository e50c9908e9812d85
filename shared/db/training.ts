import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { TIERS, type Grant, type TrainingEntry } from '../domain/training.ts';
import type { MemberProfile } from '../domain/types.ts';
import { tableName } from './client.ts';
import type { CountedFact } from '../domain/counters.ts';
import type { Course, SessionMark } from '../domain/training.ts';
import { counterUpdates } from './counters.ts';
import type { Page } from './cursor.ts';
import {
  communityExpiriesQuery,
  courseAttendanceKey,
  courseKey,
  courseKeys,
  courseSessionKey,
  courseSessionsQuery,
  coursesQuery,
  trainingEntryKey,
  trainingEntryKeys,
  districtExpiriesQuery,
  grantKey,
  grantKeys,
  memberGrantsQuery,
  memberKey,
  memberTrainingHoursKey,
  memberTrainingQuery,
} from './keys.ts';
import { profileOf } from './members.ts';
import { batchGet, fromItem, getItem, queryAll, queryPage, transact, type Item } from './table.ts';

/**
 * Qualification grants and the training part of a member's record.
 *   grant     pk MEMBER#<id>  sk GRANT#<qualification>  { grantedAt, validUntil?, source, courseId?, grantedBy, communityId? }
 *             gsi1 GRANTS#<communityId> / <validUntil>#<memberId>#<qualification>   (a community's, by expiry)
 *             gsi2 GRANTS-EXPIRING / <validUntil>#<memberId>#<qualification>        (the district's, by expiry)
 *             (index keys only when it expires; `validUntil`, not `expiresAt`: that is the table's TTL attribute)
 *   training  pk MEMBER#<id>  sk TRAINING#<courseId>   gsi3 FACTS#<YYYY-MM>#training (a counted fact)
 *   hours     pk MEMBER#<id>  sk TRAINING_HOURS  { hours }   (apart from service hours: MEMBER#<id> / HOURS)
 * A re-grant only extends: its write is conditioned on the grant as read (absent, or the same
 * validUntil), so two grants at once cannot move an expiry back.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const grantOf = (i: Item): Grant => fromItem<Grant>(i);

/** A member's grants (one Query, strongly consistent). */
export async function grantsOf(memberId: string): Promise<Grant[]> {
  return (await queryAll({ ...memberGrantsQuery(memberId), consistent: true })).map(grantOf);
}

/** A member's profile and grants of every tier, in one round trip. */
export async function profileAndGrants(
  memberId: string,
): Promise<{ profile: MemberProfile | undefined; grants: Grant[] }> {
  const pk = memberKey(memberId);
  const gks = TIERS.map((q) => grantKey(memberId, q));
  const found = await batchGet([pk, ...gks], undefined, true);
  const p = found.get(`${pk.pk}|${pk.sk}`);
  const grants = gks.flatMap((k) => {
    const g = found.get(`${k.pk}|${k.sk}`);
    return g ? [grantOf(g)] : [];
  });
  return { profile: p && profileOf(p), grants };
}

/**
 * The Put of a grant for a transaction, conditioned on the grant `held` as read: none, or one
 * with the same validUntil (a grant without expiry is never replaced: callers skip it).
 */
export function grantPut(g: Grant, held: Grant | undefined): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...grantKeys(g), type: 'grant', ...g },
      ConditionExpression: held ? 'validUntil = :held' : 'attribute_not_exists(pk)',
      ...(held ? { ExpressionAttributeValues: { ':held': held.validUntil } } : {}),
    },
  };
}

/** Writes a grant (see grantPut); false when the grant changed since it was read. */
export async function putGrant(g: Grant, held: Grant | undefined): Promise<boolean> {
  const moved = new DomainError('CONCURRENT_UPDATE', 'the grant changed meanwhile');
  try {
    await transact([grantPut(g, held)], () => moved);
    return true;
  } catch (err) {
    if (err === moved) return false;
    throw err;
  }
}

/** Grants expiring in [from, to] (by expiry): a community's, or the district's. */
export async function expiringGrants(communityId: string | undefined, from: string, to: string): Promise<Grant[]> {
  const q = communityId ? communityExpiriesQuery(communityId) : districtExpiriesQuery();
  return (await queryAll({ ...q, between: { from, to: `${to}~` } })).map(grantOf);
}

/** Grants of many members (BatchGetItem, every tier): a team's expiry report. */
export async function grantsOfMembers(memberIds: readonly string[]): Promise<Grant[]> {
  const found = await batchGet(memberIds.flatMap((m) => TIERS.map((q) => grantKey(m, q))));
  return [...found.values()].map(grantOf);
}

/** A member's training entries and training hours. */
export async function trainingOf(memberId: string): Promise<{ entries: TrainingEntry[]; hours: number }> {
  const [items, h] = await Promise.all([
    queryAll({ ...memberTrainingQuery(memberId) }),
    (async () => {
      const k = memberTrainingHoursKey(memberId);
      return getItem(k.pk, k.sk);
    })(),
  ]);
  return {
    entries: items.map((i) => fromItem<TrainingEntry>(i)).sort((a, b) => (a.completedAt < b.completedAt ? 1 : -1)),
    hours: Number(h?.hours ?? 0),
  };
}

// ---------- courses and their sessions ----------

/**
 *   course    pk COURSE#<id>  sk COURSE   gsi1 COURSES / <createdAt>#<id>   gsi2 TEAM#<teamId>#COURSES / <createdAt>#<id>
 *   session   pk COURSE#<id>  sk SESSION#<activityId>  { startsAt, closed }   (the activity is ACTIVITY#<activityId>, kind training)
 *   attended  pk COURSE#<id>  sk ATTENDED#<memberId>  { sessions: string set }   (ADD on each session's close: idempotent)
 */
export function courseItem(c: Course): Item {
  return { ...courseKeys(c), type: 'course', ...c };
}

export async function getCourse(courseId: string, consistent = false): Promise<Course | undefined> {
  const k = courseKey(courseId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && fromItem<Course>(i);
}

export async function listCourses(
  teamId: string | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Course>> {
  const page = await queryPage({ ...coursesQuery(teamId), limit, cursor, newestFirst: true });
  return { items: page.items.map((i) => fromItem<Course>(i)), nextCursor: page.nextCursor };
}

/** A course's sessions (strongly consistent): id, start, closed. */
export async function sessionsOf(courseId: string): Promise<SessionMark[]> {
  const items = await queryAll({ ...courseSessionsQuery(courseId), consistent: true });
  return items.map((i) => ({
    activityId: String(i.activityId),
    startsAt: String(i.startsAt),
    closed: i.closed === true,
  }));
}

/** A session: its activity, its pointer under the course, the course's count, in one transaction. */
export async function putSession(
  activity: Item,
  courseId: string,
  activityId: string,
  startsAt: string,
): Promise<void> {
  await transact(
    [
      { Put: { TableName: tableName(), Item: activity, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...courseSessionKey(courseId, activityId),
            type: 'course-session',
            activityId,
            startsAt,
            closed: false,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: courseKey(courseId),
          UpdateExpression: 'ADD sessionCount :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ],
    () => new DomainError('CONCURRENT_UPDATE', 'that session exists already'),
  );
}

/** Attendees per marking transaction (one Update each, plus the session's pointer). */
export const MARK_CHUNK = 90;

/** Marks a session closed and adds it to each attendee's attended set (ADD: a retry changes nothing). */
export async function markSession(courseId: string, activityId: string, attendees: readonly string[]): Promise<void> {
  const closeIt: TransactItem = {
    Update: {
      TableName: tableName(),
      Key: courseSessionKey(courseId, activityId),
      UpdateExpression: 'SET closed = :true',
      ExpressionAttributeValues: { ':true': true },
    },
  };
  const chunks: string[][] = [];
  for (let i = 0; i < attendees.length; i += MARK_CHUNK) chunks.push(attendees.slice(i, i + MARK_CHUNK));
  if (chunks.length === 0) chunks.push([]);
  for (const chunk of chunks)
    await transact(
      [
        closeIt,
        ...chunk.map(
          (m): TransactItem => ({
            Update: {
              TableName: tableName(),
              Key: courseAttendanceKey(courseId, m),
              UpdateExpression: 'ADD sessions :s SET memberId = :m',
              ExpressionAttributeValues: { ':s': new Set([activityId]), ':m': m },
            },
          }),
        ),
      ],
      () => new DomainError('CONCURRENT_UPDATE', 'the course changed meanwhile'),
    );
}

/** What completion needs of each attendee, in one BatchGetItem per 33 attendees: attended sessions, grants, profile. */
export async function attendeesState(
  courseId: string,
  memberIds: readonly string[],
): Promise<
  Map<string, { attended: Set<string>; grants: Grant[]; profile: MemberProfile | undefined; completed: boolean }>
> {
  const keys = memberIds.flatMap((m) => [
    courseAttendanceKey(courseId, m),
    memberKey(m),
    trainingEntryKey(m, courseId),
    ...TIERS.map((q) => grantKey(m, q)),
  ]);
  const found = await batchGet(keys, undefined, true);
  const get = (k: { pk: string; sk: string }) => found.get(`${k.pk}|${k.sk}`);
  return new Map(
    memberIds.map((m) => {
      const att = get(courseAttendanceKey(courseId, m))?.sessions as Set<string> | undefined;
      const p = get(memberKey(m));
      return [
        m,
        {
          attended: new Set(att ? [...att] : []),
          grants: TIERS.flatMap((q) => {
            const g = get(grantKey(m, q));
            return g ? [grantOf(g)] : [];
          }),
          profile: p && profileOf(p),
          completed: get(trainingEntryKey(m, courseId)) !== undefined,
        },
      ];
    }),
  );
}

/**
 * A completion in one transaction: the training entry (only if absent: a retried close writes it
 * once), the member's training hours, the counters (trainingsCompleted, trainingHours), and the
 * grant when it extends what is held (conditioned on the grant as read). `done` when the entry
 * was there already; `moved` when the grant changed since it was read (read again and retry).
 */
export async function complete(
  e: TrainingEntry,
  grant: { next: Grant; held: Grant | undefined } | undefined,
  districtId: string,
): Promise<'written' | 'done' | 'moved'> {
  const fact: CountedFact = { kind: 'training', fact: e };
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...trainingEntryKeys(e), type: 'training-entry', ...e },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: memberTrainingHoursKey(e.memberId),
        UpdateExpression: 'ADD hours :h SET memberId = :m',
        ExpressionAttributeValues: { ':h': e.studyHours, ':m': e.memberId },
      },
    },
    ...counterUpdates([fact], districtId),
    ...(grant ? [grantPut(grant.next, grant.held)] : []),
  ];
  let outcome: 'done' | 'moved' = 'moved';
  const signal = new DomainError('CONCURRENT_UPDATE', 'completion refused');
  try {
    await transact(items, (failed) => {
      outcome = failed.includes(0) ? 'done' : 'moved';
      return signal;
    });
    return 'written';
  } catch (err) {
    if (err === signal) return outcome;
    throw err;
  }
}

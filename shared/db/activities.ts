import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { shanghaiMonthRange, type Activity, type ActivityClose, type Signup } from '../domain/activity.ts';
import { DomainError } from '../domain/errors.ts';
import { notice, type Notice, type NoticeTypeName } from '../domain/notices.ts';
import type { ServiceRecord } from '../domain/records.ts';
import type { Team } from '../domain/team.ts';
import { TIERS, type Grant } from '../domain/training.ts';
import { monthOf } from '../domain/time.ts';
import type { Community, MemberProfile } from '../domain/types.ts';
import { db, tableName } from './client.ts';
import { counterUpdates, factIndexKeys } from './counters.ts';
import type { Page } from './cursor.ts';
import {
  activityCloseKey,
  activityKey,
  activityKeys,
  activitySignupsQuery,
  codeTriesKey,
  grantKey,
  communityActivitiesQuery,
  communityKey,
  memberKey,
  memberSignupsQuery,
  teamKey,
  monthActivitiesQuery,
  signupKey,
  signupKeys,
  signupsInOrderQuery,
  teamActivitiesQuery,
  waitlistAheadQuery,
  waitlistKey,
  waitlistQuery,
  type KeyQuery,
} from './keys.ts';
import { profileOf } from './members.ts';
import { outboxPut, putOutboxEntries } from './notifications.ts';
import { addMemberHours, putRecord } from './records.ts';
import { batchGet, fromItem, getEach, getItem, queryAll, queryPage, transact, type Item } from './table.ts';
import { putIfAbsent } from './writes.ts';

/**
 * Activities, their sign-ups and waitlists.
 *   activity  pk ACTIVITY#<id>  sk ACTIVITY
 *             gsi1 ACTIVITIES#<YYYY-MM of startsAt, Shanghai> / <startsAt>#<id>   (a month's activities)
 *             gsi2 TEAM#<teamId>#ACTIVITIES / <startsAt>#<id>                    (a team's; month = sk range)
 *             gsi3 COMMUNITY#<communityId>#ACTIVITIES / <startsAt>#<id>          (a community's; month = sk range)
 *             { confirmedCount, waitlistedCount, attendanceCode, attendanceCodeExpiresAt, closedChunks }
 *   sign-up   pk ACTIVITY#<id>  sk SIGNUP#<memberId>                                (GetItem: my place)
 *             gsi1 ACTIVITY#<id>#SIGNUPS / <ticket, 13 digits>#<memberId>            (sign-ups in arrival order)
 *   waitlist  pk ACTIVITY#<id>  sk WAITLIST#<ticket, 13 digits>#<memberId>          (head = consistent Query, Limit 1)
 *   close     pk ACTIVITY#<id>  sk CLOSE  { teamId, streetId, communityId, peopleServed, closedAt }
 *             gsi3 FACTS#<YYYY-MM>#activity-close / <closedAt>#<id>                   (written with the final close:
 *                                                                                 a month's closes, for verify-counters)
 * startsAt/endsAt are stored as `Date#toISOString()` (UTC, milliseconds, Z): conditions compare them
 * as strings with the clock's nowIso().
 * Arrival order is a ticket: the instant the sign-up arrived (ms since 1970), ties broken by member
 * id. Not a counter on the activity: a counter would be one more write to the item every sign-up
 * already contends for (or a condition every concurrent sign-up but one fails).
 * `confirmedCount` and `waitlistedCount` live on the activity item and change only in the same
 * transaction as the sign-ups they count, under conditions (confirmedCount < capacity to confirm,
 * >= capacity to waitlist, waitlistedCount = 0 to free a place without promotion). So a waitlist
 * exists only while every place is taken, and the counts are always exact.
 * Close runs in chunks of CLOSE_CHUNK attendees; each chunk is one transaction (its records,
 * members' hours, counters) that also adds its number to the activity's `closedChunks` set under
 * the condition that it is not there yet, so a retried close skips finished chunks.
 * (Keys: shared/db/keys.ts.)
 */

/** The item of an activity (with its three list keys). */
export function activityItem(a: Activity): Item {
  return { ...activityKeys(a), type: 'activity', ...a };
}

/** Writes a new activity; false (and nothing written) when one with that id exists already. */
export async function putNewActivity(a: Activity): Promise<boolean> {
  return putIfAbsent(activityItem(a));
}

/** What the service sees of an activity item, never its clients. */
const INTERNAL = [
  'ticketSeq',
  'attendanceCode',
  'attendanceCodeExpiresAt',
  'closedChunks',
  'closingAt',
  'closedBy',
  'cancelledBy',
];

export const activityOf = (i: Item) => fromItem<Activity>(i, ...INTERNAL);

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Records per close transaction: 1 activity update + 4 counters + 3 items per record (record, hours, notice) <= 100. */
export const CLOSE_CHUNK = 30;

export function signupItem(s: Signup): Item {
  return { ...signupKeys(s), type: 'signup', ...s };
}

// Who fixed the attendance and when stay in the table (the sign-up's history), not in the view.
const signupOf = (i: Item) => fromItem<Signup>(i, 'attendanceFixedBy', 'attendanceFixedAt');

/** The activity with the attributes only the service sees (never returned to clients). */
export interface ActivityState {
  readonly activity: Activity;
  readonly attendanceCode?: string;
  readonly attendanceCodeExpiresAt?: string;
  readonly closedChunks: readonly number[];
}

function stateOf(i: Item): ActivityState {
  const chunks = i.closedChunks as Set<number> | undefined;
  return {
    activity: activityOf(i),
    ...(typeof i.attendanceCode === 'string' ? { attendanceCode: i.attendanceCode } : {}),
    ...(typeof i.attendanceCodeExpiresAt === 'string' ? { attendanceCodeExpiresAt: i.attendanceCodeExpiresAt } : {}),
    closedChunks: chunks ? [...chunks].map(Number).sort((a, b) => a - b) : [],
  };
}

async function getActivityItem(activityId: string, consistent: boolean): Promise<Item | undefined> {
  const k = activityKey(activityId);
  return getItem(k.pk, k.sk, consistent);
}

export async function getActivity(activityId: string, consistent = false): Promise<Activity | undefined> {
  const i = await getActivityItem(activityId, consistent);
  return i && activityOf(i);
}

export async function getActivityState(activityId: string, consistent = true): Promise<ActivityState | undefined> {
  const i = await getActivityItem(activityId, consistent);
  return i && stateOf(i);
}

// ---------- lists ----------

export interface ActivityFilter {
  readonly month?: string;
  readonly teamId?: string;
  readonly communityId?: string;
  readonly newestFirst: boolean;
  readonly limit: number;
  readonly cursor: string | undefined;
}

/**
 * One Query on the key designed for the filter: a team's (gsi2) or a community's (gsi3)
 * activities, within a month by a sort-key range on startsAt; else a month's (gsi1).
 * Ordered by start time (newest first unless asked otherwise).
 */
export async function listActivities(f: ActivityFilter): Promise<Page<Activity>> {
  let q: KeyQuery;
  let range: { from: string; to: string } | undefined;
  if (f.teamId !== undefined) {
    q = teamActivitiesQuery(f.teamId);
    range = f.month ? shanghaiMonthRange(f.month) : undefined;
  } else if (f.communityId !== undefined) {
    q = communityActivitiesQuery(f.communityId);
    range = f.month ? shanghaiMonthRange(f.month) : undefined;
  } else {
    if (!f.month) throw new Error('listActivities needs a month, a team or a community');
    q = monthActivitiesQuery(f.month);
  }
  // `<to>#id` sorts after `<to>`: an activity starting exactly at `to` (the next month) is excluded.
  const page = await queryPage({ ...q, between: range, limit: f.limit, cursor: f.cursor, newestFirst: f.newestFirst });
  return { items: page.items.map(activityOf), nextCursor: page.nextCursor };
}

/** Sign-ups of an activity in arrival (ticket) order. */
export async function listSignups(
  activityId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Signup>> {
  const page = await queryPage({ ...signupsInOrderQuery(activityId), limit, cursor });
  return { items: page.items.map(signupOf), nextCursor: page.nextCursor };
}

/** Every sign-up of an activity (strongly consistent; the close). At most capacity + waitlist items. */
export async function allSignups(activityId: string): Promise<Signup[]> {
  const items = await queryAll({ ...activitySignupsQuery(activityId), consistent: true });
  return items.map(signupOf);
}

/** The waitlist's head: the lowest ticket still waiting (strongly consistent). */
export async function waitlistHead(activityId: string): Promise<{ ticket: number; memberId: string } | undefined> {
  const page = await queryPage({ ...waitlistQuery(activityId), consistent: true, limit: 1, cursor: undefined });
  const i = page.items[0];
  return i && { ticket: Number(i.ticket), memberId: String(i.memberId) };
}

/** The whole waitlist in order (tests and the leader's view). */
export async function waitlist(activityId: string): Promise<{ ticket: number; memberId: string }[]> {
  const items = await queryAll({ ...waitlistQuery(activityId), consistent: true });
  return items.map((i) => ({ ticket: Number(i.ticket), memberId: String(i.memberId) }));
}

export async function getSignup(activityId: string, memberId: string, consistent = true): Promise<Signup | undefined> {
  const k = signupKey(activityId, memberId);
  const i = await getItem(k.pk, k.sk, consistent);
  return i && signupOf(i);
}

// ---------- sign-up and cancel ----------

const changed = () => new DomainError('CONCURRENT_UPDATE', 'the activity changed meanwhile');

/** A team and a community, in one round trip: what publishing an activity needs to know. */
export async function teamAndCommunity(
  teamId: string,
  communityId: string,
): Promise<{ team: Team | undefined; community: Community | undefined }> {
  const [t, c] = await getEach([teamKey(teamId), communityKey(communityId)]);
  return { team: t && fromItem<Team>(t), community: c && fromItem<Community>(c) };
}

/** An activity's state and a team (the caller's, who may lead it), in one round trip (strongly consistent). */
export async function activityAndTeam(
  activityId: string,
  teamId: string | undefined,
): Promise<{ state: ActivityState | undefined; team: Team | undefined }> {
  const [a, t] = await getEach([activityKey(activityId), teamId ? teamKey(teamId) : undefined], true);
  return { state: a && stateOf(a), team: t && fromItem<Team>(t) };
}

/** An activity, the caller's team and a member's sign-up, in one round trip (a leader's fix of attendance). */
export async function attendanceContext(
  activityId: string,
  teamId: string | undefined,
  memberId: string,
): Promise<{ state: ActivityState | undefined; team: Team | undefined; signup: Signup | undefined }> {
  const [a, t, s] = await getEach(
    [activityKey(activityId), teamId ? teamKey(teamId) : undefined, signupKey(activityId, memberId)],
    true,
  );
  return { state: a && stateOf(a), team: t && fromItem<Team>(t), signup: s && signupOf(s) };
}

/**
 * A member's profile, an activity's state and the member's qualification grants (one key per tier:
 * whatever the activity requires), in one round trip (BatchGetItem, strongly consistent).
 */
export async function memberAndActivity(
  memberId: string,
  activityId: string,
): Promise<{ profile: MemberProfile | undefined; state: ActivityState | undefined; grants: Grant[] }> {
  const pk = memberKey(memberId);
  const ak = activityKey(activityId);
  const gks = TIERS.map((q) => grantKey(memberId, q));
  const found = await batchGet([pk, ak, ...gks], undefined, true);
  const p = found.get(`${pk.pk}|${pk.sk}`);
  const a = found.get(`${ak.pk}|${ak.sk}`);
  const grants = gks.flatMap((k) => {
    const g = found.get(`${k.pk}|${k.sk}`);
    return g ? [fromItem<Grant>(g)] : [];
  });
  return { profile: p && profileOf(p), state: a && stateOf(a), grants };
}

const OPEN_AND_FUTURE = '#status = :open AND startsAt > :now';

/** The activity is not as the sign-up's guess assumed (it filled up, or a place was freed, or it closed): its state now. */
export class ActivityMoved extends Error {
  override readonly name = 'ActivityMoved';
  constructor(readonly state: ActivityState | undefined) {
    super('the activity changed since it was read');
  }
}

/**
 * Signs `s` up in one transaction, its status guessed from the activity as read: the count goes
 * up under the capacity condition (`confirmedCount < capacity` to confirm, `>= capacity` to
 * wait), and the sign-up (and the waitlist entry) are put if the member has none. When the guess
 * was wrong, ActivityMoved carries the activity as it is now (ReturnValuesOnConditionCheckFailure:
 * no read needed to try again); when the member is signed up already, ALREADY_SIGNED_UP.
 */
export async function signUp(s: Signup, now: string): Promise<void> {
  const confirmed = s.status === 'confirmed';
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: activityKey(s.activityId),
        UpdateExpression: `ADD ${confirmed ? 'confirmedCount' : 'waitlistedCount'} :one`,
        // A place is confirmed only while nobody waits: a waitlist is served first (capacity raised).
        ConditionExpression: `${OPEN_AND_FUTURE} AND ${
          confirmed
            ? 'confirmedCount < #capacity AND waitlistedCount = :zero'
            : '(confirmedCount >= #capacity OR waitlistedCount > :zero)'
        }`,
        ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' },
        ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':open': 'open', ':now': now },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    { Put: { TableName: tableName(), Item: signupItem(s), ConditionExpression: 'attribute_not_exists(pk)' } },
    outboxPut(
      notice(
        confirmed ? 'signup-confirmed' : 'signup-waitlisted',
        { kind: 'member', id: s.memberId },
        { activityId: s.activityId, ticket: s.ticket },
        now,
      ),
    ),
  ];
  if (!confirmed)
    items.push({
      Put: {
        TableName: tableName(),
        Item: {
          ...waitlistKey(s.activityId, s.ticket, s.memberId),
          type: 'waitlist',
          memberId: s.memberId,
          ticket: s.ticket,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  await transact(items, (failed, _reasons, old) => {
    if (failed.includes(1)) return alreadySignedUp();
    if (failed.includes(0)) return new ActivityMoved(old[0] && stateOf(old[0]));
    return changed();
  });
}

const alreadySignedUp = () => new DomainError('ALREADY_SIGNED_UP', 'you are already signed up for this activity');

const deleteSignup = (s: Signup): TransactItem => ({
  Delete: {
    TableName: tableName(),
    Key: signupKey(s.activityId, s.memberId),
    ConditionExpression: '#status = :st',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':st': s.status },
  },
});

/** Leaves the waitlist. */
export async function cancelWaitlisted(s: Signup, now: string): Promise<void> {
  await transact(
    [
      deleteSignup(s),
      {
        Delete: {
          TableName: tableName(),
          Key: waitlistKey(s.activityId, s.ticket, s.memberId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: activityKey(s.activityId),
          UpdateExpression: 'ADD waitlistedCount :minus',
          ConditionExpression: `${OPEN_AND_FUTURE} AND waitlistedCount > :zero`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0, ':open': 'open', ':now': now },
        },
      },
    ],
    changed,
  );
}

/**
 * Gives up a confirmed place. With a waitlist head, the head is promoted in the same transaction
 * (its waitlist entry goes, its sign-up becomes confirmed, confirmedCount stays, waitlistedCount
 * drops); with none, the place is freed under `waitlistedCount = 0` (so a member who joined the
 * waitlist meanwhile is never skipped).
 */
export async function cancelConfirmed(
  s: Signup,
  head: { ticket: number; memberId: string } | undefined,
  now: string,
): Promise<void> {
  const items: TransactItem[] = [deleteSignup(s)];
  if (head) {
    items.push(
      {
        Delete: {
          TableName: tableName(),
          Key: waitlistKey(s.activityId, head.ticket, head.memberId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: signupKey(s.activityId, head.memberId),
          UpdateExpression: 'SET #status = :confirmed, promotedAt = :now',
          ConditionExpression: '#status = :waitlisted',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':confirmed': 'confirmed', ':waitlisted': 'waitlisted', ':now': now },
        },
      },
      outboxPut(promotedNotice(s.activityId, head, now)),
      {
        Update: {
          TableName: tableName(),
          Key: activityKey(s.activityId),
          UpdateExpression: 'ADD waitlistedCount :minus',
          ConditionExpression: `${OPEN_AND_FUTURE} AND waitlistedCount > :zero`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0, ':open': 'open', ':now': now },
        },
      },
    );
  } else {
    items.push({
      Update: {
        TableName: tableName(),
        Key: activityKey(s.activityId),
        UpdateExpression: 'ADD confirmedCount :minus',
        ConditionExpression: `${OPEN_AND_FUTURE} AND waitlistedCount = :zero AND confirmedCount > :zero`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0, ':open': 'open', ':now': now },
      },
    });
  }
  await transact(items, changed);
}

const promotedNotice = (activityId: string, head: { ticket: number; memberId: string }, now: string) =>
  notice('promoted', { kind: 'member', id: head.memberId }, { activityId, ticket: head.ticket }, now);

// ---------- leaders: edit, cancel, promote after a capacity raise ----------

/** What a leader may change: the time, the place, the capacity. */
export interface ActivityChange {
  readonly startsAt?: string;
  readonly endsAt?: string;
  readonly address?: string;
  readonly stationId?: string;
  readonly capacity?: number;
}

/**
 * Changes an open activity before its start, in one transaction: its fields and list keys (a new
 * time moves it in the month, team and community lists), under the condition that no confirmed
 * member is dropped (confirmedCount <= the new capacity); when the time or the place changed, one
 * fan-out outbox entry that the notifier turns into a notice for everyone signed up.
 * CAPACITY_BELOW_CONFIRMED or SIGNUP_CLOSED (started, closed, cancelled) when refused.
 */
export async function changeActivity(after: Activity, change: ActivityChange, now: string, announce: boolean) {
  const keys = activityKeys(after);
  const fields: Record<string, unknown> = { ...keys, ...change, updatedAt: now };
  delete fields.pk;
  delete fields.sk;
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':open': 'open', ':now': now };
  const sets = Object.entries(fields).map(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:f${i}`] = v;
    return `#f${i} = :f${i}`;
  });
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: activityKey(after.activityId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: `${OPEN_AND_FUTURE} AND confirmedCount <= :cap`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':cap': after.capacity },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  ];
  if (announce)
    items.push(
      outboxPut(
        fanOutNotice('activity-changed', after.activityId, { activityId: after.activityId, version: now }, now),
      ),
    );
  await transact(items, (_f, _r, old) => {
    const o = old[0];
    if (o && o.status === 'open' && String(o.startsAt) > now && Number(o.confirmedCount) > after.capacity)
      return new DomainError(
        'CAPACITY_BELOW_CONFIRMED',
        `${String(o.confirmedCount)} members have a confirmed place: the capacity cannot go below that`,
      );
    return new DomainError('SIGNUP_CLOSED', 'only an open activity that has not started can be changed');
  });
}

/** Cancels an open activity before its start, with one fan-out outbox entry: everyone signed up is told. */
export async function cancelActivity(activityId: string, reason: string, by: string, now: string): Promise<void> {
  await transact(
    [
      {
        Update: {
          TableName: tableName(),
          Key: activityKey(activityId),
          UpdateExpression: 'SET #status = :cancelled, cancelledAt = :now, cancelReason = :reason, cancelledBy = :by',
          ConditionExpression: OPEN_AND_FUTURE,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':cancelled': 'cancelled',
            ':open': 'open',
            ':now': now,
            ':reason': reason,
            ':by': by,
          },
        },
      },
      outboxPut(fanOutNotice('activity-cancelled', activityId, { activityId, reason }, now)),
    ],
    () => new DomainError('SIGNUP_CLOSED', 'only an open activity that has not started can be cancelled'),
  );
}

/** Promotions per transaction: 3 items each (waitlist entry, sign-up, outbox) plus the activity. */
export const PROMOTE_CHUNK = 30;

/**
 * Promotes the head of the waitlist into the places free (after a capacity raise), at most
 * PROMOTE_CHUNK in one transaction, in ticket order: the activity's counts move under the
 * condition that they are still as read (a cancellation's own promotion meanwhile makes it
 * CONCURRENT_UPDATE: read again and retry). Returns how many were promoted (0: nothing to do).
 */
export async function promoteWaiting(activityId: string, now: string): Promise<number> {
  const state = await getActivityState(activityId);
  if (!state) return 0;
  const a = state.activity;
  const k = Math.min(a.capacity - a.confirmedCount, a.waitlistedCount, PROMOTE_CHUNK);
  if (a.status !== 'open' || k <= 0) return 0;
  const page = await queryPage({ ...waitlistQuery(activityId), consistent: true, limit: k, cursor: undefined });
  const heads = page.items.map((i) => ({ ticket: Number(i.ticket), memberId: String(i.memberId) }));
  if (heads.length === 0) return 0;
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: activityKey(activityId),
        UpdateExpression: 'ADD confirmedCount :k, waitlistedCount :minus',
        ConditionExpression: `${OPEN_AND_FUTURE} AND confirmedCount = :c AND waitlistedCount = :w AND #capacity = :cap`,
        ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' },
        ExpressionAttributeValues: {
          ':k': heads.length,
          ':minus': -heads.length,
          ':c': a.confirmedCount,
          ':w': a.waitlistedCount,
          ':cap': a.capacity,
          ':open': 'open',
          ':now': now,
        },
      },
    },
  ];
  for (const head of heads)
    items.push(
      {
        Delete: {
          TableName: tableName(),
          Key: waitlistKey(activityId, head.ticket, head.memberId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: signupKey(activityId, head.memberId),
          UpdateExpression: 'SET #status = :confirmed, promotedAt = :now',
          ConditionExpression: '#status = :waitlisted',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':confirmed': 'confirmed', ':waitlisted': 'waitlisted', ':now': now },
        },
      },
      outboxPut(promotedNotice(activityId, head, now)),
    );
  await transact(items, changed);
  return heads.length;
}

// ---------- notices about activities ----------

/** An outbox entry for everyone signed up to an activity: the notifier writes one notice per member. */
export function fanOutNotice(
  type: NoticeTypeName,
  activityId: string,
  data: Readonly<Record<string, string | number>>,
  at: string,
): Notice {
  return {
    dedupeKey: `fan-out:${type}:${activityId}:${String(data.version ?? '')}`,
    type,
    recipient: { kind: 'signups', id: activityId },
    data,
    createdAt: at,
  };
}

/** A fan-out entry's notices: one per sign-up (waitlisted ones too), written as outbox entries. */
export async function expandFanOut(n: Notice): Promise<number> {
  const signups = await allSignups(n.recipient.id);
  const notices = signups.map((s) =>
    notice(n.type, { kind: 'member', id: s.memberId }, { ...n.data, ticket: s.ticket }, n.createdAt),
  );
  await putOutboxEntries(notices);
  return notices.length;
}

/** Open or not, the activities that start within [from, to] (one Query per month the range touches). */
export async function activitiesStarting(from: string, to: string): Promise<Activity[]> {
  const months = [...new Set([monthOf(from), monthOf(to)])];
  const out: Activity[] = [];
  for (const m of months) {
    const items = await queryAll({ ...monthActivitiesQuery(m), between: { from, to: `${to}~` } });
    out.push(...items.map(activityOf));
  }
  return out;
}

/** The reminder of each confirmed member, keyed by the activity's start (a repeat writes the same entries). */
export async function writeReminders(a: Activity, type: NoticeTypeName, at: string): Promise<number> {
  const confirmed = (await allSignups(a.activityId)).filter((s) => s.status === 'confirmed');
  await putOutboxEntries(
    confirmed.map((s) =>
      notice(
        type,
        { kind: 'member', id: s.memberId },
        { activityId: a.activityId, ticket: s.ticket, startsAt: a.startsAt },
        at,
      ),
    ),
  );
  return confirmed.length;
}

// ---------- my sign-ups ----------

export interface MySignup extends Signup {
  readonly activity?: Activity;
  /** On the waitlist: 1 for its head. */
  readonly waitlistPlace?: number;
}

/**
 * A member's sign-ups, newest first: one Query (gsi2), the activities in one BatchGetItem, and for
 * each waitlisted one a COUNT Query of the entries ahead of it (in parallel).
 */
export async function mySignups(memberId: string, limit: number, cursor: string | undefined): Promise<Page<MySignup>> {
  const page = await queryPage({ ...memberSignupsQuery(memberId), limit, cursor, newestFirst: true });
  const signups = page.items.map(signupOf);
  const activities = await getEach(signups.map((s) => activityKey(s.activityId)));
  const places = await Promise.all(
    signups.map((s) =>
      s.status === 'waitlisted' ? countItems(waitlistAheadQuery(s.activityId, s.ticket, s.memberId)) : undefined,
    ),
  );
  return {
    items: signups.map((s, i) => ({
      ...s,
      ...(activities[i] ? { activity: activityOf(activities[i]) } : {}),
      ...(places[i] !== undefined ? { waitlistPlace: places[i] } : {}),
    })),
    nextCursor: page.nextCursor,
  };
}

/** How many items a key range holds (Select COUNT; the range ends before `to`'s own item, which is excluded). */
async function countItems(q: { partition: string; between: { from: string; to: string } }): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': q.partition, ':from': q.between.from, ':to': q.between.to },
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  // The range includes the member's own entry: their place is the count itself.
  return count;
}

// ---------- attendance ----------

/** Replaces the activity's attendance code (the old one stops working); false when not open. */
export async function setAttendanceCode(activityId: string, code: string, expiresAt: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: activityKey(activityId),
        UpdateExpression: 'SET attendanceCode = :c, attendanceCodeExpiresAt = :e',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':c': code, ':e': expiresAt, ':open': 'open' },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/**
 * Stamps a confirmed member's check-in or check-out, while the activity is still open (a
 * ConditionCheck in the same transaction, so nothing is stamped once the close has begun).
 * Fails with ACTIVITY_CLOSED, or CONCURRENT_UPDATE when the sign-up's state forbids it (the
 * service reads it to say why).
 */
/**
 * Wrong attendance codes, counted per member and per code (keyed by the code's expiry, so a new
 * code starts a new count), kept until an hour after the code expires (TTL):
 *   pk ACTIVITY#<id>  sk CODE_TRIES#<codeExpiresAt>#<code>#<memberId>  { tries }
 * Six digits give a million codes; without a limit a member could try them all within ten minutes.
 */

/** The current code an attempt was made against. */
export interface AttendanceCode {
  readonly code: string;
  readonly expiresAt: string;
}

/** Counts one wrong code; returns the tries so far for this code. */
export async function countWrongCode(activityId: string, code: AttendanceCode, memberId: string): Promise<number> {
  const out = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: codeTriesKey(activityId, code, memberId),
      UpdateExpression: 'SET #type = :type, expiresAt = :ttl ADD tries :one',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':type': 'code-tries',
        ':ttl': Math.floor(Date.parse(code.expiresAt) / 1000) + 3600,
        ':one': 1,
      },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.tries ?? 1);
}

/** A transaction's check that the activity is still open (neither closing nor closed). */
function activityStillOpen(activityId: string) {
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: activityKey(activityId),
      ConditionExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':open': 'open' },
    },
  };
}

/**
 * A leader's fix of a confirmed member's attendance: the sign-up's times set (check-out removed
 * when absent), while the activity is open (a ConditionCheck) and the place confirmed, in one
 * transaction; else a DomainError: ACTIVITY_CLOSED, NOT_SIGNED_UP.
 */
export async function fixAttendance(
  activityId: string,
  memberId: string,
  times: { checkedInAt: string; checkedOutAt?: string },
  by: { fixedBy: string; fixedAt: string },
): Promise<void> {
  const out = times.checkedOutAt ? 'SET checkedInAt = :in, checkedOutAt = :out' : 'SET checkedInAt = :in';
  await transact(
    [
      activityStillOpen(activityId),
      {
        Update: {
          TableName: tableName(),
          Key: signupKey(activityId, memberId),
          UpdateExpression: `${out}, attendanceFixedBy = :by, attendanceFixedAt = :at${times.checkedOutAt ? '' : ' REMOVE checkedOutAt'}`,
          ConditionExpression: 'attribute_exists(pk) AND #status = :confirmed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':in': times.checkedInAt,
            ...(times.checkedOutAt ? { ':out': times.checkedOutAt } : {}),
            ':by': by.fixedBy,
            ':at': by.fixedAt,
            ':confirmed': 'confirmed',
          },
        },
      },
    ],
    (failed) =>
      failed.includes(0)
        ? new DomainError('ACTIVITY_CLOSED', 'the activity is being closed or is closed: correct its service record')
        : new DomainError('NOT_SIGNED_UP', 'only a member with a confirmed place has attendance to fix'),
  );
}

export async function stampAttendance(
  activityId: string,
  memberId: string,
  kind: 'in' | 'out',
  at: string,
  code: AttendanceCode & { maxTries: number },
): Promise<void> {
  const cond =
    kind === 'in'
      ? 'attribute_exists(pk) AND #status = :confirmed AND attribute_not_exists(checkedInAt)'
      : 'attribute_exists(pk) AND #status = :confirmed AND attribute_exists(checkedInAt) AND attribute_not_exists(checkedOutAt)';
  await transact(
    [
      activityStillOpen(activityId),
      {
        Update: {
          TableName: tableName(),
          Key: signupKey(activityId, memberId),
          UpdateExpression: kind === 'in' ? 'SET checkedInAt = :at' : 'SET checkedOutAt = :at',
          ConditionExpression: cond,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':confirmed': 'confirmed' },
        },
      },
      {
        // Locked out of this code after too many wrong ones, even if this one is right.
        ConditionCheck: {
          TableName: tableName(),
          Key: codeTriesKey(activityId, code, memberId),
          ConditionExpression: 'attribute_not_exists(pk) OR tries < :max',
          ExpressionAttributeValues: { ':max': code.maxTries },
        },
      },
    ],
    (failed) =>
      failed.includes(0)
        ? new DomainError('ACTIVITY_CLOSED', 'the activity is being closed or is closed')
        : failed.includes(2)
          ? codeLocked()
          : changed(),
  );
}

export const codeLocked = () =>
  new DomainError('ATTENDANCE_CODE_LOCKED', 'too many wrong codes: ask the leader for a new code');

// ---------- close ----------

/** open -> closing once the activity has ended; false when it was not open (or has not ended). */
export async function beginClose(activityId: string, now: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: activityKey(activityId),
        UpdateExpression: 'SET #status = :closing, closingAt = :now',
        ConditionExpression: '#status = :open AND endsAt <= :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closing': 'closing', ':open': 'open', ':now': now },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/**
 * One chunk of a close, in one transaction: its records (conditional puts), each member's hours,
 * and the counters for exactly these records (each record is a counted fact); marked in
 * `closedChunks`. False when the chunk was done before (a retried close), in which case nothing
 * was written.
 */
export async function closeChunk(
  activityId: string,
  chunk: number,
  records: readonly ServiceRecord[],
  districtId: string,
  notices: readonly Notice[] = [],
): Promise<boolean> {
  if (records.length > CLOSE_CHUNK) throw new Error(`a close chunk holds at most ${CLOSE_CHUNK} records`);
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: activityKey(activityId),
        UpdateExpression: 'ADD closedChunks :set',
        ConditionExpression: '#status = :closing AND NOT contains(closedChunks, :n)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':set': new Set([chunk]), ':n': chunk, ':closing': 'closing' },
      },
    },
    ...records.flatMap((r) => [putRecord(r), addMemberHours(r.memberId, r.hours, 1)]),
    ...counterUpdates(
      records.map((fact) => ({ kind: 'record', fact })),
      districtId,
    ),
    ...notices.map(outboxPut),
  ];
  try {
    await transact(items, (failed) =>
      failed.includes(0)
        ? new DomainError('CONCURRENT_UPDATE', 'chunk closed already', { chunkDone: true })
        : new DomainError('CONCURRENT_UPDATE', 'a service record of this activity exists without its chunk mark'),
    );
    return true;
  } catch (err) {
    if (err instanceof DomainError && err.extra.chunkDone === true) return false;
    throw err;
  }
}

/**
 * The last step of a close: closing -> closed with people served and the summary, the close's
 * fact item (findable by month) and what it counts (activities, people served).
 * False when another close finished first.
 */
export async function finishClose(
  activityId: string,
  fields: { peopleServed: number; summary: string; closedAt: string; closedBy: string },
  districtId: string,
  place: Pick<Activity, 'teamId' | 'streetId' | 'communityId'>,
): Promise<boolean> {
  const close: ActivityClose = {
    activityId,
    teamId: place.teamId,
    streetId: place.streetId,
    communityId: place.communityId,
    peopleServed: fields.peopleServed,
    closedAt: fields.closedAt,
  };
  const fact = { kind: 'activity-close', fact: close } as const;
  const item: Item = {
    ...activityCloseKey(activityId),
    ...factIndexKeys(fact, close.closedAt, activityId),
    type: 'activity-close',
    ...close,
  };
  try {
    await transact(
      [
        {
          Update: {
            TableName: tableName(),
            Key: activityKey(activityId),
            UpdateExpression:
              'SET #status = :closed, peopleServed = :ps, #summary = :sum, closedAt = :at, closedBy = :by REMOVE attendanceCode, attendanceCodeExpiresAt',
            ConditionExpression: '#status = :closing',
            ExpressionAttributeNames: { '#status': 'status', '#summary': 'summary' },
            ExpressionAttributeValues: {
              ':closed': 'closed',
              ':closing': 'closing',
              ':ps': fields.peopleServed,
              ':sum': fields.summary,
              ':at': fields.closedAt,
              ':by': fields.closedBy,
            },
          },
        },
        ...counterUpdates([fact], districtId),
        { Put: { TableName: tableName(), Item: item } },
      ],
      () => new DomainError('CONCURRENT_UPDATE', 'closed already', { closedAlready: true }),
    );
    return true;
  } catch (err) {
    if (err instanceof DomainError && err.extra.closedAlready === true) return false;
    throw err;
  }
}

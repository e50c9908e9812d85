import { addMetric } from '../metrics/metrics.ts';
import { scheduleProblems, signupOpen, type Activity, type Signup } from '../domain/activity.ts';
import type { Category } from '../domain/categories.ts';
import { nowIso, nowMs } from '../domain/clock.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { administers, type Caller } from '../domain/policy.ts';
import { monthOf } from '../domain/time.ts';
import * as store from '../db/activities.ts';
import type { Page } from '../db/cursor.ts';
import { committing } from '../db/idempotency.ts';
import { meets, type Qualification } from '../domain/training.ts';
import { activityForLeader, assertLeads, mustGet, retrying } from './leading.ts';
import { assertBooked } from './stations.ts';

/**
 * Use cases of activities: publish, list, read, change and cancel; sign-up with a waitlist and
 * promotion on cancel; my sign-ups. Attendance and the close are shared/services/attendance.ts.
 * Every rule about time reads the clock through shared/domain/clock.ts.
 */

// ---------- publish, read, list ----------

export interface PublishInput {
  teamId?: string;
  title: string;
  content: string;
  category: Category;
  communityId: string;
  address?: string;
  stationId?: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  themeMonth?: string;
  /** Signing up needs a valid grant of this qualification (or one that includes it) at the start. */
  requiresQualification?: Qualification;
}

export async function publish(caller: Caller, input: PublishInput): Promise<Activity> {
  if (input.teamId !== undefined && input.teamId !== caller.teamId)
    throw forbidden('you can only publish activities of your own team');
  if (!caller.teamId) throw forbidden('your token names no team');
  const startsAt = new Date(input.startsAt).toISOString();
  const endsAt = new Date(input.endsAt).toISOString();
  const problems = scheduleProblems(startsAt, endsAt, nowMs());
  // A theme's activity happens in the theme's month (Asia/Shanghai); any other month was accepted before.
  if (input.themeMonth !== undefined && input.themeMonth !== monthOf(startsAt))
    problems.push({
      field: 'body.themeMonth',
      message: `must be the month the activity starts in (${monthOf(startsAt)})`,
    });
  if (problems.length > 0)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors: problems });
  // The team and the community, in one round trip.
  const found = await store.teamAndCommunity(caller.teamId, input.communityId);
  const team = await assertLeads(caller, caller.teamId, 'publish its activities', found.team);
  if (team.status !== 'active') throw new DomainError('TEAM_INACTIVE', 'an inactive team cannot publish activities');
  const community = found.community;
  if (!community) throw new DomainError('UNKNOWN_COMMUNITY', `no community ${input.communityId} in this district`);
  if (input.stationId) await assertBooked(team.teamId, input.stationId, { startsAt, endsAt });
  const activity: Activity = {
    activityId: newId('ac'),
    teamId: team.teamId,
    teamName: team.name,
    leaderMemberId: team.leaderMemberId,
    leaderName: team.leaderName,
    title: input.title,
    content: input.content,
    category: input.category,
    streetId: community.streetId,
    communityId: community.communityId,
    communityName: community.name,
    ...(input.address ? { address: input.address } : {}),
    ...(input.stationId ? { stationId: input.stationId } : {}),
    startsAt,
    endsAt,
    capacity: input.capacity,
    ...(input.themeMonth ? { themeMonth: input.themeMonth } : {}),
    ...(input.requiresQualification ? { requiresQualification: input.requiresQualification } : {}),
    kind: 'regular',
    status: 'open',
    confirmedCount: 0,
    waitlistedCount: 0,
    createdAt: nowIso(),
  };
  return committing(activity, async () => {
    if (!(await store.putNewActivity(activity)))
      throw new DomainError('CONCURRENT_UPDATE', 'that activity id exists already');
  });
}

export async function getActivity(activityId: string): Promise<Activity> {
  return mustGet(activityId);
}

export async function listActivities(q: {
  month?: string;
  teamId?: string;
  communityId?: string;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}): Promise<Page<Activity>> {
  const month = q.month ?? (q.teamId || q.communityId ? undefined : monthOf(nowIso()));
  return store.listActivities({
    month,
    teamId: q.teamId,
    communityId: q.communityId,
    newestFirst: q.order === 'desc',
    limit: q.limit,
    cursor: q.cursor,
  });
}

export async function listSignups(
  caller: Caller,
  activityId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Signup>> {
  // The activity and the caller's team (a leader's scope), in one round trip.
  const { state, team } = await store.activityAndTeam(activityId, caller.teamId);
  if (!state) throw notFound('activity');
  if (!administers(caller, state.activity)) await assertLeads(caller, state.activity.teamId, 'see its sign-ups', team);
  return store.listSignups(activityId, limit, cursor);
}

// ---------- sign-up and cancel ----------

const signupClosed = () => new DomainError('SIGNUP_CLOSED', 'sign-up closes when the activity starts');

/** Tries of a sign-up whose guess keeps being wrong (places freed and taken at the same instant). */
const SIGNUP_ATTEMPTS = 10;

/**
 * Sign-up in two round trips: the profile and the activity (one BatchGetItem), then one
 * transaction that takes a place, `confirmed` while one is free, else `waitlisted`, with the
 * arrival instant as its ticket. When the guess was wrong (the last place went meanwhile, or one
 * was freed), the transaction is refused and brings the activity back as it is now (no read): the
 * next try decides from that. Transaction conflicts with other sign-ups are retried by the client.
 */
export async function signUp(caller: Caller, activityId: string): Promise<Signup> {
  const arrivedAt = nowIso();
  const { profile, state, grants } = await store.memberAndActivity(caller.memberId, activityId);
  if (!state) throw notFound('activity');
  if (!profile)
    throw new DomainError('PROFILE_REQUIRED', 'create your member profile (POST /members) before signing up');
  const needed = state.activity.requiresQualification;
  if (needed) {
    const met = meets(grants, needed, state.activity.startsAt);
    if (!met.ok)
      throw new DomainError(
        'QUALIFICATION_REQUIRED',
        met.reason === 'missing'
          ? `this activity needs the ${needed} qualification (or one above it): you hold none`
          : `this activity needs the ${needed} qualification valid at its start (${state.activity.startsAt}): yours expires at ${met.validUntil}`,
        {
          qualification: needed,
          startsAt: state.activity.startsAt,
          ...(met.reason === 'expires' ? { validUntil: met.validUntil } : {}),
        },
      );
  }
  let current = state;
  for (let n = 1; ; n++) {
    const a = current.activity;
    if (!signupOpen(a, nowMs())) throw signupClosed();
    const s: Signup = {
      activityId,
      memberId: caller.memberId,
      memberName: profile.name,
      status: a.confirmedCount < a.capacity && a.waitlistedCount === 0 ? 'confirmed' : 'waitlisted',
      ticket: Date.parse(arrivedAt),
      signedUpAt: arrivedAt,
    };
    try {
      const done = await committing(s, () => store.signUp(s, nowIso()));
      // Counted once it is written (a replayed Idempotency-Key answers from its record, not from here).
      addMetric('SignUps');
      return done;
    } catch (err) {
      if (!(err instanceof store.ActivityMoved)) throw err;
      if (!err.state) throw notFound('activity');
      if (n >= SIGNUP_ATTEMPTS) throw new DomainError('CONCURRENT_UPDATE', 'places changed too often: try again');
      current = err.state;
    }
  }
}

/** Cancels my sign-up; a confirmed place goes to the head of the waitlist in the same transaction. */
export async function cancel(caller: Caller, activityId: string): Promise<{ cancelled: Signup; promoted?: string }> {
  return retrying(async () => {
    const s = await store.getSignup(activityId, caller.memberId);
    if (!s) {
      await mustGet(activityId);
      throw notFound('your sign-up');
    }
    try {
      if (s.status === 'waitlisted') {
        await store.cancelWaitlisted(s, nowIso());
        return { cancelled: s };
      }
      const head = await store.waitlistHead(activityId);
      await store.cancelConfirmed(s, head, nowIso());
      return { cancelled: s, ...(head ? { promoted: head.memberId } : {}) };
    } catch (err) {
      if (err instanceof DomainError && err.code === 'CONCURRENT_UPDATE') {
        const a = await mustGet(activityId, true);
        if (!signupOpen(a, nowMs())) throw signupClosed();
      }
      throw err;
    }
  });
}

// ---------- leaders: edit and cancel ----------

export interface ActivityEdit {
  startsAt?: string;
  endsAt?: string;
  address?: string;
  stationId?: string;
  capacity?: number;
}

/**
 * The leader changes the time, place or capacity of an open activity before it starts. One
 * transaction changes it (never below the confirmed count: CAPACITY_BELOW_CONFIRMED) and, when
 * the time or place changed, announces it to everyone signed up (a fan-out outbox entry); a
 * larger capacity then promotes from the waitlist in ticket order (transactions of up to 30).
 */
export async function editActivity(caller: Caller, activityId: string, edit: ActivityEdit): Promise<Activity> {
  const state = await activityForLeader(caller, activityId, 'change it');
  const before = state.activity;
  if (!signupOpen(before, nowMs()))
    throw new DomainError('SIGNUP_CLOSED', 'only an open activity that has not started can be changed');
  const change = {
    ...(edit.startsAt !== undefined ? { startsAt: new Date(edit.startsAt).toISOString() } : {}),
    ...(edit.endsAt !== undefined ? { endsAt: new Date(edit.endsAt).toISOString() } : {}),
    ...(edit.address !== undefined ? { address: edit.address } : {}),
    ...(edit.stationId !== undefined ? { stationId: edit.stationId } : {}),
    ...(edit.capacity !== undefined ? { capacity: edit.capacity } : {}),
  };
  const after: Activity = { ...before, ...change };
  const problems = scheduleProblems(after.startsAt, after.endsAt, nowMs()).filter(
    (p) =>
      (p.field === 'body.startsAt' && change.startsAt) ||
      (p.field === 'body.endsAt' && (change.endsAt || change.startsAt)),
  );
  if (problems.length > 0)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors: problems });
  if (after.capacity < before.confirmedCount)
    throw new DomainError(
      'CAPACITY_BELOW_CONFIRMED',
      `${before.confirmedCount} members have a confirmed place: the capacity cannot go below that`,
    );
  const moved = after.startsAt !== before.startsAt || after.endsAt !== before.endsAt;
  const placed = after.address !== before.address || after.stationId !== before.stationId;
  const at = nowIso();
  await store.changeActivity(after, change, at, moved || placed);
  // Without a larger capacity the activity is as written (no read back). With one, promote whoever
  // waits now (someone may have joined the waitlist since the read), then read its counts.
  if (after.capacity <= before.capacity) return { ...after, updatedAt: at };
  while ((await retrying(() => store.promoteWaiting(activityId, nowIso()))) > 0);
  return mustGet(activityId, true);
}

/** The leader cancels an open activity before it starts; everyone signed up is told (urgent, mandatory). */
export async function cancelActivity(caller: Caller, activityId: string, reason: string): Promise<Activity> {
  const state = await activityForLeader(caller, activityId, 'cancel it');
  if (!signupOpen(state.activity, nowMs()))
    throw new DomainError('SIGNUP_CLOSED', 'only an open activity that has not started can be cancelled');
  const at = nowIso();
  await store.cancelActivity(activityId, reason, caller.memberId, at);
  return { ...state.activity, status: 'cancelled', cancelledAt: at, cancelReason: reason };
}

// ---------- my sign-ups ----------

export async function mySignups(caller: Caller, limit: number, cursor: string | undefined) {
  return store.mySignups(caller.memberId, limit, cursor);
}

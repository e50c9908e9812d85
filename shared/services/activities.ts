import { addMetric } from '../metrics/metrics.ts';
import { randomInt } from 'node:crypto';
import { env } from '../config/env.ts';
import {
  ATTENDANCE_CODE_TTL_MS,
  attendanceOpen,
  checkCode,
  hasEnded,
  hoursServed,
  MAX_CODE_ATTEMPTS,
  placeText,
  scheduleProblems,
  signupOpen,
  type Activity,
  type Signup,
} from '../domain/activity.ts';
import { isLate } from '../domain/calendar.ts';
import type { Category } from '../domain/categories.ts';
import { nowIso, nowMs } from '../domain/clock.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { administers, type Caller } from '../domain/policy.ts';
import { recordIdFor, type ServiceRecord } from '../domain/records.ts';
import { leadsTeam, type Team } from '../domain/team.ts';
import { dayOf, monthOf } from '../domain/time.ts';
import * as store from '../db/activities.ts';
import type { Page } from '../db/cursor.ts';
import { committing } from '../db/idempotency.ts';
import { getCommunity } from '../db/places.ts';
import { getTeam } from '../db/teams.ts';
import { meets, type Qualification } from '../domain/training.ts';
import { closeSession } from './courses.ts';
import { assertBooked } from './stations.ts';

/**
 * Use cases of activities: publish, list, read; sign-up with a waitlist and promotion on cancel;
 * attendance codes and on-site check-in/out; close (service records and counters).
 * Every rule about time reads the clock through shared/domain/clock.ts.
 */

// ---------- who leads ----------

/** The caller acts as the leader of `teamId`: the token names that team and the team names them as leader. */
async function assertLeads(caller: Caller, teamId: string, what: string, read?: Team): Promise<Team> {
  if (!caller.roles.has('team_leader') || caller.teamId !== teamId)
    throw forbidden(`only the leader of this activity's team can ${what}`);
  const team = read ?? (await getTeam(teamId));
  if (!team || !leadsTeam(caller, team)) throw forbidden(`only the leader of this activity's team can ${what}`);
  return team;
}

/** The activity and the caller's own team, read together (one round trip) for a leader's action. */
async function activityForLeader(caller: Caller, activityId: string, what: string) {
  const { state, team } = await store.activityAndTeam(activityId, caller.teamId);
  if (!state) throw notFound('activity');
  await assertLeads(caller, state.activity.teamId, what, team);
  return state;
}

async function mustGet(activityId: string, consistent = false): Promise<Activity> {
  const a = await store.getActivity(activityId, consistent);
  if (!a) throw notFound('activity');
  return a;
}

/** Retries a step that lost a race (CONCURRENT_UPDATE) with a short random backoff. */
async function retrying<T>(attempt: (n: number) => Promise<T>, attempts = 40): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'CONCURRENT_UPDATE' || n >= attempts - 1) throw err;
      await new Promise((r) => setTimeout(r, Math.min(5 + n * 5, 50) * Math.random()));
    }
  }
}

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

// ---------- attendance ----------

export async function issueAttendanceCode(
  caller: Caller,
  activityId: string,
): Promise<{ activityId: string; code: string; expiresAt: string }> {
  const a = (await activityForLeader(caller, activityId, 'issue its attendance codes')).activity;
  if (a.status !== 'open') throw new DomainError('ACTIVITY_CLOSED', 'the activity is closed');
  if (!attendanceOpen(a, nowMs()))
    throw new DomainError(
      'ATTENDANCE_CLOSED',
      'codes are issued from 30 minutes before the start to 30 minutes after the end',
    );
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(nowMs() + ATTENDANCE_CODE_TTL_MS).toISOString();
  if (!(await store.setAttendanceCode(activityId, code, expiresAt)))
    throw new DomainError('ACTIVITY_CLOSED', 'the activity is closed');
  return { activityId, code, expiresAt };
}

export interface Attendance {
  readonly activityId: string;
  readonly memberId: string;
  readonly action: 'check-in' | 'check-out';
  readonly at: string;
}

/** Check-in or check-out with the current code, inside the attendance window, for a confirmed member. */
export async function attend(
  caller: Caller,
  activityId: string,
  kind: 'in' | 'out',
  code: string,
): Promise<Attendance> {
  const state = await store.getActivityState(activityId);
  if (!state) throw notFound('activity');
  const a = state.activity;
  if (a.status !== 'open') throw new DomainError('ACTIVITY_CLOSED', 'the activity is closed');
  const t = nowMs();
  if (!attendanceOpen(a, t))
    throw new DomainError(
      'ATTENDANCE_CLOSED',
      'attendance is open from 30 minutes before the start to 30 minutes after the end',
    );
  const checked = checkCode({ code: state.attendanceCode, expiresAt: state.attendanceCodeExpiresAt }, code, t);
  if (checked === 'invalid') {
    // Counted per member and code; past the limit even the right code is refused (see stampAttendance).
    if (state.attendanceCode && state.attendanceCodeExpiresAt) {
      const current = { code: state.attendanceCode, expiresAt: state.attendanceCodeExpiresAt };
      const tries = await store.countWrongCode(activityId, current, caller.memberId);
      // The first MAX_CODE_ATTEMPTS wrong codes are each told so; past them, locked (even the right code).
      if (tries > MAX_CODE_ATTEMPTS) throw store.codeLocked();
    }
    throw new DomainError('ATTENDANCE_CODE_INVALID', 'that is not the current code of this activity');
  }
  if (checked === 'expired')
    throw new DomainError('ATTENDANCE_CODE_EXPIRED', 'the code has expired: ask the leader for a new one');
  const at = nowIso();
  try {
    await store.stampAttendance(activityId, caller.memberId, kind, at, {
      code: state.attendanceCode!,
      expiresAt: state.attendanceCodeExpiresAt!,
      maxTries: MAX_CODE_ATTEMPTS,
    });
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'CONCURRENT_UPDATE') throw err;
    const s = await store.getSignup(activityId, caller.memberId);
    if (s?.status !== 'confirmed')
      throw new DomainError('NOT_SIGNED_UP', 'only members with a confirmed place can check in and out');
    if (kind === 'in') throw new DomainError('ALREADY_CHECKED_IN', 'you have checked in already');
    if (!s.checkedInAt) throw new DomainError('NOT_CHECKED_IN', 'check in before checking out');
    throw new DomainError('ALREADY_CHECKED_OUT', 'you have checked out already');
  }
  return { activityId, memberId: caller.memberId, action: kind === 'in' ? 'check-in' : 'check-out', at };
}

// ---------- close ----------

/** The records of a close: one per attendee with hours > 0, in member-id order (stable chunks on a retry). */
export function recordsOf(
  a: Activity,
  signups: readonly Signup[],
  communityName: string,
  by: string,
  at: string,
): ServiceRecord[] {
  const late = isLate(a.endsAt, at);
  return signups
    .filter((s) => s.status === 'confirmed' && s.checkedInAt)
    .map((s) => ({ s, hours: hoursServed(a, s) }))
    .filter(({ hours }) => hours > 0)
    .sort((x, y) => (x.s.memberId < y.s.memberId ? -1 : x.s.memberId > y.s.memberId ? 1 : 0))
    .map(({ s, hours }) => ({
      recordId: recordIdFor(a.activityId, s.memberId),
      memberId: s.memberId,
      memberName: s.memberName,
      activityId: a.activityId,
      activityName: a.title,
      date: dayOf(a.startsAt),
      place: placeText(a, communityName),
      content: a.content,
      hours,
      organisingUnit: a.teamName,
      activityLeader: a.leaderName,
      teamId: a.teamId,
      communityId: a.communityId,
      streetId: a.streetId,
      recordedAt: at,
      late,
      source: 'activity' as const,
      history: [{ at, by, kind: 'created' as const }],
    }));
}

/**
 * Close: open -> closing (attendance frozen), then one transaction per chunk of at most
 * CLOSE_CHUNK records (records, members' hours, volunteer-times and hours counters), then
 * closing -> closed with people served (activities and people-served counters). A retried or
 * repeated close skips what is done; closing a closed activity returns it unchanged.
 */
export async function close(
  caller: Caller,
  activityId: string,
  input: { peopleServed: number; summary: string },
): Promise<Activity> {
  let state = await activityForLeader(caller, activityId, 'close it');
  if (state.activity.status === 'closed') return state.activity;
  if (state.activity.status === 'open') {
    if (!hasEnded(state.activity, nowMs()))
      throw new DomainError('ACTIVITY_NOT_ENDED', `the activity ends at ${state.activity.endsAt}; close it after that`);
    if (await store.beginClose(activityId, nowIso())) {
      state = { ...state, activity: { ...state.activity, status: 'closing' } };
    } else {
      state = (await store.getActivityState(activityId))!;
      if (state.activity.status === 'closed') return state.activity;
    }
  }
  const a = state.activity;
  const communityName = a.communityName ?? (await getCommunity(a.communityId))?.name ?? a.communityId;
  const at = nowIso();
  const signups = await store.allSignups(activityId);
  // A course's session writes no service record: training is kept apart from service.
  const records = a.kind === 'training' ? [] : recordsOf(a, signups, communityName, caller.memberId, at);
  if (a.kind === 'training') await closeSession(a, signups, at);
  const districtId = env().districtId;
  const done = new Set(state.closedChunks);
  for (let i = 0, chunk = 0; i < records.length; i += store.CLOSE_CHUNK, chunk++) {
    if (done.has(chunk)) continue;
    const chunkRecords = records.slice(i, i + store.CLOSE_CHUNK);
    if (await retrying(() => store.closeChunk(activityId, chunk, chunkRecords, districtId)))
      addMetric('RecordsWritten', chunkRecords.length);
  }
  const fields = { peopleServed: input.peopleServed, summary: input.summary, closedAt: at };
  if (await retrying(() => store.finishClose(activityId, { ...fields, closedBy: caller.memberId }, districtId, a)))
    return { ...a, status: 'closed', ...fields };
  return mustGet(activityId, true); // another close finished first
}

import { addMetric } from '../metrics/metrics.ts';
import { hoursRecorded } from './record-notices.ts';
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
  type Activity,
  type Signup,
} from '../domain/activity.ts';
import { isLate } from '../domain/calendar.ts';
import { nowIso, nowMs } from '../domain/clock.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import type { Caller } from '../domain/policy.ts';
import { recordIdFor, type ServiceRecord } from '../domain/records.ts';
import { dayOf } from '../domain/time.ts';
import * as store from '../db/activities.ts';
import { getCommunity } from '../db/places.ts';
import { closeSession } from './courses.ts';
import { committing } from '../db/idempotency.ts';
import { administers } from '../domain/policy.ts';
import { activityForLeader, assertLeads, mustGet, retrying } from './leading.ts';

/**
 * Use cases of attendance (the `attendance` function): attendance codes, on-site check-in/out,
 * and the close (service records and counters). Every rule about time reads the clock through
 * shared/domain/clock.ts.
 */

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

// ---------- leaders fix attendance ----------

const ATTENDANCE_MARGIN_MS = 30 * 60_000;

/**
 * The leader of the activity's team, or an admin of its scope, sets a confirmed member's check-in
 * and check-out times while the activity is open (before the close); after it, the service record
 * is corrected instead (ACTIVITY_CLOSED says so). Times lie in the attendance window (30 minutes
 * either side) and not in the future; a check-out after the check-in.
 */
export async function fixAttendance(
  caller: Caller,
  activityId: string,
  memberId: string,
  input: { checkedInAt: string; checkedOutAt?: string },
): Promise<Signup> {
  // The activity, the caller's team and the member's sign-up, in one round trip; then one transaction.
  const { state, team, signup: s } = await store.attendanceContext(activityId, caller.teamId, memberId);
  if (!state) throw notFound('activity');
  const a = state.activity;
  if (!administers(caller, a)) await assertLeads(caller, a.teamId, "fix its members' attendance", team);
  if (a.status !== 'open')
    throw new DomainError(
      'ACTIVITY_CLOSED',
      'the activity is closed: ask for a correction of the service record (POST /service-records/{recordId}/corrections) and decide it',
    );
  const checkedInAt = new Date(input.checkedInAt).toISOString();
  const checkedOutAt = input.checkedOutAt === undefined ? undefined : new Date(input.checkedOutAt).toISOString();
  const from = Date.parse(a.startsAt) - ATTENDANCE_MARGIN_MS;
  const to = Date.parse(a.endsAt) + ATTENDANCE_MARGIN_MS;
  const now = nowMs();
  const problems: { field: string; message: string }[] = [];
  const inMs = Date.parse(checkedInAt);
  if (inMs < from || inMs > to)
    problems.push({
      field: 'body.checkedInAt',
      message: 'from 30 minutes before the start to 30 minutes after the end',
    });
  else if (inMs > now) problems.push({ field: 'body.checkedInAt', message: 'must not be in the future' });
  if (checkedOutAt !== undefined) {
    const outMs = Date.parse(checkedOutAt);
    if (!(outMs > inMs)) problems.push({ field: 'body.checkedOutAt', message: 'must be after checkedInAt' });
    else if (outMs > to) problems.push({ field: 'body.checkedOutAt', message: 'at most 30 minutes after the end' });
    else if (outMs > now) problems.push({ field: 'body.checkedOutAt', message: 'must not be in the future' });
  }
  if (problems.length > 0)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors: problems });
  if (!s) throw notFound("the member's sign-up");
  if (s.status !== 'confirmed')
    throw new DomainError('NOT_SIGNED_UP', 'only a member with a confirmed place has attendance to fix');
  const times = { checkedInAt, ...(checkedOutAt ? { checkedOutAt } : {}) };
  const fixed: Signup = { ...withoutCheckOut(s), ...times };
  return committing(fixed, () =>
    store.fixAttendance(activityId, memberId, times, { fixedBy: caller.memberId || caller.sub, fixedAt: nowIso() }),
  );
}

function withoutCheckOut(s: Signup): Signup {
  const { checkedOutAt: _, ...rest } = s;
  return rest;
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
    const told = chunkRecords.map((r) => hoursRecorded(r, at));
    if (await retrying(() => store.closeChunk(activityId, chunk, chunkRecords, districtId, told)))
      addMetric('RecordsWritten', chunkRecords.length);
  }
  const fields = { peopleServed: input.peopleServed, summary: input.summary, closedAt: at };
  if (await retrying(() => store.finishClose(activityId, { ...fields, closedBy: caller.memberId }, districtId, a)))
    return { ...a, status: 'closed', ...fields };
  return mustGet(activityId, true); // another close finished first
}

import { env } from '../config/env.ts';
import { hoursServed, scheduleProblems, type Activity, type Signup } from '../domain/activity.ts';
import { nowIso, nowMs } from '../domain/clock.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { Caller } from '../domain/policy.ts';
import { leadsTeam } from '../domain/team.ts';
import { dayOf } from '../domain/time.ts';
import {
  completed,
  expiryOf,
  extendedExpiry,
  regrantChanges,
  tierBelow,
  type CompletionRule,
  type Course,
  type Grant,
  type Qualification,
  type SessionMark,
  type Tier,
  type TrainingEntry,
} from '../domain/training.ts';
import { activityItem, teamAndCommunity } from '../db/activities.ts';
import type { Page } from '../db/cursor.ts';
import { committing } from '../db/idempotency.ts';
import * as store from '../db/training.ts';
import { putIfAbsent } from '../db/writes.ts';
import { assertBooked } from './stations.ts';

/**
 * Courses in three tiers and their sessions. A session is an activity of kind `training` of the
 * course's team: sign-up (enrolment, needing a valid grant of the tier the course requires),
 * waitlist, promotion and attendance by code are the activities' own code. Its close (the
 * activities' close) writes no service record: it marks who attended (checked in and out, as the
 * activity's hours count them) and completes the course for those who now meet its rule.
 */

export interface CourseInput {
  name: string;
  content: string;
  tier: Tier;
  requires?: Qualification;
  studyHours: number;
  validityMonths?: number;
  completionRule: CompletionRule;
  communityId: string;
}

/** A team leader creates a course of their team, held in a community. */
export async function createCourse(caller: Caller, input: CourseInput): Promise<Course> {
  if (!caller.teamId) throw forbidden('your token names no team');
  const { team, community } = await teamAndCommunity(caller.teamId, input.communityId);
  if (!team || !leadsTeam(caller, team)) throw forbidden("only a team's leader creates its courses");
  if (team.status !== 'active') throw new DomainError('TEAM_INACTIVE', 'an inactive team cannot create courses');
  if (!community) throw new DomainError('UNKNOWN_COMMUNITY', `no community ${input.communityId} in this district`);
  const requires = input.requires ?? tierBelow(input.tier);
  const course: Course = {
    courseId: newId('crs'),
    name: input.name,
    content: input.content,
    tier: input.tier,
    ...(requires ? { requires } : {}),
    studyHours: input.studyHours,
    ...(input.validityMonths !== undefined ? { validityMonths: input.validityMonths } : {}),
    completionRule: input.completionRule,
    teamId: team.teamId,
    organiser: team.name,
    streetId: community.streetId,
    communityId: community.communityId,
    sessionCount: 0,
    createdAt: nowIso(),
  };
  return committing(course, async () => {
    if (!(await putIfAbsentCourse(course))) throw new DomainError('CONCURRENT_UPDATE', 'that course id exists already');
  });
}

async function putIfAbsentCourse(c: Course): Promise<boolean> {
  return putIfAbsent(store.courseItem(c));
}

export async function getCourse(courseId: string): Promise<Course & { sessions: SessionMark[] }> {
  const [course, sessions] = await Promise.all([store.getCourse(courseId), store.sessionsOf(courseId)]);
  if (!course) throw notFound('course');
  return { ...course, sessions: sessions.sort((a, b) => (a.startsAt < b.startsAt ? -1 : 1)) };
}

export async function listCourses(q: { teamId?: string; limit: number; cursor?: string }): Promise<Page<Course>> {
  return store.listCourses(q.teamId, q.limit, q.cursor);
}

/**
 * The course's leader adds a session: an activity of kind `training` whose sign-up needs the
 * qualification the course requires (its `requiresQualification`), in one transaction with the
 * course's session list.
 */
export async function addSession(
  caller: Caller,
  courseId: string,
  input: { startsAt: string; endsAt: string; capacity: number; address?: string; stationId?: string },
): Promise<Activity> {
  const startsAt = new Date(input.startsAt).toISOString();
  const endsAt = new Date(input.endsAt).toISOString();
  const problems = scheduleProblems(startsAt, endsAt, nowMs());
  if (problems.length > 0)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors: problems });
  const course = await store.getCourse(courseId);
  if (!course) throw notFound('course');
  const { team, community } = await teamAndCommunity(course.teamId, course.communityId);
  if (!team || !leadsTeam(caller, team)) throw forbidden("only the leader of the course's team adds sessions");
  if (input.stationId) await assertBooked(team.teamId, input.stationId, { startsAt, endsAt });
  const activity: Activity = {
    activityId: newId('ac'),
    teamId: team.teamId,
    teamName: team.name,
    leaderMemberId: team.leaderMemberId,
    leaderName: team.leaderName,
    title: course.name,
    content: course.content,
    category: team.category,
    streetId: course.streetId,
    communityId: course.communityId,
    ...(community ? { communityName: community.name } : {}),
    ...(input.address ? { address: input.address } : {}),
    ...(input.stationId ? { stationId: input.stationId } : {}),
    startsAt,
    endsAt,
    capacity: input.capacity,
    ...(course.requires ? { requiresQualification: course.requires } : {}),
    courseId,
    kind: 'training',
    status: 'open',
    confirmedCount: 0,
    waitlistedCount: 0,
    createdAt: nowIso(),
  };
  return committing(activity, () => store.putSession(activityItem(activity), courseId, activity.activityId, startsAt));
}

/**
 * A session's part of its close: marks who attended (a confirmed sign-up with hours > 0 by the
 * activities' own rule), then completes the course for each attendee who now meets its rule: a
 * training entry, training hours, counters and the grant (extended only), one transaction each.
 * Every step is idempotent, so a retried close repeats it harmlessly. Returns the completions written.
 */
export async function closeSession(a: Activity, signups: readonly Signup[], at: string): Promise<number> {
  const courseId = a.courseId!;
  const attendees = signups
    .filter((s) => s.status === 'confirmed' && hoursServed(a, s) > 0)
    .map((s) => s.memberId)
    .sort();
  await store.markSession(courseId, a.activityId, attendees);
  if (attendees.length === 0) return 0;
  const [course, sessions] = await Promise.all([store.getCourse(courseId, true), store.sessionsOf(courseId)]);
  if (!course) return 0;
  const names = new Map(signups.map((s) => [s.memberId, s.memberName]));
  const districtId = env().districtId;
  let written = 0;
  for (let i = 0; i < attendees.length; i += 30) {
    const chunk = attendees.slice(i, i + 30);
    let state = await store.attendeesState(courseId, chunk);
    for (const memberId of chunk) {
      for (let n = 0; ; n++) {
        const m = state.get(memberId)!;
        if (m.completed || !completed(course.completionRule, sessions, m.attended)) break;
        const outcome = await store.complete(
          entryOf(course, memberId, m.profile?.name ?? names.get(memberId) ?? memberId, dayOf(a.startsAt), at),
          grantOf(course, memberId, m, at),
          districtId,
        );
        if (outcome === 'written') written++;
        if (outcome !== 'moved') break;
        if (n >= 5) throw new DomainError('CONCURRENT_UPDATE', 'grants kept changing: close again');
        state = await store.attendeesState(courseId, [memberId]);
      }
    }
  }
  return written;
}

function entryOf(c: Course, memberId: string, memberName: string, day: string, at: string): TrainingEntry {
  return {
    entryId: `tr-${c.courseId}-${memberId}`.slice(0, 64),
    memberId,
    memberName,
    courseId: c.courseId,
    name: c.name,
    content: c.content,
    tier: c.tier,
    studyHours: c.studyHours,
    organiser: c.organiser,
    teamId: c.teamId,
    streetId: c.streetId,
    communityId: c.communityId,
    date: day,
    completedAt: at,
  };
}

/** The grant a completion writes, or undefined when the one held is as late or later (a re-grant only extends). */
function grantOf(
  c: Course,
  memberId: string,
  m: { grants: Grant[]; profile: { communityId?: string } | undefined },
  at: string,
): { next: Grant; held: Grant | undefined } | undefined {
  const held = m.grants.find((g) => g.qualification === c.tier);
  const heldExpiry = held ? (held.validUntil ?? null) : undefined;
  const granted = expiryOf(c, at);
  if (!regrantChanges(heldExpiry, granted)) return undefined;
  const until = extendedExpiry(heldExpiry, granted);
  return {
    held,
    next: {
      memberId,
      qualification: c.tier,
      grantedAt: at,
      ...(until ? { validUntil: until } : {}),
      source: 'course',
      courseId: c.courseId,
      grantedBy: c.teamId,
      ...(m.profile?.communityId ? { communityId: m.profile.communityId } : {}),
    },
  };
}

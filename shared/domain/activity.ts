import type { Category } from './categories.ts';
import type { Qualification } from './training.ts';

/**
 * Activities a team publishes, and their sign-ups. The pure rules (sign-up window, attendance
 * window, hours) live in this file; see the README for the numbers.
 */
export interface Activity {
  readonly activityId: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly leaderMemberId: string;
  readonly leaderName: string;
  readonly title: string;
  readonly content: string;
  readonly category: Category;
  readonly streetId: string;
  readonly communityId: string;
  readonly address?: string;
  readonly stationId?: string;
  /** The community's name when published (the record's place); read again at close when absent. */
  readonly communityName?: string;
  /** UTC ISO-8601. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly capacity: number;
  /** YYYY-MM of the monthly theme it serves, if any. */
  readonly themeMonth?: string;
  /** Signing up needs a valid grant of this qualification (or one above it) at the start. */
  readonly requiresQualification?: Qualification;
  /** A course's session (kind `training`): its course; closing it marks attendance, not service. */
  readonly courseId?: string;
  /**
   * `service-day`: created by the kickoff job for the theme's concentrated service day;
   * `training`: a course's session (its close writes no service record).
   */
  readonly kind: 'regular' | 'service-day' | 'training';
  readonly status: 'open' | 'closing' | 'closed' | 'cancelled';
  /** The last change by its leader (time, place, capacity). */
  readonly updatedAt?: string;
  readonly cancelledAt?: string;
  readonly cancelReason?: string;
  readonly confirmedCount: number;
  readonly waitlistedCount: number;
  readonly createdAt: string;
  readonly closedAt?: string;
  readonly peopleServed?: number;
  readonly summary?: string;
}

/**
 * What an activity's close counts (its fact item, written with the final close): the organising
 * team, the place, the people served, the instant (shared/domain/counters.ts).
 */
export interface ActivityClose {
  readonly activityId: string;
  readonly teamId: string;
  readonly streetId: string;
  readonly communityId: string;
  readonly peopleServed: number;
  readonly closedAt: string;
}

/** Attendance opens this long before the start and stays open this long after the end. */
export const ATTENDANCE_GRACE_MS = 30 * 60 * 1000;
/** An attendance code lives this long. */
export const ATTENDANCE_CODE_TTL_MS = 10 * 60 * 1000;
/** An activity lasts at most this long (a service day; longer work is several activities). */
export const MAX_ACTIVITY_MS = 24 * 3600 * 1000;
export const MAX_CAPACITY = 1000;

const HALF_HOUR_MS = 30 * 60 * 1000;
const ms = (iso: string) => Date.parse(iso);

export type SignupStatus = 'confirmed' | 'waitlisted';

/**
 * A member's place in an activity. `ticket` is the arrival order: the instant the sign-up arrived,
 * in milliseconds since 1970 (ties: by member id).
 */
export interface Signup {
  readonly activityId: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly status: SignupStatus;
  readonly ticket: number;
  readonly signedUpAt: string;
  readonly promotedAt?: string;
  readonly checkedInAt?: string;
  readonly checkedOutAt?: string;
}

/** What is wrong with a schedule (field -> message); empty when it is fine. */
export function scheduleProblems(
  startsAt: string,
  endsAt: string,
  nowMs: number,
): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const s = ms(startsAt);
  const e = ms(endsAt);
  if (!(s > nowMs)) out.push({ field: 'body.startsAt', message: 'must be in the future' });
  if (!(e > s)) out.push({ field: 'body.endsAt', message: 'must be after startsAt' });
  else if (e - s > MAX_ACTIVITY_MS) out.push({ field: 'body.endsAt', message: 'must be within 24 hours of startsAt' });
  return out;
}

/** Sign-up (and cancelling) is open while the activity is open and has not started. */
export function signupOpen(a: Pick<Activity, 'status' | 'startsAt'>, nowMs: number): boolean {
  return a.status === 'open' && nowMs < ms(a.startsAt);
}

/** On-site check-in and check-out: from 30 minutes before the start to 30 minutes after the end. */
export function attendanceOpen(a: Pick<Activity, 'startsAt' | 'endsAt'>, nowMs: number): boolean {
  return nowMs >= ms(a.startsAt) - ATTENDANCE_GRACE_MS && nowMs <= ms(a.endsAt) + ATTENDANCE_GRACE_MS;
}

/** The leader may close once the activity has ended. */
export function hasEnded(a: Pick<Activity, 'endsAt'>, nowMs: number): boolean {
  return nowMs >= ms(a.endsAt);
}

export type CodeCheck = 'ok' | 'invalid' | 'expired';

/** A code works if it is the activity's current code and has not expired; a replaced code is invalid. */
/** Wrong codes a member may try against one code before they are locked out of it (a new code resets). */
export const MAX_CODE_ATTEMPTS = 5;

export function checkCode(current: { code?: string; expiresAt?: string }, given: string, nowMs: number): CodeCheck {
  if (!current.code || current.code !== given) return 'invalid';
  if (!current.expiresAt || nowMs >= ms(current.expiresAt)) return 'expired';
  return 'ok';
}

/**
 * Hours actually served: the attended time clipped to [startsAt, endsAt], rounded DOWN to the
 * half hour. A missing check-out counts as a check-out at the check-in time (0 hours): the
 * national rule counts time actually served, and we cannot know when the member left.
 */
export function hoursServed(
  a: Pick<Activity, 'startsAt' | 'endsAt'>,
  att: { checkedInAt?: string; checkedOutAt?: string },
): number {
  if (!att.checkedInAt) return 0;
  const from = Math.max(ms(att.checkedInAt), ms(a.startsAt));
  const to = Math.min(ms(att.checkedOutAt ?? att.checkedInAt), ms(a.endsAt));
  if (!(to > from)) return 0;
  return Math.floor((to - from) / HALF_HOUR_MS) / 2;
}

/** The record's place: the community's name and the address, or the micro-station. */
export function placeText(a: Pick<Activity, 'address' | 'stationId'>, communityName: string): string {
  if (a.address) return `${communityName} ${a.address}`;
  if (a.stationId) return `${communityName} micro-station ${a.stationId}`;
  return communityName;
}

/** UTC bounds [from, to) of a month (YYYY-MM) in Asia/Shanghai, as ISO strings comparable with stored times. */
export function shanghaiMonthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1) - 8 * 3600 * 1000).toISOString();
  const to = new Date(Date.UTC(y, m, 1) - 8 * 3600 * 1000).toISOString();
  return { from, to };
}

/**
 * Training in three tiers and the qualifications it grants, as pure rules. Tiers build on one
 * another (岗前培训 pre-service ⊂ 专业培训 professional ⊂ 骨干培训 backbone): a grant of a tier
 * includes the tiers below it. A qualification is a grant with an optional expiry; a re-grant only
 * ever extends it (the later expiry wins; no expiry beats any). A course's sessions are activities
 * of kind `training` (sign-up, waitlist, promotion, attendance by code are the activities' own);
 * closing a session marks who attended, and a member completes the course under its rule.
 */
export const TIERS = ['pre-service', 'professional', 'backbone'] as const;
export type Tier = (typeof TIERS)[number];
export type Qualification = Tier;

/** The tiers whose grant satisfies a requirement of `q`: `q` itself and every tier above it. */
export function satisfiedBy(q: Qualification): Qualification[] {
  return TIERS.slice(TIERS.indexOf(q)) as Qualification[];
}

/** The tier a course of `tier` requires by default: the one below it (none for pre-service). */
export function tierBelow(tier: Tier): Tier | undefined {
  const i = TIERS.indexOf(tier);
  return i > 0 ? TIERS[i - 1] : undefined;
}

export type CompletionRule = 'any' | 'every' | 'last';

export interface Course {
  readonly courseId: string;
  readonly name: string;
  readonly content: string;
  readonly tier: Tier;
  /** The qualification enrolling needs (a valid grant of it or of a tier above). */
  readonly requires?: Qualification;
  readonly studyHours: number;
  /** How long the qualification it grants lasts; absent: it does not expire. */
  readonly validityMonths?: number;
  readonly completionRule: CompletionRule;
  /** The organising team (its leader publishes the sessions and runs attendance). */
  readonly teamId: string;
  readonly organiser: string;
  readonly streetId: string;
  readonly communityId: string;
  readonly sessionCount: number;
  readonly createdAt: string;
}

/** A member's grant of a qualification. */
export interface Grant {
  readonly memberId: string;
  readonly qualification: Qualification;
  readonly grantedAt: string;
  /** The instant it expires (UTC ISO); absent: it does not expire. (Not `expiresAt`: the table's TTL attribute.) */
  readonly validUntil?: string;
  /** `course`: a completed course (its id in `courseId`); `admin`: granted by an admin. */
  readonly source: 'course' | 'admin';
  readonly courseId?: string;
  readonly grantedBy: string;
  /** The member's community when granted (the community's expiry report). */
  readonly communityId?: string;
}

/** The training part of a member's record (the national rule's 培训记录). */
export interface TrainingEntry {
  readonly entryId: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly courseId: string;
  readonly name: string;
  readonly content: string;
  readonly tier: Tier;
  readonly studyHours: number;
  readonly organiser: string;
  readonly teamId: string;
  readonly streetId: string;
  readonly communityId: string;
  /** The day the course was completed (Asia/Shanghai). */
  readonly date: string;
  readonly completedAt: string;
}

const ms = (iso: string) => Date.parse(iso);

/** `iso` plus `months` calendar months (the day clipped to the month's last). */
export function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(d);
  out.setUTCDate(1);
  out.setUTCFullYear(y, m, Math.min(d.getUTCDate(), last));
  return out.toISOString();
}

/** The expiry a completion at `at` grants. */
export function expiryOf(course: Pick<Course, 'validityMonths'>, at: string): string | undefined {
  return course.validityMonths === undefined ? undefined : addMonths(at, course.validityMonths);
}

/**
 * The expiry after a re-grant: never earlier than what the member holds. No expiry (either side)
 * is the latest of all. `undefined` result with `held` present and no expiry: unchanged.
 */
export function extendedExpiry(held: string | null | undefined, granted: string | undefined): string | undefined {
  if (held === null) return undefined; // held without expiry: stays without
  if (granted === undefined) return undefined;
  if (held === undefined) return granted;
  return ms(granted) > ms(held) ? granted : held;
}

/** Whether a re-grant changes the grant held (`null`: held without expiry; `undefined`: not held). */
export function regrantChanges(held: string | null | undefined, granted: string | undefined): boolean {
  if (held === undefined) return true;
  if (held === null) return false;
  if (granted === undefined) return true;
  return ms(granted) > ms(held);
}

/** A grant is valid at `at` when it has no expiry or expires after `at`. */
export function validAt(g: Pick<Grant, 'validUntil'>, at: string): boolean {
  return g.validUntil === undefined || ms(g.validUntil) > ms(at);
}

/**
 * Whether `grants` (a member's) satisfy a requirement of `q` at `at`: some grant of `q` or above
 * is valid then. The best grant (valid, latest expiry) or the reason why not.
 */
export function meets(
  grants: readonly Pick<Grant, 'qualification' | 'validUntil'>[],
  q: Qualification,
  at: string,
): { ok: true } | { ok: false; reason: 'missing' | 'expires'; validUntil?: string } {
  const usable = grants.filter((g) => satisfiedBy(q).includes(g.qualification));
  if (usable.length === 0) return { ok: false, reason: 'missing' };
  if (usable.some((g) => validAt(g, at))) return { ok: true };
  const latest = usable.map((g) => g.validUntil!).sort((x, y) => ms(y) - ms(x))[0];
  return { ok: false, reason: 'expires', validUntil: latest };
}

/** A session as completion sees it: its id, start, and whether it is closed. */
export interface SessionMark {
  readonly activityId: string;
  readonly startsAt: string;
  readonly closed: boolean;
}

/**
 * Whether a member who attended `attended` (session ids) has completed a course whose sessions are
 * `sessions`, under its rule: `any` one attended closed session; `every` session closed and
 * attended (one missed: never); `last` the last session (latest start) closed and attended.
 */
export function completed(
  rule: CompletionRule,
  sessions: readonly SessionMark[],
  attended: ReadonlySet<string>,
): boolean {
  const closed = sessions.filter((s) => s.closed);
  if (rule === 'any') return closed.some((s) => attended.has(s.activityId));
  if (sessions.length === 0) return false;
  if (rule === 'every') return sessions.every((s) => s.closed && attended.has(s.activityId));
  const last = [...sessions].sort((x, y) => ms(y.startsAt) - ms(x.startsAt))[0]!;
  return last.closed && attended.has(last.activityId);
}

/** Reminder windows before an expiry, in days, largest first: at most one reminder per grant per window. */
export const REMINDER_DAYS = [30, 7, 1] as const;

/** The reminder window an expiry is in at `now` (the smallest window it is within), or undefined. */
export function reminderWindow(expiresAt: string, nowMs: number): (typeof REMINDER_DAYS)[number] | undefined {
  const left = ms(expiresAt) - nowMs;
  if (left <= 0) return undefined;
  let w: (typeof REMINDER_DAYS)[number] | undefined;
  for (const d of REMINDER_DAYS) if (left <= d * 24 * 3600 * 1000) w = d;
  return w;
}

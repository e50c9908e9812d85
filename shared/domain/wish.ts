import type { Category } from './categories.ts';
import { DomainError } from './errors.ts';
import { freeText, maskName } from './masking.ts';
import { administers, hasRole, type Caller } from './policy.ts';
import { isHalfHourStep } from './records.ts';
import { addDaysMs, dayOf } from './time.ts';

/**
 * Micro-wishes (微心愿): one state machine governs a wish's whole life.
 *
 *   state           action        -> next                         who
 *   pending_review  publish       -> published                    admin of its community
 *                   reject        -> rejected                     admin of its community
 *                   withdraw      -> withdrawn                    the resident who posted it
 *   published       claim         -> claimed                      a member
 *                   escalate      -> escalated                    the daily job (unclaimed N days)
 *                   withdraw      -> withdrawn                    the resident
 *   escalated       claim         -> claimed                      a member (still may)
 *                   take_on       -> taken_on                     a team leader for their team
 *                   withdraw      -> withdrawn                    the resident
 *   claimed         release       -> published (escalated if it had been)   the claimant
 *                   complete      -> completed                    the claimant
 *   taken_on        release       -> escalated                    the team's leader
 *                   complete      -> completed                    the team's leader
 *   completed       confirm       -> confirmed                    the resident (rating 1-5)
 *                   auto_confirm  -> confirmed                    the daily job (14 days, no rating)
 *   rejected, withdrawn, confirmed: terminal.
 *
 * Any other (state, action) is a 409 WISH_ACTION_NOT_ALLOWED naming the state and the actions
 * allowed in it; claiming or taking on a wish that is claimed or taken on is 409
 * WISH_ALREADY_CLAIMED (someone else won).
 */
export const WISH_STATES = [
  'pending_review',
  'rejected',
  'published',
  'claimed',
  'escalated',
  'taken_on',
  'completed',
  'confirmed',
  'withdrawn',
] as const;
export type WishState = (typeof WISH_STATES)[number];

export const WISH_ACTIONS = [
  'publish',
  'reject',
  'withdraw',
  'claim',
  'release',
  'escalate',
  'take_on',
  'complete',
  'confirm',
  'auto_confirm',
] as const;
export type WishAction = (typeof WISH_ACTIONS)[number];

/** The machine: for each state, each allowed action and where it leads (release: see `next`). */
const MACHINE: Readonly<Record<WishState, Partial<Record<WishAction, WishState>>>> = {
  pending_review: { publish: 'published', reject: 'rejected', withdraw: 'withdrawn' },
  published: { claim: 'claimed', escalate: 'escalated', withdraw: 'withdrawn' },
  escalated: { claim: 'claimed', take_on: 'taken_on', withdraw: 'withdrawn' },
  claimed: { release: 'published', complete: 'completed' },
  taken_on: { release: 'escalated', complete: 'completed' },
  completed: { confirm: 'confirmed', auto_confirm: 'confirmed' },
  rejected: {},
  withdrawn: {},
  confirmed: {},
};

export function allowedActions(state: WishState): WishAction[] {
  return WISH_ACTIONS.filter((a) => MACHINE[state][a] !== undefined);
}

export const isTerminal = (state: WishState): boolean => allowedActions(state).length === 0;

/** States in which a wish can be claimed by a member: the "open" wishes. */
export const OPEN_STATES: readonly WishState[] = ['published', 'escalated'];

/**
 * The state after `action`, or a 409 naming the state and what it allows. `wasEscalated`: the
 * wish had been escalated before it was claimed (a release sends it back there).
 */
export function nextState(state: WishState, action: WishAction, ctx: { wasEscalated?: boolean } = {}): WishState {
  const to = MACHINE[state][action];
  const allowed = allowedActions(state);
  if (to === undefined) {
    if ((action === 'claim' || action === 'take_on') && (state === 'claimed' || state === 'taken_on'))
      throw new DomainError('WISH_ALREADY_CLAIMED', `the wish is ${state.replace('_', ' ')} already`, {
        state,
        allowedActions: allowed,
      });
    throw new DomainError('WISH_ACTION_NOT_ALLOWED', `a wish that is ${state} cannot be ${ACTION_PAST[action]}`, {
      state,
      action,
      allowedActions: allowed,
    });
  }
  if (state === 'claimed' && action === 'release' && ctx.wasEscalated) return 'escalated';
  return to;
}

const ACTION_PAST: Record<WishAction, string> = {
  publish: 'published',
  reject: 'rejected',
  withdraw: 'withdrawn',
  claim: 'claimed',
  release: 'released',
  escalate: 'escalated',
  take_on: 'taken on',
  complete: 'completed',
  confirm: 'confirmed',
  auto_confirm: 'confirmed automatically',
};

// ---------- the entity ----------

export type Claimant =
  | { readonly kind: 'member'; readonly memberId: string }
  | { readonly kind: 'team'; readonly teamId: string; readonly teamName: string; readonly leaderMemberId: string };

export interface Wish {
  readonly wishId: string;
  /** The resident who posted it (their token's `sub`). */
  readonly residentSub: string;
  /** Personal data: shown only to the resident and the admins of the community. */
  readonly contactName: string;
  readonly contactPhone: string;
  readonly title: string;
  readonly description: string;
  readonly category: Category;
  readonly skillsWanted: readonly string[];
  readonly streetId: string;
  readonly communityId: string;
  readonly communityName: string;
  readonly gridId?: string;
  readonly gridName?: string;
  readonly status: WishState;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly reviewedAt?: string;
  readonly reviewedBy?: string;
  readonly rejectReason?: string;
  readonly publishedAt?: string;
  readonly escalatedAt?: string;
  readonly claimant?: Claimant;
  /** The claiming member's name, kept for the service record (never shown on the wall). */
  readonly claimantName?: string;
  readonly claimedAt?: string;
  readonly completedAt?: string;
  readonly completionNote?: string;
  readonly hours?: number;
  /** The service record written when a member completed it. */
  readonly recordId?: string;
  /** A team's completion: the members who served, each with their hours (each got a service record). */
  readonly served?: readonly { readonly memberId: string; readonly memberName: string; readonly hours: number }[];
  readonly confirmedAt?: string;
  readonly rating?: number;
  readonly comment?: string;
  readonly autoConfirmed?: boolean;
  readonly withdrawnAt?: string;
}

/** Open claims a member may hold at once (env WISH_CLAIM_LIMIT overrides). */
export const DEFAULT_CLAIM_LIMIT = 3;
/** Days a published wish may stay unclaimed before it is escalated (a district may set its own). */
export const DEFAULT_ESCALATION_DAYS = 7;
/** Days after completion when an unconfirmed wish is confirmed by the job, without rating. */
export const AUTO_CONFIRM_DAYS = 14;
export const MAX_SKILLS_WANTED = 10;

/**
 * The organising unit of a wish's service record: the community itself (红星路社区, 和平村), or
 * its name with 社区 when the name does not say what it is.
 */
export function communityUnit(communityName: string): string {
  return /(社区|村)$/.test(communityName) ? communityName : `${communityName}社区`;
}

// ---------- time ----------

/**
 * The instant before which a state entered counts as `days` full days old today, by the
 * calendar of Asia/Shanghai: midnight (Shanghai) starting day (today - days + 1). A wish
 * published on June 1 (any hour, Shanghai) is 7 days old from June 8, 00:00 Shanghai.
 */
export function dueBefore(nowMs: number, days: number): string {
  const today = dayOf(new Date(nowMs));
  const midnight = Date.parse(`${today}T00:00:00+08:00`);
  return new Date(addDaysMs(midnight, 1 - days)).toISOString();
}

/** Whole Shanghai calendar days between two instants (0 on the same day). */
export function daysBetween(fromIso: string, nowMs: number): number {
  const a = Date.parse(`${dayOf(fromIso)}T00:00:00Z`);
  const b = Date.parse(`${dayOf(new Date(nowMs))}T00:00:00Z`);
  return Math.max(0, Math.round((b - a) / 86_400_000));
}

// ---------- input rules ----------

/** Hours of a completion: half-hour steps from 0.5 to 24. */
export function isCompletionHours(h: number): boolean {
  return isHalfHourStep(h) && h >= 0.5;
}

// ---------- who sees what ----------

/** The resident who posted it, and the admins of its community (or above), see the resident in full. */
export function maySeeResident(caller: Caller, w: Pick<Wish, 'residentSub' | 'communityId' | 'streetId'>): boolean {
  return isPoster(caller, w) || administers(caller, w);
}

export function isPoster(caller: Caller, w: Pick<Wish, 'residentSub'>): boolean {
  return caller.roles.has('resident') && caller.sub === w.residentSub;
}

/** Wishes not (yet) public: only the poster and admins know they exist. */
export function isPublic(w: Pick<Wish, 'status' | 'publishedAt'>): boolean {
  if (w.status === 'pending_review' || w.status === 'rejected') return false;
  if (w.status === 'withdrawn') return w.publishedAt !== undefined;
  return true;
}

/** Wall statuses any signed-in caller may list; the others are for admins of the community. */
export const PUBLIC_WALL_STATES: readonly WishState[] = [
  'published',
  'escalated',
  'claimed',
  'taken_on',
  'completed',
  'confirmed',
];

export type WishView = Omit<Wish, 'residentSub' | 'contactName' | 'contactPhone' | 'claimantName'> & {
  /** Masked (surname and a star) unless the caller is the resident or an admin of the community. */
  readonly residentName: string;
  /** Only to the resident and the admins of the community. */
  readonly contactPhone?: string;
  /** True when the caller posted it. */
  readonly mine: boolean;
};

/** The wish as `caller` may see it; `list` views (the wall) always mask. */
export function viewWish(caller: Caller, w: Wish, opts: { list?: boolean } = {}): WishView {
  const { residentSub, contactName, contactPhone, claimantName, ...rest } = w;
  void residentSub, claimantName;
  const mine = isPoster(caller, w);
  const texts = freeTexts(caller, w);
  if (!opts.list && maySeeResident(caller, w))
    return { ...rest, ...texts, residentName: contactName, contactPhone, mine };
  return { ...rest, ...texts, residentName: maskName(contactName), mine };
}

/** Whether the caller is the wish's claimant (the member, or the leader of the team that took it on). */
function isClaimant(caller: Caller, w: Pick<Wish, 'claimant'>): boolean {
  const c = w.claimant;
  if (c?.kind === 'member') return caller.memberId === c.memberId && hasRole(caller, 'member', 'team_leader');
  return c?.kind === 'team' && caller.teamId === c.teamId && caller.roles.has('team_leader');
}

/**
 * The wish's free text as the caller may read it: phone and ID numbers in it are masked for all
 * but its author (the resident for what they wrote, the claimant for the completion note, an
 * admin for a rejection reason) and the admins of the wish's community, in lists too.
 */
function freeTexts(
  caller: Caller,
  w: Wish,
): Pick<Wish, 'title' | 'description' | 'comment' | 'completionNote' | 'rejectReason'> {
  const admin = administers(caller, w);
  const resident = admin || isPoster(caller, w);
  const out: Record<string, string | undefined> = {
    title: freeText(w.title, resident),
    description: freeText(w.description, resident),
    comment: freeText(w.comment, resident),
    completionNote: freeText(w.completionNote, admin || isClaimant(caller, w)),
    rejectReason: freeText(w.rejectReason, admin),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as Pick<Wish, 'title' | 'description'>;
}

// ---------- events (the outbox) ----------

export const WISH_EVENT_TYPES = [
  'WishPosted',
  'WishPublished',
  'WishRejected',
  'WishClaimed',
  'WishReleased',
  'WishEscalated',
  'WishTakenOn',
  'WishCompleted',
  'WishConfirmed',
  'WishWithdrawn',
] as const;
export type WishEventType = (typeof WISH_EVENT_TYPES)[number];

export const EVENT_OF: Record<WishAction, WishEventType> = {
  publish: 'WishPublished',
  reject: 'WishRejected',
  withdraw: 'WishWithdrawn',
  claim: 'WishClaimed',
  release: 'WishReleased',
  escalate: 'WishEscalated',
  take_on: 'WishTakenOn',
  complete: 'WishCompleted',
  confirm: 'WishConfirmed',
  auto_confirm: 'WishConfirmed',
};

/** Who acted: ids only. The resident is never named (not even by id) in an event. */
export type WishActor =
  | { readonly kind: 'resident' }
  | { readonly kind: 'member'; readonly memberId: string }
  | { readonly kind: 'team'; readonly teamId: string; readonly memberId: string }
  | { readonly kind: 'admin'; readonly sub: string }
  | { readonly kind: 'system'; readonly job: string };

/** An event of a wish's outbox: no free text, no personal data. */
export interface WishEvent {
  readonly wishId: string;
  /** The wish's version after the change: 1, 2, 3... (events are ordered by it). */
  readonly seq: number;
  readonly eventType: WishEventType;
  readonly at: string;
  readonly actor: WishActor;
  readonly from?: WishState;
  readonly to: WishState;
  readonly communityId: string;
  readonly gridId?: string;
  readonly category: Category;
  readonly claimant?: Claimant;
  readonly hours?: number;
  readonly rating?: number;
}

export function eventOf(
  after: Wish,
  before: Wish | undefined,
  eventType: WishEventType,
  actor: WishActor,
  at: string,
): WishEvent {
  return {
    wishId: after.wishId,
    seq: after.version,
    eventType,
    at,
    actor,
    ...(before ? { from: before.status } : {}),
    to: after.status,
    communityId: after.communityId,
    ...(after.gridId ? { gridId: after.gridId } : {}),
    category: after.category,
    ...(claimantOf(eventType, after, before) ? { claimant: claimantOf(eventType, after, before) } : {}),
    ...(eventType === 'WishCompleted' && after.hours !== undefined ? { hours: after.hours } : {}),
    ...(eventType === 'WishConfirmed' && after.rating !== undefined ? { rating: after.rating } : {}),
  };
}

/** The claimant an event names: the one who claimed, took on, completed or released it. */
function claimantOf(eventType: WishEventType, after: Wish, before: Wish | undefined): Claimant | undefined {
  if (eventType === 'WishReleased') return before?.claimant;
  if (eventType === 'WishClaimed' || eventType === 'WishTakenOn' || eventType === 'WishCompleted')
    return after.claimant;
  return undefined;
}

// ---------- counters ----------

/**
 * An event as a counted fact (shared/domain/counters.ts): the event, and in `fact` the scopes it
 * does not name itself, the wish's street and a team claimant. Stored so with the event.
 */
export type WishEventFact = WishEvent & { readonly fact: { readonly streetId: string; readonly teamId?: string } };

export function eventFact(e: WishEvent, w: Pick<Wish, 'streetId' | 'claimant'>): WishEventFact {
  return {
    ...e,
    fact: { streetId: w.streetId, ...(w.claimant?.kind === 'team' ? { teamId: w.claimant.teamId } : {}) },
  };
}

// ---------- suggestions ----------

export interface SuggestionProfile {
  readonly skills: readonly string[];
  readonly categories: readonly Category[];
  readonly communityId?: string;
  readonly gridId?: string;
}

export interface Suggestion {
  readonly wish: Wish;
  readonly score: number;
  readonly reasons: string[];
}

/**
 * Weights: one matching skill outweighs everything else together (a skill match always ranks
 * first); then the same grid, the same community, the wish's category among the member's, a
 * point per day waiting (up to 14) and a little for an escalated wish.
 */
export const SCORE = {
  skill: 100,
  maxSkills: 3,
  grid: 40,
  community: 20,
  category: 10,
  perDay: 1,
  maxDays: 14,
  escalated: 5,
} as const;

const norm = (s: string) => s.trim().toLowerCase();

export function scoreWish(p: SuggestionProfile, w: Wish, nowMs: number): Suggestion {
  const reasons: string[] = [];
  let score = 0;
  const mine = new Set(p.skills.map(norm));
  const matched = w.skillsWanted.filter((s) => mine.has(norm(s)));
  if (matched.length > 0) {
    score += SCORE.skill * Math.min(matched.length, SCORE.maxSkills);
    reasons.push(`skills: ${matched.join(', ')}`);
  }
  if (p.gridId !== undefined && w.gridId === p.gridId) {
    score += SCORE.grid;
    reasons.push('same grid');
  }
  if (p.communityId !== undefined && w.communityId === p.communityId) {
    score += SCORE.community;
    reasons.push('same community');
  }
  if (p.categories.includes(w.category)) {
    score += SCORE.category;
    reasons.push(`category: ${w.category}`);
  }
  const days = daysBetween(w.publishedAt ?? w.createdAt, nowMs);
  score += SCORE.perDay * Math.min(days, SCORE.maxDays);
  reasons.push(`waiting ${days} day${days === 1 ? '' : 's'}`);
  if (w.status === 'escalated') {
    score += SCORE.escalated;
    reasons.push('escalated: needs help');
  }
  return { wish: w, score, reasons };
}

/** The best `limit` open wishes for the member: highest score, then waiting longest, then id. */
export function rankSuggestions(
  p: SuggestionProfile,
  wishes: readonly Wish[],
  nowMs: number,
  limit: number,
): Suggestion[] {
  const seen = new Set<string>();
  return wishes
    .filter((w) => OPEN_STATES.includes(w.status) && !seen.has(w.wishId) && (seen.add(w.wishId), true))
    .map((w) => scoreWish(p, w, nowMs))
    .sort((a, b) => {
      if (b.score !== a.score) return b.score - a.score;
      const ta = a.wish.publishedAt ?? a.wish.createdAt;
      const tb = b.wish.publishedAt ?? b.wish.createdAt;
      if (ta !== tb) return ta < tb ? -1 : 1;
      return a.wish.wishId < b.wish.wishId ? -1 : 1;
    })
    .slice(0, limit);
}

import { addMetric } from '../metrics/metrics.ts';
import { env, needAtColdStart, PROFILE_REQUIRED, wishClaimLimit, wishEscalationDays } from '../config/env.ts';
import type { Category } from '../domain/categories.ts';
import { nowIso, nowMs } from '../domain/clock.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { administers, hasRole, type Caller } from '../domain/policy.ts';
import { recordIdFor, type ServiceRecord } from '../domain/records.ts';
import { leadsTeam, type Team } from '../domain/team.ts';
import { dayOf, isRealDay } from '../domain/time.ts';
import {
  AUTO_CONFIRM_DAYS,
  DEFAULT_CLAIM_LIMIT,
  DEFAULT_ESCALATION_DAYS,
  EVENT_OF,
  PUBLIC_WALL_STATES,
  communityUnit,
  dueBefore,
  eventOf,
  isPoster,
  isPublic,
  maySeeResident,
  nextState,
  rankSuggestions,
  viewWish,
  type Wish,
  type WishAction,
  type WishActor,
  type WishEvent,
  type WishState,
  type WishView,
} from '../domain/wish.ts';
import type { Page } from '../db/cursor.ts';
import { committing } from '../db/idempotency.ts';
import * as members from '../db/members.ts';
import * as places from '../db/places.ts';
import { getTeam, teamMembersOf } from '../db/teams.ts';
import * as store from '../db/wishes.ts';

// The district's profile (its name, code, settings): in Lambda, the init fails naming what is missing.
needAtColdStart(...PROFILE_REQUIRED);

/**
 * Use cases of the micro-wishes context. Every change goes through `transition`: read the wish
 * (consistently), let the state machine and the scope rules decide (shared/domain/wish.ts),
 * then one transaction conditional on the version read. A lost race re-reads and decides again,
 * so the loser of a claim learns WISH_ALREADY_CLAIMED, never a 500. What an event counts is the
 * counters table's (shared/domain/counters.ts); shared/db/wishes.ts writes it with the event.
 */
const MAX_ATTEMPTS = 40;

/** Open claims a member may hold: env WISH_CLAIM_LIMIT (1-100), default 3. */
export function claimLimit(): number {
  return wishClaimLimit() ?? DEFAULT_CLAIM_LIMIT;
}

export function escalationDays(): number {
  return wishEscalationDays() ?? DEFAULT_ESCALATION_DAYS;
}

// ---------- the transition loop ----------

interface Plan {
  readonly action: WishAction;
  readonly after: Wish;
  readonly actor: WishActor;
  readonly effects?: store.TransitionEffects;
}

const pause = (n: number) => new Promise((r) => setTimeout(r, Math.min(5 + n * 5, 50) * Math.random()));

/**
 * Reads the wish, asks `decide` for the change (it throws to refuse), and commits it with its
 * event. On a lost race (the wish or a counter changed meanwhile), reads again and decides again.
 */
async function transition(
  wishId: string,
  decide: (w: Wish, at: string) => Plan | Promise<Plan>,
  first?: Wish,
): Promise<Wish> {
  for (let n = 0; ; n++) {
    const w = n === 0 && first ? first : await store.getWish(wishId, true);
    if (!w) throw notFound('wish');
    const at = nowIso();
    const plan = await decide(w, at);
    const event: WishEvent = eventOf(plan.after, w, EVENT_OF[plan.action], plan.actor, at);
    try {
      await store.commitTransition(w, plan.after, event, env().districtId, plan.effects);
      return plan.after;
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'CONCURRENT_UPDATE' || n >= MAX_ATTEMPTS - 1) throw err;
      await pause(n);
    }
  }
}

/** The next version of `w`: `changes` applied, `drop` removed, version + 1. */
function evolve(
  w: Wish,
  at: string,
  status: WishState,
  changes: Partial<Wish>,
  drop: readonly (keyof Wish)[] = [],
): Wish {
  const next: Record<string, unknown> = { ...w, ...changes, status, version: w.version + 1, updatedAt: at };
  for (const k of drop) delete next[k];
  return next as unknown as Wish;
}

/** Wishes not public yet (pending, rejected) exist only for their poster and the community's admins. */
function visible(caller: Caller, w: Wish): boolean {
  return isPublic(w) || maySeeResident(caller, w);
}

function assertVisible(caller: Caller, w: Wish): void {
  if (!visible(caller, w)) throw notFound('wish');
}

// ---------- post, read, list ----------

export interface PostInput {
  title: string;
  description: string;
  category: Category;
  skillsWanted: string[];
  communityId: string;
  gridId?: string;
  contactName: string;
  contactPhone: string;
}

export async function postWish(caller: Caller, input: PostInput): Promise<WishView> {
  const { community, grid } = await store.communityAndGrid(input.communityId, input.gridId);
  if (!community) throw new DomainError('UNKNOWN_COMMUNITY', `no community ${input.communityId} in this district`);
  if (input.gridId && !grid)
    throw new DomainError('UNKNOWN_GRID', `no grid ${input.gridId} in community ${input.communityId}`);
  const at = nowIso();
  const w: Wish = {
    wishId: newId('wi'),
    residentSub: caller.sub,
    contactName: input.contactName,
    contactPhone: input.contactPhone,
    title: input.title,
    description: input.description,
    category: input.category,
    skillsWanted: [...new Set(input.skillsWanted)],
    streetId: community.streetId,
    communityId: community.communityId,
    communityName: community.name,
    ...(grid ? { gridId: grid.gridId, gridName: grid.name } : {}),
    status: 'pending_review',
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const event = eventOf(w, undefined, 'WishPosted', { kind: 'resident' }, at);
  // The counters are shared by every wish of the community: a concurrent post may conflict; retry.
  for (let n = 0; ; n++) {
    try {
      return await committing(viewWish(caller, w), () => store.createWish(w, event, env().districtId));
    } catch (err) {
      if (
        !(err instanceof DomainError) ||
        err.code !== 'CONCURRENT_UPDATE' ||
        err.extra.exists === true ||
        n >= MAX_ATTEMPTS - 1
      )
        throw err;
      await pause(n);
    }
  }
}

/** The wishes the calling resident posted, newest first, as the poster sees them. */
export async function listMyWishes(caller: Caller, limit: number, cursor: string | undefined): Promise<Page<WishView>> {
  const page = await store.listResidentWishes(caller.sub, limit, cursor);
  return { items: page.items.map((w) => viewWish(caller, w)), nextCursor: page.nextCursor };
}

export async function getWish(caller: Caller, wishId: string): Promise<WishView> {
  const w = await store.getWish(wishId);
  if (!w || !visible(caller, w)) throw notFound('wish');
  return viewWish(caller, w);
}

/**
 * The wall of a community by status (one Query, newest first), or without a community the
 * district's escalated wishes (for team leaders). Statuses that are not public (pending_review,
 * rejected, withdrawn) are listed only to admins of the community. Lists always mask the resident.
 */
export async function listWishes(
  caller: Caller,
  q: { communityId?: string; status: WishState; limit: number; cursor?: string },
): Promise<Page<WishView>> {
  let page: Page<Wish>;
  if (q.communityId === undefined) {
    if (q.status !== 'escalated')
      throw new DomainError('VALIDATION_FAILED', 'give a communityId, or status=escalated for the whole district');
    page = await store.listDistrict('escalated', { limit: q.limit, cursor: q.cursor, newestFirst: true });
  } else {
    if (!PUBLIC_WALL_STATES.includes(q.status)) {
      const community = await places.getCommunity(q.communityId);
      if (!community) throw notFound('community');
      if (!administers(caller, community)) throw forbidden(`only admins of the community list its ${q.status} wishes`);
    }
    page = await store.listWall(q.communityId, q.status, q.limit, q.cursor);
  }
  return { items: page.items.map((w) => viewWish(caller, w, { list: true })), nextCursor: page.nextCursor };
}

export async function listEvents(
  caller: Caller,
  wishId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<WishEvent>> {
  const w = await store.getWish(wishId);
  if (!w || !visible(caller, w)) throw notFound('wish');
  return store.listEvents(wishId, limit, cursor);
}

// ---------- review, withdraw ----------

export async function review(
  caller: Caller,
  wishId: string,
  input: { decision: 'publish' | 'reject'; reason?: string },
): Promise<WishView> {
  const after = await transition(wishId, (w, at) => {
    assertVisible(caller, w);
    if (!administers(caller, w)) throw forbidden('only admins of the wish’s community review it');
    const action = input.decision;
    const status = nextState(w.status, action);
    const after =
      action === 'publish'
        ? evolve(w, at, status, { reviewedAt: at, reviewedBy: caller.sub, publishedAt: at })
        : evolve(w, at, status, { reviewedAt: at, reviewedBy: caller.sub, rejectReason: input.reason ?? '' });
    return { action, after, actor: { kind: 'admin', sub: caller.sub } };
  });
  return viewWish(caller, after);
}

export async function withdraw(caller: Caller, wishId: string): Promise<WishView> {
  const after = await transition(wishId, (w, at) => {
    assertVisible(caller, w);
    if (!isPoster(caller, w)) throw forbidden('only the resident who posted the wish can withdraw it');
    const status = nextState(w.status, 'withdraw');
    return { action: 'withdraw', after: evolve(w, at, status, { withdrawnAt: at }), actor: { kind: 'resident' } };
  });
  return viewWish(caller, after);
}

// ---------- claim, release, take on ----------

export async function claim(caller: Caller, wishId: string): Promise<WishView> {
  const { profile, wish: first } = await store.memberAndWish(caller.memberId, wishId);
  if (!first) throw notFound('wish');
  assertVisible(caller, first);
  if (!profile)
    throw new DomainError('PROFILE_REQUIRED', 'create your member profile (POST /members) before claiming wishes');
  const limit = claimLimit();
  const after = await transition(
    wishId,
    (w, at) => {
      assertVisible(caller, w);
      const status = nextState(w.status, 'claim');
      const after = evolve(w, at, status, {
        claimant: { kind: 'member', memberId: caller.memberId },
        claimantName: profile.name,
        claimedAt: at,
      });
      return {
        action: 'claim',
        after,
        actor: { kind: 'member', memberId: caller.memberId },
        effects: {
          claims: {
            memberId: caller.memberId,
            by: 1,
            limit,
            overLimit: () =>
              new DomainError(
                'CLAIM_LIMIT_REACHED',
                `you hold ${limit} open claims, the most allowed: complete or release one first`,
                { limit },
              ),
          },
        },
      };
    },
    first,
  );
  addMetric('Claims');
  return viewWish(caller, after);
}

/** The team `caller` leads as `teamId` (role, token claim and the team's recorded leader), or 403. */
async function ledTeam(
  caller: Caller,
  teamId: string | undefined,
  what: string,
  read?: { team: Team | undefined },
): Promise<Team> {
  if (!teamId || caller.teamId !== teamId) throw forbidden(`only the leader of the team can ${what}`);
  const team = read ? read.team : await getTeam(teamId);
  if (!team || !leadsTeam(caller, team)) throw forbidden(`only the leader of the team can ${what}`);
  return team;
}

/** The claimant acting: the member who claimed it, or the leader of the team that took it on. */
async function claimantActor(caller: Caller, w: Wish, what: string): Promise<WishActor> {
  const c = w.claimant;
  if (c?.kind === 'member') {
    if (caller.memberId !== c.memberId || !hasRole(caller, 'member', 'team_leader'))
      throw forbidden(`only the member who claimed the wish can ${what}`);
    return { kind: 'member', memberId: caller.memberId };
  }
  if (c?.kind === 'team') {
    await ledTeam(caller, c.teamId, what);
    return { kind: 'team', teamId: c.teamId, memberId: caller.memberId };
  }
  throw forbidden(`only the claimant can ${what}`);
}

export async function release(caller: Caller, wishId: string): Promise<WishView> {
  const after = await transition(wishId, async (w, at) => {
    assertVisible(caller, w);
    const status = nextState(w.status, 'release', { wasEscalated: w.escalatedAt !== undefined });
    const actor = await claimantActor(caller, w, 'release it');
    const effects: store.TransitionEffects =
      w.claimant?.kind === 'member' ? { claims: { memberId: w.claimant.memberId, by: -1 } } : {};
    return {
      action: 'release',
      after: evolve(w, at, status, {}, ['claimant', 'claimantName', 'claimedAt']),
      actor,
      effects,
    };
  });
  return viewWish(caller, after);
}

export async function takeOn(caller: Caller, wishId: string): Promise<WishView> {
  // The team and the wish, in one round trip.
  const found = caller.teamId ? await store.teamAndWish(caller.teamId, wishId) : { team: undefined, wish: undefined };
  const team = await ledTeam(caller, caller.teamId, 'take on a wish for it', found);
  if (team.status !== 'active') throw new DomainError('TEAM_INACTIVE', 'the team is not active');
  if (!found.wish) throw notFound('wish');
  const after = await transition(
    wishId,
    (w, at) => {
      assertVisible(caller, w);
      const status = nextState(w.status, 'take_on');
      const after = evolve(w, at, status, {
        claimant: { kind: 'team', teamId: team.teamId, teamName: team.name, leaderMemberId: team.leaderMemberId },
        claimedAt: at,
      });
      return { action: 'take_on', after, actor: { kind: 'team', teamId: team.teamId, memberId: caller.memberId } };
    },
    found.wish,
  );
  return viewWish(caller, after);
}

// ---------- complete, confirm ----------

/** The service record of a member's completed wish, as an activity's close writes one. */
export function recordOf(w: Wish, memberId: string, input: { note: string; hours: number }, at: string): ServiceRecord {
  const unit = communityUnit(w.communityName);
  return {
    recordId: recordIdFor(w.wishId, memberId),
    memberId,
    memberName: w.claimantName ?? memberId,
    activityId: w.wishId,
    activityName: w.title,
    date: dayOf(at),
    place: w.gridName ? `${w.communityName} ${w.gridName}` : w.communityName,
    content: input.note,
    hours: input.hours,
    organisingUnit: unit,
    activityLeader: unit,
    communityId: w.communityId,
    streetId: w.streetId,
    recordedAt: at,
    late: false,
    source: 'wish',
    history: [{ at, by: memberId, kind: 'created' }],
  };
}

const servedProblem = (message: string) =>
  new DomainError('VALIDATION_FAILED', 'see errors for each field', { errors: [{ field: 'body.served', message }] });

/** The members a team's leader names as having served: each once, each on the team's roster (one BatchGetItem). */
async function servedBy(
  team: { teamId: string },
  served: readonly { memberId: string; hours: number }[] | undefined,
): Promise<{ memberId: string; memberName: string; hours: number }[]> {
  if (!served) throw servedProblem("name the team's members who served, and each one's hours");
  if (new Set(served.map((s) => s.memberId)).size !== served.length) throw servedProblem('each member once');
  const places = await teamMembersOf(
    team.teamId,
    served.map((s) => s.memberId),
  );
  const strangers = served.filter((_, i) => places[i]?.status !== 'active').map((s) => s.memberId);
  if (strangers.length > 0) throw servedProblem(`not on the team's roster: ${strangers.join(', ')}`);
  return served.map((s, i) => ({ memberId: s.memberId, memberName: places[i]!.memberName, hours: s.hours }));
}

export async function complete(
  caller: Caller,
  wishId: string,
  input: { note: string; hours: number; served?: readonly { memberId: string; hours: number }[] },
): Promise<WishView> {
  const after = await transition(wishId, async (w, at) => {
    assertVisible(caller, w);
    const status = nextState(w.status, 'complete');
    const actor = await claimantActor(caller, w, 'complete it');
    const changes: Partial<Wish> = { completedAt: at, completionNote: input.note, hours: input.hours };
    if (w.claimant?.kind === 'team') {
      // A team's completion names who served: each gets a record, counted (they went uncounted before).
      const served = await servedBy(w.claimant, input.served);
      const records = served.map((s) => ({
        ...recordOf(w, s.memberId, { note: input.note, hours: s.hours }, at),
        memberName: s.memberName,
        organisingUnit: w.claimant?.kind === 'team' ? w.claimant.teamName : communityUnit(w.communityName),
        teamId: (w.claimant as { teamId: string }).teamId,
      }));
      const after = evolve(w, at, status, { ...changes, served });
      return { action: 'complete', after, actor, effects: { records } };
    }
    if (input.served !== undefined) throw servedProblem('only a team names the members who served');
    if (w.claimant?.kind === 'member') {
      const record = recordOf(w, w.claimant.memberId, input, at);
      const after = evolve(w, at, status, { ...changes, recordId: record.recordId });
      return {
        action: 'complete',
        after,
        actor,
        effects: { claims: { memberId: w.claimant.memberId, by: -1 }, record },
      };
    }
    return { action: 'complete', after: evolve(w, at, status, changes), actor };
  });
  if (after.recordId) addMetric('RecordsWritten');
  return viewWish(caller, after);
}

export async function confirm(
  caller: Caller,
  wishId: string,
  input: { rating: number; comment?: string },
): Promise<WishView> {
  const after = await transition(wishId, (w, at) => {
    assertVisible(caller, w);
    if (!isPoster(caller, w)) throw forbidden('only the resident who posted the wish can confirm it');
    const status = nextState(w.status, 'confirm');
    const after = evolve(w, at, status, {
      confirmedAt: at,
      rating: input.rating,
      ...(input.comment ? { comment: input.comment } : {}),
    });
    return { action: 'confirm', after, actor: { kind: 'resident' } };
  });
  return viewWish(caller, after);
}

// ---------- suggestions ----------

/** Items read per suggestion request, whatever the size of the wall. */
export const SUGGESTION_READ = { ownCommunity: 80, districtEscalated: 20, noCommunity: 50 } as const;

export interface SuggestionView extends WishView {
  readonly score: number;
  readonly reasons: string[];
}

/**
 * Open wishes ranked for the calling member: at most 100 items read by two Queries (the oldest
 * open wishes of their community, and the district's oldest escalated ones), scored in memory.
 */
export async function suggested(caller: Caller, limit: number): Promise<{ items: SuggestionView[] }> {
  const profile = await members.getProfile(caller.memberId);
  if (!profile)
    throw new DomainError('PROFILE_REQUIRED', 'create your member profile (POST /members) to get suggestions');
  const reads = profile.communityId
    ? [
        store.listOpen(profile.communityId, SUGGESTION_READ.ownCommunity),
        store
          .listDistrict('escalated', { limit: SUGGESTION_READ.districtEscalated, cursor: undefined })
          .then((p) => p.items),
      ]
    : [
        store.listDistrict('published', { limit: SUGGESTION_READ.noCommunity, cursor: undefined }).then((p) => p.items),
        store.listDistrict('escalated', { limit: SUGGESTION_READ.noCommunity, cursor: undefined }).then((p) => p.items),
      ];
  const wishes = (await Promise.all(reads)).flat();
  const ranked = rankSuggestions(profile, wishes, nowMs(), limit);
  return {
    items: ranked.map((s) => ({ ...viewWish(caller, s.wish, { list: true }), score: s.score, reasons: s.reasons })),
  };
}

// ---------- the daily job ----------

const JOB = 'escalate-wishes';

/**
 * escalate-wishes (daily, 08:00 Asia/Shanghai): escalates wishes published and unclaimed for
 * the district's wishEscalationDays (Shanghai calendar days), and confirms, without rating,
 * wishes completed AUTO_CONFIRM_DAYS ago. Each is found by one Query of its district-wide
 * list (gsi3, sort key before the cut-off), a page at a time. Idempotent: an escalated or
 * confirmed wish has left the list it was found in, so a second run finds nothing to do.
 */
export async function runWishJob(args: { date?: unknown } = {}): Promise<{
  escalated: number;
  autoConfirmed: number;
  skipped: number;
  escalateBefore: string;
  confirmBefore: string;
}> {
  // `--date YYYY-MM-DD` runs it as on that day at its scheduled 08:00 (Asia/Shanghai); it was ignored before.
  if (args.date !== undefined && (typeof args.date !== 'string' || !isRealDay(args.date)))
    throw new DomainError('VALIDATION_FAILED', `date must be YYYY-MM-DD, got ${String(args.date)}`);
  const now = typeof args.date === 'string' ? Date.parse(`${args.date}T08:00:00+08:00`) : nowMs();
  const escalateBefore = dueBefore(now, escalationDays());
  const confirmBefore = dueBefore(now, AUTO_CONFIRM_DAYS);
  const a = await sweep('published', escalateBefore, 'escalate');
  const b = await sweep('completed', confirmBefore, 'auto_confirm');
  return { escalated: a.done, autoConfirmed: b.done, skipped: a.skipped + b.skipped, escalateBefore, confirmBefore };
}

async function sweep(
  from: 'published' | 'completed',
  before: string,
  action: 'escalate' | 'auto_confirm',
): Promise<{ done: number; skipped: number }> {
  let cursor: string | undefined;
  let done = 0;
  let skipped = 0;
  const entered = (w: Wish) => (from === 'published' ? w.publishedAt : w.completedAt);
  do {
    const page = await store.listDistrict(from, { limit: 100, cursor, before });
    for (const found of page.items) {
      try {
        await transition(
          found.wishId,
          (w, at) => {
            const t = entered(w);
            if (w.status !== from || t === undefined || t >= before)
              throw new DomainError('WISH_ACTION_NOT_ALLOWED', 'not due');
            const status = nextState(w.status, action);
            const after =
              action === 'escalate'
                ? evolve(w, at, status, { escalatedAt: at })
                : evolve(w, at, status, { confirmedAt: at, autoConfirmed: true });
            return { action, after, actor: { kind: 'system', job: JOB } };
          },
          found,
        );
        done++;
      } catch (err) {
        if (
          err instanceof DomainError &&
          (err.code === 'WISH_ACTION_NOT_ALLOWED' || err.code === 'WISH_ALREADY_CLAIMED' || err.code === 'NOT_FOUND')
        )
          skipped++;
        else throw err;
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { done, skipped };
}

import type { Page } from '../db/cursor.ts';
import * as db from '../db/no-shows.ts';
import { getCommunity } from '../db/places.ts';
import type { ActivityClose } from '../domain/activity.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import {
  contestable,
  decidable,
  DEFAULT_NO_SHOW_REVIEW_THRESHOLD,
  noShowsOf,
  opensReview,
  type NoShow,
} from '../domain/no-shows.ts';
import { administers, type Caller } from '../domain/policy.ts';
import { monthOf } from '../domain/time.ts';

/**
 * No-shows (shared/domain/no-shows.ts): found by the ledger consumer when a close lands, seen by
 * the member, contested through a correction, decided by the team's leader or the community.
 */
const MAX_ATTEMPTS = 20;

/** The yearly threshold (a district setting to come through the district's profile; the default for now). */
export function noShowReviewThreshold(): number {
  return DEFAULT_NO_SHOW_REVIEW_THRESHOLD;
}

/** The consumer's part: every no-show of a close, recorded once; returns how many were new. */
export async function recordNoShows(close: ActivityClose): Promise<number> {
  const threshold = noShowReviewThreshold();
  let added = 0;
  for (const n of noShowsOf(close, await db.signupsOf(close.activityId))) {
    for (let attempt = 0; ; attempt++) {
      const before = await db.getNoShowCount(n.memberId, n.year);
      try {
        if (await db.recordNoShow(n, before, opensReview(before.count + 1, threshold))) added++;
        break;
      } catch (err) {
        if (!(err instanceof db.NoShowRaced) || attempt + 1 >= MAX_ATTEMPTS) throw err;
      }
    }
  }
  return added;
}

export interface MyNoShows {
  readonly year: string;
  /** Unexcused no-shows this year. */
  readonly count: number;
  readonly reviewThreshold: number;
  readonly items: NoShow[];
}

export async function myNoShows(caller: Caller, year?: string): Promise<MyNoShows> {
  const y = year ?? monthOf(nowIso()).slice(0, 4);
  const [count, items] = await Promise.all([db.getNoShowCount(caller.memberId, y), db.listNoShows(caller.memberId, y)]);
  return { year: y, count: count.count, reviewThreshold: noShowReviewThreshold(), items };
}

const raced = () => new DomainError('CONCURRENT_UPDATE', 'the no-show changed meanwhile: read it again and retry');

/** The member contests one of their no-shows (a correction request): it waits for a decision. */
export async function contest(caller: Caller, activityId: string, input: { reason: string }): Promise<NoShow> {
  const n = await db.getNoShow(caller.memberId, activityId);
  if (!n) throw notFound('no-show');
  contestable(n);
  try {
    return await db.changeNoShow(n, 'counted', {
      status: 'contested',
      contestReason: input.reason,
      contestedAt: nowIso(),
    });
  } catch (err) {
    throw err instanceof db.NoShowRaced ? raced() : err;
  }
}

/**
 * The team's leader or an admin of the activity's community decides a contested no-show:
 * excused (it leaves the year's count) or upheld. Nobody decides their own.
 */
export async function decide(
  caller: Caller,
  memberId: string,
  activityId: string,
  input: { excuse: boolean; reason: string },
): Promise<NoShow> {
  const { noShow: n, team } = await db.noShowContext(memberId, activityId, caller.teamId);
  if (!n) throw notFound('no-show');
  const leads = caller.roles.has('team_leader') && team?.teamId === n.teamId && team.leaderMemberId === caller.memberId;
  if (!leads && !administers(caller, n)) throw notFound('no-show');
  if (caller.memberId === memberId && !administers(caller, n)) throw forbidden('nobody decides their own no-show');
  decidable(n);
  const fields: Partial<NoShow> = {
    status: input.excuse ? 'excused' : 'upheld',
    decidedAt: nowIso(),
    decidedBy: caller.sub,
    decisionReason: input.reason,
  };
  try {
    const count = input.excuse ? { before: await db.getNoShowCount(memberId, n.year), by: -1 } : undefined;
    return await db.changeNoShow(n, 'contested', fields, count);
  } catch (err) {
    throw err instanceof db.NoShowRaced ? raced() : err;
  }
}

/** A community's no-show reviews of a year: its admins and above. */
export async function listReviews(
  caller: Caller,
  communityId: string,
  q: { year?: string; limit: number; cursor?: string },
): Promise<Page<db.NoShowReview>> {
  const community = await getCommunity(communityId);
  if (!community) throw notFound('community');
  if (!administers(caller, community)) throw forbidden('only admins of this community (or above) see its reviews');
  return db.listNoShowReviews(communityId, q.year ?? monthOf(nowIso()).slice(0, 4), q.limit, q.cursor);
}

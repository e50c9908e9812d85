import type { Activity, Signup } from '../domain/activity.ts';
import type { Certificate } from '../domain/certificate.ts';
import type { CheckInStatus } from '../domain/check-in.ts';
import type { ParentScope, Scope } from '../domain/counters.ts';
import type { Correction, CorrectionStatus, ServiceRecord } from '../domain/records.ts';
import type { TeamMember, TeamMemberStatus, Team } from '../domain/team.ts';
import type { NamedKind } from '../domain/names.ts';
import type { ThemeSource } from '../domain/theme.ts';
import type { CheckIn, Community, Street } from '../domain/types.ts';
import type { Wish, WishState } from '../domain/wish.ts';
import type { Booking, BookingCancellation, Station } from '../domain/station.ts';
import type { Course, Grant, TrainingEntry } from '../domain/training.ts';
import type { FeaturedCall, Review } from '../domain/featured.ts';
import { monthOf } from '../domain/time.ts';
import type { IndexName } from '../config/table.ts';

/**
 * Every key of the tables is built here, and only here: the writer of an item and every reader
 * of it call the same builder (test/unit/key-catalog.test.ts fails on a key built elsewhere).
 * The stored formats are those the README's access-pattern table lists.
 *
 * Three kinds of builder, per entity:
 *   `<thing>Key(ids)`     the item's primary key { pk, sk }: GetItem, Update, Delete, ConditionCheck
 *   `<thing>Keys(thing)`  every key attribute of the item as written: pk, sk and its index keys
 *   `<list>Query(ids)`    an access pattern: { index?, partition, beginsWith? }, spread into queryPage
 * A new key is a builder here, a line in shared/db/key-catalog.ts and a row in the README's
 * access-pattern table.
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** An access pattern: a partition of the table or of an index, optionally a sort-key prefix. */
export interface KeyQuery {
  readonly index?: IndexName;
  readonly partition: string;
  readonly beginsWith?: string;
}

type OnIndex = KeyQuery & { readonly index: IndexName };

/** The index key attributes that put an item on `q`'s partition at sort key `sk`. */
const on = (q: OnIndex, sk: string): Record<string, string> => ({
  [`${q.index}pk`]: q.partition,
  [`${q.index}sk`]: sk,
});

/** Sort keys joined from their parts. */
const join = (...parts: string[]) => parts.join('#');
const pad = (n: number, width: number) => String(n).padStart(width, '0');

// ---------- places (shared/db/places.ts) ----------

export const streetKey = (streetId: string): ItemKey => ({ pk: `STREET#${streetId}`, sk: 'STREET' });
export const streetsQuery = (): OnIndex => ({ index: 'gsi1', partition: 'STREETS' });
export const streetKeys = (s: Street) => ({ ...streetKey(s.streetId), ...on(streetsQuery(), s.streetId) });

export const communityKey = (communityId: string): ItemKey => ({ pk: `COMMUNITY#${communityId}`, sk: 'COMMUNITY' });
/** Every community, or a street's (sort key `<streetId>#<communityId>`). */
export const communitiesQuery = (streetId?: string): OnIndex => ({
  index: 'gsi1',
  partition: 'COMMUNITIES',
  ...(streetId ? { beginsWith: `${streetId}#` } : {}),
});
export const communityKeys = (c: Community) => ({
  ...communityKey(c.communityId),
  ...on(communitiesQuery(), join(c.streetId, c.communityId)),
});

export const gridKey = (communityId: string, gridId: string): ItemKey => ({
  pk: communityKey(communityId).pk,
  sk: `GRID#${gridId}`,
});
export const gridsQuery = (communityId: string): KeyQuery => ({
  partition: communityKey(communityId).pk,
  beginsWith: 'GRID#',
});

// ---------- members (shared/db/members.ts) ----------

export const memberKey = (memberId: string): ItemKey => ({ pk: `MEMBER#${memberId}`, sk: 'PROFILE' });

/** A roster entry without a grid sorts under this "grid". */
export const NO_GRID = '~';
export const rosterKey = (communityId: string, gridId: string | undefined, memberId: string): ItemKey => ({
  pk: communityKey(communityId).pk,
  sk: `ROSTER#${gridId ?? NO_GRID}#${memberId}`,
});
/** A community's roster, or one grid's. */
export const rosterQuery = (communityId: string, gridId?: string): KeyQuery => ({
  partition: communityKey(communityId).pk,
  beginsWith: gridId ? `ROSTER#${gridId}#` : 'ROSTER#',
});

// ---------- check-ins (shared/db/check-ins.ts) ----------

export const checkInKey = (checkInId: string): ItemKey => ({ pk: `CHECKIN#${checkInId}`, sk: 'CHECKIN' });
export const memberCheckInsQuery = (memberId: string): OnIndex => ({
  index: 'gsi1',
  partition: `MEMBER#${memberId}#CHECKINS`,
});
export const communityCheckInsQuery = (communityId: string, status: CheckInStatus): OnIndex => ({
  index: 'gsi2',
  partition: `COMMUNITY#${communityId}#CHECKINS#${status}`,
});
export const checkInKeys = (c: CheckIn) => {
  const sk = join(c.createdAt, c.checkInId);
  return {
    ...checkInKey(c.checkInId),
    ...on(memberCheckInsQuery(c.memberId), sk),
    ...on(communityCheckInsQuery(c.communityId, c.status), sk),
  };
};

/** The member's pending-check-in lock: at most one pending request per member. */
export const pendingCheckInKey = (memberId: string): ItemKey => ({ pk: memberKey(memberId).pk, sk: 'PENDING_CHECKIN' });
/** Every pending request, oldest first (the expiry job; sort key `<createdAt>#<checkInId>`). */
export const pendingCheckInsQuery = (): OnIndex => ({ index: 'gsi1', partition: 'PENDING_CHECKINS' });
export const pendingCheckInKeys = (c: Pick<CheckIn, 'memberId' | 'createdAt' | 'checkInId'>) => ({
  ...pendingCheckInKey(c.memberId),
  ...on(pendingCheckInsQuery(), join(c.createdAt, c.checkInId)),
});

// ---------- teams (shared/db/teams.ts) ----------

export const teamKey = (teamId: string): ItemKey => ({ pk: `TEAM#${teamId}`, sk: 'TEAM' });
/** Every team (sort key `<status>#<teamId>`: `active#` first), or one category's. */
export const teamsQuery = (category?: string): OnIndex =>
  category ? { index: 'gsi2', partition: `TEAMS#${category}` } : { index: 'gsi1', partition: 'TEAMS' };
export const activeTeamsQuery = (): OnIndex => ({ ...teamsQuery(), beginsWith: 'active#' });
export const teamKeys = (t: Team) => {
  const sk = join(t.status, t.teamId);
  return { ...teamKey(t.teamId), ...on(teamsQuery(), sk), ...on(teamsQuery(t.category), sk) };
};

export const teamMemberKey = (teamId: string, memberId: string): ItemKey => ({
  pk: teamKey(teamId).pk,
  sk: `MEMBER#${memberId}`,
});
export const teamMembersQuery = (teamId: string, status: TeamMemberStatus): OnIndex => ({
  index: 'gsi1',
  partition: `TEAM#${teamId}#MEMBERS#${status}`,
});
/** A member's places in teams (every status: my teams and my join requests), by team id. */
export const memberTeamsQuery = (memberId: string): OnIndex => ({
  index: 'gsi2',
  partition: `MEMBER#${memberId}#TEAMS`,
});
export const teamMemberKeys = (m: TeamMember) => ({
  ...teamMemberKey(m.teamId, m.memberId),
  ...on(teamMembersQuery(m.teamId, m.status), join(m.requestedAt, m.memberId)),
  ...on(memberTeamsQuery(m.memberId), m.teamId),
});

// ---------- names unique in their parent (shared/db/names.ts) ----------

/**
 * The claim of a name in its parent: a street's in the district, a community's in its street, a
 * team's in its community, street or the district. `nameKey` is the compared form
 * (shared/domain/names.ts), so two spellings of one name claim one item.
 */
export const nameClaimKey = (kind: NamedKind, parent: string, nameKey: string): ItemKey => ({
  pk: `NAME#${kind}#${parent}#${nameKey}`,
  sk: 'NAME',
});

// ---------- themes (shared/db/themes.ts) ----------

/** A year's themes (sort key `<YYYY-MM>#<source>`), or one month's. */
export const themesQuery = (year: string | number, month?: string): KeyQuery => ({
  partition: `THEMES#${year}`,
  ...(month ? { beginsWith: `${month}#` } : {}),
});
export const themeKey = (month: string, source: ThemeSource): ItemKey => ({
  pk: themesQuery(month.slice(0, 4)).partition,
  sk: join(month, source),
});

// ---------- activities (shared/db/activities.ts) ----------

export const activityKey = (activityId: string): ItemKey => ({ pk: `ACTIVITY#${activityId}`, sk: 'ACTIVITY' });
/** Activities by start (sort key `<startsAt>#<activityId>`): a month's, a team's, a community's. */
export const monthActivitiesQuery = (month: string): OnIndex => ({ index: 'gsi1', partition: `ACTIVITIES#${month}` });
export const teamActivitiesQuery = (teamId: string): OnIndex => ({
  index: 'gsi2',
  partition: `TEAM#${teamId}#ACTIVITIES`,
});
export const communityActivitiesQuery = (communityId: string): OnIndex => ({
  index: 'gsi3',
  partition: `COMMUNITY#${communityId}#ACTIVITIES`,
});
export const activityKeys = (a: Activity) => {
  const sk = join(a.startsAt, a.activityId);
  return {
    ...activityKey(a.activityId),
    ...on(monthActivitiesQuery(monthOf(a.startsAt)), sk),
    ...on(teamActivitiesQuery(a.teamId), sk),
    ...on(communityActivitiesQuery(a.communityId), sk),
  };
};

export const signupKey = (activityId: string, memberId: string): ItemKey => ({
  pk: activityKey(activityId).pk,
  sk: `SIGNUP#${memberId}`,
});
/** Every sign-up of an activity (its own partition). */
export const activitySignupsQuery = (activityId: string): KeyQuery => ({
  partition: activityKey(activityId).pk,
  beginsWith: 'SIGNUP#',
});
/** Sign-ups in arrival order (sort key: the ticket, 13 digits, then the member). */
export const signupsInOrderQuery = (activityId: string): OnIndex => ({
  index: 'gsi1',
  partition: `ACTIVITY#${activityId}#SIGNUPS`,
});
/** A member's sign-ups, newest first (sort key `<signedUpAt>#<activityId>`). */
export const memberSignupsQuery = (memberId: string): OnIndex => ({
  index: 'gsi2',
  partition: `MEMBER#${memberId}#SIGNUPS`,
});
export const signupKeys = (s: Signup) => ({
  ...signupKey(s.activityId, s.memberId),
  ...on(signupsInOrderQuery(s.activityId), join(pad(s.ticket, 13), s.memberId)),
  ...on(memberSignupsQuery(s.memberId), join(s.signedUpAt, s.activityId)),
});

export const waitlistKey = (activityId: string, ticket: number, memberId: string): ItemKey => ({
  pk: activityKey(activityId).pk,
  sk: `WAITLIST#${pad(ticket, 13)}#${memberId}`,
});
/** The waitlist in ticket order (its head: Limit 1). */
export const waitlistQuery = (activityId: string): KeyQuery => ({
  partition: activityKey(activityId).pk,
  beginsWith: 'WAITLIST#',
});

/** The waitlist ahead of a ticket (sort keys below its entry): a member's place is their count + 1. */
export const waitlistAheadQuery = (activityId: string, ticket: number, memberId: string) => ({
  partition: activityKey(activityId).pk,
  between: { from: 'WAITLIST#', to: waitlistKey(activityId, ticket, memberId).sk },
});

/** Wrong attendance codes of a member for one code (keyed by the code's expiry: a new code starts a new count). */
export const codeTriesKey = (
  activityId: string,
  code: { readonly code: string; readonly expiresAt: string },
  memberId: string,
): ItemKey => ({
  pk: activityKey(activityId).pk,
  sk: `CODE_TRIES#${code.expiresAt}#${code.code}#${memberId}`,
});

/** The close's fact item (written with the final close). */
export const activityCloseKey = (activityId: string): ItemKey => ({ pk: activityKey(activityId).pk, sk: 'CLOSE' });

// ---------- service records, corrections (shared/db/records.ts) ----------

export const recordKey = (recordId: string): ItemKey => ({ pk: `RECORD#${recordId}`, sk: 'RECORD' });
/**
 * A member's records by service date, then by when each was recorded (sort key
 * `<date>#<recordedAt>#<recordId>`): newest first lists a day's later service first, since record
 * ids are derived (recordIdFor), not time-ordered.
 */
export const memberRecordsQuery = (memberId: string): OnIndex => ({
  index: 'gsi1',
  partition: `MEMBER#${memberId}#RECORDS`,
});
export const recordKeys = (r: ServiceRecord) => ({
  ...recordKey(r.recordId),
  ...on(memberRecordsQuery(r.memberId), join(r.date, r.recordedAt, r.recordId)),
  ...factKeys('record', monthOf(r.recordedAt), r.recordId),
});

export const memberHoursKey = (memberId: string): ItemKey => ({ pk: memberKey(memberId).pk, sk: 'HOURS' });

export const correctionKey = (recordId: string, correctionId: string): ItemKey => ({
  pk: recordKey(recordId).pk,
  sk: `CORRECTION#${correctionId}`,
});
/** A record's corrections, oldest first. */
export const correctionsQuery = (recordId: string): KeyQuery => ({
  partition: recordKey(recordId).pk,
  beginsWith: 'CORRECTION#',
});
/** A decider's queue: the corrections of a team's records, or of a community's no team organised, in one status. */
export const correctionQueueQuery = (
  owner: { readonly teamId?: string; readonly communityId: string },
  status: CorrectionStatus,
): OnIndex => ({
  index: 'gsi2',
  partition: owner.teamId
    ? `TEAM#${owner.teamId}#CORRECTIONS#${status}`
    : `COMMUNITY#${owner.communityId}#CORRECTIONS#${status}`,
});
export const correctionKeys = (c: Correction) => ({
  ...correctionKey(c.recordId, c.correctionId),
  ...on(correctionQueueQuery(c, c.status), join(c.requestedAt, c.correctionId)),
});

// ---------- certificates (shared/db/certificates.ts) ----------

export const certificateKey = (number: string): ItemKey => ({ pk: `CERT#${number}`, sk: 'CERT' });
/** A certificate's items: its header and its record-list chunks. */
export const certificateQuery = (number: string): KeyQuery => ({ partition: certificateKey(number).pk });
export const certificateChunkKey = (number: string, i: number): ItemKey => ({
  pk: certificateKey(number).pk,
  sk: `RECORDS#${pad(i, 3)}`,
});
export const memberCertificatesQuery = (memberId: string): OnIndex => ({
  index: 'gsi1',
  partition: `MEMBER#${memberId}#CERTS`,
});
export const certificateKeys = (c: Pick<Certificate, 'number' | 'memberId' | 'issuedAt'>) => ({
  ...certificateKey(c.number),
  ...on(memberCertificatesQuery(c.memberId), join(c.issuedAt, c.number)),
});

// ---------- wishes (shared/db/wishes.ts) ----------

export const wishKey = (wishId: string): ItemKey => ({ pk: `WISH#${wishId}`, sk: 'WISH' });
/** A community's wall in one status, newest first. */
export const wallQuery = (communityId: string, status: WishState): OnIndex => ({
  index: 'gsi1',
  partition: `WALL#${communityId}#${status}`,
});
/** A community's open wishes (sparse: only while published or escalated), oldest first. */
export const openWishesQuery = (communityId: string): OnIndex => ({ index: 'gsi2', partition: `OPEN#${communityId}` });
/** The district's wishes in a timed state (sparse), by the time they entered it. */
export const districtWishesQuery = (status: 'published' | 'escalated' | 'completed'): OnIndex => ({
  index: 'gsi3',
  partition: `WISHES#${status}`,
});
export function wishKeys(w: Wish): Record<string, string> {
  const keys = {
    ...wishKey(w.wishId),
    ...on(wallQuery(w.communityId, w.status), join(w.publishedAt ?? w.createdAt, w.wishId)),
  };
  if ((w.status === 'published' || w.status === 'escalated') && w.publishedAt)
    Object.assign(keys, on(openWishesQuery(w.communityId), join(w.publishedAt, w.wishId)));
  const entered =
    w.status === 'published'
      ? w.publishedAt
      : w.status === 'escalated'
        ? w.escalatedAt
        : w.status === 'completed'
          ? w.completedAt
          : undefined;
  if (entered)
    Object.assign(
      keys,
      on(districtWishesQuery(w.status as 'published' | 'escalated' | 'completed'), join(entered, w.wishId)),
    );
  return keys;
}

/** A wish's outbox, oldest first (sort key: its seq, 10 digits). */
export const wishEventsQuery = (wishId: string): KeyQuery => ({ partition: wishKey(wishId).pk, beginsWith: 'EVENT#' });
export const wishEventKey = (wishId: string, seq: number): ItemKey => ({
  pk: wishKey(wishId).pk,
  sk: `EVENT#${pad(seq, 10)}`,
});
/** An event's keys: a fact of the month of its instant. */
export const wishEventKeys = (e: { readonly wishId: string; readonly seq: number; readonly at: string }) => ({
  ...wishEventKey(e.wishId, e.seq),
  ...factKeys('wish-event', monthOf(e.at), e.at, e.wishId, pad(e.seq, 10)),
});

/** A resident's pointers to the wishes they posted, newest first. */
export const residentWishesQuery = (residentSub: string): KeyQuery => ({
  partition: `RESIDENT#${residentSub}`,
  beginsWith: 'WISH#',
});
export const residentWishKey = (w: Pick<Wish, 'residentSub' | 'createdAt' | 'wishId'>): ItemKey => ({
  pk: residentWishesQuery(w.residentSub).partition,
  sk: `WISH#${w.createdAt}#${w.wishId}`,
});

/** A member's open claims counter. */
export const wishClaimsKey = (memberId: string): ItemKey => ({ pk: memberKey(memberId).pk, sk: 'WISH_CLAIMS' });

// ---------- counters and snapshots (shared/db/counters.ts, stats.ts) ----------

/**
 * Shards of a scope's live counters of a month: every counted write adds to one of them, picked
 * at random, and readers add them up. A district's counters are moved by almost every write of a
 * service day (approvals, closes, wish events), each in a transaction; one item would serve them
 * one at a time (transaction conflicts), so the busiest scopes are split.
 */
export const COUNTER_SHARDS: Readonly<Record<Scope, number>> = {
  district: 8,
  street: 4,
  community: 2,
  grid: 1,
  team: 1,
};

/** One shard of a scope's live counters of a month. */
export const counterKey = (scope: Scope, id: string, month: string, shard: number): ItemKey => ({
  pk: `STATS#${scope}#${id}`,
  sk: `MONTH#${month}#${shard}`,
});
/** Every shard of a scope's live counters of a month (a BatchGet reads them all). */
export const counterShardKeys = (scope: Scope, id: string, month: string): ItemKey[] =>
  Array.from({ length: COUNTER_SHARDS[scope] }, (_, shard) => counterKey(scope, id, month, shard));
/** Whether a sort key is one of a month's counter shards. */
export const isCounterShard = (sk: string, month: string): boolean =>
  /^\d+$/.test(sk.slice(`MONTH#${month}#`.length)) && sk.startsWith(`MONTH#${month}#`);
export const frozenKey = (scope: Scope, id: string, month: string): ItemKey => ({
  pk: `STATS#${scope}#${id}`,
  sk: `FROZEN#${month}`,
});
/** A parent's children's live counters of a month (sort key `<scope>#<id>#<shard>`: several items a child). */
export const childCountersQuery = (
  month: string,
  parent: { readonly scope: ParentScope; readonly id: string },
): OnIndex => ({
  index: 'gsi1',
  partition: `STATS#${month}#${parent.scope}#${parent.id}`,
});
/** A parent's children's snapshots of a month (sort key `<scope>#<id>`). */
export const childSnapshotsQuery = (
  month: string,
  parent: { readonly scope: ParentScope; readonly id: string },
): OnIndex => ({
  index: 'gsi1',
  partition: `STATS-FROZEN#${month}#${parent.scope}#${parent.id}`,
});
const child = (s: { readonly scope: Scope; readonly id: string }) => join(s.scope, s.id);
/** A counter shard's keys (its gsi1 keys are SET by the counter's Update). */
export const counterKeys = (
  ref: {
    readonly scope: Scope;
    readonly id: string;
    readonly parent: { readonly scope: ParentScope; readonly id: string };
  },
  month: string,
  shard: number,
) => ({
  ...counterKey(ref.scope, ref.id, month, shard),
  gsi1pk: childCountersQuery(month, ref.parent).partition,
  gsi1sk: join(child(ref), String(shard)),
});
export const snapshotKeys = (s: {
  readonly scope: Scope;
  readonly id: string;
  readonly month: string;
  readonly parentScope: ParentScope;
  readonly parentId: string;
}) => ({
  ...frozenKey(s.scope, s.id, s.month),
  ...on(childSnapshotsQuery(s.month, { scope: s.parentScope, id: s.parentId }), child(s)),
});
/** The scope a child entry (of childCountersQuery: `<scope>#<id>#<shard>`, or childSnapshotsQuery) stands for. */
export function childOf(sk: string): { scope: Scope; id: string } {
  const [scope, id] = sk.split('#');
  return { scope: scope as Scope, id: id ?? '' };
}

// ---------- counted facts (shared/domain/counters.ts) ----------

/**
 * Where a month's facts of a kind are found (verify-counters): service records on gsi2
 * `RECORDS#<YYYY-MM>` (sort key the record id), every other kind on gsi3 `FACTS#<YYYY-MM>#<kind>`.
 */
export const factsQuery = (kind: string, month: string): OnIndex =>
  kind === 'record'
    ? { index: 'gsi2', partition: `RECORDS#${month}` }
    : { index: 'gsi3', partition: `FACTS#${month}#${kind}` };
/** The index keys that make an item a fact of `kind` counted in `month`; its sort key joins `sort`. */
export const factKeys = (kind: string, month: string, ...sort: string[]) => on(factsQuery(kind, month), join(...sort));

// ---------- the points ledger, stars, rankings (shared/db/ledger.ts) ----------

/** A member's ledger partition: entries, totals, star changes. */
const ledgerQuery = (memberId: string): KeyQuery => ({ partition: `LEDGER#${memberId}` });
/** A ledger entry: keyed by its source (kind, id), rule, revision and effect (grant or reversal). */
export const ledgerEntryKey = (
  memberId: string,
  e: {
    readonly kind: string;
    readonly sourceId: string;
    readonly rule: string;
    readonly revision: number;
    readonly effect: string;
  },
): ItemKey => ({
  pk: ledgerQuery(memberId).partition,
  sk: `ENTRY#${e.kind}#${e.sourceId}#${e.rule}#${pad(e.revision, 4)}#${e.effect}`,
});
/** The entries one source posted (every revision), in key order. */
export const sourceEntriesQuery = (memberId: string, kind: string, sourceId: string): KeyQuery => ({
  partition: ledgerQuery(memberId).partition,
  beginsWith: `ENTRY#${kind}#${sourceId}#`,
});
/** A member's entries by the fact's instant (sort key `<at>#<entryId>`). */
export const memberLedgerQuery = (memberId: string): OnIndex => ({
  index: 'gsi1',
  partition: `MEMBER#${memberId}#LEDGER`,
});
export const ledgerEntryKeys = (
  e: Parameters<typeof ledgerEntryKey>[1] & { readonly memberId: string; readonly at: string },
  entryId: string,
) => ({
  ...ledgerEntryKey(e.memberId, e),
  ...on(memberLedgerQuery(e.memberId), join(e.at, entryId)),
});
/** A member's totals for a period: `ALL` (all time: hours, star), `<YYYY>` or `<YYYY-MM>`. */
export const ledgerTotalKey = (memberId: string, period: string): ItemKey => ({
  pk: ledgerQuery(memberId).partition,
  sk: `TOTAL#${period}`,
});
/** Members whose fifth star waits for an admin's review (sort key `<memberId>`; the key is set only while due). */
export const fifthStarReviewsQuery = (): OnIndex => ({ index: 'gsi1', partition: 'STAR_REVIEWS#due' });
export const fifthStarDueKeys = (memberId: string) => on(fifthStarReviewsQuery(), memberId);
/** A member's star changes, in the order they happened (sort key `STAR#<seq>`: the version of the totals they came with). */
export const starChangesQuery = (memberId: string): KeyQuery => ({
  partition: ledgerQuery(memberId).partition,
  beginsWith: 'STAR#',
});
export const starChangeKey = (memberId: string, seq: number): ItemKey => ({
  pk: ledgerQuery(memberId).partition,
  sk: `STAR#${pad(seq, 8)}`,
});
/** A member's or team's score in one ranking (scope and period): points, hours, reachedAt and its rank key. */
export const scoreKey = (
  subject: string,
  subjectId: string,
  scope: string,
  scopeId: string,
  period: string,
): ItemKey => ({
  pk: `SCORE#${subject}#${subjectId}`,
  sk: join(scope, scopeId, period),
});
/** One ranking, best first with `newestFirst` (sort key shared/domain/points.ts rankSortKey: points, hours, first reached, id). */
export const rankingQuery = (subject: string, scope: string, scopeId: string, period: string): KeyQuery => ({
  partition: `RANK#${subject}#${scope}#${scopeId}#${period}`,
});
export const rankKey = (subject: string, scope: string, scopeId: string, period: string, rankSk: string): ItemKey => ({
  pk: rankingQuery(subject, scope, scopeId, period).partition,
  sk: rankSk,
});

// ---------- the five-part record: evaluations (shared/db/member-record.ts) ----------

/** A member's evaluations and no-shows (the record's training and awards are under MEMBER#: memberTrainingQuery, memberAwardsQuery). */
export const recordPartsQuery = (memberId: string): KeyQuery => ({ partition: `RECORD_OF#${memberId}` });
/** A member's evaluations (sort key `EVALUATION#<recordId>`). */
export const evaluationsQuery = (memberId: string): KeyQuery => ({
  partition: recordPartsQuery(memberId).partition,
  beginsWith: 'EVALUATION#',
});
/** The community's evaluation of one service record (one per record). */
export const evaluationKey = (memberId: string, recordId: string): ItemKey => ({
  pk: recordPartsQuery(memberId).partition,
  sk: `EVALUATION#${recordId}`,
});

// ---------- no-shows (shared/db/no-shows.ts) ----------

/** A member's no-show at one activity (beside their record's parts). */
export const noShowKey = (memberId: string, activityId: string): ItemKey => ({
  pk: recordPartsQuery(memberId).partition,
  sk: `NOSHOW#${activityId}`,
});
/** A member's no-shows of one year, newest first (sort key `<closedAt>#<activityId>`). */
export const memberNoShowsQuery = (memberId: string, year: string): OnIndex => ({
  index: 'gsi1',
  partition: `MEMBER#${memberId}#NOSHOWS#${year}`,
});
export const noShowKeys = (n: {
  readonly memberId: string;
  readonly activityId: string;
  readonly year: string;
  readonly closedAt: string;
}) => ({
  ...noShowKey(n.memberId, n.activityId),
  ...on(memberNoShowsQuery(n.memberId, n.year), join(n.closedAt, n.activityId)),
});
/** A member's unexcused no-shows of a year: { count }. */
export const noShowCountKey = (memberId: string, year: string): ItemKey => ({
  pk: recordPartsQuery(memberId).partition,
  sk: `NOSHOWS#${year}`,
});
/** A community's no-show reviews of a year (sort key `NOSHOW_REVIEW#<YYYY>#<memberId>`). */
export const noShowReviewsQuery = (communityId: string, year: string): KeyQuery => ({
  partition: communityKey(communityId).pk,
  beginsWith: `NOSHOW_REVIEW#${year}#`,
});
export const noShowReviewKey = (communityId: string, year: string, memberId: string): ItemKey => ({
  pk: communityKey(communityId).pk,
  sk: `NOSHOW_REVIEW#${year}#${memberId}`,
});
// ---------- featured projects (shared/db/featured.ts) ----------

/** A call's partition holds the call, its submissions, one-entry guards, reviews and awards. */
export const featuredCallQuery = (callId: string): KeyQuery => ({ partition: `FCALL#${callId}` });
export const featuredCallKey = (callId: string): ItemKey => ({ pk: featuredCallQuery(callId).partition, sk: 'CALL' });
/** The district's calls by year (sort key `<year>#<callId>`), or one year's. */
export const featuredCallsQuery = (year?: number): OnIndex => ({
  index: 'gsi1',
  partition: 'FCALLS',
  ...(year !== undefined ? { beginsWith: `${year}#` } : {}),
});
export const featuredCallKeys = (c: Pick<FeaturedCall, 'callId' | 'year'>) => ({
  ...featuredCallKey(c.callId),
  ...on(featuredCallsQuery(), join(String(c.year), c.callId)),
});
export const featuredSubmissionKey = (callId: string, submissionId: string): ItemKey => ({
  pk: featuredCallQuery(callId).partition,
  sk: `SUB#${submissionId}`,
});
export const featuredSubmissionsQuery = (callId: string): KeyQuery => ({
  partition: featuredCallQuery(callId).partition,
  beginsWith: 'SUB#',
});
/** At most one entry per team in a call (when the call says so). */
export const featuredEntryKey = (callId: string, teamId: string): ItemKey => ({
  pk: featuredCallQuery(callId).partition,
  sk: `ENTRY#${teamId}`,
});
export const featuredReviewKey = (callId: string, submissionId: string, reviewerId: string): ItemKey => ({
  pk: featuredCallQuery(callId).partition,
  sk: `REVIEW#${submissionId}#${reviewerId}`,
});
/** A reviewer's assignments, every call's, by assignment time (sort key `<assignedAt>#<callId>#<submissionId>`). */
export const reviewerAssignmentsQuery = (reviewerId: string): OnIndex => ({
  index: 'gsi1',
  partition: `REVIEWER#${reviewerId}`,
});
export const featuredReviewKeys = (r: Pick<Review, 'callId' | 'submissionId' | 'reviewerId' | 'assignedAt'>) => ({
  ...featuredReviewKey(r.callId, r.submissionId, r.reviewerId),
  ...on(reviewerAssignmentsQuery(r.reviewerId), join(r.assignedAt, r.callId, r.submissionId)),
});
export const featuredAwardKey = (callId: string, submissionId: string): ItemKey => ({
  pk: featuredCallQuery(callId).partition,
  sk: `AWARD#${submissionId}`,
});

/** A batch of awards for the city bus (the outbox the `city-delivery` stream consumer reads). */
export const featuredCityDeliveryKey = (callId: string, batchId: string): ItemKey => ({
  pk: featuredCallQuery(callId).partition,
  sk: `CITYOUT#${batchId}`,
});
/** The sort-key prefix the stream consumer's filter matches (shared/config/streams.ts). */
export const CITY_OUTBOX_PREFIX = 'CITYOUT#';
/**
 * A call's award report in one Query: in its partition, the sort keys from `AWARD#` to the last
 * `CITYOUT#` are exactly its awards, the call (`CALL`) and its outbox items (`ENTRY#`, `REVIEW#`
 * and `SUB#` sort after them).
 */
export const featuredAwardReportQuery = (callId: string) => ({
  partition: featuredCallQuery(callId).partition,
  between: { from: 'AWARD#', to: `${CITY_OUTBOX_PREFIX}\uffff` },
});
/** An award entry in a member's record (one per core member of an awarded project). */
export const memberAwardKey = (memberId: string, awardId: string): ItemKey => ({
  pk: memberKey(memberId).pk,
  sk: `AWARD#${awardId}`,
});
export const memberAwardsQuery = (memberId: string): KeyQuery => ({
  partition: memberKey(memberId).pk,
  beginsWith: 'AWARD#',
});
/** An award in a team's history. */
export const teamAwardKey = (teamId: string, awardId: string): ItemKey => ({
  pk: teamKey(teamId).pk,
  sk: `AWARD#${awardId}`,
});
export const teamAwardsQuery = (teamId: string): KeyQuery => ({ partition: teamKey(teamId).pk, beginsWith: 'AWARD#' });
// ---------- micro-stations (shared/db/stations.ts) ----------

export const stationKey = (stationId: string): ItemKey => ({ pk: `STATION#${stationId}`, sk: 'STATION' });
/** A street's stations (its own and its communities'), or one community's (sort key `<communityId or ~>#<stationId>`). */
export const stationsQuery = (streetId: string, communityId?: string): OnIndex => ({
  index: 'gsi1',
  partition: `STATIONS#${streetId}`,
  ...(communityId ? { beginsWith: `${communityId}#` } : {}),
});
export const stationKeys = (s: Pick<Station, 'stationId' | 'streetId' | 'communityId'>) => ({
  ...stationKey(s.stationId),
  ...on(stationsQuery(s.streetId), join(s.communityId ?? NO_GRID, s.stationId)),
});
/** One half-hour unit of a station, held by one booking (or a closure): its start instant (UTC ISO). */
export const stationUnitKey = (stationId: string, unitStart: string): ItemKey => ({
  pk: stationKey(stationId).pk,
  sk: `UNIT#${unitStart}`,
});
export const stationUnitsQuery = (stationId: string): KeyQuery => ({
  partition: stationKey(stationId).pk,
  beginsWith: 'UNIT#',
});
export const bookingKey = (stationId: string, bookingId: string): ItemKey => ({
  pk: stationKey(stationId).pk,
  sk: `BOOKING#${bookingId}`,
});
/** A station's bookings by start time. */
export const stationBookingsQuery = (stationId: string): OnIndex => ({
  index: 'gsi1',
  partition: `STATION#${stationId}#BOOKINGS`,
});
/** A team's bookings by start time. */
export const teamBookingsQuery = (teamId: string): OnIndex => ({ index: 'gsi2', partition: `TEAM#${teamId}#BOOKINGS` });
export const bookingKeys = (b: Booking) => {
  const sk = join(b.startsAt, b.bookingId);
  return {
    ...bookingKey(b.stationId, b.bookingId),
    ...on(stationBookingsQuery(b.stationId), sk),
    ...on(teamBookingsQuery(b.teamId), sk),
    ...factKeys('booking', monthOf(b.createdAt), b.createdAt, b.bookingId),
  };
};
/** A cancelled booking's fact item (written with the cancellation). */
export const bookingCancelKey = (stationId: string, bookingId: string): ItemKey => ({
  pk: stationKey(stationId).pk,
  sk: `CANCEL#${bookingId}`,
});
export const bookingCancelKeys = (c: BookingCancellation) => ({
  ...bookingCancelKey(c.stationId, c.bookingId),
  ...factKeys('booking-cancellation', monthOf(c.cancelledAt), c.cancelledAt, c.bookingId),
});
/** The half hours a team holds at a station in one week (its weekly cap). */
export const teamWeekKey = (stationId: string, week: string, teamId: string): ItemKey => ({
  pk: stationKey(stationId).pk,
  sk: `WEEK#${week}#${teamId}`,
});

// ---------- training and qualifications (shared/db/training.ts) ----------

export const courseKey = (courseId: string): ItemKey => ({ pk: `COURSE#${courseId}`, sk: 'COURSE' });
/** Every course, newest first; or one team's (gsi2). */
export const coursesQuery = (teamId?: string): OnIndex =>
  teamId ? { index: 'gsi2', partition: `TEAM#${teamId}#COURSES` } : { index: 'gsi1', partition: 'COURSES' };
export const courseKeys = (c: Pick<Course, 'courseId' | 'teamId' | 'createdAt'>) => ({
  ...courseKey(c.courseId),
  ...on(coursesQuery(), join(c.createdAt, c.courseId)),
  ...on(coursesQuery(c.teamId), join(c.createdAt, c.courseId)),
});
/** A course's session (an activity of kind `training`): its start and whether it is closed. */
export const courseSessionKey = (courseId: string, activityId: string): ItemKey => ({
  pk: courseKey(courseId).pk,
  sk: `SESSION#${activityId}`,
});
export const courseSessionsQuery = (courseId: string): KeyQuery => ({
  partition: courseKey(courseId).pk,
  beginsWith: 'SESSION#',
});
/** The sessions of a course a member attended (a string set). */
export const courseAttendanceKey = (courseId: string, memberId: string): ItemKey => ({
  pk: courseKey(courseId).pk,
  sk: `ATTENDED#${memberId}`,
});
export const grantKey = (memberId: string, qualification: string): ItemKey => ({
  pk: memberKey(memberId).pk,
  sk: `GRANT#${qualification}`,
});
export const memberGrantsQuery = (memberId: string): KeyQuery => ({
  partition: memberKey(memberId).pk,
  beginsWith: 'GRANT#',
});
/** Grants that expire, by expiry: a community's (gsi1), the district's (gsi2: report and reminders). */
export const communityExpiriesQuery = (communityId: string): OnIndex => ({
  index: 'gsi1',
  partition: `GRANTS#${communityId}`,
});
export const districtExpiriesQuery = (): OnIndex => ({ index: 'gsi2', partition: 'GRANTS-EXPIRING' });
export const grantKeys = (g: Grant) => {
  const base = grantKey(g.memberId, g.qualification);
  if (g.validUntil === undefined) return base;
  const sk = join(g.validUntil, g.memberId, g.qualification);
  return {
    ...base,
    ...(g.communityId ? on(communityExpiriesQuery(g.communityId), sk) : {}),
    ...on(districtExpiriesQuery(), sk),
  };
};
/** A member's training entry of a course (one per course: a retried completion writes it once). */
export const trainingEntryKey = (memberId: string, courseId: string): ItemKey => ({
  pk: memberKey(memberId).pk,
  sk: `TRAINING#${courseId}`,
});
export const memberTrainingQuery = (memberId: string): KeyQuery => ({
  partition: memberKey(memberId).pk,
  beginsWith: 'TRAINING#',
});
export const trainingEntryKeys = (e: TrainingEntry) => ({
  ...trainingEntryKey(e.memberId, e.courseId),
  ...factKeys('training', monthOf(e.completedAt), e.completedAt, e.memberId, e.courseId),
});
/** A member's training hours (apart from service hours). */
export const memberTrainingHoursKey = (memberId: string): ItemKey => ({
  pk: memberKey(memberId).pk,
  sk: 'TRAINING_HOURS',
});

// ---------- notifications (shared/db/notifications.ts) ----------

/** A notice's items share its partition: the outbox entry, its deliveries per channel, a push held for quiet hours. */
export const outboxKey = (dedupeKey: string): ItemKey => ({ pk: `NOTICE#${dedupeKey}`, sk: 'OUTBOX' });
export const deliveryKey = (dedupeKey: string, channel: string): ItemKey => ({
  pk: outboxKey(dedupeKey).pk,
  sk: `SENT#${channel}`,
});
export const heldPushKey = (dedupeKey: string, channel: string): ItemKey => ({
  pk: outboxKey(dedupeKey).pk,
  sk: `HELD#${channel}`,
});
/** Pushes held for the end of quiet hours, by when they may go (sort key `<dueAt>#<dedupeKey>#<channel>`). */
export const heldPushesQuery = (): OnIndex => ({ index: 'gsi1', partition: 'HELD_PUSHES' });
export const heldPushKeys = (dedupeKey: string, channel: string, dueAt: string) => ({
  ...heldPushKey(dedupeKey, channel),
  ...on(heldPushesQuery(), join(dueAt, dedupeKey, channel)),
});
/** A person's inbox: one item per notice (sort key `NOTICE#<noticeId>`), listed newest first on gsi1. */
export const inboxItemKey = (recipientId: string, noticeId: string): ItemKey => ({
  pk: `INBOX#${recipientId}`,
  sk: `NOTICE#${noticeId}`,
});
export const inboxQuery = (recipientId: string): OnIndex => ({ index: 'gsi1', partition: `INBOX#${recipientId}` });
export const inboxItemKeys = (recipientId: string, noticeId: string, createdAt: string) => ({
  ...inboxItemKey(recipientId, noticeId),
  ...on(inboxQuery(recipientId), join(createdAt, noticeId)),
});
/** A person's notification preferences. */
export const preferencesKey = (recipientId: string): ItemKey => ({ pk: `INBOX#${recipientId}`, sk: 'PREFERENCES' });
// ---------- identity (shared/db/identity.ts) ----------

/** A user's roles and scope in the district (the record the identity function projects onto Cognito). */
export const userRolesKey = (sub: string): ItemKey => ({ pk: `USER#${sub}`, sk: 'ROLES' });
/** A user's role audit trail, oldest first (sort key `<at>#<auditId>`): append-only. */
export const userAuditQuery = (sub: string): KeyQuery => ({ partition: `ROLE_AUDIT#${sub}` });
/** The partition prefix of every audit entry (IAM denies updates and deletes under it). */
export const AUDIT_PARTITION_PREFIX = 'ROLE_AUDIT#';
/** The district's audit, a street's, a community's (sort key `<at>#<auditId>`). */
export const districtAuditQuery = (): OnIndex => ({ index: 'gsi1', partition: 'ROLE_AUDIT' });
export const streetAuditQuery = (streetId: string): OnIndex => ({
  index: 'gsi2',
  partition: `ROLE_AUDIT#STREET#${streetId}`,
});
export const communityAuditQuery = (communityId: string): OnIndex => ({
  index: 'gsi3',
  partition: `ROLE_AUDIT#COMMUNITY#${communityId}`,
});
export const auditKey = (e: { readonly target: string; readonly at: string; readonly auditId: string }): ItemKey => ({
  pk: userAuditQuery(e.target).partition,
  sk: join(e.at, e.auditId),
});
export function auditKeys(e: {
  readonly target: string;
  readonly at: string;
  readonly auditId: string;
  readonly scope: { readonly streetId?: string; readonly communityId?: string };
}): Record<string, string> {
  const sk = join(e.at, e.auditId);
  return {
    ...auditKey(e),
    ...on(districtAuditQuery(), sk),
    ...(e.scope.streetId ? on(streetAuditQuery(e.scope.streetId), sk) : {}),
    ...(e.scope.communityId ? on(communityAuditQuery(e.scope.communityId), sk) : {}),
  };
}

// ---------- platform (shared/db/idempotency.ts, health.ts) ----------

export const idempotencyKey = (sub: string, key: string): ItemKey => ({ pk: `IDEMP#${sub}#${key}`, sk: 'IDEMP' });
/** A key nobody writes: reading it proves the table answers. */
export const healthKey = (): ItemKey => ({ pk: 'HEALTH', sk: 'HEALTH' });

// ---------- the city table (shared/db/city.ts) ----------

/** Every district's month (sort key `DISTRICT#<districtId>`). */
export const cityMonthQuery = (month: string): KeyQuery => ({ partition: `MONTH#${month}` });
export const districtMonthKey = (month: string, district: string): ItemKey => ({
  pk: cityMonthQuery(month).partition,
  sk: `DISTRICT#${district}`,
});
/** A city admin's role audit (`npm run city-admin`), in the city table: same shape as a district's. */
export const cityAuditKey = auditKey;
/** The city's year plan (sort key `<YYYY-MM>`). */
export const cityThemesQuery = (year: string | number): KeyQuery => ({ partition: `THEMES#${year}` });
export const cityThemeKey = (month: string): ItemKey => ({
  pk: cityThemesQuery(month.slice(0, 4)).partition,
  sk: month,
});
/** Awarded featured projects of a year, every district's (sort key `<districtId>#<awardId>`). */
export const cityFeaturedQuery = (year: string | number): KeyQuery => ({ partition: `FEATURED#${year}` });
export const cityFeaturedKey = (year: string | number, district: string, awardId: string): ItemKey => ({
  pk: cityFeaturedQuery(year).partition,
  sk: `${district}#${awardId}`,
});

// ---------- exemplary nominations and the reserve-cadre pool (shared/db/nominations.ts) ----------

/** A nomination's partition: the nomination, its audit entries (`AUDIT#`), its objections (`OBJECTION#`). */
export const nominationKey = (nominationId: string): ItemKey => ({
  pk: `NOMINATION#${nominationId}`,
  sk: 'NOMINATION',
});
/** The district's nominations in one status, oldest first (sort key `<nominatedAt>#<nominationId>`). */
export const nominationsQuery = (status: string): OnIndex => ({ index: 'gsi1', partition: `NOMINATIONS#${status}` });
export const nominationKeys = (n: { nominationId: string; status: string; nominatedAt: string }) => ({
  ...nominationKey(n.nominationId),
  ...on(nominationsQuery(n.status), join(n.nominatedAt, n.nominationId)),
});
/** A nomination's audit: append-only entries (sort key `AUDIT#<at>#<auditId>`). */
export const nominationAuditQuery = (nominationId: string): KeyQuery => ({
  partition: nominationKey(nominationId).pk,
  beginsWith: 'AUDIT#',
});
export const nominationAuditKey = (nominationId: string, at: string, auditId: string): ItemKey => ({
  pk: nominationKey(nominationId).pk,
  sk: `AUDIT#${at}#${auditId}`,
});
export const objectionsQuery = (nominationId: string): KeyQuery => ({
  partition: nominationKey(nominationId).pk,
  beginsWith: 'OBJECTION#',
});
export const objectionKey = (nominationId: string, at: string, objectionId: string): ItemKey => ({
  pk: nominationKey(nominationId).pk,
  sk: `OBJECTION#${at}#${objectionId}`,
});
/** A member's entry in the reserve-cadre pool (one per member). */
export const cadreKey = (memberId: string): ItemKey => ({ pk: memberKey(memberId).pk, sk: 'CADRE' });
/** A street's pool (gsi1, sort key `<communityId>#<memberId>`), or the district's (gsi2, `<streetId>#<communityId>#<memberId>`). */
export const cadresQuery = (streetId?: string, communityId?: string): OnIndex =>
  streetId
    ? { index: 'gsi1', partition: `CADRES#${streetId}`, ...(communityId ? { beginsWith: `${communityId}#` } : {}) }
    : { index: 'gsi2', partition: 'CADRES' };
export const cadreKeys = (c: { memberId: string; streetId: string; communityId: string }) => ({
  ...cadreKey(c.memberId),
  ...on(cadresQuery(c.streetId), join(c.communityId, c.memberId)),
  ...on(cadresQuery(), join(c.streetId, c.communityId, c.memberId)),
});

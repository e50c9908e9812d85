import { dayOf, monthOf } from './time.ts';
import type { TrainingEntry } from './training.ts';

/**
 * Record-based evaluation (纪实评价): the points ledger, its rules as data, star levels and the
 * ranking order. Pure: the ledger consumer (shared/services/ledger.ts) and the replay of the
 * property test call the same functions.
 *
 * A **fact** is something confirmed that earns (or loses) points: a confirmed service record, a
 * wish confirmed by its resident (or by the daily job), a rating, a completed training (issue 14
 * posts those), an evaluation by the community. A fact has a kind and an id (its source); each
 * ledger **entry** is keyed by (kind, id, rule, revision), so a fact delivered twice posts once.
 * A corrected or revoked record is a new revision of the same fact: it posts a **reversal** of
 * what the previous revision earned and a new entry for the new one; entries are never rewritten.
 * Entries count in the period (Asia/Shanghai year and month) of the fact's instant; a reversal and
 * its replacement count in the period of the entry they reverse.
 */

// ---------- rules, as data ----------

export const FACT_KINDS = ['service-record', 'wish-confirmed', 'rating', 'training-completed', 'evaluation'] as const;
export type LedgerFactKind = (typeof FACT_KINDS)[number];

/** What a rule counts: hours, the event itself, rating stars. */
export type RuleUnit = 'hour' | 'event' | 'star';

export interface PointRule {
  /** Stable code: `service-hours`, ... (an entry names it, with the version). */
  readonly code: string;
  /** The kind of fact it applies to. */
  readonly fact: LedgerFactKind;
  readonly unit: RuleUnit;
  readonly pointsPerUnit: number;
  /** At most this many points from one fact (undefined: no cap). */
  readonly capPerEvent?: number;
  /** At most this many points a member earns from this rule in one year (undefined: no cap). */
  readonly capPerYear?: number;
  readonly version: number;
  /** First day (Asia/Shanghai, inclusive) a fact of that day is counted by this version. */
  readonly validFrom: string;
  /** Last day (inclusive); absent: still valid. */
  readonly validTo?: string;
  /** Where the figure comes from: a national or local rule, or our own choice (and why). */
  readonly basis: string;
}

/**
 * The default rules. National and local practice fixes none of these figures except that hours
 * count (and only confirmed ones); every number below is our own choice, stated in `basis`.
 * A new version of a rule is a new line with a higher version and its `validFrom` (and the old
 * line's `validTo`): facts are counted by the version valid on their day, and entries keep it.
 */
export const DEFAULT_RULES: readonly PointRule[] = [
  {
    code: 'service-hours',
    fact: 'service-record',
    unit: 'hour',
    pointsPerUnit: 1,
    capPerEvent: 24,
    version: 1,
    validFrom: '2020-01-01',
    basis: 'our choice: 1 point per confirmed hour (a record has at most 24 h, so the cap is that)',
  },
  {
    code: 'wish-confirmed',
    fact: 'wish-confirmed',
    unit: 'event',
    pointsPerUnit: 2,
    capPerYear: 100,
    version: 1,
    validFrom: '2020-01-01',
    basis: 'our choice: 2 points per micro-wish its resident confirmed (or the job auto-confirmed), at most 100 a year',
  },
  {
    code: 'wish-rating',
    fact: 'rating',
    unit: 'star',
    pointsPerUnit: 0.5,
    capPerEvent: 2.5,
    capPerYear: 50,
    version: 1,
    validFrom: '2020-01-01',
    basis: "our choice: half a point per star of the resident's rating (1-5), at most 50 a year",
  },
  {
    code: 'training-hours',
    fact: 'training-completed',
    unit: 'hour',
    pointsPerUnit: 1,
    capPerEvent: 8,
    capPerYear: 40,
    version: 1,
    validFrom: '2020-01-01',
    basis: 'our choice: 1 point per hour of completed training (issue 14 posts them), at most 8 a course, 40 a year',
  },
  {
    code: 'evaluation',
    fact: 'evaluation',
    unit: 'star',
    pointsPerUnit: 1,
    capPerEvent: 3,
    version: 1,
    validFrom: '2020-01-01',
    basis: "our choice: the community's quality rating of a service: excellent 3, good 2, fair 1, poor 0",
  },
];

/** The version of each rule valid on `day` for a kind of fact, one per code. */
export function rulesFor(kind: LedgerFactKind, day: string, rules: readonly PointRule[] = DEFAULT_RULES): PointRule[] {
  const best = new Map<string, PointRule>();
  for (const r of rules) {
    if (r.fact !== kind || day < r.validFrom || (r.validTo !== undefined && day > r.validTo)) continue;
    const b = best.get(r.code);
    if (!b || r.version > b.version) best.set(r.code, r);
  }
  return [...best.values()].sort((a, b) => a.code.localeCompare(b.code));
}

// ---------- facts ----------

/** Where a fact happened: the scopes its points count in (rankings). */
export interface FactPlace {
  readonly streetId: string;
  readonly communityId: string;
  readonly teamId?: string;
}

/**
 * A confirmed fact at one revision. `units` is what the rules multiply: hours for a record or a
 * training, 1 for an event, the stars of a rating. `hours` is what it adds to the member's
 * confirmed service hours (stars): a service record's hours, else 0. Revision 0 is the fact as
 * first confirmed; each later revision (an accepted correction, a revocation: 0 units) replaces it.
 */
export interface LedgerFact {
  readonly kind: LedgerFactKind;
  /** The source's id: a record id, a wish id, an evaluation id, a training completion id. */
  readonly id: string;
  readonly memberId: string;
  /** The fact's instant (UTC ISO): its year and month. */
  readonly at: string;
  readonly revision: number;
  /** When this revision happened (its correction's decision): `reachedAt` of the totals it moves. */
  readonly postedAt: string;
  /** What the revision is (a correction's id, `revoked`...): kept on the entry. */
  readonly revisionRef?: string;
  readonly units: number;
  readonly hours: number;
  readonly place: FactPlace;
}

/** A ledger entry: what one rule gave (or took back) for one revision of one fact. */
export interface LedgerEntry {
  readonly memberId: string;
  readonly kind: LedgerFactKind;
  readonly sourceId: string;
  readonly rule: string;
  readonly ruleVersion: number;
  readonly revision: number;
  /** `grant` for a revision's points, `reversal` for taking back the previous revision's. */
  readonly effect: 'grant' | 'reversal';
  readonly points: number;
  readonly hours: number;
  readonly at: string;
  /** When the revision happened: the month its points count in the statistics. */
  readonly postedAt: string;
  readonly year: string;
  readonly month: string;
  readonly place: FactPlace;
  readonly revisionRef?: string;
}

/** A change of star level, where the member served (the fact that moved it, or their community). */
export interface StarChangeFact {
  readonly memberId: string;
  readonly at: string;
  readonly from: number;
  readonly to: number;
  readonly place: { readonly streetId: string; readonly communityId: string };
}

/** The entry's identity: (kind, source id, rule, revision, grant or reversal). */
export const entryId = (e: Pick<LedgerEntry, 'kind' | 'sourceId' | 'rule' | 'revision' | 'effect'>): string =>
  `${e.kind}#${e.sourceId}#${e.rule}#${String(e.revision).padStart(4, '0')}#${e.effect}`;

export const yearOf = (iso: string): string => monthOf(iso).slice(0, 4);

/** Exact sums of half points (no floating-point drift). */
export const addHalves = (...xs: number[]): number => xs.reduce((a, x) => a + Math.round(x * 2), 0) / 2;

/**
 * The entries a fact's revision posts, given what the source's earlier entries granted per rule
 * (`granted`: rule -> points of its latest grant, reversed or not) and what the member earned this
 * year under each rule so far (`yearByRule`, for the yearly caps). Revision n > 0 reverses the
 * previous grant of each rule and grants anew. Points are clipped by the cap per event, then by
 * what the year's cap leaves.
 */
export function entriesFor(
  fact: LedgerFact,
  previous: ReadonlyMap<string, { points: number; hours: number; ruleVersion: number }>,
  yearByRule: Readonly<Record<string, number>>,
  rules: readonly PointRule[] = DEFAULT_RULES,
): LedgerEntry[] {
  const year = yearOf(fact.at);
  const month = monthOf(fact.at);
  const base = {
    memberId: fact.memberId,
    kind: fact.kind,
    sourceId: fact.id,
    revision: fact.revision,
    at: fact.at,
    postedAt: fact.postedAt,
    year,
    month,
    place: fact.place,
    ...(fact.revisionRef ? { revisionRef: fact.revisionRef } : {}),
  };
  const out: LedgerEntry[] = [];
  for (const rule of rulesFor(fact.kind, dayOf(fact.at), rules)) {
    const prev = previous.get(rule.code);
    let used = yearByRule[rule.code] ?? 0;
    if (prev) {
      out.push({
        ...base,
        rule: rule.code,
        ruleVersion: prev.ruleVersion,
        effect: 'reversal',
        points: -prev.points,
        hours: -prev.hours,
      });
      used = addHalves(used, -prev.points);
    }
    let points = fact.units * rule.pointsPerUnit;
    if (rule.capPerEvent !== undefined) points = Math.min(points, rule.capPerEvent);
    if (rule.capPerYear !== undefined) points = Math.max(0, Math.min(points, addHalves(rule.capPerYear, -used)));
    points = Math.floor(points * 2) / 2;
    out.push({ ...base, rule: rule.code, ruleVersion: rule.version, effect: 'grant', points, hours: fact.hours });
  }
  return out;
}

// ---------- totals ----------

/** A member's totals for one period (a year, a month, or all time). */
export interface PeriodTotals {
  readonly points: number;
  readonly hours: number;
  /** When the points last changed: ties in rankings go to who reached the score first. */
  readonly reachedAt?: string;
}

/** The totals after adding entries at `at`; `reachedAt` moves only when the points move. */
export function addToTotals(t: PeriodTotals | undefined, entries: readonly LedgerEntry[], at: string): PeriodTotals {
  const points = addHalves(t?.points ?? 0, ...entries.map((e) => e.points));
  const hours = addHalves(t?.hours ?? 0, ...entries.map((e) => e.hours));
  // The latest instant the score moved at, whatever order facts arrive in (max, not last).
  const reachedAt =
    points !== (t?.points ?? 0) || !t?.reachedAt ? (t?.reachedAt && t.reachedAt > at ? t.reachedAt : at) : t.reachedAt;
  return { points, hours, reachedAt };
}

// ---------- stars ----------

/** Stars by cumulative confirmed service hours: the common national scale (1-5 stars). */
export const STAR_HOURS = [100, 300, 600, 1000, 1500] as const;

/**
 * The star level for `hours`: 0-4 by the scale; the fifth only when an admin reviewed it (as
 * Sichuan requires) and the hours still reach it. Stars never reset; a revoked or corrected
 * record can lower them.
 */
export function starFor(hours: number, fifthApproved: boolean): number {
  let star = 0;
  for (const h of STAR_HOURS) if (hours >= h) star++;
  return star === 5 && !fifthApproved ? 4 : star;
}

/** The fifth star is due for review: the hours reach it and no admin has approved it. */
export const fifthStarDue = (hours: number, fifthApproved: boolean): boolean =>
  hours >= STAR_HOURS[4] && !fifthApproved;

// ---------- rankings ----------

export const RANK_SCOPES = ['district', 'street', 'community', 'team'] as const;
export type RankScope = (typeof RANK_SCOPES)[number];
export type RankSubject = 'member' | 'team';

/** The scopes a fact's points count in for members (the team only when one organised it). */
export function memberRankScopes(districtId: string, p: FactPlace): { scope: RankScope; id: string }[] {
  return [
    { scope: 'district', id: districtId },
    { scope: 'street', id: p.streetId },
    { scope: 'community', id: p.communityId },
    ...(p.teamId ? [{ scope: 'team' as const, id: p.teamId }] : []),
  ];
}

const POINTS_OFFSET = 1_000_000_000;
const LAST_MS = 9_999_999_999_999;

/**
 * The ranking's sort key: descending order is points, then hours, then who reached the score
 * first (an earlier instant sorts higher), then the id. Points are offset (deductions can make
 * them negative) and doubled (half points), all fixed width so that strings sort as numbers.
 */
export function rankSortKey(t: PeriodTotals, subjectId: string): string {
  const p = String(Math.round(t.points * 2) + POINTS_OFFSET * 2).padStart(11, '0');
  const h = String(Math.round(t.hours * 2)).padStart(9, '0');
  const r = String(LAST_MS - Date.parse(t.reachedAt ?? '1970-01-01T00:00:00.000Z')).padStart(13, '0');
  return `${p}#${h}#${r}#${subjectId}`;
}

/** Compares two totals in ranking order (for tests and replays): negative when `a` ranks first. */
export function compareRank(a: PeriodTotals & { id: string }, b: PeriodTotals & { id: string }): number {
  const ka = rankSortKey(a, a.id);
  const kb = rankSortKey(b, b.id);
  return ka > kb ? -1 : ka < kb ? 1 : 0;
}

/** The periods an entry counts in: its year and its month. */
export const periodsOf = (e: Pick<LedgerEntry, 'year' | 'month'>): string[] => [e.year, e.month];

// ---------- facts from what the table holds ----------

/** The revisions of a service record: as recorded, then one per accepted correction (0 hours: revoked). */
export function recordFacts(r: {
  readonly recordId: string;
  readonly memberId: string;
  readonly hours: number;
  readonly recordedAt: string;
  readonly streetId: string;
  readonly communityId: string;
  readonly teamId?: string;
  readonly history?: readonly {
    readonly kind: string;
    readonly at: string;
    readonly correctionId?: string;
    readonly hoursBefore?: number;
    readonly hoursAfter?: number;
  }[];
}): LedgerFact[] {
  const accepted = (r.history ?? []).filter((h) => h.kind === 'correction-accepted' && h.hoursAfter !== undefined);
  const first = accepted[0]?.hoursBefore ?? r.hours;
  const place = { streetId: r.streetId, communityId: r.communityId, ...(r.teamId ? { teamId: r.teamId } : {}) };
  const base = { kind: 'service-record' as const, id: r.recordId, memberId: r.memberId, at: r.recordedAt, place };
  return [
    { ...base, revision: 0, postedAt: r.recordedAt, units: first, hours: first },
    ...accepted.map((h, i) => ({
      ...base,
      revision: i + 1,
      postedAt: h.at,
      ...(h.correctionId ? { revisionRef: h.correctionId } : {}),
      units: h.hoursAfter!,
      hours: h.hoursAfter!,
    })),
  ];
}

/** A wish confirmed (by its resident, with or without a rating, or by the job) for a member who served it. */
export function wishConfirmedFacts(
  e: {
    readonly wishId: string;
    readonly eventType: string;
    readonly at: string;
    readonly communityId: string;
    readonly rating?: number;
    readonly fact?: { readonly streetId: string };
  },
  claimant: { readonly kind: string; readonly memberId?: string } | undefined,
): LedgerFact[] {
  if (e.eventType !== 'WishConfirmed' || claimant?.kind !== 'member' || !claimant.memberId || !e.fact) return [];
  const base = {
    id: e.wishId,
    memberId: claimant.memberId,
    at: e.at,
    postedAt: e.at,
    revision: 0,
    hours: 0,
    place: { streetId: e.fact.streetId, communityId: e.communityId },
  };
  return [
    { ...base, kind: 'wish-confirmed', units: 1 },
    ...(e.rating !== undefined ? [{ ...base, kind: 'rating' as const, units: e.rating }] : []),
  ];
}

/** The community's quality ratings, and the stars each is worth to the `evaluation` rule. */
export const EVALUATION_RATINGS = ['excellent', 'good', 'fair', 'poor'] as const;
export type EvaluationRating = (typeof EVALUATION_RATINGS)[number];
export const EVALUATION_STARS: Readonly<Record<EvaluationRating, number>> = { excellent: 3, good: 2, fair: 1, poor: 0 };

export function evaluationFacts(v: {
  readonly evaluationId: string;
  readonly memberId: string;
  readonly rating: EvaluationRating;
  readonly enteredAt: string;
  readonly streetId: string;
  readonly communityId: string;
}): LedgerFact[] {
  return [
    {
      kind: 'evaluation',
      id: v.evaluationId,
      memberId: v.memberId,
      at: v.enteredAt,
      postedAt: v.enteredAt,
      revision: 0,
      units: EVALUATION_STARS[v.rating],
      hours: 0,
      place: { streetId: v.streetId, communityId: v.communityId },
    },
  ];
}

/**
 * A completed training: the training entry a course's completion writes (shared/db/training.ts,
 * item type `training-entry`, the record's training part); the ledger consumer turns it into a
 * `training-completed` fact, which the `training-hours` rule counts. Its hours are training hours,
 * not service hours: they earn points but no stars.
 */
export type TrainingCompletion = Pick<
  TrainingEntry,
  'entryId' | 'memberId' | 'studyHours' | 'completedAt' | 'streetId' | 'communityId'
>;

export function trainingFacts(t: TrainingCompletion): LedgerFact[] {
  return [
    {
      kind: 'training-completed',
      id: t.entryId,
      memberId: t.memberId,
      at: t.completedAt,
      postedAt: t.completedAt,
      revision: 0,
      units: t.studyHours,
      hours: 0,
      place: { streetId: t.streetId, communityId: t.communityId },
    },
  ];
}

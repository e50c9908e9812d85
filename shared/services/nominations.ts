import { env } from '../config/env.ts';
import type { Page } from '../db/cursor.ts';
import { committing } from '../db/idempotency.ts';
import * as store from '../db/nominations.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { maskName } from '../domain/masking.ts';
import type { AwardLevel } from '../domain/member-record.ts';
import {
  exemplaryAward,
  noticeEnded,
  noticeRunning,
  noticeWindow,
  samePerson,
  yearlyReviewDate,
  type AuditAction,
  type Nomination,
  type NominationAudit,
  type NominationStatus,
  type NominatorRole,
  type Objection,
  type ReserveCadre,
} from '../domain/nominations.ts';
import { notice } from '../domain/notices.ts';
import { EVALUATION_RATINGS, type EvaluationRating } from '../domain/points.ts';
import { hasRole, type Caller } from '../domain/policy.ts';
import { dayOf } from '../domain/time.ts';

/**
 * Exemplary nominations (先进典型) and the reserve-cadre pool (后备干部): see
 * shared/domain/nominations.ts for the rules. Out of the caller's scope, a nomination, a member or
 * a pool entry is not found (404), as elsewhere.
 */

const me = (caller: Caller) => [caller.memberId, caller.sub];

function auditOf(
  nominationId: string,
  action: AuditAction,
  caller: Caller,
  at: string,
  note?: string,
): NominationAudit {
  return { auditId: newId('na'), nominationId, at, action, actor: caller.memberId, ...(note ? { note } : {}) };
}

export interface NominateInput {
  readonly memberId: string;
  readonly title: string;
  readonly reason: string;
  readonly level: AwardLevel;
}

/** A community admin, street admin or team leader nominates a member of their scope, with the evidence as it stands. */
export async function nominate(caller: Caller, input: NominateInput): Promise<Nomination> {
  if (me(caller).includes(input.memberId)) throw new DomainError('SAME_PERSON', 'nobody nominates themselves');
  const at = nowIso();
  const year = dayOf(at).slice(0, 4);
  const leads = hasRole(caller, 'team_leader') ? caller.teamId : undefined;
  const src = await store.evidenceSources(input.memberId, year, leads);
  const m = src.profile;
  if (!m?.communityId || !m.streetId) throw notFound('member');
  const role: NominatorRole | undefined =
    hasRole(caller, 'community_admin') && caller.communityId === m.communityId
      ? 'community_admin'
      : hasRole(caller, 'street_admin') && caller.streetId === m.streetId
        ? 'street_admin'
        : src.teamMember?.status === 'active'
          ? 'team_leader'
          : undefined;
  if (!role) throw notFound('member');
  const ratings = Object.fromEntries(EVALUATION_RATINGS.map((r) => [r, 0])) as Record<EvaluationRating, number>;
  for (const e of src.evaluations) if (e.rating in ratings) ratings[e.rating as EvaluationRating]++;
  const n: Nomination = {
    nominationId: newId('nm'),
    memberId: input.memberId,
    memberName: m.name,
    communityId: m.communityId,
    streetId: m.streetId,
    title: input.title,
    level: input.level,
    reason: input.reason,
    evidence: {
      year,
      confirmedHours: src.hours,
      points: src.points,
      yearPoints: src.yearPoints,
      star: src.star,
      ratings: { count: src.evaluations.length, ...ratings },
      noShows: src.noShows,
      takenAt: at,
    },
    nominatedBy: caller.memberId,
    nominatorRole: role,
    nominatedAt: at,
    status: 'under-review',
    objections: 0,
  };
  return committing(n, () => store.createNomination(n, auditOf(n.nominationId, 'nominated', caller, at)));
}

export async function listNominations(
  status: NominationStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Nomination>> {
  return store.listNominations(status, limit, cursor);
}

export interface NominationFile {
  readonly nomination: Nomination;
  readonly audit: NominationAudit[];
  readonly objections: (Omit<Objection, 'by'> & { by?: string })[];
}

/** A nomination, its audit trail and its objections: district admins, admins of the nominee's street or community, the nominator. */
export async function nominationFile(caller: Caller, nominationId: string): Promise<NominationFile> {
  const f = await store.nominationFile(nominationId);
  const n = f.nomination;
  const district = hasRole(caller, 'district_admin');
  const sees =
    n &&
    (district ||
      (hasRole(caller, 'street_admin') && caller.streetId === n.streetId) ||
      (hasRole(caller, 'community_admin') && caller.communityId === n.communityId) ||
      caller.memberId === n.nominatedBy);
  if (!n || !sees) throw notFound('nomination');
  return {
    nomination: n,
    audit: f.audit,
    // Who objected is for the district's reviewers only.
    objections: f.objections.map(({ by, ...o }) => (district ? { ...o, by } : o)),
  };
}

async function current(nominationId: string): Promise<Nomination> {
  const n = await store.getNomination(nominationId);
  if (!n) throw notFound('nomination');
  return n;
}

/** A district admin (neither nominee nor nominator) opens the public notice: today and 5 working days after. */
export async function openNotice(caller: Caller, nominationId: string): Promise<Nomination> {
  const n = await current(nominationId);
  if (samePerson(n, me(caller)))
    throw new DomainError('SAME_PERSON', 'the reviewer is neither the nominee nor the nominator');
  if (n.status !== 'under-review')
    throw new DomainError('NOMINATION_NOT_UNDER_REVIEW', `the nomination is ${n.status}`);
  const at = nowIso();
  const set = { reviewerId: caller.memberId, ...noticeWindow(at) };
  const moved = await store.openNotice(n, set, auditOf(n.nominationId, 'notice-opened', caller, at));
  if (!moved) throw new DomainError('NOMINATION_NOT_UNDER_REVIEW', 'the nomination changed meanwhile');
  return { ...n, ...set, status: 'on-notice' };
}

export interface NoticeEntry {
  readonly nominationId: string;
  readonly name: string;
  readonly communityId: string;
  readonly streetId: string;
  readonly title: string;
  readonly reason: string;
  readonly evidence: Pick<Nomination['evidence'], 'confirmedHours' | 'star'>;
  readonly noticeFrom: string;
  readonly noticeUntil: string;
}

/** The public notice (公示): every nomination whose notice runs today, the nominee's name masked. */
export async function publicNotice(): Promise<{ items: NoticeEntry[] }> {
  const at = nowIso();
  const items = (await store.onNotice())
    .filter((n) => noticeRunning(n, at))
    .map((n) => ({
      nominationId: n.nominationId,
      name: maskName(n.memberName),
      communityId: n.communityId,
      streetId: n.streetId,
      title: n.title,
      reason: n.reason,
      evidence: { confirmedHours: n.evidence.confirmedHours, star: n.evidence.star },
      noticeFrom: n.noticeFrom!,
      noticeUntil: n.noticeUntil!,
    }));
  return { items };
}

/** Anyone signed in objects during the notice; the objection goes to the reviewer's inbox. */
export async function objectTo(caller: Caller, nominationId: string, text: string): Promise<Omit<Objection, 'by'>> {
  const n = await current(nominationId);
  const at = nowIso();
  if (n.status !== 'on-notice') throw new DomainError('NOMINATION_NOT_ON_NOTICE', `the nomination is ${n.status}`);
  if (!noticeRunning(n, at)) throw new DomainError('NOTICE_OVER', `the notice ended on ${n.noticeUntil}`);
  const o: Objection = { objectionId: newId('ob'), nominationId, at, by: caller.memberId, text };
  const note = notice(
    'nomination-objection',
    { kind: 'member', id: n.reviewerId! },
    { nominationId, objectionId: o.objectionId, title: n.title, noticeUntil: n.noticeUntil! },
    at,
  );
  const { by: _by, ...answer } = o;
  const done = await committing(answer, () =>
    store.object(o, auditOf(nominationId, 'objected', caller, at), note, dayOf(at)),
  );
  if (!done) throw new DomainError('NOTICE_OVER', 'the notice ended or the nomination changed meanwhile');
  return answer;
}

/** After the notice's last day a district admin, neither nominee nor nominator, approves (an award in the record) or rejects. */
export async function decide(
  caller: Caller,
  nominationId: string,
  input: { approve: boolean; note: string },
): Promise<Nomination> {
  const n = await current(nominationId);
  if (samePerson(n, me(caller)))
    throw new DomainError('SAME_PERSON', 'the approver is neither the nominee nor the nominator');
  const at = nowIso();
  if (n.status !== 'on-notice') throw new DomainError('NOMINATION_NOT_ON_NOTICE', `the nomination is ${n.status}`);
  if (!noticeEnded(n, at))
    throw new DomainError('NOTICE_NOT_ENDED', `the notice runs until ${n.noticeUntil} (working days)`);
  const award = input.approve ? exemplaryAward(n, caller.memberId, at, env().districtId) : undefined;
  const set = {
    decidedBy: caller.memberId,
    decidedAt: at,
    decisionNote: input.note,
    ...(award ? { awardId: award.awardId } : {}),
  };
  const action = input.approve ? 'approved' : 'rejected';
  const moved = await store.decide(
    n,
    input.approve,
    set,
    auditOf(nominationId, action, caller, at, input.note),
    award,
    dayOf(at),
  );
  if (!moved) throw new DomainError('NOMINATION_NOT_ON_NOTICE', 'the nomination was decided meanwhile');
  return { ...n, ...set, status: action };
}

// ---------- the reserve-cadre pool: street and district admins only ----------

const inScope = (caller: Caller, streetId: string) =>
  hasRole(caller, 'district_admin') || (hasRole(caller, 'street_admin') && caller.streetId === streetId);

/** Admission from an approved nomination, in the nominee's community, with its basis and yearly review date. */
export async function admit(caller: Caller, input: { nominationId: string; basis: string }): Promise<ReserveCadre> {
  const n = await store.getNomination(input.nominationId);
  if (!n || !inScope(caller, n.streetId)) throw notFound('nomination');
  if (n.status !== 'approved') throw new DomainError('NOMINATION_NOT_APPROVED', `the nomination is ${n.status}`);
  const at = nowIso();
  const c: ReserveCadre = {
    memberId: n.memberId,
    memberName: n.memberName,
    communityId: n.communityId,
    streetId: n.streetId,
    nominationId: n.nominationId,
    title: n.title,
    basis: input.basis,
    admittedAt: at,
    admittedBy: caller.memberId,
    reviewDueOn: yearlyReviewDate(dayOf(at)),
    status: 'active',
  };
  await store.admit(c, auditOf(n.nominationId, 'admitted', caller, at, input.basis));
  return c;
}

export async function exitPool(caller: Caller, memberId: string, reason: string): Promise<ReserveCadre> {
  const c = await store.getCadre(memberId);
  if (!c || !inScope(caller, c.streetId)) throw notFound('reserve cadre');
  if (c.status !== 'active') throw new DomainError('NOT_IN_POOL', 'the member left the pool already');
  const at = nowIso();
  const set = { exitedAt: at, exitedBy: caller.memberId, exitReason: reason };
  await store.exit(c, set, auditOf(c.nominationId, 'exited', caller, at, reason));
  return { ...c, ...set, status: 'exited' };
}

/** The pool: a street admin sees their street's (or one of its communities'); a district admin any street's or all. */
export async function listPool(
  caller: Caller,
  q: { streetId?: string; communityId?: string; limit: number; cursor?: string },
): Promise<Page<ReserveCadre>> {
  const district = hasRole(caller, 'district_admin');
  const streetId = q.streetId ?? (district ? undefined : caller.streetId);
  if (!district && (streetId === undefined || streetId !== caller.streetId))
    throw new DomainError('FORBIDDEN', "a street admin sees their own street's pool");
  if (q.communityId && !streetId)
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', {
      errors: [{ field: 'query.communityId', message: 'give the streetId of the community too' }],
    });
  return store.listCadres(streetId, q.communityId, q.limit, q.cursor);
}

import { liveCounters } from '../support/counters.ts';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import { codeOf, who } from '../support/callers.ts';
import * as activities from '../../shared/services/activities.ts';
import * as members from '../../shared/services/members.ts';
import * as records from '../../shared/services/records.ts';
import * as wishes from '../../shared/services/wishes.ts';
import { verifyCounters } from '../../shared/services/verify.ts';
import { getWish } from '../../shared/db/wishes.ts';
import type { Scope } from '../../shared/domain/counters.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { teamItem, teamMemberItem } from '../../shared/db/teams.ts';
import { putNew } from '../../shared/db/writes.ts';
import { freezeClock, nowIso, nowMs, resetClock } from '../../shared/domain/clock.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Team } from '../../shared/domain/team.ts';
import { monthOf } from '../../shared/domain/time.ts';
import { attendanceOpen, hasEnded, signupOpen, type Activity } from '../../shared/domain/activity.ts';
import type { Wish, WishState } from '../../shared/domain/wish.ts';

/**
 * The counters' invariant, as a property: any sequence of sign-ups, cancellations, check-ins and
 * check-outs, closes, check-in approvals, wish posts, reviews, claims, take-ons, releases,
 * completions, confirmations (by the resident and by the daily job) and record corrections, run
 * through the real services on a fresh table, leaves the live counters equal to what
 * verify-counters rebuilds from the raw records, in every month touched (zero differences).
 * The clock is frozen and moved by the commands (minutes, or days with the daily wish job); it
 * starts at 20:00 on the last day of June (Asia/Shanghai), so facts fall on both sides of a
 * month boundary.
 */
const T0 = '2025-06-30T12:00:00.000Z'; // 20:00 on June 30 in Asia/Shanghai
const minutes = (n: number) => n * 60_000;
const at = (offsetMinutes: number) => new Date(Date.parse(T0) + minutes(offsetMinutes)).toISOString();
const district = who('district_admin');

/** Every command carries the same fields; each uses those it needs. Targets are indexes (modulo what exists). */
interface Op {
  readonly k: Kind;
  readonly i: number;
  readonly j: number;
  readonly hours: number;
  readonly rating: number;
  readonly flag: boolean;
  readonly minutes: number;
}
type Kind = (typeof KINDS)[number][0];

/**
 * `activityStep` and `wishStep` take the next step an activity or a wish allows (so flows run
 * deep: sign-up, attendance, close; post, review, claim, complete, confirm); the single commands
 * aim at a fitting target most of the time and at any target otherwise, so refusals (a closed
 * sign-up, a wish in the wrong state...) happen too, and a refusal must write nothing.
 */
const KINDS = [
  ['tick', 12],
  ['leap', 2],
  ['activityStep', 14],
  ['wishStep', 8],
  ['signUp', 2],
  ['cancel', 2],
  ['attend', 2],
  ['close', 1],
  ['checkIn', 3],
  ['post', 3],
  ['review', 1],
  ['claim', 1],
  ['release', 1],
  ['takeOn', 1],
  ['withdraw', 1],
  ['complete', 1],
  ['confirm', 1],
  ['wishJob', 1],
  ['correct', 2],
] as const;

const opArb: fc.Arbitrary<Op> = fc.record({
  k: fc.oneof(...KINDS.map(([k, weight]) => ({ arbitrary: fc.constant(k as Kind), weight }))),
  i: fc.nat({ max: 11 }),
  j: fc.nat({ max: 11 }),
  hours: fc.integer({ min: 0, max: 8 }).map((n) => n / 2),
  rating: fc.integer({ min: 1, max: 5 }),
  flag: fc.nat({ max: 3 }).map((n) => n > 0),
  minutes: fc.integer({ min: 5, max: 30 }),
});

/**
 * A hand-written sequence (its own test, every command must succeed) that certainly produces every
 * kind of fact, on both sides of midnight at the end of June: check-ins with and
 * without a grid; wishes posted, published, claimed, completed by a member (a record), confirmed
 * with a rating, escalated by the job, taken on and completed by a team, released, auto-confirmed;
 * sign-ups with a waitlist and a promotion, attendance, closes with and without attendees;
 * corrections accepted in June and in July.
 */
const o = (k: Kind, f: Partial<Op> = {}): Op => ({ k, i: 0, j: 0, hours: 2, rating: 4, flag: true, minutes: 30, ...f });
const EXAMPLE: Op[] = [
  o('checkIn', { j: 0, i: 0 }),
  o('checkIn', { j: 1, i: 2 }),
  o('post', { i: 0, j: 0 }),
  o('post', { i: 2, j: 1 }),
  o('post', { i: 1, j: 0 }),
  o('review'),
  o('review'),
  o('review'),
  o('claim', { j: 0 }),
  o('complete', { hours: 1.5 }),
  o('confirm', { rating: 5 }),
  o('signUp', { j: 0 }),
  o('signUp', { j: 1 }),
  o('signUp', { j: 2 }),
  o('cancel', { j: 1 }),
  o('tick', { minutes: 75 }),
  o('attend', { j: 0 }),
  o('attend', { j: 1 }),
  o('tick', { minutes: 75 }),
  o('attend', { j: 0 }),
  o('attend', { j: 1 }),
  o('close', { minutes: 12 }),
  o('correct', { j: 0, hours: 2 }),
  o('tick', { minutes: 75 }),
  o('tick', { minutes: 60 }),
  o('correct', { j: 1, hours: 0.5 }),
  o('leap', { flag: true }),
  o('takeOn'),
  o('complete'),
  o('claim', { j: 1 }),
  o('release'),
  o('leap', { flag: false }),
  o('checkIn', { j: 1, i: 1 }),
  o('close', { minutes: 0 }),
];

/** Outcomes of the random runs' commands ('claim', 'claim:NOT_FOUND'...), to check they do something. */
const succeeded = new Map<string, number>();
let runs = 0;
let factsRead = 0;

/** Activity times, minutes after T0: the hand-written sequence's, and tighter ones for the random runs. */
const EXAMPLE_SLOTS = [
  [90, 150],
  [150, 270],
  [210, 300],
] as const;
const RANDOM_SLOTS = [
  [30, 90],
  [45, 120],
  [60, 150],
] as const;

async function world(slots: readonly (readonly [number, number])[] = RANDOM_SLOTS) {
  await useFreshTable();
  freezeClock(T0);
  const street = await members.createStreet(district, { name: '春熙路街道' });
  const community = await members.createCommunity(district, {
    name: '红星社区',
    streetId: street.streetId,
    kind: 'urban',
  });
  const grids = [
    await members.createGrid(district, community.communityId, { name: '一网格' }),
    await members.createGrid(district, community.communityId, { name: '二网格' }),
  ];
  const admin = who('community_admin', { sub: 'admin-1', communityId: community.communityId });
  const team: Team = {
    teamId: 'tm-prop',
    name: '红星志愿服务队',
    category: 'health',
    scope: 'community',
    streetId: street.streetId,
    communityId: community.communityId,
    leaderMemberId: 'lead-1',
    leaderName: '队长',
    status: 'active',
    memberCount: 1,
    createdAt: T0,
  };
  await putNew(teamItem(team));
  // The leader on the roster: a team's completion names who served, from the roster.
  await putNew(
    teamMemberItem({
      teamId: team.teamId,
      memberId: team.leaderMemberId,
      memberName: team.leaderName,
      role: 'leader',
      status: 'active',
      requestedAt: T0,
    }),
  );
  const leader: Caller = who('team_leader', { memberId: team.leaderMemberId, teamId: team.teamId });
  const crew = ['m-1', 'm-2', 'm-3', 'm-4'].map((memberId) => who('member', { memberId }));
  for (const m of crew)
    await members.createMember(m, { name: `成员${m.memberId}`, phone: '13912345678', skills: [], categories: [] });
  const residents = [who('resident', { sub: 'res-1' }), who('resident', { sub: 'res-2' })];
  // Capacity 2 for 4 members: sign-ups wait, cancellations promote. A ends after midnight (July).
  const acts = [];
  for (const [start, end] of slots)
    acts.push(
      await activities.publish(leader, {
        title: '义诊',
        content: '量血压',
        category: 'health',
        communityId: community.communityId,
        startsAt: at(start),
        endsAt: at(end),
        capacity: 2,
      }),
    );
  return { community, grids, admin, leader, crew, residents, acts, wishIds: [] as string[] };
}
type World = Awaited<ReturnType<typeof world>>;

const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);

/** Mostly a target the command applies to (if any), sometimes any target (refusals too). */
function aim<T>(all: readonly T[], fits: (x: T) => boolean, i: number): T | undefined {
  const fitting = all.filter(fits);
  return i % 4 !== 3 && fitting.length > 0 ? pick(fitting, i) : pick(all, i);
}

async function aimWish(w: World, states: readonly WishState[], i: number): Promise<Wish | undefined> {
  const all = (await Promise.all(w.wishIds.map((id) => getWish(id, true)))).filter((x): x is Wish => x !== undefined);
  return aim(all, (x) => states.includes(x.status), i);
}

async function aimActivity(w: World, fits: (a: Activity) => boolean, i: number): Promise<Activity> {
  const all = await Promise.all(w.acts.map((a) => activities.getActivity(a.activityId)));
  return aim(all, fits, i)!;
}

const claimantOf = (w: World, wish: Wish): Caller | undefined =>
  wish.claimant?.kind === 'team'
    ? w.leader
    : wish.claimant?.kind === 'member'
      ? w.crew.find((m) => m.memberId === (wish.claimant as { memberId: string }).memberId)
      : undefined;

const failed = (e: unknown) => codeOf(Promise.reject(e));

/** Runs a command; returns the command that ran in the end (the steps pick one) and its outcome. */
async function run(w: World, op: Op): Promise<[Kind, string]> {
  const outcome = await exec(w, op);
  return Array.isArray(outcome) ? outcome : [op.k, outcome];
}

async function exec(w: World, op: Op): Promise<string | [Kind, string]> {
  const t = nowMs();
  const member = w.crew[op.j % w.crew.length]!;
  switch (op.k) {
    case 'tick':
      freezeClock(new Date(t + minutes(op.minutes)).toISOString());
      return 'ok';
    case 'leap': {
      // Days pass, and with them the daily wish job (escalations after 7 days, auto-confirmations after 14).
      freezeClock(new Date(t + (op.flag ? 8 : 15) * 24 * 60 * minutes(1)).toISOString());
      await wishes.runWishJob();
      return 'ok';
    }
    case 'activityStep': {
      const a = pick(await Promise.all(w.acts.map((x) => activities.getActivity(x.activityId))), op.i)!;
      if (signupOpen(a, t)) return run(w, { ...op, k: op.flag ? 'signUp' : 'cancel' });
      if (a.status === 'open' && attendanceOpen(a, t)) return run(w, { ...op, k: 'attend' });
      if (a.status !== 'closed' && hasEnded(a, t)) return run(w, { ...op, k: 'close' });
      return 'NOTHING_TO_DO';
    }
    case 'wishStep': {
      const all = (await Promise.all(w.wishIds.map((id) => getWish(id, true)))).filter(
        (x): x is Wish => x !== undefined,
      );
      const wish = pick(all, op.i);
      if (!wish) return run(w, { ...op, k: 'post' });
      const next: Record<WishState, readonly Kind[]> = {
        pending_review: ['review', 'review', 'review', 'withdraw'],
        published: ['claim', 'claim', 'claim', 'withdraw'],
        escalated: ['takeOn', 'takeOn', 'claim', 'withdraw'],
        claimed: ['complete', 'complete', 'complete', 'release'],
        taken_on: ['complete', 'complete', 'complete', 'release'],
        completed: ['confirm'],
        confirmed: ['post'],
        rejected: ['post'],
        withdrawn: ['post'],
      };
      return run(w, {
        ...op,
        k: pick(next[wish.status], op.j)!,
        i: all.indexOf(wish),
        flag: op.flag || op.j % 2 === 0,
      });
    }
    case 'signUp':
      return codeOf(activities.signUp(member, (await aimActivity(w, (x) => signupOpen(x, t), op.i)).activityId));
    case 'cancel': {
      const a = await aimActivity(w, (x) => signupOpen(x, t) && x.confirmedCount + x.waitlistedCount > 0, op.i);
      const signedUp = (await activities.listSignups(w.leader, a.activityId, 100, undefined)).items;
      const m = aim(w.crew, (c) => signedUp.some((x) => x.memberId === c.memberId), op.j)!;
      return codeOf(activities.cancel(m, a.activityId));
    }
    case 'attend': {
      const a = await aimActivity(w, (x) => x.status === 'open' && attendanceOpen(x, t) && x.confirmedCount > 0, op.i);
      const confirmed = (await activities.listSignups(w.leader, a.activityId, 100, undefined)).items.filter(
        (x) => x.status === 'confirmed',
      );
      const member = aim(w.crew, (m) => confirmed.some((x) => x.memberId === m.memberId), op.j)!;
      const code = await activities.issueAttendanceCode(w.leader, a.activityId).catch((e: unknown) => e);
      if (code instanceof Error) return failed(code);
      const { code: digits } = code as { code: string };
      const first = await codeOf(activities.attend(member, a.activityId, 'in', digits));
      return first === 'ALREADY_CHECKED_IN' ? codeOf(activities.attend(member, a.activityId, 'out', digits)) : first;
    }
    case 'close': {
      const a = await aimActivity(w, (x) => x.status !== 'closed' && hasEnded(x, t), op.i);
      return codeOf(activities.close(w.leader, a.activityId, { peopleServed: op.minutes % 40, summary: '完成' }));
    }
    case 'checkIn': {
      const grid = op.i % 3 < 2 ? { gridId: w.grids[op.i % 3]!.gridId } : {};
      const asked = await members
        .requestCheckIn(member, { communityId: w.community.communityId, ...grid })
        .catch((e: unknown) => e);
      if (asked instanceof Error) return failed(asked);
      const { checkInId } = asked as { checkInId: string };
      return op.flag
        ? codeOf(members.approveCheckIn(w.admin, checkInId))
        : codeOf(members.rejectCheckIn(w.admin, checkInId, '不在本社区'));
    }
    case 'post': {
      const grid = op.i % 3 < 2 ? { gridId: w.grids[op.i % 3]!.gridId } : {};
      const posted = await wishes.postWish(w.residents[op.j % 2]!, {
        title: '帮忙买菜',
        description: '腿脚不便',
        category: 'elderly-care',
        skillsWanted: [],
        communityId: w.community.communityId,
        ...grid,
        contactName: '赵大妈',
        contactPhone: '13800001111',
      });
      w.wishIds.push(posted.wishId);
      return 'ok';
    }
    case 'review': {
      const wish = await aimWish(w, ['pending_review'], op.i);
      if (!wish) return 'NO_WISH';
      return codeOf(
        wishes.review(w.admin, wish.wishId, op.flag ? { decision: 'publish' } : { decision: 'reject', reason: '重复' }),
      );
    }
    case 'claim': {
      const wish = await aimWish(w, ['published', 'escalated'], op.i);
      return wish ? codeOf(wishes.claim(member, wish.wishId)) : 'NO_WISH';
    }
    case 'takeOn': {
      const wish = await aimWish(w, ['escalated'], op.i);
      return wish ? codeOf(wishes.takeOn(w.leader, wish.wishId)) : 'NO_WISH';
    }
    case 'release':
    case 'complete': {
      const wish = await aimWish(w, ['claimed', 'taken_on'], op.i);
      const claimant = wish && claimantOf(w, wish);
      if (!wish || !claimant) return 'NOT_CLAIMED';
      const hours = Math.max(op.hours, 0.5);
      return codeOf(
        op.k === 'release'
          ? wishes.release(claimant, wish.wishId)
          : wishes.complete(claimant, wish.wishId, {
              note: '买好了',
              hours,
              // A team names who served: its leader (each named member gets a record, counted).
              ...(wish.claimant?.kind === 'team' ? { served: [{ memberId: claimant.memberId, hours }] } : {}),
            }),
      );
    }
    case 'withdraw':
    case 'confirm': {
      const wish = await aimWish(
        w,
        op.k === 'confirm' ? ['completed'] : ['pending_review', 'published', 'escalated'],
        op.i,
      );
      if (!wish) return 'NO_WISH';
      const poster = w.residents.find((r) => r.sub === wish.residentSub)!;
      return codeOf(
        op.k === 'withdraw'
          ? wishes.withdraw(poster, wish.wishId)
          : wishes.confirm(poster, wish.wishId, { rating: op.rating }),
      );
    }
    case 'wishJob': {
      const out = await wishes.runWishJob();
      return out.escalated + out.autoConfirmed > 0 ? 'ok' : 'NOTHING_DUE';
    }
    case 'correct': {
      const withRecords: Caller[] = [];
      for (const m of w.crew) if ((await records.listMyRecords(m, 1, undefined)).items.length > 0) withRecords.push(m);
      const m = aim(w.crew, (x) => withRecords.includes(x), op.j)!;
      const r = pick((await records.listMyRecords(m, 10, undefined)).items, op.i);
      if (!r) return 'NO_RECORD';
      const asked = await records
        .requestCorrection(m, r.recordId, { requestedHours: op.hours, reason: '时长有误' })
        .catch((e: unknown) => e);
      if (asked instanceof Error) return failed(asked);
      const { correctionId } = asked as { correctionId: string };
      // An activity's record is decided by its team's leader; a wish's (no team) by an admin of its community.
      const decider = r.teamId ? w.leader : w.admin;
      return op.flag
        ? codeOf(records.acceptCorrection(decider, r.recordId, correctionId, { hours: op.hours }))
        : codeOf(records.rejectCorrection(decider, r.recordId, correctionId, { reason: '不符' }));
    }
  }
}

/** Every month from T0's to the clock's, Asia/Shanghai. */
function monthsTouched(): string[] {
  const out = [monthOf(T0)];
  for (let t = Date.parse(T0); monthOf(new Date(t)) !== monthOf(nowIso()); t += 24 * 3600_000)
    if (!out.includes(monthOf(new Date(t)))) out.push(monthOf(new Date(t)));
  if (!out.includes(monthOf(nowIso()))) out.push(monthOf(nowIso()));
  return out;
}

afterAll(() => resetClock());

describe('counters property', () => {
  it('a hand-written sequence through every kind of fact, across midnight at the end of June', async () => {
    const w = await world(EXAMPLE_SLOTS);
    const outcomes: string[] = [];
    for (const op of EXAMPLE) outcomes.push((await run(w, op)).join(':'));
    expect(outcomes).toEqual(EXAMPLE.map((op) => `${op.k}:ok`));
    const live = (scope: Scope, id: string, month: string) => liveCounters(scope, id, month);
    expect(await live('district', LOCAL_DISTRICT_ID, '2025-06')).toMatchObject({
      checkIns: 2,
      wishesPosted: 3,
      wishesPublished: 3,
      wishesClaimed: 1,
      wishesCompleted: 1,
      wishesConfirmed: 1,
      ratingSum: 5,
      ratingCount: 1,
      activities: 1,
      volunteerTimes: 3,
    });
    expect(await live('team', 'tm-prop', '2025-07')).toMatchObject({
      wishesTakenOn: 1,
      wishesCompleted: 1,
      wishesConfirmed: 1,
      activities: 1,
    });
    expect(await live('grid', w.grids[1]!.gridId, '2025-07')).toMatchObject({ checkIns: 1 });
    for (const month of ['2025-06', '2025-07']) {
      const out = await verifyCounters({ month, pageSize: 2 });
      expect(out.differences, month).toEqual([]);
      expect(out.scopes).toBeGreaterThanOrEqual(5);
      expect(out.itemsRead).toBeGreaterThan(5);
    }
  }, 90_000); // 27 s alone on this 2-core machine; more beside the other files

  it('any sequence of commands leaves the live counters equal to what verify-counters rebuilds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 10, maxLength: 45 }),
        fc.integer({ min: 1, max: 4 }),
        async (ops, pageSize) => {
          runs++;
          const w = await world();
          for (const op of ops) {
            const [k, outcome] = await run(w, op);
            const key = outcome === 'ok' ? k : `${k}:${outcome}`;
            succeeded.set(key, (succeeded.get(key) ?? 0) + 1);
          }
          for (const month of monthsTouched()) {
            const out = await verifyCounters({ month, pageSize });
            factsRead += out.itemsRead;
            expect(out.differences, `month ${month}`).toEqual([]);
          }
        },
      ),
      { numRuns: 20 },
    );
    expect(runs).toBeGreaterThanOrEqual(20);
    expect(factsRead).toBeGreaterThan(0);
    // The random sequences changed things (not only refused commands); the hand-written one
    // above reaches every kind of fact for certain.
    for (const k of ['signUp', 'close', 'checkIn', 'post', 'review', 'claim'])
      expect(succeeded.get(k) ?? 0, `successful ${k} commands`).toBeGreaterThan(0);
    // verify reads one Query per kind of fact and month (eight kinds since training and stations);
    // a team's completion writes a record per member who served. 35 s alone on this 2-core machine.
  }, 150_000);
});

import { liveCounters } from '../support/counters.ts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import * as svc from '../../shared/services/wishes.ts';
import * as membersSvc from '../../shared/services/members.ts';
import * as teamsSvc from '../../shared/services/teams.ts';
import * as store from '../../shared/db/wishes.ts';
import { db } from '../../shared/db/client.ts';
import { getItem } from '../../shared/db/table.ts';
import { putNew } from '../../shared/db/writes.ts';
import { getMemberHours, getRecord } from '../../shared/db/records.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import { monthOf } from '../../shared/domain/time.ts';
import { communityUnit, type Wish } from '../../shared/domain/wish.ts';
import { codeOf, who } from '../support/callers.ts';

/** The micro-wishes services and repositories against DynamoDB Local (no mocks). */
const district = who('district_admin');

let n = 0;
async function place() {
  const street = await membersSvc.createStreet(district, { name: `街道${++n}` });
  const community = await membersSvc.createCommunity(district, {
    name: `社区${n}`,
    streetId: street.streetId,
    kind: 'urban',
  });
  const grid = await membersSvc.createGrid(district, community.communityId, { name: '一网格' });
  const admin = who('community_admin', { sub: `admin-${n}`, communityId: community.communityId });
  return { street, community, grid, admin };
}
type Place = Awaited<ReturnType<typeof place>>;

async function member(p?: Place, skills: string[] = ['急救']) {
  const me = who('member', { memberId: `m-${++n}` });
  await membersSvc.createMember(me, { name: `成员${n}`, phone: '13912345678', skills, categories: ['health'] });
  if (p) {
    const ci = await membersSvc.requestCheckIn(me, { communityId: p.community.communityId, gridId: p.grid.gridId });
    await membersSvc.approveCheckIn(district, ci.checkInId);
  }
  return me;
}

const resident = () => who('resident', { sub: `res-${++n}` });
const input = (p: Place, over: Partial<svc.PostInput> = {}): svc.PostInput => ({
  title: '帮忙买菜',
  description: '腿脚不便，想请人帮忙买一周的菜',
  category: 'elderly-care',
  skillsWanted: ['跑腿'],
  communityId: p.community.communityId,
  gridId: p.grid.gridId,
  contactName: '赵大妈',
  contactPhone: '13800001111',
  ...over,
});

async function published(p: Place, over: Partial<svc.PostInput> = {}, poster = resident()) {
  const w = await svc.postWish(poster, input(p, over));
  await svc.review(p.admin, w.wishId, { decision: 'publish' });
  return { wishId: w.wishId, poster };
}

const raw = (wishId: string) => getItem(`WISH#${wishId}`, 'WISH', true);
const counters = async (
  scope: 'district' | 'street' | 'community' | 'grid' | 'team',
  id: string,
  month = monthOf(new Date()),
) => {
  return liveCounters(scope, id, month);
};
const events = async (caller: Caller, wishId: string) => (await svc.listEvents(caller, wishId, 100, undefined)).items;

beforeAll(async () => {
  await useFreshTable();
});
afterEach(() => resetClock());

describe('post and review', () => {
  it('posts a pending wish with its event and counters; refuses unknown places', async () => {
    const p = await place();
    const res = resident();
    expect(await codeOf(svc.postWish(res, input(p, { communityId: 'co-none' })))).toBe('UNKNOWN_COMMUNITY');
    expect(await codeOf(svc.postWish(res, input(p, { gridId: 'gr-none' })))).toBe('UNKNOWN_GRID');
    const w = await svc.postWish(res, input(p, { skillsWanted: ['跑腿', '跑腿'] }));
    expect(w).toMatchObject({
      status: 'pending_review',
      version: 1,
      residentName: '赵大妈',
      contactPhone: '13800001111',
      mine: true,
      skillsWanted: ['跑腿'],
    });
    const item = (await raw(w.wishId))!;
    expect(item).toMatchObject({
      gsi1pk: `WALL#${p.community.communityId}#pending_review`,
      gsi1sk: `${w.createdAt}#${w.wishId}`,
    });
    expect(item.gsi2pk).toBeUndefined();
    expect(item.gsi3pk).toBeUndefined();
    expect((await events(res, w.wishId)).map((e) => [e.seq, e.eventType, e.actor])).toEqual([
      [1, 'WishPosted', { kind: 'resident' }],
    ]);
    for (const [scope, id] of [
      ['district', 'jinjiang'],
      ['street', p.street.streetId],
      ['community', p.community.communityId],
      ['grid', p.grid.gridId],
    ] as const)
      expect((await counters(scope, id)).wishesPosted).toBe(1);
  });

  it('only admins of its community see and review a pending wish; a rejection keeps the reason', async () => {
    const p = await place();
    const other = await place();
    const res = resident();
    const w = await svc.postWish(res, input(p));
    expect(await codeOf(svc.getWish(who('member'), w.wishId))).toBe('NOT_FOUND');
    expect(await codeOf(svc.review(other.admin, w.wishId, { decision: 'publish' }))).toBe('NOT_FOUND');
    expect(
      await codeOf(
        svc.review(who('street_admin', { streetId: other.street.streetId }), w.wishId, { decision: 'publish' }),
      ),
    ).toBe('NOT_FOUND');
    expect((await svc.getWish(res, w.wishId)).status).toBe('pending_review');
    const rejected = await svc.review(p.admin, w.wishId, { decision: 'reject', reason: '不属于微心愿范围' });
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '不属于微心愿范围', reviewedBy: p.admin.sub });
    const again = await svc.review(p.admin, w.wishId, { decision: 'publish' }).catch((e: DomainError) => e);
    expect(again).toBeInstanceOf(DomainError);
    expect((again as DomainError).code).toBe('WISH_ACTION_NOT_ALLOWED');
    expect((again as DomainError).extra).toMatchObject({ state: 'rejected', allowedActions: [] });
  });

  it('publishing puts it on the wall, in the open list and the district list, and counts it', async () => {
    const p = await place();
    const { wishId } = await published(p);
    const item = (await raw(wishId))!;
    const at = item.publishedAt as string;
    expect(item).toMatchObject({
      status: 'published',
      version: 2,
      gsi1pk: `WALL#${p.community.communityId}#published`,
      gsi1sk: `${at}#${wishId}`,
      gsi2pk: `OPEN#${p.community.communityId}`,
      gsi2sk: `${at}#${wishId}`,
      gsi3pk: 'WISHES#published',
      gsi3sk: `${at}#${wishId}`,
    });
    expect((await counters('community', p.community.communityId)).wishesPublished).toBe(1);
    expect((await events(who('member'), wishId)).map((e) => e.eventType)).toEqual(['WishPosted', 'WishPublished']);
  });

  it('the poster withdraws before a claim, nobody else can, and not after a claim', async () => {
    const p = await place();
    const a = await published(p);
    expect(await codeOf(svc.withdraw(resident(), a.wishId))).toBe('FORBIDDEN');
    const w = await svc.withdraw(a.poster, a.wishId);
    expect(w.status).toBe('withdrawn');
    const item = (await raw(a.wishId))!;
    expect(item.gsi2pk).toBeUndefined();
    expect(item.gsi3pk).toBeUndefined();
    const b = await published(p);
    await svc.claim(await member(), b.wishId);
    expect(await codeOf(svc.withdraw(b.poster, b.wishId))).toBe('WISH_ACTION_NOT_ALLOWED');
  });
});

describe('the wall', () => {
  it('lists a community by status, newest first, a page at a time, always masked', async () => {
    const p = await place();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      freezeClock(`2025-03-0${i + 1}T02:00:00Z`);
      ids.push((await published(p)).wishId);
    }
    resetClock();
    const viewer = who('community_admin', { communityId: p.community.communityId });
    const first = await svc.listWishes(viewer, { communityId: p.community.communityId, status: 'published', limit: 3 });
    expect(first.items.map((w) => w.wishId)).toEqual(ids.slice().reverse().slice(0, 3));
    expect(first.items.every((w) => w.residentName === '赵*' && w.contactPhone === undefined)).toBe(true);
    const second = await svc.listWishes(viewer, {
      communityId: p.community.communityId,
      status: 'published',
      limit: 3,
      cursor: first.nextCursor,
    });
    expect(second.items.map((w) => w.wishId)).toEqual([ids[1], ids[0]]);
    expect(second.nextCursor).toBeUndefined();
    expect(
      (await svc.listWishes(viewer, { communityId: p.community.communityId, status: 'claimed', limit: 3 })).items,
    ).toEqual([]);
  });

  it('pending and rejected walls are for admins of the community only', async () => {
    const p = await place();
    await svc.postWish(resident(), input(p));
    const q = { communityId: p.community.communityId, status: 'pending_review' as const, limit: 10 };
    expect(await codeOf(svc.listWishes(who('member'), q))).toBe('FORBIDDEN');
    expect(await codeOf(svc.listWishes(who('community_admin', { communityId: 'co-x' }), q))).toBe('FORBIDDEN');
    expect((await svc.listWishes(p.admin, q)).items).toHaveLength(1);
    expect(await codeOf(svc.listWishes(p.admin, { ...q, communityId: 'co-none' }))).toBe('NOT_FOUND');
  });
});

describe('claim, release, complete, confirm', () => {
  it('a member claims, the member counter holds, release gives it back, complete writes the service record', async () => {
    const p = await place();
    const m = await member(p);
    const { wishId, poster } = await published(p);
    expect(await codeOf(svc.claim(who('member', { memberId: 'no-profile' }), wishId))).toBe('PROFILE_REQUIRED');
    const claimed = await svc.claim(m, wishId);
    expect(claimed).toMatchObject({
      status: 'claimed',
      claimant: { kind: 'member', memberId: m.memberId },
      residentName: '赵*',
    });
    expect(claimed).not.toHaveProperty('contactPhone');
    expect(await store.getOpenClaims(m.memberId, true)).toBe(1);
    let item = (await raw(wishId))!;
    expect(item.gsi1pk).toBe(`WALL#${p.community.communityId}#claimed`);
    expect(item.gsi2pk).toBeUndefined();
    expect(item.gsi3pk).toBeUndefined();

    const other = await member();
    expect(await codeOf(svc.claim(other, wishId))).toBe('WISH_ALREADY_CLAIMED');
    expect(await codeOf(svc.release(other, wishId))).toBe('FORBIDDEN');
    expect(await codeOf(svc.complete(other, wishId, { note: 'x', hours: 1 }))).toBe('FORBIDDEN');

    const released = await svc.release(m, wishId);
    expect(released.status).toBe('published');
    expect(released.claimant).toBeUndefined();
    expect(await store.getOpenClaims(m.memberId, true)).toBe(0);
    item = (await raw(wishId))!;
    expect(item.gsi2pk).toBe(`OPEN#${p.community.communityId}`);
    expect(item.gsi3pk).toBe('WISHES#published');

    await svc.claim(m, wishId);
    const before = (await counters('community', p.community.communityId)) as Record<string, number>;
    const done = await svc.complete(m, wishId, { note: '买了一周的菜送到家', hours: 1.5 });
    expect(done).toMatchObject({ status: 'completed', hours: 1.5, completionNote: '买了一周的菜送到家' });
    expect(await store.getOpenClaims(m.memberId, true)).toBe(0);
    const record = (await getRecord(done.recordId!, true))!;
    expect(record).toMatchObject({
      memberId: m.memberId,
      memberName: expect.stringMatching(/^成员/),
      activityId: wishId,
      activityName: '帮忙买菜',
      place: `${p.community.name} 一网格`,
      content: '买了一周的菜送到家',
      hours: 1.5,
      organisingUnit: communityUnit(p.community.name),
      activityLeader: communityUnit(p.community.name),
      communityId: p.community.communityId,
      streetId: p.street.streetId,
      late: false,
      source: 'wish',
    });
    expect(record.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(record)).not.toContain('赵大妈');
    expect((await getMemberHours(m.memberId, true)).confirmedHours).toBe(1.5);
    const after = (await counters('community', p.community.communityId)) as Record<string, number>;
    expect(after.wishesCompleted).toBe((before.wishesCompleted ?? 0) + 1);
    expect(after.volunteerTimes).toBe((before.volunteerTimes ?? 0) + 1);
    expect(after.volunteerHours).toBe((before.volunteerHours ?? 0) + 1.5);
    expect((await counters('grid', p.grid.gridId)).volunteerHours).toBe(0);
    const completedItem = (await raw(wishId))!;
    expect(completedItem.gsi3pk).toBe('WISHES#completed');

    expect(await codeOf(svc.confirm(resident(), wishId, { rating: 5 }))).toBe('FORBIDDEN');
    const confirmed = await svc.confirm(poster, wishId, { rating: 4, comment: '谢谢' });
    expect(confirmed).toMatchObject({ status: 'confirmed', rating: 4, comment: '谢谢' });
    expect((await raw(wishId))!.gsi3pk).toBeUndefined();
    const c = (await counters('community', p.community.communityId)) as Record<string, number>;
    expect(c.wishesConfirmed).toBeGreaterThanOrEqual(1);
    expect(c.ratingSum).toBeGreaterThanOrEqual(4);
    expect((await events(poster, wishId)).map((e) => `${e.seq}:${e.eventType}`)).toEqual([
      '1:WishPosted',
      '2:WishPublished',
      '3:WishClaimed',
      '4:WishReleased',
      '5:WishClaimed',
      '6:WishCompleted',
      '7:WishConfirmed',
    ]);
  });

  it('a member holds at most the limit of open claims (WISH_CLAIM_LIMIT)', async () => {
    const p = await place();
    const m = await member();
    const wishes = [];
    for (let i = 0; i < 4; i++) wishes.push((await published(p)).wishId);
    for (const id of wishes.slice(0, 3)) await svc.claim(m, id);
    const err = await svc.claim(m, wishes[3]!).catch((e: DomainError) => e);
    expect((err as DomainError).code).toBe('CLAIM_LIMIT_REACHED');
    expect((await raw(wishes[3]!))!.status).toBe('published');
    await svc.complete(m, wishes[0]!, { note: '完成', hours: 1 });
    expect((await svc.claim(m, wishes[3]!)).status).toBe('claimed');
    process.env.WISH_CLAIM_LIMIT = '5';
    try {
      const more = (await published(p)).wishId;
      expect((await svc.claim(m, more)).status).toBe('claimed');
      expect(await store.getOpenClaims(m.memberId, true)).toBe(4);
    } finally {
      delete process.env.WISH_CLAIM_LIMIT;
    }
  });
});

describe('escalation, taking on, and the daily job', () => {
  it('escalates at the right Shanghai day, once; a team takes it on, completes; the resident confirms', async () => {
    const p = await place();
    freezeClock('2025-05-31T16:30:00Z'); // 2025-06-01 00:30 in Shanghai (still May 31 in UTC)
    const { wishId, poster } = await published(p);
    freezeClock('2025-06-07T00:00:00Z'); // 08:00 June 7 Shanghai: 6 days (7 by UTC days)
    await svc.runWishJob();
    expect((await raw(wishId))!).toMatchObject({ status: 'published', version: 2 });
    freezeClock('2025-06-07T15:59:59Z'); // 23:59:59 June 7 Shanghai: still 6 days
    await svc.runWishJob();
    expect((await raw(wishId))!.status).toBe('published');
    freezeClock('2025-06-08T00:00:00Z'); // 08:00 June 8 Shanghai: 7 days
    const first = await svc.runWishJob();
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    expect(first.escalateBefore).toBe('2025-06-01T16:00:00.000Z');
    expect((await raw(wishId))!).toMatchObject({
      status: 'escalated',
      version: 3,
      escalatedAt: '2025-06-08T00:00:00.000Z',
    });
    const second = await svc.runWishJob();
    expect(second.escalated).toBe(0);
    expect((await raw(wishId))!.version).toBe(3);
    const escalatedEvents = (await events(poster, wishId)).filter((e) => e.eventType === 'WishEscalated');
    expect(escalatedEvents).toHaveLength(1);
    expect(escalatedEvents[0]!.actor).toEqual({ kind: 'system', job: 'escalate-wishes' });
    const item = (await raw(wishId))!;
    expect(item).toMatchObject({
      gsi1pk: `WALL#${p.community.communityId}#escalated`,
      gsi2pk: `OPEN#${p.community.communityId}`,
      gsi3pk: 'WISHES#escalated',
    });
    const list = await svc.listWishes(who('team_leader'), { status: 'escalated', limit: 100 });
    expect(list.items.map((w) => w.wishId)).toContain(wishId);

    // A team leader takes it on for their team; another leader, or one whose token names another team, cannot.
    const leader = await member();
    const team = await teamsSvc.createTeam(district, {
      name: '助老服务队',
      category: 'elderly-care',
      scope: 'community',
      communityId: p.community.communityId,
      leaderMemberId: leader.memberId,
    });
    const lead = who('team_leader', { memberId: leader.memberId, teamId: team.teamId });
    expect(await codeOf(svc.takeOn(who('team_leader', { memberId: leader.memberId }), wishId))).toBe('FORBIDDEN');
    expect(
      await codeOf(svc.takeOn(who('team_leader', { memberId: 'someone-else', teamId: team.teamId }), wishId)),
    ).toBe('FORBIDDEN');
    const taken = await svc.takeOn(lead, wishId);
    expect(taken).toMatchObject({
      status: 'taken_on',
      claimant: { kind: 'team', teamId: team.teamId, teamName: '助老服务队', leaderMemberId: leader.memberId },
    });
    expect(await codeOf(svc.claim(await member(), wishId))).toBe('WISH_ALREADY_CLAIMED');
    expect(await codeOf(svc.takeOn(lead, wishId))).toBe('WISH_ALREADY_CLAIMED');
    expect(await codeOf(svc.complete(await member(), wishId, { note: 'x', hours: 1 }))).toBe('FORBIDDEN');
    expect((await counters('team', team.teamId, '2025-06')).wishesTakenOn).toBe(1);

    // Release goes back to escalated; take on again; complete, naming who served (the leader): a record each.
    expect((await svc.release(lead, wishId)).status).toBe('escalated');
    await svc.takeOn(lead, wishId);
    const done = await svc.complete(lead, wishId, {
      note: '队员轮流上门',
      hours: 6,
      served: [{ memberId: lead.memberId, hours: 6 }],
    });
    expect(done.status).toBe('completed');
    expect(done.recordId).toBeUndefined();
    expect(done.served).toEqual([{ memberId: lead.memberId, memberName: expect.any(String), hours: 6 }]);
    expect((await counters('team', team.teamId, '2025-06')).volunteerHours).toBe(6);
    expect((await counters('team', team.teamId, '2025-06')).wishesCompleted).toBe(1);
    await svc.confirm(poster, wishId, { rating: 5 });
    const t = await counters('team', team.teamId, '2025-06');
    expect(t).toMatchObject({ wishesConfirmed: 1, ratingSum: 5, ratingCount: 1 });
  });

  it('a team leader cannot take on a wish that is not escalated; a member may still claim an escalated one', async () => {
    const p = await place();
    const leader = await member();
    const team = await teamsSvc.createTeam(district, {
      name: '应急队',
      category: 'health',
      scope: 'district',
      leaderMemberId: leader.memberId,
    });
    const lead = who('team_leader', { memberId: leader.memberId, teamId: team.teamId });
    const { wishId } = await published(p);
    const err = (await svc.takeOn(lead, wishId).catch((e: DomainError) => e)) as DomainError;
    expect(err.code).toBe('WISH_ACTION_NOT_ALLOWED');
    expect(err.extra).toMatchObject({ state: 'published', allowedActions: ['withdraw', 'claim', 'escalate'] });

    freezeClock(new Date(Date.now() + 8 * 86_400_000).toISOString());
    await svc.runWishJob();
    expect((await raw(wishId))!.status).toBe('escalated');
    const m = await member();
    const claimed = await svc.claim(m, wishId);
    expect(claimed.status).toBe('claimed');
    expect((await svc.release(m, wishId)).status).toBe('escalated');
  });

  it('confirms completed wishes after 14 Shanghai days, without rating, once', async () => {
    const p = await place();
    const m = await member();
    freezeClock('2025-09-01T02:00:00Z');
    const { wishId } = await published(p);
    await svc.claim(m, wishId);
    freezeClock('2025-09-02T15:59:00Z'); // 23:59 Sept 2 Shanghai
    await svc.complete(m, wishId, { note: '完成', hours: 2 });
    freezeClock('2025-09-16T00:00:00Z'); // Sept 16 08:00: 14 days
    const job = await svc.runWishJob();
    expect(job.autoConfirmed).toBe(1);
    const w = (await raw(wishId))!;
    expect(w).toMatchObject({ status: 'confirmed', autoConfirmed: true });
    expect(w.rating).toBeUndefined();
    expect((await svc.runWishJob()).autoConfirmed).toBe(0);
    const c = await counters('community', p.community.communityId, '2025-09');
    expect(c.wishesConfirmed).toBe(1);
    expect(c.ratingCount).toBe(0);
  });
});

describe('suggestions', () => {
  it('ranks by skills, grid, community and waiting, says why, and reads a bounded number of items', async () => {
    const p = await place();
    const me = await member(p, ['急救']);
    const res = resident();
    // 130 open wishes in the member's community (their items only, written through the repository: no events, no counters).
    const at = (i: number) => new Date(Date.parse('2025-01-01T00:00:00Z') + i * 60_000).toISOString();
    const mk = (i: number, over: Partial<Wish> = {}): Wish => ({
      wishId: `wi-bulk-${n}-${String(i).padStart(3, '0')}`,
      residentSub: res.sub,
      contactName: '钱奶奶',
      contactPhone: '13800002222',
      title: `心愿${i}`,
      description: '描述',
      category: 'other',
      skillsWanted: [],
      streetId: p.street.streetId,
      communityId: p.community.communityId,
      communityName: p.community.name,
      status: 'published',
      version: 2,
      createdAt: at(i),
      updatedAt: at(i),
      publishedAt: at(i),
      ...over,
    });
    const bulk: Wish[] = [];
    for (let i = 0; i < 130; i++)
      bulk.push(
        mk(i, i === 5 ? { skillsWanted: ['急救'], gridId: p.grid.gridId } : i === 7 ? { gridId: p.grid.gridId } : {}),
      );
    for (let i = 0; i < bulk.length; i += 10)
      await Promise.all(bulk.slice(i, i + 10).map((w) => putNew(store.wishItem(w))));

    let items = 0;
    let calls = 0;
    const id = `count-${n}`;
    db().middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        calls++;
        const o = out.output as { Count?: number; Item?: unknown };
        items += o.Count ?? (o.Item ? 1 : 0);
        return out;
      },
      { step: 'initialize', name: id },
    );
    let result: Awaited<ReturnType<typeof svc.suggested>>;
    try {
      result = await svc.suggested(me, 10);
    } finally {
      db().middlewareStack.remove(id);
    }
    expect(calls).toBe(3); // the profile, the community's open wishes, the district's escalated ones
    expect(items).toBeLessThanOrEqual(1 + 100);
    expect(result.items).toHaveLength(10);
    expect(result.items[0]!.wishId).toBe(bulk[5]!.wishId);
    expect(result.items[0]!.reasons.slice(0, 3)).toEqual(['skills: 急救', 'same grid', 'same community']);
    expect(result.items[0]!.reasons[3]).toMatch(/^waiting \d+ days$/);
    expect(result.items[1]!.wishId).toBe(bulk[7]!.wishId);
    expect(result.items[1]!.reasons[0]).toBe('same grid');
    expect(JSON.stringify(result)).not.toContain('钱奶奶');
    expect(JSON.stringify(result)).not.toContain('13800002222');
    expect(await codeOf(svc.suggested(who('member', { memberId: 'nobody' }), 10))).toBe('PROFILE_REQUIRED');
  });
});

describe("a team's completion at its largest", () => {
  it('20 members named as serving (the most a completion takes): 20 records, each counted once, written together', async () => {
    const p = await place();
    freezeClock('2025-07-01T00:00:00Z');
    const { wishId, poster } = await published(p);
    freezeClock('2025-07-09T00:00:00Z'); // 8 days later, 08:00 in Shanghai: the job escalates it
    expect((await svc.runWishJob()).escalated).toBeGreaterThanOrEqual(1);
    const leader = await member(p);
    const team = await teamsSvc.createTeam(district, {
      name: '二十人服务队',
      category: 'elderly-care',
      scope: 'community',
      communityId: p.community.communityId,
      leaderMemberId: leader.memberId,
    });
    const lead = who('team_leader', { memberId: leader.memberId, teamId: team.teamId });
    const others = [];
    for (let i = 0; i < 19; i++) {
      const m = await member(p);
      await teamsSvc.joinTeam(m, team.teamId);
      await teamsSvc.approveMember(lead, team.teamId, m.memberId);
      others.push(m);
    }
    await svc.takeOn(lead, wishId);
    const served = [leader, ...others].map((m, i) => ({ memberId: m.memberId, hours: 1 + (i % 4) }));
    expect(served).toHaveLength(20);
    const done = await svc.complete(lead, wishId, { note: '全队轮班', hours: 50, served });
    expect(done.status).toBe('completed');
    expect(done.served?.map((s) => s.memberId)).toEqual(served.map((s) => s.memberId));
    const hours = served.reduce((a, s) => a + s.hours, 0);
    expect(hours).toBe(50);
    expect(await counters('team', team.teamId, '2025-07')).toMatchObject({ volunteerHours: 50, wishesCompleted: 1 });
    expect((await counters('community', p.community.communityId, '2025-07')).volunteerHours).toBe(50);
    for (const [i, s] of served.entries())
      expect(await getMemberHours(s.memberId), `member ${i}`).toEqual({ confirmedHours: s.hours, records: 1 });
    // Completing again is refused and counts nothing more.
    expect(await codeOf(svc.complete(lead, wishId, { note: '再次', hours: 50, served }))).toBe(
      'WISH_ACTION_NOT_ALLOWED',
    );
    expect((await counters('team', team.teamId, '2025-07')).volunteerHours).toBe(50);
    await svc.confirm(poster, wishId, { rating: 4 });
    expect(await counters('team', team.teamId, '2025-07')).toMatchObject({ wishesConfirmed: 1, ratingSum: 4 });
  });
});

import { liveCounters } from '../support/counters.ts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import * as svc from '../../shared/services/members.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { monthOf } from '../../shared/domain/time.ts';
import { codeOf, who } from '../support/callers.ts';

/** The members context's services and repositories against DynamoDB Local (no mocks). */
const district = who('district_admin');

let n = 0;
async function place() {
  const street = await svc.createStreet(district, { name: `街道${++n}` });
  const community = await svc.createCommunity(district, { name: `社区${n}`, streetId: street.streetId, kind: 'urban' });
  const grid = await svc.createGrid(district, community.communityId, { name: '一网格' });
  return { street, community, grid };
}
async function member(name = '测试') {
  const me = who('member', { memberId: `m-${++n}` });
  await svc.createMember(me, { name, phone: '13912345678', skills: ['急救'], categories: ['health'] });
  return me;
}

beforeAll(async () => {
  await useFreshTable();
});
afterEach(() => resetClock());

describe('places', () => {
  it('creates and lists streets, communities of a street, grids', async () => {
    const { street, community, grid } = await place();
    const communities = await svc.listCommunities(street.streetId, 10, undefined);
    expect(communities.items.map((c) => c.communityId)).toEqual([community.communityId]);
    const grids = await svc.listGrids(community.communityId, 10, undefined);
    expect(grids.items).toEqual([grid]);
  });
  it('refuses a community in an unknown street, and a street admin outside their street', async () => {
    expect(await codeOf(svc.createCommunity(district, { name: 'x', streetId: 'st-none', kind: 'urban' }))).toBe(
      'UNKNOWN_STREET',
    );
    const { street } = await place();
    const other = who('street_admin', { streetId: 'st-other' });
    expect(await codeOf(svc.createCommunity(other, { name: 'x', streetId: street.streetId, kind: 'urban' }))).toBe(
      'FORBIDDEN',
    );
    const mine = who('street_admin', { streetId: street.streetId });
    expect(await codeOf(svc.createCommunity(mine, { name: 'y', streetId: street.streetId, kind: 'rural' }))).toBe('ok');
  });
  it('lets only admins of the community add grids', async () => {
    const { community } = await place();
    expect(
      await codeOf(
        svc.createGrid(who('community_admin', { communityId: 'co-other' }), community.communityId, { name: 'g' }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await codeOf(
        svc.createGrid(who('community_admin', { communityId: community.communityId }), community.communityId, {
          name: 'g',
        }),
      ),
    ).toBe('ok');
    expect(await codeOf(svc.createGrid(district, 'co-missing', { name: 'g' }))).toBe('NOT_FOUND');
  });
});

describe('check-in', () => {
  it('approval moves the member, keeps one roster entry and counts the check-in', async () => {
    const a = await place();
    const b = await place();
    const me = await member('王五');
    const first = await svc.requestCheckIn(me, { communityId: a.community.communityId, gridId: a.grid.gridId });
    expect(
      await codeOf(
        svc.approveCheckIn(who('community_admin', { communityId: b.community.communityId }), first.checkInId),
      ),
    ).toBe('NOT_FOUND');
    await svc.approveCheckIn(who('community_admin', { communityId: a.community.communityId }), first.checkInId);
    expect(await codeOf(svc.approveCheckIn(district, first.checkInId))).toBe('CHECKIN_NOT_PENDING');

    const adminA = who('community_admin', { communityId: a.community.communityId });
    let rosterA = await svc.listCommunityMembers(adminA, a.community.communityId, undefined, 10, undefined);
    expect(rosterA.items).toHaveLength(1);
    expect(rosterA.items[0]).toMatchObject({
      memberId: me.memberId,
      name: '王五',
      phone: '139****5678',
      gridId: a.grid.gridId,
    });

    // moving: a street admin of b approves, the member leaves a's roster
    const second = await svc.requestCheckIn(me, { communityId: b.community.communityId });
    await svc.approveCheckIn(who('street_admin', { streetId: b.street.streetId }), second.checkInId);
    rosterA = await svc.listCommunityMembers(adminA, a.community.communityId, undefined, 10, undefined);
    expect(rosterA.items).toHaveLength(0);
    const rosterB = await svc.listCommunityMembers(district, b.community.communityId, undefined, 10, undefined);
    expect(rosterB.items.map((r) => r.memberId)).toEqual([me.memberId]);
    const profile = await svc.getMyProfile(me);
    expect(profile).toMatchObject({ communityId: b.community.communityId, streetId: b.street.streetId, version: 3 });
    expect(profile.gridId).toBeUndefined();

    const month = monthOf(new Date());
    const counter = (scope: 'district' | 'street' | 'community' | 'grid', id: string) =>
      liveCounters(scope, id, month).then((i) => i.checkIns);
    expect(await counter('community', a.community.communityId)).toBe(1);
    expect(await counter('grid', a.grid.gridId)).toBe(1);
    expect(await counter('community', b.community.communityId)).toBe(1);
    expect(await counter('street', b.street.streetId)).toBe(1);
  });

  it('refuses a second pending request, a request without profile, and one to where the member is', async () => {
    const a = await place();
    const me = await member();
    await svc.requestCheckIn(me, { communityId: a.community.communityId });
    expect(await codeOf(svc.requestCheckIn(me, { communityId: a.community.communityId, gridId: a.grid.gridId }))).toBe(
      'CHECKIN_ALREADY_PENDING',
    );
    expect(
      await codeOf(
        svc.requestCheckIn(who('member', { memberId: 'm-noprofile' }), { communityId: a.community.communityId }),
      ),
    ).toBe('PROFILE_REQUIRED');
    expect(await codeOf(svc.requestCheckIn(me, { communityId: 'co-missing' }))).toBe('UNKNOWN_COMMUNITY');
    expect(await codeOf(svc.requestCheckIn(me, { communityId: a.community.communityId, gridId: 'gr-missing' }))).toBe(
      'UNKNOWN_GRID',
    );
  });

  it('a rejection frees the member to ask again', async () => {
    const a = await place();
    const me = await member();
    const c = await svc.requestCheckIn(me, { communityId: a.community.communityId });
    const rejected = await svc.rejectCheckIn(district, c.checkInId, '不在本社区居住');
    expect(rejected.status).toBe('rejected');
    expect(await codeOf(svc.requestCheckIn(me, { communityId: a.community.communityId }))).toBe('ok');
    const mine = await svc.listMyCheckIns(me, 10, undefined);
    expect(mine.items.map((x) => x.status)).toEqual(['pending', 'rejected']);
    const pending = await svc.listCommunityCheckIns(district, a.community.communityId, 'pending', 10, undefined);
    expect(pending.items).toHaveLength(1);
  });

  it('20 concurrent requests by one member leave exactly one pending check-in', async () => {
    const a = await place();
    const me = await member();
    const codes = await Promise.all(
      Array.from({ length: 20 }, () => codeOf(svc.requestCheckIn(me, { communityId: a.community.communityId }))),
    );
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CHECKIN_ALREADY_PENDING')).toHaveLength(19);
    const mine = await svc.listMyCheckIns(me, 100, undefined);
    expect(mine.items).toHaveLength(1);
  });

  it('profile changes reach the roster copy in the same write', async () => {
    const a = await place();
    const me = await member('旧名');
    const c = await svc.requestCheckIn(me, { communityId: a.community.communityId });
    await svc.approveCheckIn(district, c.checkInId);
    await svc.updateMyProfile(me, { name: '新名', phone: '13700001111', idNumber: '11010519491231002X' });
    const roster = await svc.listCommunityMembers(district, a.community.communityId, undefined, 10, undefined);
    expect(roster.items[0]).toMatchObject({ name: '新名', phone: '137****1111' });
    const full = await svc.getMember(district, me.memberId);
    expect(full.phone).toBe('13700001111');
    expect(full.idNumber).toBe('11010519491231002X');
    expect(await codeOf(svc.getMember(who('community_admin', { communityId: 'co-other' }), me.memberId))).toBe(
      'NOT_FOUND',
    );
    expect(svc.viewMember(who('member', { memberId: 'someone-else' }), await svc.getMyProfile(me)).idNumber).toBe(
      '110***********002X',
    );
  });

  it('paginates the roster by grid with an opaque cursor', async () => {
    const a = await place();
    const g2 = await svc.createGrid(district, a.community.communityId, { name: '二网格' });
    for (let i = 0; i < 5; i++) {
      const me = await member(`成员${i}`);
      const c = await svc.requestCheckIn(me, {
        communityId: a.community.communityId,
        gridId: i % 2 ? a.grid.gridId : g2.gridId,
      });
      await svc.approveCheckIn(district, c.checkInId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await svc.listCommunityMembers(district, a.community.communityId, undefined, 2, cursor);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => `${r.gridId}/${r.memberId}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual(seen);
    const onlyG2 = await svc.listCommunityMembers(district, a.community.communityId, g2.gridId, 10, undefined);
    expect(onlyG2.items).toHaveLength(3);
    const other = await place();
    const page = await svc.listCommunityMembers(district, a.community.communityId, undefined, 2, undefined);
    expect(
      await codeOf(svc.listCommunityMembers(district, other.community.communityId, undefined, 2, page.nextCursor)),
    ).toBe('BAD_CURSOR');
  });

  it('the expiry job expires requests pending 30 days, once', async () => {
    const a = await place();
    const me = await member();
    freezeClock('2026-01-01T00:00:00Z');
    const c = await svc.requestCheckIn(me, { communityId: a.community.communityId });
    freezeClock('2026-01-30T00:00:00Z');
    expect((await svc.expireStaleCheckIns()).expired).toBe(0);
    freezeClock('2026-02-01T00:00:00Z');
    const first = await svc.expireStaleCheckIns();
    expect(first.expired).toBe(1);
    expect((await svc.listMyCheckIns(me, 10, undefined)).items[0]).toMatchObject({
      checkInId: c.checkInId,
      status: 'expired',
    });
    expect(await svc.expireStaleCheckIns()).toEqual({ expired: 0, skipped: 0 });
    expect(await codeOf(svc.requestCheckIn(me, { communityId: a.community.communityId }))).toBe('ok');
  });
});

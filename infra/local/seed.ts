import { nameClaimItem } from '../../shared/db/names.ts';
import { communityItem, getCommunity, gridItem, streetItem } from '../../shared/db/places.ts';
import { getProfile } from '../../shared/db/members.ts';
import { putIfAbsent } from '../../shared/db/writes.ts';
import { nowIso } from '../../shared/domain/clock.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Role } from '../../shared/domain/roles.ts';
import type { Category } from '../../shared/domain/categories.ts';
import * as members from '../../shared/services/members.ts';

/**
 * The demo district a new user finds on first `npm start`: streets, communities, grids and
 * members checked in, with readable ids so the README's curl examples work. Places are written
 * with fixed ids and "only if absent"; members go through the same services the API uses
 * (profile, check-in request, approval), so counters and rosters are exactly as real use
 * leaves them. Seeding twice changes nothing: each step first looks whether it is done.
 */
export const DEMO = {
  streets: [
    { streetId: 'st-chunxilu', name: '春熙路街道' },
    { streetId: 'st-shuyuanjie', name: '书院街街道' },
  ],
  communities: [
    { communityId: 'co-hongxing', name: '红星路社区', streetId: 'st-chunxilu', kind: 'urban' as const },
    { communityId: 'co-taikoo', name: '太古里社区', streetId: 'st-chunxilu', kind: 'urban' as const },
    { communityId: 'co-hejiangting', name: '合江亭社区', streetId: 'st-shuyuanjie', kind: 'urban' as const },
  ],
  grids: [
    { gridId: 'gr-hongxing-1', communityId: 'co-hongxing', name: '第一网格' },
    { gridId: 'gr-hongxing-2', communityId: 'co-hongxing', name: '第二网格' },
    { gridId: 'gr-taikoo-1', communityId: 'co-taikoo', name: '第一网格' },
    { gridId: 'gr-hejiangting-1', communityId: 'co-hejiangting', name: '滨江网格' },
  ],
  members: [
    {
      memberId: 'm-demo-1',
      name: '王建国',
      phone: '13800000001',
      skills: ['急救', '健康咨询'],
      categories: ['health'],
      communityId: 'co-hongxing',
      gridId: 'gr-hongxing-1',
    },
    {
      memberId: 'm-demo-2',
      name: '李秀英',
      phone: '13800000002',
      skills: ['法律咨询'],
      categories: ['legal-aid'],
      communityId: 'co-hongxing',
      gridId: 'gr-hongxing-2',
    },
    {
      memberId: 'm-demo-3',
      name: '张伟',
      phone: '13800000003',
      skills: ['垃圾分类', '环保宣传'],
      categories: ['garbage-sorting', 'environment'],
      communityId: 'co-taikoo',
      gridId: 'gr-taikoo-1',
    },
    {
      memberId: 'm-demo-4',
      name: '欧阳娜娜',
      phone: '13800000004',
      skills: ['文艺演出'],
      categories: ['culture-performances'],
      communityId: 'co-hejiangting',
      gridId: 'gr-hejiangting-1',
    },
    {
      memberId: 'm-demo-5',
      name: '刘洋',
      phone: '13800000005',
      skills: ['税务'],
      categories: ['tax-services'],
      communityId: 'co-hejiangting',
    },
  ] satisfies Array<{
    memberId: string;
    name: string;
    phone: string;
    skills: string[];
    categories: Category[];
    communityId: string;
    gridId?: string;
  }>,
};

function callerFor(role: Role, scope: Partial<Caller>): Caller {
  return {
    sub: scope.memberId ?? `seed-${role}`,
    roles: new Set([role]),
    memberId: scope.memberId ?? `seed-${role}`,
    communityId: undefined,
    streetId: undefined,
    teamId: undefined,
    district: undefined,
    ...scope,
  };
}

export async function seedDemo(): Promise<{ created: number }> {
  let created = 0;
  const at = nowIso();
  // Each with its name claimed, as the routes write them (a street named like a demo one is refused).
  for (const s of DEMO.streets) {
    await putIfAbsent(nameClaimItem('street', 'district', s.name, s.streetId));
    if (await putIfAbsent(streetItem({ ...s, createdAt: at }))) created++;
  }
  for (const c of DEMO.communities) {
    await putIfAbsent(nameClaimItem('community', c.streetId, c.name, c.communityId));
    if (await putIfAbsent(communityItem({ ...c, createdAt: at }))) created++;
  }
  for (const g of DEMO.grids) if (await putIfAbsent(gridItem({ ...g, createdAt: at }))) created++;
  const admin = callerFor('district_admin', { sub: 'seed' });
  for (const m of DEMO.members) {
    const me = callerFor('member', { memberId: m.memberId, sub: m.memberId });
    let profile = await getProfile(m.memberId, true);
    if (!profile) {
      profile = await members.createMember(me, {
        name: m.name,
        phone: m.phone,
        skills: m.skills,
        categories: m.categories,
      });
      created++;
    }
    if (profile.communityId) continue;
    const pending = (await members.listMyCheckIns(me, 10, undefined)).items.find((c) => c.status === 'pending');
    const checkIn =
      pending ??
      (await members.requestCheckIn(me, { communityId: m.communityId, ...(m.gridId ? { gridId: m.gridId } : {}) }));
    await members.approveCheckIn(admin, checkIn.checkInId);
    created++;
  }
  return { created };
}

/** For the start banner: does the demo district exist? */
export async function demoPresent(): Promise<boolean> {
  return (await getCommunity(DEMO.communities[0]!.communityId)) !== undefined;
}

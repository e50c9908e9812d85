import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll } from 'vitest';
import { db, tableName } from '../../shared/db/client.ts';
import { profileItem } from '../../shared/db/members.ts';
import { teamItem } from '../../shared/db/teams.ts';
import { putNew } from '../../shared/db/writes.ts';
import { resetClock } from '../../shared/domain/clock.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Team } from '../../shared/domain/team.ts';
import * as svc from '../../shared/services/activities.ts';
import * as members from '../../shared/services/members.ts';
import { useFreshTable } from '../support/table.ts';

/**
 * The volume tests' shared setup (races, the 150-attendee close): a fresh table with one street
 * and community, teams written directly, crowds of member profiles written 25 to a BatchWriteItem
 * (setup only: the profile rules are not under test there), and an activity the next day.
 */
export const T0 = '2025-06-02T00:00:00.000Z';
export const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
export const caller = (memberId: string, extra: Partial<Caller> = {}): Caller => ({
  sub: memberId,
  roles: new Set(['member']),
  memberId,
  communityId: undefined,
  streetId: undefined,
  teamId: undefined,
  district: 'jinjiang',
  ...extra,
});
export const district: Caller = { ...caller('admin'), roles: new Set(['district_admin']) };

export let place: { streetId: string; communityId: string };
let n = 0;

export async function team(): Promise<{ team: Team; leader: Caller }> {
  const id = ++n;
  const t: Team = {
    teamId: `team-r${id}`,
    name: `突击队${id}`,
    category: 'health',
    scope: 'district',
    leaderMemberId: `lead-r${id}`,
    leaderName: `队长${id}`,
    status: 'active',
    memberCount: 1,
    createdAt: T0,
  };
  await putNew(teamItem(t));
  return { team: t, leader: { ...caller(t.leaderMemberId, { teamId: t.teamId }), roles: new Set(['team_leader']) } };
}

/** Member profiles, written 25 to a BatchWriteItem (setup only: the profile rules are not under test here). */
export async function crowd(count: number): Promise<Caller[]> {
  const batch = ++n;
  const out = Array.from({ length: count }, (_, i) => caller(`r${batch}-${String(i).padStart(3, '0')}`));
  const items = out.map((m) =>
    profileItem({
      memberId: m.memberId,
      name: `成员${m.memberId}`,
      phone: '13912345678',
      skills: [],
      categories: [],
      createdAt: T0,
      updatedAt: T0,
      version: 1,
    }),
  );
  const chunks = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
  await Promise.all(
    chunks.map((c) =>
      db().send(
        new BatchWriteCommand({ RequestItems: { [tableName()]: c.map((Item) => ({ PutRequest: { Item } })) } }),
      ),
    ),
  );
  return out;
}

export async function publish(leader: Caller, capacity: number) {
  return svc.publish(leader, {
    title: '集中服务日',
    content: '垃圾分类宣传',
    category: 'garbage-sorting',
    communityId: place.communityId,
    address: '广场',
    startsAt: plus(T0, 24 * 60),
    endsAt: plus(T0, 24 * 60 + 120),
    capacity,
  });
}

beforeAll(async () => {
  await useFreshTable();
  const s = await members.createStreet(district, { name: '竞赛街道' });
  const c = await members.createCommunity(district, { name: '竞赛社区', streetId: s.streetId, kind: 'urban' });
  place = { streetId: s.streetId, communityId: c.communityId };
});
afterEach(() => resetClock());

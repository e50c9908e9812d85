import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import * as svc from '../../shared/services/activities.ts';
import * as members from '../../shared/services/members.ts';
import * as store from '../../shared/db/activities.ts';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../shared/db/client.ts';
import { profileItem } from '../../shared/db/members.ts';
import { teamItem } from '../../shared/db/teams.ts';
import { putNew } from '../../shared/db/writes.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Team } from '../../shared/domain/team.ts';

/** Races against DynamoDB Local: 200 concurrent sign-ups for 50 places, 30 concurrent cancellations. */
const T0 = '2025-06-02T00:00:00.000Z';
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const caller = (memberId: string, extra: Partial<Caller> = {}): Caller => ({
  sub: memberId,
  roles: new Set(['member']),
  memberId,
  communityId: undefined,
  streetId: undefined,
  teamId: undefined,
  district: 'jinjiang',
  ...extra,
});
const district: Caller = { ...caller('admin'), roles: new Set(['district_admin']) };

let place: { streetId: string; communityId: string };
let n = 0;

async function team(): Promise<{ team: Team; leader: Caller }> {
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
async function crowd(count: number): Promise<Caller[]> {
  const batch = ++n;
  const out = Array.from({ length: count }, (_, i) => caller(`r${batch}-${String(i).padStart(3, '0')}`));
  const items = out.map((m) =>
    profileItem({ memberId: m.memberId, name: `成员${m.memberId}`, phone: '13912345678', skills: [], categories: [], createdAt: T0, updatedAt: T0, version: 1 }),
  );
  const chunks = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
  await Promise.all(chunks.map((c) => db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: c.map((Item) => ({ PutRequest: { Item } })) } }))));
  return out;
}

async function publish(leader: Caller, capacity: number) {
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

describe('sign-up races', () => {
  it('200 concurrent sign-ups for 50 places: 50 confirmed, 150 waitlisted in ticket order; 30 concurrent cancels promote exactly 30', async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader, 50);
    const people = await crowd(200);
    const results = await Promise.all(people.map((m) => svc.signUp(m, a.activityId)));

    expect(results.filter((r) => r.status === 'confirmed')).toHaveLength(50);
    expect(results.filter((r) => r.status === 'waitlisted')).toHaveLength(150);
    expect(results.map((r) => r.ticket).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await svc.getActivity(a.activityId)).toMatchObject({ confirmedCount: 50, waitlistedCount: 150 });

    const line = await store.waitlist(a.activityId);
    const waitlisted = results.filter((r) => r.status === 'waitlisted').sort((x, y) => x.ticket - y.ticket);
    expect(line).toEqual(waitlisted.map((r) => ({ ticket: r.ticket, memberId: r.memberId })));
    const signups = await store.allSignups(a.activityId);
    expect(signups.filter((s) => s.status === 'confirmed')).toHaveLength(50);
    expect(signups.filter((s) => s.status === 'waitlisted')).toHaveLength(150);
    // the leader's list is in arrival order
    const listed: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await svc.listSignups(leader, a.activityId, 100, cursor);
      listed.push(...page.items.map((s) => s.ticket));
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));

    // 30 confirmed members cancel at once: the 30 first of the waitlist are promoted, once each
    const leaving = results.filter((r) => r.status === 'confirmed').slice(0, 30);
    const cancels = await Promise.all(leaving.map((r) => svc.cancel(caller(r.memberId), a.activityId)));
    const promoted = cancels.map((c) => c.promoted).filter((p): p is string => p !== undefined);
    expect(promoted).toHaveLength(30);
    expect(new Set(promoted).size).toBe(30);
    expect(new Set(promoted)).toEqual(new Set(line.slice(0, 30).map((w) => w.memberId)));
    expect(await svc.getActivity(a.activityId)).toMatchObject({ confirmedCount: 50, waitlistedCount: 120 });
    const after = await store.allSignups(a.activityId);
    expect(after).toHaveLength(170);
    expect(after.filter((s) => s.status === 'confirmed')).toHaveLength(50);
    expect(await store.waitlist(a.activityId)).toEqual(line.slice(30));
  });
});


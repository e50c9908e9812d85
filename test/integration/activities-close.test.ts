import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import { allItems } from '../support/inspect.ts';
import * as svc from '../../shared/services/activities.ts';
import * as members from '../../shared/services/members.ts';
import * as store from '../../shared/db/activities.ts';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../shared/db/client.ts';
import { profileItem } from '../../shared/db/members.ts';
import { teamItem } from '../../shared/db/teams.ts';
import { putNew } from '../../shared/db/writes.ts';
import { getItem } from '../../shared/db/table.ts';
import { counterKey } from '../../shared/db/counters.ts';
import { env } from '../../shared/config/env.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Team } from '../../shared/domain/team.ts';

/**
 * Volume against DynamoDB Local: a close of 150 attendees (more than one transaction's 100
 * items), interrupted and retried, closed twice, and two closes at once.
 */
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

describe('closing 150 attendees', () => {
  it('writes 150 records in chunked transactions, counts exactly once, survives a retry, and a second close writes nothing', async () => {
    freezeClock(T0);
    const { team: t, leader } = await team();
    const a = await publish(leader, 150);
    const people = await crowd(150);
    for (let i = 0; i < people.length; i += 50) await Promise.all(people.slice(i, i + 50).map((m) => svc.signUp(m, a.activityId)));
    freezeClock(plus(a.startsAt, -5));
    const { code } = await svc.issueAttendanceCode(leader, a.activityId);
    await Promise.all(people.slice(0, 10).map((m) => svc.attend(m, a.activityId, 'in', code)));
    // the rest through the repository (the same conditional stamp, without the code check's read)
    await Promise.all(people.slice(10).map((m) => store.stampAttendance(a.activityId, m.memberId, 'in', plus(a.startsAt, -5))));
    freezeClock(plus(a.endsAt, 5));
    const { code: out } = await svc.issueAttendanceCode(leader, a.activityId);
    await Promise.all(people.slice(0, 10).map((m) => svc.attend(m, a.activityId, 'out', out)));
    await Promise.all(people.slice(10).map((m) => store.stampAttendance(a.activityId, m.memberId, 'out', plus(a.endsAt, 5))));

    // a close that died after its first chunk: closing, chunk 0 written
    freezeClock(plus(a.endsAt, 60));
    expect(await store.beginClose(a.activityId, plus(a.endsAt, 60))).toBe(true);
    const records = svc.recordsOf((await store.getActivity(a.activityId, true))!, await store.allSignups(a.activityId), '竞赛社区', leader.memberId, plus(a.endsAt, 60));
    expect(records).toHaveLength(150);
    const districtId = env().districtId;
    const refs = [
      { scope: 'district' as const, id: districtId, parent: { scope: 'city' as const, id: 'city' } },
      { scope: 'street' as const, id: place.streetId, parent: { scope: 'district' as const, id: districtId } },
      { scope: 'community' as const, id: place.communityId, parent: { scope: 'street' as const, id: place.streetId } },
      { scope: 'team' as const, id: t.teamId, parent: { scope: 'district' as const, id: districtId } },
    ];
    expect(await store.closeChunk(a.activityId, 0, records.slice(0, store.CLOSE_CHUNK), { refs, month: '2025-06' })).toBe(true);
    expect(await store.closeChunk(a.activityId, 0, records.slice(0, store.CLOSE_CHUNK), { refs, month: '2025-06' })).toBe(false);

    // the leader closes again: the rest is written, nothing twice
    const closed = await svc.close(leader, a.activityId, { peopleServed: 600, summary: '宣传600人次' });
    expect(closed).toMatchObject({ status: 'closed', peopleServed: 600, confirmedCount: 150 });
    const mine = (await allItems()).filter((i) => i.type === 'service-record' && i.activityId === a.activityId);
    expect(mine).toHaveLength(150);
    expect(new Set(mine.map((r) => r.memberId)).size).toBe(150);
    expect(mine.every((r) => r.hours === 2 && r.late === false)).toBe(true);
    for (const ref of refs) {
      const c = await getItem(counterKey(ref.scope, ref.id, '2025-06').pk, 'MONTH#2025-06', true);
      expect(c, `${ref.scope} counters`).toMatchObject({ activities: 1, volunteerTimes: 150, volunteerHours: 300, peopleServed: 600 });
    }
    const h = await getItem(`MEMBER#${people[77]!.memberId}`, 'HOURS', true);
    expect(h).toMatchObject({ confirmedHours: 2, records: 1 });

    const before = JSON.stringify(await allItems());
    freezeClock(plus(a.endsAt, 120));
    expect(await svc.close(leader, a.activityId, { peopleServed: 1, summary: 'again' })).toEqual(closed);
    expect(JSON.stringify(await allItems())).toBe(before);
  });

  it('two closes at once write each record once', async () => {
    freezeClock(T0);
    const { team: t, leader } = await team();
    const a = await publish(leader, 60);
    const people = await crowd(60);
    await Promise.all(people.map((m) => svc.signUp(m, a.activityId)));
    freezeClock(a.startsAt);
    const { code } = await svc.issueAttendanceCode(leader, a.activityId);
    void code;
    await Promise.all(people.map((m) => store.stampAttendance(a.activityId, m.memberId, 'in', a.startsAt)));
    await Promise.all(people.map((m) => store.stampAttendance(a.activityId, m.memberId, 'out', plus(a.startsAt, 60))));
    freezeClock(plus(a.endsAt, 10));
    const [x, y] = await Promise.all([
      svc.close(leader, a.activityId, { peopleServed: 5, summary: 'x' }),
      svc.close(leader, a.activityId, { peopleServed: 5, summary: 'x' }),
    ]);
    expect(x.status).toBe('closed');
    expect(y.status).toBe('closed');
    const c = await getItem(counterKey('team', t.teamId, '2025-06').pk, 'MONTH#2025-06', true);
    expect(c).toMatchObject({ activities: 1, volunteerTimes: 60, volunteerHours: 60, peopleServed: 5 });
  });
});

import { liveCounters } from '../support/counters.ts';
import { describe, expect, it } from 'vitest';
import { allItems } from '../support/inspect.ts';
import * as svc from '../../shared/services/activities.ts';
import * as store from '../../shared/db/activities.ts';
import { getItem } from '../../shared/db/table.ts';
import { env } from '../../shared/config/env.ts';
import { freezeClock } from '../../shared/domain/clock.ts';
import { crowd, place, plus, publish, T0, team } from './activities-fixture.ts';

/**
 * Setup, ten at a time: every sign-up and stamp is a transaction on the activity's item (a
 * condition), which serves one at a time; the close is what is under test here.
 */
async function tenAtATime<T>(xs: readonly T[], fn: (x: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < xs.length; i += 10) await Promise.all(xs.slice(i, i + 10).map(fn));
}

/** The repository's stamp without a code check (setup): no wrong codes were counted. */
const noLockout = { code: 'none', expiresAt: 'none', maxTries: 5 };

/**
 * Volume against DynamoDB Local: a close of 150 attendees (more than one transaction's 100
 * items), interrupted and retried, closed twice, and two closes at once.
 */

describe('closing 150 attendees', () => {
  it('writes 150 records in chunked transactions, counts exactly once, survives a retry, and a second close writes nothing', async () => {
    freezeClock(T0);
    const { team: t, leader } = await team();
    const a = await publish(leader, 150);
    const people = await crowd(150);
    await tenAtATime(people, (m) => svc.signUp(m, a.activityId));
    freezeClock(plus(a.startsAt, -5));
    const { code } = await svc.issueAttendanceCode(leader, a.activityId);
    await Promise.all(people.slice(0, 10).map((m) => svc.attend(m, a.activityId, 'in', code)));
    // the rest through the repository (the same conditional stamp, without the code check's read)
    await tenAtATime(people.slice(10), (m) =>
      store.stampAttendance(a.activityId, m.memberId, 'in', plus(a.startsAt, -5), noLockout),
    );
    freezeClock(plus(a.endsAt, 5));
    const { code: out } = await svc.issueAttendanceCode(leader, a.activityId);
    await Promise.all(people.slice(0, 10).map((m) => svc.attend(m, a.activityId, 'out', out)));
    await tenAtATime(people.slice(10), (m) =>
      store.stampAttendance(a.activityId, m.memberId, 'out', plus(a.endsAt, 5), noLockout),
    );

    // a close that died after its first chunk: closing, chunk 0 written
    freezeClock(plus(a.endsAt, 60));
    expect(await store.beginClose(a.activityId, plus(a.endsAt, 60))).toBe(true);
    const records = svc.recordsOf(
      (await store.getActivity(a.activityId, true))!,
      await store.allSignups(a.activityId),
      '竞赛社区',
      leader.memberId,
      plus(a.endsAt, 60),
    );
    expect(records).toHaveLength(150);
    const districtId = env().districtId;
    const refs = [
      { scope: 'district' as const, id: districtId, parent: { scope: 'city' as const, id: 'city' } },
      { scope: 'street' as const, id: place.streetId, parent: { scope: 'district' as const, id: districtId } },
      { scope: 'community' as const, id: place.communityId, parent: { scope: 'street' as const, id: place.streetId } },
      { scope: 'team' as const, id: t.teamId, parent: { scope: 'district' as const, id: districtId } },
    ];
    expect(await store.closeChunk(a.activityId, 0, records.slice(0, store.CLOSE_CHUNK), districtId)).toBe(true);
    expect(await store.closeChunk(a.activityId, 0, records.slice(0, store.CLOSE_CHUNK), districtId)).toBe(false);

    // the leader closes again: the rest is written, nothing twice
    const closed = await svc.close(leader, a.activityId, { peopleServed: 600, summary: '宣传600人次' });
    expect(closed).toMatchObject({ status: 'closed', peopleServed: 600, confirmedCount: 150 });
    const mine = (await allItems()).filter((i) => i.type === 'service-record' && i.activityId === a.activityId);
    expect(mine).toHaveLength(150);
    expect(new Set(mine.map((r) => r.memberId)).size).toBe(150);
    expect(mine.every((r) => r.hours === 2 && r.late === false)).toBe(true);
    for (const ref of refs) {
      const c = await liveCounters(ref.scope, ref.id, '2025-06');
      expect(c, `${ref.scope} counters`).toMatchObject({
        activities: 1,
        volunteerTimes: 150,
        volunteerHours: 300,
        peopleServed: 600,
      });
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
    await tenAtATime(people, (m) => svc.signUp(m, a.activityId));
    freezeClock(a.startsAt);
    const { code } = await svc.issueAttendanceCode(leader, a.activityId);
    void code;
    await tenAtATime(people, (m) => store.stampAttendance(a.activityId, m.memberId, 'in', a.startsAt, noLockout));
    await tenAtATime(people, (m) =>
      store.stampAttendance(a.activityId, m.memberId, 'out', plus(a.startsAt, 60), noLockout),
    );
    freezeClock(plus(a.endsAt, 10));
    const [x, y] = await Promise.all([
      svc.close(leader, a.activityId, { peopleServed: 5, summary: 'x' }),
      svc.close(leader, a.activityId, { peopleServed: 5, summary: 'x' }),
    ]);
    expect(x.status).toBe('closed');
    expect(y.status).toBe('closed');
    const c = await liveCounters('team', t.teamId, '2025-06');
    expect(c).toMatchObject({ activities: 1, volunteerTimes: 60, volunteerHours: 60, peopleServed: 5 });
  });
});

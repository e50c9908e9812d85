import { describe, expect, it } from 'vitest';
import * as svc from '../../shared/services/activities.ts';
import * as store from '../../shared/db/activities.ts';
import { freezeClock } from '../../shared/domain/clock.ts';
import { caller, crowd, publish, T0, team } from './activities-fixture.ts';

/** Races against DynamoDB Local: 200 concurrent sign-ups for 50 places, 30 concurrent cancellations. */

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

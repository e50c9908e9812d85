import { describe, expect, it } from 'vitest';
import * as svc from '../../shared/services/activities.ts';
import * as store from '../../shared/db/activities.ts';
import { freezeClock } from '../../shared/domain/clock.ts';
import { caller, crowd, publish, T0, team } from './activities-fixture.ts';

/**
 * Races against DynamoDB Local behind the layer (transaction conflicts as in AWS): a rush of
 * sign-ups for one activity, then concurrent cancellations. Every one of them writes the activity
 * item, which serves one transaction at a time: a rush drains at about one transaction per
 * DynamoDB Local transaction time (~30/s here, more in AWS), so its size stays within what the
 * client's conflict budget (8 s) drains on this machine.
 */
const RUSH = 50;
const PLACES = 15;
const LEAVING = 10;

describe('sign-up races', () => {
  it(`${RUSH} concurrent sign-ups for ${PLACES} places: ${PLACES} confirmed, the rest waitlisted in arrival order; ${LEAVING} concurrent cancels promote exactly ${LEAVING}`, async () => {
    freezeClock(T0);
    const { leader } = await team();
    const a = await publish(leader, PLACES);
    const people = await crowd(RUSH);
    const results = await Promise.all(people.map((m) => svc.signUp(m, a.activityId)));

    expect(results.filter((r) => r.status === 'confirmed')).toHaveLength(PLACES);
    expect(results.filter((r) => r.status === 'waitlisted')).toHaveLength(RUSH - PLACES);
    // Tickets are arrival instants (the clock is frozen here: all equal), ties broken by member id.
    const arrival = (x: { ticket: number; memberId: string }, y: { ticket: number; memberId: string }) =>
      x.ticket - y.ticket || (x.memberId < y.memberId ? -1 : x.memberId > y.memberId ? 1 : 0);
    expect(new Set(results.map((r) => r.memberId)).size).toBe(RUSH);
    expect(await svc.getActivity(a.activityId)).toMatchObject({
      confirmedCount: PLACES,
      waitlistedCount: RUSH - PLACES,
    });

    const line = await store.waitlist(a.activityId);
    const waitlisted = results.filter((r) => r.status === 'waitlisted').sort(arrival);
    expect(line).toEqual(waitlisted.map((r) => ({ ticket: r.ticket, memberId: r.memberId })));
    const signups = await store.allSignups(a.activityId);
    expect(signups.filter((s) => s.status === 'confirmed')).toHaveLength(PLACES);
    expect(signups.filter((s) => s.status === 'waitlisted')).toHaveLength(RUSH - PLACES);
    // the leader's list is in arrival order
    const listed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await svc.listSignups(leader, a.activityId, 100, cursor);
      listed.push(...page.items.map((s) => s.memberId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed).toEqual([...results].sort(arrival).map((r) => r.memberId));

    // Confirmed members cancel at once: as many of the first of the waitlist are promoted, once each
    const leaving = results.filter((r) => r.status === 'confirmed').slice(0, LEAVING);
    const cancels = await Promise.all(leaving.map((r) => svc.cancel(caller(r.memberId), a.activityId)));
    const promoted = cancels.map((c) => c.promoted).filter((p): p is string => p !== undefined);
    expect(promoted).toHaveLength(LEAVING);
    expect(new Set(promoted).size).toBe(LEAVING);
    expect(new Set(promoted)).toEqual(new Set(line.slice(0, LEAVING).map((w) => w.memberId)));
    expect(await svc.getActivity(a.activityId)).toMatchObject({
      confirmedCount: PLACES,
      waitlistedCount: RUSH - PLACES - LEAVING,
    });
    const after = await store.allSignups(a.activityId);
    expect(after).toHaveLength(RUSH - LEAVING);
    expect(after.filter((s) => s.status === 'confirmed')).toHaveLength(PLACES);
    expect(await store.waitlist(a.activityId)).toEqual(line.slice(LEAVING));
  });
});

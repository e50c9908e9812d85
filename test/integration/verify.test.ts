import { liveCounters } from '../support/counters.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';
import { codeOf, who } from '../support/callers.ts';
import * as activities from '../../shared/services/activities.ts';
import * as members from '../../shared/services/members.ts';
import * as records from '../../shared/services/records.ts';
import * as wishes from '../../shared/services/wishes.ts';
import { verifyCounters } from '../../shared/services/verify.ts';
import { handler } from '../../functions/jobs/index.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { getCheckIn } from '../../shared/db/check-ins.ts';
import { counterUpdate } from '../../shared/db/counters.ts';
import { factsQuery } from '../../shared/db/keys.ts';
import type { FactKind } from '../../shared/domain/counters.ts';
import { getCorrection } from '../../shared/db/records.ts';
import { getItem, queryAll, transact } from '../../shared/db/table.ts';
import { teamItem } from '../../shared/db/teams.ts';
import { putNew } from '../../shared/db/writes.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Team } from '../../shared/domain/team.ts';

/**
 * verify-counters against DynamoDB Local: the facts each write path now leaves (findable by
 * month, invisible to the API), a rebuild with no difference, and differences that are found:
 * a skewed live counter, a live-only counter, a missing one.
 */
const T0 = '2025-07-31T14:00:00.000Z'; // 22:00 on July 31 in Asia/Shanghai
const plus = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const district = who('district_admin');
const d = LOCAL_DISTRICT_ID;

let place: { streetId: string; communityId: string; gridId: string };
let admin: Caller;
let leader: Caller;
let crew: Caller[];
let recordId: string;
let correctionId: string;
let checkInId: string;
let wishId: string;
let activityId: string;
const team: Team = {
  teamId: 'tm-verify',
  name: '验证服务队',
  category: 'health',
  scope: 'district',
  leaderMemberId: 'lead-v',
  leaderName: '队长',
  status: 'active',
  memberCount: 1,
  createdAt: T0,
};

beforeAll(async () => {
  await useFreshTable();
  freezeClock(T0);
  const street = await members.createStreet(district, { name: '书院街街道' });
  const community = await members.createCommunity(district, {
    name: '和平社区',
    streetId: street.streetId,
    kind: 'urban',
  });
  const grid = await members.createGrid(district, community.communityId, { name: '一网格' });
  place = { streetId: street.streetId, communityId: community.communityId, gridId: grid.gridId };
  admin = who('community_admin', { sub: 'admin-v', communityId: community.communityId });
  await putNew(teamItem(team));
  leader = who('team_leader', { memberId: team.leaderMemberId, teamId: team.teamId });
  crew = ['v-1', 'v-2'].map((memberId) => who('member', { memberId }));
  for (const m of crew)
    await members.createMember(m, { name: `成员${m.memberId}`, phone: '13912345678', skills: [], categories: [] });

  // July: a check-in with a grid, a wish posted and published, an activity with two sign-ups.
  const ci = await members.requestCheckIn(crew[0]!, { communityId: place.communityId, gridId: place.gridId });
  await members.approveCheckIn(admin, ci.checkInId);
  checkInId = ci.checkInId;
  const resident = who('resident', { sub: 'res-v' });
  const w = await wishes.postWish(resident, {
    title: '修水龙头',
    description: '厨房水龙头漏水',
    category: 'elderly-care',
    skillsWanted: [],
    communityId: place.communityId,
    gridId: place.gridId,
    contactName: '钱奶奶',
    contactPhone: '13800002222',
  });
  wishId = w.wishId;
  await wishes.review(admin, wishId, { decision: 'publish' });
  const a = await activities.publish(leader, {
    title: '清洁家园',
    content: '打扫楼道',
    category: 'environment',
    communityId: place.communityId,
    startsAt: plus(60),
    endsAt: plus(120),
    capacity: 5,
  });
  activityId = a.activityId;
  for (const m of crew) await activities.signUp(m, activityId);
  freezeClock(plus(60));
  const code = (await activities.issueAttendanceCode(leader, activityId)).code;
  for (const m of crew) await activities.attend(m, activityId, 'in', code);
  freezeClock(plus(110));
  const code2 = (await activities.issueAttendanceCode(leader, activityId)).code;
  for (const m of crew) await activities.attend(m, activityId, 'out', code2);
  // August (Shanghai) from here: the close, its records, a claim, completion and confirmation, a correction.
  freezeClock(plus(125));
  await activities.close(leader, activityId, { peopleServed: 12, summary: '完成' });
  await wishes.claim(crew[1]!, wishId);
  await wishes.complete(crew[1]!, wishId, { note: '修好了', hours: 1.5 });
  await wishes.confirm(resident, wishId, { rating: 4 });
  const mine = await records.listMyRecords(crew[0]!, 10, undefined);
  recordId = mine.items[0]!.recordId;
  const c = await records.requestCorrection(crew[0]!, recordId, { requestedHours: 2.5, reason: '漏记' });
  correctionId = c.correctionId;
  await records.acceptCorrection(leader, recordId, correctionId, { hours: 2.5 });
});
afterEach(() => freezeClock(plus(125)));

describe('raw facts by month', () => {
  it('each write path leaves its fact under the month its counters count in, and the API does not show the keys', async () => {
    const facts = async (month: string, kind: FactKind) => queryAll(factsQuery(kind, month));
    expect((await facts('2025-07', 'check-in')).map((i) => i.checkInId)).toEqual([checkInId]);
    expect(
      (await facts('2025-08', 'activity-close')).map((i) => [i.activityId, i.teamId, i.communityId, i.peopleServed]),
    ).toEqual([[activityId, team.teamId, place.communityId, 12]]);
    expect((await facts('2025-08', 'correction')).map((i) => [i.correctionId, i.hoursDelta])).toEqual([
      [correctionId, 2],
    ]); // 0.5 h attended, corrected to 2.5 h
    expect((await facts('2025-07', 'wish-event')).map((i) => [i.eventType, i.fact])).toEqual([
      ['WishPosted', { streetId: place.streetId }],
      ['WishPublished', { streetId: place.streetId }],
    ]);
    expect((await facts('2025-08', 'wish-event')).map((i) => [i.eventType, i.rating])).toEqual([
      ['WishClaimed', undefined],
      ['WishCompleted', undefined],
      ['WishConfirmed', 4],
    ]);
    expect(await getItem(`ACTIVITY#${activityId}`, 'CLOSE', true)).toMatchObject({
      type: 'activity-close',
      closedAt: plus(125),
    });
    // What the services return stays as it was.
    const ci = await getCheckIn(checkInId, true);
    expect(ci).not.toHaveProperty('gsi3pk');
    expect(ci).toMatchObject({ status: 'approved' });
    const corr = await getCorrection(recordId, correctionId, true);
    expect(corr).not.toHaveProperty('gsi3pk');
    expect(corr).not.toHaveProperty('hoursDelta');
    const listed = await wishes.listEvents(admin, wishId, 10, undefined);
    expect(listed.items.every((e) => !('fact' in e) && !('gsi3pk' in e))).toBe(true);
  });
});

describe('verify-counters', () => {
  it('rebuilds both months from the facts with no difference, whatever the page size', async () => {
    const july = await verifyCounters({ month: '2025-07' });
    expect(july).toMatchObject({ month: '2025-07', differences: [], itemsRead: 3 }); // check-in, 2 wish events
    expect(july.scopes).toBe(4); // district, street, community, grid
    const aug = await verifyCounters({ month: '2025-08' });
    // close, 2 activity records + 1 wish record, 1 correction, 3 wish events
    expect(aug).toMatchObject({ month: '2025-08', differences: [], itemsRead: 8 });
    expect(aug.scopes).toBe(5); // + team (activity and its records), grid (wish events)
    const paged = await verifyCounters({ month: '2025-08', pageSize: 1 });
    expect({ ...paged, ms: 0 }).toEqual({ ...aug, ms: 0 });
  });

  it("defaults to yesterday's month in Asia/Shanghai: the month just ended on the 1st", async () => {
    freezeClock('2025-07-31T17:00:00.000Z'); // 01:00 on August 1 in Shanghai
    expect((await verifyCounters()).month).toBe('2025-07');
    freezeClock('2025-08-01T17:00:00.000Z'); // 01:00 on August 2
    expect((await verifyCounters()).month).toBe('2025-08');
  });

  it('reports a skewed live counter, a live-only counter and a missing one', async () => {
    const community = {
      scope: 'community' as const,
      id: place.communityId,
      parent: { scope: 'street' as const, id: place.streetId },
    };
    const ghost = {
      scope: 'grid' as const,
      id: 'gr-ghost',
      parent: { scope: 'community' as const, id: place.communityId },
    };
    const teamRef = { scope: 'team' as const, id: team.teamId, parent: { scope: 'district' as const, id: d } };
    const before = await verifyCounters({ month: '2025-08' });
    expect(before.differences).toEqual([]);
    const live = (scope: 'community' | 'team', id: string) => liveCounters(scope, id, '2025-08');
    const volunteerTimes = Number((await live('community', place.communityId)).volunteerTimes);
    const activitiesOfTeam = Number((await live('team', team.teamId)).activities);
    await transact(
      [
        counterUpdate(community, '2025-08', { volunteerTimes: 1 }),
        counterUpdate(ghost, '2025-08', { wishesPosted: 2 }),
        counterUpdate(teamRef, '2025-08', { activities: -1 }),
      ],
      () => {
        throw new Error('no conditions here');
      },
    );
    try {
      const out = await verifyCounters({ month: '2025-08' });
      expect(out.differences).toEqual([
        {
          scope: 'community',
          id: place.communityId,
          counter: 'volunteerTimes',
          live: volunteerTimes + 1,
          rebuilt: volunteerTimes,
        },
        { scope: 'grid', id: 'gr-ghost', counter: 'wishesPosted', live: 2, rebuilt: 0 },
        {
          scope: 'team',
          id: team.teamId,
          counter: 'activities',
          live: activitiesOfTeam - 1,
          rebuilt: activitiesOfTeam,
        },
      ]);
      expect(out.scopes).toBe(before.scopes + 1);
      // The other month is untouched.
      expect((await verifyCounters({ month: '2025-07' })).differences).toEqual([]);
    } finally {
      await transact(
        [
          counterUpdate(community, '2025-08', { volunteerTimes: -1 }),
          counterUpdate(ghost, '2025-08', { wishesPosted: -2 }),
          counterUpdate(teamRef, '2025-08', { activities: 1 }),
        ],
        () => {
          throw new Error('no conditions here');
        },
      );
    }
    expect((await verifyCounters({ month: '2025-08' })).differences).toEqual([]);
  });

  it('refuses a bad month or page size', async () => {
    expect(await codeOf(verifyCounters({ month: '2025-13' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(verifyCounters({ month: '2025-08', pageSize: 0 }))).toBe('VALIDATION_FAILED');
  });

  it('runs as the verify-counters job', async () => {
    const out = await handler({ job: 'verify-counters', args: { month: '2025-08', pageSize: 3 } });
    expect(out).toMatchObject({ job: 'verify-counters', month: '2025-08', differences: [], itemsRead: 8 });
  });
});

afterAll(() => resetClock());

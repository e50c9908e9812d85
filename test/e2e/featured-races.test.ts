import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callItem, submissionItem } from '../../shared/db/featured.ts';
import { putNew } from '../../shared/db/writes.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { FeaturedCall, RankedEntry, Submission } from '../../shared/domain/featured.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { useE2e } from '../support/e2e.ts';
import { AT, CALL_BODY, coreTeam, scores, submissionBody } from '../support/featured-e2e.ts';
import { allItems } from '../support/inspect.ts';

/**
 * Featured-project races over HTTP, with exact counts: concurrent award batches against the
 * budget and against a tier's count, one team's leader submitting many times at once, one
 * reviewer submitting scores many times at once.
 */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};
const published: string[] = [];

beforeAll(async () => {
  // No city here: the awards' event is dropped (the flow test follows it to the city).
  setPublisher({ publish: async (detailType) => void published.push(detailType) });
  t.district = await e2e.districtAdmin();
});
afterAll(() => {
  resetClock();
  setPublisher(undefined);
});

let seq = 0;
/**
 * A call whose results are published and whose notice has ended, with `n` ranked submissions of
 * three core members each, written through the repository's own item builders (the awards
 * route's input; the flow test reaches this state through the routes).
 */
async function rankedCall(
  n: number,
  tiers: FeaturedCall['tiers'],
  budget: number,
): Promise<{ callId: string; subs: string[] }> {
  const callId = `fc-race-${++seq}`;
  const subs = Array.from({ length: n }, (_, i) => `fs-race-${seq}-${i}`);
  const ranking: RankedEntry[] = subs.map((submissionId, i) => ({
    rank: i + 1,
    submissionId,
    teamId: `team-race-${seq}-${i}`,
    teamName: `队${i}`,
    title: `项目${i}`,
    category: 'health',
    total: `${90 - i}.00`,
    stages: [],
    reviewers: 3,
  }));
  const call: FeaturedCall = {
    callId,
    ...(CALL_BODY as unknown as Omit<FeaturedCall, 'callId' | 'tiers' | 'budget'>),
    tiers,
    budget,
    awardedAmount: 0,
    awardedByTier: Object.fromEntries(tiers.map((x) => [x.tierId, 0])),
    createdAt: '2026-02-20T02:00:00.000Z',
    createdBy: 'admin',
    resultsPublishedAt: AT.results,
    noticeFrom: '2026-05-11',
    noticeUntil: '2026-05-18',
    ranking,
  };
  await putNew(callItem(call));
  for (const [i, submissionId] of subs.entries()) {
    const s: Submission = {
      callId,
      submissionId,
      teamId: ranking[i]!.teamId,
      teamName: ranking[i]!.teamName,
      leaderMemberId: `m-race-${seq}-${i}-0`,
      category: 'health',
      title: ranking[i]!.title,
      plan: '计划',
      budget: [{ item: '物资', amount: 1 }],
      budgetTotal: 1,
      startedOn: '2020-01-01',
      coreMembers: [0, 1, 2].map((k) => ({ memberId: `m-race-${seq}-${i}-${k}`, name: `成员${k}` })),
      evidence: {
        from: '2025-05',
        to: '2026-04',
        activities: 1,
        volunteerHours: 200,
        peopleServed: 1,
        wishesCompleted: 0,
      },
      eligibility: { eligible: true, checks: [] },
      contentHash: 'x',
      version: 1,
      submittedAt: AT.open,
      updatedAt: AT.open,
    };
    await putNew(submissionItem(s));
  }
  return { callId, subs };
}

const itemsOf = async (callId: string) => {
  const all = await allItems(e2e.tableName);
  return {
    call: all.find((i) => i.pk === `FCALL#${callId}` && i.sk === 'CALL')!,
    awards: all.filter((i) => i.type === 'featured-award' && i.callId === callId),
    entries: all.filter((i) => i.type === 'member-award' && i.callId === callId),
    history: all.filter((i) => i.type === 'team-award' && i.callId === callId),
  };
};

describe('featured-project races', () => {
  it('12 concurrent award batches against a budget for 5: exactly 5 awarded, the totals exact', async () => {
    freezeClock(AT.afterNotice);
    const { callId, subs } = await rankedCall(
      12,
      [{ tierId: 'second', name: '二等奖', count: 12, amount: 20000 }],
      100000,
    );
    const results = await Promise.all(
      subs.map((submissionId) =>
        api.post(`/featured-calls/${callId}/awards`, t.district, { awards: [{ submissionId, tierId: 'second' }] }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(7).fill('AWARD_OVER_BUDGET'));
    const { call, awards, entries, history } = await itemsOf(callId);
    expect([call.awardedAmount, (call.awardedByTier as Record<string, number>).second]).toEqual([100000, 5]);
    expect([awards.length, entries.length, history.length]).toEqual([5, 15, 5]);
  }, 180_000);

  it('8 concurrent batches of two first-tier awards against a count of 3: whole batches only, never over', async () => {
    freezeClock(AT.afterNotice);
    const { callId, subs } = await rankedCall(
      16,
      [{ tierId: 'first', name: '一等奖', count: 3, amount: 1000 }],
      1_000_000,
    );
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.post(`/featured-calls/${callId}/awards`, t.district, {
          awards: [
            { submissionId: subs[2 * i]!, tierId: 'first' },
            { submissionId: subs[2 * i + 1]!, tierId: 'first' },
          ],
        }),
      ),
    );
    // Two awards a batch and three places: one batch wins, every other one would pass the count.
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    expect(results.every((r) => r.status < 500)).toBe(true);
    const { call, awards, entries } = await itemsOf(callId);
    expect([(call.awardedByTier as Record<string, number>).first, call.awardedAmount]).toEqual([2, 2000]);
    expect([awards.length, entries.length]).toEqual([2, 6]);
  }, 180_000);

  it("10 concurrent submissions by one team's leader: exactly one entry", async () => {
    freezeClock(AT.before);
    const call = await api.post('/featured-calls', t.district, CALL_BODY);
    expect(call.status, call.text).toBe(201);
    freezeClock(AT.open);
    const team = await coreTeam(e2e, { scope: 'district' });
    const body = submissionBody(team.core.map((m) => m.memberId));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.post(`/featured-calls/${call.body.callId}/submissions`, team.leader.token, body, {
          'idempotency-key': `race-submit-${i}`,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(
      Array(9).fill('TEAM_ALREADY_ENTERED'),
    );
    const all = await allItems(e2e.tableName);
    const mine = (type: string) => all.filter((i) => i.type === type && i.pk === `FCALL#${call.body.callId}`);
    expect([mine('featured-submission').length, mine('featured-entry').length]).toEqual([1, 1]);

    // One reviewer sending their scores 10 times at once after the close: one accepted, the rest locked.
    const reviewer = await e2e.member('评委');
    const sid = results.find((r) => r.status === 201)!.body.submissionId;
    const assign = await api.post(`/featured-calls/${call.body.callId}/submissions/${sid}/reviewers`, t.district, {
      reviewerId: reviewer.memberId,
    });
    expect(assign.status, assign.text).toBe(201);
    freezeClock(AT.review);
    const sent = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.post(`/featured-calls/${call.body.callId}/submissions/${sid}/scores`, reviewer.token, {
          scores: scores([5 + (i % 5), 8, 4, 4], [8, 8, 4, 4]),
        }),
      ),
    );
    expect(sent.filter((r) => r.status === 200)).toHaveLength(1);
    expect(sent.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(9).fill('SCORES_LOCKED'));
    const stored = (await allItems(e2e.tableName)).filter(
      (i) => i.type === 'featured-review' && i.submissionId === sid,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.scores).toEqual(sent.find((r) => r.status === 200)!.body.scores);
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callItem, reviewItem, submissionItem } from '../../shared/db/featured.ts';
import { transact } from '../../shared/db/table.ts';
import { tableName } from '../../shared/db/client.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { FeaturedCall, Review, Submission } from '../../shared/domain/featured.ts';
import * as svc from '../../shared/services/featured.ts';
import { codeOf, who } from '../support/callers.ts';
import { SHEET_RUBRIC, sheetScores, sheetTotals } from '../support/featured.ts';
import { useFreshTable } from '../support/table.ts';

/**
 * The results service over DynamoDB Local on the 50-submission reference sheet
 * (test/fixtures/featured): every submission and every reviewer's locked scores stored as the
 * routes store them, read back by the call's one Query, ranked and published; the ranking equals
 * the sheet computed apart from this code, ties included. The notice then shows it.
 */
const district = who('district_admin');
const CALL_ID = 'fc-sheet';

beforeAll(async () => {
  await useFreshTable();
  freezeClock('2026-05-11T02:00:00.000Z');
  const call: FeaturedCall = {
    callId: CALL_ID,
    year: 2026,
    title: '参考表',
    categories: ['health'],
    opensOn: '2026-03-01',
    closesOn: '2026-04-30',
    evidenceFrom: '2025-05',
    evidenceTo: '2026-04',
    ...SHEET_RUBRIC,
    tiers: [{ tierId: 'first', name: '一等奖', count: 1, amount: 1 }],
    budget: 1,
    eligibility: { minTeamHours: 0, minYearsRunning: 0, oneEntryPerTeam: true, barredYearsAfterTopAward: 0 },
    awardConditions: { keepRunningMonths: 12, reportWithinMonths: 6 },
    noticeWorkingDays: 5,
    minReviewers: 3,
    awardedAmount: 0,
    awardedByTier: { first: 0 },
    createdAt: '2026-02-01T00:00:00.000Z',
    createdBy: 'admin',
  };
  const items = [callItem(call)];
  for (const s of sheetScores()) {
    const sub: Submission = {
      callId: CALL_ID,
      submissionId: s.submissionId,
      teamId: `team-${s.submissionId}`,
      teamName: `队${s.submissionId}`,
      leaderMemberId: `lead-${s.submissionId}`,
      category: 'health',
      title: `项目${s.submissionId}`,
      plan: '计划',
      budget: [{ item: '物资', amount: 1 }],
      budgetTotal: 1,
      startedOn: '2020-01-01',
      coreMembers: [],
      evidence: {
        from: '2025-05',
        to: '2026-04',
        activities: 0,
        volunteerHours: 0,
        peopleServed: 0,
        wishesCompleted: 0,
      },
      eligibility: { eligible: true, checks: [] },
      contentHash: 'x',
      version: 1,
      submittedAt: s.submittedAt,
      updatedAt: s.submittedAt,
    };
    items.push(submissionItem(sub));
    for (const [reviewer, scores] of s.reviews) {
      const r: Review = {
        callId: CALL_ID,
        submissionId: s.submissionId,
        reviewerId: reviewer,
        reviewerName: reviewer,
        status: 'submitted',
        assignedAt: '2026-05-01T00:00:00.000Z',
        assignedBy: 'admin',
        scores,
        submittedAt: '2026-05-06T00:00:00.000Z',
      };
      items.push(reviewItem(r));
    }
  }
  // 25 items a transaction: the same items the routes write, without their conditions.
  for (let i = 0; i < items.length; i += 25)
    await transact(
      items.slice(i, i + 25).map((Item) => ({ Put: { TableName: tableName(), Item } })),
      () => new Error('seeding failed'),
    );
}, 180_000);
afterAll(() => resetClock());

describe('featured-project results from the database', () => {
  it('ranks the 50 reference submissions exactly as the sheet, ties included, and opens the notice', async () => {
    const published = await svc.publishResults(district, CALL_ID);
    const expected = sheetTotals();
    expect(
      published.ranking!.map((r) => [
        r.rank,
        r.submissionId,
        r.reviewers,
        r.stages.map((s) => s.mean),
        r.total,
        r.tieBrokenBy,
      ]),
    ).toEqual(
      expected.map((e) => [e.rank, e.submissionId, e.reviewers, [e.materials, e.roadshow], e.total, e.tieBrokenBy]),
    );
    expect([published.noticeFrom, published.noticeUntil]).toEqual(['2026-05-11', '2026-05-18']);
    const notice = await svc.notice(CALL_ID, 'rule');
    expect(notice.ranking.map((r) => r.submissionId)).toEqual(expected.map((e) => e.submissionId));
    expect(await codeOf(svc.publishResults(district, CALL_ID))).toBe('RESULTS_PUBLISHED');
  }, 120_000);
});

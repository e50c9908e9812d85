import { describe, expect, it } from 'vitest';
import {
  addMonths,
  awardOverrun,
  callErrors,
  conditionsOf,
  contentHash,
  eligibilityOf,
  evidenceMonths,
  Fraction,
  noticeEnded,
  noticeUntil,
  rank,
  scoreErrors,
  scoreSubmission,
  stageScore,
  submissionWindow,
  trimmedMean,
  wholeYears,
} from '../../shared/domain/featured.ts';
import { SHEET_RUBRIC, sheetScores, sheetTotals } from '../support/featured.ts';

/** The scoring formula and tie rule against the hand-checked reference sheet, and the other pure rules. */
describe('featured projects: totals of the 50 reference submissions', () => {
  const scored = sheetScores().map((s) => scoreSubmission(SHEET_RUBRIC, s, [...s.reviews.values()]));
  const ranked = rank(SHEET_RUBRIC, scored);
  const expected = sheetTotals();

  it('has 50 submissions with 3 to 7 reviewers', () => {
    expect(scored).toHaveLength(50);
    expect(new Set(scored.map((s) => s.reviewers))).toEqual(new Set([3, 4, 5, 6, 7]));
  });

  it('matches every row of the sheet: order, stage means, exact and shown totals, the tie rule used', () => {
    const got = ranked.map(({ s, tieBrokenBy }, i) => ({
      rank: i + 1,
      submissionId: s.submissionId,
      reviewers: s.reviewers,
      materials: s.stages.get('materials')!.fixed2(),
      roadshow: s.stages.get('roadshow')!.fixed2(),
      exact: s.total.toString(),
      total: s.total.fixed2(),
      tieBrokenBy,
    }));
    expect(got).toEqual(expected);
  });

  it('has the ties the sheet was built with, each broken by its rule', () => {
    const tie = (sid: string) => expected.find((r) => r.submissionId === sid)!;
    expect([tie('S11'), tie('S30'), tie('S31'), tie('S10')].map((r) => [r.rank, r.total, r.tieBrokenBy])).toEqual([
      [6, '74.00', undefined],
      [7, '74.00', 'stage'],
      [8, '74.00', 'submissionId'],
      [9, '74.00', 'stage'],
    ]);
    expect([tie('S21').rank, tie('S20').rank, tie('S20').tieBrokenBy]).toEqual([3, 4, 'submittedAt']);
  });
});

describe('featured projects: scoring rules', () => {
  it("a reviewer's stage score is the weighted sum over criteria of score / max", () => {
    const scores = [
      { stageId: 'm', criterionId: 'creativity', score: 8 },
      { stageId: 'm', criterionId: 'reach', score: 5 },
      { stageId: 'm', criterionId: 'brand', score: 5 },
      { stageId: 'm', criterionId: 'effect', score: 1 },
    ];
    expect(stageScore(SHEET_RUBRIC.criteria, scores, 'm').toString()).toBe('63');
  });

  it('drops the highest and lowest only from 5 reviewers on', () => {
    const f = (...ns: number[]) => ns.map((n) => new Fraction(BigInt(n)));
    expect(trimmedMean(f(10, 20, 90)).toString()).toBe('40');
    expect(trimmedMean(f(10, 20, 30, 100)).toString()).toBe('40');
    expect(trimmedMean(f(0, 20, 30, 40, 100)).toString()).toBe('30');
    expect(trimmedMean(f(0, 20, 30, 40, 50, 100)).toString()).toBe('35');
  });

  it('rounds half up at 2 decimals, exactly', () => {
    expect(new Fraction(2n, 3n).fixed2()).toBe('0.67');
    expect(new Fraction(1n, 200n).fixed2()).toBe('0.01');
    expect(new Fraction(1n, 201n).fixed2()).toBe('0.00');
    expect(new Fraction(100n).fixed2()).toBe('100.00');
  });

  it('refuses scores missing a criterion, out of range, repeated or unknown', () => {
    const full = SHEET_RUBRIC.stages.flatMap((st) =>
      SHEET_RUBRIC.criteria.map((c) => ({ stageId: st.stageId, criterionId: c.criterionId, score: c.max })),
    );
    expect(scoreErrors(SHEET_RUBRIC, full)).toEqual([]);
    expect(scoreErrors(SHEET_RUBRIC, full.slice(1))).toHaveLength(1);
    expect(scoreErrors(SHEET_RUBRIC, [...full.slice(1), { ...full[1]! }])).toHaveLength(2);
    expect(scoreErrors(SHEET_RUBRIC, [{ ...full[2]!, score: 6 }, ...full.slice(0, 2), ...full.slice(3)])).toEqual([
      { field: 'body.scores', message: 'item 0: at most 5 for brand' },
    ]);
    expect(scoreErrors(SHEET_RUBRIC, [...full, { stageId: 'x', criterionId: 'reach', score: 1 }])).toHaveLength(1);
  });
});

describe('featured projects: call, window, eligibility, notice, awards', () => {
  const call = {
    year: 2026,
    opensOn: '2026-03-01',
    closesOn: '2026-04-30',
    evidenceFrom: '2025-05',
    evidenceTo: '2026-04',
    ...SHEET_RUBRIC,
    tiers: [
      { tierId: 'first', name: '一等奖', count: 1, amount: 50000 },
      { tierId: 'second', name: '二等奖', count: 2, amount: 20000 },
    ],
  };

  it('checks weights, ids and dates', () => {
    expect(callErrors(call)).toEqual([]);
    expect(callErrors({ ...call, stages: [{ stageId: 'a', name: 'a', weight: 50 }] }).map((e) => e.field)).toEqual([
      'body.stages',
    ]);
    expect(callErrors({ ...call, closesOn: '2026-02-01' }).map((e) => e.field)).toContain('body.closesOn');
    expect(callErrors({ ...call, evidenceFrom: '2025-04' }).map((e) => e.field)).toEqual(['body.evidenceTo']);
    expect(evidenceMonths('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('takes submissions from opensOn 00:00 to the end of closesOn in Asia/Shanghai', () => {
    expect(submissionWindow(call, Date.parse('2026-02-28T15:59:59.999Z'))).toBe('before');
    expect(submissionWindow(call, Date.parse('2026-02-28T16:00:00.000Z'))).toBe('open');
    expect(submissionWindow(call, Date.parse('2026-04-30T15:59:59.999Z'))).toBe('open');
    expect(submissionWindow(call, Date.parse('2026-04-30T16:00:00.000Z'))).toBe('closed');
  });

  it('explains each eligibility rule', () => {
    const c = {
      ...call,
      categories: ['health' as const],
      eligibility: { minTeamHours: 100, minYearsRunning: 2, oneEntryPerTeam: true, barredYearsAfterTopAward: 2 },
    };
    const evidence = {
      from: '2025-05',
      to: '2026-04',
      activities: 3,
      volunteerHours: 100,
      peopleServed: 9,
      wishesCompleted: 1,
    };
    const ok = eligibilityOf(c, { category: 'health', startedOn: '2024-04-30', evidence }, []);
    expect(ok.eligible).toBe(true);
    const young = eligibilityOf(c, { category: 'health', startedOn: '2024-05-01', evidence }, []);
    expect(young.checks.filter((x) => !x.passed).map((x) => x.rule)).toEqual(['minYearsRunning']);
    const barred = eligibilityOf(
      c,
      { category: 'child-care', startedOn: '2020-01-01', evidence: { ...evidence, volunteerHours: 99.5 } },
      [{ year: 2024, tierRank: 1, callId: 'x' }],
    );
    expect(barred.checks.filter((x) => !x.passed).map((x) => x.rule)).toEqual([
      'category',
      'minTeamHours',
      'barredAfterTopAward',
    ]);
    expect(
      eligibilityOf(c, { category: 'health', startedOn: '2020-01-01', evidence }, [
        { year: 2023, tierRank: 1, callId: 'x' },
      ]).eligible,
    ).toBe(true);
    expect(
      eligibilityOf(c, { category: 'health', startedOn: '2020-01-01', evidence }, [
        { year: 2025, tierRank: 2, callId: 'x' },
      ]).eligible,
    ).toBe(true);
    expect(wholeYears('2024-02-29', '2026-02-28')).toBe(1);
  });

  it('hashes the content so that any change of it changes the hash', () => {
    const content = {
      callId: 'c',
      submissionId: 's',
      teamId: 't',
      category: 'health' as const,
      title: 'x',
      plan: 'p',
      budget: [{ item: 'a', amount: 1 }],
      startedOn: '2020-01-01',
      coreMemberIds: ['a', 'b', 'c'],
      evidence: {
        from: '2025-05',
        to: '2026-04',
        activities: 1,
        volunteerHours: 2,
        peopleServed: 3,
        wishesCompleted: 4,
      },
    };
    expect(contentHash(content)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ ...content })).toBe(contentHash(content));
    expect(contentHash({ ...content, plan: 'q' })).not.toBe(contentHash(content));
  });

  it('keeps the notice up 5 working days counted from the next day, and awards after it', () => {
    // Friday 2026-05-15: Mon 18 .. Fri 22.
    expect(noticeUntil('2026-05-15', 5)).toBe('2026-05-22');
    // Monday 2026-05-18: Tue 19 .. Mon 25.
    expect(noticeUntil('2026-05-18', 5)).toBe('2026-05-25');
    expect(noticeEnded({ noticeUntil: '2026-05-22' }, '2026-05-22T15:59:59.000Z')).toBe(false);
    expect(noticeEnded({ noticeUntil: '2026-05-22' }, '2026-05-22T16:00:00.000Z')).toBe(true);
    expect(noticeEnded({}, '2030-01-01T00:00:00.000Z')).toBe(false);
  });

  it("refuses awards over a tier's count or the budget, counting earlier awards", () => {
    const state = { ...call, budget: 80000, awardedAmount: 0, awardedByTier: { first: 0, second: 0 } };
    expect(awardOverrun(state, ['first', 'second'])).toBeUndefined();
    expect(awardOverrun(state, ['first', 'first'])?.code).toBe('AWARD_OVER_TIER');
    expect(awardOverrun(state, ['first', 'second', 'second'])?.code).toBe('AWARD_OVER_BUDGET');
    expect(
      awardOverrun({ ...state, awardedAmount: 50000, awardedByTier: { first: 1, second: 0 } }, ['second']),
    ).toBeUndefined();
    expect(
      awardOverrun({ ...state, awardedAmount: 70000, awardedByTier: { first: 1, second: 1 } }, ['second'])?.code,
    ).toBe('AWARD_OVER_BUDGET');
  });

  it("tracks an award's conditions", () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-05-20', 12)).toBe('2027-05-20');
    const a = { conditions: { keepRunningUntil: '2027-05-20', reportDueOn: '2026-11-20' } };
    expect(conditionsOf(a, true, '2026-06-01')).toEqual({ keepRunning: 'running', report: 'due' });
    expect(conditionsOf(a, true, '2026-11-21')).toEqual({ keepRunning: 'running', report: 'overdue' });
    expect(conditionsOf(a, true, '2027-05-21').keepRunning).toBe('met');
    expect(conditionsOf(a, false, '2026-06-01').keepRunning).toBe('broken');
  });
});

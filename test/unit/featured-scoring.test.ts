import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  assertCall,
  awardOverrun,
  CALL_STATUSES,
  callErrors,
  callStatus,
  conditionsOf,
  contentHash,
  contentOf,
  dayStartMs,
  eligibilityOf,
  evidenceMonths,
  FEATURED_DETAIL_TYPE,
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
  // Computed inside each test: Stryker credits no test with what runs when the file loads.
  const score = () => sheetScores().map((s) => scoreSubmission(SHEET_RUBRIC, s, [...s.reviews.values()]));
  const expected = sheetTotals();

  it('has 50 submissions with 3 to 7 reviewers', () => {
    const scored = score();
    expect(scored).toHaveLength(50);
    expect(new Set(scored.map((s) => s.reviewers))).toEqual(new Set([3, 4, 5, 6, 7]));
  });

  it('matches every row of the sheet: order, stage means, exact and shown totals, the tie rule used', () => {
    const got = rank(SHEET_RUBRIC, score()).map(({ s, tieBrokenBy }, i) => ({
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
    // A criterion without a score counts 0 (scores are checked complete before they are kept).
    expect(stageScore(SHEET_RUBRIC.criteria, scores.slice(1), 'm').toString()).toBe('39');
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

describe('featured projects: the rules word by word', () => {
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

  it("a call's errors say what is wrong, each on its field", () => {
    const bad = {
      year: 2027,
      opensOn: '2026-03-01',
      closesOn: '2026-02-28',
      evidenceFrom: '2026-03',
      evidenceTo: '2026-02',
      criteria: [
        { criterionId: 'a', name: 'a', weight: 50, max: 5 },
        { criterionId: 'a', name: 'b', weight: 49, max: 5 },
      ],
      stages: [
        { stageId: 's', name: 's', weight: 60 },
        { stageId: 's', name: 't', weight: 60 },
      ],
      tiers: [
        { tierId: 't', name: 't', count: 1, amount: 1 },
        { tierId: 't', name: 'u', count: 1, amount: 1 },
      ],
    };
    expect(callErrors(bad)).toEqual([
      { field: 'body.criteria', message: "the criteria's weights add up to 100" },
      { field: 'body.criteria', message: 'each criterionId once' },
      { field: 'body.stages', message: "the stages' weights add up to 100" },
      { field: 'body.stages', message: 'each stageId once' },
      { field: 'body.tiers', message: 'each tierId once' },
      { field: 'body.closesOn', message: 'on or after opensOn' },
      { field: 'body.opensOn', message: 'in the call’s year' },
      { field: 'body.evidenceTo', message: 'on or after evidenceFrom' },
    ]);
    expect(callErrors({ ...call, evidenceFrom: '2025-04' })).toEqual([
      { field: 'body.evidenceTo', message: 'at most 12 months from evidenceFrom' },
    ]);
    expect(callErrors({ ...call, evidenceFrom: '2025-06', evidenceTo: '2026-05' })).toEqual([
      { field: 'body.evidenceTo', message: 'not after the month of closesOn' },
    ]);
    // Boundaries that pass: one day, one month, twelve months ending in the closing month.
    expect(callErrors({ ...call, closesOn: '2026-03-01', evidenceFrom: '2026-03', evidenceTo: '2026-03' })).toEqual([]);
    expect(callErrors({ ...call, evidenceFrom: '2024-05', evidenceTo: '2025-04' })).toEqual([]);
    expect(() => assertCall(call)).not.toThrow();
    try {
      assertCall({ ...call, year: 2025 });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({
        code: 'VALIDATION_FAILED',
        detail: 'see errors for each field',
        extra: { errors: [{ field: 'body.opensOn', message: 'in the call’s year' }] },
      });
    }
  });

  it('lists the evidence months across years, one month, and twelve', () => {
    expect(evidenceMonths('2026-04', '2026-04')).toEqual(['2026-04']);
    expect(evidenceMonths('2025-01', '2025-12')).toHaveLength(12);
    expect(evidenceMonths('2025-09', '2026-08')).toEqual([
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
    ]);
    expect(dayStartMs('2026-03-01')).toBe(Date.parse('2026-02-28T16:00:00.000Z'));
  });

  it('counts whole years to the day', () => {
    expect(wholeYears('2024-04-30', '2026-04-30')).toBe(2);
    expect(wholeYears('2024-05-01', '2026-04-30')).toBe(1);
    expect(wholeYears('2024-04-29', '2026-04-30')).toBe(2);
    expect(wholeYears('2024-03-31', '2026-04-01')).toBe(2);
    expect(wholeYears('2026-05-01', '2026-04-30')).toBe(0);
  });

  it('explains each eligibility rule in words', () => {
    const c = {
      ...call,
      categories: ['health' as const, 'legal-aid' as const],
      eligibility: { minTeamHours: 100, minYearsRunning: 2, oneEntryPerTeam: true, barredYearsAfterTopAward: 2 },
    };
    const evidence = {
      from: '2025-05',
      to: '2026-04',
      activities: 3,
      volunteerHours: 120,
      peopleServed: 9,
      wishesCompleted: 1,
    };
    expect(eligibilityOf(c, { category: 'legal-aid', startedOn: '2023-06-01', evidence }, [])).toEqual({
      eligible: true,
      checks: [
        { rule: 'category', passed: true, detail: 'category legal-aid; the call takes health, legal-aid' },
        {
          rule: 'minTeamHours',
          passed: true,
          detail: '120 service hours from 2025-05 to 2026-04; at least 100 needed',
        },
        {
          rule: 'minYearsRunning',
          passed: true,
          detail: 'running 2 whole year(s) since 2023-06-01 at the close (2026-04-30); at least 2 needed',
        },
        { rule: 'oneEntryPerTeam', passed: true, detail: "the team's only entry in this call" },
        { rule: 'barredAfterTopAward', passed: true, detail: 'no top award within 2 year(s) before 2026' },
      ],
    });
    const several = { ...c, eligibility: { ...c.eligibility, oneEntryPerTeam: false } };
    const barred = eligibilityOf(several, { category: 'health', startedOn: '2023-06-01', evidence }, [
      { year: 2025, tierRank: 2, callId: 'b' },
      { year: 2024, tierRank: 1, callId: 'a' },
    ]);
    expect(barred.eligible).toBe(false);
    expect(barred.checks.slice(3)).toEqual([
      { rule: 'oneEntryPerTeam', passed: true, detail: 'the call takes several entries per team' },
      {
        rule: 'barredAfterTopAward',
        passed: false,
        detail: 'the team won the top tier in 2024; barred for 2 year(s) after',
      },
    ]);
    // A top award of this year's call, or a later one, bars nothing (the rule looks back).
    expect(
      eligibilityOf(c, { category: 'health', startedOn: '2023-06-01', evidence }, [
        { year: 2026, tierRank: 1, callId: 'x' },
      ]).eligible,
    ).toBe(true);
  });

  it('hashes the submitted content in a fixed shape', () => {
    const s = {
      callId: 'c',
      submissionId: 's',
      teamId: 't',
      teamName: 'not hashed',
      communityId: 'C1',
      leaderMemberId: 'L',
      category: 'health' as const,
      title: 'x',
      plan: 'p',
      budget: [{ item: 'a', amount: 1, note: 'dropped' } as { item: string; amount: number }],
      budgetTotal: 1,
      startedOn: '2020-01-01',
      coreMembers: [
        { memberId: 'm1', name: 'A' },
        { memberId: 'm2', name: 'B' },
      ],
      evidence: {
        from: '2025-05',
        to: '2026-04',
        activities: 1,
        volunteerHours: 2,
        peopleServed: 3,
        wishesCompleted: 4,
        extra: 5,
      } as ReturnType<typeof contentOf>['evidence'],
    };
    const content = contentOf(s);
    expect(JSON.stringify(content)).toBe(
      '{"callId":"c","submissionId":"s","teamId":"t","category":"health","title":"x","plan":"p","budget":[{"item":"a","amount":1}],"startedOn":"2020-01-01","coreMemberIds":["m1","m2"],"evidence":{"from":"2025-05","to":"2026-04","activities":1,"volunteerHours":2,"peopleServed":3,"wishesCompleted":4}}',
    );
    expect(contentHash(content)).toBe(createHash('sha256').update(JSON.stringify(content)).digest('hex'));
  });

  it("a score's errors say which item and why", () => {
    const full = SHEET_RUBRIC.stages.flatMap((st) =>
      SHEET_RUBRIC.criteria.map((c) => ({ stageId: st.stageId, criterionId: c.criterionId, score: 0 })),
    );
    expect(scoreErrors(SHEET_RUBRIC, [...full, { stageId: 'x', criterionId: 'reach', score: 1 }])).toEqual([
      { field: 'body.scores', message: 'item 8: not a stage of this call' },
    ]);
    expect(scoreErrors(SHEET_RUBRIC, [...full, { stageId: 'roadshow', criterionId: 'x', score: 1 }])).toEqual([
      { field: 'body.scores', message: 'item 8: not a criterion of this call' },
    ]);
    expect(scoreErrors(SHEET_RUBRIC, [...full, { ...full[0]! }])).toEqual([
      { field: 'body.scores', message: 'item 8: each stage and criterion once' },
    ]);
    expect(scoreErrors(SHEET_RUBRIC, full.slice(0, 7))).toEqual([
      { field: 'body.scores', message: 'no score for stage roadshow, criterion effect' },
    ]);
  });

  it('computes with exact fractions', () => {
    const f = (n: number, d = 1) => new Fraction(BigInt(n), BigInt(d));
    expect(f(2, 4).toString()).toBe('1/2');
    expect(f(0, 7).toString()).toBe('0');
    expect(f(6, 3).toString()).toBe('2');
    expect(f(1, 3).add(f(1, 6)).toString()).toBe('1/2');
    expect(f(2, 3).mul(f(9, 4)).toString()).toBe('3/2');
    expect(f(3, 2).div(3n).toString()).toBe('1/2');
    expect([f(1, 3).cmp(f(2, 6)), f(1, 3).cmp(f(1, 2)), f(1, 2).cmp(f(1, 3))]).toEqual([0, -1, 1]);
    expect(f(7349, 100).fixed2()).toBe('73.49');
    expect(f(12345, 1000).fixed2()).toBe('12.35');
    expect(f(5, 1000).fixed2()).toBe('0.01');
    expect(f(1, 2).fixed2()).toBe('0.50');
    expect(trimmedMean([]).toString()).toBe('0');
  });

  it('ranks by total, then by the heaviest stage, the earlier submission, the smaller id', () => {
    const rubric = {
      stages: [
        { stageId: 'a', name: 'a', weight: 30 },
        { stageId: 'b', name: 'b', weight: 40 },
        { stageId: 'c', name: 'c', weight: 30 },
      ],
    };
    const f = (n: number) => new Fraction(BigInt(n));
    const sc = (id: string, at: string, a: number, b: number, c: number, total = 100) => ({
      submissionId: id,
      submittedAt: at,
      total: f(total),
      stages: new Map([
        ['a', f(a)],
        ['b', f(b)],
        ['c', f(c)],
      ]),
      reviewers: 3,
    });
    const order = (xs: ReturnType<typeof sc>[]) =>
      rank(rubric, xs).map(({ s, tieBrokenBy }) => `${s.submissionId}${tieBrokenBy ? `:${tieBrokenBy}` : ''}`);
    // The heaviest stage (b) first; among equal weights (a, c) the one listed first (a).
    expect(order([sc('x', '1', 9, 1, 9), sc('y', '1', 1, 2, 1)])).toEqual(['y', 'x:stage']);
    expect(order([sc('x', '1', 1, 5, 9), sc('y', '1', 2, 5, 1)])).toEqual(['y', 'x:stage']);
    expect(order([sc('x', '1', 2, 5, 1), sc('y', '1', 2, 5, 3)])).toEqual(['y', 'x:stage']);
    expect(order([sc('x', '2', 2, 5, 3), sc('y', '1', 2, 5, 3)])).toEqual(['y', 'x:submittedAt']);
    expect(order([sc('y', '1', 2, 5, 3), sc('x', '2', 2, 5, 3)])).toEqual(['y', 'x:submittedAt']);
    expect(order([sc('y', '1', 2, 5, 3), sc('x', '1', 2, 5, 3)])).toEqual(['x', 'y:submissionId']);
    expect(order([sc('x', '1', 2, 5, 3, 50), sc('y', '2', 1, 1, 1, 60)])).toEqual(['y', 'x']);
    expect(order([sc('y', '2', 1, 1, 1, 60), sc('x', '1', 2, 5, 3, 50)])).toEqual(['y', 'x']);
  });

  it('a notice of n working days skips weekends and holidays; awards from the day after it', () => {
    expect(noticeUntil('2026-05-15', 1)).toBe('2026-05-18');
    expect(noticeUntil('2026-05-15', 0)).toBe('2026-05-15');
    expect(noticeEnded({ noticeUntil: '2026-05-22' }, '2026-05-23T10:00:00.000Z')).toBe(true);
  });

  it('an overrun says which limit and what was asked', () => {
    const state = { ...call, budget: 80000, awardedAmount: 0, awardedByTier: { first: 1 } };
    expect(awardOverrun(state, ['first'])).toEqual({
      code: 'AWARD_OVER_TIER',
      detail: 'tier first awards at most 1: 1 awarded, 1 more asked',
    });
    expect(awardOverrun({ ...state, awardedByTier: {} }, ['second', 'second'])).toBeUndefined();
    expect(awardOverrun({ ...state, awardedByTier: {} }, ['second', 'second', 'second'])?.code).toBe('AWARD_OVER_TIER');
    expect(awardOverrun({ ...state, awardedAmount: 50000, awardedByTier: {} }, ['second', 'second'])).toEqual({
      code: 'AWARD_OVER_BUDGET',
      detail: 'the budget is 80000: 50000 awarded, 40000 more asked',
    });
    // Exactly the budget is within it; an unknown tier costs nothing and is counted by no tier.
    expect(awardOverrun({ ...state, awardedAmount: 40000, awardedByTier: {} }, ['second', 'second'])).toBeUndefined();
    expect(awardOverrun({ ...state, awardedAmount: 80000, awardedByTier: {} }, ['other'])).toBeUndefined();
  });

  it('conditions run until their day, inclusive; months clip to the month', () => {
    const a = { conditions: { keepRunningUntil: '2027-05-20', reportDueOn: '2026-11-20' } };
    expect(conditionsOf(a, true, '2027-05-20')).toEqual({ keepRunning: 'running', report: 'overdue' });
    expect(conditionsOf(a, true, '2026-11-20')).toEqual({ keepRunning: 'running', report: 'due' });
    expect(conditionsOf(a, false, '2027-06-01')).toEqual({ keepRunning: 'broken', report: 'overdue' });
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 11)).toBe('2026-12-31');
    expect(addMonths('2026-03-05', 0)).toBe('2026-03-05');
  });
});

describe("a call's status, day by day (Asia/Shanghai)", () => {
  const call = { opensOn: '2026-03-01', closesOn: '2026-04-30' };
  it('upcoming, open, in review, on notice, awarding', () => {
    expect(CALL_STATUSES).toEqual(['upcoming', 'open', 'review', 'notice', 'awarding']);
    expect(callStatus(call, '2026-02-28T15:59:00.000Z')).toBe('upcoming'); // 23:59 on 28 February
    expect(callStatus(call, '2026-02-28T16:00:00.000Z')).toBe('open'); // 00:00 on 1 March
    expect(callStatus(call, '2026-04-30T15:59:00.000Z')).toBe('open');
    expect(callStatus(call, '2026-04-30T16:00:00.000Z')).toBe('review');
    const published = { ...call, resultsPublishedAt: '2026-05-11T02:00:00.000Z', noticeUntil: '2026-05-18' };
    expect(callStatus(published, '2026-05-18T15:59:00.000Z')).toBe('notice');
    expect(callStatus(published, '2026-05-18T16:00:00.000Z')).toBe('awarding');
  });
  it("names the city's event as the city's rule expects it", () => {
    expect(FEATURED_DETAIL_TYPE).toBe('FeaturedProjectsAwarded');
  });
});

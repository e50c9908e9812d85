import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { useE2e } from '../support/e2e.ts';
import { AT, CALL_BODY, coreTeam, scores, submissionBody } from '../support/featured-e2e.ts';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';

/**
 * Bad input on the featured-projects routes: malformed JSON, missing and unknown fields, wrong
 * types and bounds, weights that do not add up, dates out of order, too few core members, scores
 * outside the rubric, bad ids, forged cursors. Each gets a 4xx problem+json, never a 5xx, and
 * nothing in the table changes.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { callId: '', s1: '', teamA: '' };
const t: Record<string, string> = {};
let core: string[] = [];

beforeAll(async () => {
  freezeClock(AT.open);
  t.district = await e2e.districtAdmin();
  const teamA = await coreTeam(e2e, { scope: 'district' });
  ids.teamA = teamA.teamId;
  core = teamA.core.map((m) => m.memberId);
  t.leaderA = teamA.leader.token;
  const reviewer = await e2e.member('评委');
  t.reviewer = reviewer.token;
  const call = await api.post('/featured-calls', t.district, CALL_BODY);
  ids.callId = call.body.callId;
  const sub = await api.post(`/featured-calls/${ids.callId}/submissions`, t.leaderA, submissionBody(core));
  expect(sub.status, sub.text).toBe(201);
  ids.s1 = sub.body.submissionId;
  const r = await api.post(`/featured-calls/${ids.callId}/submissions/${ids.s1}/reviewers`, t.district, {
    reviewerId: reviewer.memberId,
  });
  expect(r.status, r.text).toBe(201);
}, 180_000);
afterAll(() => resetClock());

describe('bad input on the featured-projects routes', () => {
  const long = (n: number) => 'x'.repeat(n);
  const badIds = ['a%23b', long(65), '%E4%B8%AD', '-x', 'a.b'];
  const forged = () =>
    Buffer.from(JSON.stringify({ pk: 'TEAM#other', sk: 'TEAM', gsi1pk: 'STREETS', gsi1sk: 'x' })).toString('base64url');
  const criteria = CALL_BODY.criteria;
  const stage = (i: number) => CALL_BODY.stages[i]!;

  function callCases(): BadCase[] {
    return bodyCases(
      'POST',
      '/featured-calls',
      'district',
      CALL_BODY,
      {
        'criteria weights not 100': { criteria: [{ ...criteria[0]!, weight: 31 }, ...criteria.slice(1)] },
        'criterion twice': { criteria: [criteria[0]!, { ...criteria[0]!, weight: 70 }] },
        'criterion max 0': { criteria: [{ ...criteria[0]!, max: 0 }, ...criteria.slice(1)] },
        'no criteria': { criteria: [] },
        'stage weights not 100': { stages: [stage(0), { ...stage(1), weight: 50 }] },
        'no stages': { stages: [] },
        'stage weight a string': { stages: [stage(0), { ...stage(1), weight: '60' }] },
        'tier twice': { tiers: [CALL_BODY.tiers[0]!, CALL_BODY.tiers[0]!] },
        'tier count 0': { tiers: [{ ...CALL_BODY.tiers[0]!, count: 0 }] },
        'tier amount negative': { tiers: [{ ...CALL_BODY.tiers[0]!, amount: -1 }] },
        'budget a fraction': { budget: 1.5 },
        'budget negative': { budget: -1 },
        'closes before it opens': { closesOn: '2026-02-01' },
        'opens in another year': { opensOn: '2025-12-01' },
        'a day that does not exist': { closesOn: '2026-02-30' },
        'evidence window over 12 months': { evidenceFrom: '2025-04' },
        'evidence after the close': { evidenceTo: '2026-05' },
        'evidence month malformed': { evidenceFrom: '2025-13' },
        'notice under 5 working days': { noticeWorkingDays: 4 },
        'no categories': { categories: [] },
        'unknown category': { categories: ['flying'] },
        'year out of range': { year: 1999 },
        'title too long': { title: long(101) },
        'title with a line break': { title: 'a\nb' },
        'eligibility field unknown': { eligibility: { ...CALL_BODY.eligibility, extra: 1 } },
        'eligibility hours negative': { eligibility: { ...CALL_BODY.eligibility, minTeamHours: -1 } },
        'one entry per team not a boolean': { eligibility: { ...CALL_BODY.eligibility, oneEntryPerTeam: 'yes' } },
        'report within 0 months': { awardConditions: { keepRunningMonths: 12, reportWithinMonths: 0 } },
      },
      ['noticeWorkingDays', 'minReviewers'],
    );
  }

  function submissionCases(method: 'POST' | 'PUT', path: string): BadCase[] {
    return bodyCases(method, path, 'leaderA', submissionBody(core), {
      'two core members': { coreMemberIds: core.slice(0, 2) },
      'eight core members': { coreMemberIds: [...core, 'a', 'b', 'c', 'd', 'e'] },
      'a core member twice': { coreMemberIds: [core[0], core[0], core[1]] },
      'a core member id with #': { coreMemberIds: [core[0], core[1], 'a#b'] },
      'plan empty': { plan: '   ' },
      'plan too long': { plan: long(5001) },
      'no budget lines': { budget: [] },
      'budget amount negative': { budget: [{ item: '物资', amount: -5 }] },
      'budget line unknown field': { budget: [{ item: '物资', amount: 5, note: 'x' }] },
      'started on a bad day': { startedOn: '2023-02-29' },
      'unknown category': { category: 'flying' },
      'title a number': { title: 7 },
    });
  }

  function cases(): BadCase[] {
    const sub = `/featured-calls/${ids.callId}/submissions/${ids.s1}`;
    const all = scores([8, 8, 4, 4], [8, 8, 4, 4]);
    return [
      ...callCases(),
      ...submissionCases('POST', `/featured-calls/${ids.callId}/submissions`),
      ...submissionCases('PUT', sub),
      ...bodyCases(
        'POST',
        `${sub}/reviewers`,
        'district',
        { reviewerId: 'm-1' },
        {
          'reviewer id with #': { reviewerId: 'a#b' },
          'reviewer id empty': { reviewerId: '' },
          'reviewer id a number': { reviewerId: 5 },
          'unknown reviewer': { reviewerId: 'nobody-at-all' },
        },
      ),
      ...bodyCases(
        'POST',
        `${sub}/scores`,
        'reviewer',
        { scores: all },
        {
          'no scores': { scores: [] },
          'a score over the criterion max': { scores: [{ ...all[2]!, score: 6 }, ...all.slice(0, 2), ...all.slice(3)] },
          'a score over 100': { scores: [{ ...all[0]!, score: 101 }, ...all.slice(1)] },
          'a negative score': { scores: [{ ...all[0]!, score: -1 }, ...all.slice(1)] },
          'a fractional score': { scores: [{ ...all[0]!, score: 7.5 }, ...all.slice(1)] },
          'a criterion missing': { scores: all.slice(1) },
          'a criterion twice': { scores: [...all, all[0]!] },
          'an unknown stage': { scores: [...all.slice(1), { ...all[0]!, stageId: 'interview' }] },
          'an unknown criterion': { scores: [...all.slice(1), { ...all[0]!, criterionId: 'charm' }] },
          'score line with an unknown field': { scores: [{ ...all[0]!, note: 'x' }, ...all.slice(1)] },
        },
      ),
      ...bodyCases(
        'POST',
        `/featured-calls/${ids.callId}/awards`,
        'district',
        { awards: [{ submissionId: ids.s1, tierId: 'first' }] },
        {
          'no awards': { awards: [] },
          'award without a tier': { awards: [{ submissionId: ids.s1 }] },
          'award tier id with #': { awards: [{ submissionId: ids.s1, tierId: 'a#b' }] },
          'awards not a list': { awards: { submissionId: ids.s1, tierId: 'first' } },
        },
      ),
      ...badIds.flatMap((id): BadCase[] => [
        { name: `GET call ${id}`, method: 'GET', path: `/featured-calls/${id}`, token: 'district' },
        {
          name: `GET submission ${id}`,
          method: 'GET',
          path: `/featured-calls/${ids.callId}/submissions/${id}`,
          token: 'district',
        },
        { name: `POST results ${id}`, method: 'POST', path: `/featured-calls/${id}/results`, token: 'district' },
        { name: `GET notice ${id}`, method: 'GET', path: `/featured-calls/${id}/notice` },
        { name: `GET team awards ${id}`, method: 'GET', path: `/teams/${id}/awards`, token: 'reviewer' },
      ]),
      {
        name: 'submissions limit 0',
        method: 'GET',
        path: `/featured-calls/${ids.callId}/submissions?limit=0`,
        token: 'district',
      },
      {
        name: 'submissions limit 0x10',
        method: 'GET',
        path: `/featured-calls/${ids.callId}/submissions?limit=0x10`,
        token: 'district',
      },
      {
        name: 'submissions unknown query',
        method: 'GET',
        path: `/featured-calls/${ids.callId}/submissions?status=x`,
        token: 'district',
      },
      {
        name: 'submissions forged cursor',
        method: 'GET',
        path: `/featured-calls/${ids.callId}/submissions?cursor=${forged()}`,
        token: 'district',
      },
      { name: 'my awards limit 101', method: 'GET', path: '/members/me/awards?limit=101', token: 'reviewer' },
      {
        name: 'my awards forged cursor',
        method: 'GET',
        path: `/members/me/awards?cursor=${forged()}`,
        token: 'reviewer',
      },
      { name: 'unknown call', method: 'GET', path: '/featured-calls/fc-nowhere', token: 'district' },
      { name: 'unknown team awards', method: 'GET', path: '/teams/team-nowhere/awards', token: 'reviewer' },
    ];
  }

  it('refuses each with a 4xx problem and writes nothing (submissions open, scores after the close)', async () => {
    const open = cases().filter((c) => !c.path.endsWith('/scores'));
    await expectRefusedWritingNothing(() => badInputFailures(api, open, t), e2e.tableName);
    freezeClock(AT.review);
    const review = cases().filter((c) => c.path.endsWith('/scores'));
    expect(review.length).toBeGreaterThan(15);
    await expectRefusedWritingNothing(() => badInputFailures(api, review, t), e2e.tableName);
  }, 120_000);

  it('names the rule a call breaks', async () => {
    freezeClock(AT.open);
    const res = await api.post('/featured-calls', t.district, {
      ...CALL_BODY,
      stages: [stage(0), { ...stage(1), weight: 50 }],
      closesOn: '2026-02-01',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.closesOn',
      'body.evidenceTo',
      'body.stages',
    ]);
  }, 120_000);
});

import { expect } from 'vitest';
import type { E2e, Member, TeamFixture } from './e2e.ts';

/** Fixtures of the featured-projects e2e files, over HTTP through the real routes. */

export const CALL_BODY = {
  year: 2026,
  title: '2026年度党员志愿服务特色项目',
  categories: ['health', 'elderly-care'],
  opensOn: '2026-03-01',
  closesOn: '2026-04-30',
  evidenceFrom: '2025-05',
  evidenceTo: '2026-04',
  criteria: [
    { criterionId: 'creativity', name: '创新性', weight: 30, max: 10 },
    { criterionId: 'reach', name: '覆盖面', weight: 30, max: 10 },
    { criterionId: 'brand', name: '品牌影响', weight: 20, max: 5 },
    { criterionId: 'effect', name: '社会效果', weight: 20, max: 5 },
  ],
  stages: [
    { stageId: 'materials', name: '书面材料', weight: 40 },
    { stageId: 'roadshow', name: '路演', weight: 60 },
  ],
  tiers: [
    { tierId: 'first', name: '一等奖', count: 1, amount: 50000 },
    { tierId: 'second', name: '二等奖', count: 2, amount: 20000 },
  ],
  budget: 60000,
  eligibility: { minTeamHours: 100, minYearsRunning: 2, oneEntryPerTeam: true, barredYearsAfterTopAward: 2 },
  awardConditions: { keepRunningMonths: 12, reportWithinMonths: 6 },
  noticeWorkingDays: 5,
  minReviewers: 3,
};

/** Instants of the call above. */
export const AT = {
  before: '2026-02-20T02:00:00.000Z',
  open: '2026-03-10T02:00:00.000Z',
  /** 2026-05-01 00:00 in Shanghai: the first instant after the close. */
  closed: '2026-04-30T16:00:00.000Z',
  review: '2026-05-06T02:00:00.000Z',
  /** Published Monday 2026-05-11: on notice through Monday 2026-05-18 (5 working days from the 12th). */
  results: '2026-05-11T02:00:00.000Z',
  lastNoticeDay: '2026-05-18T15:59:00.000Z',
  afterNotice: '2026-05-18T16:00:00.000Z',
};

export const submissionBody = (coreMemberIds: string[], extra: Record<string, unknown> = {}) => ({
  category: 'health',
  title: '小牛哥·先锋骑手',
  plan: '外卖骑手党员在送餐途中探访独居老人，每周一次。',
  budget: [
    { item: '物资', amount: 8000 },
    { item: '培训', amount: 2000 },
  ],
  startedOn: '2023-05-01',
  coreMemberIds,
  ...extra,
});

/** One reviewer's scores: for each stage, the four criteria (creativity, reach, brand, effect). */
export function scores(materials: number[], roadshow: number[]) {
  const names = ['creativity', 'reach', 'brand', 'effect'];
  return [
    ...names.map((criterionId, i) => ({ stageId: 'materials', criterionId, score: materials[i]! })),
    ...names.map((criterionId, i) => ({ stageId: 'roadshow', criterionId, score: roadshow[i]! })),
  ];
}

/** A team whose leader and two members (joined, approved) are its three core members. */
export async function coreTeam(
  e2e: E2e,
  opts: Parameters<E2e['team']>[0] = {},
): Promise<TeamFixture & { core: Member[] }> {
  const team = await e2e.team(opts);
  const core: Member[] = [team.leader];
  for (let i = 0; i < 2; i++) {
    const m = await e2e.joinRequest(team.teamId);
    const res = await e2e.api.post(`/teams/${team.teamId}/members/${m.memberId}/approve`, team.leader.token);
    expect(res.status, res.text).toBe(200);
    core.push(m);
  }
  return { ...team, core };
}

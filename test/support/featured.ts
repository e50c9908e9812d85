import { readFileSync } from 'node:fs';
import type { FeaturedCall, Scores } from '../../shared/domain/featured.ts';

/**
 * The 50-submission reference sheet (test/fixtures/featured/README.md): its rubric, every score,
 * and the expected ranking computed apart from the platform's code.
 */
export const SHEET_RUBRIC: Pick<FeaturedCall, 'criteria' | 'stages'> = {
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
};

const csv = (name: string) =>
  readFileSync(new URL(`../fixtures/featured/${name}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

export interface SheetSubmission {
  readonly submissionId: string;
  readonly submittedAt: string;
  /** reviewer -> scores */
  readonly reviews: Map<string, Scores>;
}

export function sheetScores(): SheetSubmission[] {
  const [head, ...rows] = csv('scores.csv');
  const criteria = head!.slice(4);
  const subs = new Map<string, { submissionId: string; submittedAt: string; reviews: Map<string, Scores> }>();
  for (const [sid, at, reviewer, stage, ...scores] of rows) {
    let s = subs.get(sid!);
    if (!s) subs.set(sid!, (s = { submissionId: sid!, submittedAt: at!, reviews: new Map() }));
    const mine = [...(s.reviews.get(reviewer!) ?? [])];
    criteria.forEach((c, i) => {
      mine.push({ stageId: stage!, criterionId: c, score: Number(scores[i]) });
    });
    s.reviews.set(reviewer!, mine);
  }
  return [...subs.values()];
}

export interface SheetRow {
  rank: number;
  submissionId: string;
  reviewers: number;
  materials: string;
  roadshow: string;
  exact: string;
  total: string;
  tieBrokenBy: string | undefined;
}

export function sheetTotals(): SheetRow[] {
  const [, ...rows] = csv('totals.csv');
  return rows.map(([rank, sid, k, m, r, exact, total, tie]) => ({
    rank: Number(rank),
    submissionId: sid!,
    reviewers: Number(k),
    materials: m!,
    roadshow: r!,
    exact: exact!,
    total: total!,
    tieBrokenBy: tie || undefined,
  }));
}

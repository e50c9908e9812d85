/**
 * The districts (区/县) that get a stack each. Ops add a district here, then `npm run synth`
 * and `cdk deploy Pioneer-<id>`. Ids are lower-case pinyin: they name stacks, tables and logs.
 */
export interface District {
  readonly id: string;
  readonly name: string;
  readonly nameZh: string;
  /** GB/T 2260 administrative division code. */
  readonly code: string;
  /** Days a published micro-wish may stay unclaimed before the daily job escalates it (default 7). */
  readonly wishEscalationDays?: number;
  /** Unexcused no-shows in a natural year that open a review for the member's community (default 5). */
  readonly noShowReviewThreshold?: number;
}

export const DISTRICTS: readonly District[] = [
  { id: 'jinjiang', name: 'Jinjiang District', nameZh: '锦江区', code: '510104' },
  { id: 'shuangliu', name: 'Shuangliu District', nameZh: '双流区', code: '510116' },
  { id: 'pujiang', name: 'Pujiang County', nameZh: '蒲江县', code: '510131' },
];

/** The district the local runtime plays (`npm start`, tests, tokens). */
export const LOCAL_DISTRICT_ID = 'jinjiang';

export function findDistrict(id: string): District | undefined {
  return DISTRICTS.find((d) => d.id === id);
}

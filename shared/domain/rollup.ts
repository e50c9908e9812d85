/**
 * The monthly rollup's event, shared by the district that emits it (the `rollup` job) and the
 * city that stores it. On EventBridge: source `pioneer.district`, detail-type
 * `MonthlyRollupFrozen`, detail below. A later event for the same district and month replaces the
 * earlier one (compare `frozenAt`), never adds to it.
 */
export const ROLLUP_EVENT_SOURCE = 'pioneer.district';
export const ROLLUP_DETAIL_TYPE = 'MonthlyRollupFrozen';

/** Counter name -> value, as kept in the STATS items (checkIns, activities, volunteerHours, ...). */
export type Figures = Readonly<Record<string, number>>;

export interface MonthlyRollupFrozen {
  readonly district: string;
  /** YYYY-MM (Asia/Shanghai). */
  readonly month: string;
  /** UTC ISO time the snapshot was taken. */
  readonly frozenAt: string;
  /** The district's own figures for the month. */
  readonly figures: Figures;
  /** Its streets' figures, for the city's drill-down, each with its name (absent in events of older districts). */
  readonly streets: readonly { readonly streetId: string; readonly name?: string; readonly figures: Figures }[];
}

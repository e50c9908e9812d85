import type { Scope } from '../../shared/domain/counters.ts';
import { getLive } from '../../shared/db/stats.ts';

/**
 * A scope's live counters of a month, as the statistics read them: the sum of its shards
 * (shared/db/keys.ts COUNTER_SHARDS), strongly consistent; every counter name, 0 when none.
 */
export function liveCounters(scope: Scope, id: string, month: string): Promise<Record<string, number>> {
  return getLive({ scope, id }, month);
}

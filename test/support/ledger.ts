import { applyChange } from '../../shared/services/ledger.ts';
import { allItems } from './inspect.ts';

/** The item types the ledger consumer takes from the table's stream (shared/config/streams.ts `ledger`). */
const FACT_TYPES = new Set(['service-record', 'wish-event', 'evaluation', 'training-entry']);

/**
 * Delivers every fact item of the test's table to the ledger consumer, as the stream would (each
 * as a change with its current image; delivering them again changes nothing). Returns how many
 * entries were posted.
 */
export async function feedLedger(): Promise<number> {
  let posted = 0;
  for (const item of await allItems())
    if (FACT_TYPES.has(String(item.type)))
      posted += (await applyChange({ eventName: 'MODIFY', newImage: item })).posted;
  return posted;
}

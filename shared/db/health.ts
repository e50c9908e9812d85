import { healthKey } from './keys.ts';
import { getItem } from './table.ts';

/** One GetItem on a key nobody writes: proves the table answers, costs half a read unit. */
export async function pingTable(): Promise<void> {
  const k = healthKey();
  await getItem(k.pk, k.sk);
}

import { env } from '../config/env.ts';
import { pingTable } from '../db/health.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError } from '../domain/errors.ts';

export interface Health {
  readonly status: 'ok';
  readonly district: string;
  readonly table: 'reachable';
  readonly time: string;
}

/** The function runs and its table answers (one GetItem); a table that does not answer is UNAVAILABLE (503). */
export async function health(): Promise<Health> {
  try {
    await pingTable();
  } catch (err) {
    // The cause is logged by the HTTP stack, never shown.
    throw Object.assign(new DomainError('UNAVAILABLE', 'the table does not answer'), { cause: err });
  }
  return { status: 'ok', district: env().districtId, table: 'reachable', time: nowIso() };
}

import type { TableDefinition } from './table.ts';

/**
 * The city level, declared once: its table, its event bus and the events on it. The City stack
 * (infra/city-stack.ts) builds them; the local runtime (infra/local/city-bus.ts) creates the same
 * table in DynamoDB Local and delivers the same events in-process.
 *
 * Events on the city bus (`pioneer-city`):
 *   source pioneer.district  detail-type MonthlyRollupFrozen  district -> city (shared/domain/rollup.ts)
 *   source pioneer.city      detail-type CityThemePlanned     city -> every district (shared/domain/city.ts)
 */
export const CITY_TABLE_NAME = 'pioneer-city';
export const CITY_BUS_NAME = 'pioneer-city';
/** The city stack's "district id": names its functions (`pioneer-city-<name>`) and its log groups. */
export const CITY_ID = 'city';

export const CITY_EVENT_SOURCE = 'pioneer.city';
export const CITY_THEME_DETAIL_TYPE = 'CityThemePlanned';
/** A user confirmed their sign-up (the pool's post-confirmation trigger): to the district they chose. */
export const RESIDENT_SIGNED_UP_DETAIL_TYPE = 'ResidentSignedUp';

/** The city table: a key pair only (no index: every city read is a Query on pk). */
export const CITY_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [],
  ttlAttribute: 'expiresAt',
} as const satisfies TableDefinition;

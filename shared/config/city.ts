import type { Deployment } from './deployment.ts';
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

/**
 * Where the City stack is deployed and who gets its alarms: explicit, like each district's
 * (shared/config/districts.ts; every district is deployed in this account and region). The account
 * is the AWS documentation's example: replace it with yours.
 */
export const CITY_DEPLOYMENT: Deployment = {
  account: '111122223333',
  region: 'ap-southeast-1',
  alarmEmails: ['ops-city@pioneer.example.cn'],
};

/**
 * Each district's stack writes its profile here (`<prefix><id>`, a String parameter holding
 * { id, name, nameZh, code }); the city function reads the whole path at run time
 * (shared/events/district-directory.ts), so a new district needs no redeploy of the city.
 */
export const DISTRICT_DIRECTORY_PATH = '/pioneer/districts';

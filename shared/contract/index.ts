import type { Contract } from '../http/api.ts';
import * as activities from './activities.ts';
import * as awards from './awards.ts';
import * as city from './city.ts';
import * as evaluation from './evaluation.ts';
import * as featured from './featured.ts';
import * as memberRecord from './member-record.ts';
import * as nominations from './nominations.ts';
import * as identity from './identity.ts';
import * as members from './members.ts';
import * as notifications from './notifications.ts';
import * as platform from './platform.ts';
import * as records from './records.ts';
import * as stations from './stations.ts';
import * as stats from './stats.ts';
import * as teams from './teams.ts';
import * as themes from './themes.ts';
import * as training from './training.ts';
import * as wishes from './wishes.ts';

/**
 * Every route's contract by its export name (the operationId in the OpenAPI document): the
 * district's (shared/config/routes.ts) and the city's (shared/config/city-routes.ts), for the
 * document and the contract-coverage tests. Functions import their own contract module only.
 */
function contractsOf(...mods: Record<string, unknown>[]): Readonly<Record<string, Contract>> {
  const out: Record<string, Contract> = {};
  for (const mod of mods)
    for (const [name, v] of Object.entries(mod))
      if (typeof v === 'object' && v !== null && 'method' in v && 'path' in v) {
        if (name in out) throw new Error(`two contracts are named ${name}: operationIds must be unique`);
        out[name] = v as Contract;
      }
  return out;
}

export const DISTRICT_CONTRACTS = contractsOf(
  platform,
  members,
  records,
  teams,
  themes,
  activities,
  wishes,
  stations,
  training,
  stats,
  evaluation,
  notifications,
  featured,
  awards,
  nominations,
  memberRecord,
  identity,
);
export const CITY_CONTRACTS_BY_NAME = contractsOf(city);

export const ALL_CONTRACTS: readonly Contract[] = Object.values(DISTRICT_CONTRACTS);

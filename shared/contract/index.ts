import type { Contract } from '../http/api.ts';
import * as activities from './activities.ts';
import * as identity from './identity.ts';
import * as members from './members.ts';
import * as platform from './platform.ts';
import * as records from './records.ts';
import * as stats from './stats.ts';
import * as teams from './teams.ts';
import * as themes from './themes.ts';
import * as wishes from './wishes.ts';

/** Every route's contract, for the OpenAPI document and the contract-coverage test. */
function contractsOf(mod: Record<string, unknown>): Contract[] {
  return Object.values(mod).filter(
    (v): v is Contract => typeof v === 'object' && v !== null && 'method' in v && 'path' in v,
  );
}

export const ALL_CONTRACTS: readonly Contract[] = [
  ...contractsOf(platform),
  ...contractsOf(members),
  ...contractsOf(records),
  ...contractsOf(teams),
  ...contractsOf(themes),
  ...contractsOf(activities),
  ...contractsOf(wishes),
  ...contractsOf(stats),
  ...contractsOf(identity),
];

/**
 * What each function uses, declared once: the tables it reads or writes and whether it puts events
 * on the city bus. One builder (infra/function-environment.ts) turns a declaration into the
 * function's environment and its grants, for the CDK stacks and for the local runtime alike, and
 * shared/config/env.ts checks at cold start that the variables it promises are there. A function
 * gets no variable and no permission its declaration does not name: `docs` has no table.
 *
 * Data only (strings), like the route table, so that `cdk synth` loads no runtime code. The two
 * maps are the two kinds of stack: every district stack has the district functions, the City
 * stack the city's. A test holds each map against the functions the route and schedule tables name.
 *
 * A new resource (a queue, the user pool, ...) is a field here, its variable in env.ts, its case in
 * the builder and in PioneerFunction (its grant) and in the local runtime (infra/local/deployment.ts).
 */
export type Access = 'RO' | 'RW';
export type TableId = 'district' | 'city';
export type StackKind = 'district' | 'city';

export interface FunctionNeeds {
  /**
   * The tables it uses, each with its access; `entries`: the widest access among its route and
   * schedule entries (shared/config/routes.ts, schedules.ts).
   */
  readonly tables?: { readonly [T in TableId]?: Access | 'entries' };
  /** It puts events on the city bus (EventBridge PutEvents). */
  readonly cityBus?: boolean;
  /**
   * It tells clients where the APIs are (the OpenAPI document's `servers`): the base URL of its
   * stack's API (API_URL) and of the city's (CITY_API_URL), from the stack, never from a request.
   */
  readonly apiUrls?: boolean;
}

export const FUNCTIONS: Readonly<Record<StackKind, Readonly<Record<string, FunctionNeeds>>>> = {
  district: {
    // The OpenAPI document, built from the contracts when bundled: no table; the APIs' base URLs.
    docs: { apiUrls: true },
    platform: { tables: { district: 'entries' } },
    members: { tables: { district: 'entries' } },
    teams: { tables: { district: 'entries' } },
    // Its routes, and the city's theme plan (CityThemePlanned) that the city bus delivers to it, write.
    themes: { tables: { district: 'RW' } },
    activities: { tables: { district: 'entries' } },
    records: { tables: { district: 'entries' } },
    wishes: { tables: { district: 'entries' } },
    stats: { tables: { district: 'entries' } },
    // Points, stars, rankings, evaluations, the five-part record; and the ledger consumer of the table's stream.
    evaluation: { tables: { district: 'RW' } },
    // The rollup puts MonthlyRollupFrozen on the city bus.
    jobs: { tables: { district: 'entries' }, cityBus: true },
  },
  city: {
    // The city's routes, and the districts' rollups (MonthlyRollupFrozen) it stores; it puts CityThemePlanned.
    city: { tables: { city: 'RW' }, cityBus: true },
  },
};

/** A function's name in Lambda (and its log group's): `pioneer-<stack id>-<name>`; the stack id is a district's id or `city`. */
export function lambdaName(stackId: string, name: string): string {
  return `pioneer-${stackId}-${name}`;
}

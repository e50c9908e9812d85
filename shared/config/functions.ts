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
  /**
   * It puts events on the city bus (EventBridge PutEvents): with this source and these detail-types
   * only, the conditions of its grant (`events:source`, `events:detail-type`).
   */
  readonly cityBus?: CityEvents;
  /** It reads the district's profile (certificates, statistics, wish escalation): DISTRICT_NAME, ... */
  readonly profile?: boolean;
  /** It reads the directory of deployed districts (the city: which districts to expect). */
  readonly districtDirectory?: boolean;
  /**
   * It tells clients where the APIs are (the OpenAPI document's `servers`): the base URL of its
   * stack's API (API_URL) and of the city's (CITY_API_URL), from the stack, never from a request.
   * `'when-served'`: only its routes read them (the city function, which locally also runs for the
   * bus's events with no server), so they are not required at start.
   */
  readonly apiUrls?: boolean | 'when-served';
  /**
   * It pushes SMS and WeChat messages: SMS_SECRET and WECHAT_SECRET name the district's channel
   * secrets (Secrets Manager or SSM, from its entry in districts.ts), with read access to them.
   */
  readonly pushSecrets?: boolean;
  /**
   * The admin actions it calls on the city's Cognito user pool (IAM on that pool's ARN only). The
   * district functions that have them get USER_POOL_ID; the City stack's triggers read the pool's
   * id from their event.
   */
  readonly userPool?: readonly CognitoAction[];
  /** What it serves that no route or job names (it has a spec all the same). */
  readonly serves?: 'cognito-triggers';
}

export interface CityEvents {
  readonly source: string;
  readonly detailTypes: readonly string[];
}

export const COGNITO_ACTIONS = [
  'AdminGetUser',
  'AdminListGroupsForUser',
  'AdminAddUserToGroup',
  'AdminRemoveUserFromGroup',
  'AdminUpdateUserAttributes',
  'AdminDeleteUserAttributes',
] as const;
export type CognitoAction = (typeof COGNITO_ACTIONS)[number];

export const FUNCTIONS: Readonly<Record<StackKind, Readonly<Record<string, FunctionNeeds>>>> = {
  district: {
    // The OpenAPI document, built from the contracts when bundled: no table; the APIs' base URLs;
    // the district's name in its title.
    docs: { apiUrls: true, profile: true },
    platform: { tables: { district: 'entries' } },
    members: { tables: { district: 'entries' } },
    teams: { tables: { district: 'entries' } },
    // Its routes, and the city's theme plan (CityThemePlanned) that the city bus delivers to it, write.
    themes: { tables: { district: 'RW' } },
    activities: { tables: { district: 'entries' } },
    // Attendance codes, check-in and check-out, and the close (service records), apart from the
    // activities' routes to keep each bundle small.
    attendance: { tables: { district: 'entries' } },
    // Certificates name the district as their issuing unit.
    records: { tables: { district: 'entries' }, profile: true },
    // The district's escalation days.
    wishes: { tables: { district: 'entries' }, profile: true },
    stations: { tables: { district: 'entries' } },
    training: { tables: { district: 'entries' } },
    // The district's name in its statistics.
    stats: { tables: { district: 'entries' }, profile: true },
    // Points, stars, rankings, evaluations, no-shows, the five-part record; and the ledger consumer of the table's stream.
    evaluation: { tables: { district: 'RW' } },
    // Exemplary nominations with their public notice and objections (outbox), the reserve-cadre pool.
    nominations: { tables: { district: 'entries' } },
    // Featured projects: calls, submissions, review, the notice.
    featured: { tables: { district: 'entries' } },
    // Their awards, which put FeaturedProjectsAwarded on the city bus.
    awards: {
      tables: { district: 'entries' },
      cityBus: { source: 'pioneer.district', detailTypes: ['FeaturedProjectsAwarded'] },
    },
    // The rollup puts MonthlyRollupFrozen on the city bus; the wish job escalates after the district's days.
    jobs: {
      tables: { district: 'entries' },
      cityBus: { source: 'pioneer.district', detailTypes: ['MonthlyRollupFrozen'] },
      profile: true,
    },
    // The inbox and preferences (routes), the reminders job, and the notifier the table's stream
    // feeds with outbox entries: it writes inboxes and delivery records, and pushes SMS and WeChat
    // messages with the district's channel secrets.
    notifications: { tables: { district: 'RW' }, pushSecrets: true },
    // Roles and their audit (routes), the sign-ups the city bus delivers (ResidentSignedUp), and the
    // one district function that changes Cognito: fed by the table's stream, it makes each user's
    // groups and attributes equal to their record.
    identity: { tables: { district: 'entries' }, userPool: COGNITO_ACTIONS },
  },
  city: {
    // The city's routes, and the districts' rollups (MonthlyRollupFrozen) it stores; it puts
    // CityThemePlanned; it learns the districts from the directory their stacks write; its own
    // API's URL (API_URL) is its document's `servers`.
    city: {
      apiUrls: 'when-served',
      tables: { city: 'RW' },
      cityBus: { source: 'pioneer.city', detailTypes: ['CityThemePlanned'] },
      districtDirectory: true,
    },
    // The city's jobs (shared/config/city-schedules.ts): which districts' months are missing.
    'city-jobs': { tables: { city: 'entries' }, districtDirectory: true },
    // The user pool's triggers: pre sign-up (the district must be one of the directory's), post
    // confirmation (group resident and custom:district, then ResidentSignedUp to the district), pre
    // token generation (admin groups only with MFA set up).
    'cognito-triggers': {
      serves: 'cognito-triggers',
      cityBus: { source: 'pioneer.city', detailTypes: ['ResidentSignedUp'] },
      userPool: ['AdminGetUser', 'AdminAddUserToGroup', 'AdminUpdateUserAttributes'],
      districtDirectory: true,
    },
  },
};

/** A function's name in Lambda (and its log group's): `pioneer-<stack id>-<name>`; the stack id is a district's id or `city`. */
export function lambdaName(stackId: string, name: string): string {
  return `pioneer-${stackId}-${name}`;
}

/**
 * What the cloud needs to know about each function, derived from the tables in shared/config/
 * (never declared twice): its name (a folder under functions/), the stack it belongs to, whether
 * it serves HTTP routes, runs scheduled jobs or both, and what it uses (shared/config/functions.ts)
 * with each table's access resolved (`entries`: the widest among its route and schedule entries).
 */
import { CITY_ROUTES } from '../shared/config/city-routes.ts';
import { CITY_SCHEDULES } from '../shared/config/city-schedules.ts';
import {
  FUNCTIONS,
  type CognitoAction,
  type Access,
  type CityEvents,
  type FunctionNeeds,
  type StackKind,
  type TableId,
} from '../shared/config/functions.ts';
import { ROUTES, type RouteEntry } from '../shared/config/routes.ts';
import { SCHEDULES, type ScheduleEntry } from '../shared/config/schedules.ts';

export type TableAccess = Access;

export interface FunctionSpec {
  readonly name: string;
  readonly stack: StackKind;
  /** Route keys it serves (`GET /health`), in route-table order. */
  readonly routeKeys: readonly string[];
  /** Names of the schedule entries it runs. */
  readonly jobs: readonly string[];
  /** The tables it uses, each with its access. */
  readonly tables: { readonly [T in TableId]?: TableAccess };
  /** It puts events on the city bus. */
  readonly cityBus: boolean;
  /** What it may put there: the conditions of its PutEvents grant (present when cityBus). */
  readonly cityEvents?: CityEvents;
  /** It reads its district's profile (DISTRICT_NAME, DISTRICT_NAME_ZH, DISTRICT_CODE, WISH_ESCALATION_DAYS). */
  readonly profile: boolean;
  /** It reads the directory of deployed districts (DISTRICT_DIRECTORY). */
  readonly districtDirectory: boolean;
  /** It is told the APIs' base URLs (API_URL, CITY_API_URL). */
  readonly apiUrls: boolean | 'when-served';
  /** It pushes SMS and WeChat messages with the district's channel secrets (SMS_SECRET, WECHAT_SECRET). */
  readonly pushSecrets: boolean;
  /** The admin actions it calls on the city's user pool. */
  readonly userPool: readonly CognitoAction[];
  /** What it serves beside routes and jobs. */
  readonly serves?: 'cognito-triggers';
}

export interface SpecOptions {
  /** @default ROUTES for a district, CITY_ROUTES for the city */
  readonly routes?: readonly RouteEntry[];
  /** @default SCHEDULES for a district, CITY_SCHEDULES for the city */
  readonly schedules?: readonly ScheduleEntry[];
  /** @default FUNCTIONS[stack] */
  readonly declared?: Readonly<Record<string, FunctionNeeds>>;
}

const FUNCTION_NAME = /^[a-z][a-z0-9-]{0,30}$/;

export function widest(a: TableAccess, b: TableAccess): TableAccess {
  return a === 'RW' || b === 'RW' ? 'RW' : 'RO';
}

/**
 * One spec per function the stack's route and schedule tables name, sorted by name. Each must be
 * declared (shared/config/functions.ts); a table declared `entries` gets the widest access among
 * the function's entries.
 */
export function functionSpecs(stack: StackKind = 'district', options: SpecOptions = {}): FunctionSpec[] {
  const routes = options.routes ?? (stack === 'city' ? CITY_ROUTES : ROUTES);
  const schedules = options.schedules ?? (stack === 'city' ? CITY_SCHEDULES : SCHEDULES);
  const declared = options.declared ?? FUNCTIONS[stack];
  const named = new Map<string, { access: TableAccess; routeKeys: string[]; jobs: string[] }>();
  const entry = (name: string) => {
    if (!FUNCTION_NAME.test(name)) {
      throw new Error(
        `function name "${name}" must match ${FUNCTION_NAME} (it names a folder, a Lambda and a log group)`,
      );
    }
    let s = named.get(name);
    if (!s) named.set(name, (s = { access: 'RO', routeKeys: [], jobs: [] }));
    return s;
  };
  for (const r of routes) {
    const s = entry(r.function);
    s.access = widest(s.access, r.access);
    s.routeKeys.push(`${r.method} ${r.path}`);
  }
  for (const j of schedules) {
    const s = entry(j.function);
    s.access = widest(s.access, j.access);
    s.jobs.push(j.name);
  }
  for (const [name, needs] of Object.entries(declared)) if (needs.serves) entry(name);
  return [...named.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]) => {
      const needs = declared[name];
      if (!needs)
        throw new Error(`function "${name}" of the ${stack} stack is not declared in shared/config/functions.ts`);
      const tables: { [T in TableId]?: TableAccess } = {};
      for (const [table, access] of Object.entries(needs.tables ?? {}) as [TableId, Access | 'entries'][]) {
        tables[table] = access === 'entries' ? s.access : access;
      }
      return {
        name,
        stack,
        routeKeys: s.routeKeys,
        jobs: s.jobs,
        tables,
        cityBus: needs.cityBus !== undefined,
        ...(needs.cityBus ? { cityEvents: needs.cityBus } : {}),
        profile: needs.profile === true,
        districtDirectory: needs.districtDirectory === true,
        apiUrls: needs.apiUrls ?? false,
        pushSecrets: needs.pushSecrets === true,
        userPool: needs.userPool ?? [],
        ...(needs.serves ? { serves: needs.serves } : {}),
      };
    });
}

/** Every function of both kinds of stack (a district's and the city's). */
export function allFunctionSpecs(): FunctionSpec[] {
  return [...functionSpecs('district'), ...functionSpecs('city')];
}

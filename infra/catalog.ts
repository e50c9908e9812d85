/**
 * What the cloud needs to know about each function, derived from the two tables in
 * shared/config/ (never declared twice): its name (a folder under functions/), whether it
 * serves HTTP routes, runs scheduled jobs or both, and the widest table access among its
 * route and schedule entries.
 */
import { ROUTES, type RouteEntry } from '../shared/config/routes.ts';
import { SCHEDULES, type ScheduleEntry } from '../shared/config/schedules.ts';

export type TableAccess = 'RO' | 'RW';

export interface FunctionSpec {
  readonly name: string;
  /** The table access it needs: the widest among its routes and schedule entries. */
  readonly access: TableAccess;
  /** Route keys it serves (`GET /health`), in route-table order. */
  readonly routeKeys: readonly string[];
  /** Names of the schedule entries it runs. */
  readonly jobs: readonly string[];
}

const FUNCTION_NAME = /^[a-z][a-z0-9-]{0,30}$/;

export function widest(a: TableAccess, b: TableAccess): TableAccess {
  return a === 'RW' || b === 'RW' ? 'RW' : 'RO';
}

/** One spec per function named by the route table or the schedule table, sorted by name. */
export function functionSpecs(
  routes: readonly RouteEntry[] = ROUTES,
  schedules: readonly ScheduleEntry[] = SCHEDULES,
): FunctionSpec[] {
  const specs = new Map<string, { access: TableAccess; routeKeys: string[]; jobs: string[] }>();
  const spec = (name: string) => {
    if (!FUNCTION_NAME.test(name)) {
      throw new Error(`function name "${name}" must match ${FUNCTION_NAME} (it names a folder, a Lambda and a log group)`);
    }
    let s = specs.get(name);
    if (!s) specs.set(name, (s = { access: 'RO', routeKeys: [], jobs: [] }));
    return s;
  };
  for (const r of routes) {
    const s = spec(r.function);
    s.access = widest(s.access, r.access);
    s.routeKeys.push(`${r.method} ${r.path}`);
  }
  for (const j of schedules) {
    const s = spec(j.function);
    s.access = widest(s.access, j.access);
    s.jobs.push(j.name);
  }
  return [...specs.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]) => ({ name, ...s }));
}

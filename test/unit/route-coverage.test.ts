import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../shared/config/routes.ts';
import { SCHEDULES } from '../../shared/config/schedules.ts';
import { ALL_CONTRACTS } from '../../shared/contract/index.ts';

/**
 * The route table, the contracts and the functions agree: every route has exactly one contract
 * and is served by exactly the function the table names; every job has its function.
 */
const keys = (xs: readonly { method: string; path: string }[]) => xs.map((x) => `${x.method} ${x.path}`).sort();

describe('route table coverage', () => {
  it('has one contract per route, and no contract without a route', () => {
    expect(keys(ALL_CONTRACTS)).toEqual(keys(ROUTES));
  });

  it('each function serves exactly its routes of the table', async () => {
    const names = [...new Set(ROUTES.map((r) => r.function))];
    for (const name of names) {
      process.env.TABLE_NAME ??= 'unused';
      process.env.DISTRICT_ID ??= 'jinjiang';
      const mod = (await import(`../../functions/${name}/index.ts`)) as { handler: { routeKeys: string[] } };
      expect([...mod.handler.routeKeys].sort(), name).toEqual(
        ROUTES.filter((r) => r.function === name)
          .map(routeKey)
          .sort(),
      );
    }
  });

  it('has unique route keys and paths in API Gateway syntax', () => {
    expect(new Set(keys(ROUTES)).size).toBe(ROUTES.length);
    for (const r of ROUTES) expect(r.path).toMatch(/^\/([a-z0-9.-]+|\{[a-zA-Z]+\})(\/([a-z0-9.-]+|\{[a-zA-Z]+\}))*$/);
  });

  it('names a function for every job, and unique job names', () => {
    expect(new Set(SCHEDULES.map((s) => s.name)).size).toBe(SCHEDULES.length);
    for (const s of SCHEDULES) expect(s.cron).toMatch(/^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/);
  });
});

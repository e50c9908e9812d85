import * as c from '../../shared/contract/stats.ts';
import { httpFunction, Reply, route } from '../../shared/http/api.ts';
import * as svc from '../../shared/services/stats.ts';

/** Statistics of the district: a scope's month (JSON and CSV) and the public headline figures. (The rollup runs in functions/jobs.) */
export const handler = httpFunction([
  route(c.monthlyStats, ({ caller, query }) => svc.monthlyStats(caller, query)),
  route(c.monthlyStatsCsv, async ({ caller, query }) => {
    const out = await svc.monthlyCsv(caller, query);
    return new Reply(200, out.csv, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${out.fileName}"`,
      'cache-control': 'no-store',
    });
  }),
  route(c.publicStats, async ({ query }) =>
    // Public and the same for everyone: caches may keep it five minutes.
    new Reply(200, JSON.stringify(await svc.publicStats(query.month)), {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=300',
    }),
  ),
]);

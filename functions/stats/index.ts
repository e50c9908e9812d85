import { ROUTES } from '#routes/stats';
import * as c from '../../shared/contract/stats.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { csvReply, publicJsonReply } from '../../shared/http/replies.ts';
import { csvLang } from '../../shared/views/csv.ts';
import * as svc from '../../shared/services/stats.ts';

/** Statistics of the district: a scope's month (JSON and CSV) and the public headline figures. (The rollup runs in functions/jobs.) */
export const handler = httpFunction(ROUTES, [
  route(c.monthlyStats, ({ caller, query }) => svc.monthlyStats(caller, query)),
  route(c.monthlyStatsCsv, async ({ caller, query: { lang, ...query }, headers }) =>
    csvReply(await svc.monthlyCsv(caller, query, csvLang(lang, headers['accept-language']))),
  ),
  // Public and the same for everyone: caches may keep it five minutes.
  route(c.publicStats, async ({ query }) => publicJsonReply(await svc.publicStats(query.month), 300)),
]);

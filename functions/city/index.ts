import { findCityRoute } from '../../shared/config/city-routes.ts';
import * as c from '../../shared/contract/city.ts';
import { cityCsvFileName } from '../../shared/domain/city.ts';
import { ROLLUP_DETAIL_TYPE, ROLLUP_EVENT_SOURCE } from '../../shared/domain/rollup.ts';
import { eventFunction, eventRoute, withEvents } from '../../shared/events/handler.ts';
import { httpFunction, Reply, type BoundRoute, type Contract, type RouteInput } from '../../shared/http/api.ts';
import * as svc from '../../shared/services/city.ts';

/**
 * The city function (City stack): the city HTTP API (shared/config/city-routes.ts) and the
 * MonthlyRollupFrozen events the city bus's rule delivers (EventBridge's Lambda event shape).
 */
function cityRoute<C extends Contract>(contract: C, handle: (input: RouteInput<C>) => Promise<unknown>): BoundRoute {
  const key = `${contract.method} ${contract.path}`;
  const entry = findCityRoute(key);
  if (!entry) throw new Error(`route ${key} is not in the city route table (shared/config/city-routes.ts)`);
  return { contract, entry, handle: handle as unknown as BoundRoute['handle'] };
}

const http = httpFunction([
  cityRoute(c.cityMonthly, ({ caller, query }) => svc.cityMonthlyStats(caller, query)),
  cityRoute(c.cityMonthlyCsv, async ({ caller, query }) => {
    const { month, csv } = await svc.cityMonthlyCsv(caller, query);
    return new Reply(200, csv, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${cityCsvFileName(month)}"`,
      'cache-control': 'no-store',
    });
  }),
  cityRoute(c.putCityTheme, ({ caller, params, body }) => svc.setCityTheme(caller, params.month, body)),
  cityRoute(c.listCityThemes, ({ caller, query }) => svc.getCityPlan(caller, query.year === undefined ? undefined : Number(query.year))),
]);

const events = eventFunction([
  eventRoute(ROLLUP_EVENT_SOURCE, ROLLUP_DETAIL_TYPE, c.RollupDetail, (detail) => svc.receiveRollup(detail)),
]);

export const handler = withEvents(http, events);

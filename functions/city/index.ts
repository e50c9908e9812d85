import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { apiUrl } from '../../shared/config/env.ts';
import { serveCityDocument } from '../../shared/http/openapi-serve.ts';
import { cityOpenApiDocument } from '#openapi/city-document';
import * as c from '../../shared/contract/city.ts';
import { FEATURED_DETAIL_TYPE } from '../../shared/domain/featured.ts';
import { ROLLUP_DETAIL_TYPE, ROLLUP_EVENT_SOURCE } from '../../shared/domain/rollup.ts';
import { eventFunction, eventRoute, withEvents } from '../../shared/events/handler.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { csvReply } from '../../shared/http/replies.ts';
import { csvLang } from '../../shared/views/csv.ts';
import * as svc from '../../shared/services/city.ts';

/**
 * The city function (City stack): the city HTTP API (shared/config/city-routes.ts) and the
 * MonthlyRollupFrozen and FeaturedProjectsAwarded events the city bus's rules deliver (EventBridge's Lambda event shape).
 */
let served: unknown;

const http = httpFunction(CITY_ROUTES, [
  // Its own document: built with the bundle (package.json `imports`), from the contracts when unbundled.
  route(c.cityOpenapi, async () => {
    served ??= serveCityDocument(cityOpenApiDocument(), apiUrl());
    return served;
  }),
  route(c.cityMonthly, ({ caller, query }) => svc.cityMonthlyStats(caller, query)),
  route(c.cityMonthlyCsv, async ({ caller, query: { lang, ...query }, headers }) =>
    csvReply(await svc.cityMonthlyCsv(caller, query, csvLang(lang, headers['accept-language']))),
  ),
  route(c.putCityTheme, ({ caller, params, body }) => svc.setCityTheme(caller, params.month, body)),
  route(c.listCityThemes, ({ caller, query }) =>
    svc.getCityPlan(caller, query.year === undefined ? undefined : Number(query.year)),
  ),
  route(c.cityFeaturedProjects, ({ caller, query }) =>
    svc.cityFeaturedProjects(caller, query.year === undefined ? undefined : Number(query.year)),
  ),
]);

const events = eventFunction([
  eventRoute(ROLLUP_EVENT_SOURCE, ROLLUP_DETAIL_TYPE, c.RollupDetail, (detail) => svc.receiveRollup(detail)),
  eventRoute(ROLLUP_EVENT_SOURCE, FEATURED_DETAIL_TYPE, c.FeaturedAwardedDetail, (detail) =>
    svc.receiveFeaturedAwards(detail),
  ),
]);

export const handler = withEvents(http, events);

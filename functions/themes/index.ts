import { CITY_EVENT_SOURCE, CITY_THEME_DETAIL_TYPE } from '../../shared/config/city.ts';
import { ROUTES } from '#routes/themes';
import { CityThemeDetail } from '../../shared/contract/city.ts';
import * as c from '../../shared/contract/themes.ts';
import { eventFunction, eventRoute, withEvents } from '../../shared/events/handler.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import * as svc from '../../shared/services/themes.ts';

/**
 * The monthly themes: the year plan, a month's theme, the current theme (HTTP), and the city
 * plan's CityThemePlanned events from the city bus. (The kickoff runs in functions/jobs.)
 */
const http = httpFunction(ROUTES, [
  route(c.putTheme, ({ caller, params, body }) => svc.setTheme(caller, params.month, body)),
  route(c.listThemes, ({ query }) => svc.getYearPlan(query.year === undefined ? undefined : Number(query.year))),
  route(c.currentTheme, () => svc.getCurrentTheme()),
]);

const events = eventFunction([
  eventRoute(CITY_EVENT_SOURCE, CITY_THEME_DETAIL_TYPE, CityThemeDetail, (plan) => svc.receiveCityTheme(plan)),
]);

export const handler = withEvents(http, events);

import * as c from '../../shared/contract/themes.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import * as svc from '../../shared/services/themes.ts';

/** The monthly themes: the year plan, a month's theme, the current theme. (The kickoff runs in functions/jobs.) */
export const handler = httpFunction([
  route(c.putTheme, ({ caller, params, body }) => svc.setTheme(caller, params.month, body)),
  route(c.listThemes, ({ query }) => svc.getYearPlan(query.year === undefined ? undefined : Number(query.year))),
  route(c.currentTheme, () => svc.getCurrentTheme()),
]);

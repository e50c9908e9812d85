import { ROUTES } from '#routes/platform';
import * as c from '../../shared/contract/platform.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import * as svc from '../../shared/services/platform.ts';

/** GET /health: the function runs and its table answers. */
export const handler = httpFunction(ROUTES, [route(c.health, () => svc.health())]);

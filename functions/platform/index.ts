import { env } from '../../shared/config/env.ts';
import * as c from '../../shared/contract/platform.ts';
import { pingTable } from '../../shared/db/health.ts';
import { nowIso } from '../../shared/domain/clock.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { errorFields } from '../../shared/http/logger.ts';
import { httpFunction, route } from '../../shared/http/api.ts';

/** GET /health: the function runs and its table answers. */
export const handler = httpFunction([
  route(c.health, async ({ log }) => {
    try {
      await pingTable();
    } catch (err) {
      log.error('table unreachable', errorFields(err));
      throw new DomainError('UNAVAILABLE', 'the table does not answer');
    }
    return { status: 'ok', district: env().districtId, table: 'reachable', time: nowIso() };
  }),
]);

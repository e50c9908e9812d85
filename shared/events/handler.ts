import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { fieldErrors } from '../contract/common.ts';
import { DomainError } from '../domain/errors.ts';
import { createLogger, errorFields } from '../http/logger.ts';
import { withMetrics } from '../metrics/metrics.ts';

/**
 * Lambda targets of EventBridge rules. A function that serves HTTP routes may also be the target
 * of a rule (the city function: MonthlyRollupFrozen; a district's themes function:
 * CityThemePlanned): `withEvents` sends EventBridge events to the event handler and everything
 * else to the HTTP stack. Each event's source, detail-type and detail are checked like a request
 * body; a refused or failed event is thrown, so that Lambda retries it and then hands it to the
 * function's dead-letter destination, where a person can look at it.
 */

/** The envelope EventBridge delivers to a Lambda target (and infra/local/city-bus.ts copies). */
export const EventEnvelope = z.object({
  version: z.string(),
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  'detail-type': z.string().check(z.minLength(1), z.maxLength(128)),
  source: z.string().check(z.minLength(1), z.maxLength(256)),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
});
export type EventEnvelope = z.output<typeof EventEnvelope>;

/** Whether a Lambda event is an EventBridge event (not an HTTP API request nor a scheduled job). */
export function isEventBridgeEvent(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'detail-type' in e && 'source' in e && 'detail' in e;
}

export interface EventRoute {
  readonly source: string;
  readonly detailType: string;
  readonly run: (detail: unknown, event: EventEnvelope) => Promise<Record<string, unknown>>;
}

/** One event type: its source, detail-type and detail schema, and what to do with it. */
export function eventRoute<S extends z.ZodMiniType>(
  source: string,
  detailType: string,
  detail: S,
  run: (detail: z.output<S>, event: EventEnvelope) => Promise<Record<string, unknown>>,
): EventRoute {
  return {
    source,
    detailType,
    run: async (raw, event) => {
      const parsed = detail.safeParse(raw);
      if (!parsed.success)
        throw new DomainError('VALIDATION_FAILED', `the ${detailType} detail is not valid`, {
          errors: fieldErrors('detail', parsed.error),
        });
      return run(parsed.data, event);
    },
  };
}

export function eventFunction(routes: readonly EventRoute[]) {
  return async (
    raw: unknown,
    context?: Pick<Context, 'awsRequestId' | 'functionName'>,
  ): Promise<Record<string, unknown>> =>
    withMetrics({ functionName: context?.functionName }, () => handleEvent(routes, raw, context));
}

async function handleEvent(
  routes: readonly EventRoute[],
  raw: unknown,
  context?: Pick<Context, 'awsRequestId' | 'functionName'>,
): Promise<Record<string, unknown>> {
  const log = createLogger({ awsRequestId: context?.awsRequestId, eventId: (raw as { id?: unknown } | null)?.id });
  try {
    const event = EventEnvelope.parse(raw);
    const route = routes.find((r) => r.source === event.source && r.detailType === event['detail-type']);
    if (!route) throw new DomainError('VALIDATION_FAILED', `no handler for ${event.source} / ${event['detail-type']}`);
    const result = await route.run(event.detail, event);
    log.info('event handled', { source: event.source, detailType: event['detail-type'], result });
    return result;
  } catch (err) {
    log.error('event refused or failed', errorFields(err));
    throw err;
  }
}

/** An HTTP function that is also a rule target; keeps the HTTP handler's `routeKeys`. */
export function withEvents<H extends ((event: never, context: Context) => unknown) & { routeKeys: string[] }>(
  http: H,
  events: ReturnType<typeof eventFunction>,
) {
  return Object.assign(
    (event: unknown, context: Context) =>
      isEventBridgeEvent(event) ? events(event, context) : http(event as never, context),
    { routeKeys: http.routeKeys },
  );
}

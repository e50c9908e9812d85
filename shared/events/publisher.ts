import { cityBusName, inLambda } from '../config/env.ts';
import { ROLLUP_EVENT_SOURCE } from '../domain/rollup.ts';
import { putEvents } from './put-events.ts';

/**
 * Where district events go (the monthly rollup's `MonthlyRollupFrozen`, ...).
 *
 * - In Lambda: EventBridge PutEvents on the bus named by env EVENT_BUS_NAME (the City stack's
 *   `pioneer-city` bus), source `pioneer.district` (ROLLUP_EVENT_SOURCE) unless another is asked
 *   for, signed with the same SigV4 signer as the bundled DynamoDB client (put-events.ts).
 * - Locally (infra/local/start.ts) and in tests: `setPublisher` installs an in-process publisher
 *   that hands the event, in the shape EventBridge delivers to a Lambda target, to the city.
 * - Neither (no EVENT_BUS_NAME, nothing set, outside Lambda): events are dropped with a warning
 *   line on stderr, so a district run alone (unit tests, `npm run job` without the city) works.
 *
 * With shared/db, the only place that uses @aws-sdk (the event bus is not the table).
 */
export interface Publisher {
  publish(detailType: string, detail: object): Promise<void>;
}

let current: Publisher | undefined;

/** Tests and the local runtime: install (or, with undefined, remove) an in-process publisher. */
export function setPublisher(p: Publisher | undefined): void {
  current = p;
}

/**
 * The publisher to use now. `source` is the EventBridge source of the events (default
 * `pioneer.district`, the rollup's; the city publishes as `pioneer.city`). An installed local
 * publisher receives every event; it knows each detail-type's source (infra/local/city-bus.ts).
 */
export function publisher(source: string = ROLLUP_EVENT_SOURCE): Publisher {
  if (current) return current;
  const bus = cityBusName();
  if (bus) return eventBridge(bus, source);
  if (inLambda()) throw new Error('environment variable EVENT_BUS_NAME is not set');
  return dropping;
}

const dropping: Publisher = {
  async publish(detailType) {
    process.stderr.write(
      `[publisher] no event bus (EVENT_BUS_NAME unset, no local publisher): ${detailType} not sent\n`,
    );
  },
};

/** EventBridge: one signed PutEvents per event (shared/events/put-events.ts). */
export function eventBridge(busName: string, source: string): Publisher {
  return {
    async publish(detailType, detail) {
      const out = await putEvents([
        { EventBusName: busName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) },
      ]);
      // PutEvents answers 200 even when an entry fails: check each one.
      if (out.FailedEntryCount) {
        const e = out.Entries?.find((x) => x.ErrorCode);
        throw new Error(
          `PutEvents failed for ${detailType}: ${e?.ErrorCode ?? 'unknown'} ${e?.ErrorMessage ?? ''}`.trim(),
        );
      }
    },
  };
}

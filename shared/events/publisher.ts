import { createRequire } from 'node:module';
import { ROLLUP_EVENT_SOURCE } from '../domain/rollup.ts';

/**
 * Where district events go (the monthly rollup's `MonthlyRollupFrozen`, ...).
 *
 * - In Lambda: EventBridge PutEvents on the bus named by env EVENT_BUS_NAME (the City stack's
 *   `pioneer-city` bus), source `pioneer.district` (ROLLUP_EVENT_SOURCE) unless another is asked
 *   for. The SDK client is loaded on the first publish (loadEventBridgeSdk), never bundled.
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
  const bus = process.env.EVENT_BUS_NAME;
  if (bus) return eventBridge(bus, source);
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) throw new Error('environment variable EVENT_BUS_NAME is not set');
  return dropping;
}

const dropping: Publisher = {
  async publish(detailType) {
    process.stderr.write(`[publisher] no event bus (EVENT_BUS_NAME unset, no local publisher): ${detailType} not sent\n`);
  },
};

type EventBridgeModule = typeof import('@aws-sdk/client-eventbridge');
type Client = { send(cmd: unknown): Promise<{ FailedEntryCount?: number; Entries?: { ErrorCode?: string; ErrorMessage?: string }[] }> };
let client: Client | undefined;
let mod: EventBridgeModule | undefined;

/**
 * The EventBridge client is loaded at run time with require(), on the first publish, and never
 * bundled: bundled, it adds ~48 KB (its schemas of every EventBridge operation come with any
 * command), which takes the functions that publish (jobs, city) over the 300 KB budget. In Lambda
 * require() resolves it from the Node.js runtime's own AWS SDK v3 (NODE_PATH); locally and in
 * tests, from node_modules (the pinned version in package.json). esbuild leaves a require() of a
 * computed name alone, so no bundle carries it.
 */
const EVENTBRIDGE_SDK = '@aws-sdk/client-eventbridge';
export function loadEventBridgeSdk(): EventBridgeModule {
  return createRequire(import.meta.url)(EVENTBRIDGE_SDK) as EventBridgeModule;
}

/** One EventBridge client per process, made (and its module loaded) on the first publish. */
export function eventBridge(busName: string, source: string): Publisher {
  return {
    async publish(detailType, detail) {
      mod ??= loadEventBridgeSdk();
      client ??= new mod.EventBridgeClient({ region: process.env.AWS_REGION || 'ap-southeast-1', maxAttempts: 3 });
      const out = await client.send(
        new mod.PutEventsCommand({
          Entries: [{ EventBusName: busName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }],
        }),
      );
      // PutEvents answers 200 even when an entry fails: check each one.
      if (out.FailedEntryCount) {
        const e = out.Entries?.find((x) => x.ErrorCode);
        throw new Error(`PutEvents failed for ${detailType}: ${e?.ErrorCode ?? 'unknown'} ${e?.ErrorMessage ?? ''}`.trim());
      }
    },
  };
}

import { randomUUID } from 'node:crypto';
import {
  CITY_BUS_NAME,
  CITY_EVENT_SOURCE,
  CITY_TABLE,
  CITY_TABLE_NAME,
  CITY_THEME_DETAIL_TYPE,
  RESIDENT_SIGNED_UP_DETAIL_TYPE,
} from '../../shared/config/city.ts';
import { DISTRICTS } from '../../shared/config/districts.ts';
import { FEATURED_DETAIL_TYPE } from '../../shared/domain/featured.ts';
import { ROLLUP_DETAIL_TYPE, ROLLUP_EVENT_SOURCE } from '../../shared/domain/rollup.ts';
import { setDistrictDirectory, type DistrictEntry } from '../../shared/events/district-directory.ts';
import { setPublisher, type Publisher } from '../../shared/events/publisher.ts';
import type { FunctionSpec } from '../catalog.ts';
import { deployLocally, localDeployment } from './deployment.ts';
import { ensureTable } from './dynamo.ts';
import { currentFailureList } from './failures.ts';
import { invokeFunction } from './invoke.ts';

/**
 * The city bus, in-process: what EventBridge does for the City stack's bus and its rules, for
 * the local platform (`npm start`, `npm run job`) and the tests. An event published by a function
 * (shared/events/publisher.ts) is wrapped in the envelope EventBridge gives a Lambda target and
 * handed to each function whose rule matches, as the CDK stacks wire them:
 *   pioneer.district / MonthlyRollupFrozen -> city    (the City stack's rule)
 *   pioneer.district / FeaturedProjectsAwarded -> city (the City stack's rule)
 *   pioneer.city     / CityThemePlanned    -> themes  (each district stack's rule; locally the one district)
 *   pioneer.city     / ResidentSignedUp    -> identity (each district stack's rule, on detail.district; locally
 *                                            the one district, whose function ignores another district's)
 * Delivery is awaited (so `npm run job -- rollup` returns once the city has the month) but, as on
 * EventBridge, a target's failure never fails the publisher: it is retried twice (Lambda's
 * asynchronous retries), then dead-lettered: kept in the local failure list (infra/local/failures.ts,
 * the counterpart of the stacks' failure queues) with its event, to be run again.
 */
export interface LocalRule {
  readonly source: string;
  readonly detailType: string;
  readonly function: string;
}

export const LOCAL_RULES: readonly LocalRule[] = [
  { source: ROLLUP_EVENT_SOURCE, detailType: ROLLUP_DETAIL_TYPE, function: 'city' },
  { source: ROLLUP_EVENT_SOURCE, detailType: FEATURED_DETAIL_TYPE, function: 'city' },
  { source: CITY_EVENT_SOURCE, detailType: CITY_THEME_DETAIL_TYPE, function: 'themes' },
  { source: CITY_EVENT_SOURCE, detailType: RESIDENT_SIGNED_UP_DETAIL_TYPE, function: 'identity' },
];

/** Which source publishes each detail-type (the publisher names only the detail-type). */
const SOURCE_OF: Record<string, string> = {
  [ROLLUP_DETAIL_TYPE]: ROLLUP_EVENT_SOURCE,
  [FEATURED_DETAIL_TYPE]: ROLLUP_EVENT_SOURCE,
  [CITY_THEME_DETAIL_TYPE]: CITY_EVENT_SOURCE,
  [RESIDENT_SIGNED_UP_DETAIL_TYPE]: CITY_EVENT_SOURCE,
};

export const LOCAL_ACCOUNT = '000000000000';

/** The event exactly as EventBridge delivers it to a Lambda target. */
export function eventBridgeEvent(source: string, detailType: string, detail: object, at = new Date()) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: LOCAL_ACCOUNT,
    // EventBridge's `time` has whole seconds.
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: localDeployment().region,
    resources: [] as string[],
    detail: JSON.parse(JSON.stringify(detail)) as unknown,
  };
}

export interface Delivery {
  readonly function: string;
  readonly eventId: string;
  readonly detailType: string;
  readonly ok: boolean;
  readonly attempts: number;
  readonly result?: unknown;
  readonly error?: string;
  /** The event as delivered (a replay test sends it again). */
  readonly event: ReturnType<typeof eventBridgeEvent>;
}

export interface LocalBusOptions {
  /** Folder of function folders; default functions/. */
  readonly functionsDir?: string;
  /** What each function is and uses; default: every district and city function. */
  readonly functions?: readonly FunctionSpec[];
  readonly rules?: readonly LocalRule[];
  /** Default: kept in the local failure list (when one is installed) and a line on stderr. */
  readonly onDeadLetter?: (d: Delivery, event: unknown) => void;
  /** Attempts per target (EventBridge -> Lambda async: 1 + 2 retries). @default 3 */
  readonly attempts?: number;
}

export interface LocalBus extends Publisher {
  /** Every delivery so far, newest last (tests read it). */
  readonly deliveries: Delivery[];
}

export function localBus(opts: LocalBusOptions = {}): LocalBus {
  const rules = opts.rules ?? LOCAL_RULES;
  const attempts = opts.attempts ?? 3;
  const deliveries: Delivery[] = [];
  const deadLetter =
    opts.onDeadLetter ??
    ((d: Delivery) => {
      const list = currentFailureList();
      if (list)
        list.add({
          function: d.function,
          source: 'city-bus',
          what: d.detailType,
          event: d.event,
          error: d.error ?? '',
          attempts: d.attempts,
        });
      else
        process.stderr.write(
          `[pioneer-local] event ${d.detailType} ${d.eventId} to ${d.function} failed ${d.attempts} time(s), dead-lettered: ${d.error}\n`,
        );
    });
  return {
    deliveries,
    async publish(detailType, detail) {
      const source = SOURCE_OF[detailType] ?? ROLLUP_EVENT_SOURCE;
      const event = eventBridgeEvent(source, detailType, detail);
      for (const rule of rules.filter((r) => r.source === source && r.detailType === detailType)) {
        let error = '';
        let done: Delivery | undefined;
        for (let n = 1; n <= attempts && !done; n++) {
          try {
            const result = await invokeFunction(rule.function, event, {
              ...(opts.functionsDir ? { dir: opts.functionsDir } : {}),
              ...(opts.functions ? { functions: opts.functions } : {}),
              timeoutMs: 60_000,
            });
            done = { function: rule.function, eventId: event.id, detailType, ok: true, attempts: n, result, event };
          } catch (err) {
            error = err instanceof Error ? err.message : String(err);
          }
        }
        done ??= { function: rule.function, eventId: event.id, detailType, ok: false, attempts, error, event };
        deliveries.push(done);
        if (!done.ok) deadLetter(done, event);
      }
    },
  };
}

/** The configured districts, as each one's stack writes its profile into the city's directory. */
export function configuredDirectory(): DistrictEntry[] {
  return DISTRICTS.map((d) => ({ id: d.id, name: d.name, nameZh: d.nameZh, code: d.code }));
}

/**
 * The local city beside the local district: its own table (`pioneer-city`, or `tableName`) in
 * the same DynamoDB Local, the in-process bus installed as the publisher, both deployed
 * locally (deployment.ts): the city function gets CITY_TABLE_NAME, it and the jobs function
 * EVENT_BUS_NAME, as in the cloud; and the directory of districts the city reads (`districts`,
 * default every configured district, as if each were deployed). Returns the bus.
 */
export async function startLocalCity(
  endpoint: string,
  opts: LocalBusOptions & { tableName?: string; districts?: () => Promise<readonly DistrictEntry[]> } = {},
): Promise<LocalBus & { tableName: string }> {
  const tableName = opts.tableName ?? CITY_TABLE_NAME;
  await ensureTable(endpoint, tableName, CITY_TABLE);
  const bus = localBus(opts);
  setPublisher(bus);
  setDistrictDirectory(opts.districts ?? (async () => configuredDirectory()));
  deployLocally({ dynamoEndpoint: endpoint, cityTable: tableName, cityBus: CITY_BUS_NAME });
  return Object.assign(bus, { tableName });
}

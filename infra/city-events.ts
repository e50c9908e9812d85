import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { CITY_EVENT_SOURCE, CITY_THEME_DETAIL_TYPE, RESIDENT_SIGNED_UP_DETAIL_TYPE } from '../shared/config/city.ts';
import { ROUTES, routeKey, type RouteEntry } from '../shared/config/routes.ts';
import { deadLetterQueue } from './constructs/dead-letter-queue.ts';
import type { PioneerFunction } from './constructs/pioneer-function.ts';

/**
 * The city bus's wiring, shared by the City stack and every district stack:
 * - a dead-letter queue per stack for the events its functions could not take;
 * - `deliver`: a rule on the city bus whose target is a function, with retries and that queue on
 *   both legs (EventBridge -> Lambda, and Lambda's asynchronous retries of a failed invocation);
 * - `connectDistrictToCity`: the rule on the city bus (from the stack props) that delivers the
 *   city's CityThemePlanned events to the district function that serves PUT /themes/{month}.
 * Which functions may put events on the bus is not decided here: shared/config/functions.ts
 * declares it, and the builder (infra/function-environment.ts) gives them EVENT_BUS_NAME and the grant.
 */

/** Retries of EventBridge to the target; then the DLQ. */
export const RULE_RETRY_ATTEMPTS = 8;
export const RULE_MAX_EVENT_AGE = Duration.hours(24);
/** Lambda's own retries of an asynchronous invocation that failed (its maximum); then the DLQ. */
export const ASYNC_RETRY_ATTEMPTS = 2;

export function eventsDeadLetterQueue(scope: Construct, id: string, queueName: string): sqs.Queue {
  return deadLetterQueue(scope, id, {
    queueName,
    reason:
      "This queue is itself the dead-letter queue of the city-bus rule targets and of their functions' asynchronous invocations (EventBridge and Lambda destinations name it directly, not through an SQS redrive policy, which the rule looks for).",
  });
}

/**
 * A rule on `bus` for (source, detail-type) delivering to `fn`, retried then dead-lettered on both
 * legs: EventBridge -> Lambda (retry policy + DLQ of the target) and the function's asynchronous
 * invocation (2 retries, then an on-failure destination to the same queue).
 */
export function deliver(
  scope: Construct,
  id: string,
  props: {
    bus: events.IEventBus;
    source: string;
    detailType: string;
    fn: PioneerFunction;
    dlq: sqs.IQueue;
    description: string;
    /** Configure the function's asynchronous retries and destination (once per function: a second rule to it says false). @default true */
    configureAsync?: boolean;
    /** Only events whose detail matches (an EventBridge pattern on `detail`). */
    detail?: Record<string, unknown>;
  },
): events.Rule {
  const rule = new events.Rule(scope, id, {
    eventBus: props.bus,
    description: props.description,
    eventPattern: {
      source: [props.source],
      detailType: [props.detailType],
      ...(props.detail ? { detail: props.detail } : {}),
    },
    targets: [
      new targets.LambdaFunction(props.fn.function, {
        deadLetterQueue: props.dlq,
        retryAttempts: RULE_RETRY_ATTEMPTS,
        maxEventAge: RULE_MAX_EVENT_AGE,
      }),
    ],
  });
  if (props.configureAsync === false) return rule;
  props.fn.onAsyncFailure(props.dlq, { retryAttempts: ASYNC_RETRY_ATTEMPTS, maxEventAge: Duration.hours(6) });
  return rule;
}

export interface DistrictCityProps {
  readonly districtId: string;
  /** The city's event bus (from the City stack). */
  readonly bus: events.IEventBus;
  readonly functions: ReadonlyMap<string, PioneerFunction>;
  readonly routes?: readonly RouteEntry[];
}

/** The key of the route whose function receives the city plan. */
export const THEME_ROUTE_KEY = 'PUT /themes/{month}';

/** The key of the route whose function receives the district's sign-ups (ResidentSignedUp). */
export const ROLES_ROUTE_KEY = 'GET /users/{sub}/roles';

export function connectDistrictToCity(
  scope: Construct,
  props: DistrictCityProps,
): { rule?: events.Rule; signUpRule?: events.Rule; dlq?: sqs.Queue } {
  const routes = props.routes ?? ROUTES;
  const fnOf = (key: string) => {
    const r = routes.find((x) => routeKey(x) === key);
    return r && props.functions.get(r.function);
  };
  const themes = fnOf(THEME_ROUTE_KEY);
  const identity = fnOf(ROLES_ROUTE_KEY);
  if (!themes && !identity) return {};
  const dlq = eventsDeadLetterQueue(scope, 'CityEventsDlq', `pioneer-${props.districtId}-city-events-dlq`);
  const rule =
    themes &&
    deliver(scope, 'CityThemeRule', {
      bus: props.bus,
      source: CITY_EVENT_SOURCE,
      detailType: CITY_THEME_DETAIL_TYPE,
      fn: themes,
      dlq,
      description: `pioneer-${props.districtId}: the city theme plan (CityThemePlanned) to the district's ${themes.name} function`,
    });
  // The pool's post-confirmation trigger announces each new resident; this district takes its own.
  const signUpRule =
    identity &&
    deliver(scope, 'ResidentSignedUpRule', {
      bus: props.bus,
      source: CITY_EVENT_SOURCE,
      detailType: RESIDENT_SIGNED_UP_DETAIL_TYPE,
      detail: { district: [props.districtId] },
      fn: identity,
      dlq,
      description: `pioneer-${props.districtId}: residents who signed up choosing this district (ResidentSignedUp) to its ${identity.name} function`,
    });
  return { ...(rule ? { rule } : {}), ...(signUpRule ? { signUpRule } : {}), dlq };
}

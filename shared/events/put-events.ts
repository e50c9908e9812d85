import { eventBridgeEndpoint } from '../config/env.ts';
import { awsJson } from './aws-json.ts';

/**
 * EventBridge PutEvents, one signed JSON call (shared/events/aws-json.ts): the generated EventBridge
 * client would bundle schemas of every EventBridge operation (~48 KB, enough to take the functions
 * that publish over the 300 KB budget). The endpoint follows the region's partition and honours the
 * SDK's `AWS_ENDPOINT_URL_EVENTBRIDGE` override (tests use a stand-in server).
 */
export interface PutEventsEntry {
  readonly EventBusName: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
}

export interface PutEventsOutput {
  readonly FailedEntryCount?: number;
  readonly Entries?: readonly {
    readonly EventId?: string;
    readonly ErrorCode?: string;
    readonly ErrorMessage?: string;
  }[];
}

export function putEvents(
  entries: readonly PutEventsEntry[],
  opts: { attempts?: number; timeoutMs?: number } = {},
): Promise<PutEventsOutput> {
  return awsJson<PutEventsOutput>({
    service: 'events',
    target: 'AWSEvents.PutEvents',
    endpoint: eventBridgeEndpoint(),
    body: { Entries: entries },
    ...opts,
  });
}

import { inLambda, pushChannelSecret } from '../config/env.ts';
import type { Channel } from '../domain/notices.ts';
import { smsGateway, wechatSubscription } from './push-adapters.ts';

/**
 * The push channels behind one interface: SMS and WeChat subscription messages (the in-app inbox
 * is a table write, shared/db/notifications.ts). In the cloud each adapter is configured by a
 * secret (Secrets Manager or SSM SecureString, named by the function's environment) read on the
 * first push, never logged; locally (`npm start`, the tests) every message is captured instead,
 * listed at `GET /_local/messages` and printed by `npm start`.
 */
export type PushChannel = Exclude<Channel, 'inapp'>;

export interface PushMessage {
  readonly channel: PushChannel;
  /** The phone (SMS) or the WeChat openid: never logged. */
  readonly to: string;
  readonly recipientId: string;
  readonly type: string;
  readonly title: string;
  readonly body: string;
  readonly dedupeKey: string;
}

/** A push that the provider refused for certain: nothing was sent, a retry may send it. */
export class NotSent extends Error {
  override readonly name = 'NotSent';
}

export interface PushAdapter {
  send(m: PushMessage): Promise<void>;
}

// ---------- local capture ----------

export interface CapturedMessage extends PushMessage {
  readonly at: string;
}

const captured: CapturedMessage[] = [];
const listeners = new Set<(m: CapturedMessage) => void>();
let failNext: ((m: PushMessage) => boolean) | undefined;

/** Every message captured in this process, oldest first. */
export function capturedMessages(): readonly CapturedMessage[] {
  return captured;
}

/** Calls `listener` for each message captured from now on (npm start prints them); returns the unsubscribe. */
export function onCaptured(listener: (m: CapturedMessage) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tests: the captured pushes matching `refuse` fail as a provider's refusal would. */
export function refuseCaptured(refuse: ((m: PushMessage) => boolean) | undefined): void {
  failNext = refuse;
}

const capture: PushAdapter = {
  async send(m) {
    if (failNext?.(m)) throw new NotSent(`the local ${m.channel} channel refused the message (test)`);
    const c = { ...m, at: new Date().toISOString() };
    captured.push(c);
    for (const l of listeners) l(c);
  },
};

/** The adapter of a channel: the provider's when its secret is configured, the capture when not in Lambda. */
export function adapterFor(channel: PushChannel): PushAdapter | undefined {
  const secret = pushChannelSecret(channel);
  if (secret) return channel === 'sms' ? smsGateway(secret) : wechatSubscription(secret);
  return inLambda() ? undefined : capture;
}

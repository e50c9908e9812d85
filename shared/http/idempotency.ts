import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError } from '../domain/errors.ts';
import type { Caller } from '../domain/policy.ts';
import {
  committedResponse,
  idempotentScope,
  KeyUsed,
  readKey,
  type StoredResponse,
  type UsedKey,
} from '../db/idempotency.ts';
import type { Logger } from './logger.ts';

/**
 * `Idempotency-Key` on creating POSTs. The first request with a key runs, and its one write also
 * stores its response with the key, in the same transaction (shared/db/idempotency.ts). A retry
 * with the same key and the same body gets that response (with `idempotency-replayed: true`) and
 * writes nothing, whether the first attempt finished, died after its write, or is still running
 * (then the two race and exactly one writes); the same key with another body is 422. A request
 * that fails stores nothing: its key stays free.
 */
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`)
    .join(',')}}`;
}

type Result = APIGatewayProxyStructuredResultV2;

export async function withIdempotency(
  req: {
    key: string | undefined;
    caller: Caller | undefined;
    routeKey: string;
    path: string;
    body: unknown;
    /** The route's answer as the response it makes (status, headers, body). */
    render: (answer: unknown) => Result;
    log?: Logger;
  },
  run: () => Promise<Result>,
): Promise<Result> {
  if (req.key === undefined || !req.caller) return run();
  if (!KEY_PATTERN.test(req.key))
    throw new DomainError('BAD_IDEMPOTENCY_KEY', 'use 8 to 128 characters: letters, digits, and _ . : -');
  const { sub } = req.caller;
  const key = req.key;
  const requestHash = createHash('sha256')
    .update(`${req.routeKey}\n${req.path}\n${canonical(req.body)}`)
    .digest('base64url');
  const replay = (used: UsedKey): Result => {
    if (used.requestHash !== requestHash)
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this key was already used for a different request');
    return { ...used.response, headers: { ...used.response.headers, 'idempotency-replayed': 'true' } };
  };
  const render = (answer: unknown): StoredResponse => {
    const r = req.render(answer);
    return {
      statusCode: r.statusCode ?? 200,
      headers: Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, String(v)])),
      body: r.body ?? '',
    };
  };
  return idempotentScope({ sub, key, requestHash, render }, async () => {
    let result: Result;
    try {
      result = await run();
    } catch (err) {
      if (err instanceof KeyUsed) return replay(err.used);
      const committed = committedResponse();
      if (committed) {
        // It failed after its write committed: the stored response is what every retry gets.
        req.log?.error('idempotent route failed after its write', { routeKey: req.routeKey });
        return { ...committed };
      }
      // A retry can fail before it writes, on what its first attempt wrote (a check-in already
      // pending, a flag already granted): if that attempt stored its response, it is the answer.
      const used = err instanceof DomainError && err.code !== 'UNAVAILABLE' ? await readKey(sub, key) : undefined;
      if (used) return replay(used);
      throw err;
    }
    const stored = committedResponse();
    if (!stored) return result;
    // What a replay will return, byte for byte; a route whose answer differs from what it
    // committed is a bug (its replays would differ from the first response).
    if (stored.body !== (result.body ?? '') || stored.statusCode !== result.statusCode)
      req.log?.error('idempotent route answered other than it committed', { routeKey: req.routeKey });
    return { ...stored };
  });
}

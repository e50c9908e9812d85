import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError } from '../domain/errors.ts';
import type { Caller } from '../domain/policy.ts';
import { beginIdempotent, completeIdempotent, releaseIdempotent, type StoredResponse } from '../db/idempotency.ts';

/**
 * `Idempotency-Key` on creating POSTs: the first request with a key runs and its 2xx response is
 * kept for 24 hours; a replay with the same key and the same body returns that response (with
 * `idempotency-replayed: true`) and writes nothing; the same key with another body is 422; a
 * replay while the first is still running is 409. A failed request frees its key.
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

export async function withIdempotency(
  req: { key: string | undefined; caller: Caller | undefined; routeKey: string; path: string; body: unknown },
  run: () => Promise<APIGatewayProxyStructuredResultV2>,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (req.key === undefined || !req.caller) return run();
  if (!KEY_PATTERN.test(req.key))
    throw new DomainError('BAD_IDEMPOTENCY_KEY', 'use 8 to 128 characters: letters, digits, and _ . : -');
  const hash = createHash('sha256')
    .update(`${req.routeKey}\n${req.path}\n${canonical(req.body)}`)
    .digest('base64url');
  const begun = await beginIdempotent(req.caller.sub, req.key, hash);
  if (begun.kind === 'replay')
    return { ...begun.response, headers: { ...begun.response.headers, 'idempotency-replayed': 'true' } };
  if (begun.kind === 'mismatch')
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this key was already used for a different request');
  if (begun.kind === 'in-progress')
    throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'the first request with this key has not finished; retry shortly');
  let result: APIGatewayProxyStructuredResultV2;
  try {
    result = await run();
  } catch (err) {
    await releaseIdempotent(req.caller.sub, req.key);
    throw err;
  }
  const status = result.statusCode ?? 200;
  if (status >= 200 && status < 300) {
    const stored: StoredResponse = {
      statusCode: status,
      headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
      body: result.body ?? '',
    };
    await completeIdempotent(req.caller.sub, req.key, stored);
  } else {
    await releaseIdempotent(req.caller.sub, req.key);
  }
  return result;
}

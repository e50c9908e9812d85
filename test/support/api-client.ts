import createClient from 'openapi-fetch';
import { recordingFetch } from './exchanges.ts';
import type { components, operations, paths } from './generated/pioneer-api.ts';

/**
 * The typed client an app team would generate from /openapi.json: openapi-typescript's types of
 * the document (made by `npm run client`, which `npm run typecheck` runs; test/support/generated/)
 * and openapi-fetch, a 6 KB fetch wrapper typed by them. A call's path, parameters and body are
 * checked against the document at compile time, and its `data` and `error` are the documented
 * response types. Every exchange is recorded for the conformance check like any other.
 */
export type Schemas = components['schemas'];
export type { operations, paths };

export function typedClient(baseUrl: string, token?: string) {
  return createClient<paths>({
    baseUrl,
    fetch: (request: Request) => recordingFetch(request),
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
}

/**
 * Every HTTP exchange a test file makes with the local API (through test/support/server.ts's
 * `api()` or the generated client's `recordingFetch`), kept for the conformance check that
 * useE2e() runs after the file's tests: each response against the OpenAPI document. One list per
 * test file (vitest runs each file in its own module scope), so files stay independent.
 */
export interface Exchange {
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly query?: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody?: string;
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const exchanges: Exchange[] = [];

export function recordExchange(x: Exchange): void {
  exchanges.push(x);
}

export function recordedExchanges(): readonly Exchange[] {
  return exchanges;
}

const lower = (h: ConstructorParameters<typeof Headers>[0]): Record<string, string> =>
  Object.fromEntries([...new Headers(h).entries()].map(([k, v]) => [k.toLowerCase(), v]));

/** `fetch`, recording each exchange (for clients that bring their own calls, such as openapi-fetch). */
export async function recordingFetch(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const requestBody = request.body ? await request.clone().text() : undefined;
  const response = await fetch(request);
  const body = await response.clone().text();
  const url = new URL(request.url);
  recordExchange({
    method: request.method,
    path: url.pathname,
    query: url.search ? url.search.slice(1) : undefined,
    requestHeaders: lower(request.headers),
    requestBody,
    status: response.status,
    headers: lower(response.headers),
    body,
  });
  return response;
}

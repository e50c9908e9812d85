import type { client } from '../e2e/client.ts';

/**
 * The bad-input matrices' one check: each request gets a 4xx `application/problem+json` with a
 * `code` and a `status` equal to the HTTP status, never a 2xx/3xx or a 5xx. Returns what failed,
 * one line a case, so a test shows every failure at once.
 */
export interface BadCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  /** Key into the test's tokens. */
  readonly token?: string;
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

export async function badInputFailures(
  api: ReturnType<typeof client>,
  cases: readonly BadCase[],
  tokens: Readonly<Record<string, string>>,
): Promise<string[]> {
  const failures: string[] = [];
  for (const c of cases) {
    const res = await api.call(c.method, c.path, { token: c.token ? tokens[c.token] : undefined, body: c.body, raw: c.raw, headers: c.headers });
    const type = res.headers.get('content-type') ?? '';
    if (res.status < 400 || res.status >= 500) failures.push(`${c.name}: ${res.status} ${res.text.slice(0, 160)}`);
    else if (!type.startsWith('application/problem+json')) failures.push(`${c.name}: ${res.status} with ${type}`);
    else if (typeof res.body?.code !== 'string' || res.body.status !== res.status) failures.push(`${c.name}: problem without code/status`);
  }
  return failures;
}

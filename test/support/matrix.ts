import { expect } from 'vitest';
import type { client, Res } from './client.ts';
import { snapshot } from './inspect.ts';

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

/**
 * The cases every route with a JSON body gets, named `METHOD path: what`: malformed JSON, JSON
 * that is not an object, an unknown field, the wrong content type, a body over 64 KB, no body
 * (when a field is required), each required field missing (every key of `valid` but those in
 * `optional`), and the route's own `mutations` of the valid body (field -> value, merged in).
 */
export function bodyCases(
  method: string,
  path: string,
  token: string,
  valid: Record<string, unknown>,
  mutations: Record<string, Record<string, unknown>>,
  optional: readonly string[] = [],
): BadCase[] {
  const required = Object.keys(valid).filter((key) => !optional.includes(key));
  const cases: Omit<BadCase, 'method' | 'path' | 'token'>[] = [
    { name: 'malformed JSON', raw: '{"name": "x",' },
    { name: 'JSON array', raw: '[]' },
    { name: 'JSON null', raw: 'null' },
    { name: 'JSON string', raw: '"x"' },
    { name: 'unknown field', body: { ...valid, extra: 1 } },
    { name: 'text/plain body', raw: JSON.stringify(valid), headers: { 'content-type': 'text/plain' } },
    { name: 'body over 64 KB', body: { ...valid, pad: 'x'.repeat(70_000) } },
  ];
  if (required.length > 0) cases.push({ name: 'no body' });
  for (const key of required) {
    const { [key]: _, ...missing } = valid;
    cases.push({ name: `missing ${key}`, body: missing });
  }
  for (const [name, change] of Object.entries(mutations)) cases.push({ name, body: { ...valid, ...change } });
  return cases.map((c) => ({ ...c, name: `${method} ${path.slice(0, 40)}: ${c.name}`, method, path, token }));
}

/**
 * Runs a matrix (`check` returns its failures) and expects no failure and the table unchanged:
 * what every authorization and bad-input matrix asserts.
 */
export async function expectRefusedWritingNothing(check: () => Promise<string[]>, tableName?: string): Promise<void> {
  const before = await snapshot(tableName);
  expect(await check()).toEqual([]);
  expect(await snapshot(tableName)).toBe(before);
}

/**
 * What is wrong with a refusal, or undefined: `res` has the expected status (and `code`), and is
 * problem+json unless it is the gateway's 401 (the JWT authorizer answers `{ message }`, as in
 * the cloud).
 */
export function refusalFailure(
  res: Pick<Res, 'status' | 'headers' | 'body' | 'text'>,
  status: number,
  code?: string,
): string | undefined {
  if (res.status !== status) return `${res.status} ${res.text.slice(0, 160)} (wanted ${status} ${code ?? ''})`;
  if (status !== 401 && !(res.headers.get('content-type') ?? '').startsWith('application/problem+json'))
    return 'not problem+json';
  if (code && res.body?.code !== code) return `${res.body?.code} (wanted ${code})`;
  return undefined;
}

export async function badInputFailures(
  api: ReturnType<typeof client>,
  cases: readonly BadCase[],
  tokens: Readonly<Record<string, string>>,
): Promise<string[]> {
  const failures: string[] = [];
  for (const c of cases) {
    const res = await api.call(c.method, c.path, {
      token: c.token ? tokens[c.token] : undefined,
      body: c.body,
      raw: c.raw,
      headers: c.headers,
    });
    const type = res.headers.get('content-type') ?? '';
    if (res.status < 400 || res.status >= 500) failures.push(`${c.name}: ${res.status} ${res.text.slice(0, 160)}`);
    else if (!type.startsWith('application/problem+json')) failures.push(`${c.name}: ${res.status} with ${type}`);
    else if (typeof res.body?.code !== 'string' || res.body.status !== res.status)
      failures.push(`${c.name}: problem without code/status`);
  }
  return failures;
}

/**
 * The authorization matrices' one check: each attempt, by each outsider it names (token key ->
 * the statuses allowed, e.g. [403] or [403, 404]), and always without a token (401), with an
 * expired token (401) and with another district's admin token (403), is refused as expected; a
 * refusal other than the gateway's 401 is problem+json. `tokens` must hold `expired` and
 * `otherDistrictAdmin`.
 */
export interface Attempt {
  readonly method: string;
  readonly path: () => string;
  readonly body?: () => unknown;
  readonly deny: Readonly<Record<string, readonly number[]>>;
}

export async function deniedFailures(
  api: ReturnType<typeof client>,
  attempts: readonly Attempt[],
  tokens: Readonly<Record<string, string>>,
): Promise<string[]> {
  const failures: string[] = [];
  for (const a of attempts) {
    const calls: Array<[string, string | undefined, readonly number[]]> = [
      ...Object.entries(a.deny).map(
        ([who, statuses]) => [who, tokens[who], statuses] as [string, string | undefined, readonly number[]],
      ),
      ['no token', undefined, [401]],
      ['expired token', tokens.expired, [401]],
      ['other district', tokens.otherDistrictAdmin, [403]],
    ];
    for (const [who, token, statuses] of calls) {
      const res = await api.call(a.method, a.path(), { token, body: a.body?.() });
      if (!statuses.includes(res.status))
        failures.push(`${a.method} ${a.path()} as ${who}: ${res.status} ${res.text.slice(0, 120)}`);
      else if (res.status !== 401 && !(res.headers.get('content-type') ?? '').startsWith('application/problem+json'))
        failures.push(`${a.method} ${a.path()} as ${who}: not problem+json`); // 401 comes from the gateway's authorizer
    }
  }
  return failures;
}

import { mintToken, type TokenClaims } from '../../infra/local/keys.ts';
import { api } from './server.ts';

/**
 * The end-to-end tests' view of the HTTP API: `post(path, token, body, headers)` in the order a
 * reader scans a request, over test/support/server.ts's fetch helper.
 */
export interface Res {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read any field of a JSON body and let the assertion judge it
  body: any;
  text: string;
}

export function client(base: string | (() => string)) {
  const http = api(base);
  async function call(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Res> {
    const res = await http.request(method, path, opts);
    return { status: res.status, headers: new Headers(res.headers), body: res.json, text: res.text };
  }
  return {
    get: (path: string, token?: string, headers?: Record<string, string>) => call('GET', path, { token, headers }),
    post: (path: string, token: string | undefined, body?: unknown, headers?: Record<string, string>) =>
      call('POST', path, { token, body, headers }),
    patch: (path: string, token: string | undefined, body?: unknown) => call('PATCH', path, { token, body }),
    put: (path: string, token: string | undefined, body?: unknown) => call('PUT', path, { token, body }),
    delete: (path: string, token: string | undefined) => call('DELETE', path, { token }),
    call,
  };
}

export const tokenFor = (claims: TokenClaims) => mintToken(claims);

let n = 0;
/** A unique readable suffix for ids made by a test. */
export const uniq = (prefix: string) => `${prefix}-${process.pid}-${++n}`;

import { mintToken, type TokenClaims } from '../../infra/local/keys.ts';

/** A small HTTP client for end-to-end tests against the local API Gateway emulator. */
export interface Res {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export function client(base: string) {
  async function call(method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Res> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | undefined;
    if (opts.raw !== undefined) payload = opts.raw;
    else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const res = await fetch(base + path, { method, headers, body: payload });
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers, body, text };
  }
  return {
    get: (path: string, token?: string, headers?: Record<string, string>) => call('GET', path, { token, headers }),
    post: (path: string, token: string | undefined, body?: unknown, headers?: Record<string, string>) => call('POST', path, { token, body, headers }),
    patch: (path: string, token: string | undefined, body?: unknown) => call('PATCH', path, { token, body }),
    call,
  };
}

export const tokenFor = (claims: TokenClaims) => mintToken(claims);

let n = 0;
/** A unique readable suffix for ids made by a test. */
export const uniq = (prefix: string) => `${prefix}-${process.pid}-${++n}`;

import type { RouteEntry } from '../../shared/config/routes.ts';
import type { ScheduleEntry } from '../../shared/config/schedules.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { mintToken, type TokenClaims } from '../../infra/local/keys.ts';
import { startLocalServer } from '../../infra/local/server.ts';
import { startLocalCity, type LocalBus } from '../../infra/local/city-bus.ts';
import { startLocalIdentity, type LocalIdentity } from '../../infra/local/identity.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { TABLE } from '../../shared/config/table.ts';
import { recordExchange } from './exchanges.ts';
import { dynamoEndpoint, uniqueTableName, useFreshTable } from './table.ts';

export interface TestServer {
  url: string;
  port: number;
  tableName: string;
  /** With `identity: true`: the local user pool and the table's stream consumers. */
  identity?: LocalIdentity;
  /** With `identity: true`: the in-process city bus (ResidentSignedUp to the district). */
  bus?: LocalBus;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Default: the route table. */
  routes?: readonly RouteEntry[];
  /** Default: the schedule table. */
  schedules?: readonly ScheduleEntry[];
  /** Folder of function folders; default functions/. */
  functionsDir?: string;
  /**
   * The identity flow too: the city beside the district (its table, the in-process bus), the local
   * user pool with its triggers, and the stream poller feeding the identity function.
   */
  identity?: boolean;
}

/** A fresh table and the local API Gateway emulator on a free port (quiet). */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const { identity: withIdentity, ...serverOpts } = opts;
  const tableName = await useFreshTable(withIdentity ? TABLE : undefined);
  let identity: LocalIdentity | undefined;
  let bus: LocalBus | undefined;
  if (withIdentity) {
    bus = await startLocalCity(dynamoEndpoint(), { tableName: uniqueTableName('city') });
    identity = await startLocalIdentity({ quiet: process.env.PIONEER_STREAM_VERBOSE !== '1' });
  }
  const server = await startLocalServer({ port: 0, quiet: true, ...serverOpts });
  return {
    ...server,
    tableName,
    ...(identity ? { identity } : {}),
    ...(bus ? { bus } : {}),
    close: async () => {
      await server.close();
      await identity?.close();
      if (bus) setPublisher(undefined);
    },
  };
}

/** A local JWT for `role` with the given scope (memberId, communityId, streetId, ...). */
export function token(role: Role, scope: Omit<TokenClaims, 'role'> = {}): Promise<string> {
  return mintToken({ role, ...scope });
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read any field of a JSON body and let the assertion judge it
  json: any;
  text: string;
}

export interface RequestOptions {
  token?: string;
  /** JSON-encoded, with content-type application/json unless headers say otherwise. */
  body?: unknown;
  /** Sent as is. */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
}

/**
 * A tiny fetch helper: `await api(url).get('/health')` -> { status, headers, json, text }. `base`
 * may be a function, read at each request (a server that starts later, in beforeAll).
 */
export function api(base: string | (() => string)) {
  async function request(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Uint8Array | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
    }
    const res = await fetch((typeof base === 'string' ? base : base()) + path, { method, headers, body });
    const text = await res.text();
    const q = path.indexOf('?');
    recordExchange({
      method,
      path: q >= 0 ? path.slice(0, q) : path,
      query: q >= 0 ? path.slice(q + 1) : undefined,
      requestHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      requestBody: typeof body === 'string' ? body : body ? Buffer.from(body).toString('utf8') : undefined,
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: text,
    });
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: Object.fromEntries(res.headers), json, text };
  }
  return {
    request,
    get: (path: string, opts?: RequestOptions) => request('GET', path, opts),
    delete: (path: string, opts?: RequestOptions) => request('DELETE', path, opts),
    post: (path: string, body?: unknown, opts: RequestOptions = {}) => request('POST', path, { ...opts, body }),
    put: (path: string, body?: unknown, opts: RequestOptions = {}) => request('PUT', path, { ...opts, body }),
    patch: (path: string, body?: unknown, opts: RequestOptions = {}) => request('PATCH', path, { ...opts, body }),
  };
}

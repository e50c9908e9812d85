import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';
import { BatchGetItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from './dynamo.ts';
import { allowedActions, decodeGrants, type LocalGrants } from './grants.ts';
import { LocalError } from './errors.ts';

/**
 * The local DynamoDB layer: an HTTP proxy on 127.0.0.1 between the functions and DynamoDB Local
 * that does what DynamoDB does in AWS and DynamoDB Local does not.
 *
 * Reproduced:
 * - Transaction conflicts. While a TransactWriteItems runs, its items are taken: from its arrival
 *   until DynamoDB Local answered, but at most `lockMs` (default 25 ms, about what a transaction
 *   takes in AWS: DynamoDB Local under load is much slower, and holding items for its whole time
 *   would make conflicts several times likelier than in the cloud). Another TransactWriteItems touching one of them is
 *   cancelled (TransactionCanceledException, reason `TransactionConflict` for that item, `None` for
 *   the others), a PutItem, UpdateItem or DeleteItem of one of them fails with
 *   TransactionConflictException, and a TransactGetItems reading an item that a transaction or a
 *   single write is changing is cancelled too. These are the cases AWS documents
 *   ("Transaction conflict handling in DynamoDB"); the first transaction to arrive wins.
 * - IAM: a request made with a local function's credentials (their session token names the
 *   function and its tables, grants.ts) is refused with AccessDeniedException unless the function's
 *   grants allow each action it needs on each table or index (the same lists the CDK construct
 *   grants; TransactWriteItems needs PutItem, UpdateItem, DeleteItem or ConditionCheckItem per item,
 *   so a Scan or a write by a read-only function fails here as it would in the cloud). Requests
 *   without such a token (tests calling services directly, the tools) pass.
 * - Faults on demand (tests): throttling (ProvisionedThroughputExceededException), DynamoDB 5xx,
 *   connections reset before or after DynamoDB Local committed, the whole database unreachable.
 *
 * Not reproduced: conflicts of BatchWriteItem items, throttling by real capacity (partition limits,
 * on-demand scaling) unless injected, latency (AWS transactions take longer than DynamoDB Local's,
 * which narrows the conflict window here; `holdMs` widens it), ClientRequestToken semantics beyond
 * DynamoDB Local's own, global tables, streams. Capacity: DynamoDB Local already reports a
 * transaction's units wrongly (2 for any small transaction, whatever its number of items), so when a
 * caller asks for ConsumedCapacity the layer bills a transaction as AWS does: it reads each item
 * before and after (strongly consistent, while it holds them) and counts 2 write units per KB of
 * each item plus the index entries written (transactionCapacity). Other operations' figures are
 * DynamoDB Local's own, which are right.
 */
export interface DynamoLayerOptions {
  /** DynamoDB Local's endpoint, `http://127.0.0.1:<port>`. */
  readonly target: string;
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** Reproduce transaction conflicts (default true). */
  readonly conflicts?: boolean;
  /** Longest a transaction holds its items from its arrival (default 25 ms; Infinity: until answered). */
  readonly lockMs?: number;
  /** Milliseconds a transaction keeps its items after DynamoDB Local answered (default 0; tests). */
  readonly holdMs?: number;
  /** Enforce each local function's grants (default true). */
  readonly iam?: boolean;
}

/** A fault to inject into the requests that match it. */
export interface Fault {
  /** Operation names (`TransactWriteItems`, `GetItem`, ...); absent: every operation. */
  readonly ops?: readonly string[];
  /** A test on the parsed request body. */
  readonly match?: (body: Record<string, unknown>) => boolean;
  /** How many matching requests it hits; default 1. */
  readonly times?: number;
  /**
   * - `throttle`: 400 ProvisionedThroughputExceededException, nothing done;
   * - `server-error`: 500 InternalServerError, nothing done;
   * - `reset`: the connection is reset before anything is done;
   * - `lose-response`: DynamoDB Local does it, then `afterCommit` runs and the connection is reset
   *   (the caller never learns that it happened);
   * - `delay`: done `ms` later (a slow request; a transaction holds its items meanwhile).
   */
  readonly action: 'throttle' | 'server-error' | 'reset' | 'lose-response' | 'delay';
  readonly afterCommit?: () => void | Promise<void>;
  readonly ms?: number;
}

export interface LayerStats {
  requests: number;
  byOperation: Record<string, number>;
  conflicts: { transactions: number; singleWrites: number; transactionalReads: number };
  /** Requests refused for want of a grant: `<function> <action> <table>`. */
  denied: string[];
  faults: number;
}

export interface DynamoLayer {
  /** `http://127.0.0.1:<port>`: the endpoint functions use. */
  readonly endpoint: string;
  readonly port: number;
  readonly target: string;
  stats(): LayerStats;
  resetStats(): void;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** While down, every connection is reset at once: DynamoDB is unreachable. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

type AttributeValue = Record<string, unknown>;
type Body = Record<string, unknown>;
type KeySchema = { hash: string; range?: string; indexes: { name: string; hash: string; range?: string }[] };

const JSON_TYPE = 'application/x-amz-json-1.0';
const NS = 'com.amazonaws.dynamodb.v20120810';

/** About how long a transaction takes in AWS (its items are held that long at most). */
export const DEFAULT_LOCK_MS = 25;

const SINGLE_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/** The IAM action of each data-plane operation (TransactWriteItems: per item, below). */
const ACTION_OF: Record<string, string> = {
  GetItem: 'dynamodb:GetItem',
  BatchGetItem: 'dynamodb:BatchGetItem',
  Query: 'dynamodb:Query',
  Scan: 'dynamodb:Scan',
  PutItem: 'dynamodb:PutItem',
  UpdateItem: 'dynamodb:UpdateItem',
  DeleteItem: 'dynamodb:DeleteItem',
  BatchWriteItem: 'dynamodb:BatchWriteItem',
  DescribeTable: 'dynamodb:DescribeTable',
  ExecuteStatement: 'dynamodb:PartiQLSelect',
  BatchExecuteStatement: 'dynamodb:PartiQLSelect',
  ExecuteTransaction: 'dynamodb:PartiQLSelect',
};
const TRANSACT_ACTION: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function awsError(status: number, type: string, message: string, extra: Body = {}): Reply {
  const body = Buffer.from(JSON.stringify({ __type: type, message, ...extra }));
  return {
    status,
    headers: {
      'content-type': JSON_TYPE,
      'x-amzn-requestid': randomUUID(),
      'x-amz-crc32': String(zlib.crc32(body)),
    },
    body,
  };
}

const transactionConflict = () =>
  awsError(400, `${NS}#TransactionConflictException`, 'Transaction is ongoing for the item');

function transactionCanceled(codes: readonly ('None' | 'TransactionConflict')[]): Reply {
  return awsError(
    400,
    `${NS}#TransactionCanceledException`,
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    {
      CancellationReasons: codes.map((Code) =>
        Code === 'None' ? { Code } : { Code, Message: 'Transaction is ongoing for the item' },
      ),
    },
  );
}

/** Where each item of a request lives, and what it does there. */
interface Touch {
  readonly table: string;
  readonly action: string;
  readonly index?: string;
  /** The item (write and transactional operations). */
  readonly key?: AttributeValue;
  readonly item?: AttributeValue;
}

function touches(op: string, body: Body): Touch[] {
  const table = String(body.TableName ?? '');
  switch (op) {
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return ((body.TransactItems as Body[] | undefined) ?? []).map((entry) => {
        const [kind, spec] = Object.entries(entry)[0] as [string, Body];
        return {
          table: String(spec.TableName ?? ''),
          action: TRANSACT_ACTION[kind] ?? `dynamodb:${kind}`,
          key: spec.Key as AttributeValue | undefined,
          item: spec.Item as AttributeValue | undefined,
        };
      });
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((body.RequestItems as Body | undefined) ?? {}).map((t) => ({
        table: t,
        action: ACTION_OF[op]!,
      }));
    case 'Query':
    case 'Scan':
      return [{ table, action: ACTION_OF[op]!, ...(body.IndexName ? { index: String(body.IndexName) } : {}) }];
    default:
      return [
        {
          table,
          action: ACTION_OF[op] ?? `dynamodb:${op}`,
          key: body.Key as AttributeValue | undefined,
          item: body.Item as AttributeValue | undefined,
        },
      ];
  }
}

/** The first grant a request lacks, as `<action> on <table>[/index/<name>]`, or undefined. */
function missingGrant(grants: LocalGrants, op: string, body: Body): string | undefined {
  for (const t of touches(op, body)) {
    const access = grants.tables[t.table];
    const allowed = access ? allowedActions(access, t.index !== undefined) : [];
    if (!allowed.includes(t.action)) return `${t.action} on ${t.table}${t.index ? `/index/${t.index}` : ''}`;
  }
  return undefined;
}

export async function startDynamoLayer(opts: DynamoLayerOptions): Promise<DynamoLayer> {
  const target = new URL(opts.target);
  const conflicts = opts.conflicts ?? true;
  const enforceIam = opts.iam ?? true;
  const holdMs = opts.holdMs ?? 0;
  const lockMs = opts.lockMs ?? DEFAULT_LOCK_MS;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const schemaClient = localDynamoClient(opts.target);
  const schemas = new Map<string, Promise<KeySchema | undefined>>();
  /** Items taken by running transactions: item -> transaction. */
  const taken = new Map<string, string>();
  /** Items being written by single-item writes (a TransactGetItems must not read them). */
  const writing = new Map<string, number>();
  let faults: (Fault & { left: number })[] = [];
  let down = false;
  let stats = freshStats();
  const sockets = new Set<Socket>();

  function freshStats(): LayerStats {
    return {
      requests: 0,
      byOperation: {},
      conflicts: { transactions: 0, singleWrites: 0, transactionalReads: 0 },
      denied: [],
      faults: 0,
    };
  }

  const keySchema = (table: string): Promise<KeySchema | undefined> => {
    let p = schemas.get(table);
    if (!p) {
      p = schemaClient
        .send(new DescribeTableCommand({ TableName: table }))
        .then((out) => {
          const keysOf = (ks: { KeyType?: string; AttributeName?: string }[] = []) => {
            const hash = ks.find((k) => k.KeyType === 'HASH')?.AttributeName;
            const range = ks.find((k) => k.KeyType === 'RANGE')?.AttributeName;
            return hash ? { hash, ...(range ? { range } : {}) } : undefined;
          };
          const main = keysOf(out.Table?.KeySchema);
          if (!main) return undefined;
          const indexes = (out.Table?.GlobalSecondaryIndexes ?? []).flatMap((g) => {
            const k = keysOf(g.KeySchema);
            return k && g.IndexName ? [{ name: g.IndexName, ...k }] : [];
          });
          return { ...main, indexes };
        })
        .catch(() => {
          schemas.delete(table);
          return undefined;
        });
      schemas.set(table, p);
    }
    return p;
  };

  /** `<table> <key as JSON>` of each item a request writes or reads transactionally. */
  async function itemIds(list: readonly Touch[]): Promise<(string | undefined)[]> {
    return Promise.all(
      list.map(async (t) => {
        if (t.key) return `${t.table} ${JSON.stringify(sorted(t.key))}`;
        if (!t.item) return undefined;
        const ks = await keySchema(t.table);
        if (!ks) return undefined;
        const key: AttributeValue = { [ks.hash]: t.item[ks.hash] };
        if (ks.range) key[ks.range] = t.item[ks.range];
        return `${t.table} ${JSON.stringify(sorted(key))}`;
      }),
    );
  }

  function takeFault(op: string, body: Body): Fault | undefined {
    const f = faults.find((x) => x.left > 0 && (!x.ops || x.ops.includes(op)) && (!x.match || x.match(body)));
    if (!f) return undefined;
    f.left--;
    faults = faults.filter((x) => x.left > 0);
    stats.faults++;
    return f;
  }

  function forward(req: IncomingMessage, raw: Buffer): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: target.host };
      delete headers.connection;
      const out = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined && k !== 'connection' && k !== 'keep-alive' && k !== 'transfer-encoding')
                h[k] = Array.isArray(v) ? v.join(',') : v;
            resolve({ status: res.statusCode ?? 500, headers: h, body: Buffer.concat(chunks) });
          });
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(raw);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    let body: Body = {};
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as Body) : {};
    } catch {
      // not JSON: DynamoDB Local will say so
    }
    stats.requests++;
    stats.byOperation[op] = (stats.byOperation[op] ?? 0) + 1;

    if (enforceIam) {
      const grants = decodeGrants(headerValue(req.headers['x-amz-security-token']));
      const missing = grants && missingGrant(grants, op, body);
      if (grants && missing) {
        stats.denied.push(`${grants.function} ${missing}`);
        const [action, , resource] = missing.split(' ');
        return send(
          res,
          awsError(
            400,
            'com.amazon.coral.service#AccessDeniedException',
            `User: arn:aws:sts::000000000000:assumed-role/${grants.function}/${grants.function} is not authorized to perform: ${action} on resource: arn:aws:dynamodb:local:000000000000:table/${resource} because no identity-based policy allows the ${action} action`,
          ),
        );
      }
    }

    const fault = takeFault(op, body);
    if (fault?.action === 'reset') return void req.socket.destroy();
    const slow = fault?.action === 'delay' ? () => new Promise((r) => setTimeout(r, fault.ms ?? 1000)) : undefined;
    if (fault?.action === 'throttle')
      return send(
        res,
        awsError(
          400,
          `${NS}#ProvisionedThroughputExceededException`,
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
        ),
      );
    if (fault?.action === 'server-error')
      return send(res, awsError(500, `${NS}#InternalServerError`, 'Internal server error'));

    /** Answers with DynamoDB Local's reply, or loses it (the fault) once DynamoDB Local has done the work. */
    const deliver = async (reply: Reply): Promise<void> => {
      if (fault?.action !== 'lose-response') return send(res, reply);
      await fault.afterCommit?.();
      req.socket.destroy();
    };
    const run = async (): Promise<void> => {
      await slow?.();
      await deliver(await forward(req, raw));
    };

    if (!conflicts) return run();
    if (op === 'TransactWriteItems') return runTransaction();
    if (SINGLE_WRITES.has(op)) return runSingleWrite(body, op, res, run);
    if (op === 'TransactGetItems') {
      const ids = await itemIds(touches(op, body));
      const codes = ids.map((id) => (id && (taken.has(id) || writing.has(id)) ? 'TransactionConflict' : 'None'));
      if (codes.includes('TransactionConflict')) {
        stats.conflicts.transactionalReads++;
        return send(res, transactionCanceled(codes));
      }
    }
    return run();

    /** Takes the transaction's items for as long as it runs (plus holdMs), unless one is taken. */
    async function runTransaction(): Promise<void> {
      const ids = await itemIds(touches('TransactWriteItems', body));
      const codes = ids.map((id) => (id && taken.has(id) ? 'TransactionConflict' : 'None'));
      if (codes.includes('TransactionConflict')) {
        stats.conflicts.transactions++;
        return send(res, transactionCanceled(codes));
      }
      const tx = randomUUID();
      const mine = ids.filter((id): id is string => id !== undefined);
      for (const id of mine) taken.set(id, tx);
      const release = () => {
        for (const id of mine) if (taken.get(id) === tx) taken.delete(id);
      };
      const expiry = Number.isFinite(lockMs) ? setTimeout(release, lockMs) : undefined;
      try {
        await slow?.();
        const billed = body.ReturnConsumedCapacity === 'TOTAL' || body.ReturnConsumedCapacity === 'INDEXES';
        const before = billed ? await readItems(touches('TransactWriteItems', body)) : undefined;
        let reply = await forward(req, raw);
        if (before && reply.status === 200) {
          const after = await readItems(touches('TransactWriteItems', body));
          reply = withCapacity(reply, await transactionCapacity(touches('TransactWriteItems', body), before, after));
        }
        if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
        await deliver(reply);
      } finally {
        clearTimeout(expiry);
        release();
      }
    }
  }

  async function runSingleWrite(b: Body, op: string, res: ServerResponse, go: () => Promise<void>): Promise<void> {
    const [id] = await itemIds(touches(op, b));
    if (id && taken.has(id)) {
      stats.conflicts.singleWrites++;
      return send(res, transactionConflict());
    }
    if (id) writing.set(id, (writing.get(id) ?? 0) + 1);
    try {
      await go();
    } finally {
      if (id) {
        const n = (writing.get(id) ?? 1) - 1;
        if (n > 0) writing.set(id, n);
        else writing.delete(id);
      }
    }
  }

  /** The items a transaction touches, as they are now (one strongly consistent BatchGetItem); undefined where absent. */
  async function readItems(list: readonly Touch[]): Promise<(AttributeValue | undefined)[]> {
    const keys = await Promise.all(
      list.map(async (t) => {
        const ks = await keySchema(t.table);
        const source = t.key ?? t.item;
        if (!ks || !source) return undefined;
        return { [ks.hash]: source[ks.hash], ...(ks.range ? { [ks.range]: source[ks.range] } : {}) } as AttributeValue;
      }),
    );
    const byTable: Record<string, { Keys: AttributeValue[]; ConsistentRead: true }> = {};
    for (const [i, k] of keys.entries())
      if (k) (byTable[list[i]!.table] ??= { Keys: [], ConsistentRead: true }).Keys.push(k);
    const found = new Map<string, AttributeValue>();
    // A malformed request is DynamoDB Local's to refuse: its size is then nobody's business.
    let request: Record<string, unknown> | undefined = byTable;
    for (let n = 0; request && Object.keys(request).length > 0 && n < 5; n++) {
      const out = await schemaClient
        .send(new BatchGetItemCommand({ RequestItems: request as never }))
        .catch(() => undefined);
      for (const [table, items] of Object.entries(out?.Responses ?? {}))
        for (const item of items) {
          const ks = await keySchema(table);
          if (ks)
            found.set(`${table} ${JSON.stringify(sorted(keyOf(item as AttributeValue, ks)))}`, item as AttributeValue);
        }
      request = out?.UnprocessedKeys as Record<string, unknown> | undefined;
    }
    return keys.map((k, i) => (k ? found.get(`${list[i]!.table} ${JSON.stringify(sorted(k))}`) : undefined));
  }

  /**
   * What AWS bills for a transaction: 2 write units per KB (rounded up) of each item, the larger of
   * its size before and after (a ConditionCheck: its size), and 1 per KB for each index entry
   * written (2 when the item moves within an index).
   */
  async function transactionCapacity(
    list: readonly Touch[],
    before: readonly (AttributeValue | undefined)[],
    after: readonly (AttributeValue | undefined)[],
  ): Promise<Map<string, { table: number; indexes: Record<string, number> }>> {
    const byTable = new Map<string, { table: number; indexes: Record<string, number> }>();
    for (const [i, t] of list.entries()) {
      const ks = await keySchema(t.table);
      let c = byTable.get(t.table);
      if (!c) byTable.set(t.table, (c = { table: 0, indexes: {} }));
      const b = before[i];
      const a = t.action === 'dynamodb:ConditionCheckItem' ? b : after[i];
      c.table += 2 * Math.max(1, kb(Math.max(itemSize(b), itemSize(a))));
      for (const ix of ks?.indexes ?? []) {
        const inB = b !== undefined && b[ix.hash] !== undefined && (!ix.range || b[ix.range] !== undefined);
        const inA = a !== undefined && a[ix.hash] !== undefined && (!ix.range || a[ix.range] !== undefined);
        if (!inB && !inA) continue;
        const moved =
          inB &&
          inA &&
          (JSON.stringify(b[ix.hash]) !== JSON.stringify(a[ix.hash]) ||
            (ix.range !== undefined && JSON.stringify(b[ix.range]) !== JSON.stringify(a[ix.range])));
        const units = moved ? kb(itemSize(b)) + kb(itemSize(a)) : kb(itemSize(inA ? a : b));
        if (t.action !== 'dynamodb:ConditionCheckItem') c.indexes[ix.name] = (c.indexes[ix.name] ?? 0) + units;
      }
    }
    return byTable;
  }

  const server = http.createServer((req, res) => {
    if (down) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
        // DynamoDB Local did not answer (it died, or is restarting): the caller sees a dropped connection.
        if (process.env.PIONEER_DEBUG) process.stderr.write(`[dynamo-layer] ${String(err)}\n`);
        req.socket.destroy();
      });
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s) => {
    if (down) return void s.destroy();
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new LocalError(`the DynamoDB layer cannot listen on 127.0.0.1:${opts.port ?? 0}: ${err.message}`)),
    );
    server.listen({ port: opts.port ?? 0, host: '127.0.0.1', exclusive: true }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    target: opts.target,
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = freshStats();
    },
    inject: (f) => {
      faults.push({ ...f, left: f.times ?? 1 });
    },
    clearFaults: () => {
      faults = [];
    },
    setDown: (d) => {
      down = d;
      if (d) for (const s of sockets) s.destroy();
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        agent.destroy();
        schemaClient.destroy();
      })),
  };
}

/** A reply whose ConsumedCapacity is replaced by `capacity` (table and index units per table). */
function withCapacity(reply: Reply, capacity: Map<string, { table: number; indexes: Record<string, number> }>): Reply {
  let out: Body;
  try {
    out = JSON.parse(reply.body.toString('utf8')) as Body;
  } catch {
    return reply;
  }
  out.ConsumedCapacity = [...capacity.entries()].map(([TableName, c]) => {
    const indexes = Object.values(c.indexes).reduce((x, y) => x + y, 0);
    return {
      TableName,
      CapacityUnits: c.table + indexes,
      WriteCapacityUnits: c.table + indexes,
      Table: { CapacityUnits: c.table, WriteCapacityUnits: c.table },
      GlobalSecondaryIndexes: Object.fromEntries(
        Object.entries(c.indexes).map(([n, u]) => [n, { CapacityUnits: u, WriteCapacityUnits: u }]),
      ),
    };
  });
  const body = Buffer.from(JSON.stringify(out));
  return {
    ...reply,
    body,
    headers: { ...reply.headers, 'x-amz-crc32': String(zlib.crc32(body)), 'content-length': String(body.length) },
  };
}

/** Write units of a size: 1 per KB, rounded up (0 for nothing). */
const kb = (bytes: number) => Math.ceil(bytes / 1024);

/** An item's size as DynamoDB counts it: names and values in UTF-8, numbers ~1 byte per 2 digits. */
export function itemSize(item: AttributeValue | undefined): number {
  if (!item) return 0;
  let n = 0;
  for (const [name, v] of Object.entries(item)) n += Buffer.byteLength(name) + valueSize(v as AttributeValue);
  return n;
}

function valueSize(v: AttributeValue): number {
  const [type, x] = Object.entries(v)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(x));
    case 'N':
      return Math.ceil(String(x).replace(/[^0-9]/g, '').length / 2) + 1;
    case 'B':
      return Buffer.from(String(x), 'base64').length;
    case 'SS':
      return (x as string[]).reduce((s, e) => s + Buffer.byteLength(e), 0);
    case 'NS':
      return (x as string[]).reduce((s, e) => s + Math.ceil(e.replace(/[^0-9]/g, '').length / 2) + 1, 0);
    case 'BS':
      return (x as string[]).reduce((s, e) => s + Buffer.from(e, 'base64').length, 0);
    case 'L':
      return 3 + (x as AttributeValue[]).reduce((s, e) => s + 1 + valueSize(e), 0);
    case 'M':
      return (
        3 +
        Object.entries(x as Record<string, AttributeValue>).reduce(
          (s, [k, e]) => s + 1 + Buffer.byteLength(k) + valueSize(e),
          0,
        )
      );
    default:
      return 1;
  }
}

function keyOf(item: AttributeValue, ks: KeySchema): AttributeValue {
  return { [ks.hash]: item[ks.hash], ...(ks.range ? { [ks.range]: item[ks.range] } : {}) } as AttributeValue;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function sorted(o: AttributeValue): AttributeValue {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function send(res: ServerResponse, r: Reply): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(r.status, { ...r.headers, 'content-length': String(r.body.length) });
  res.end(r.body);
}

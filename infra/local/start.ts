// npm start [-- --port N] [--in-memory] [--clock <ISO>] [--dynamo-port N]
// The whole platform on this machine: DynamoDB Local, the district table and the city's, the HTTP API
// emulator (district and city routes), the city bus (in-process) and the scheduler, all on 127.0.0.1.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import fs from 'node:fs';
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
import { LocalError, ensureWritableDir, oneLine, runMain } from './errors.ts';
import { describeFailure, failureList, invokeAsync, setFailureList } from './failures.ts';
import { withEnvironment } from './invoke.ts';
import { checkJava } from './java.ts';
import { DATA_DIR, DYNAMO_DATA_DIR, FAILURES_FILE, SERVER_STATE_FILE, displayPath } from './paths.ts';
import { readRunningState, writeState, type LocalServerState } from './state.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';
import { startLocalServer, type LocalServer } from './server.ts';

const USAGE = 'usage: npm start [-- --port N] [--in-memory] [--clock <ISO time>] [--dynamo-port N]';
const DEFAULT_DYNAMO_PORT = 8000;

function parsePort(v: string | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new LocalError(`${flag} must be a port number (1-65535), got "${v}"`, 2);
  return n;
}

runMain(async () => {
  let values: { port?: string; 'in-memory'?: boolean; clock?: string; 'dynamo-port'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        port: { type: 'string' },
        'in-memory': { type: 'boolean' },
        clock: { type: 'string' },
        'dynamo-port': { type: 'string' },
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
    return;
  }
  const port = parsePort(values.port, '--port', 3000);
  const inMemory = values['in-memory'] === true;
  if (values.clock !== undefined && Number.isNaN(Date.parse(values.clock))) {
    throw new LocalError(`--clock must be an ISO time such as 2025-06-01T09:00:00+08:00, got "${values.clock}"`, 2);
  }

  checkJava();
  ensureWritableDir(DATA_DIR, 'the local data');
  const running = readRunningState();
  if (running && running.pid !== process.pid && !inMemory) {
    throw new LocalError(
      `Pioneer is already running at ${running.url} (pid ${running.pid}): stop it first, or use --in-memory for a second one`,
    );
  }
  // Fail on a busy HTTP port before spending two seconds on the JVM.
  if (await portInUse(port)) throw new LocalError(`port ${port} is in use: stop what uses it or pass --port N`);

  let dynamoPort = parsePort(values['dynamo-port'], '--dynamo-port', 0);
  if (!dynamoPort) dynamoPort = (await portInUse(DEFAULT_DYNAMO_PORT)) ? 0 : DEFAULT_DYNAMO_PORT;

  let dynamo: DynamoLocal | undefined;
  let server: LocalServer | undefined;
  let scheduler: Scheduler | undefined;
  let wroteState = false;
  let shuttingDown: Promise<void> | undefined;

  const removeState = (): void => {
    if (!wroteState) return;
    try {
      const s = JSON.parse(fs.readFileSync(SERVER_STATE_FILE, 'utf8')) as LocalServerState;
      if (s.pid === process.pid) fs.rmSync(SERVER_STATE_FILE, { force: true });
    } catch {
      // gone already
    }
    wroteState = false;
  };
  process.on('exit', removeState);

  const shutdown = (): Promise<void> =>
    (shuttingDown ??= (async () => {
      await scheduler?.stop().catch(() => undefined);
      await server?.close().catch(() => undefined);
      await dynamo?.stop().catch(() => undefined);
      removeState();
    })());

  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) {
      process.stderr.write('forced exit\n');
      process.exit(1); // the 'exit' handlers still kill java and remove the state file
    }
    process.stdout.write(`\n${sig}: stopping...\n`);
    void shutdown().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  try {
    dynamo = await startDynamoLocal(
      inMemory ? { inMemory: true, port: dynamoPort } : { dataDir: DYNAMO_DATA_DIR, port: dynamoPort },
    );
    const tableName = `pioneer-${LOCAL_DISTRICT_ID}`;
    await ensureTable(dynamo.endpoint, tableName);
    deployLocally({
      districtId: LOCAL_DISTRICT_ID,
      region: LOCAL_REGION,
      dynamoEndpoint: dynamo.endpoint,
      districtTable: tableName,
    });
    // Failed asynchronous invocations (jobs, bus deliveries), kept to be run again: printed as they come.
    const failures = failureList({
      ...(inMemory ? {} : { file: FAILURES_FILE }),
      onAdd: (f) =>
        process.stderr.write(
          `[pioneer-local] failed: ${describeFailure(f)}; run it again: npm run job -- --rerun ${f.id}\n`,
        ),
    });
    setFailureList(failures);
    // The city beside the district: its table, and its bus delivering events in-process.
    const city = await startLocalCity(dynamo.endpoint);
    if (values.clock !== undefined) setClock(values.clock);

    let seeded: string;
    try {
      const { seedDemo } = await import('./seed.ts');
      // As the members function would do it: its environment, its credentials.
      const r = (await withEnvironment(localEnvironment(findSpec('members')!), seedDemo)) as {
        created?: number | boolean;
      };
      seeded =
        typeof r.created === 'number'
          ? `${r.created} demo item(s) created`
          : r.created
            ? 'demo data created'
            : 'demo data already there';
    } catch (err) {
      seeded = `seeding the demo data failed: ${oneLine(err)}`;
    }

    server = await startLocalServer({ port, routes: [...ROUTES, ...CITY_ROUTES], throttle: true });
    const schedules = [...SCHEDULES, ...CITY_SCHEDULES];
    // Scheduler invokes asynchronously: three attempts, then the failure list (as the on-failure destination).
    scheduler = startScheduler({
      schedules,
      invoke: (fn, event) =>
        invokeAsync(fn, event, { source: 'scheduler', what: event.job, list: failures }, { timeoutMs: 15 * 60_000 }),
    });

    const state: LocalServerState = {
      url: server.url,
      pid: process.pid,
      port: server.port,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      inMemory,
      startedAt: new Date().toISOString(),
    };
    if (!running) {
      writeState(state);
      wroteState = true;
    }

    const upcoming = scheduler.upcoming().map((u) => `    ${u.job.padEnd(22)} next ${u.at}`);
    const lines = [
      '',
      `Pioneer local platform (district ${LOCAL_DISTRICT_ID}) is up: ${server.url}`,
      '',
      `  HTTP API         http://127.0.0.1:${server.port}   (API Gateway HTTP API emulator, payload 2.0, JWT authorizer)`,
      `  DynamoDB Local   ${dynamo.endpoint}   tables ${tableName} and ${city.tableName} (the city), ${inMemory ? 'in memory (gone when you stop)' : `data in ${displayPath(DYNAMO_DATA_DIR)}`}`,
      `                   started in ${(dynamo.startupMs / 1000).toFixed(1)} s (${dynamo.launcher} launcher)`,
      `  City             ${server.url}/city/...  (city_admin), events on the in-process city bus: rollup -> city, city theme plan -> district`,
      `  Clock            ${nowIso()}${values.clock !== undefined ? ' (set by --clock)' : ''}`,
      `  Demo data        ${seeded}`,
      `  Scheduler        ${schedules.length} job(s); run one now: npm run job -- <name>`,
      ...upcoming,
      `  Failed jobs      ${failures.list().length} kept (failed jobs and events, after 3 attempts)${failures.list().length > 0 ? ':' : ''}`,
      ...failures.list().map((f) => `    ${describeFailure(f)}`),
      '                   list: npm run job -- --failures (GET /_local/failures); run one again: npm run job -- --rerun <id>',
      '',
      '  A token (any role: resident, member, team_leader, community_admin, street_admin, district_admin, city_admin):',
      '    TOKEN=$(npm run -s token -- --role member --member m-demo-1)',
      `    curl -s ${server.url}/members/me -H "Authorization: Bearer $TOKEN"`,
      `    curl -s ${server.url}/health`,
      '',
      'Ctrl-C stops everything.',
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } catch (err) {
    await shutdown();
    throw err;
  }
});

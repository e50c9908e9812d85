// npm run job -- <name> [--date YYYY-MM-DD] [--month YYYY-MM] [--<key> <value> ...]
// npm run job -- --failures          the failed asynchronous invocations kept (jobs, bus events)
// npm run job -- --rerun <id>        run one again with its event (removed when it succeeds)
// Runs a scheduled job now: through the running local platform (`npm start`) when there is one,
// otherwise in this process against DynamoDB Local on .data/dynamodb.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { randomUUID } from 'node:crypto';
import { CITY_SCHEDULES } from '../../shared/config/city-schedules.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { SCHEDULES } from '../../shared/config/schedules.ts';
import { startLocalCity } from './city-bus.ts';
import { deployLocally } from './deployment.ts';
import { LOCAL_REGION, ensureTable, startDynamoLocal } from './dynamo.ts';
import { LocalError, runMain } from './errors.ts';
import { describeFailure, failureList, rerunFailure } from './failures.ts';
import { invokeFunction } from './invoke.ts';
import { checkJava } from './java.ts';
import { DYNAMO_DATA_DIR, FAILURES_FILE, displayPath } from './paths.ts';
import { readRunningState } from './state.ts';

const USAGE =
  'usage: npm run job -- <name> [--date YYYY-MM-DD] [--month YYYY-MM] [--<key> <value> ...] | --failures | --rerun <id>';
/** Every job: the district's and the city's (names are unique across both tables). */
const ALL_SCHEDULES = [...SCHEDULES, ...CITY_SCHEDULES];

/** `--date 2025-06-01 --dry-run --batch-size=5` -> { date: '2025-06-01', dryRun: true, batchSize: '5' } */
function parseJobArgs(argv: readonly string[]): { name: string | undefined; args: Record<string, string | boolean> } {
  let name: string | undefined;
  const args: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      if (name !== undefined) throw new LocalError(`unexpected argument "${a}"; ${USAGE}`, 2);
      name = a;
      continue;
    }
    const eq = a.indexOf('=');
    const rawKey = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (!/^[A-Za-z][\w-]*$/.test(rawKey)) throw new LocalError(`not an option: "${a}"; ${USAGE}`, 2);
    const key = rawKey.replace(/-([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
    let value: string | boolean;
    if (eq >= 0) value = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i]!;
    else value = true;
    args[key] = value;
  }
  if (args.date !== undefined && (typeof args.date !== 'string' || !validDate(args.date))) {
    throw new LocalError(`--date must be a date YYYY-MM-DD, got "${String(args.date)}"`, 2);
  }
  if (args.month !== undefined && (typeof args.month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(args.month))) {
    throw new LocalError(`--month must be a month YYYY-MM, got "${String(args.month)}"`, 2);
  }
  return { name, args };
}

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

async function viaRunningPlatform(name: string, args: Record<string, unknown>): Promise<boolean> {
  const state = readRunningState();
  if (!state) return false;
  try {
    await fetch(`${state.url}/health`, { signal: AbortSignal.timeout(2000) });
  } catch {
    return false; // the process is alive but it is not our server (or it hangs): run in-process
  }
  process.stderr.write(`running ${name} on the local platform at ${state.url}\n`);
  const res = await fetch(`${state.url}/_local/jobs/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON
    }
    throw new LocalError(`job ${name} failed (HTTP ${res.status}): ${message}`);
  }
  process.stdout.write(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  return true;
}

/** Runs `work` in this process against DynamoDB Local on .data/dynamodb, with the district and the city deployed. */
async function withLocalPlatform<T>(what: string, work: () => Promise<T>): Promise<T> {
  checkJava();
  process.stderr.write(`no local platform running: ${what} in this process against ${displayPath(DYNAMO_DATA_DIR)}\n`);
  const dynamo = await startDynamoLocal({ dataDir: DYNAMO_DATA_DIR });
  try {
    const tableName = `pioneer-${LOCAL_DISTRICT_ID}`;
    await ensureTable(dynamo.endpoint, tableName);
    deployLocally({
      districtId: LOCAL_DISTRICT_ID,
      region: LOCAL_REGION,
      dynamoEndpoint: dynamo.endpoint,
      districtTable: tableName,
    });
    // The city too: the rollup's event reaches it as under `npm start`.
    await startLocalCity(dynamo.endpoint);
    // The function's own logs go to stderr, so stdout carries only the result (pipe it to jq).
    const stdoutWrite = process.stdout.write;
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    try {
      return await work();
    } finally {
      process.stdout.write = stdoutWrite;
    }
  } finally {
    await dynamo.stop();
  }
}

async function inProcess(name: string, fn: string, args: Record<string, unknown>): Promise<void> {
  const event = { job: name, scheduledTime: new Date().toISOString(), executionId: randomUUID(), args };
  const result = await withLocalPlatform(`running ${name}`, () =>
    invokeFunction(fn, event, { timeoutMs: 15 * 60_000 }),
  );
  process.stdout.write(`${JSON.stringify(result ?? null, null, 2)}\n`);
}

/** `--failures`: through the running platform, else from .data/failed-invocations.json. */
async function listFailures(): Promise<void> {
  const state = readRunningState();
  const failures = state
    ? ((await (await fetch(`${state.url}/_local/failures`)).json()) as ReturnType<
        ReturnType<typeof failureList>['list']
      >)
    : failureList({ file: FAILURES_FILE }).list();
  if (failures.length === 0) {
    process.stdout.write('no failed invocation is kept\n');
    return;
  }
  for (const f of failures) process.stdout.write(`${describeFailure(f)}\n`);
  process.stdout.write(`run one again: npm run job -- --rerun <id>\n`);
}

/** `--rerun <id>`: through the running platform, else in this process (the kept list is the file). */
async function rerun(id: string): Promise<void> {
  const state = readRunningState();
  if (state) {
    const res = await fetch(`${state.url}/_local/failures/${encodeURIComponent(id)}/rerun`, { method: 'POST' });
    const body = (await res.json()) as { message?: string };
    if (!res.ok) throw new LocalError(`run again of ${id} failed (HTTP ${res.status}): ${body.message ?? ''}`);
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  const list = failureList({ file: FAILURES_FILE });
  if (!list.get(id))
    throw new LocalError(
      `no failed invocation ${id}; kept: ${
        list
          .list()
          .map((f) => f.id)
          .join(', ') || 'none'
      }`,
    );
  const result = await withLocalPlatform(`running ${id} again`, () =>
    rerunFailure(list, id, { timeoutMs: 15 * 60_000 }),
  );
  process.stdout.write(`${JSON.stringify({ rerun: id, removed: true, result: result ?? null }, null, 2)}\n`);
}

runMain(async () => {
  const argv = process.argv.slice(2);
  if (argv[0] === '--failures') {
    if (argv.length > 1) throw new LocalError(`--failures takes nothing more; ${USAGE}`, 2);
    await listFailures();
    return;
  }
  if (argv[0] === '--rerun') {
    if (argv.length !== 2 || !/^[\w-]{1,64}$/.test(argv[1]!)) throw new LocalError(`--rerun takes one id; ${USAGE}`, 2);
    await rerun(argv[1]!);
    process.exit(0);
  }
  const { name, args } = parseJobArgs(argv);
  const jobs = ALL_SCHEDULES.map((s) => s.name).join(', ');
  if (!name) throw new LocalError(`which job? jobs are: ${jobs}; ${USAGE}`, 2);
  const schedule = ALL_SCHEDULES.find((s) => s.name === name);
  if (!schedule) throw new LocalError(`unknown job "${name}": jobs are: ${jobs}`, 2);
  if (await viaRunningPlatform(name, args)) return;
  await inProcess(name, schedule.function, args);
  // Handlers may leave SDK sockets open; the job is done.
  process.exit(0);
});

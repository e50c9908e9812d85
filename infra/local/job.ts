// npm run job -- <name> [--date YYYY-MM-DD] [--month YYYY-MM] [--<key> <value> ...]
// Runs a scheduled job now: through the running local platform (`npm start`) when there is one,
// otherwise in this process against DynamoDB Local on .data/dynamodb.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { randomUUID } from 'node:crypto';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { SCHEDULES, findSchedule } from '../../shared/config/schedules.ts';
import { startLocalCity } from './city-bus.ts';
import { deployLocally } from './deployment.ts';
import { LOCAL_REGION, ensureTable, startDynamoLocal } from './dynamo.ts';
import { LocalError, runMain } from './errors.ts';
import { invokeFunction } from './invoke.ts';
import { checkJava } from './java.ts';
import { DYNAMO_DATA_DIR, displayPath } from './paths.ts';
import { readRunningState } from './state.ts';

const USAGE = 'usage: npm run job -- <name> [--date YYYY-MM-DD] [--month YYYY-MM] [--<key> <value> ...]';

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

async function inProcess(name: string, fn: string, args: Record<string, unknown>): Promise<void> {
  checkJava();
  process.stderr.write(
    `no local platform running: running ${name} in this process against ${displayPath(DYNAMO_DATA_DIR)}\n`,
  );
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
    const event = { job: name, scheduledTime: new Date().toISOString(), executionId: randomUUID(), args };
    // The function's own logs go to stderr, so stdout carries only the result (pipe it to jq).
    const stdoutWrite = process.stdout.write;
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    let result: unknown;
    try {
      result = await invokeFunction(fn, event, { timeoutMs: 15 * 60_000 });
    } finally {
      process.stdout.write = stdoutWrite;
    }
    process.stdout.write(`${JSON.stringify(result ?? null, null, 2)}\n`);
  } finally {
    await dynamo.stop();
  }
}

runMain(async () => {
  const { name, args } = parseJobArgs(process.argv.slice(2));
  const jobs = SCHEDULES.map((s) => s.name).join(', ');
  if (!name) throw new LocalError(`which job? jobs are: ${jobs}; ${USAGE}`, 2);
  const schedule = findSchedule(name);
  if (!schedule) throw new LocalError(`unknown job "${name}": jobs are: ${jobs}`, 2);
  if (await viaRunningPlatform(name, args)) return;
  await inProcess(name, schedule.function, args);
  // Handlers may leave SDK sockets open; the job is done.
  process.exit(0);
});

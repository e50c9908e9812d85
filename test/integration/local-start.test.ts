import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamo.ts';
import { SERVER_STATE_FILE } from '../../infra/local/paths.ts';
import { identityOf, launchers, pidAlive, stillRunning } from '../../infra/local/processes.ts';
import { readRunningState, removeStaleState, writeState } from '../../infra/local/state.ts';

/**
 * `npm start` as a user runs it, in real processes (in memory, on free ports): killed through npm,
 * its DynamoDB Local killed under it, killed with SIGKILL and started again.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const started: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  port: number;
  out: () => string;
  waitFor: (text: string | RegExp, ms?: number) => Promise<void>;
}

async function start(how: 'npm' | 'node', extra: string[] = []): Promise<Run> {
  const port = await freePort();
  const args = ['--in-memory', '--port', String(port), ...extra];
  const child =
    how === 'npm'
      ? spawn('npm', ['start', '--', ...args], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', ...args], {
          cwd: ROOT,
          env: process.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  started.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const waitFor = async (text: string | RegExp, ms = 90_000) => {
    const deadline = Date.now() + ms;
    while (!(typeof text === 'string' ? out.includes(text) : text.test(out))) {
      if (Date.now() > deadline) throw new Error(`no "${text}" within ${ms} ms; output:\n${out}`);
      if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before "${text}":\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await waitFor('is up');
  return { child, port, out: () => out, waitFor };
}

/** Every process below `pid` (from /proc). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

const commandOf = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};

async function gone(pids: number[], ms = 20_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = pids.filter(pidAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    alive = pids.filter(pidAlive);
  }
  return alive;
}

afterEach(() => {
  for (const c of started.splice(0))
    for (const pid of [...descendants(c.pid!), c.pid!]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
});

describe.skipIf(process.platform !== 'linux' || readRunningState() !== undefined)('npm start', () => {
  it('SIGTERM to the npm process stops everything it started: sh, tsx, node and java', async () => {
    const run = await start('npm');
    const below = descendants(run.child.pid!);
    expect(below.map(commandOf).some((c) => c.includes('LoopbackDynamoDB'))).toBe(true);
    expect(below.map(commandOf).some((c) => c.includes('infra/local/start.ts'))).toBe(true);
    process.kill(run.child.pid!, 'SIGTERM');
    expect(await gone([run.child.pid!, ...below])).toEqual([]);
    expect(fs.existsSync(SERVER_STATE_FILE)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${run.port}/health`)).rejects.toThrow();
  }, 150_000);

  it('restarts a DynamoDB Local that died, saying so; meanwhile requests get 503 with Retry-After', async () => {
    const run = await start('node');
    const java = descendants(run.child.pid!).find((p) => commandOf(p).includes('LoopbackDynamoDB'))!;
    expect((await fetch(`http://127.0.0.1:${run.port}/health`)).status).toBe(200);
    process.kill(java, 'SIGKILL');
    await run.waitFor(/DynamoDB Local \(pid \d+\) exited \(SIGKILL\)/);
    const during = await fetch(`http://127.0.0.1:${run.port}/health`);
    const body = (await during.json()) as { code?: string };
    expect([during.status, body.code]).toEqual([503, 'UNAVAILABLE']);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
    await run.waitFor(
      /DynamoDB Local is back \(pid \d+, port \d+\) after [\d.]+ s; it was in memory: its data is gone/,
    );
    expect((await fetch(`http://127.0.0.1:${run.port}/health`)).status).toBe(200);
    // The demo data is there again.
    const streets = await fetch(`http://127.0.0.1:${run.port}/openapi.json`);
    expect(streets.status).toBe(200);
    process.kill(run.child.pid!, 'SIGTERM');
    expect(await gone([run.child.pid!, ...descendants(run.child.pid!)])).toEqual([]);
  }, 150_000);

  it('after kill -9 the state file left behind does not block the next start, nor does one whose pid was reused', async () => {
    const first = await start('node');
    const below = descendants(first.child.pid!);
    const state = JSON.parse(fs.readFileSync(SERVER_STATE_FILE, 'utf8')) as { pid: number; startTime?: string };
    expect(state.pid).toBe(first.child.pid);
    expect(state.startTime).toBe(identityOf(first.child.pid!)?.startTime);
    process.kill(first.child.pid!, 'SIGKILL');
    // java sees its stdin close and exits too
    expect(await gone([first.child.pid!, ...below])).toEqual([]);
    expect(fs.existsSync(SERVER_STATE_FILE)).toBe(true);

    const second = await start('node');
    expect(second.out()).toContain(`A previous run (pid ${first.child.pid}`);
    process.kill(second.child.pid!, 'SIGTERM');
    expect(await gone([second.child.pid!])).toEqual([]);

    // A state file naming a live process that did not write it (its pid reused): stale too.
    writeState({
      url: 'http://127.0.0.1:1',
      pid: process.pid,
      startTime: '1',
      port: 1,
      dynamoEndpoint: 'http://127.0.0.1:2',
      tableName: 't',
      inMemory: true,
      startedAt: '2020-01-01T00:00:00.000Z',
    });
    expect(readRunningState()).toBeUndefined();
    expect(removeStaleState()?.pid).toBe(process.pid);
    expect(fs.existsSync(SERVER_STATE_FILE)).toBe(false);
  }, 200_000);
});

describe.skipIf(process.platform !== 'linux')('process identity', () => {
  it('is the pid with its start time; another start time is another process', () => {
    const me = identityOf()!;
    expect(me.pid).toBe(process.pid);
    expect(me.startTime).toMatch(/^\d+$/);
    expect(stillRunning(me)).toBe(true);
    expect(stillRunning({ ...me, startTime: String(Number(me.startTime) + 1) })).toBe(false);
    expect(stillRunning({ pid: 2 ** 22 + 7 })).toBe(false);
  });

  it('finds the launchers above a process (npm, sh -c, tsx), none above a test', () => {
    expect(launchers().length).toBe(0);
  });
});

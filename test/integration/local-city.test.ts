import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamo.ts';
import { mintToken } from '../../infra/local/keys.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';

/**
 * `npm start` runs the city beside the local district, and `npm run job -- rollup --month
 * YYYY-MM` then makes the month appear in GET /city/stats/monthly: the job runs on the running
 * platform, the rollup publishes MonthlyRollupFrozen, the in-process city bus hands it to the city
 * function, which stores it in the city's own table; the city's own check job reports the
 * districts still missing; the failed jobs are printed and listed. The platform and the job share a
 * state file of their own (PIONEER_STATE_FILE), so the job finds this platform even when a
 * developer runs another one here, and theirs is left alone.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pioneer-city-'));
const env = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOG_LEVEL: 'warn',
  PIONEER_STATE_FILE: path.join(stateDir, 'local-server.json'),
};
let platform: ChildProcess | undefined;

function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, `infra/local/${script}.ts`, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

afterAll(async () => {
  if (platform && platform.exitCode === null) {
    const gone = new Promise((resolve) => platform!.once('close', resolve));
    platform.kill('SIGTERM');
    await gone;
  }
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe('npm start with the city', () => {
  it('npm run job -- rollup --month makes the month appear in GET /city/stats/monthly', async () => {
    const port = await freePort();
    // DynamoDB Local on a port of its own: the default (8000 when free) races with other platforms
    // started at the same moment (local-start.test.ts, other work on this machine).
    const dynamoPort = await freePort();
    platform = spawn(
      process.execPath,
      [TSX, 'infra/local/start.ts', '--in-memory', '--port', String(port), '--dynamo-port', String(dynamoPort)],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    platform.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not come up: ${out}${err}`)), 90_000);
      platform!.stdout!.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        if (out.includes('Ctrl-C stops everything.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      platform!.once('close', (code) => reject(new Error(`npm start exited (${code}): ${out}${err}`)));
    });
    expect(out).toContain('pioneer-city (the city)');
    const url = `http://127.0.0.1:${port}`;
    const city = await mintToken({ role: 'city_admin' });
    const get = async () =>
      (
        await fetch(`${url}/city/stats/monthly?month=2026-10`, { headers: { authorization: `Bearer ${city}` } })
      ).json() as Promise<{ districts: { district: string; frozenAt: string }[]; missing: { district: string }[] }>;
    expect((await get()).districts).toEqual([]);

    const job = await run('job', ['rollup', '--month', '2026-10']);
    expect(job.code, job.stderr).toBe(0);
    expect(job.stderr).toContain(`running rollup on the local platform at ${url}`);
    const result = JSON.parse(job.stdout) as { month: string; frozenAt: string; published: boolean };
    expect(result).toMatchObject({ month: '2026-10', published: true });

    const after = await get();
    expect(after.districts).toEqual([
      expect.objectContaining({ district: LOCAL_DISTRICT_ID, frozenAt: result.frozenAt }),
    ]);
    expect(after.missing.map((m) => m.district)).not.toContain(LOCAL_DISTRICT_ID);

    // Running it again publishes the same snapshot again: the city keeps one, unchanged.
    expect((await run('job', ['rollup', '--month', '2026-10'])).code).toBe(0);
    expect((await get()).districts).toEqual(after.districts);

    // The city's own job, through the same platform: which districts of the directory lack the month.
    const check = await run('job', ['check-rollups', '--month', '2026-10']);
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({
      job: 'check-rollups',
      month: '2026-10',
      expected: 3,
      received: 1,
      missing: ['shuangliu', 'pujiang'],
    });

    // npm start printed the failed jobs it keeps (none), and says where to list them and how to run one again.
    expect(out).toMatch(/Failed jobs +0 kept/);
    expect(out).toContain('npm run job -- --rerun <id>');
    const failures = await run('job', ['--failures']);
    expect(failures.code, failures.stderr).toBe(0);
    expect(failures.stdout).toBe('no failed invocation is kept\n');
  }, 180_000);
});

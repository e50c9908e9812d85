import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/domain/roles.ts';
import { verifyToken } from '../../infra/local/keys.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

/** Runs one of the local CLIs (infra/local/<script>.ts) the way npm does. */
function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, `infra/local/${script}.ts`, ...args], {
      cwd: ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
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

describe('local CLIs', () => {
  it('npm run token prints the JWT and nothing else', async () => {
    const r = await run('token', ['--role', 'member', '--member', 'm-demo-1', '--community', 'co-1', '--ttl', '600']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = await verifyToken(r.stdout.trim()); // the same key pair as this process
    expect(claims).toMatchObject({
      sub: 'm-demo-1',
      'custom:memberId': 'm-demo-1',
      'custom:communityId': 'co-1',
      'cognito:groups': ['member'],
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
  });

  it('npm run token with a bad or missing role: one line listing the roles, exit 2', async () => {
    for (const args of [['--role', 'admin'], []]) {
      const r = await run('token', args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(ROLES.join(', '));
    }
  });

  it('npm run token refuses an unknown district and a ttl that is not a positive number, in one clear line', async () => {
    const nowhere = await run('token', ['--role', 'member', '--district', 'nowhere']);
    expect([nowhere.code, nowhere.stdout]).toEqual([2, '']);
    expect(nowhere.stderr.trim()).toBe('unknown district "nowhere": districts are jinjiang, shuangliu, pujiang');
    for (const ttl of ['-5', '0', '1.5', 'abc']) {
      const r = await run('token', ['--role', 'member', '--ttl', ttl]);
      expect([r.code, r.stdout], ttl).toEqual([2, '']);
      expect(r.stderr.trim()).toBe(
        `--ttl must be a positive whole number of seconds, at most 604800 (7 days), got "${ttl}"`,
      );
    }
  });

  it('npm run job with an unknown job: one line listing the jobs, exit 2', async () => {
    const r = await run('job', ['no-such-job']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^unknown job "no-such-job": jobs are: expire-check-ins/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('npm start with a bad option: one line, exit 2, nothing started', async () => {
    const r = await run('start', ['--port', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('--port must be a port number (1-65535), got "abc"');
  });
});

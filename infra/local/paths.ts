import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, found from this file's location (infra/local/paths.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/[\\/]+$/, '');

/** Everything the local runtime keeps on disk (git-ignored). */
export const DATA_DIR = path.join(REPO_ROOT, '.data');
export const DYNAMO_DATA_DIR = path.join(DATA_DIR, 'dynamodb');
export const KEYS_DIR = path.join(DATA_DIR, 'keys');
/** The local user pool's users (infra/local/cognito.ts). */
export const COGNITO_DATA_DIR = path.join(DATA_DIR, 'cognito');
/**
 * Written by `npm start` while it runs: `{ url, pid, ... }`; read by `npm run job`.
 * PIONEER_STATE_FILE puts it elsewhere: a test that starts its own platform and runs a job against
 * it gives both its own file, so neither finds (nor overwrites) a platform a developer is running.
 */
export const SERVER_STATE_FILE = process.env.PIONEER_STATE_FILE || path.join(DATA_DIR, 'local-server.json');
/** The asynchronous invocations that failed (jobs, bus deliveries), kept for a person to run again. */
export const FAILURES_FILE = path.join(DATA_DIR, 'failed-invocations.json');
/** Compiled Java launcher, keyed by source hash. */
export const JAVA_CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'pioneer-java');
export const FUNCTIONS_DIR = path.join(REPO_ROOT, 'functions');

/** A path shown to the user: repo-relative when inside the repo. */
export function displayPath(p: string): string {
  const rel = path.relative(REPO_ROOT, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

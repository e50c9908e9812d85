import fs from 'node:fs';
import { SERVER_STATE_FILE } from './paths.ts';
import { identityOf, stillRunning, type ProcessIdentity } from './processes.ts';

/** What `npm start` writes to .data/local-server.json while it runs. */
export interface LocalServerState {
  url: string;
  pid: number;
  /** The process's start time and boot (processes.ts): with the pid, who wrote the file. */
  startTime?: string;
  bootId?: string;
  port: number;
  dynamoEndpoint: string;
  tableName: string;
  inMemory: boolean;
  startedAt: string;
  /** The local user pool (npm run token -- --user, npm run users). */
  cognitoEndpoint?: string;
}

export { pidAlive } from './processes.ts';

/** The identity fields of this process, for the state it writes. */
export function ownIdentity(): Pick<LocalServerState, 'pid' | 'startTime' | 'bootId'> {
  const me = identityOf() ?? { pid: process.pid };
  return {
    pid: me.pid,
    ...(me.startTime ? { startTime: me.startTime } : {}),
    ...(me.bootId ? { bootId: me.bootId } : {}),
  };
}

function readState(): LocalServerState | undefined {
  try {
    const s = JSON.parse(fs.readFileSync(SERVER_STATE_FILE, 'utf8')) as LocalServerState;
    return typeof s.url === 'string' && Number.isInteger(s.pid) ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The state of a platform that is running now, if any: the file's process is alive and is the
 * one that wrote it (same pid, start time and boot), not a later process that got its pid.
 */
export function readRunningState(): LocalServerState | undefined {
  const s = readState();
  return s && stillRunning(s as ProcessIdentity) ? s : undefined;
}

/**
 * A state file left by a run that ended without removing it (killed, crashed, the machine
 * rebooted): removed, and what it said returned; undefined when there was none (or it is live).
 */
export function removeStaleState(): LocalServerState | undefined {
  const s = readState();
  if (!s || stillRunning(s as ProcessIdentity)) return undefined;
  fs.rmSync(SERVER_STATE_FILE, { force: true });
  return s;
}

export function writeState(state: LocalServerState): void {
  const tmp = `${SERVER_STATE_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, SERVER_STATE_FILE);
}

/** Removes the state file if this process wrote it. */
export function removeOwnState(): void {
  const s = readState();
  if (s?.pid === process.pid) fs.rmSync(SERVER_STATE_FILE, { force: true });
}

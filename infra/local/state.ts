import fs from 'node:fs';
import { SERVER_STATE_FILE } from './paths.ts';

/** What `npm start` writes to .data/local-server.json while it runs. */
export interface LocalServerState {
  url: string;
  pid: number;
  port: number;
  dynamoEndpoint: string;
  tableName: string;
  inMemory: boolean;
  startedAt: string;
  /** The local user pool (npm run token -- --user, npm run users). */
  cognitoEndpoint?: string;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The state of a platform that is running now (its process is alive), if any. */
export function readRunningState(): LocalServerState | undefined {
  try {
    const s = JSON.parse(fs.readFileSync(SERVER_STATE_FILE, 'utf8')) as LocalServerState;
    return typeof s.url === 'string' && Number.isInteger(s.pid) && pidAlive(s.pid) ? s : undefined;
  } catch {
    return undefined;
  }
}

export function writeState(state: LocalServerState): void {
  const tmp = `${SERVER_STATE_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, SERVER_STATE_FILE);
}

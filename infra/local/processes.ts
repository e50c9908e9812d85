import fs from 'node:fs';

/**
 * Processes of this machine, told apart by more than their pid: a pid is reused once its process
 * is gone, so a state file naming only a pid may point at somebody else's process (or at none).
 * On Linux a process is its pid and its start time (field 22 of /proc/<pid>/stat, in clock ticks
 * since boot) and the boot it belongs to (/proc/sys/kernel/random/boot_id); elsewhere, its pid only.
 */
export interface ProcessIdentity {
  readonly pid: number;
  /** Clock ticks since boot; absent where /proc is not available. */
  readonly startTime?: string;
  readonly bootId?: string;
}

function readProc(pid: number): { ppid: number; startTime: string; command: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses; the fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = fs
      .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((p) => p.length > 0)
      .join(' ');
    return { ppid: Number(fields[1]), startTime: fields[19]!, command };
  } catch {
    return undefined;
  }
}

function bootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (ours or not). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The identity of a running process (this one by default); undefined when it does not exist. */
export function identityOf(pid: number = process.pid): ProcessIdentity | undefined {
  const p = readProc(pid);
  if (p) return { pid, startTime: p.startTime, ...(bootId() ? { bootId: bootId()! } : {}) };
  return pidAlive(pid) ? { pid } : undefined;
}

/**
 * Whether the process `id` names is still running: same pid, same start time, same boot. Without
 * a start time on either side (not Linux, or a state file from an older version) only the pid.
 */
export function stillRunning(id: ProcessIdentity): boolean {
  const now = identityOf(id.pid);
  if (!now) return false;
  if (id.startTime === undefined || now.startTime === undefined) return true;
  return now.startTime === id.startTime && (id.bootId === undefined || id.bootId === now.bootId);
}

/** What launches `npm start`: npm itself, npx, the shell npm runs scripts with, tsx's CLI. */
const LAUNCHER =
  /(^|\/)(npm|npx)( |$)|npm-cli\.js|npx-cli\.js|(^|\/)(sh|dash|bash) -c |(^|\/)tsx( |$)|\/tsx\/dist\/cli|\/\.bin\/tsx/;

/**
 * The chain of launchers above this process (npm -> sh -c -> tsx -> node): each one's identity,
 * nearest first, up to the first process that is not a launcher (the user's shell, a test).
 * Empty where /proc is not available.
 */
export function launchers(pid: number = process.pid): ProcessIdentity[] {
  const out: ProcessIdentity[] = [];
  let p = readProc(pid);
  const boot = bootId();
  for (let depth = 0; p && depth < 8; depth++) {
    const parent = readProc(p.ppid);
    if (!parent || p.ppid <= 1 || !LAUNCHER.test(parent.command)) break;
    out.push({ pid: p.ppid, startTime: parent.startTime, ...(boot ? { bootId: boot } : {}) });
    p = parent;
  }
  return out;
}

/**
 * Calls `gone` once when any of `watched` stops running (checked every `everyMs`): a launcher
 * that was killed without passing its signal on (npm's shell does not pass SIGTERM to tsx) is
 * noticed, and whatever it started stops too. Returns the function that stops watching.
 */
export function watchProcesses(
  watched: readonly ProcessIdentity[],
  gone: (who: ProcessIdentity) => void,
  everyMs = 500,
): () => void {
  if (watched.length === 0) return () => undefined;
  const timer = setInterval(() => {
    const dead = watched.find((w) => !stillRunning(w));
    if (dead) {
      clearInterval(timer);
      gone(dead);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

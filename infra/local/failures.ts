import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { invokeFunction, type LoadOptions } from './invoke.ts';

/**
 * The local counterpart of the stacks' failure queues. In the cloud, an asynchronous invocation
 * (a schedule firing a job, the city bus delivering an event) that still fails after Lambda's two
 * retries goes to the function's on-failure destination, an SQS queue, with the event that ran it;
 * its alarm fires and a person runs it again (README, "A failed job"). Locally, the scheduler and
 * the in-process bus run each invocation the same way (three attempts) and then keep it here:
 * `npm start` prints every new one and how many are kept, `GET /_local/failures` and
 * `npm run job -- --failures` list them, `POST /_local/failures/{id}/rerun` and
 * `npm run job -- --rerun <id>` run one again with the same event (a success removes it, as a
 * person deletes the message from the queue). Kept in .data/failed-invocations.json unless the
 * platform runs in memory.
 */
export interface FailedInvocation {
  readonly id: string;
  /** When it failed for the last time. */
  readonly failedAt: string;
  /** The function (`jobs`, `city`, `themes`, ...). */
  readonly function: string;
  /** What invoked it. */
  readonly source: 'scheduler' | 'city-bus' | 'stream';
  /** The job's name, the event's detail-type or the stream consumer's name. */
  readonly what: string;
  /** The event it was invoked with: run again as is. */
  readonly event: unknown;
  readonly error: string;
  /** Attempts so far (3 per asynchronous invocation, 1 per run again). */
  readonly attempts: number;
}

export interface FailureList {
  list(): FailedInvocation[];
  get(id: string): FailedInvocation | undefined;
  add(f: Omit<FailedInvocation, 'id' | 'failedAt'>): FailedInvocation;
  /** Replaces a kept failure (a run again that failed too). */
  update(f: FailedInvocation): void;
  remove(id: string): boolean;
}

export interface FailureListOptions {
  /** Keep the list in this JSON file (read at start, written at each change); none: in memory. */
  readonly file?: string;
  /** Called with every new failure (npm start prints it). */
  readonly onAdd?: (f: FailedInvocation) => void;
}

export function failureList(opts: FailureListOptions = {}): FailureList {
  let items: FailedInvocation[] = [];
  if (opts.file) {
    try {
      const parsed = JSON.parse(fs.readFileSync(opts.file, 'utf8')) as unknown;
      if (Array.isArray(parsed)) items = parsed as FailedInvocation[];
    } catch {
      // no file yet, or not ours: start empty
    }
  }
  const save = (): void => {
    if (!opts.file) return;
    fs.mkdirSync(path.dirname(opts.file), { recursive: true });
    const tmp = `${opts.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(items, null, 2)}\n`);
    fs.renameSync(tmp, opts.file);
  };
  return {
    list: () => [...items],
    get: (id) => items.find((f) => f.id === id),
    add(f) {
      const kept: FailedInvocation = { id: randomUUID().slice(0, 8), failedAt: new Date().toISOString(), ...f };
      items.push(kept);
      save();
      opts.onAdd?.(kept);
      return kept;
    },
    update(f) {
      items = items.map((x) => (x.id === f.id ? f : x));
      save();
    },
    remove(id) {
      const before = items.length;
      items = items.filter((f) => f.id !== id);
      if (items.length === before) return false;
      save();
      return true;
    },
  };
}

let current: FailureList | undefined;

/** The list the local platform keeps (npm start installs one; tests make their own). */
export function setFailureList(list: FailureList | undefined): void {
  current = list;
}

export function currentFailureList(): FailureList | undefined {
  return current;
}

/** Lambda's attempts for an asynchronous invocation: the first and two retries. */
export const ASYNC_ATTEMPTS = 3;

export class AsyncInvocationFailed extends Error {
  override readonly name = 'AsyncInvocationFailed';
  constructor(
    readonly failure: FailedInvocation | undefined,
    cause: string,
  ) {
    super(
      failure
        ? `${cause} (failed ${failure.attempts} times; kept as ${failure.id}: npm run job -- --rerun ${failure.id})`
        : cause,
    );
  }
}

/**
 * Invokes `fn` asynchronously as Lambda does: up to ASYNC_ATTEMPTS tries, then the failure is kept
 * in `list` (default: the current one) with its event, and an AsyncInvocationFailed is thrown.
 */
export async function invokeAsync(
  fn: string,
  event: unknown,
  how: { source: FailedInvocation['source']; what: string; list?: FailureList | undefined; attempts?: number },
  opts: LoadOptions & { timeoutMs?: number } = {},
): Promise<unknown> {
  const attempts = how.attempts ?? ASYNC_ATTEMPTS;
  let error = '';
  for (let n = 1; n <= attempts; n++) {
    try {
      return await invokeFunction(fn, event, opts);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
  }
  const list = how.list ?? current;
  const kept = list?.add({ function: fn, source: how.source, what: how.what, event, error, attempts });
  throw new AsyncInvocationFailed(kept, error);
}

/**
 * Runs a kept failure again with its event, synchronously: a success removes it and returns the
 * result; a failure keeps it (one more attempt, the new error) and throws.
 */
export async function rerunFailure(
  list: FailureList,
  id: string,
  opts: LoadOptions & { timeoutMs?: number } = {},
): Promise<unknown> {
  const f = list.get(id);
  if (!f)
    throw new Error(
      `no failed invocation ${id}; kept: ${
        list
          .list()
          .map((x) => x.id)
          .join(', ') || 'none'
      }`,
    );
  try {
    const result = await invokeFunction(f.function, f.event, opts);
    // A stream batch's function answers its failed records rather than throwing (partial batch response).
    const failed = (result as { batchItemFailures?: { itemIdentifier: string }[] } | null)?.batchItemFailures?.[0];
    if (failed) throw new Error(`the function reported record ${failed.itemIdentifier} as failed`);
    list.remove(id);
    return result;
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    list.update({ ...f, error, attempts: f.attempts + 1, failedAt: new Date().toISOString() });
    throw err;
  }
}

/** One line per failure, for the console. */
export function describeFailure(f: FailedInvocation): string {
  const kind = f.source === 'scheduler' ? 'job' : f.source === 'stream' ? 'stream batch' : 'event';
  return `${f.id}  ${f.failedAt}  ${kind} ${f.what} -> ${f.function}, ${f.attempts} attempt(s): ${f.error}`;
}

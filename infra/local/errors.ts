import fs from 'node:fs';
import path from 'node:path';
import { displayPath } from './paths.ts';

/**
 * An error caused by the user or their machine (missing Java, port in use, unwritable folder).
 * The CLI prints its message as one line, without a stack trace.
 */
export class LocalError extends Error {
  override readonly name = 'LocalError';
  constructor(
    message: string,
    /** Process exit code the CLI uses. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** One line for any error: the message of a LocalError or an unexpected one; no stack. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s*\n\s*/g, ' | ').trim();
}

/**
 * Runs a CLI's main function: errors become one line on stderr and a non-zero exit code.
 * Set PIONEER_DEBUG=1 to also see the stack of unexpected errors.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${oneLine(err)}\n`);
    if (process.env.PIONEER_DEBUG && err instanceof Error && !(err instanceof LocalError)) {
      process.stderr.write(`${err.stack ?? ''}\n`);
    }
    process.exit(err instanceof LocalError ? err.exitCode : 1);
  });
}

/** Creates `dir` (and parents) and proves it is writable; otherwise throws one clear line. */
export function ensureWritableDir(dir: string, what: string): void {
  const probe = path.join(dir, `.write-test-${process.pid}-${Date.now()}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new LocalError(
      `cannot write ${what} folder ${displayPath(dir)} (${code}): make it writable or choose another folder`,
    );
  }
}

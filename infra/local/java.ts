import { spawnSync } from 'node:child_process';

export const JAVA_HELP =
  'Pioneer needs Java 17 or newer for DynamoDB Local: install it (e.g. `apt-get install openjdk-17-jre-headless`) and make sure `java` is on PATH';

/** The major version of the `java` on PATH, or undefined when there is none (or it cannot run). */
export function javaMajorVersion(): number | undefined {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) return undefined;
  return parseJavaVersion(`${r.stderr ?? ''}\n${r.stdout ?? ''}`);
}

/** `openjdk version "17.0.15"` -> 17; `java version "1.8.0_392"` -> 8. */
export function parseJavaVersion(output: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

/** Undefined when a suitable Java is available; otherwise the one line to show the user. */
export function javaProblem(): string | undefined {
  const major = javaMajorVersion();
  if (major === undefined) return JAVA_HELP;
  if (major < 17) return `${JAVA_HELP} (found Java ${major})`;
  return undefined;
}

/** Exits the process with one line on stderr when Java 17+ is not available. */
export function checkJava(): void {
  const problem = javaProblem();
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}

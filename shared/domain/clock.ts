/**
 * The one source of "now" for production code. The local runtime (`npm start -- --clock`) and
 * tests move it; in the cloud it is the system clock. The clock keeps running from the time it
 * was set to, unless frozen.
 */
let offsetMs = 0;
let frozenAt: number | undefined;

export function nowMs(): number {
  return frozenAt ?? Date.now() + offsetMs;
}

export function now(): Date {
  return new Date(nowMs());
}

export function nowIso(): string {
  return now().toISOString();
}

/** Set the clock to `iso` and let it run from there. */
export function setClock(iso: string): void {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not an ISO time: ${iso}`);
  frozenAt = undefined;
  offsetMs = t - Date.now();
}

/** Stop the clock at `iso` (tests). */
export function freezeClock(iso: string): void {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not an ISO time: ${iso}`);
  frozenAt = t;
}

export function resetClock(): void {
  offsetMs = 0;
  frozenAt = undefined;
}

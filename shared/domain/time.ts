/**
 * Time rules. Stored times are UTC ISO-8601; months and days are those of Asia/Shanghai
 * (UTC+8 all year: China has kept no daylight saving time since 1991).
 */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** `YYYY-MM` of an instant in Asia/Shanghai. */
export function monthOf(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

/** `YYYY-MM-DD` of an instant in Asia/Shanghai. */
export function dayOf(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A `YYYY-MM-DD` that exists on the calendar (not 2026-02-30). */
export function isRealDay(day: string): boolean {
  if (!DAY_PATTERN.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

export function addDaysMs(ms: number, days: number): number {
  return ms + days * 24 * 3600 * 1000;
}

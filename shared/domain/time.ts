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

export function addDaysMs(ms: number, days: number): number {
  return ms + days * 24 * 3600 * 1000;
}

import { randomBytes } from 'node:crypto';
import { nowMs } from './clock.ts';

/**
 * Ids: a short prefix, then a ULID-like 26-character Crockford base32 string whose first ten
 * characters are the time, so ids of one kind sort by creation.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newId(prefix: string): string {
  let t = nowMs();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[i]! % 32];
  return `${prefix}_${time}${rand}`;
}

/**
 * The shape every id accepted from outside must have: letters, digits, `_` and `-`, 1 to 64
 * characters, starting with a letter or digit. Covers generated ids, Cognito `sub` UUIDs and
 * the demo data's readable ids; rejects separators used in keys (`#`) and anything else.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

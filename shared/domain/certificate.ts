import { randomBytes } from 'node:crypto';
import { maskName } from './masking.ts';
import { dayOf } from './time.ts';

/**
 * Volunteer service certificates (志愿服务证明), as the Measures for Volunteer Service Records
 * and Certificates ask: free, with a number and a date, stating the service hours, the service
 * (the records it covers) and the issuing unit; anyone holding the number can verify it.
 *
 * A certificate states the hours at the time it was issued: a later correction of a record does
 * not change it, and it stays valid as issued.
 */

/** Crockford base32: no I, L, O, U. */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `PNR-<6-digit district code>-<YYYYMMDD issue day, Asia/Shanghai>-<8 random base32>`. */
export const CERT_NUMBER_PATTERN = /^PNR-\d{6}-\d{8}-[0-9A-HJKMNP-TV-Z]{8}$/;

/** A certificate lists at most this many records (the latest); the total hours still cover all. */
export const MAX_CERT_RECORDS = 1000;
/** Activity names on a certificate are cut to this many characters (keeps the item and the response small). */
export const CERT_NAME_MAX = 50;

/** A new certificate number. `random` (8 bytes) is for tests; production draws it from the CSPRNG. */
export function certificateNumber(
  districtCode: string,
  issuedAtIso: string,
  random: Uint8Array = randomBytes(8),
): string {
  if (!/^\d{6}$/.test(districtCode)) throw new Error(`not a 6-digit district code: ${districtCode}`);
  if (random.length < 8) throw new Error('need 8 random bytes');
  let tail = '';
  for (let i = 0; i < 8; i++) tail += BASE32[random[i]! % 32];
  return `PNR-${districtCode}-${dayOf(issuedAtIso).replaceAll('-', '')}-${tail}`;
}

export interface IssuingUnit {
  readonly name: string;
  readonly nameZh: string;
  /** GB/T 2260 code of the district. */
  readonly code: string;
}

/** One record as a certificate lists it. */
export interface CertifiedRecord {
  readonly recordId: string;
  readonly activityName: string;
  readonly date: string;
  readonly hours: number;
}

export interface Certificate {
  readonly number: string;
  readonly memberId: string;
  /** The member's name at issue time (unmasked: shown to the member only). */
  readonly name: string;
  readonly issuedAt: string;
  /** YYYY-MM-DD in Asia/Shanghai. */
  readonly issuedOn: string;
  /** Total confirmed hours at issue time (all records, even when more than the list holds). */
  readonly totalHours: number;
  /** How many records the member had at issue time. */
  readonly recordCount: number;
  /** The records listed, newest first: all of them, or the latest MAX_CERT_RECORDS. */
  readonly records: readonly CertifiedRecord[];
  /** True when `records` holds only the latest MAX_CERT_RECORDS of `recordCount`. */
  readonly coversLatestOnly: boolean;
  readonly issuingUnit: IssuingUnit;
}

/** What anyone holding the number learns: no personal data beyond the masked name and the hours. */
export interface CertificateVerification {
  readonly valid: boolean;
  readonly number: string;
  readonly issuedOn: string;
  readonly name: string;
  readonly totalHours: number;
  readonly issuingUnit: IssuingUnit;
  readonly recordCount: number;
}

/**
 * The verification of `c`: the name masked for anyone holding the number; `holder` (the member
 * the certificate is of, asking with their own token) sees their own name in full.
 */
export function verificationOf(
  c: Omit<Certificate, 'records' | 'coversLatestOnly'>,
  holder = false,
): CertificateVerification {
  return {
    valid: true,
    number: c.number,
    issuedOn: c.issuedOn,
    name: holder ? c.name : maskName(c.name),
    totalHours: c.totalHours,
    issuingUnit: c.issuingUnit,
    recordCount: c.recordCount,
  };
}

/** Cuts a name to CERT_NAME_MAX characters (whole code points), marking the cut with an ellipsis. */
export function shortName(name: string): string {
  const chars = Array.from(name);
  return chars.length <= CERT_NAME_MAX ? name : `${chars.slice(0, CERT_NAME_MAX - 1).join('')}…`;
}

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
export function certificateNumber(districtCode: string, issuedAtIso: string, random: Uint8Array = randomBytes(8)): string {
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

export function verificationOf(c: Certificate): CertificateVerification {
  return {
    valid: true,
    number: c.number,
    issuedOn: c.issuedOn,
    name: maskName(c.name),
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

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (ch) => ENTITIES[ch]!);
}

/** Hours as printed: 12, 12.5. */
export function formatHours(h: number): string {
  return Number.isInteger(h) ? String(h) : h.toFixed(1);
}

/**
 * The printable verification page: the same facts as the JSON verification, with Chinese and
 * English labels and print CSS (A4). Every value is escaped; the page has no script.
 */
export function certificateHtml(v: CertificateVerification): string {
  const e = escapeHtml;
  const row = (zh: string, en: string, value: string) =>
    `<tr><th scope="row"><span class="zh">${zh}</span><span class="en">${en}</span></th><td>${value}</td></tr>`;
  const status = v.valid ? '<strong class="ok">有效 · Valid</strong>' : '<strong class="bad">无效 · Not valid</strong>';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>志愿服务证明 Volunteer Service Certificate ${e(v.number)}</title>
<style>
  @page { size: A4; margin: 20mm; }
  body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; color: #111; margin: 0; background: #f4f1ea; }
  main { max-width: 170mm; margin: 12mm auto; padding: 14mm 16mm; background: #fff; border: 3px double #a8201a; }
  h1 { text-align: center; color: #a8201a; margin: 0 0 2mm; font-size: 26pt; letter-spacing: 0.3em; }
  .sub { text-align: center; margin: 0 0 8mm; font-size: 12pt; letter-spacing: 0.1em; }
  table { width: 100%; border-collapse: collapse; font-size: 12pt; }
  th, td { text-align: left; padding: 3mm 2mm; border-bottom: 1px solid #ddd; vertical-align: top; }
  th { width: 42%; font-weight: normal; }
  .zh { display: block; font-weight: bold; }
  .en { display: block; font-size: 9pt; color: #555; }
  .ok { color: #1b6e2a; }
  .bad { color: #a8201a; }
  .num { font-family: "Courier New", monospace; letter-spacing: 0.05em; }
  footer { margin-top: 8mm; font-size: 9pt; color: #444; line-height: 1.6; }
  @media print {
    body { background: #fff; }
    main { margin: 0 auto; border-color: #a8201a; box-shadow: none; }
    .screen-only { display: none; }
  }
</style>
</head>
<body>
<main>
<h1>志愿服务证明</h1>
<p class="sub">Volunteer Service Certificate</p>
<table>
${row('证明编号', 'Certificate number', `<span class="num">${e(v.number)}</span>`)}
${row('核验结果', 'Verification', status)}
${row('志愿者', 'Volunteer', e(v.name))}
${row('累计服务时长', 'Total service hours', `${e(formatHours(v.totalHours))} 小时 · hours`)}
${row('服务记录', 'Service records', `${e(v.recordCount)} 条 · records`)}
${row('出具日期', 'Date of issue', e(v.issuedOn))}
${row('出具单位', 'Issuing unit', `${e(v.issuingUnit.nameZh)} · ${e(v.issuingUnit.name)}`)}
</table>
<footer>
<p>本证明依据《志愿服务记录与证明出具办法》免费出具，服务时长为出具之日的累计时长。姓名已部分隐藏以保护个人信息。<br>
Issued free of charge under the Measures for Volunteer Service Records and Certificates. Hours are the total on the date of issue. The name is partly masked to protect personal data.</p>
<p class="screen-only">打印本页：使用浏览器的打印功能。 · To print this page, use your browser's print command.</p>
</footer>
</main>
</body>
</html>
`;
}

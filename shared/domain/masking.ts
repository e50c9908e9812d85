/**
 * Personal data masking. Phones and ID numbers are shown in full only to the person and to
 * admins of their scope (see shared/domain/policy.ts); everyone else sees these masks.
 */

/**
 * A mask keeps the first 3 and the last 4 characters only while at least this many stay hidden
 * (a mobile number: 138****5678); anything shorter is all stars, since 3 + 4 of a 7- or 8-digit
 * string would show all or nearly all of it.
 */
export const MIN_HIDDEN = 4;

function keep3And4(s: string): string {
  if (s.length < 7 + MIN_HIDDEN) return '*'.repeat(s.length);
  return `${s.slice(0, 3)}${'*'.repeat(s.length - 7)}${s.slice(-4)}`;
}

/** A phone number, 3 + 4 kept: 138****5678 (shorter than 11 characters: all stars). */
export function maskPhone(phone: string): string {
  return keep3And4(phone);
}

/** Keeps the first 3 and last 4 characters of a resident ID number: 510***********1234. */
export function maskIdNumber(id: string): string {
  return keep3And4(id);
}

/** Surname and a star: 张三 -> 张*, 欧阳娜娜 -> 欧阳*, "Li Wei" -> "L*". */
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '令狐',
  '宇文',
  '司徒',
  '夏侯',
];
export function maskName(name: string): string {
  const n = name.trim();
  if (n.length === 0) return '*';
  const compound = COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length);
  if (compound) return `${compound}*`;
  return `${Array.from(n)[0]}*`;
}

/** A mainland China mobile number. */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

/** GB 11643 resident ID: 17 digits and a check character (digit or X), with a valid checksum. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const checks = '10X98765432';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * weights[i]!;
  return checks[sum % 11] === id[17];
}

// ---------- personal data inside free text ----------

/** A digit, half-width or full-width (Chinese input methods type either). */
const D = '[0-9\\uFF10-\\uFF19]';
/** A resident ID number: 17 digits and a check character (not part of a longer run of digits). */
export const ID_IN_TEXT = new RegExp(`(?<!${D})${D}{17}[0-9\\uFF10-\\uFF19Xx\\uFF38\\uFF58](?!${D})`, 'g');
/** A mainland mobile number, its digits possibly grouped by spaces or hyphens (138 1234 5678, 138-1234-5678). */
export const PHONE_IN_TEXT = new RegExp(
  `(?<!${D})[1\\uFF11][3-9\\uFF13-\\uFF19](?:[ \\-\\u3000]?${D}){9}(?!${D})`,
  'g',
);

/** Full-width digits and X/x as ASCII: each full-width form sits 0xFEE0 above its ASCII one. */
const halfWidth = (s: string) =>
  s.replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/**
 * Free text (a wish's description, a check-in note, a bio...) with every phone number and ID
 * number in it masked as the structured fields are (138****5678, 510***********1234): what
 * everyone but the text's author and the admins of its scope sees. Other digits (dates, house
 * numbers, amounts) are left alone.
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(ID_IN_TEXT, (m) => maskIdNumber(halfWidth(m).toUpperCase()))
    .replace(PHONE_IN_TEXT, (m) => maskPhone(halfWidth(m).replace(/[^0-9]/g, '')));
}

/** `text` as `mayRead` allows: in full, or with its personal data masked (undefined stays undefined). */
export function freeText<T extends string | undefined>(text: T, mayRead: boolean): T {
  return (text === undefined || mayRead ? text : maskPersonalData(text)) as T;
}

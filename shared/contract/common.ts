import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { FieldError } from '../domain/errors.ts';
import { ID_PATTERN } from '../domain/ids.ts';
import { DAY_PATTERN, isRealDay, MONTH_PATTERN } from '../domain/time.ts';

/**
 * Building blocks for every route's schemas: strict, bounded, of a fixed shape.
 * We use `zod/mini` (16 KB, tree-shakable) rather than classic zod (90 KB): it keeps every
 * function bundle under 300 KB. English messages are loaded once here.
 */
z.config(en());

/** A failed parse as a problem document's `errors`: one `{ field, message }` per issue, `where` first (`body.phone`). */
export function fieldErrors(where: string, error: z.core.$ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message }));
}

/** A copy of `schema` carrying an OpenAPI description (the shared original stays undescribed). */
export const describe = <T extends z.ZodMiniType>(schema: T, description: string): T => {
  const copy = schema.clone() as T;
  z.globalRegistry.add(copy, { description });
  return copy;
};

export const Id = describe(
  z.string().check(z.regex(ID_PATTERN, 'an id: 1-64 letters, digits, _ or -, starting with a letter or digit')),
  'an id',
);

/** A UTF-16 surrogate without its pair: not a character (UTF-8 cannot store it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Bidirectional controls (embeddings, overrides, isolates, marks): they can make text read as other text. */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/**
 * Invisible characters that make two names look the same: zero-width space and non-joiner, word
 * joiner, BOM, Mongolian vowel separator, and a zero-width joiner except between two emoji (👨‍👩‍👧
 * is three emoji joined by it).
 */
const ZERO_WIDTH =
  /[\u200B\u200C\u2060\uFEFF\u180E]|(?<!\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200D|\u200D(?!\p{Extended_Pictographic})/u;
/** Line breaks: CR, LF, NEL, line and paragraph separators (and tabs, in a line). */
const LINE_BREAK = /[\r\n\t\u0085\u2028\u2029]/;

const refuse = (pattern: RegExp, message: string) => z.refine<string>((v) => !pattern.test(v), message);

/**
 * Trimmed, non-empty, bounded text (paragraphs: descriptions, notes, reasons) without control
 * characters, bidirectional controls or lone surrogates. Emoji and every CJK plane (𠀀) are text.
 */
export const Text = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `at most ${max} characters`),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters it refuses
    z.regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'control characters are not allowed'),
    refuse(LONE_SURROGATE, 'a lone surrogate is not a character: send valid UTF-16 (a whole character)'),
    refuse(BIDI_CONTROL, 'bidirectional control characters (U+202A-202E, U+2066-2069, marks) are not allowed'),
  );

/**
 * One line of text: a name, a title, an address, a skill. What Text refuses, and line breaks and
 * tabs, and zero-width characters (a zero-width joiner only between emoji).
 */
export const Line = (max: number) =>
  Text(max).check(
    refuse(LINE_BREAK, 'must be one line: no line breaks or tabs'),
    refuse(ZERO_WIDTH, 'zero-width characters are not allowed'),
  );

/** A whole number in decimal digits (no sign, no 0x, no exponent, no spaces) from a query string. */
export const QueryInt = (min: number, max: number) =>
  describe(QueryIntOf(min, max), `a whole number from ${min} to ${max}, in decimal digits`);
const QueryIntOf = (min: number, max: number) =>
  z.pipe(
    z.string().check(z.regex(/^(0|[1-9][0-9]{0,8})$/, 'a whole number in decimal digits')),
    z.pipe(
      z.transform((v: string) => Number(v)),
      z.number().check(z.int(), z.minimum(min), z.maximum(max)),
    ),
  );

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

/** `limit` (1-100, default 20) and an opaque `cursor`. */
export const PageQuery = {
  limit: z._default(QueryInt(1, MAX_PAGE), DEFAULT_PAGE),
  cursor: z.optional(
    z.string().check(z.minLength(1), z.maxLength(1024), z.regex(/^[A-Za-z0-9_-]+$/, 'pass back nextCursor unchanged')),
  ),
};

export const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: describe(z.optional(z.string()), 'absent on the last page') });

export const IsoTime = z.iso.datetime({ offset: true });

/** A calendar day `YYYY-MM-DD` that exists (Asia/Shanghai days, by the product's convention). */
export const Day = z
  .string()
  .check(z.regex(DAY_PATTERN, 'a date YYYY-MM-DD'), z.refine(isRealDay, 'a date that exists'));

/** A month `YYYY-MM` (Asia/Shanghai). */
export const Month = z.string().check(z.regex(MONTH_PATTERN, 'a month YYYY-MM'));

import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { FieldError } from '../domain/errors.ts';
import { CATEGORIES } from '../domain/categories.ts';
import { ID_PATTERN } from '../domain/ids.ts';
import { PHONE_PATTERN } from '../domain/masking.ts';
import { DAY_PATTERN, isRealDay, MONTH_PATTERN } from '../domain/time.ts';

/**
 * Building blocks for every route's schemas: strict, bounded, of a fixed shape.
 * We use `zod/mini` (16 KB, tree-shakable) rather than classic zod (90 KB): it keeps every
 * function bundle under 300 KB. English messages are loaded once here.
 */
z.config(en());

/** A failed parse as a problem document's `errors`: one `{ field, message }` per issue, `where` first (`body.phone`). */
export function fieldErrors(where: string, error: z.core.$ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: messageOf(i) }));
}

/** zod says "Invalid input: expected string, received undefined" of a missing field: say it is required. */
function messageOf(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_type' && /received undefined$/.test(i.message))
    return `required: ${String(i.expected)} expected`;
  return i.message;
}

/** A copy of `schema` carrying an OpenAPI description (the shared original stays undescribed). */
export const describe = <T extends z.ZodMiniType>(schema: T, description: string): T => {
  const copy = schema.clone() as T;
  z.globalRegistry.add(copy, { description });
  return copy;
};

/**
 * The schemas the OpenAPI document shows as named components (`#/components/schemas/<name>`), so
 * that a client generator makes a named type of each: `named('Street', z.object(...))`. Request
 * bodies and responses left unnamed get `<OperationId>Request` / `<OperationId>Response`.
 */
export const SCHEMA_NAMES = z.registry<{ id: string }>();
export const named = <T extends z.ZodMiniType>(name: string, schema: T): T => {
  SCHEMA_NAMES.add(schema, { id: name });
  return schema;
};

/**
 * JSON Schema keywords the document shows for `schema` beside what zod converts by itself: the
 * rule of a refine (`format: 'date'`, `multipleOf: 0.5`, `anyOf: [...]`), which zod cannot say.
 * A test validates requests the API refused against the document, so the two cannot drift apart.
 */
export const documented = <T extends z.ZodMiniType>(schema: T, keywords: Record<string, unknown>): T => {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), ...keywords });
  return schema;
};

/**
 * JSON Schema's `if`/`then`, for `documented`: "when the body is like `condition`, it must also
 * be like `consequence`" (an object with a `then` key is not written out: it would look thenable).
 */
export const ifThen = (condition: object, consequence: object): Record<string, object> =>
  Object.fromEntries([
    ['if', condition],
    ['then', consequence],
  ]);

/** JSON Schema: these fields are present (declared here too, as linters want of every required field). */
export const requires = (...fields: string[]): Record<string, unknown> => ({
  properties: Object.fromEntries(fields.map((f) => [f, {}])),
  required: fields,
});

export const Id = named(
  'Id',
  describe(
    z.string().check(z.regex(ID_PATTERN, 'an id: 1-64 letters, digits, _ or -, starting with a letter or digit')),
    'an id: 1-64 letters, digits, _ or -, starting with a letter or digit',
  ),
);

export const Category = named('Category', z.enum(CATEGORIES));

export const Phone = named(
  'Phone',
  describe(
    z.string().check(z.regex(PHONE_PATTERN, 'a mainland mobile number: 11 digits starting 13-19')),
    'a mainland mobile number: 11 digits starting 13-19',
  ),
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
/** The same, as the document's pattern classes (Unicode mode: a surrogate range matches lone surrogates only). */
const TEXT_REFUSED = String.raw`\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uD800-\uDFFF`;
const LINE_REFUSED = String.raw`\r\n\t\u0085\u2028\u2029\u200B\u200C\u2060\uFEFF\u180E\u200D`;

const refuse = (pattern: RegExp, message: string) => z.refine<string>((v) => !pattern.test(v), message);

/**
 * Trimmed, non-empty, bounded text (paragraphs: descriptions, notes, reasons) without control
 * characters, bidirectional controls or lone surrogates. Emoji and every CJK plane (𠀀) are text.
 */
export const Text = (max: number) =>
  documented(
    z.string().check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `at most ${max} characters`),
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters it refuses
      z.regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'control characters are not allowed'),
      refuse(LONE_SURROGATE, 'a lone surrogate is not a character: send valid UTF-16 (a whole character)'),
      refuse(BIDI_CONTROL, 'bidirectional control characters (U+202A-202E, U+2066-2069, marks) are not allowed'),
    ),
    {
      // What the API checks after trimming: not blank; no control characters but tab and line ends, no
      // bidirectional controls, no lone surrogates (the document's patterns are Unicode regular expressions).
      pattern: String.raw`^(?=[\s\S]*\S)[^${TEXT_REFUSED}]*$`,
      description: `Text: leading and trailing white space is trimmed; then 1-${max} characters, not blank, no control characters but tab and line ends, no bidirectional controls.`,
    },
  );

/**
 * One line of text: a name, a title, an address, a skill. What Text refuses, and line breaks and
 * tabs, and zero-width characters (a zero-width joiner only between emoji).
 */
export const Line = (max: number) =>
  documented(
    Text(max).check(
      refuse(LINE_BREAK, 'must be one line: no line breaks or tabs'),
      refuse(ZERO_WIDTH, 'zero-width characters are not allowed'),
    ),
    {
      pattern: String.raw`^(?=[\s\S]*\S)\s*(?:[^${TEXT_REFUSED}${LINE_REFUSED}]|(?<=\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic}))*\s*$`,
      description: `One line of text: leading and trailing white space is trimmed; then 1-${max} characters, not blank, no line breaks, tabs, control, bidirectional or zero-width characters (a zero-width joiner only between emoji).`,
    },
  );

/**
 * A whole number in decimal digits (no sign, no 0x, no exponent, no spaces) from a query string.
 * The document shows it as the integer it is (a query string carries every value as text).
 */
export const QueryInt = (min: number, max: number) => {
  const schema = describe(QueryIntOf(min, max), `a whole number from ${min} to ${max}, in decimal digits`);
  QUERY_INTEGERS.set(schema, { type: 'integer', minimum: min, maximum: max });
  return schema;
};
/** The JSON Schema of each QueryInt (openapi.ts puts it in place of the pipe's string). */
export const QUERY_INTEGERS = new WeakMap<z.ZodMiniType, Record<string, unknown>>();
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

const makePage = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: describe(z.optional(z.string()), 'absent on the last page') });
const pages = new WeakMap<z.ZodMiniType, ReturnType<typeof makePage>>();

/** A page of a list: `{ items, nextCursor }`; one schema per item schema, named `<Item>Page` when the item is named. */
export const pageOf = <T extends z.ZodMiniType>(item: T): ReturnType<typeof makePage<T>> => {
  let page = pages.get(item);
  if (!page) {
    page = makePage(item);
    const name = SCHEMA_NAMES.get(item)?.id;
    if (name) named(`${name}Page`, page);
    pages.set(item, page);
  }
  return page as ReturnType<typeof makePage<T>>;
};

export const IsoTime = named(
  'DateTime',
  describe(
    z.iso.datetime({ offset: true }),
    'an RFC 3339 date-time with an offset: the API answers in UTC (`Z`); requests may name any offset (`+08:00`)',
  ),
);

/** A calendar day `YYYY-MM-DD` that exists (Asia/Shanghai days, by the product's convention). */
export const Day = named(
  'Date',
  documented(z.string().check(z.regex(DAY_PATTERN, 'a date YYYY-MM-DD'), z.refine(isRealDay, 'a date that exists')), {
    format: 'date',
    description: 'a calendar day YYYY-MM-DD that exists (Asia/Shanghai)',
  }),
);

/** A month `YYYY-MM` (Asia/Shanghai). */
export const Month = named(
  'Month',
  describe(z.string().check(z.regex(MONTH_PATTERN, 'a month YYYY-MM')), 'a month YYYY-MM (Asia/Shanghai)'),
);

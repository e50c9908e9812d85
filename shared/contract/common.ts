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

/** Trimmed, non-empty, bounded text without control characters. */
export const Text = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `at most ${max} characters`),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters it refuses
    z.regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'control characters are not allowed'),
  );

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

/** `limit` (1-100, default 20) and an opaque `cursor`. */
export const PageQuery = {
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE)), DEFAULT_PAGE),
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

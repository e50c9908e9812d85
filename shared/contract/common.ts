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
  return error.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message }));
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

/** Trimmed, non-empty, bounded text without control characters. */
export const Text = (max: number) =>
  documented(
    z.string().check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `at most ${max} characters`),
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters it refuses
      z.regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'control characters are not allowed'),
    ),
    {
      // Not blank once trimmed, and no control characters but tab and line ends (what the API checks after trimming).
      pattern: '^(?=[\\s\\S]*\\S)[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$',
      description: `Text: leading and trailing white space is trimmed; then 1-${max} characters, not blank, no control characters but tab and line ends.`,
    },
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

import * as z from 'zod';
import { ID_PATTERN } from '../domain/ids.ts';

/** Building blocks for every route's schemas: strict, bounded, of a fixed shape. */
export const Id = z.string().regex(ID_PATTERN, 'an id: 1-64 letters, digits, _ or -, starting with a letter or digit');

/** Trimmed, non-empty, bounded text without control characters. */
export const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'control characters are not allowed');

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

/** `limit` (1-100, default 20) and an opaque `cursor`. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
  cursor: z.string().min(1).max(1024).regex(/^[A-Za-z0-9_-]+$/, 'pass back nextCursor unchanged').optional(),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional().describe('absent on the last page') });

export const IsoTime = z.iso.datetime({ offset: true });

import { DomainError } from '../domain/errors.ts';

/**
 * Opaque pagination cursors: the base64url JSON of DynamoDB's LastEvaluatedKey. A cursor is
 * only accepted back for the list it came from: its attributes must be exactly that list's key
 * attributes, all strings, and its partition key must be the list's. Anything else is a 400,
 * never a DynamoDB validation error turned 500.
 */
export type Key = Record<string, string>;

export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastKey) return undefined;
  return Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  expect: { partition: Key; keyAttributes: readonly string[] },
): Key | undefined {
  if (cursor === undefined) return undefined;
  const bad = () => new DomainError('BAD_CURSOR', 'pass back the nextCursor of the same list, unchanged');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad();
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  const wanted = [...expect.keyAttributes].sort();
  if (keys.length !== wanted.length || keys.some((k, i) => k !== wanted[i])) throw bad();
  for (const k of keys) {
    const v = obj[k];
    if (typeof v !== 'string' || v.length === 0 || v.length > 512) throw bad();
  }
  for (const [k, v] of Object.entries(expect.partition)) if (obj[k] !== v) throw bad();
  return obj as Key;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | undefined;
}

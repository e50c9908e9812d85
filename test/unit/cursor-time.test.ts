import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../shared/db/cursor.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { dayOf, monthOf } from '../../shared/domain/time.ts';
import { newId, ID_PATTERN } from '../../shared/domain/ids.ts';
import { redact } from '../../shared/http/logger.ts';

const expect1 = { partition: { pk: 'COMMUNITY#c1' }, keyAttributes: ['pk', 'sk'] };

describe('cursor', () => {
  it('round-trips a key of the same list', () => {
    const c = encodeCursor({ pk: 'COMMUNITY#c1', sk: 'ROSTER#g#m' })!;
    expect(decodeCursor(c, expect1)).toEqual({ pk: 'COMMUNITY#c1', sk: 'ROSTER#g#m' });
  });
  it.each([
    ['not base64 json', 'zzzz'],
    ['another partition', encodeCursor({ pk: 'COMMUNITY#c2', sk: 'x' })!],
    ['extra attribute', encodeCursor({ pk: 'COMMUNITY#c1', sk: 'x', gsi1pk: 'y' })!],
    ['missing attribute', encodeCursor({ pk: 'COMMUNITY#c1' })!],
    ['non-string value', encodeCursor({ pk: 'COMMUNITY#c1', sk: 5 })!],
    ['an array', Buffer.from('[1]').toString('base64url')],
  ])('rejects a forged cursor: %s', (_, cursor) => {
    expect(() => decodeCursor(cursor, expect1)).toThrow(DomainError);
  });
});

describe('time', () => {
  it('computes months and days in Asia/Shanghai', () => {
    expect(monthOf('2026-11-30T16:30:00Z')).toBe('2026-12');
    expect(monthOf('2026-11-30T15:59:59Z')).toBe('2026-11');
    expect(dayOf('2026-11-29T16:00:00Z')).toBe('2026-11-30');
  });
});

describe('ids and logs', () => {
  it('makes ids of the accepted shape that sort by time', () => {
    const a = newId('ci');
    expect(a).toMatch(ID_PATTERN);
    expect(a).toHaveLength(29);
  });
  it('redacts phones and ID numbers from free text', () => {
    expect(redact('call 13812345678 now')).toBe('call [phone] now');
    expect(redact('id 11010519491231002X')).toBe('id [id-number]');
    expect(redact('order 213812345678999')).toBe('order 213812345678999');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, errorFields, redact, setLogSink } from '../../shared/http/logger.ts';

/** Structured logs (shared/http/logger.ts): levels, fields, and no personal data, whatever is passed. */
let lines: string[] = [];
let restore: () => void = () => undefined;
const saved = { level: process.env.LOG_LEVEL, silent: process.env.PIONEER_SILENT };
beforeEach(() => {
  lines = [];
  restore = setLogSink((l) => lines.push(l));
  delete process.env.PIONEER_SILENT;
});
afterEach(() => {
  restore();
  process.env.LOG_LEVEL = saved.level;
  if (saved.silent === undefined) delete process.env.PIONEER_SILENT;
  else process.env.PIONEER_SILENT = saved.silent;
});
const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('redact', () => {
  it('replaces ID numbers, whatever their check character', () => {
    expect(redact('id 510104199003071237 ok')).toBe('id [id-number] ok');
    expect(redact('id 11010519491231002X')).toBe('id [id-number]');
    expect(redact('id 11010519491231002x')).toBe('id [id-number]');
  });
  it('replaces mainland mobile numbers standing alone, not digits inside a longer number', () => {
    expect(redact('call 13812345678 now')).toBe('call [phone] now');
    expect(redact('13812345678')).toBe('[phone]');
    expect(redact('tel:13812345678;')).toBe('tel:[phone];');
    expect(redact('order 213812345678999')).toBe('order 213812345678999');
    expect(redact('order 138123456789')).toBe('order 138123456789');
    expect(redact('order 913812345678')).toBe('order 913812345678');
    expect(redact('12812345678')).toBe('12812345678');
  });
  it('finds them as the API finds them in free text: full-width digits, grouped phones', () => {
    expect(redact('电话１３８１２３４５６７８')).toBe('电话[phone]');
    expect(redact('call 138 1234 5678 or 139-1234-5678')).toBe('call [phone] or [phone]');
    expect(redact('身份证５１０１０４１９９００３０７１２３７')).toBe('身份证[id-number]');
  });
  it('leaves longer runs of digits alone: a stream sequence number is not an ID number', () => {
    const seq = '4421584500000000017450439091';
    expect(redact(`record ${seq} failed`)).toBe(`record ${seq} failed`);
    expect(redact('0000000000000000000123')).toBe('0000000000000000000123');
    expect(redact('id 5101041990030712371')).toBe('id 5101041990030712371');
  });
});

describe('log lines', () => {
  it('one JSON object a line: level, time, message, the logger’s fields, then the call’s', () => {
    process.env.LOG_LEVEL = 'debug';
    const log = createLogger({ requestId: 'r-1', where: 'base' });
    log.info('hello 13812345678', { where: 'call', n: 2 });
    const [line] = parsed();
    expect(Object.keys(line!)).toEqual(['level', 'time', 'msg', 'requestId', 'where', 'n']);
    expect(line).toMatchObject({ level: 'info', msg: 'hello [phone]', requestId: 'r-1', where: 'call', n: 2 });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
  });
  it('each level writes its own name; a child adds its fields to the parent’s', () => {
    process.env.LOG_LEVEL = 'debug';
    const log = createLogger({ a: 1 });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    log.child({ b: 2 }).warn('child', { c: 3 });
    expect(parsed().map((l) => [l.level, l.msg])).toEqual([
      ['debug', 'd'],
      ['info', 'i'],
      ['warn', 'w'],
      ['error', 'e'],
      ['warn', 'child'],
    ]);
    expect(parsed()[4]).toMatchObject({ a: 1, b: 2, c: 3 });
    expect(parsed()[0]).not.toHaveProperty('b');
  });
  it('LOG_LEVEL sets the lowest level written, in any case; unknown or unset means info', () => {
    const written = (level: string | undefined) => {
      lines = [];
      if (level === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = level;
      const log = createLogger();
      log.debug('d');
      log.info('i');
      log.warn('w');
      log.error('e');
      return parsed().map((l) => l.level);
    };
    expect(written('warn')).toEqual(['warn', 'error']);
    expect(written('WARN')).toEqual(['warn', 'error']);
    expect(written('error')).toEqual(['error']);
    expect(written('debug')).toEqual(['debug', 'info', 'warn', 'error']);
    expect(written('info')).toEqual(['info', 'warn', 'error']);
    expect(written('loud')).toEqual(['info', 'warn', 'error']);
    expect(written(undefined)).toEqual(['info', 'warn', 'error']);
  });
  it('PIONEER_SILENT=1 writes nothing at all', () => {
    process.env.LOG_LEVEL = 'debug';
    process.env.PIONEER_SILENT = '1';
    createLogger().error('e');
    expect(lines).toEqual([]);
  });
  it('setLogSink gives back the sink it replaced', () => {
    const inner: string[] = [];
    const back = setLogSink((l) => inner.push(l));
    process.env.LOG_LEVEL = 'info';
    createLogger().info('to inner');
    back();
    createLogger().info('to outer');
    expect(inner).toHaveLength(1);
    expect(parsed().map((l) => l.msg)).toEqual(['to outer']);
  });
});

describe('personal data in fields', () => {
  beforeEach(() => {
    process.env.LOG_LEVEL = 'info';
  });
  it('fields named like personal data are redacted whatever they hold, at any depth up to 4', () => {
    createLogger().info('m', {
      phone: '1',
      user: { idNumber: 5, id_number: 'x', mobile: ['x'], Password: 'p', nested: { authorization: 'Bearer' } },
      accessToken: 't',
      name: 'kept',
    });
    expect(parsed()[0]).toMatchObject({
      phone: '[redacted]',
      user: {
        idNumber: '[redacted]',
        id_number: '[redacted]',
        mobile: '[redacted]',
        Password: '[redacted]',
        nested: { authorization: '[redacted]' },
      },
      accessToken: '[redacted]',
      name: 'kept',
    });
  });
  it('text anywhere is redacted, in arrays too; numbers, booleans and null pass', () => {
    createLogger().info('m', {
      note: 'call 13812345678',
      list: ['13812345678', 7, ['510104199003071237']],
      n: 13812345678,
      ok: true,
      none: null,
    });
    expect(parsed()[0]).toMatchObject({
      note: 'call [phone]',
      list: ['[phone]', 7, ['[id-number]']],
      n: 13812345678,
      ok: true,
      none: null,
    });
  });
  it('objects deeper than 4 levels are left out, never written unscrubbed', () => {
    createLogger().info('m', { a: { b: { c: { d: { phone: 'x', s: '13812345678', e: { s: '13812345678' } } } } } });
    expect(parsed()[0]!.a).toEqual({ b: { c: { d: { phone: '[redacted]', s: '[phone]', e: '[too deep]' } } } });
    lines = [];
    createLogger().info('m', { l: [[['13812345678', [{ phone: 'z' }, [1]]]]] });
    expect(parsed()[0]!.l).toEqual([[['[phone]', ['[too deep]', '[too deep]']]]]);
    expect(lines.join('')).not.toContain('13812345678');
  });
});

describe('errorFields', () => {
  it('an Error: its name, message and stack, redacted', () => {
    const e = new TypeError('bad phone 13812345678');
    const f = errorFields(e);
    expect(f.errorName).toBe('TypeError');
    expect(f.errorMessage).toBe('bad phone [phone]');
    expect(f.stack).toContain('TypeError: bad phone [phone]');
    expect(f.stack).not.toContain('13812345678');
    const bare = new Error('x');
    bare.stack = undefined;
    expect(errorFields(bare)).toEqual({ errorName: 'Error', errorMessage: 'x', stack: undefined });
  });
  it('anything else: its text, redacted', () => {
    expect(errorFields('oops 13812345678')).toEqual({ error: 'oops [phone]' });
    expect(errorFields(42)).toEqual({ error: '42' });
  });
});

import { describe, expect, it } from 'vitest';
import { isValidIdNumber, maskIdNumber, maskName, maskPhone, PHONE_PATTERN } from '../../shared/domain/masking.ts';

describe('masking', () => {
  it('masks a mobile number to 3 + 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('never returns the input for short strings', () => {
    expect(maskPhone('12345')).toBe('*****');
  });
  it('masks an ID number keeping 3 + 4', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
  });
  it('masks names to the surname', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧阳*');
    expect(maskName('  李  ')).toBe('李*');
    expect(maskName('')).toBe('*');
  });
  it('accepts mainland mobiles only', () => {
    expect(PHONE_PATTERN.test('13812345678')).toBe(true);
    expect(PHONE_PATTERN.test('12812345678')).toBe(false);
    expect(PHONE_PATTERN.test('1381234567')).toBe(false);
  });
  it('checks the GB 11643 check digit', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('11010519491231002')).toBe(false);
  });
});

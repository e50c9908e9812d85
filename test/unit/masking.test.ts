import { describe, expect, it } from 'vitest';
import {
  isValidIdNumber,
  MIN_HIDDEN,
  maskIdNumber,
  maskName,
  maskPhone,
  PHONE_PATTERN,
} from '../../shared/domain/masking.ts';

/** Valid GB 11643 numbers, one for each check character (computed with the standard's weights). */
const VALID_IDS = [
  '510104199003071202', // 2
  '510104199003071210', // 0
  '510104199003071229', // 9
  '510104199003071237', // 7
  '510104199003071245', // 5
  '510104199003071253', // 3
  '510104199003071261', // 1
  '51010419900307127X', // X
  '510104199003071288', // 8
  '510104199003071296', // 6
  '11010519491231002X',
];

describe('masking phones', () => {
  it('masks a mobile number to 3 + 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+8613812345678')).toBe('+86*******5678');
  });
  it('hides at least four characters: strings too short for 3 + 4 are all stars', () => {
    expect(MIN_HIDDEN).toBe(4);
    // 3 + 4 of a 7- or 8-digit number is all or nearly all of it.
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskPhone('12345678')).toBe('********');
    expect(maskPhone('1381234567')).toBe('**********');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone('')).toBe('');
    // From 11 characters on, the middle is starred and the ends are kept.
    expect(maskPhone('02812345678')).toBe('028****5678');
    expect(maskPhone('028123456789')).toBe('028*****6789');
  });
  it('never shows more than 7 characters of any length, nor fewer than 4 stars', () => {
    for (let n = 0; n <= 20; n++) {
      const phone = '9'.repeat(n);
      const masked = maskPhone(phone);
      expect(masked).toHaveLength(n);
      const shown = masked.replaceAll('*', '').length;
      expect(shown).toBeLessThanOrEqual(7);
      expect(n - shown).toBeGreaterThanOrEqual(Math.min(n, MIN_HIDDEN));
    }
  });
});

describe('masking ID numbers', () => {
  it('keeps 3 + 4 of an ID number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskIdNumber('510104199003071237')).toBe('510***********1237');
    // A 15-digit number of the first generation.
    expect(maskIdNumber('510104900307123')).toBe('510********7123');
  });
  it('is all stars when 3 + 4 would leave fewer than four hidden', () => {
    expect(maskIdNumber('12345678')).toBe('********');
    expect(maskIdNumber('1234567890')).toBe('**********');
    expect(maskIdNumber('1234567')).toBe('*******');
    expect(maskIdNumber('12345678901')).toBe('123****8901');
  });
});

describe('masking names', () => {
  it('masks names to the surname', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('  李  ')).toBe('李*');
    expect(maskName('')).toBe('*');
    expect(maskName('   ')).toBe('*');
    expect(maskName('Li Wei')).toBe('L*');
    // A character outside the BMP is one character, never half a surrogate pair.
    expect(maskName('𠮷野家')).toBe('𠮷*');
  });
  it('keeps every compound surname whole', () => {
    for (const surname of [
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
    ]) {
      expect(maskName(`${surname}娜娜`)).toBe(`${surname}*`);
      expect(maskName(` ${surname}明 `)).toBe(`${surname}*`);
    }
  });
  it('a name that is only a compound surname is read as surname + given name', () => {
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskName('司马')).toBe('司*');
  });
});

describe('phone and ID number shapes', () => {
  it('accepts mainland mobiles only', () => {
    expect(PHONE_PATTERN.test('13812345678')).toBe(true);
    expect(PHONE_PATTERN.test('19912345678')).toBe(true);
    expect(PHONE_PATTERN.test('12812345678')).toBe(false);
    expect(PHONE_PATTERN.test('1381234567')).toBe(false);
    expect(PHONE_PATTERN.test('138123456789')).toBe(false);
    expect(PHONE_PATTERN.test('x13812345678')).toBe(false);
  });
  it('accepts a valid GB 11643 number for every check character', () => {
    for (const id of VALID_IDS) expect(isValidIdNumber(id), id).toBe(true);
  });
  it('refuses a wrong check character and a changed digit', () => {
    for (const id of VALID_IDS) {
      for (const check of '0123456789X') {
        if (check !== id[17]) expect(isValidIdNumber(id.slice(0, 17) + check), `${id} with ${check}`).toBe(false);
      }
      // Changing any one of the first 17 digits breaks the checksum (each weight is prime to 11).
      for (let i = 0; i < 17; i++) {
        const d = String((Number(id[i]) + 1) % 10);
        expect(isValidIdNumber(id.slice(0, i) + d + id.slice(i + 1)), `${id} at ${i}`).toBe(false);
      }
    }
  });
  it('refuses other shapes: length, lowercase x, letters, anything around it', () => {
    expect(isValidIdNumber('11010519491231002')).toBe(false);
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
    expect(isValidIdNumber('51010419900307127x')).toBe(false);
    expect(isValidIdNumber('A10104199003071237')).toBe(false);
    expect(isValidIdNumber('5101041990030712 7')).toBe(false);
    // The first 18 characters are a valid number: the whole string must be one.
    expect(isValidIdNumber('5101041990030712375')).toBe(false);
    expect(isValidIdNumber('510104199003071237X')).toBe(false);
    expect(isValidIdNumber(' 510104199003071237')).toBe(false);
    expect(isValidIdNumber('')).toBe(false);
  });
});

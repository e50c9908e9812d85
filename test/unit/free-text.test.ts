import { describe, expect, it } from 'vitest';
import { freeText, maskPersonalData } from '../../shared/domain/masking.ts';

/** Phone and ID numbers inside free text (shared/domain/masking.ts maskPersonalData). */
describe('personal data in free text', () => {
  it('masks mobile numbers, however they are typed', () => {
    expect(maskPersonalData('请联系13812345678，谢谢')).toBe('请联系138****5678，谢谢');
    expect(maskPersonalData('电话 138 1234 5678 或 139-8765-4321')).toBe('电话 138****5678 或 139****4321');
    expect(maskPersonalData('全角：１３８１２３４５６７８')).toBe('全角：138****5678');
    expect(maskPersonalData('a13812345678b')).toBe('a138****5678b');
  });

  it('masks ID numbers, with an X or not', () => {
    expect(maskPersonalData('身份证11010519491231002X在此')).toBe('身份证110***********002X在此');
    expect(maskPersonalData('id 110105194912310021.')).toBe('id 110***********0021.');
    expect(maskPersonalData('小写11010519491231002x')).toBe('小写110***********002X');
  });

  it('masks every number in the text, not only the first', () => {
    expect(maskPersonalData('甲13812345678，乙13987654321')).toBe('甲138****5678，乙139****4321');
    expect(maskPersonalData('11010519491231002X 与 510104199003071237')).toBe(
      '110***********002X 与 510***********1237',
    );
  });

  it('turns full-width digits and a full-width X or x into ASCII before masking', () => {
    expect(maskPersonalData('１１０１０５１９４９１２３１００２Ｘ')).toBe('110***********002X');
    expect(maskPersonalData('１１０１０５１９４９１２３１００２ｘ')).toBe('110***********002X');
    expect(maskPersonalData('１３８　１２３４　５６７８')).toBe('138****5678');
  });

  it('leaves other numbers alone: dates, times, house numbers, longer runs, short ones', () => {
    for (const text of [
      '2025-06-01 09:30 在3号楼2单元',
      '订单号 213812345678901234567',
      '门牌 1381234',
      '12812345678 不是手机号',
      '金额 1,380.00 元',
    ])
      expect(maskPersonalData(text)).toBe(text);
  });

  it('keeps emoji and rare characters around a masked number', () => {
    expect(maskPersonalData('👍🏻𠀀13812345678🙏')).toBe('👍🏻𠀀138****5678🙏');
  });

  it('shows the text in full to whom may read it, masked to anyone else; undefined stays undefined', () => {
    expect(freeText('打13812345678', true)).toBe('打13812345678');
    expect(freeText('打13812345678', false)).toBe('打138****5678');
    expect(freeText(undefined, false)).toBeUndefined();
  });
});

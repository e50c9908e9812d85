import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { Hours, requestCorrection } from '../../shared/contract/records.ts';
import {
  CERT_NAME_MAX,
  CERT_NUMBER_PATTERN,
  certificateNumber,
  shortName,
  verificationOf,
  type Certificate,
} from '../../shared/domain/certificate.ts';
import { certificateHtml, escapeHtml, formatHours } from '../../shared/views/certificate.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import {
  assertCorrectable,
  decideCorrection,
  isHalfHourStep,
  MAX_HISTORY,
  sumHours,
} from '../../shared/domain/records.ts';

/** Pure rules of the records context: certificate numbers, HTML escaping, hours, corrections. */

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
};

describe('certificate numbers', () => {
  it('are PNR-<district code>-<Shanghai day>-<8 base32>', () => {
    const n = certificateNumber('510104', '2024-03-31T17:30:00.000Z', new Uint8Array([0, 1, 2, 3, 4, 5, 6, 31]));
    expect(n).toBe('PNR-510104-20240401-0123456Z');
    expect(n).toMatch(CERT_NUMBER_PATTERN);
    // 15:59 UTC is still the same day in Shanghai; 16:00 UTC is the next
    expect(certificateNumber('510104', '2024-12-31T15:59:59.000Z')).toMatch(/^PNR-510104-20241231-/);
    expect(certificateNumber('510104', '2024-12-31T16:00:00.000Z')).toMatch(/^PNR-510104-20250101-/);
  });

  it('use Crockford base32 (no I, L, O, U) and do not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const n = certificateNumber('510116', '2024-05-01T02:00:00.000Z');
      expect(n).toMatch(CERT_NUMBER_PATTERN);
      expect(n.slice(-8)).not.toMatch(/[ILOU]/);
      seen.add(n);
    }
    expect(seen.size).toBe(2000);
  });

  it('refuse a district code that is not six digits', () => {
    expect(() => certificateNumber('5101', '2024-05-01T02:00:00.000Z')).toThrow();
    expect(() => certificateNumber('51010a', '2024-05-01T02:00:00.000Z')).toThrow();
  });

  it('the pattern rejects near misses', () => {
    for (const bad of [
      'PNR-510104-20240401-0123456',
      'PNR-510104-20240401-0123456IL',
      'pnr-510104-20240401-0123456Z',
      'PNR-51010-20240401-0123456Z',
      'PNR-510104-2024041-0123456Z',
      'PNR-510104-20240401-0123456z',
      'PNR-510104-20240401-0123456Z ',
      ' PNR-510104-20240401-0123456Z',
    ])
      expect(bad).not.toMatch(CERT_NUMBER_PATTERN);
  });
});

const cert = (over: Partial<Certificate> = {}): Certificate => ({
  number: 'PNR-510104-20240401-0123456Z',
  memberId: 'm-1',
  name: '张三丰',
  issuedAt: '2024-03-31T17:30:00.000Z',
  issuedOn: '2024-04-01',
  totalHours: 12.5,
  recordCount: 3,
  records: [{ recordId: 'sr_1', activityName: '义诊', date: '2024-03-01', hours: 2 }],
  coversLatestOnly: false,
  issuingUnit: { name: 'Jinjiang District', nameZh: '锦江区', code: '510104' },
  ...over,
});

describe('verification', () => {
  it('shows the masked name, hours, date, unit and count, and nothing else', () => {
    const v = verificationOf(cert());
    expect(v).toEqual({
      valid: true,
      number: 'PNR-510104-20240401-0123456Z',
      issuedOn: '2024-04-01',
      name: '张*',
      totalHours: 12.5,
      issuingUnit: { name: 'Jinjiang District', nameZh: '锦江区', code: '510104' },
      recordCount: 3,
    });
    expect(Object.keys(v)).not.toContain('memberId');
    expect(Object.keys(v)).not.toContain('records');
  });
});

describe('HTML escaping', () => {
  it('escapes the five HTML specials and the backtick', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
    expect(escapeHtml(12.5)).toBe('12.5');
    expect(escapeHtml('锦江区')).toBe('锦江区');
  });

  it('the page escapes every value, has both languages, print CSS and no script', () => {
    const evil = '<script>alert(1)</script>';
    const html = certificateHtml({
      ...verificationOf(cert()),
      name: `"><img src=x onerror=alert(1)>`,
      issuingUnit: { name: evil, nameZh: `</td>${evil}`, code: '510104' },
      number: `PNR-<b>`,
      issuedOn: `2024&04`,
    });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('2024&amp;04');
    for (const label of [
      '志愿服务证明',
      'Volunteer Service Certificate',
      '证明编号',
      'Certificate number',
      '累计服务时长',
      'Total service hours',
      '出具单位',
      'Issuing unit',
      '出具日期',
      'Date of issue',
      '有效',
      'Valid',
    ])
      expect(html).toContain(label);
    expect(html).toContain('@media print');
    expect(html).toContain('@page');
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('prints hours as 12 or 12.5', () => {
    expect(formatHours(12)).toBe('12');
    expect(formatHours(12.5)).toBe('12.5');
    expect(formatHours(0)).toBe('0');
  });

  it('cuts long activity names on code points', () => {
    expect(shortName('义诊')).toBe('义诊');
    const long = '🎉'.repeat(CERT_NAME_MAX + 5);
    const cut = shortName(long);
    expect(Array.from(cut)).toHaveLength(CERT_NAME_MAX);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
});

describe('hours in half-hour steps', () => {
  it('accepts 0, 0.5 ... 24 and nothing else', () => {
    for (const ok of [0, 0.5, 1, 1.5, 7.5, 23.5, 24]) expect(isHalfHourStep(ok), String(ok)).toBe(true);
    for (const bad of [-0.5, 0.25, 0.1, 1.49, 24.5, 25, Number.NaN, Infinity, -Infinity, 1e21])
      expect(isHalfHourStep(bad), String(bad)).toBe(false);
  });

  it('the schema refuses strings, nulls and off-step numbers', () => {
    expect(z.safeParse(Hours, 2.5).success).toBe(true);
    for (const bad of ['2', null, undefined, true, 2.25, -1, 30, [2], {}])
      expect(z.safeParse(Hours, bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('the correction body is strict and bounded', () => {
    const body = requestCorrection.body;
    expect(z.safeParse(body, { requestedHours: 3, reason: '少记了一小时' }).success).toBe(true);
    expect(z.safeParse(body, { requestedHours: 3, reason: '  ' }).success).toBe(false);
    expect(z.safeParse(body, { requestedHours: 3, reason: 'x'.repeat(501) }).success).toBe(false);
    expect(z.safeParse(body, { requestedHours: 3, reason: 'ok', hours: 3 }).success).toBe(false);
    expect(z.safeParse(body, { requestedHours: 3.3, reason: 'ok' }).success).toBe(false);
  });

  it('sums half hours exactly', () => {
    expect(sumHours(Array.from({ length: 1000 }, () => 0.5))).toBe(500);
    expect(sumHours([0.5, 1.5, 2])).toBe(4);
  });
});

describe('corrections', () => {
  it('only a pending correction is decided', () => {
    expect(decideCorrection('pending', 'accept')).toBe('accepted');
    expect(decideCorrection('pending', 'reject')).toBe('rejected');
    expect(codeOf(() => decideCorrection('accepted', 'accept'))).toBe('CORRECTION_NOT_PENDING');
    expect(codeOf(() => decideCorrection('rejected', 'accept'))).toBe('CORRECTION_NOT_PENDING');
  });

  it('one pending at a time, a real change, bounded history', () => {
    const r = { hours: 2, history: [], pendingCorrectionId: undefined };
    expect(codeOf(() => assertCorrectable(r, 3))).toBe('ok');
    expect(codeOf(() => assertCorrectable({ ...r, pendingCorrectionId: 'cr_1' }, 3))).toBe(
      'CORRECTION_ALREADY_PENDING',
    );
    expect(codeOf(() => assertCorrectable(r, 2))).toBe('CORRECTION_NO_CHANGE');
    const full = Array.from({ length: MAX_HISTORY - 1 }, () => ({ at: 'x', by: 'y', kind: 'created' as const }));
    expect(codeOf(() => assertCorrectable({ ...r, history: full }, 3))).toBe('TOO_MANY_CORRECTIONS');
    expect(codeOf(() => assertCorrectable({ ...r, history: full.slice(2) }, 3))).toBe('ok');
  });
});

import { describe, expect, it } from 'vitest';
import { isLate, isWorkingDay, recordingDeadline } from '../../shared/domain/calendar.ts';

describe('working-day calendar (Mon-Fri, Asia/Shanghai)', () => {
  it('knows weekends', () => {
    expect(isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-29')).toBe(false); // Sunday
  });
  it('counts 10 working days after the end, skipping weekends', () => {
    // ends Friday 2026-11-27 afternoon in Shanghai: deadline is Friday 2026-12-11
    expect(recordingDeadline('2026-11-27T08:00:00Z')).toBe('2026-12-11');
    // ends Saturday: Mon 30 Nov .. Fri 11 Dec
    expect(recordingDeadline('2026-11-28T08:00:00Z')).toBe('2026-12-11');
    // ends 23:30 Friday Shanghai = 15:30Z: still Friday there
    expect(recordingDeadline('2026-11-27T15:30:00Z')).toBe('2026-12-11');
  });
  it('is late only after the deadline day', () => {
    expect(isLate('2026-11-27T08:00:00Z', '2026-12-11T15:59:00Z')).toBe(false); // 23:59 on the 11th in Shanghai
    expect(isLate('2026-11-27T08:00:00Z', '2026-12-11T16:00:00Z')).toBe(true); // 00:00 on the 12th
  });
});

import { describe, expect, it } from 'vitest';
import {
  AWARD_LEVELS,
  EVALUATION_WORKING_DAYS,
  evaluationDeadline,
  evaluationIdFor,
  evaluationOpen,
} from '../../shared/domain/member-record.ts';

/**
 * The rules of the five-part record (志愿者档案) in shared/domain/member-record.ts: one evaluation
 * per service record (its id from the record's), entered by the community within 10 working days
 * of the service, and the levels of an award. Working days themselves (weekends, the State
 * Council's holidays) are test/unit/calendar.test.ts's. Days are Asia/Shanghai: 16:00Z is
 * midnight there.
 */

describe("an evaluation's id", () => {
  it("is the record's id with ev_ for its leading sr_: one evaluation per record", () => {
    expect(evaluationIdFor('sr_01JABCDEF')).toBe('ev_01JABCDEF');
    expect(evaluationIdFor('sr_2')).not.toBe(evaluationIdFor('sr_3'));
  });
  it('a readable record id (demo data) without the prefix keeps every character, sr_ inside it included', () => {
    expect(evaluationIdFor('demo-sr_7')).toBe('ev_demo-sr_7');
  });
});

describe('the window the community has to evaluate a service', () => {
  it('is 10 working days counted from the day after the service', () => {
    expect(EVALUATION_WORKING_DAYS).toBe(10);
    // Friday 2026-11-27: Mon 30 Nov .. Fri 4 Dec, Mon 7 .. Fri 11 Dec.
    expect(evaluationDeadline('2026-11-27')).toBe('2026-12-11');
    // Thursday 2026-11-26: Fri 27, Mon 30 .. Fri 4 Dec, Mon 7 .. Thu 10.
    expect(evaluationDeadline('2026-11-26')).toBe('2026-12-10');
    // A service on Sunday 2026-11-29 counts from Monday 30: the same last day as Friday's.
    expect(evaluationDeadline('2026-11-29')).toBe('2026-12-11');
  });
  it('is open from the service day through the last second of the deadline day in Shanghai', () => {
    expect(evaluationOpen('2026-11-27', '2026-11-27T02:00:00.000Z')).toBe(true);
    expect(evaluationOpen('2026-11-27', '2026-12-11T15:59:59.999Z')).toBe(true); // 23:59:59 on the 11th
  });
  it('is closed from midnight after the deadline day on', () => {
    expect(evaluationOpen('2026-11-27', '2026-12-11T16:00:00.000Z')).toBe(false); // 00:00 on the 12th
    expect(evaluationOpen('2026-11-27', '2027-03-01T02:00:00.000Z')).toBe(false);
  });
});

describe('the levels of an award', () => {
  it('from the community to the nation, lowest first', () => {
    expect(AWARD_LEVELS).toEqual(['community', 'street', 'district', 'city', 'province', 'national']);
  });
});

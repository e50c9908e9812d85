import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTIONS,
  CADRE_STATUSES,
  exemplaryAward,
  type Nomination,
  NOMINATION_STATUSES,
  NOTICE_WORKING_DAYS,
  noticeEnded,
  noticeRunning,
  noticeWindow,
  samePerson,
  yearlyReviewDate,
} from '../../shared/domain/nominations.ts';

/**
 * The rules of exemplary nominations (先进典型) and the reserve-cadre pool (后备干部) in
 * shared/domain/nominations.ts: the notice's window and when it runs or has ended, who may not
 * take a step, the award an approval becomes, the pool's yearly review date. Working days
 * themselves (weekends, the State Council's holidays) are test/unit/calendar.test.ts's.
 * Days are Asia/Shanghai: 16:00Z is midnight there.
 */

const nomination = (over: Partial<Nomination> = {}): Nomination => ({
  nominationId: 'nm_01JABCDEF',
  memberId: 'm-nominee',
  memberName: '王小明',
  communityId: 'co-1',
  streetId: 'st-1',
  title: '优秀党员志愿者',
  level: 'district',
  reason: '三年服务不间断',
  evidence: {
    year: '2026',
    confirmedHours: 320,
    points: 410,
    yearPoints: 120,
    star: 2,
    ratings: { count: 3, excellent: 2, good: 1, fair: 0, poor: 0 },
    noShows: 0,
    takenAt: '2026-05-01T02:00:00.000Z',
  },
  nominatedBy: 'm-nominator',
  nominatorRole: 'community_admin',
  nominatedAt: '2026-05-01T02:00:00.000Z',
  status: 'on-notice',
  objections: 0,
  reviewerId: 'm-reviewer',
  noticeFrom: '2026-05-15',
  noticeUntil: '2026-05-22',
  ...over,
});

describe('the states and steps of a nomination', () => {
  it('four states, seven audited steps, two pool states, a notice of 5 working days', () => {
    expect(NOMINATION_STATUSES).toEqual(['under-review', 'on-notice', 'approved', 'rejected']);
    expect(AUDIT_ACTIONS).toEqual([
      'nominated',
      'notice-opened',
      'objected',
      'approved',
      'rejected',
      'admitted',
      'exited',
    ]);
    expect(CADRE_STATUSES).toEqual(['active', 'exited']);
    expect(NOTICE_WORKING_DAYS).toBe(5);
  });
});

describe('the public notice window', () => {
  it('opens on the Shanghai day of the instant and ends 5 working days after it', () => {
    // 2026-05-15 01:00 in Shanghai, a Friday: Mon 18, Tue 19, Wed 20, Thu 21, Fri 22.
    expect(noticeWindow('2026-05-14T17:00:00.000Z')).toEqual({ noticeFrom: '2026-05-15', noticeUntil: '2026-05-22' });
  });
  it('an instant late on Thursday in Shanghai opens on Thursday: its fifth working day is the next Thursday', () => {
    // 2026-05-14 23:59:59 in Shanghai (Thursday): Fri 15, Mon 18, Tue 19, Wed 20, Thu 21.
    expect(noticeWindow('2026-05-14T15:59:59.000Z')).toEqual({ noticeFrom: '2026-05-14', noticeUntil: '2026-05-21' });
  });
  it('opened on a Saturday, it starts counting on Monday', () => {
    // Saturday 2026-11-28: Mon 30 Nov .. Fri 4 Dec.
    expect(noticeWindow('2026-11-28T02:00:00.000Z')).toEqual({ noticeFrom: '2026-11-28', noticeUntil: '2026-12-04' });
  });
});

describe('while the notice runs, and once it has ended', () => {
  const lastSecond = '2026-05-22T15:59:59.000Z'; // 23:59:59 on Friday 22 May in Shanghai
  const nextDay = '2026-05-22T16:00:00.000Z'; // 00:00 on Saturday 23 May in Shanghai

  it('runs from its opening through the last second of its last day, and has not ended then', () => {
    const n = nomination();
    expect(noticeRunning(n, '2026-05-15T01:00:00.000Z')).toBe(true);
    expect(noticeRunning(n, lastSecond)).toBe(true);
    expect(noticeEnded(n, '2026-05-15T01:00:00.000Z')).toBe(false);
    expect(noticeEnded(n, lastSecond)).toBe(false);
  });
  it('from the first second after its last day it has ended and no longer runs', () => {
    const n = nomination();
    expect(noticeRunning(n, nextDay)).toBe(false);
    expect(noticeEnded(n, nextDay)).toBe(true);
    expect(noticeRunning(n, '2027-01-01T00:00:00.000Z')).toBe(false);
    expect(noticeEnded(n, '2027-01-01T00:00:00.000Z')).toBe(true);
  });
  it('only a nomination on notice has a notice running or ended, whatever its dates say', () => {
    for (const status of ['under-review', 'approved', 'rejected'] as const) {
      const n = nomination({ status });
      expect(noticeRunning(n, lastSecond), status).toBe(false);
      expect(noticeEnded(n, nextDay), status).toBe(false);
    }
  });
  it('a nomination without a last day has neither', () => {
    const { noticeUntil: _none, ...n } = nomination();
    expect(noticeRunning(n, lastSecond)).toBe(false);
    expect(noticeEnded(n, nextDay)).toBe(false);
  });
});

describe('the nominee and the nominator take no step on their own nomination', () => {
  const n = { memberId: 'm-nominee', nominatedBy: 'm-nominator' };
  it('the nominee, by any of their ids, is the same person', () => {
    expect(samePerson(n, ['m-nominee', 'sub-1'])).toBe(true);
    expect(samePerson(n, ['sub-1', 'm-nominee'])).toBe(true);
  });
  it('the nominator, by any of their ids, is the same person', () => {
    expect(samePerson(n, ['m-nominator', 'sub-2'])).toBe(true);
    expect(samePerson(n, ['sub-2', 'm-nominator'])).toBe(true);
  });
  it('a third person is not, nor is nobody', () => {
    expect(samePerson(n, ['m-reviewer', 'sub-3'])).toBe(false);
    expect(samePerson(n, [])).toBe(false);
  });
});

describe('an approved nomination becomes an exemplary award in the record', () => {
  it('the award carries the title and level, the issuer, the approver and the Shanghai day of approval', () => {
    // 2026-05-25 16:30Z is 00:30 on Tuesday 26 May in Shanghai.
    expect(exemplaryAward(nomination(), 'm-approver', '2026-05-25T16:30:00.000Z', 'jinjiang')).toEqual({
      awardId: 'aw_01JABCDEF',
      kind: 'exemplary',
      title: '优秀党员志愿者',
      level: 'district',
      issuer: 'jinjiang',
      nominationId: 'nm_01JABCDEF',
      awardedOn: '2026-05-26',
      awardedBy: 'm-approver',
    });
  });
  it("the award's id is the nomination's with aw_ for its leading nm_ only", () => {
    const award = (nominationId: string) =>
      exemplaryAward(nomination({ nominationId }), 'm-approver', '2026-05-25T02:00:00.000Z', 'jinjiang').awardId;
    expect(award('nm_7')).toBe('aw_7');
    // A readable id (demo data) without the prefix keeps every character, nm_ inside it included.
    expect(award('demo-nm_7')).toBe('aw_demo-nm_7');
  });
});

describe("the reserve-cadre pool's yearly review", () => {
  it('is the same day a year later', () => {
    expect(yearlyReviewDate('2026-05-26')).toBe('2027-05-26');
    expect(yearlyReviewDate('2026-01-01')).toBe('2027-01-01');
    expect(yearlyReviewDate('2026-12-31')).toBe('2027-12-31');
  });
  it('from 29 February it is 28 February of the next year', () => {
    expect(yearlyReviewDate('2028-02-29')).toBe('2029-02-28');
  });
  it('from 28 February of a year before a leap year it stays on 28 February', () => {
    expect(yearlyReviewDate('2027-02-28')).toBe('2028-02-28');
  });
});

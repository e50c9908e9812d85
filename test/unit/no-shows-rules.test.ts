import { describe, expect, it } from 'vitest';
import type { ActivityClose, Signup } from '../../shared/domain/activity.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import {
  contestable,
  DEFAULT_NO_SHOW_REVIEW_THRESHOLD,
  decidable,
  noShowsOf,
  opensReview,
} from '../../shared/domain/no-shows.ts';

/** No-shows: who counts at a close, the year they count in, contest and decision, the review threshold. */
describe('no-show rules', () => {
  const close = (closedAt: string): ActivityClose => ({
    activityId: 'act-1',
    teamId: 'team-1',
    streetId: 'street-1',
    communityId: 'comm-1',
    peopleServed: 12,
    closedAt,
  });
  const signup = (memberId: string, status: Signup['status'], checkedInAt?: string): Signup => ({
    activityId: 'act-1',
    memberId,
    memberName: `Name ${memberId}`,
    status,
    ticket: 1,
    signedUpAt: '2026-03-01T02:00:00.000Z',
    ...(checkedInAt ? { checkedInAt } : {}),
  });

  it('a confirmed sign-up that never checked in is a counted no-show with the place and year of its close', () => {
    const found = noShowsOf(close('2026-03-10T09:00:00.000Z'), [signup('m-1', 'confirmed')]);
    expect(found).toEqual([
      {
        activityId: 'act-1',
        memberId: 'm-1',
        memberName: 'Name m-1',
        teamId: 'team-1',
        communityId: 'comm-1',
        streetId: 'street-1',
        closedAt: '2026-03-10T09:00:00.000Z',
        year: '2026',
        status: 'counted',
      },
    ]);
  });

  it('a checked-in member and a waitlisted one are not no-shows; only the confirmed absentees are, in order', () => {
    const found = noShowsOf(close('2026-03-10T09:00:00.000Z'), [
      signup('m-1', 'confirmed', '2026-03-10T01:00:00.000Z'),
      signup('m-2', 'waitlisted'),
      signup('m-3', 'confirmed'),
      signup('m-4', 'waitlisted', '2026-03-10T01:00:00.000Z'),
      signup('m-5', 'confirmed'),
    ]);
    expect(found.map((n) => n.memberId)).toEqual(['m-3', 'm-5']);
  });

  it('a close with nobody absent finds no no-shows', () => {
    expect(noShowsOf(close('2026-03-10T09:00:00.000Z'), [])).toEqual([]);
    expect(
      noShowsOf(close('2026-03-10T09:00:00.000Z'), [signup('m-1', 'confirmed', '2026-03-10T01:00:00.000Z')]),
    ).toEqual([]);
  });

  it('the year a no-show counts in is the Asia/Shanghai year of the close: it resets on 1 January there', () => {
    // 2025-12-31T15:59:59.999Z is 23:59:59.999 on 31 December in Shanghai (UTC+8); one ms later is 1 January.
    const [before] = noShowsOf(close('2025-12-31T15:59:59.999Z'), [signup('m-1', 'confirmed')]);
    const [after] = noShowsOf(close('2025-12-31T16:00:00.000Z'), [signup('m-1', 'confirmed')]);
    expect(before!.year).toBe('2025');
    expect(after!.year).toBe('2026');
  });

  it('only a counted no-show can be contested; any other status is refused with its status named', () => {
    expect(() => contestable({ status: 'counted' })).not.toThrow();
    for (const status of ['contested', 'excused', 'upheld'] as const) {
      const err = catchDomain(() => contestable({ status }));
      expect([err.code, err.detail]).toEqual([
        'NO_SHOW_NOT_CONTESTABLE',
        `the no-show is ${status}; only a counted one can be contested`,
      ]);
    }
  });

  it('only a contested no-show can be decided; any other status is refused with its status named', () => {
    expect(() => decidable({ status: 'contested' })).not.toThrow();
    for (const status of ['counted', 'excused', 'upheld'] as const) {
      const err = catchDomain(() => decidable({ status }));
      expect([err.code, err.detail]).toEqual([
        'NO_SHOW_NOT_CONTESTED',
        `the no-show is ${status}; only a contested one can be decided`,
      ]);
    }
  });

  it('reaching the threshold opens a review, once: just below and above it open none (never a ban)', () => {
    expect(DEFAULT_NO_SHOW_REVIEW_THRESHOLD).toBe(5);
    expect(opensReview(4, 5)).toBe(false);
    expect(opensReview(5, 5)).toBe(true);
    expect(opensReview(6, 5)).toBe(false);
    expect(opensReview(3, 3)).toBe(true);
  });
});

function catchDomain(f: () => void): DomainError {
  try {
    f();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

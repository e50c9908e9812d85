import { describe, expect, it } from 'vitest';
import { assertMoves, CHECKIN_STATUSES, decide, type CheckInAction } from '../../shared/domain/check-in.ts';
import { DomainError } from '../../shared/domain/errors.ts';

const ACTIONS: CheckInAction[] = ['approve', 'reject', 'expire', 'cancel'];

describe('check-in state machine', () => {
  it.each(CHECKIN_STATUSES.flatMap((s) => ACTIONS.map((a) => [s, a] as const)))('%s + %s', (status, action) => {
    if (status === 'pending') {
      expect(decide(status, action)).toBe(
        { approve: 'approved', reject: 'rejected', expire: 'expired', cancel: 'cancelled' }[action],
      );
    } else {
      try {
        decide(status, action);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).code).toBe('CHECKIN_NOT_PENDING');
        expect((e as DomainError).extra.state).toBe(status);
      }
    }
  });

  it('refuses a check-in to where the member already is', () => {
    expect(() => assertMoves({ communityId: 'c1', gridId: 'g1' }, { communityId: 'c1', gridId: 'g1' })).toThrow(
      DomainError,
    );
    expect(() => assertMoves({ communityId: 'c1' }, { communityId: 'c1' })).toThrow(DomainError);
  });
  it('allows moving grid or community, and a first check-in', () => {
    expect(() => assertMoves({ communityId: 'c1', gridId: 'g1' }, { communityId: 'c1', gridId: 'g2' })).not.toThrow();
    expect(() => assertMoves({ communityId: 'c1' }, { communityId: 'c2' })).not.toThrow();
    expect(() => assertMoves({}, { communityId: 'c1' })).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import {
  WISH_ACTIONS,
  WISH_STATES,
  allowedActions,
  isTerminal,
  nextState,
  type WishAction,
  type WishState,
} from '../../shared/domain/wish.ts';

/**
 * The wish state machine, exhaustively: every state by every action. The expected table is
 * written out here, independently of the machine's own table.
 */
const EXPECTED: Record<WishState, Partial<Record<WishAction, WishState>>> = {
  pending_review: { publish: 'published', reject: 'rejected', withdraw: 'withdrawn' },
  rejected: {},
  published: { claim: 'claimed', escalate: 'escalated', withdraw: 'withdrawn' },
  claimed: { release: 'published', complete: 'completed' },
  escalated: { claim: 'claimed', take_on: 'taken_on', withdraw: 'withdrawn' },
  taken_on: { release: 'escalated', complete: 'completed' },
  completed: { confirm: 'confirmed', auto_confirm: 'confirmed' },
  confirmed: {},
  withdrawn: {},
};

function outcome(state: WishState, action: WishAction, wasEscalated = false): string {
  try {
    return nextState(state, action, { wasEscalated });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    expect(e.extra.state).toBe(state);
    expect(e.extra.allowedActions).toEqual(
      Object.keys(EXPECTED[state]).sort(
        (a, b) => WISH_ACTIONS.indexOf(a as WishAction) - WISH_ACTIONS.indexOf(b as WishAction),
      ),
    );
    return `409 ${e.code}`;
  }
}

describe('wish state machine', () => {
  it('has 9 states and 10 actions', () => {
    expect(WISH_STATES).toHaveLength(9);
    expect(WISH_ACTIONS).toHaveLength(10);
  });

  for (const state of WISH_STATES) {
    for (const action of WISH_ACTIONS) {
      const to = EXPECTED[state][action];
      const alreadyTaken =
        (action === 'claim' || action === 'take_on') && (state === 'claimed' || state === 'taken_on');
      const want = to ?? (alreadyTaken ? '409 WISH_ALREADY_CLAIMED' : '409 WISH_ACTION_NOT_ALLOWED');
      it(`${state} × ${action} -> ${want}`, () => {
        expect(outcome(state, action)).toBe(want);
      });
    }
  }

  it('a release sends a claimed wish back where it was: published, or escalated if it had been', () => {
    expect(nextState('claimed', 'release', { wasEscalated: false })).toBe('published');
    expect(nextState('claimed', 'release', { wasEscalated: true })).toBe('escalated');
    expect(nextState('taken_on', 'release', { wasEscalated: true })).toBe('escalated');
  });

  it('names the state and the allowed actions in the 409', () => {
    try {
      nextState('published', 'take_on');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      const err = e as DomainError;
      expect(err.code).toBe('WISH_ACTION_NOT_ALLOWED');
      expect(err.extra).toMatchObject({
        state: 'published',
        action: 'take_on',
        allowedActions: ['withdraw', 'claim', 'escalate'],
      });
      expect(err.detail).toContain('published');
    }
  });

  it('terminal states allow nothing', () => {
    expect(WISH_STATES.filter(isTerminal).sort()).toEqual(['confirmed', 'rejected', 'withdrawn']);
    for (const s of ['confirmed', 'rejected', 'withdrawn'] as const) expect(allowedActions(s)).toEqual([]);
  });

  it('every non-terminal state is reachable from pending_review', () => {
    const seen = new Set<WishState>(['pending_review']);
    const queue: WishState[] = ['pending_review'];
    while (queue.length) {
      const s = queue.shift()!;
      for (const a of allowedActions(s))
        for (const esc of [false, true]) {
          const n = nextState(s, a, { wasEscalated: esc });
          if (!seen.has(n)) seen.add(n), queue.push(n);
        }
    }
    expect([...seen].sort()).toEqual([...WISH_STATES].sort());
  });
});

describe('what the machine says', () => {
  it('wasEscalated changes a claimed wish’s release and nothing else', () => {
    for (const state of WISH_STATES)
      for (const action of WISH_ACTIONS) {
        const plain = outcome(state, action, false);
        const escalated = outcome(state, action, true);
        if (state === 'claimed' && action === 'release') expect(escalated).toBe('escalated');
        else expect(escalated, `${state} × ${action}`).toBe(plain);
      }
  });
  const detailOf = (state: WishState, action: WishAction): string => {
    try {
      nextState(state, action);
    } catch (e) {
      if (e instanceof DomainError) return e.detail;
      throw e;
    }
    throw new Error(`${state} × ${action} is allowed`);
  };
  it('a refused action is named in the past tense, in words', () => {
    expect(
      WISH_ACTIONS.map((a) =>
        detailOf(a === 'publish' ? 'confirmed' : 'rejected', a).replace(/^a wish that is \w+ cannot be /, ''),
      ),
    ).toEqual([
      'published',
      'rejected',
      'withdrawn',
      'claimed',
      'released',
      'escalated',
      'taken on',
      'completed',
      'confirmed',
      'confirmed automatically',
    ]);
    expect(detailOf('rejected', 'take_on')).toBe('a wish that is rejected cannot be taken on');
  });
  it('a claim that lost says how the wish is held, in words', () => {
    expect(detailOf('taken_on', 'claim')).toBe('the wish is taken on already');
    expect(detailOf('claimed', 'take_on')).toBe('the wish is claimed already');
  });
});

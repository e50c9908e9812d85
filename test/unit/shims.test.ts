import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import LRUCache from '../../infra/shims/lru-cache.ts';

// The real one, as @aws-sdk/endpoint-cache loads it (a CommonJS module whose export is the class).
const MnemonistLRU = createRequire(import.meta.url)('mnemonist/lru-cache') as typeof LRUCache;

/**
 * The bundle-time LRU (infra/shims/lru-cache.ts, standing in for mnemonist's under the DynamoDB
 * client's endpoint cache) behaves as mnemonist's does for every method the endpoint cache calls.
 */
type Op = { op: 'set'; key: number; value: number } | { op: 'get' | 'peek' | 'has'; key: number } | { op: 'clear' };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant('set' as const), key: fc.integer({ min: 0, max: 5 }), value: fc.integer() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constantFrom('get' as const, 'peek' as const, 'has' as const),
      key: fc.integer({ min: 0, max: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('LRU cache shim', () => {
  it('answers every get, peek and has as mnemonist does, and evicts the same entries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(op, { minLength: 8, maxLength: 60, size: 'medium' }),
        (capacity, ops) => {
          const ours = new LRUCache<number, number>(capacity);
          const theirs = new MnemonistLRU<number, number>(capacity);
          for (const o of ops) {
            if (o.op === 'set') {
              ours.set(o.key, o.value);
              theirs.set(o.key, o.value);
            } else if (o.op === 'clear') {
              ours.clear();
              theirs.clear();
            } else {
              expect(ours[o.op](o.key), `${o.op}(${o.key})`).toEqual(theirs[o.op](o.key));
            }
            expect(ours.size).toBe(theirs.size);
          }
          for (let k = 0; k <= 5; k++) expect(ours.peek(k)).toEqual(theirs.peek(k));
        },
      ),
      { numRuns: 300 },
    );
  });
});

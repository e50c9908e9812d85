import { describe, expect, it } from 'vitest';
import { CITY_CONTRACTS_BY_NAME, DISTRICT_CONTRACTS } from '../../shared/contract/index.ts';
import { ERROR_CODES } from '../../shared/domain/errors.ts';
import { STACK_CODES } from '../../shared/http/openapi.ts';
import { routeReaches } from '../support/error-reach.ts';

/**
 * Each contract's `errors` (the codes the OpenAPI document lists for its operation, with the HTTP
 * stack's) against a static reading of its implementation (test/support/error-reach.ts): every
 * code the route's implementation can construct, through every function it refers to, and no
 * other. The e2e conformance check holds the other end: a code a response carries must be in the
 * document's enum for that operation and status.
 */
const contracts = { ...DISTRICT_CONTRACTS, ...CITY_CONTRACTS_BY_NAME };
const reaches = routeReaches();

describe('contract error codes', () => {
  it('reads every route of every function', () => {
    expect(reaches.map((r) => r.contract).sort()).toEqual(Object.keys(contracts).sort());
  });

  it('builds every DomainError from a literal code, so the reading misses none', () => {
    expect(reaches.flatMap((r) => r.dynamic)).toEqual([]);
  });

  it('lists exactly the codes its implementation can throw, beyond the stack’s own', () => {
    const wrong: string[] = [];
    for (const r of reaches) {
      const declared = [...contracts[r.contract]!.errors].sort();
      const read = [...r.codes].filter((c) => !STACK_CODES.includes(c as never)).sort();
      if (JSON.stringify(declared) !== JSON.stringify(read))
        wrong.push(`${r.contract}: declares [${declared.join(', ')}], its implementation throws [${read.join(', ')}]`);
    }
    expect(wrong).toEqual([]);
  });

  it('declares each code once, known and not the stack’s', () => {
    for (const [name, c] of Object.entries(contracts)) {
      expect(new Set(c.errors).size, name).toBe(c.errors.length);
      for (const code of c.errors) {
        expect(ERROR_CODES, name).toContain(code);
        expect(STACK_CODES, `${name}: ${code} is the stack's`).not.toContain(code);
      }
    }
  });

  it('finds codes through helpers, imports and subclasses (the reading is not vacuous)', () => {
    const of = (name: string) => reaches.find((r) => r.contract === name)!.codes;
    expect([...of('getCommunity')]).toContain('NOT_FOUND'); // notFound() in shared/domain/errors.ts
    expect([...of('issueCertificate')]).toContain('CONCURRENT_UPDATE'); // class NumberTaken extends DomainError
    expect([...of('claimWish')]).toContain('CLAIM_LIMIT_REACHED'); // a callback in the service's transaction
    expect([...of('listStreets')]).not.toContain('CLAIM_LIMIT_REACHED');
  });
});

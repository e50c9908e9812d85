import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests StrykerJS runs against each mutant of shared/domain and shared/http (`npm run mutation`,
 * stryker.config.mjs): the unit tests, which hold the rules, and the integration tests that
 * reach those folders through the services (on the DynamoDB Local the global setup starts, as in
 * `npm test`). The local runtime's own tests and the HTTP end-to-end files are left out: they
 * start servers and processes, are slow, and add no kill that a unit test does not make.
 */
export const MUTATION_TESTS = [
  'test/unit/**/*.test.ts',
  // Idempotency-Key against the real table (shared/http/idempotency.ts).
  'test/integration/idempotency.test.ts',
];

export default defineConfig({ ...base, test: { ...base.test, include: MUTATION_TESTS } });

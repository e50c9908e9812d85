import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests StrykerJS runs against each mutant of shared/domain and shared/http (`npm run mutation`,
 * stryker.config.mjs): the unit tests, which hold the rules, and the integration test of the
 * Idempotency-Key store (on the DynamoDB Local the global setup starts, as in `npm test`). The
 * e2e files and the local runtime's own tests are left out: they start servers and processes,
 * are slow, and kill nothing a unit test does not.
 */
export const MUTATION_TESTS = [
  'test/unit/**/*.test.ts',
  // Idempotency-Key against the real table (shared/http/idempotency.ts).
  'test/integration/idempotency.test.ts',
];

/**
 * Tests that read the source files as text (imports, keys, environment reads, names): in
 * Stryker's sandbox they would read the instrumented code, which is not what they hold.
 */
export const SOURCE_SCANS = [
  'test/unit/audit-append-only.test.ts',
  'test/unit/contract-errors.test.ts',
  'test/unit/environment.test.ts',
  'test/unit/key-catalog.test.ts',
  'test/unit/layers.test.ts',
  'test/unit/readme.test.ts',
  'test/unit/test-names.test.ts',
];

/**
 * Tests that hand the document to third-party command-line tools (Redocly CLI, openapi-typescript)
 * in processes of their own: seconds a run, for each of the OpenAPI generator's several hundred
 * mutants. test/unit/openapi.test.ts holds what the document says; these hold that tools read it.
 */
export const EXTERNAL_TOOLS = ['test/unit/openapi-tools.test.ts'];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: MUTATION_TESTS,
    exclude: [...(base.test?.exclude ?? []), ...SOURCE_SCANS, ...EXTERNAL_TOOLS],
  },
});

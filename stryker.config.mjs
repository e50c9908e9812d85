// @ts-check
/**
 * Mutation testing of the domain rules and the HTTP layer: `npm run mutation` (README, Testing).
 * StrykerJS 9.6 (10 needs Node.js 22) with its vitest runner; not part of `npm test`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  // The unit tests and the integration tests that reach these folders (vitest.mutation.config.ts).
  // `related`: a static mutant (in a module-level table, evaluated at import) runs the test
  // files that import its file, not the whole config (that would take hours on two cores).
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  mutate: ['shared/domain/**/*.ts', 'shared/http/**/*.ts'],
  // Each mutant runs only the tests that executed it in the dry run.
  coverageAnalysis: 'perTest',
  // TypeScript 7 (the native compiler) has no JavaScript API: no type checker plugin. Mutants
  // that would not compile run anyway (Stryker marks each mutated file @ts-nocheck) and are
  // killed or survive on what the tests see.
  checkers: [],
  // Stryker's sandbox would rewrite tsconfig.json's paths with the TypeScript API, which 7 lacks;
  // ours has no `extends` or `references` to rewrite, so point it at a file that does not exist.
  tsconfigFile: 'tsconfig.none.json',
  // Two cores, shared: one vitest at a time is the most the machine gives without timeouts.
  concurrency: 1,
  // Only mutants whose code or covering tests changed since the committed result run again.
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['.data', 'cdk.out', '.bench', 'reports', 'coverage', '.stryker-tmp'],
  thresholds: { high: 95, low: 90, break: null },
  cleanTempDir: 'always',
};

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The end-to-end tests are found by name: every file in test/e2e is `<context>-<kind>.test.ts`,
 * the context a bounded context (a folder of functions/, one Lambda each) and the kind one of
 * KINDS, each explained in the README's Testing section. Shared setup lives in test/support.
 */
const KINDS = ['flow', 'authorization', 'bad-input', 'races', 'logs'] as const;
const root = new URL('../../', import.meta.url);
const contexts = readdirSync(new URL('functions/', root), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const e2eFiles = readdirSync(new URL('test/e2e/', root));
const pattern = new RegExp(`^(${contexts.join('|')})-(${KINDS.join('|')})\\.test\\.ts$`);

describe('test/e2e file names', () => {
  it('are <context>-<kind>.test.ts, with a known context and kind', () => {
    expect(contexts).toContain('members');
    expect(e2eFiles.length).toBeGreaterThan(20);
    expect(e2eFiles.filter((f) => !pattern.test(f))).toEqual([]);
  });

  it('refuses the names the convention replaced', () => {
    for (const old of ['teams-guards.test.ts', 'races.test.ts', 'theme-day.test.ts', 'client.ts', 'members-flow.ts'])
      expect(pattern.test(old), old).toBe(false);
  });

  it('every kind is explained in the README', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const testing = readme.slice(
      readme.indexOf('\n## Testing'),
      readme.indexOf('\n## ', readme.indexOf('\n## Testing') + 1),
    );
    for (const kind of KINDS) expect(testing, kind).toContain(`\`-${kind}\``);
  });
});

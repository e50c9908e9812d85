import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Arrows point down: handlers -> services -> domain and db (and views, which render domain
 * values). Domain is pure rules: it imports only itself and Node's builtins, never the database,
 * HTTP, the SDK or a view. Views import only the domain. Services hold no SDK types (shared/db
 * builds every DynamoDB item) and no HTTP. The database layer serves services, never calls them.
 * Type-only imports count: they are arrows too.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The modules a source imports or re-exports from (type-only and side-effect imports too). */
function importsIn(text: string): string[] {
  return [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm),
  ].map((m) => (m[1] ?? m[2])!);
}

function importsOf(dir: string): { file: string; from: string }[] {
  return readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      importsIn(readFileSync(path.join(ROOT, dir, f), 'utf8')).map((from) => ({ file: `${dir}/${f}`, from })),
    );
}

const offending = (dir: string, allowed: (from: string) => boolean) =>
  importsOf(dir)
    .filter((i) => !allowed(i.from))
    .map((i) => `${i.file} imports ${i.from}`);

describe('layers', () => {
  it('finds the imports it judges', () => {
    expect(importsOf('shared/domain').length).toBeGreaterThan(20);
    expect(importsOf('shared/services').length).toBeGreaterThan(50);
  });

  it('domain imports only the domain and Node builtins', () => {
    expect(offending('shared/domain', (f) => f.startsWith('./') || f.startsWith('node:'))).toEqual([]);
  });

  it('views import only the domain and other views', () => {
    expect(offending('shared/views', (f) => f.startsWith('./') || f.startsWith('../domain/'))).toEqual([]);
  });

  it('services use no SDK and no HTTP: shared/db builds the items, handlers speak HTTP', () => {
    expect(offending('shared/services', (f) => !/^@aws-sdk\/|^@smithy\/|^@middy\/|^\.\.\/http\//.test(f))).toEqual([]);
  });

  it('the database layer calls no service, view or HTTP code', () => {
    expect(offending('shared/db', (f) => !/^\.\.\/(services|views|http|events|contract)\//.test(f))).toEqual([]);
  });

  it('the metrics writer uses only the configuration (its metric table, the environment) and Node', () => {
    expect(
      offending('shared/metrics', (f) => f.startsWith('./') || f.startsWith('../config/') || f.startsWith('node:')),
    ).toEqual([]);
    expect(importsOf('shared/metrics').length).toBeGreaterThan(0);
  });

  it('reads every kind of import', () => {
    const text = [
      "import { db } from '../db/client.ts';",
      "import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';",
      'import {\n  a,\n  b,\n} from "../http/api.ts";',
      "import '../contract/common.ts';",
      "export { x } from './x.ts';",
      "const s = 'import nothing from here';",
    ].join('\n');
    expect(importsIn(text)).toEqual([
      '../db/client.ts',
      '@aws-sdk/lib-dynamodb',
      '../http/api.ts',
      '../contract/common.ts',
      './x.ts',
    ]);
  });
});

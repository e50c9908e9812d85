import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// vitest's own parser (oxc, through vite): an ESTree of TypeScript, so the scan reads literals, not text.
import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';
import { TABLE } from '../../shared/config/table.ts';
import { KEY_CATALOG } from '../../shared/db/key-catalog.ts';

/**
 * The key catalog (shared/db/key-catalog.ts) against the code and the README:
 *   (a) every key the builders of shared/db/keys.ts spell, with the index it is queried on, is a
 *       catalog line, every catalog line is spelled there, and each is a row of the README's
 *       access-pattern table on the same index;
 *   (b) no key is built anywhere else in shared/ or functions/: a scan of every string and
 *       template literal for key shapes (a `FOO#` prefix, a catalog constant such as
 *       'PENDING_CHECKINS', and in shared/db a sort key joined with `#`), shown to catch them.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KEYS = 'shared/db/keys.ts';
const CATALOG = 'shared/db/key-catalog.ts';

type Node = { type: string; [k: string]: unknown };

function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  if (typeof n.type === 'string') visit(n);
  for (const [k, v] of Object.entries(n)) if (k !== 'parent') walk(v, visit);
}

function parse(file: string, source: string): Node {
  const out = parseSync(file, source, { lang: 'ts' });
  if (out.errors.length > 0) throw new Error(`${file}: ${out.errors[0]!.message}`);
  return out.program as unknown as Node;
}

/** A literal's text: a template's values as `<>`; anything else `*` (not spelled here). */
function patterns(n: Node | undefined): string[] {
  if (!n) return ['*'];
  if (n.type === 'Literal' && typeof n.value === 'string') return [n.value];
  if (n.type === 'TemplateLiteral')
    return [(n.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked).join('<>')];
  if (n.type === 'ConditionalExpression') return [...patterns(n.consequent as Node), ...patterns(n.alternate as Node)];
  return ['*'];
}

/** Every string and template literal of a source, outside imports. */
function literalsOf(file: string, source: string): string[] {
  const out: string[] = [];
  const skip = new Set<unknown>();
  walk(parse(file, source), (n) => {
    if (n.type === 'ImportDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ExportAllDeclaration')
      skip.add(n.source);
    if (skip.has(n)) return;
    if ((n.type === 'Literal' && typeof n.value === 'string') || n.type === 'TemplateLiteral')
      out.push(patterns(n)[0]!);
  });
  return out;
}

/** `<anything>` as `<>`. */
const normal = (p: string) => p.replace(/<[^>]*>/g, '<>');
const hasWord = (p: string) => /[A-Z]{2,}/.test(p.replace(/<[^>]*>/g, ''));

/** The constant keys of the catalog ('PROFILE', 'PENDING_CHECKINS'...): a literal equal to one is a key. */
const CONSTANTS = new Set(KEY_CATALOG.flatMap((e) => [e.pk, e.sk]).filter((p) => !p.includes('<') && !p.includes('#')));
const PREFIX = /(?:^|[^A-Za-z0-9_])[A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)*#/;

/** The key-shaped literals of a file, which only the builders may spell. */
function keysBuiltIn(file: string, source: string): string[] {
  return literalsOf(file, source).filter(
    (t) =>
      PREFIX.test(t) || CONSTANTS.has(t) || (file.startsWith('shared/db/') && (t.includes('<>#') || t.includes('#<>'))),
  );
}

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(`${dir}/${d.name}`) : d.name.endsWith('.ts') ? [`${dir}/${d.name}`] : [],
  );
}
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** What shared/db/keys.ts spells: the query objects (partition, index) and the item keys (pk, sk). */
function builders() {
  const queries: { partition: string; index: string; beginsWith: string[] }[] = [];
  const keys: { pk: string; sk: string }[] = [];
  walk(parse(KEYS, read(KEYS)), (n) => {
    if (n.type !== 'ObjectExpression') return;
    const props = new Map<string, Node>();
    for (const p of n.properties as Node[])
      if (p.type === 'Property' && (p.key as Node).type === 'Identifier')
        props.set((p.key as { name: string }).name, p.value as Node);
    if (props.has('partition')) {
      const index = props.get('index');
      for (const partition of patterns(props.get('partition')))
        queries.push({
          partition,
          index: index ? patterns(index)[0]! : 'table',
          beginsWith: props.has('beginsWith') ? patterns(props.get('beginsWith')) : [],
        });
    }
    if (props.has('pk') && props.has('sk'))
      for (const pk of patterns(props.get('pk'))) for (const sk of patterns(props.get('sk'))) keys.push({ pk, sk });
  });
  return { queries, keys };
}

const onTable = (on: string) => on === 'table' || on === 'city table';
const same = (code: string, catalog: string) => code === '*' || normal(code) === normal(catalog);

describe('the key catalog', () => {
  const { queries, keys } = builders();

  it('names only the table, its indexes and the city table', () => {
    const places = new Set(['table', 'city table', ...TABLE.indexes.map((i) => i.name)]);
    for (const e of KEY_CATALOG) expect(places.has(e.on), `${e.pk} on ${e.on}`).toBe(true);
    expect(new Set(KEY_CATALOG.map((e) => `${e.pk} / ${e.sk} @ ${e.on}`)).size).toBe(KEY_CATALOG.length);
    // The builders write an index's keys as `<index>pk` / `<index>sk` (keys.ts `on`, table.ts `decidePending`).
    for (const i of TABLE.indexes) expect([i.partitionKey, i.sortKey]).toEqual([`${i.name}pk`, `${i.name}sk`]);
  });

  it('lists every partition the builders query, on its index', () => {
    expect(queries.length).toBeGreaterThan(30);
    for (const q of queries) {
      const found = KEY_CATALOG.some((e) =>
        q.index === 'table'
          ? onTable(e.on) &&
            same(q.partition, e.pk) &&
            (q.beginsWith.length === 0 || q.beginsWith.some((b) => normal(e.sk).startsWith(normal(b))))
          : e.on === q.index && same(q.partition, e.pk),
      );
      expect(
        found,
        `${q.partition} (begins with ${q.beginsWith.join(' or ') || '-'}) on ${q.index}: add it to ${CATALOG}`,
      ).toBe(true);
    }
  });

  it('lists every item key the builders make', () => {
    expect(keys.length).toBeGreaterThan(25);
    for (const k of keys)
      expect(
        KEY_CATALOG.some((e) => onTable(e.on) && same(k.pk, e.pk) && same(k.sk, e.sk)),
        `${k.pk} / ${k.sk}: add it to ${CATALOG}`,
      ).toBe(true);
  });

  it('lists every key literal the builders spell (as a key or a prefix of one)', () => {
    const patterns = KEY_CATALOG.flatMap((e) => [e.pk, e.sk]).map(normal);
    const spelled = keysBuiltIn(KEYS, read(KEYS)).map(normal);
    expect(spelled.length).toBeGreaterThan(50);
    for (const t of spelled)
      expect(
        patterns.some((p) => p.startsWith(t)),
        `${t}: add it to ${CATALOG}`,
      ).toBe(true);
  });

  it('lists nothing the builders do not make', () => {
    const literals = new Set(literalsOf(KEYS, read(KEYS)).map(normal));
    for (const e of KEY_CATALOG) {
      const queried = queries.some(
        (q) =>
          (onTable(e.on) ? q.index === 'table' : q.index === e.on) && q.partition !== '*' && same(q.partition, e.pk),
      );
      const spelled = [e.pk, e.sk].filter(hasWord).every((p) => literals.has(normal(p)));
      expect(queried || spelled, `${e.pk} / ${e.sk} on ${e.on}: no builder in ${KEYS} makes it`).toBe(true);
    }
  });

  it("matches the README's access-pattern table, row by row and word by word", () => {
    const readme = read('README.md');
    const start = readme.indexOf('### Access patterns');
    const table = readme.slice(start, readme.indexOf('\n\n', readme.indexOf('| pattern |', start) + 1));
    const rows = [...table.matchAll(/^\| (.+?) \| (.+) \| ([^|]+) \|$/gm)]
      .filter((m) => m[1] !== 'pattern')
      .map((m) => ({ text: m[2]!, index: m[3]!.trim() }));
    expect(rows.length).toBeGreaterThan(40);
    // A catalog value `<x>` matches the README's `<y>` or a value spelled out (`WISHES#escalated`).
    const regex = (p: string) =>
      new RegExp(
        `(?<![A-Z_-])${p
          .split(/<[^>]*>/)
          .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('(?:<[^>]*>|[a-z0-9-]+)')}(?![A-Z_])`,
      );
    const wordsOf = (p: string) => p.replace(/<[^>]*>/g, ' ').match(/[A-Z][A-Z_-]*[A-Z]/g) ?? [];
    for (const e of KEY_CATALOG) {
      const row = rows.find(
        (r) => r.index === e.on && regex(e.pk).test(r.text) && wordsOf(e.sk).every((w) => regex(w).test(r.text)),
      );
      expect(row, `${e.pk} / ${e.sk} on ${e.on}: no row of the README's access-pattern table names it`).toBeDefined();
    }
    const catalogWords = new Set(KEY_CATALOG.flatMap((e) => [...wordsOf(e.pk), ...wordsOf(e.sk)]));
    for (const r of rows)
      for (const [, code] of r.text.matchAll(/`([^`]+)`/g))
        for (const w of wordsOf(code!))
          expect(catalogWords.has(w), `README names ${w} (${code}): not in the catalog`).toBe(true);
  });
});

describe('keys are built only by shared/db/keys.ts', () => {
  it('the scan finds key-shaped literals, and only those', () => {
    const bad = [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text for the scan, not a template
      "const k = { pk: `RECORD#${id}`, sk: 'RECORD' };",
      "const q = { index: 'gsi1', partition: 'PENDING_CHECKINS' };",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text for the scan, not a template
      'const s = `${a.startsAt}#${a.activityId}`;',
      "const f = 'STATS-FROZEN#' + month;",
    ].join('\n');
    expect(keysBuiltIn('shared/db/fixture.ts', bad)).toEqual([
      'RECORD#<>',
      'RECORD',
      'PENDING_CHECKINS',
      '<>#<>',
      'STATS-FROZEN#',
    ]);
    // outside shared/db, `#` between values is a map key (`<scope>#<id>`), not a table key
    expect(keysBuiltIn('shared/services/fixture.ts', bad)).toEqual([
      'RECORD#<>',
      'RECORD',
      'PENDING_CHECKINS',
      'STATS-FROZEN#',
    ]);
    const fine = [
      "throw new DomainError('NOT_FOUND', 'no such team');",
      "const u = { UpdateExpression: 'SET #status = :status', ExpressionAttributeNames: { '#status': 'status' } };",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text for the scan, not a template
      'names[`#c${i}`] = name; values[`:c${i}`] = by;',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text for the scan, not a template
      "const key = `${k.pk}|${k.sk}`; const type = 'WishPosted';",
    ].join('\n');
    expect(keysBuiltIn('shared/db/fixture.ts', fine)).toEqual([]);
  });

  it('finds none in shared/ and functions/ outside the builders and the catalog', () => {
    const files = [...sources('shared'), ...sources('functions')].filter((f) => f !== KEYS && f !== CATALOG);
    expect(files.length).toBeGreaterThan(80);
    const found = files.flatMap((f) => keysBuiltIn(f, read(f)).map((k) => `${f}: ${k}`));
    expect(found, 'build these keys with a builder of shared/db/keys.ts').toEqual([]);
  });
});

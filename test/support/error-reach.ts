import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// vitest's own parser (oxc, through vite): an ESTree of TypeScript.
import { parseSync } from 'vite';

/**
 * A static reading of which error codes each route's implementation can throw: from the
 * implementation given to `route(c.<contract>, impl)` in functions/<name>/index.ts, every
 * function, class and constant it refers to (through the imports of shared/), transitively, and
 * every `new DomainError('<CODE>', ...)` (or `super('<CODE>')` in a subclass) in them.
 *
 * It over-approximates on purpose: a reference counts as a call, a helper's every code counts for
 * every caller. A code built at run time (not a literal) is reported, never guessed.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Node = { type: string; [k: string]: unknown };

function walk(node: unknown, visit: (n: Node, parent: Node | undefined) => void, parent?: Node): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit, parent);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  if (typeof n.type === 'string') visit(n, parent);
  for (const [k, v] of Object.entries(n)) if (k !== 'parent') walk(v, visit, typeof n.type === 'string' ? n : parent);
}

function parse(file: string): Node {
  const out = parseSync(file, readFileSync(file, 'utf8'), { lang: 'ts' });
  if (out.errors.length > 0) throw new Error(`${file}: ${out.errors[0]!.message}`);
  return out.program as unknown as Node;
}

type Binding = { file: string; name: string } | { file: string; namespace: true };

interface Module {
  readonly file: string;
  /** Top-level functions, classes and constants, by name. */
  readonly units: Map<string, Node>;
  readonly imports: Map<string, Binding>;
}

const modules = new Map<string, Module>();

function load(file: string): Module {
  let m = modules.get(file);
  if (m) return m;
  const program = parse(file);
  m = { file, units: new Map(), imports: new Map() };
  modules.set(file, m);
  for (const stmt of program.body as Node[]) {
    const decl = (stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt) as Node | null;
    if (stmt.type === 'ImportDeclaration') {
      const source = (stmt.source as { value: string }).value;
      if (!source.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), source);
      for (const s of stmt.specifiers as Node[]) {
        const local = (s.local as { name: string }).name;
        if (s.type === 'ImportNamespaceSpecifier') m.imports.set(local, { file: target, namespace: true });
        else if (s.type === 'ImportSpecifier')
          m.imports.set(local, { file: target, name: (s.imported as { name: string }).name });
      }
      continue;
    }
    if (!decl) continue;
    if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id)
      m.units.set((decl.id as { name: string }).name, decl);
    if (decl.type === 'VariableDeclaration')
      for (const d of decl.declarations as Node[])
        if ((d.id as Node).type === 'Identifier' && d.init)
          m.units.set((d.id as { name: string }).name, d.init as Node);
  }
  return m;
}

export interface Reach {
  readonly codes: Set<string>;
  /** `file:line`-ish descriptions of DomainErrors whose code is not a literal. */
  readonly dynamic: string[];
}

const unitReach = new Map<string, Reach>();

/** What a node refers to: units of its own module, imported bindings, namespace members. */
function references(m: Module, node: Node): { file: string; name: string }[] {
  const out: { file: string; name: string }[] = [];
  walk(node, (n, parent) => {
    if (n.type === 'MemberExpression' && !n.computed && (n.object as Node).type === 'Identifier') {
      const b = m.imports.get((n.object as { name: string }).name);
      if (b && 'namespace' in b) out.push({ file: b.file, name: (n.property as { name: string }).name });
      return;
    }
    if (n.type !== 'Identifier') return;
    // A property name (`a.b`, `{ b: 1 }`) is not a reference.
    if (parent?.type === 'MemberExpression' && parent.property === n && !parent.computed) return;
    if (parent?.type === 'Property' && parent.key === n && !parent.computed && !parent.shorthand) return;
    const name = n.name as string;
    if (m.units.has(name)) out.push({ file: m.file, name });
    const b = m.imports.get(name);
    if (b && !('namespace' in b)) out.push({ file: b.file, name: b.name });
  });
  return out;
}

/** The codes a node constructs itself. */
function ownCodes(m: Module, node: Node, into: Reach): void {
  const extendsDomainError =
    node.type === 'ClassDeclaration' && (node.superClass as Node | null)?.type === 'Identifier'
      ? (node.superClass as { name: string }).name === 'DomainError'
      : false;
  walk(node, (n) => {
    const isNew =
      n.type === 'NewExpression' &&
      (n.callee as Node).type === 'Identifier' &&
      (n.callee as { name: string }).name === 'DomainError';
    const isSuper = extendsDomainError && n.type === 'CallExpression' && (n.callee as Node).type === 'Super';
    if (!isNew && !isSuper) return;
    const first = (n.arguments as Node[])[0];
    if (first?.type === 'Literal' && typeof first.value === 'string') into.codes.add(first.value);
    else into.dynamic.push(`${path.relative(ROOT, m.file)} at ${String(n.start)}`);
  });
}

function reachOfUnit(file: string, name: string, stack: Set<string>): Reach {
  const key = `${file}#${name}`;
  const done = unitReach.get(key);
  if (done) return done;
  const reach: Reach = { codes: new Set(), dynamic: [] };
  if (stack.has(key)) return reach; // a cycle: its codes are collected where it started
  const m = load(file);
  const node = m.units.get(name);
  if (!node) return reach; // a type, or something that holds no code
  stack.add(key);
  ownCodes(m, node, reach);
  for (const r of references(m, node)) {
    const sub = reachOfUnit(r.file, r.name, stack);
    for (const c of sub.codes) reach.codes.add(c);
    reach.dynamic.push(...sub.dynamic);
  }
  stack.delete(key);
  if (stack.size === 0) unitReach.set(key, reach);
  return reach;
}

function reachOf(m: Module, node: Node): Reach {
  const reach: Reach = { codes: new Set(), dynamic: [] };
  ownCodes(m, node, reach);
  for (const r of references(m, node)) {
    const sub = reachOfUnit(r.file, r.name, new Set());
    for (const c of sub.codes) reach.codes.add(c);
    reach.dynamic.push(...sub.dynamic);
  }
  return reach;
}

export interface RouteReach extends Reach {
  /** The function (folder of functions/) serving it. */
  readonly fn: string;
  /** The contract's export name. */
  readonly contract: string;
}

/** Every `route(c.<contract>, impl)` of every function, with what its implementation can throw. */
export function routeReaches(): RouteReach[] {
  const out: RouteReach[] = [];
  for (const fn of readdirSync(path.join(ROOT, 'functions'))) {
    const file = path.join(ROOT, 'functions', fn, 'index.ts');
    let m: Module;
    try {
      m = load(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    walk(parse(file), (n) => {
      if (n.type !== 'CallExpression' || (n.callee as Node).type !== 'Identifier') return;
      if ((n.callee as { name: string }).name !== 'route') return;
      const [contract, impl] = n.arguments as Node[];
      if (contract?.type !== 'MemberExpression' || !impl) return;
      out.push({ fn, contract: (contract.property as { name: string }).name, ...reachOf(m, impl) });
    });
  }
  return out;
}

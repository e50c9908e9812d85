import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- mutation`: the mutation score of shared/domain and shared/http per folder and
 * per file, from the report the last `npm run mutation` wrote (reports/mutation/mutation.json;
 * running Stryker itself takes minutes to an hour, so the bench reads its result), and every
 * mutant left alive, for the README's list. Score = (killed + timed out) / every mutant that ran
 * or had no test (Stryker's "total" score: a mutant no test reaches counts against it).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REPORT = path.join(ROOT, 'reports', 'mutation', 'mutation.json');

interface Mutant {
  readonly status: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}
interface Report {
  readonly files: Record<string, { readonly mutants: readonly Mutant[] }>;
}
interface Row {
  readonly name: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
const score = (r: Row) => (100 * (r.killed + r.timeout)) / (r.killed + r.timeout + r.survived + r.noCoverage);

function add(row: Row, m: Mutant): void {
  if (m.status === 'Killed') row.killed++;
  else if (m.status === 'Timeout') row.timeout++;
  else if (m.status === 'Survived') row.survived++;
  else if (m.status === 'NoCoverage') row.noCoverage++;
}

export function mutationTable(): { table: string; survivors: string[]; ok: boolean } {
  if (!fs.existsSync(REPORT)) throw new Error(`no ${path.relative(ROOT, REPORT)}: run npm run mutation first`);
  const report = JSON.parse(fs.readFileSync(REPORT, 'utf8')) as Report;
  const ranOn = fs.statSync(REPORT).mtime.toISOString().slice(0, 10);
  const folders = new Map<string, { total: Row; files: Row[] }>();
  const survivors: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const rel = path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join('/');
    const folder = path.posix.dirname(rel);
    const entry = folders.get(folder) ?? {
      total: { name: folder, killed: 0, timeout: 0, survived: 0, noCoverage: 0 },
      files: [],
    };
    folders.set(folder, entry);
    const row: Row = { name: path.posix.basename(rel), killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
    for (const m of mutants) {
      if (!COUNTED.has(m.status)) continue;
      add(row, m);
      add(entry.total, m);
      if (!DETECTED.has(m.status))
        survivors.push(
          `${rel}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName} ${JSON.stringify(m.replacement ?? '')}`,
        );
    }
    entry.files.push(row);
  }
  const lines = [
    `### Mutation score (StrykerJS, \`npm run mutation\`, run of ${ranOn})`,
    '',
    '| folder / file | mutants | killed | timed out | survived | no test | score |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const fmt = (r: Row, bold: boolean) => {
    const total = r.killed + r.timeout + r.survived + r.noCoverage;
    const s = total === 0 ? '-' : `${score(r).toFixed(1)} %`;
    const name = bold ? `**${r.name}**` : r.name;
    return `| ${name} | ${total} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${bold ? `**${s}**` : s} |`;
  };
  let ok = true;
  for (const { total, files } of folders.values()) {
    lines.push(fmt(total, true));
    for (const f of files) lines.push(fmt(f, false));
    ok &&= score(total) >= 90;
  }
  return { table: lines.join('\n'), survivors, ok };
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/config/routes.ts';
import { SCHEDULES } from '../../shared/config/schedules.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { CITY_SCHEDULES } from '../../shared/config/city-schedules.ts';
import { ALARMS } from '../../infra/alarms.ts';
import { routeKey } from '../../shared/config/routes.ts';
import { LEAST } from '../bench/routes.ts';
import { CITY_CONTRACTS_BY_NAME, DISTRICT_CONTRACTS } from '../../shared/contract/index.ts';

/** The README stays true: its route list and job table name every route and job, and no others. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = (title: string) => {
  const start = readme.indexOf(`\n## ${title}`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
};

describe('README', () => {
  const rowsOf = (text: string) =>
    [...text.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| (\S+) \|/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
  // The Routes section: the district table, then `### City routes`, then `### Changelog`.
  const [district = '', rest = ''] = section('Routes').split('\n### City routes');
  const city = rest.split('\n### ')[0] ?? '';
  it('lists every district route, and only those', () => {
    expect(rowsOf(district)).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
  it('lists every city route, and only those', () => {
    expect(rowsOf(city)).toEqual(CITY_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
  it("lists every scheduled job, the districts' and the city's", () => {
    const rows = [...section('Scheduled jobs').matchAll(/^\| `([a-z-]+)`(?: \(the city's\))? \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...SCHEDULES, ...CITY_SCHEDULES].map((s) => s.name).sort());
  });
  it('has a runbook entry for every kind of alarm, and for no other', () => {
    const runbook = section('Operations').split('\n### Runbook: alarms')[1]?.split('\n### ')[0] ?? '';
    const entries = [...runbook.matchAll(/^#### ([a-z0-9-]+)$/gm)].map((m) => m[1]);
    expect(entries.sort()).toEqual(Object.keys(ALARMS).sort());
    for (const kind of Object.keys(ALARMS)) {
      const entry = runbook.split(`#### ${kind}\n`)[1]?.split('\n#### ')[0] ?? '';
      expect(entry, kind).toMatch(/\*\*What it means\.\*\*/);
      expect(entry, kind).toMatch(/\*\*What to do\.\*\*/);
    }
  });
  it('holds the cost model tables', () => {
    const cost = section('Cost model');
    for (const title of [
      '### Cost per million requests, by request',
      '### Cost per million requests of the typical mix',
      '### Monthly cost of a district',
    ])
      expect(cost).toContain(title);
  });
  it('gives every route its measured cost and the least the design allows (npm run bench -- routes)', () => {
    const all = [...ROUTES, ...CITY_ROUTES].map(routeKey).sort();
    expect(Object.keys(LEAST).sort()).toEqual(all);
    const bench = section('Benchmarks');
    const table = bench.slice(
      bench.indexOf('### Every route'),
      bench.indexOf('\n### ', bench.indexOf('### Every route') + 1),
    );
    const rows = [...table.matchAll(/^\| ((?:GET|POST|PUT|PATCH|DELETE) \S+) \| \d+ \| ([\d.]+) \| (\d+) \|/gm)];
    expect(rows.map((m) => m[1]).sort()).toEqual(all);
    for (const [, route, measured, least] of rows) {
      expect(Number(least), route).toBe(LEAST[route!]!.n);
      expect(Number(measured), route).toBeGreaterThanOrEqual(Number(least));
    }
  });

  it("gives query strings its curl examples' routes accept (the /stats/monthly example lacked its month: a 400)", () => {
    const all = [...ROUTES, ...CITY_ROUTES];
    const examples = [...readme.matchAll(/curl -s "http:\/\/127\.0\.0\.1:3000(\/[^"?]*)\?([^"]*)"/g)];
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const failures: string[] = [];
    for (const [, path, query] of examples) {
      const contract = Object.values({ ...DISTRICT_CONTRACTS, ...CITY_CONTRACTS_BY_NAME }).find(
        (c) => c.method === 'GET' && c.path === path,
      );
      expect(contract, `${path}: no GET route`).toBeDefined();
      expect(all.some((r) => r.method === 'GET' && r.path === path)).toBe(true);
      const q = contract!.query?.safeParse(Object.fromEntries(new URLSearchParams(query)));
      if (q && !q.success) failures.push(`${path}?${query}: ${q.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('keeps the quick start to install, start and test', () => {
    const quick = section('Quick start');
    expect(quick).toContain('npm install');
    expect(quick).toContain('npm start');
    expect(quick).toContain('npm test');
  });
});

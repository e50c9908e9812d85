import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/config/routes.ts';
import { SCHEDULES } from '../../shared/config/schedules.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';

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
  it('lists every scheduled job', () => {
    const rows = [...section('Scheduled jobs').matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(SCHEDULES.map((s) => s.name).sort());
  });
  it('keeps the quick start to install, start and test', () => {
    const quick = section('Quick start');
    expect(quick).toContain('npm install');
    expect(quick).toContain('npm start');
    expect(quick).toContain('npm test');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/config/routes.ts';
import { SCHEDULES } from '../../shared/config/schedules.ts';

/** The README stays true: its route list and job table name every route and job, and no others. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = (title: string) => {
  const start = readme.indexOf(`\n## ${title}`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
};

describe('README', () => {
  it('lists every route, and only those', () => {
    const rows = [...section('Routes').matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| (\S+) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(rows.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
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

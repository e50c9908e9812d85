import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditPut } from '../../shared/db/identity.ts';
import { auditEntryPut } from '../../shared/db/nominations.ts';

/**
 * The role audit is append-only: no route or code path updates or deletes an entry. Three
 * holds: (1) the only code that names the audit's keys is the key builders, the repository's one
 * writer (a Put under attribute_not_exists) and the city-admin command (the same Put); (2) that
 * writer refuses to replace an entry; (3) IAM denies UpdateItem, DeleteItem and BatchWriteItem
 * under the audit's partitions to every function (test/infra/identity.test.ts).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AUDIT_BUILDERS =
  /\b(auditKey|auditKeys|cityAuditKey|userAuditQuery|districtAuditQuery|streetAuditQuery|communityAuditQuery|auditPut)\b/;

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((f) => {
    const rel = path.join(dir, f);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return f === 'node_modules' ? [] : sources(rel);
    return f.endsWith('.ts') ? [rel] : [];
  });
}

describe('the role audit is append-only', () => {
  it('is named only by its key builders, its one writer, its reader and the city-admin command', () => {
    const naming = ['shared', 'functions', 'infra']
      .flatMap(sources)
      .filter((f) => AUDIT_BUILDERS.test(readFileSync(path.join(ROOT, f), 'utf8')))
      .sort();
    expect(naming).toEqual([
      'infra/city-admin.ts',
      'shared/db/check-ins.ts',
      'shared/db/identity.ts',
      'shared/db/keys.ts',
      'shared/db/teams.ts',
    ]);
    // Those that write an entry do it through auditPut (or, for the city, a conditional put-item).
    for (const f of ['shared/db/check-ins.ts', 'shared/db/teams.ts'])
      expect(readFileSync(path.join(ROOT, f), 'utf8'), f).not.toMatch(/audit[A-Za-z]*Key/);
    const repo = readFileSync(path.join(ROOT, 'shared/db/identity.ts'), 'utf8');
    expect(repo).not.toMatch(/\b(Update|Delete|BatchWrite)[A-Za-z]*\b/);
    const cityAdmin = readFileSync(path.join(ROOT, 'infra/city-admin.ts'), 'utf8');
    expect(cityAdmin).toMatch(/'--condition-expression',\s*'attribute_not_exists\(pk\)'/);
    expect(cityAdmin).not.toMatch(/update-item|delete-item|batch-write/);
  });

  it('its writer only ever creates an entry', () => {
    process.env.TABLE_NAME ??= 'unused';
    const put = auditPut({
      auditId: 'ra_1',
      at: '2026-05-01T00:00:00.000Z',
      actor: 'a',
      target: 'u',
      action: 'grant',
      role: 'street_admin',
      scope: { district: 'jinjiang', streetId: 'S1' },
      reason: 'x',
      source: 'admin',
    });
    expect(Object.keys(put)).toEqual(['Put']);
    expect(put.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put.Put!.Item).toMatchObject({ pk: 'ROLE_AUDIT#u', gsi1pk: 'ROLE_AUDIT', gsi2pk: 'ROLE_AUDIT#STREET#S1' });
    expect(put.Put!.Item).not.toHaveProperty('expiresAt');
  });
});

/**
 * The nominations' audit is append-only too: its entries are named only by their key builder and
 * the repository's one writer (auditEntryPut, a Put under attribute_not_exists), and that module
 * never updates or deletes an audit entry (its Updates name the nomination and the pool entry by
 * their own keys). The flow test (test/e2e/nominations-flow.test.ts) holds every entry byte for
 * byte after each step of every route.
 */
describe("the nominations' audit is append-only", () => {
  const NOMINATION_AUDIT = /\b(nominationAuditKey|nominationAuditQuery|auditEntryPut)\b/;
  it('is named only by its key builders and its one writer', () => {
    const naming = ['shared', 'functions', 'infra']
      .flatMap(sources)
      .filter((f) => NOMINATION_AUDIT.test(readFileSync(path.join(ROOT, f), 'utf8')))
      .sort();
    expect(naming).toEqual(['shared/db/keys.ts', 'shared/db/nominations.ts']);
    const repo = readFileSync(path.join(ROOT, 'shared/db/nominations.ts'), 'utf8');
    // Every Update of the module is keyed by the nomination or the pool entry, none by an audit key.
    const updateKeys = [...repo.matchAll(/Update: \{\s*TableName: tableName\(\),\s*Key: ([a-zA-Z]+)\(/g)].map(
      (m) => m[1],
    );
    expect(updateKeys.sort()).toEqual(['cadreKey', 'nominationKey', 'nominationKey']);
    expect(repo).not.toMatch(/\b(Delete|BatchWrite)[A-Za-z]*\b/);
  });

  it('its writer only ever creates an entry', () => {
    process.env.TABLE_NAME ??= 'unused';
    const put = auditEntryPut({
      auditId: 'na_1',
      nominationId: 'nm_1',
      at: '2026-12-07T02:00:00.000Z',
      action: 'nominated',
      actor: 'm-1',
    });
    expect(Object.keys(put)).toEqual(['Put']);
    expect(put.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put.Put!.Item).toMatchObject({ pk: 'NOMINATION#nm_1', sk: 'AUDIT#2026-12-07T02:00:00.000Z#na_1' });
  });
});

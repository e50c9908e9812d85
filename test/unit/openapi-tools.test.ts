import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { operations } from '../../shared/http/openapi.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import {
  generateClientTypes,
  redoclyLint,
  servedCityDocumentFile,
  servedDocumentFile,
} from '../support/openapi-tools.ts';

/**
 * Tools no one here wrote read the document without a complaint: Redocly CLI's recommended rules
 * (redocly.yaml: none off) find no error and no warning, and openapi-typescript makes the typed
 * client the e2e tests use (`npm run typecheck` makes it too, into test/support/generated/).
 */
describe('the OpenAPI document in third-party tools', () => {
  it('passes Redocly CLI’s recommended rules with no error and no warning', async () => {
    const result = await redoclyLint(servedDocumentFile());
    expect(result.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual(
      [],
    );
    expect(result.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  }, 60_000);

  it('the city API’s own document passes them too, and holds the city’s routes only', async () => {
    const file = servedCityDocumentFile();
    const result = await redoclyLint(file);
    expect(result.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual(
      [],
    );
    expect(result.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(CITY_ROUTES.map((r) => r.path))].sort());
    expect(doc.servers).toEqual([{ url: 'https://api.city.example', description: 'The city’s API' }]);
    expect(doc.info.title).toBe('Pioneer City API');
  }, 60_000);

  it('becomes TypeScript types with every operation by its operationId and the named schemas', async () => {
    const file = servedDocumentFile();
    const out = path.join(path.dirname(file), 'pioneer-api.ts');
    await generateClientTypes(file, out);
    const types = readFileSync(out, 'utf8');
    for (const op of operations()) expect(types, op.name).toContain(`    ${op.name}: {`);
    for (const name of ['Wish', 'Activity', 'Theme', 'Problem', 'GatewayError'])
      expect(types, name).toMatch(new RegExp(`\\n        ${name}: \\{`));
  }, 60_000);
});

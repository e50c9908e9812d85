import { afterAll, beforeAll, describe, it } from 'vitest';
import { startLocalCity } from '../../infra/local/city-bus.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { dynamoEndpoint, uniqueTableName } from '../support/table.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import { badInputFailures, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Bad input on the reference page and its scripts, and on the city's document: a 400
 * problem+json naming what is wrong (never a file outside the page's own, never a 5xx), nothing written.
 */
const e2e = useE2e({ routes: [...ROUTES, ...CITY_ROUTES] });
const { api } = e2e;
const long = (n: number) => 'x'.repeat(n);

// The city beside the district: its function serves the city's document.
beforeAll(async () => {
  await startLocalCity(dynamoEndpoint(), { tableName: uniqueTableName('city') });
});
afterAll(() => setPublisher(undefined));

describe('bad input on the API reference page', () => {
  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const cases: BadCase[] = [
      { name: 'unknown api', method: 'GET', path: '/docs?api=county' },
      { name: 'empty api', method: 'GET', path: '/docs?api=' },
      { name: 'api in capitals', method: 'GET', path: '/docs?api=CITY' },
      { name: 'two apis', method: 'GET', path: '/docs?api=city&api=district' },
      { name: 'unknown parameter', method: 'GET', path: '/docs?theme=dark' },
      { name: 'long api', method: 'GET', path: `/docs?api=${long(300)}` },
      { name: 'unknown asset', method: 'GET', path: '/docs/assets/evil.js' },
      { name: 'asset up a folder', method: 'GET', path: '/docs/assets/..%2Fpackage.json' },
      { name: 'asset as dots', method: 'GET', path: '/docs/assets/%2E%2E%2E' },
      { name: 'asset map', method: 'GET', path: '/docs/assets/redoc.standalone.js.map' },
      { name: 'asset in capitals', method: 'GET', path: '/docs/assets/DOCS.JS' },
      { name: 'asset with a query', method: 'GET', path: '/docs/assets/docs.js?v=1' },
      { name: 'city document with a query', method: 'GET', path: '/city/openapi.json?format=yaml' },
      { name: 'page with a token and junk', method: 'GET', path: '/docs?api=1', token: 'member' },
    ];
    const member = await mint.member('m-docs');
    await expectRefusedWritingNothing(() => badInputFailures(api, cases, { member }));
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../infra/local/dynamo.ts';
import { CITY_BUS_NAME, CITY_EVENT_SOURCE, CITY_TABLE, CITY_THEME_DETAIL_TYPE } from '../../shared/config/city.ts';
import { ROLLUP_DETAIL_TYPE, ROLLUP_EVENT_SOURCE } from '../../shared/domain/rollup.ts';
import { publisher, setPublisher } from '../../shared/events/publisher.ts';
import { bundle } from '../bench/bundles.ts';
import { dynamoEndpoint, uniqueTableName, useFreshTable } from '../support/table.ts';

/**
 * The publisher's Lambda path, against a stand-in EventBridge endpoint (AWS_ENDPOINT_URL_EVENTBRIDGE):
 * a signed PutEvents on the bus of EVENT_BUS_NAME with the right source; a failed entry is an
 * error; no bus in Lambda is an error. And the bundles as Lambda runs them: no generated EventBridge
 * client in them (it would take them over 300 KB), yet the bundled city and jobs functions publish
 * through the hand-signed PutEvents call (shared/events/put-events.ts).
 */
interface Seen {
  headers: http.IncomingHttpHeaders;
  body: { Entries: Array<{ Source: string; DetailType: string; Detail: string; EventBusName: string }> };
}
const seen: Seen[] = [];
let failNext = false;
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: JSON.parse(text) as Seen['body'] });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      const failed = failNext;
      failNext = false;
      res.end(
        JSON.stringify(
          failed
            ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: 'no' }] }
            : { FailedEntryCount: 0, Entries: [{ EventId: `e-${seen.length}` }] },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDLAMBDA';
  process.env.AWS_SECRET_ACCESS_KEY = 'lambda-secret';
  process.env.EVENT_BUS_NAME = CITY_BUS_NAME;
  setPublisher(undefined);
});
afterAll(async () => {
  delete process.env.EVENT_BUS_NAME;
  delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
  await new Promise((resolve) => server?.close(resolve));
});

describe('publisher in Lambda', () => {
  it('puts the event on the city bus, signed, with the rollup source', async () => {
    await publisher().publish(ROLLUP_DETAIL_TYPE, { district: 'jinjiang', month: '2026-01' });
    const req = seen.at(-1)!;
    expect(req.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    expect(req.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLAMBDA\/\d{8}\/[a-z0-9-]+\/events\/aws4_request/,
    );
    expect(req.body.Entries).toEqual([
      {
        EventBusName: CITY_BUS_NAME,
        Source: ROLLUP_EVENT_SOURCE,
        DetailType: ROLLUP_DETAIL_TYPE,
        Detail: JSON.stringify({ district: 'jinjiang', month: '2026-01' }),
      },
    ]);
    await publisher(CITY_EVENT_SOURCE).publish(CITY_THEME_DETAIL_TYPE, { month: '2026-02' });
    expect(seen.at(-1)!.body.Entries[0]).toMatchObject({
      Source: CITY_EVENT_SOURCE,
      DetailType: CITY_THEME_DETAIL_TYPE,
    });
  });

  it('fails when EventBridge refuses the entry (PutEvents answers 200 even then)', async () => {
    failNext = true;
    await expect(publisher().publish(ROLLUP_DETAIL_TYPE, {})).rejects.toThrow(
      /PutEvents failed for MonthlyRollupFrozen: AccessDeniedException/,
    );
  });

  it('fails in Lambda without a bus; drops with a warning outside Lambda without one', async () => {
    delete process.env.EVENT_BUS_NAME;
    try {
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'pioneer-jinjiang-jobs';
      expect(() => publisher()).toThrow(/EVENT_BUS_NAME/);
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      const count = seen.length;
      await publisher().publish(ROLLUP_DETAIL_TYPE, {});
      expect(seen.length).toBe(count);
    } finally {
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      process.env.EVENT_BUS_NAME = CITY_BUS_NAME;
    }
  });
});

describe('bundled functions that publish', () => {
  type Handler = (e: unknown, c: unknown) => Promise<{ statusCode?: number; body?: string } & Record<string, unknown>>;
  const context = { awsRequestId: 'bundle-test', functionName: 'bundle-test', getRemainingTimeInMillis: () => 10_000 };

  it('carry no EventBridge client, yet the city function sends the theme plan and the jobs function the rollup', async () => {
    await useFreshTable();
    const cityTable = uniqueTableName('city');
    await ensureTable(dynamoEndpoint(), cityTable, CITY_TABLE);
    process.env.CITY_TABLE_NAME = cityTable;
    // Own output folders: test/infra/bundles.test.ts may be building functions/jobs at the same time.
    const entry = (name: string) => fileURLToPath(new URL(`../../functions/${name}/index.ts`, import.meta.url));
    const files = {
      city: await bundle('publisher-test-city', entry('city')),
      jobs: await bundle('publisher-test-jobs', entry('jobs')),
    };
    for (const file of Object.values(files)) expect(readFileSync(file, 'utf8')).not.toContain('EventBridgeClient');

    const city = (await import(pathToFileURL(files.city).href)) as { handler: Handler };
    const claims = { sub: 'city-admin', 'cognito:groups': '[city_admin]' };
    const put = await city.handler(
      {
        version: '2.0',
        routeKey: 'PUT /city/themes/{month}',
        rawPath: '/city/themes/2026-03',
        rawQueryString: '',
        headers: { 'content-type': 'application/json' },
        pathParameters: { month: '2026-03' },
        requestContext: {
          requestId: 'r1',
          routeKey: 'PUT /city/themes/{month}',
          http: { method: 'PUT', path: '/city/themes/2026-03' },
          authorizer: { jwt: { claims, scopes: null } },
        },
        body: JSON.stringify({ title: '文明月', description: '全市文明实践', kickoffDate: '2026-03-05' }),
        isBase64Encoded: false,
      },
      context,
    );
    expect(put.statusCode, put.body).toBe(200);
    const themeEntry = seen.at(-1)!.body.Entries[0]!;
    expect(themeEntry).toMatchObject({
      EventBusName: CITY_BUS_NAME,
      Source: CITY_EVENT_SOURCE,
      DetailType: CITY_THEME_DETAIL_TYPE,
    });
    expect(JSON.parse(themeEntry.Detail)).toMatchObject({ month: '2026-03', title: '文明月', setBy: 'city-admin' });

    const jobs = (await import(pathToFileURL(files.jobs).href)) as { handler: Handler };
    const result = await jobs.handler({ job: 'rollup', args: { month: '2026-01' } }, context);
    expect(result).toMatchObject({ job: 'rollup', month: '2026-01' });
    const rollupEntry = seen.at(-1)!.body.Entries[0]!;
    expect(rollupEntry).toMatchObject({
      EventBusName: CITY_BUS_NAME,
      Source: ROLLUP_EVENT_SOURCE,
      DetailType: ROLLUP_DETAIL_TYPE,
    });
    expect(JSON.parse(rollupEntry.Detail)).toMatchObject({ district: 'jinjiang', month: '2026-01' });
  }, 60_000);
});

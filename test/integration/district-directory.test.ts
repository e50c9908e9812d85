import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTable } from '../../infra/local/dynamo.ts';
import { CITY_TABLE, DISTRICT_DIRECTORY_PATH } from '../../shared/config/city.ts';
import { serviceEndpoint } from '../../shared/events/aws-json.ts';
import { knownDistricts, parseEntry, setDistrictDirectory } from '../../shared/events/district-directory.ts';
import { bundle } from '../bench/bundles.ts';
import { dynamoEndpoint, uniqueTableName, useFreshTable } from '../support/table.ts';

/**
 * The city learns its districts at run time from the parameters each district stack writes
 * (/pioneer/districts/<id>), through one signed GetParametersByPath call a page, against a stand-in
 * Systems Manager endpoint (AWS_ENDPOINT_URL_SSM): pages followed, kept a minute, a malformed
 * parameter named; and the bundled city function expects exactly the districts the directory holds
 * (a district added there is missing until its month arrives; a rollup from a district not there is
 * refused). Endpoints follow the region's partition.
 */
interface Param {
  Name: string;
  Value: string;
}
let params: Param[] = [];
const requests: Array<{
  headers: http.IncomingHttpHeaders;
  body: { Path: string; NextToken?: string; MaxResults: number };
}> = [];
let server: http.Server;

const entry = (id: string, code: string, nameZh: string): Param => ({
  Name: `${DISTRICT_DIRECTORY_PATH}/${id}`,
  Value: JSON.stringify({ id, name: `${id} district`, nameZh, code }),
});

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(text) as (typeof requests)[number]['body'];
      requests.push({ headers: req.headers, body });
      // Pages of 2, whatever MaxResults says: the caller must follow NextToken.
      const start = body.NextToken ? Number(body.NextToken) : 0;
      const page = params.filter((p) => p.Name.startsWith(`${body.Path}/`)).slice(start, start + 2);
      const more = start + 2 < params.length;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ Parameters: page, ...(more ? { NextToken: String(start + 2) } : {}) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_SSM = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDCITY';
  process.env.AWS_SECRET_ACCESS_KEY = 'city-secret';
  process.env.DISTRICT_DIRECTORY = DISTRICT_DIRECTORY_PATH;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_SSM;
  delete process.env.DISTRICT_DIRECTORY;
  await new Promise((resolve) => server?.close(resolve));
});
beforeEach(() => {
  setDistrictDirectory(undefined); // forgets what was read
});

describe('the district directory', () => {
  it('reads every page of the path, signed for ssm, and orders the districts by code', async () => {
    params = [
      entry('pujiang', '510131', '蒲江县'),
      entry('jinjiang', '510104', '锦江区'),
      entry('shuangliu', '510116', '双流区'),
    ];
    requests.length = 0;
    const districts = await knownDistricts();
    expect(districts.map((d) => d.id)).toEqual(['jinjiang', 'shuangliu', 'pujiang']);
    expect(districts[0]).toEqual({ id: 'jinjiang', name: 'jinjiang district', nameZh: '锦江区', code: '510104' });
    expect(requests).toHaveLength(2);
    expect(requests[0]!.headers['x-amz-target']).toBe('AmazonSSM.GetParametersByPath');
    expect(requests[0]!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDCITY\/\d{8}\/ap-southeast-1\/ssm\/aws4_request/,
    );
    expect(requests[0]!.body).toEqual({ Path: DISTRICT_DIRECTORY_PATH, Recursive: false, MaxResults: 10 });
    expect(requests[1]!.body).toMatchObject({ NextToken: '2' });
  });

  it('is kept a minute: the next calls ask nothing', async () => {
    params = [entry('jinjiang', '510104', '锦江区')];
    await knownDistricts();
    requests.length = 0;
    params.push(entry('xindu', '510114', '新都区'));
    expect((await knownDistricts()).map((d) => d.id)).toEqual(['jinjiang']);
    expect(requests).toHaveLength(0);
  });

  it('names a parameter that does not hold a district profile, rather than skipping it', async () => {
    params = [{ Name: `${DISTRICT_DIRECTORY_PATH}/broken`, Value: '{"id":"broken"}' }];
    await expect(knownDistricts()).rejects.toThrow(
      `parameter ${DISTRICT_DIRECTORY_PATH}/broken does not hold a district profile`,
    );
    expect(() => parseEntry('/pioneer/districts/a', 'not json')).toThrow('does not hold JSON');
    expect(() =>
      parseEntry(
        '/pioneer/districts/other',
        JSON.stringify({ id: 'xindu', name: 'x', nameZh: '新都区', code: '510114' }),
      ),
    ).toThrow('parameter /pioneer/districts/other holds district xindu');
  });
});

describe('endpoints', () => {
  it("follow the region's partition: amazonaws.com.cn in China, amazonaws.com elsewhere", () => {
    expect(serviceEndpoint('events', 'cn-north-1')).toBe('https://events.cn-north-1.amazonaws.com.cn/');
    expect(serviceEndpoint('ssm', 'cn-northwest-1')).toBe('https://ssm.cn-northwest-1.amazonaws.com.cn/');
    expect(serviceEndpoint('events', 'ap-southeast-1')).toBe('https://events.ap-southeast-1.amazonaws.com/');
    expect(serviceEndpoint('events', 'us-gov-west-1')).toBe('https://events.us-gov-west-1.amazonaws.com/');
  });
});

describe('the bundled city function', () => {
  type Handler = (e: unknown, c: unknown) => Promise<{ statusCode?: number; body?: string } & Record<string, unknown>>;
  const context = {
    awsRequestId: 'dir-test',
    functionName: 'pioneer-city-city',
    getRemainingTimeInMillis: () => 10_000,
  };
  const rollup = (district: string) => ({
    version: '0',
    id: `e-${district}`,
    'detail-type': 'MonthlyRollupFrozen',
    source: 'pioneer.district',
    account: '111122223333',
    time: '2026-11-01T02:00:05Z',
    region: 'ap-southeast-1',
    resources: [],
    detail: { district, month: '2026-10', frozenAt: '2026-10-31T18:00:01.000Z', figures: {}, streets: [] },
  });
  const monthly = (claims: Record<string, string>) => ({
    version: '2.0',
    routeKey: 'GET /city/stats/monthly',
    rawPath: '/city/stats/monthly',
    rawQueryString: 'month=2026-10',
    queryStringParameters: { month: '2026-10' },
    headers: {},
    requestContext: {
      requestId: 'r1',
      routeKey: 'GET /city/stats/monthly',
      http: { method: 'GET', path: '/city/stats/monthly' },
      authorizer: { jwt: { claims, scopes: null } },
    },
    isBase64Encoded: false,
  });

  it('expects the districts the directory holds, no more, no fewer', async () => {
    await useFreshTable();
    const cityTable = uniqueTableName('city');
    await ensureTable(dynamoEndpoint(), cityTable, CITY_TABLE);
    process.env.CITY_TABLE_NAME = cityTable;
    process.env.DISTRICT_ID = 'city';
    const file = await bundle(
      'directory-test-city',
      fileURLToPath(new URL('../../functions/city/index.ts', import.meta.url)),
    );
    const city = (await import(pathToFileURL(file).href)) as { handler: Handler };

    params = [entry('jinjiang', '510104', '锦江区'), entry('xindu', '510114', '新都区')];
    expect(await city.handler(rollup('jinjiang'), context)).toMatchObject({ district: 'jinjiang', outcome: 'stored' });
    // A district the directory does not hold: refused (retried, then kept in the failure queue).
    await expect(city.handler(rollup('shuangliu'), context)).rejects.toThrow('no district shuangliu in this city');

    const res = await city.handler(monthly({ sub: 'c', 'cognito:groups': '[city_admin]' }), context);
    expect(res.statusCode, res.body).toBe(200);
    const body = JSON.parse(res.body!) as {
      districts: { district: string }[];
      missing: { district: string; nameZh: string }[];
    };
    expect(body.districts.map((d) => d.district)).toEqual(['jinjiang']);
    // xindu is in the directory (its stack wrote its profile): the city expects it, with no redeploy.
    expect(body.missing).toEqual([{ district: 'xindu', name: 'xindu district', nameZh: '新都区' }]);
  }, 60_000);
});

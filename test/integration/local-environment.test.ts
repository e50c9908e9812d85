import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFunctionSpecs, type FunctionSpec } from '../../infra/catalog.ts';
import { functionEnvironment } from '../../infra/function-environment.ts';
import { startLocalCity } from '../../infra/local/city-bus.ts';
import {
  deployLocally,
  localAccessKeyId,
  localDeployment,
  localEnvironment,
  localResources,
} from '../../infra/local/deployment.ts';
import { decodeGrants, encodeGrants } from '../../infra/local/grants.ts';
import { invokeFunction, withEnvironment } from '../../infra/local/invoke.ts';
import { CITY_BUS_NAME } from '../../shared/config/city.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { checkEnv, tableName } from '../../shared/config/env.ts';
import { lambdaName } from '../../shared/config/functions.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { dynamoEndpoint, uniqueTableName, useFreshTable } from '../support/table.ts';

/**
 * Each function, invoked by the local runtime, sees exactly the environment the builder gives it in
 * the cloud (infra/function-environment.ts), plus what Lambda adds (region, its own credentials) and
 * DynamoDB Local's endpoint, and nothing of this process's environment or of another function's:
 * a folder per real function name holds the echo function, which answers with its environment as
 * shared/config/env.ts reads it.
 */
const ECHO = fileURLToPath(new URL('../support/echo-function/index.ts', import.meta.url));
const specs = allFunctionSpecs();
let dir: string;
let districtTable: string;
let cityTable: string;

type Echo = {
  variables: Record<string, string>;
  districtId: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
};
const echo = (name: string) => invokeFunction(name, { echo: 'env' }, { dir }) as Promise<Echo>;
const spec = (name: string): FunctionSpec => specs.find((s) => s.name === name)!;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pioneer-env-'));
  for (const s of specs) {
    mkdirSync(path.join(dir, s.name));
    writeFileSync(path.join(dir, s.name, 'index.ts'), `export { handler } from ${JSON.stringify(ECHO)};\n`);
  }
  // useFreshTable also sets TABLE_NAME and DISTRICT_ID in process.env: no function may see them from there.
  districtTable = await useFreshTable();
  cityTable = uniqueTableName('city');
  await startLocalCity(dynamoEndpoint(), { tableName: cityTable });
  // What the local server deploys when it listens (infra/local/server.ts): the API's URL, the city's too.
  deployLocally({ apiUrl: 'http://127.0.0.1:3999', cityApiUrl: 'http://127.0.0.1:3999' });
});

afterAll(() => {
  setPublisher(undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('the environment of each function, locally', () => {
  it.each(specs.map((s) => [s.name, s] as const))(
    "%s sees exactly the builder's variables, its own credentials and nothing else",
    async (name, s) => {
      const seen = await echo(name);
      const built = functionEnvironment(s, localResources(s)).variables;
      const stackId = s.stack === 'city' ? 'city' : LOCAL_DISTRICT_ID;
      expect(seen.variables).toEqual({
        ...built,
        AWS_REGION: localDeployment().region,
        AWS_ACCESS_KEY_ID: localAccessKeyId(stackId, name),
        AWS_SECRET_ACCESS_KEY: 'local',
        // Its grants, for the local DynamoDB layer (infra/local/grants.ts).
        AWS_SESSION_TOKEN: encodeGrants({
          function: lambdaName(stackId, name),
          tables: Object.fromEntries(
            functionEnvironment(s, localResources(s)).tables.map((t) => [built[t.variable]!, t.access]),
          ),
        }),
        DYNAMODB_ENDPOINT: dynamoEndpoint(),
        // vitest.config.ts sets LOG_LEVEL for the run: a setting, passed on.
        LOG_LEVEL: process.env.LOG_LEVEL,
      });
      expect(seen.variables).toEqual(localEnvironment(s));
      expect(seen.districtId).toBe(stackId);
      // The clients are handed the function's own credentials, not this process's.
      expect(seen.credentials).toEqual({
        accessKeyId: localAccessKeyId(stackId, name),
        secretAccessKey: 'local',
        sessionToken: localEnvironment(s).AWS_SESSION_TOKEN,
      });
      expect(decodeGrants(seen.credentials.sessionToken)).toEqual({
        function: lambdaName(stackId, name),
        tables: Object.fromEntries(
          functionEnvironment(s, localResources(s)).tables.map((t) => [built[t.variable], t.access]),
        ),
      });
    },
  );

  it('as in the cloud: the city sees DISTRICT_ID=city and its own table only, docs no table, only the declared publishers the bus', async () => {
    const city = (await echo('city')).variables;
    expect(city).toMatchObject({ DISTRICT_ID: 'city', CITY_TABLE_NAME: cityTable, EVENT_BUS_NAME: CITY_BUS_NAME });
    expect(city).not.toHaveProperty('TABLE_NAME');
    const docs = (await echo('docs')).variables;
    expect(docs.DISTRICT_ID).toBe(LOCAL_DISTRICT_ID);
    expect(docs).not.toHaveProperty('TABLE_NAME');
    expect(docs).not.toHaveProperty('CITY_TABLE_NAME');
    expect(docs).toMatchObject({ API_URL: 'http://127.0.0.1:3999', CITY_API_URL: 'http://127.0.0.1:3999' });
    // docs, and the city function (its own document's `servers`: the city API, the same local server).
    for (const s of specs)
      expect('API_URL' in (await echo(s.name)).variables, s.name).toBe(s.name === 'docs' || s.name === 'city');
    expect(city).toMatchObject({ API_URL: 'http://127.0.0.1:3999' });
    expect((await echo('members')).variables).toMatchObject({
      DISTRICT_ID: LOCAL_DISTRICT_ID,
      TABLE_NAME: districtTable,
    });
    for (const s of specs) {
      const v = (await echo(s.name)).variables;
      expect('EVENT_BUS_NAME' in v, s.name).toBe(s.cityBus);
      expect('TABLE_NAME' in v, s.name).toBe(s.tables.district !== undefined);
    }
    expect(
      specs
        .filter((s) => s.cityBus)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['awards', 'city', 'cognito-triggers', 'jobs']);
  });

  it('names each function by its own access key id, of letters and digits (DynamoDB Local refuses others)', () => {
    const ids = specs.map((s) => localEnvironment(s).AWS_ACCESS_KEY_ID!);
    expect(new Set(ids).size).toBe(specs.length);
    for (const id of ids) expect(id).toMatch(/^local[A-Za-z0-9]+$/);
    expect(localAccessKeyId('jinjiang', 'members')).toBe('localJinjiangMembers');
    expect(localAccessKeyId('city', 'city')).toBe('localCityCity');
  });

  it('keeps each invocation in its own environment when many run at once', async () => {
    const names = Array.from({ length: 6 }, () => specs.map((s) => s.name)).flat();
    const seen = await Promise.all(names.map(async (n) => [n, await echo(n)] as const));
    for (const [n, e] of seen)
      expect(e.variables.AWS_ACCESS_KEY_ID, n).toBe(
        localAccessKeyId(spec(n).stack === 'city' ? 'city' : LOCAL_DISTRICT_ID, n),
      );
    expect(seen).toHaveLength(names.length);
  });

  it('passes settings nobody has to set from this process, read at each call', async () => {
    const before = process.env.WISH_CLAIM_LIMIT;
    process.env.WISH_CLAIM_LIMIT = '7';
    try {
      expect((await echo('wishes')).variables.WISH_CLAIM_LIMIT).toBe('7');
    } finally {
      if (before === undefined) delete process.env.WISH_CLAIM_LIMIT;
      else process.env.WISH_CLAIM_LIMIT = before;
    }
    expect((await echo('wishes')).variables).not.toHaveProperty('WISH_CLAIM_LIMIT');
  });

  it('refuses to run a function whose table is not deployed, naming it', async () => {
    const saved = localDeployment();
    deployLocally({ cityTable: undefined });
    try {
      await expect(echo('city')).rejects.toThrow('function "city" uses the city table, which stack city does not have');
      // The district's functions do not care.
      expect((await echo('members')).variables.TABLE_NAME).toBe(districtTable);
    } finally {
      deployLocally(saved);
    }
  });

  it('fails fast, naming every missing variable, when a function runs without what its declaration requires', () => {
    withEnvironment({ DISTRICT_ID: 'jinjiang' }, () => {
      expect(() => checkEnv({ tables: { district: 'RO', city: 'RW' } })).toThrow(
        'environment variable TABLE_NAME, CITY_TABLE_NAME are not set',
      );
      expect(() => checkEnv({})).not.toThrow();
      expect(() => tableName()).toThrow('environment variable TABLE_NAME is not set');
    });
    withEnvironment({ TABLE_NAME: 't' }, () => {
      expect(() => checkEnv({ tables: { district: 'RO' } })).toThrow('environment variable DISTRICT_ID is not set');
    });
    // Outside any scope, process.env (useFreshTable set it for services called directly).
    expect(tableName()).toBe(districtTable);
  });
});

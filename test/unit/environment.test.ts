import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { functionSpecs } from '../../infra/catalog.ts';
import { functionEnvironment } from '../../infra/function-environment.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { needAtColdStart, requiredVariables } from '../../shared/config/env.ts';
import { FUNCTIONS } from '../../shared/config/functions.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import { SCHEDULES } from '../../shared/config/schedules.ts';
import { CITY_SCHEDULES } from '../../shared/config/city-schedules.ts';
import { CITY_EVENT_SOURCE, CITY_THEME_DETAIL_TYPE } from '../../shared/config/city.ts';
import { ROLLUP_DETAIL_TYPE, ROLLUP_EVENT_SOURCE } from '../../shared/domain/rollup.ts';

/**
 * Configuration: the environment is read in one place (shared/config/env.ts), each function is
 * declared once (shared/config/functions.ts), and the builder gives a function exactly what its
 * declaration names in the stack it runs in.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Source without comments (string contents are kept: `process.env` in a string is a read too). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
const READS_ENV = /\bprocess\s*(?:\.\s*env\b|\[\s*['"`]env['"`]\s*\])|\{[^}]*\benv\b[^}]*\}\s*=\s*process\b/;

describe('reading the environment', () => {
  it('happens in shared/config/env.ts only, in shared/ and functions/', () => {
    const files = [...sources('shared'), ...sources('functions')];
    expect(files.length).toBeGreaterThan(50);
    const readers = files.filter((f) => READS_ENV.test(code(readFileSync(path.join(ROOT, f), 'utf8'))));
    expect(readers).toEqual(['shared/config/env.ts']);
  });

  it('the check above sees the ways code reads it', () => {
    for (const c of [
      'process.env.X',
      'process.env[name]',
      "process['env'].X",
      'const { env } = process;',
      'const { env: e } = process',
    ])
      expect(READS_ENV.test(code(c)), c).toBe(true);
    for (const c of ['// process.env.X', '/* process.env */', 'env().tableName', 'processEnv'])
      expect(READS_ENV.test(code(c)), c).toBe(false);
  });
});

describe('function declarations', () => {
  it('declare exactly the functions each kind of stack has: a district the route and schedule tables name, the city its routes', () => {
    const named = (xs: readonly { function: string }[]) => [...new Set(xs.map((x) => x.function))].sort();
    expect(Object.keys(FUNCTIONS.district).sort()).toEqual(named([...ROUTES, ...SCHEDULES]));
    // ... plus, in the city, the user pool's triggers, which no route or job names (`serves`).
    expect(Object.keys(FUNCTIONS.city).sort()).toEqual(
      [...named([...CITY_ROUTES, ...CITY_SCHEDULES]), 'cognito-triggers'].sort(),
    );
    expect(functionSpecs('city').map((s) => s.name)).toEqual(['city', 'city-jobs', 'cognito-triggers']);
    expect(functionSpecs('city').find((s) => s.name === 'cognito-triggers')).toMatchObject({
      routeKeys: [],
      jobs: [],
      tables: {},
      serves: 'cognito-triggers',
    });
  });

  it("resolve `entries` to the widest access of the function's routes and jobs", () => {
    const byName = new Map(functionSpecs().map((s) => [s.name, s]));
    expect(byName.get('platform')!.tables).toEqual({ district: 'RO' });
    expect(byName.get('members')!.tables).toEqual({ district: 'RW' });
    expect(byName.get('docs')!.tables).toEqual({});
    expect(byName.get('jobs')).toMatchObject({
      tables: { district: 'RW' },
      cityBus: true,
      cityEvents: { source: 'pioneer.district', detailTypes: ['MonthlyRollupFrozen'] },
      profile: true,
    });
    expect(() => functionSpecs('district', { declared: { docs: {} } })).toThrow(
      /function "activities" of the district stack is not declared/,
    );
  });

  it('name the variables a function cannot start without', () => {
    expect(requiredVariables(FUNCTIONS.district.docs!)).toEqual([
      'DISTRICT_ID',
      'DISTRICT_NAME',
      'DISTRICT_NAME_ZH',
      'DISTRICT_CODE',
      'API_URL',
    ]);
    expect(requiredVariables(FUNCTIONS.district.members!)).toEqual(['DISTRICT_ID', 'TABLE_NAME']);
    expect(requiredVariables(FUNCTIONS.district.jobs!)).toEqual([
      'DISTRICT_ID',
      'TABLE_NAME',
      'DISTRICT_NAME',
      'DISTRICT_NAME_ZH',
      'DISTRICT_CODE',
    ]);
    expect(requiredVariables(FUNCTIONS.city.city!)).toEqual(['DISTRICT_ID', 'CITY_TABLE_NAME', 'DISTRICT_DIRECTORY']);
  });

  it('declare the events a function puts as the rollup and the city plan send them (the grant is conditioned on them)', () => {
    expect(FUNCTIONS.district.jobs!.cityBus).toEqual({
      source: ROLLUP_EVENT_SOURCE,
      detailTypes: [ROLLUP_DETAIL_TYPE],
    });
    expect(FUNCTIONS.city.city!.cityBus).toEqual({ source: CITY_EVENT_SOURCE, detailTypes: [CITY_THEME_DETAIL_TYPE] });
  });
});

describe('the builder', () => {
  const spec = (name: string, stack: 'district' | 'city' = 'district') =>
    functionSpecs(stack).find((s) => s.name === name)!;
  const profile = { name: 'Jinjiang District', nameZh: '锦江区', code: '510104' };
  const district = {
    stackId: 'jinjiang',
    tables: { district: 'pioneer-jinjiang' },
    cityBus: 'pioneer-city',
    profile,
    apiUrl: 'https://d.example/',
    cityApiUrl: 'https://c.example/',
  };

  it('gives a function its stack id, the tables it uses, the bus if it puts events, the profile if it reads it and the API URLs if it documents them, nothing else', () => {
    const names = { DISTRICT_NAME: 'Jinjiang District', DISTRICT_NAME_ZH: '锦江区', DISTRICT_CODE: '510104' };
    expect(functionEnvironment(spec('docs'), district)).toEqual({
      variables: {
        DISTRICT_ID: 'jinjiang',
        ...names,
        API_URL: 'https://d.example/',
        CITY_API_URL: 'https://c.example/',
      },
      tables: [],
      putCityEvents: false,
      readDistrictDirectory: false,
      secrets: [],
      userPool: [],
    });
    // No city API known: no CITY_API_URL (the document then leaves the city's paths out).
    expect(functionEnvironment(spec('docs'), { ...district, cityApiUrl: undefined }).variables).toEqual({
      DISTRICT_ID: 'jinjiang',
      ...names,
      API_URL: 'https://d.example/',
    });
    expect(functionEnvironment(spec('members'), district)).toEqual({
      variables: { DISTRICT_ID: 'jinjiang', TABLE_NAME: 'pioneer-jinjiang' },
      tables: [{ table: 'district', variable: 'TABLE_NAME', access: 'RW' }],
      putCityEvents: false,
      readDistrictDirectory: false,
      secrets: [],
      userPool: [],
    });
    // The one district function that calls the user pool gets its id, and only it.
    const withPool = { ...district, userPoolId: 'ap-southeast-1_abc' };
    expect(functionEnvironment(spec('identity'), withPool)).toEqual({
      variables: { DISTRICT_ID: 'jinjiang', TABLE_NAME: 'pioneer-jinjiang', USER_POOL_ID: 'ap-southeast-1_abc' },
      tables: [{ table: 'district', variable: 'TABLE_NAME', access: 'RW' }],
      putCityEvents: false,
      readDistrictDirectory: false,
      secrets: [],
      userPool: [
        'AdminGetUser',
        'AdminListGroupsForUser',
        'AdminAddUserToGroup',
        'AdminRemoveUserFromGroup',
        'AdminUpdateUserAttributes',
        'AdminDeleteUserAttributes',
      ],
    });
    expect(functionEnvironment(spec('members'), withPool).variables).not.toHaveProperty('USER_POOL_ID');
    expect(
      functionSpecs()
        .filter((s) => s.userPool.length > 0)
        .map((s) => s.name),
    ).toEqual(['identity']);
    expect(functionEnvironment(spec('jobs'), district)).toMatchObject({
      variables: {
        DISTRICT_ID: 'jinjiang',
        TABLE_NAME: 'pioneer-jinjiang',
        EVENT_BUS_NAME: 'pioneer-city',
        DISTRICT_NAME: 'Jinjiang District',
        DISTRICT_NAME_ZH: '锦江区',
        DISTRICT_CODE: '510104',
      },
      putCityEvents: true,
      cityEvents: { source: 'pioneer.district', detailTypes: ['MonthlyRollupFrozen'] },
    });
    // The district's setting, when it has one; source maps for every function when the stack wants them.
    expect(
      functionEnvironment(spec('wishes'), {
        ...district,
        profile: { ...profile, wishEscalationDays: 5 },
        sourceMaps: true,
      }).variables,
    ).toEqual({
      DISTRICT_ID: 'jinjiang',
      TABLE_NAME: 'pioneer-jinjiang',
      DISTRICT_NAME: 'Jinjiang District',
      DISTRICT_NAME_ZH: '锦江区',
      DISTRICT_CODE: '510104',
      WISH_ESCALATION_DAYS: '5',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(
      functionEnvironment(spec('city', 'city'), {
        stackId: 'city',
        tables: { city: 'pioneer-city' },
        cityBus: 'pioneer-city',
        districtDirectory: '/pioneer/districts',
      }),
    ).toEqual({
      variables: {
        DISTRICT_ID: 'city',
        CITY_TABLE_NAME: 'pioneer-city',
        EVENT_BUS_NAME: 'pioneer-city',
        DISTRICT_DIRECTORY: '/pioneer/districts',
      },
      tables: [{ table: 'city', variable: 'CITY_TABLE_NAME', access: 'RW' }],
      putCityEvents: true,
      cityEvents: { source: 'pioneer.city', detailTypes: ['CityThemePlanned'] },
      readDistrictDirectory: true,
      secrets: [],
      userPool: [],
    });
  });

  it("gives the notifications function the district's channel secrets (and no other function any)", () => {
    const withSecrets = {
      ...district,
      pushSecrets: { sms: 'secretsmanager:pioneer/jinjiang/sms', wechat: 'ssm:/pioneer/jinjiang/wechat' },
    };
    expect(functionEnvironment(spec('notifications'), withSecrets)).toEqual({
      variables: {
        DISTRICT_ID: 'jinjiang',
        TABLE_NAME: 'pioneer-jinjiang',
        SMS_SECRET: 'secretsmanager:pioneer/jinjiang/sms',
        WECHAT_SECRET: 'ssm:/pioneer/jinjiang/wechat',
      },
      tables: [{ table: 'district', variable: 'TABLE_NAME', access: 'RW' }],
      putCityEvents: false,
      readDistrictDirectory: false,
      secrets: [
        { variable: 'SMS_SECRET', ref: 'secretsmanager:pioneer/jinjiang/sms' },
        { variable: 'WECHAT_SECRET', ref: 'ssm:/pioneer/jinjiang/wechat' },
      ],
      userPool: [],
    });
    expect(functionEnvironment(spec('notifications'), district).secrets).toEqual([]);
    for (const s of functionSpecs().filter((x) => x.name !== 'notifications'))
      if (s.name !== 'docs') expect(functionEnvironment(s, withSecrets).secrets, s.name).toEqual([]);
    expect(() =>
      functionEnvironment(spec('notifications'), { ...district, pushSecrets: { sms: 'arn:aws:secret' } }),
    ).toThrow(/must be secretsmanager:<name> or ssm:<name>/);
  });

  it('leaves the bus out for a district on its own, and refuses a table, profile or directory the stack does not have', () => {
    const alone = functionEnvironment(spec('jobs'), { stackId: 'jinjiang', tables: { district: 't' }, profile });
    expect(alone.variables).toEqual({
      DISTRICT_ID: 'jinjiang',
      TABLE_NAME: 't',
      DISTRICT_NAME: 'Jinjiang District',
      DISTRICT_NAME_ZH: '锦江区',
      DISTRICT_CODE: '510104',
    });
    expect(() => functionEnvironment(spec('records'), { stackId: 'jinjiang', tables: { district: 't' } })).toThrow(
      `function "records" reads its district's profile, which stack jinjiang does not give`,
    );
    expect(() =>
      functionEnvironment(spec('city', 'city'), { stackId: 'city', tables: { city: 't' }, cityBus: 'b' }),
    ).toThrow('function "city" reads the district directory, which stack city does not give');
    expect(alone.putCityEvents).toBe(false);
    expect(() => functionEnvironment(spec('members'), { stackId: 'jinjiang', tables: {} })).toThrow(
      'function "members" uses the district table, which stack jinjiang does not have',
    );
    expect(() => functionEnvironment(spec('city', 'city'), { stackId: 'city', tables: { district: 't' } })).toThrow(
      /uses the city table/,
    );
    expect(() => functionEnvironment(spec('docs'), { stackId: 'jinjiang', tables: {}, profile })).toThrow(
      'function "docs" is told the API\'s URL, which stack jinjiang does not give',
    );
  });
});

describe('cold start', () => {
  it('in Lambda, a module that needs a variable stops the init naming it; elsewhere it is not asked for', () => {
    const saved = { fn: process.env.AWS_LAMBDA_FUNCTION_NAME, v: process.env.PIONEER_TEST_NEEDED };
    try {
      delete process.env.PIONEER_TEST_NEEDED;
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      expect(() => needAtColdStart('PIONEER_TEST_NEEDED')).not.toThrow();
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'pioneer-jinjiang-members';
      expect(() => needAtColdStart('PIONEER_TEST_NEEDED')).toThrow(
        'environment variable PIONEER_TEST_NEEDED is not set',
      );
      process.env.PIONEER_TEST_NEEDED = 'x';
      expect(() => needAtColdStart('PIONEER_TEST_NEEDED')).not.toThrow();
    } finally {
      for (const [k, v] of [
        ['AWS_LAMBDA_FUNCTION_NAME', saved.fn],
        ['PIONEER_TEST_NEEDED', saved.v],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

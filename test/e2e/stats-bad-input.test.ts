import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../support/inspect.ts';
import { useE2e } from '../support/e2e.ts';

/**
 * Bad input on every statistics route: missing, malformed and out-of-range months, unknown
 * scopes, bad ids, parameters the routes do not take (limit, cursor), a grid without its
 * community. Each is a 400 problem+json naming the field, never a 5xx, and writes nothing.
 */
const e2e = useE2e();
const { api } = e2e;
let token = '';
const ids = { street: '', community: '', grid: '' };

beforeAll(async () => {
  token = await e2e.districtAdmin();
  const place = await e2e.place();
  ids.street = place.streetId;
  ids.community = place.communityId;
  ids.grid = place.gridId;
});

const long = (n: number) => 'x'.repeat(n);
const badMonths = [
  '2025-13',
  '2025-00',
  '2025-1',
  '25-01',
  '2025-01-01',
  '2025/01',
  '',
  long(200),
  '%E4%B8%80%E6%9C%88',
  '2025-01%0A',
];
const badIds = ['a%23b', long(65), '%E4%B8%AD', '-lead', 'a.b', '', 'a%20b'];

type Case = { name: string; query: string; field?: string };

function monthlyCases(): Case[] {
  const ok = { month: '2025-03', scope: 'street', id: ids.street };
  const qs = (o: Record<string, string>) =>
    '?' +
    Object.entries(o)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
  const cases: Case[] = [];
  for (const key of Object.keys(ok)) {
    const { [key as keyof typeof ok]: _, ...missing } = ok;
    void _;
    cases.push({ name: `missing ${key}`, query: qs(missing), field: `query.${key}` });
  }
  for (const m of badMonths)
    cases.push({ name: `month ${m.slice(0, 20)}`, query: qs({ ...ok, month: m }), field: 'query.month' });
  cases.push({ name: 'two months', query: `${qs(ok)}&month=2025-04`, field: 'query.month' });
  for (const s of ['city', 'District', '', 'streets', long(100)])
    cases.push({ name: `scope ${s.slice(0, 20)}`, query: qs({ ...ok, scope: s }), field: 'query.scope' });
  for (const id of badIds) cases.push({ name: `id ${id.slice(0, 20)}`, query: qs({ ...ok, id }), field: 'query.id' });
  cases.push({ name: 'limit is not taken', query: `${qs(ok)}&limit=10` });
  cases.push({ name: 'a bad limit is not taken either', query: `${qs(ok)}&limit=1000` });
  cases.push({ name: 'cursor is not taken', query: `${qs(ok)}&cursor=eyJwayI6IngifQ` });
  cases.push({ name: 'an unknown parameter', query: `${qs(ok)}&format=xlsx` });
  cases.push({
    name: 'a grid without its community',
    query: qs({ month: '2025-03', scope: 'grid', id: ids.grid }),
    field: 'query.communityId',
  });
  cases.push({
    name: 'communityId with a street',
    query: `${qs(ok)}&communityId=${ids.community}`,
    field: 'query.communityId',
  });
  for (const id of badIds)
    cases.push({
      name: `grid communityId ${id.slice(0, 20)}`,
      query: qs({ month: '2025-03', scope: 'grid', id: ids.grid, communityId: id }),
      field: 'query.communityId',
    });
  return cases;
}

async function expectRefused(path: string, cases: Case[], tok: string | undefined) {
  const before = await snapshot();
  const failures: string[] = [];
  for (const c of cases) {
    const res = await api.get(path + c.query, tok);
    if (res.status >= 500) failures.push(`${c.name}: ${res.status} (5xx)`);
    else if (res.status !== 400) failures.push(`${c.name}: ${res.status} ${res.text.slice(0, 160)}`);
    else if (!(res.headers.get('content-type') ?? '').startsWith('application/problem+json'))
      failures.push(`${c.name}: not problem+json`);
    else if (res.body.code !== 'VALIDATION_FAILED') failures.push(`${c.name}: ${res.body.code}`);
    else if (c.field && !res.body.errors?.some((e: { field: string }) => e.field === c.field))
      failures.push(`${c.name}: errors ${JSON.stringify(res.body.errors)}`);
  }
  expect(failures).toEqual([]);
  expect(await snapshot()).toBe(before);
}

describe('statistics bad input', () => {
  it('GET /stats/monthly: every bad query is a 400 problem+json naming the field, nothing written', async () => {
    await expectRefused('/stats/monthly', monthlyCases(), token);
  });

  it('GET /stats/monthly.csv: the same, and a CSV language it does not have', async () => {
    const ok = `month=2025-03&scope=district&id=jinjiang`;
    await expectRefused(
      '/stats/monthly.csv',
      [
        ...monthlyCases(),
        ...['fr', 'ZH', 'zh-CN', '', 'zh,en'].map((l) => ({
          name: `lang ${l}`,
          query: `?${ok}&lang=${l}`,
          field: 'query.lang',
        })),
        { name: 'two langs', query: `?${ok}&lang=zh&lang=en`, field: 'query.lang' },
      ],
      token,
    );
  });

  it('GET /stats/public: bad months and parameters it does not take', async () => {
    const cases: Case[] = [
      ...badMonths.map((m) => ({ name: `month ${m.slice(0, 20)}`, query: `?month=${m}`, field: 'query.month' })),
      { name: 'two months', query: '?month=2025-01&month=2025-02', field: 'query.month' },
      { name: 'limit', query: '?limit=5' },
      { name: 'scope', query: '?scope=community&id=x' },
    ];
    await expectRefused('/stats/public', cases, undefined);
  });

  it('a valid query still answers (the matrix is not refusing everything)', async () => {
    expect((await api.get(`/stats/monthly?month=2025-03&scope=street&id=${ids.street}`, token)).status).toBe(200);
    expect(
      (await api.get(`/stats/monthly.csv?month=2025-03&scope=grid&id=${ids.grid}&communityId=${ids.community}`, token))
        .status,
    ).toBe(200);
    expect((await api.get('/stats/public?month=2025-03')).status).toBe(200);
  });
});

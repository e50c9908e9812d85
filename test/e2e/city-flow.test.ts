import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBridgeEvent, startLocalCity, type LocalBus } from '../../infra/local/city-bus.ts';
import { invokeFunction } from '../../infra/local/invoke.ts';
import { CITY_EVENT_SOURCE, CITY_THEME_DETAIL_TYPE } from '../../shared/config/city.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { DISTRICTS } from '../../shared/config/districts.ts';
import { ROUTES } from '../../shared/config/routes.ts';
import { ROLLUP_DETAIL_TYPE, ROLLUP_EVENT_SOURCE, type MonthlyRollupFrozen } from '../../shared/domain/rollup.ts';
import { publisher, setPublisher } from '../../shared/events/publisher.ts';
import { allItems, snapshot } from '../support/inspect.ts';
import { badInputFailures, type BadCase } from '../support/matrix.ts';
import { dynamoEndpoint, uniqueTableName } from '../support/table.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * The city through the local platform: the district and city routes on one server, the city's
 * own table in the same DynamoDB Local, events delivered in-process in EventBridge's Lambda shape
 * (infra/local/city-bus.ts). Rollup events are stored (a later one replaces, never doubles), the
 * city's totals are the sum of its districts, only city admins read them, the city theme plan
 * reaches the district as its `city` theme (the same event twice changes nothing), and bad input
 * gets a 4xx problem+json that writes nothing.
 */
const e2e = useE2e({ routes: [...ROUTES, ...CITY_ROUTES] });
const { api } = e2e;
let bus: LocalBus & { tableName: string };
const t: Record<string, string> = {};

beforeAll(async () => {
  bus = await startLocalCity(dynamoEndpoint(), { tableName: uniqueTableName('city') });
  t.city = await mint.cityAdmin({ sub: 'city-admin-1' });
  t.district = await mint.districtAdmin();
  t.street = await mint.streetAdmin('st-1');
  t.community = await mint.communityAdmin('co-1');
  t.member = await mint.member('m-1');
  t.leader = await mint.leader('m-2', 'tm-1');
  t.resident = await mint.resident('r-1');
  t.expired = (await mint.outsiders({ role: 'city_admin' })).expired;
});
afterAll(() => setPublisher(undefined));

const rollup = (
  district: string,
  month: string,
  frozenAt: string,
  figures: Record<string, number>,
  streets: MonthlyRollupFrozen['streets'] = [],
): MonthlyRollupFrozen => ({
  district,
  month,
  frozenAt,
  figures,
  streets,
});
/** The city handler, called exactly as the city bus's rule calls it. */
const deliver = (detail: object, source = ROLLUP_EVENT_SOURCE, detailType = ROLLUP_DETAIL_TYPE) =>
  invokeFunction('city', eventBridgeEvent(source, detailType, detail)) as Promise<Record<string, unknown>>;
const cityItems = async (month: string) => (await allItems(bus.tableName)).filter((i) => i.pk === `MONTH#${month}`);

describe('rollup events', () => {
  it("a district's MonthlyRollupFrozen, published as the rollup job does, is stored and shown", async () => {
    const detail = rollup(
      'jinjiang',
      '2026-01',
      '2026-02-01T18:00:03.000Z',
      { volunteerHours: 41.5, activities: 7, peopleServed: 120 },
      [
        { streetId: 'st-a', name: '书院街街道', figures: { volunteerHours: 41.5, activities: 7 } },
        // A rollup from a district not yet naming its streets is still taken: the street has its id only.
        { streetId: 'st-b', figures: { volunteerHours: 0 } },
      ],
    );
    await publisher().publish(ROLLUP_DETAIL_TYPE, detail);
    const delivery = bus.deliveries.at(-1)!;
    expect(delivery).toMatchObject({
      function: 'city',
      detailType: ROLLUP_DETAIL_TYPE,
      ok: true,
      attempts: 1,
      result: { outcome: 'stored' },
    });
    // The envelope EventBridge gives a Lambda target.
    expect(Object.keys(delivery.event).sort()).toEqual(
      ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version'].sort(),
    );
    expect(delivery.event).toMatchObject({
      version: '0',
      source: ROLLUP_EVENT_SOURCE,
      'detail-type': ROLLUP_DETAIL_TYPE,
      resources: [],
    });
    expect(delivery.event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const res = await api.get('/city/stats/monthly?month=2026-01', t.city);
    expect(res.status).toBe(200);
    expect(res.body.districts).toHaveLength(1);
    expect(res.body.districts[0]).toMatchObject({
      district: 'jinjiang',
      nameZh: '锦江区',
      rank: 1,
      frozenAt: detail.frozenAt,
      figures: detail.figures,
      streets: detail.streets,
    });
    expect(res.body.complete).toBe(false);
    expect(res.body.missing.map((m: { district: string }) => m.district)).toEqual(['shuangliu', 'pujiang']);
    expect(res.body.totals).toMatchObject({ volunteerHours: 41.5, activities: 7, peopleServed: 120, checkIns: 0 });
    // The city names each street by the name its district sent, beside its id.
    expect(res.body.districts[0].streets.map((s: { streetId: string; name?: string }) => [s.streetId, s.name])).toEqual(
      [
        ['st-a', '书院街街道'],
        ['st-b', undefined],
      ],
    );
  });

  it('a later event for a month already received replaces it, never doubles; the same or an older one changes nothing', async () => {
    const first = rollup('shuangliu', '2026-02', '2026-03-01T18:00:00.000Z', { volunteerHours: 10, activities: 2 });
    const later = rollup('shuangliu', '2026-02', '2026-03-02T09:30:00.000Z', { volunteerHours: 12.5, activities: 3 });
    expect(await deliver(first)).toMatchObject({ outcome: 'stored' });
    expect(await deliver(later)).toMatchObject({ outcome: 'replaced', previousFrozenAt: first.frozenAt });
    const before = await snapshot(bus.tableName);
    expect(await deliver(later)).toMatchObject({ outcome: 'unchanged' });
    expect(await deliver(first)).toMatchObject({ outcome: 'stale', previousFrozenAt: later.frozenAt });
    expect(await snapshot(bus.tableName)).toBe(before);

    const items = await cityItems('2026-02');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ district: 'shuangliu', frozenAt: later.frozenAt, figures: later.figures });
    const res = await api.get('/city/stats/monthly?month=2026-02', t.city);
    expect(res.body.districts).toHaveLength(1);
    expect(res.body.totals).toMatchObject({ volunteerHours: 12.5, activities: 3 });
  });

  it("the city's totals are the sum of its districts, with a ranking; the CSV has a row per district and the total", async () => {
    const month = '2026-03';
    const sent = [
      rollup('jinjiang', month, '2026-04-01T18:00:01.000Z', {
        volunteerHours: 0.1,
        activities: 4,
        peopleServed: 30,
        wishesCompleted: 2,
        ratingSum: 9,
        ratingCount: 2,
      }),
      rollup('shuangliu', month, '2026-04-01T18:00:02.000Z', {
        volunteerHours: 0.2,
        activities: 4,
        peopleServed: 12,
        checkIns: 5,
        ratingSum: 3,
        ratingCount: 1,
      }),
      rollup('pujiang', month, '2026-04-01T18:00:03.000Z', {
        volunteerHours: 7.25,
        activities: 1,
        peopleServed: 8,
        newCounter: 3,
      }),
    ];
    for (const d of sent) expect(await deliver(d)).toMatchObject({ outcome: 'stored' });

    const res = await api.get(`/city/stats/monthly?month=${month}`, t.city);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ month, rankBy: 'volunteerHours', complete: true, missing: [] });
    // The average rating is worked out from the summed ratings, not summed: (9 + 3) / (2 + 1), and per district.
    expect(res.body.totals).toMatchObject({ ratingSum: 12, ratingCount: 3, ratingAverage: 4 });
    const avg = Object.fromEntries(
      res.body.districts.map((d: { district: string; figures: Record<string, number> }) => [
        d.district,
        d.figures.ratingAverage,
      ]),
    );
    expect(avg).toEqual({ jinjiang: 4.5, shuangliu: 3, pujiang: undefined });
    const names = new Set(
      [...Object.keys(res.body.totals), ...sent.flatMap((d) => Object.keys(d.figures))].filter(
        (n) => n !== 'ratingAverage',
      ),
    );
    for (const name of names) {
      const sum = sent.reduce((s, d) => s + (d.figures[name] ?? 0), 0);
      expect(res.body.totals[name], name).toBeCloseTo(sum, 9);
    }
    // Exact, not only close: 0.1 + 0.2 + 7.25 hours is 7.55 (sums keep 6 decimals).
    expect(res.body.totals.volunteerHours).toBe(7.55);
    expect(res.body.ranking).toEqual([
      { rank: 1, district: 'pujiang', value: 7.25 },
      { rank: 2, district: 'shuangliu', value: 0.2 },
      { rank: 3, district: 'jinjiang', value: 0.1 },
    ]);
    expect(res.body.districts.map((d: { district: string }) => d.district)).toEqual([
      'pujiang',
      'shuangliu',
      'jinjiang',
    ]);
    const byActivities = await api.get(`/city/stats/monthly?month=${month}&rankBy=activities`, t.city);
    expect(byActivities.body.ranking).toEqual([
      { rank: 1, district: 'jinjiang', value: 4 },
      { rank: 1, district: 'shuangliu', value: 4 },
      { rank: 3, district: 'pujiang', value: 1 },
    ]);

    const csv = await api.get(`/city/stats/monthly.csv?month=${month}`, t.city);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="pioneer-city-${month}.csv"`);
    // fetch's text() drops a BOM: look at the bytes.
    const bytes = new Uint8Array(
      await (
        await fetch(`${e2e.url}/city/stats/monthly.csv?month=${month}`, {
          headers: { authorization: `Bearer ${t.city}` },
        })
      ).arrayBuffer(),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(lines).toHaveLength(1 + DISTRICTS.length + 1);
    const header = lines[0]!;
    expect(header.slice(0, 5)).toEqual(['district', 'name', 'status', 'frozenAt', 'rank (volunteerHours)']);
    const col = (name: string) => header.indexOf(name);
    expect(lines.slice(1, 4).map((l) => [l[0], l[1], l[2], l[4]])).toEqual([
      ['jinjiang', '锦江区', 'frozen', '3'],
      ['shuangliu', '双流区', 'frozen', '2'],
      ['pujiang', '蒲江县', 'frozen', '1'],
    ]);
    const total = lines[4]!;
    expect(total.slice(0, 3)).toEqual(['city', '合计', '3/3 districts']);
    expect(Number(total[col('volunteerHours')])).toBe(7.55);
    expect(Number(total[col('peopleServed')])).toBe(50);
    expect(Number(total[col('newCounter')])).toBe(3);
    expect(Number(total[col('ratingAverage')])).toBe(4);
    expect(lines[3]![col('ratingAverage')]).toBe('');

    // Chinese headers for people: lang=zh, or an Accept-Language preferring Chinese.
    for (const [url, headers] of [
      [`/city/stats/monthly.csv?month=${month}&lang=zh`, {}],
      [`/city/stats/monthly.csv?month=${month}`, { 'accept-language': 'zh-CN,zh;q=0.9' }],
    ] as const) {
      const zh = await api.get(url, t.city, headers);
      expect(zh.status).toBe(200);
      const [head, ...rest] = zh.text
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(head!.split(',').slice(0, 6)).toEqual([
        '区县编号',
        '名称',
        '状态',
        '冻结时间',
        '排名（按服务时长（小时））',
        '社区报到数',
      ]);
      expect(head).toContain('平均评分');
      expect(rest.at(-1)!.split(',').slice(0, 3)).toEqual(['city', '合计', '3/3 个区县']);
    }
  });

  it('marks the districts whose month has not arrived, in the JSON and the CSV', async () => {
    const res = await api.get('/city/stats/monthly?month=2025-07', t.city);
    expect(res.body).toMatchObject({ districts: [], ranking: [], complete: false });
    expect(res.body.missing).toHaveLength(DISTRICTS.length);
    expect(Object.values(res.body.totals).every((v) => v === 0)).toBe(true);
    const csv = await api.get('/city/stats/monthly.csv?month=2025-07', t.city);
    const rows = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows.slice(1, 4).every((r) => r.split(',')[2] === 'missing')).toBe(true);
    expect(rows[4]!.split(',')[2]).toBe('0/3 districts');
  });

  it('refuses events that are not a valid rollup of a district of the city (thrown: retried, then dead-lettered), writing nothing', async () => {
    const before = await snapshot(bus.tableName);
    const bad: Array<[string, () => Promise<unknown>]> = [
      ['unknown district', () => deliver(rollup('atlantis', '2026-03', '2026-04-01T00:00:00.000Z', { activities: 1 }))],
      ['bad month', () => deliver({ ...rollup('jinjiang', '2026-13', '2026-04-01T00:00:00.000Z', {}) })],
      [
        'figures not numbers',
        () =>
          deliver({
            ...rollup('jinjiang', '2026-04', '2026-05-01T00:00:00.000Z', {}),
            figures: { activities: 'many' },
          }),
      ],
      ['no frozenAt', () => deliver({ district: 'jinjiang', month: '2026-04', figures: {} })],
      [
        'another detail-type',
        () =>
          deliver(rollup('jinjiang', '2026-04', '2026-05-01T00:00:00.000Z', {}), ROLLUP_EVENT_SOURCE, 'SomethingElse'),
      ],
      [
        'another source',
        () => deliver(rollup('jinjiang', '2026-04', '2026-05-01T00:00:00.000Z', {}), 'pioneer.mallory'),
      ],
    ];
    process.env.PIONEER_SILENT = '1'; // the refusals are logged as errors, as they should be: not in the test output
    try {
      for (const [name, run] of bad) await expect(run(), name).rejects.toThrow(/VALIDATION_FAILED/);
    } finally {
      delete process.env.PIONEER_SILENT;
    }
    expect(await snapshot(bus.tableName)).toBe(before);
  });
});

describe('who reads the city', () => {
  it('only city admins: every other role gets 403 problem+json, no or an expired token 401, and nothing changes', async () => {
    const beforeCity = await snapshot(bus.tableName);
    const beforeDistrict = await snapshot(e2e.tableName);
    const body = { title: '城市主题', description: '全市', kickoffDate: '2026-08-05' };
    const requests: Array<[string, string, unknown?]> = [
      ['GET', '/city/stats/monthly?month=2026-03'],
      ['GET', '/city/stats/monthly.csv?month=2026-03'],
      ['GET', '/city/themes?year=2026'],
      ['PUT', '/city/themes/2026-08', body],
    ];
    const failures: string[] = [];
    for (const who of ['district', 'street', 'community', 'member', 'leader', 'resident', 'expired', 'none']) {
      const expected = who === 'expired' || who === 'none' ? 401 : 403;
      for (const [method, path, b] of requests) {
        const res = await api.call(method, path, { token: t[who], body: b });
        if (res.status !== expected)
          failures.push(`${method} ${path} as ${who}: ${res.status} ${res.text.slice(0, 120)}`);
        else if (expected === 403 && !res.headers.get('content-type')?.startsWith('application/problem+json'))
          failures.push(`${method} ${path} as ${who}: not problem+json`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot(bus.tableName)).toBe(beforeCity);
    expect(await snapshot(e2e.tableName)).toBe(beforeDistrict);
  });
});

describe('the city theme plan', () => {
  const plan = {
    title: '邻里守望月',
    description: '全市邻里互助',
    kickoffDate: '2026-05-09',
    suggestedCategories: ['elderly-care'],
  };

  it('set once in the city, reaches the district as its city theme; the same event twice changes nothing', async () => {
    const put = await api.put('/city/themes/2026-05', t.city, plan);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      month: '2026-05',
      title: plan.title,
      setBy: 'city-admin-1',
      sentToDistricts: true,
      expectedTeamIds: [],
      plannedFlagGrants: [],
    });
    const delivery = bus.deliveries.at(-1)!;
    expect(delivery).toMatchObject({
      function: 'themes',
      detailType: CITY_THEME_DETAIL_TYPE,
      ok: true,
      result: { outcome: 'stored', updatedAt: put.body.updatedAt },
    });
    expect(delivery.event).toMatchObject({ source: CITY_EVENT_SOURCE, 'detail-type': CITY_THEME_DETAIL_TYPE });

    const year = await api.get('/themes?year=2026', t.member);
    expect(year.status).toBe(200);
    const may = year.body.months.find((m: { month: string }) => m.month === '2026-05');
    expect(may.theme).toMatchObject({
      source: 'city',
      title: plan.title,
      kickoffDate: plan.kickoffDate,
      status: 'planned',
      setBy: 'city-admin-1',
      updatedAt: put.body.updatedAt,
    });

    const before = await snapshot(e2e.tableName);
    expect(await invokeFunction('themes', delivery.event)).toMatchObject({ outcome: 'unchanged' });
    expect(await invokeFunction('themes', { ...delivery.event, id: 'another-delivery-id' })).toMatchObject({
      outcome: 'unchanged',
    });
    expect(await snapshot(e2e.tableName)).toBe(before);

    const cityPlan = await api.get('/city/themes?year=2026', t.city);
    expect(cityPlan.status).toBe(200);
    expect(cityPlan.body.months.find((m: { month: string }) => m.month === '2026-05').theme).toMatchObject({
      title: plan.title,
      updatedAt: put.body.updatedAt,
    });
    expect(cityPlan.body.months.filter((m: { theme: unknown }) => m.theme !== null).length).toBeGreaterThanOrEqual(1);
  });

  it('a changed plan replaces the city theme in the district; an older event arriving late does not bring it back', async () => {
    const oldEvent = bus.deliveries.filter((d) => d.function === 'themes').at(-1)!.event;
    const put = await api.put('/city/themes/2026-05', t.city, { ...plan, title: '邻里守望月（修订）' });
    expect(put.status).toBe(200);
    expect(put.body.createdAt < put.body.updatedAt).toBe(true);
    expect(bus.deliveries.at(-1)).toMatchObject({ ok: true, result: { outcome: 'stored' } });
    expect(await invokeFunction('themes', oldEvent)).toMatchObject({ outcome: 'unchanged' });
    const may = (await api.get('/themes?year=2026', t.member)).body.months.find(
      (m: { month: string }) => m.month === '2026-05',
    );
    expect(may.theme).toMatchObject({ source: 'city', title: '邻里守望月（修订）' });
  });

  it("a district's own theme still overrides the city's; a month whose kickoff ran keeps its theme", async () => {
    expect(
      (
        await api.put('/themes/2026-05', t.district, {
          title: '区自定主题',
          description: '本区',
          kickoffDate: '2026-05-12',
        })
      ).status,
    ).toBe(200);
    const may = (await api.get('/themes?year=2026', t.member)).body.months.find(
      (m: { month: string }) => m.month === '2026-05',
    );
    expect(may.theme).toMatchObject({ source: 'district', title: '区自定主题' });

    expect((await api.put('/city/themes/2026-06', t.city, { ...plan, kickoffDate: '2026-06-05' })).status).toBe(200);
    const kicked = await api.post('/_local/jobs/kickoff', undefined, { date: '2026-06-05' });
    expect(kicked.body).toMatchObject({ kickedOff: true, source: 'city' });
    const before = await snapshot(e2e.tableName);
    expect(
      (await api.put('/city/themes/2026-06', t.city, { ...plan, kickoffDate: '2026-06-05', title: '太迟了' })).status,
    ).toBe(200);
    expect(bus.deliveries.at(-1)).toMatchObject({ function: 'themes', ok: true, result: { outcome: 'locked' } });
    expect(await snapshot(e2e.tableName)).toBe(before);
  });

  it('refuses a CityThemePlanned event with a bad detail, writing nothing', async () => {
    const before = await snapshot(e2e.tableName);
    const good = bus.deliveries.filter((d) => d.function === 'themes').at(-1)!.event;
    const bad = [
      { ...good, detail: { ...(good.detail as object), kickoffDate: '2026-07-01' } },
      { ...good, detail: { ...(good.detail as object), month: 'May' } },
      { ...good, detail: { ...(good.detail as object), updatedAt: undefined } },
      { ...good, source: ROLLUP_EVENT_SOURCE },
    ];
    process.env.PIONEER_SILENT = '1';
    try {
      for (const e of bad) await expect(invokeFunction('themes', e)).rejects.toThrow(/VALIDATION_FAILED/);
    } finally {
      delete process.env.PIONEER_SILENT;
    }
    expect(await snapshot(e2e.tableName)).toBe(before);
  });
});

describe('bad input on the city routes', () => {
  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const beforeCity = await snapshot(bus.tableName);
    const beforeDistrict = await snapshot(e2e.tableName);
    const ok = { title: '主题', description: '说明', kickoffDate: '2026-09-05' };
    const cases: BadCase[] = [
      { name: 'month not a month', method: 'GET', path: '/city/stats/monthly?month=2026-13', token: 'city' },
      { name: 'month words', method: 'GET', path: '/city/stats/monthly?month=last', token: 'city' },
      { name: 'rankBy not a counter name', method: 'GET', path: '/city/stats/monthly?rankBy=a-b', token: 'city' },
      // Letters, but no counter: ranking by them would read the prototype of the figures.
      ...['constructor', '__proto__', 'toString', 'hasOwnProperty', 'volunteerhours', 'ratings'].map(
        (rankBy): BadCase => ({
          name: `rankBy ${rankBy}`,
          method: 'GET',
          path: `/city/stats/monthly?rankBy=${rankBy}`,
          token: 'city',
        }),
      ),
      {
        name: 'csv rankBy constructor',
        method: 'GET',
        path: '/city/stats/monthly.csv?rankBy=constructor',
        token: 'city',
      },
      { name: 'unknown query', method: 'GET', path: '/city/stats/monthly?month=2026-03&district=x', token: 'city' },
      { name: 'csv bad month', method: 'GET', path: '/city/stats/monthly.csv?month=2026-1', token: 'city' },
      { name: 'csv bad lang', method: 'GET', path: '/city/stats/monthly.csv?month=2026-03&lang=fr', token: 'city' },
      { name: 'csv lang on JSON', method: 'GET', path: '/city/stats/monthly?month=2026-03&lang=zh', token: 'city' },
      { name: 'year out of range', method: 'GET', path: '/city/themes?year=1999', token: 'city' },
      { name: 'PUT bad month', method: 'PUT', path: '/city/themes/2026-13', token: 'city', body: ok },
      {
        name: 'PUT kickoff outside the month',
        method: 'PUT',
        path: '/city/themes/2026-09',
        token: 'city',
        body: { ...ok, kickoffDate: '2026-10-01' },
      },
      {
        name: 'PUT kickoff not a day',
        method: 'PUT',
        path: '/city/themes/2026-09',
        token: 'city',
        body: { ...ok, kickoffDate: '2026-09-31' },
      },
      {
        name: 'PUT no title',
        method: 'PUT',
        path: '/city/themes/2026-09',
        token: 'city',
        body: { description: 'x', kickoffDate: '2026-09-05' },
      },
      {
        name: 'PUT unknown field',
        method: 'PUT',
        path: '/city/themes/2026-09',
        token: 'city',
        body: { ...ok, district: 'jinjiang' },
      },
      {
        name: 'PUT unknown category',
        method: 'PUT',
        path: '/city/themes/2026-09',
        token: 'city',
        body: { ...ok, suggestedCategories: ['karaoke'] },
      },
      {
        name: 'PUT title too long',
        method: 'PUT',
        path: '/city/themes/2026-09',
        token: 'city',
        body: { ...ok, title: '长'.repeat(101) },
      },
      {
        name: 'PUT malformed JSON',
        method: 'PUT',
        path: '/city/themes/2026-09',
        token: 'city',
        raw: '{"title":',
        headers: { 'content-type': 'application/json' },
      },
      {
        name: 'PUT not JSON',
        method: 'PUT',
        path: '/city/themes/2026-09',
        token: 'city',
        raw: 'title=x',
        headers: { 'content-type': 'text/plain' },
      },
      { name: 'PUT empty body', method: 'PUT', path: '/city/themes/2026-09', token: 'city' },
    ];
    expect(await badInputFailures(api, cases, t)).toEqual([]);
    expect(await snapshot(bus.tableName)).toBe(beforeCity);
    expect(await snapshot(e2e.tableName)).toBe(beforeDistrict);
  });
});

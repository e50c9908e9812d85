import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allItems, snapshot } from '../support/inspect.ts';
import { mint, useE2e } from '../support/e2e.ts';
import { captureMetrics } from '../support/metrics.ts';
import { counterUpdate } from '../../shared/db/counters.ts';
import { placeScopes } from '../../shared/domain/counters.ts';
import { transact } from '../../shared/db/table.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { ROLLUP_DETAIL_TYPE } from '../../shared/domain/rollup.ts';
import { COUNTER_NAMES, figureColumns } from '../../shared/domain/stats.ts';
import { resetClock, setClock } from '../../shared/domain/clock.ts';
import { setPublisher } from '../../shared/events/publisher.ts';
import { parseCsv } from '../support/csv.ts';

/**
 * Statistics over HTTP: live counters written by real requests (check-ins approved, wishes
 * posted), the same as CSV for Excel, the public figures without a token, and a past month
 * frozen by the `rollup` job (run twice: the same snapshots).
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { street: '', otherStreet: '', community: '', other: '', grid: '' };
const t: Record<string, string> = {};
// The platform's clock runs from the middle of a month, so the month cannot turn during the run.
const month = '2026-06';
const NOW = '2026-06-15T04:00:00.000Z';
const PAST = '2025-03';
const events: { detailType: string; detail: unknown }[] = [];

/** Reads a response's raw bytes (fetch's text() would drop the byte order mark). */
async function raw(path: string, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(e2e.url + path, {
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  setClock(NOW);
  setPublisher({ publish: async (detailType, detail) => void events.push({ detailType, detail }) });
  t.district = await e2e.districtAdmin();
  const place = await e2e.place({ street: '春熙路街道', community: '红星社区', grid: '第一网格' });
  ids.street = place.streetId;
  ids.community = place.communityId;
  ids.grid = place.gridId;
  ids.otherStreet = await e2e.street('书院街, "东"');
  ids.other = await e2e.community(ids.otherStreet, '合江亭社区');
  t.admin = await mint.communityAdmin(ids.community);
  // Six members check in to the grid: six check-ins on the district, street, community and grid.
  for (let i = 0; i < 6; i++)
    await e2e.checkedInMember({ communityId: ids.community, gridId: ids.grid, name: `成员${i}`, approver: t.admin });
  // Two wishes posted in the other community.
  const resident = await mint.resident();
  for (let i = 0; i < 2; i++)
    expect(
      (
        await api.post('/wishes', resident, {
          title: '心愿',
          description: '描述',
          category: 'other',
          communityId: ids.other,
          contactName: '吴奶奶',
          contactPhone: '13500005555',
        })
      ).status,
    ).toBe(201);
  // A past month, as its requests left it.
  await transact(
    placeScopes({ districtId: 'jinjiang', streetId: ids.street, communityId: ids.community, gridId: ids.grid }).map(
      (r) =>
        counterUpdate(r, PAST, {
          checkIns: 12,
          activities: 5,
          volunteerTimes: 30,
          volunteerHours: 61.5,
          peopleServed: 200,
          wishesConfirmed: 3,
          ratingSum: 13,
          ratingCount: 3,
        }),
    ),
    () => new DomainError('CONCURRENT_UPDATE', 'x'),
  );
});
afterAll(() => {
  setPublisher(undefined);
  resetClock();
});

describe('statistics over HTTP', () => {
  it("GET /stats/monthly: this month's live counters with the streets, for a district admin", async () => {
    const res = await api.get(`/stats/monthly?month=${month}&scope=district&id=jinjiang`, t.district);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ month, scope: 'district', id: 'jinjiang', name: '锦江区', frozen: false });
    expect(Object.keys(res.body.figures).sort()).toEqual([...COUNTER_NAMES].sort());
    expect(res.body.figures).toMatchObject({ checkIns: 6, wishesPosted: 2, activities: 0 });
    const [first, second] = [ids.street, ids.otherStreet].sort();
    expect(res.body.children).toEqual([
      expect.objectContaining({ scope: 'street', id: first }),
      expect.objectContaining({ scope: 'street', id: second }),
    ]);
    expect(res.body.children.find((c: { id: string }) => c.id === ids.street)).toMatchObject({
      name: '春熙路街道',
      figures: { checkIns: 6 },
    });

    const community = await api.get(`/stats/monthly?month=${month}&scope=community&id=${ids.community}`, t.admin);
    expect(community.status).toBe(200);
    expect(community.body.children).toEqual([
      { scope: 'grid', id: ids.grid, name: '第一网格', figures: expect.objectContaining({ checkIns: 6 }) },
    ]);
    const grid = await api.get(
      `/stats/monthly?month=${month}&scope=grid&id=${ids.grid}&communityId=${ids.community}`,
      t.admin,
    );
    expect(grid.body).toMatchObject({ scope: 'grid', name: '第一网格', figures: { checkIns: 6 }, children: [] });
  });

  it('GET /stats/monthly.csv: UTF-8 with BOM, CRLF, Chinese names and escaped cells, a row per street and the total', async () => {
    const res = await raw(`/stats/monthly.csv?month=${month}&scope=district&id=jinjiang`, t.district);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="pioneer-jinjiang-${month}-district-jinjiang.csv"`,
    );
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['scope', 'id', 'name', ...figureColumns(COUNTER_NAMES)]);
    expect(rows).toHaveLength(4);
    const col = (name: string) => rows[0]!.indexOf(name);
    const byId = Object.fromEntries(rows.slice(1).map((r) => [r[1], r]));
    expect(byId[ids.street]!.slice(0, 3)).toEqual(['street', ids.street, '春熙路街道']);
    expect(byId[ids.otherStreet]![2]).toBe('书院街, "东"');
    expect(byId[ids.otherStreet]![col('wishesPosted')]).toBe('2');
    expect(rows.at(-1)!.slice(0, 3)).toEqual(['district', 'jinjiang', '锦江区']);
    expect(rows.at(-1)![col('checkIns')]).toBe('6');
  });

  it('GET /stats/monthly.csv with lang=zh, or an Accept-Language preferring Chinese: readable Chinese headers', async () => {
    const path = `/stats/monthly.csv?month=${month}&scope=district&id=jinjiang`;
    for (const [url, headers] of [
      [`${path}&lang=zh`, {}],
      [path, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }],
    ] as const) {
      const res = await raw(url, t.district, headers);
      expect(res.status).toBe(200);
      const rows = parseCsv(res.bytes.subarray(3).toString('utf8'));
      expect(rows[0]!.slice(0, 5)).toEqual(['层级', '编号', '名称', '社区报到数', '活动场次']);
      expect(rows[0]).toContain('平均评分');
      expect(rows[0]!.filter((h) => /^[a-z]+[A-Z]/.test(h))).toEqual([]);
      expect(rows.at(-1)!.slice(0, 3)).toEqual(['区县', 'jinjiang', '锦江区']);
      expect(rows.at(-1)![rows[0]!.indexOf('社区报到数')]).toBe('6');
    }
    // lang wins over Accept-Language; without either, English.
    const en = await raw(`${path}&lang=en`, t.district, { 'accept-language': 'zh-CN' });
    expect(parseCsv(en.bytes.subarray(3).toString('utf8'))[0]!.slice(0, 3)).toEqual(['scope', 'id', 'name']);
    const bad = await api.get(`${path}&lang=fr`, t.district);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.lang');
  });

  it('GET /stats/public: no token, the district and every community, small counts as "<5"', async () => {
    const res = await api.get('/stats/public');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.body).toMatchObject({ month, frozen: false, suppressedBelow: 5 });
    expect(res.body.district).toMatchObject({
      id: 'jinjiang',
      figures: { checkIns: 6, activities: '<5', volunteerHours: '<5' },
    });
    const byId = Object.fromEntries(res.body.communities.map((c: { id: string }) => [c.id, c]));
    expect(byId[ids.community]).toMatchObject({ name: '红星社区', figures: { checkIns: 6, wishesCompleted: '<5' } });
    expect(byId[ids.other].figures.checkIns).toBe('<5');
    expect(res.text).not.toContain('wishesPosted');
    const past = await api.get(`/stats/public?month=${PAST}`);
    expect(past.body.district.figures).toEqual({
      activities: 5,
      volunteerTimes: 30,
      volunteerHours: 61.5,
      peopleServed: 200,
      wishesCompleted: '<5',
      checkIns: 12,
    });
  });

  it('the rollup job freezes a past month: the routes then show the snapshot; twice changes nothing', async () => {
    const metrics = captureMetrics();
    const first = await api.post('/_local/jobs/rollup', undefined, { month: PAST });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ job: 'rollup', month: PAST, created: 4, existing: 0, published: true });
    expect(events.at(-1)).toMatchObject({
      detailType: ROLLUP_DETAIL_TYPE,
      detail: {
        district: 'jinjiang',
        month: PAST,
        figures: { volunteerHours: 61.5 },
        // The city names the street by the name its rollup carries.
        streets: [{ streetId: ids.street, name: '春熙路街道', figures: { checkIns: 12 } }],
      },
    });
    const frozen = await api.get(`/stats/monthly?month=${PAST}&scope=street&id=${ids.street}`, t.district);
    expect(frozen.body).toMatchObject({
      frozen: true,
      frozenAt: first.body.frozenAt,
      // The average rating beside the sum and count it comes from.
      figures: { checkIns: 12, ratingSum: 13, ratingCount: 3, ratingAverage: 4.33 },
    });
    expect(frozen.body.children).toEqual([expect.objectContaining({ id: ids.community, name: '红星社区' })]);
    expect((await api.get(`/stats/public?month=${PAST}`)).body).toMatchObject({
      frozen: true,
      frozenAt: first.body.frozenAt,
    });

    const before = await snapshot();
    const items = (await allItems()).filter((i) => i.sk === `FROZEN#${PAST}`);
    expect(items).toHaveLength(4);
    const again = await api.post('/_local/jobs/rollup', undefined, { month: PAST });
    expect(again.body).toMatchObject({ created: 0, existing: 4, alreadyFrozen: true, frozenAt: first.body.frozenAt });
    expect(await snapshot()).toBe(before);

    // Each run's metrics, by district, function and job: its duration, its result, what it froze.
    metrics.stop();
    const runs = metrics.documents.filter((d) => d.Job === 'rollup');
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(run).toMatchObject({ District: 'jinjiang', Function: 'jobs', JobFailed: 0 });
      expect(run.JobDuration).toBeGreaterThanOrEqual(0);
    }
    expect(runs.map((r) => r.ScopesFrozen)).toEqual([4, 0]);
  });

  it('verify-counters publishes its differences as a metric, and a job that throws says so', async () => {
    const metrics = captureMetrics();
    const ok = await api.post('/_local/jobs/verify-counters', undefined, { month: PAST });
    expect(ok.status).toBe(200);
    // A user error (no such date) is refused as one (issue 12: it was a 500), and the run counts as failed.
    const bad = await api.post('/_local/jobs/kickoff', undefined, { date: '2026-02-30' });
    expect(bad.status).toBe(400);
    metrics.stop();
    // This file writes its counters without their facts (beforeAll): the rebuild differs, and says how much.
    expect(ok.body.differences.length).toBeGreaterThan(0);
    expect(metrics.documents.find((d) => d.Job === 'verify-counters')).toMatchObject({
      District: 'jinjiang',
      Function: 'jobs',
      CounterDifferences: ok.body.differences.length,
      JobFailed: 0,
    });
    expect(metrics.documents.find((d) => d.Job === 'kickoff')).toMatchObject({ JobFailed: 1 });
  });
});

import fc from 'fast-check';
import { mintToken } from '../../infra/local/keys.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { memberKey, rankKey, scoreKey } from '../../shared/db/keys.ts';
import { rankSortKey } from '../../shared/domain/points.ts';
import type { Caller } from '../../shared/domain/policy.ts';
import { myRank } from '../../shared/services/evaluation.ts';
import { deliver, differences, LedgerReplay } from '../support/ledger-replay.ts';
import type { RequestFigure } from './requests.ts';
import { withPlatform } from './requests.ts';
import { batchWrite } from './seed.ts';

/**
 * `npm run bench -- rankings [members]`: one district ranking of 100,000 members (default), seeded
 * as the ledger consumer leaves it (a rank key per member, BatchWriteItem), then through the HTTP
 * path: the top 100 and "my rank" of the first, the middle and the last member, with their
 * DynamoDB round trips and capacity units.
 * `npm run bench -- ledger [members]`: 10,000 members' facts (default) delivered twice each,
 * through the consumer, against DynamoDB Local behind the layer; then the stored ledger compared
 * with the replay of the same facts (test/support/ledger-replay.ts).
 */
export interface RankingFigures {
  readonly members: number;
  readonly seedSeconds: number;
  readonly rows: (RequestFigure & { rank?: number; expected?: number })[];
}

const PERIOD = '2026';
const caller = (memberId: string): Caller => ({
  sub: memberId,
  roles: new Set(['member']),
  memberId,
  communityId: undefined,
  streetId: undefined,
  teamId: undefined,
  district: LOCAL_DISTRICT_ID,
});

export async function rankingBench(members = 100_000): Promise<RankingFigures> {
  return withPlatform(async (p) => {
    const rnd = fc.sample(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 6000 })), {
      numRuns: members,
      seed: 2026,
    });
    const t0 = Date.now();
    const rows = rnd.map(([points, halfHours], i) => {
      const memberId = `m-${String(i).padStart(6, '0')}`;
      const totals = {
        points,
        hours: halfHours / 2,
        reachedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 60_000).toISOString(),
      };
      return { memberId, totals, rankSk: rankSortKey(totals, memberId) };
    });
    rows.sort((a, b) => (a.rankSk > b.rankSk ? -1 : 1));
    const items: Record<string, unknown>[] = rows.map((r) => ({
      ...rankKey('member', 'district', LOCAL_DISTRICT_ID, PERIOD, r.rankSk),
    }));
    const picks = { first: rows[0]!, middle: rows[Math.floor(members / 2)]!, last: rows[members - 1]! };
    for (const r of Object.values(picks))
      items.push({
        ...scoreKey('member', r.memberId, 'district', LOCAL_DISTRICT_ID, PERIOD),
        type: 'score',
        ...r.totals,
        rankSk: r.rankSk,
        version: 1,
      });
    for (const r of rows.slice(0, 100))
      items.push({
        ...memberKey(r.memberId),
        type: 'member',
        memberId: r.memberId,
        name: '王建国',
        phone: '13912345678',
      });
    await batchWrite(items, 16);
    const seedSeconds = (Date.now() - t0) / 1000;
    const out: RankingFigures['rows'] = [];
    const anyone = await mintToken({ role: 'member', memberId: 'm-reader' });
    out.push(
      await p.measure(
        'GET /rankings/members (top 100 of the district)',
        () => p.api.get(`/rankings/members?scope=district&id=${LOCAL_DISTRICT_ID}&period=${PERIOD}`, anyone),
        'one Query (Limit 100), one BatchGetItem of names',
      ),
    );
    for (const [which, r] of Object.entries(picks)) {
      const token = await mintToken({ role: 'member', memberId: r.memberId });
      let res: { status: number; body: { rank?: number } } | undefined;
      const f = await p.measure(`GET /rankings/members/me (the ${which})`, async () => {
        res = await p.api.get(`/rankings/members/me?scope=district&id=${LOCAL_DISTRICT_ID}&period=${PERIOD}`, token);
        return res;
      });
      out.push({ ...f, rank: res!.body.rank, expected: rows.indexOf(r) + 1 });
      // The same use case without the HTTP function's 10 s timeout (DynamoDB Local counts a few
      // thousand items a second on this machine; DynamoDB reads a 1 MB page in tens of ms).
      let direct: { rank?: number } | undefined;
      const d = await p.measure(`myRank, called directly (the ${which})`, async () => {
        direct = await myRank(caller(r.memberId), { scope: 'district', id: LOCAL_DISTRICT_ID, period: PERIOD });
        return { status: 200 };
      });
      out.push({ ...d, rank: direct!.rank, expected: rows.indexOf(r) + 1 });
    }
    return { members, seedSeconds, rows: out };
  });
}

export function rankingTable(f: RankingFigures): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  return [
    `\n## Rankings: one district ranking of ${f.members.toLocaleString('en')} members (seeded in ${f.seedSeconds.toFixed(1)} s)\n`,
    '| request | status | DynamoDB round trips | capacity units | rank answered | rank expected |',
    '|---|---:|---:|---:|---:|---:|',
    ...f.rows.map(
      (r) =>
        `| ${r.label} | ${r.status} | ${fmt(r.calls)} | ${fmt(r.capacityUnits)} | ${r.rank ?? ''} | ${r.expected ?? ''} |`,
    ),
  ].join('\n');
}

export interface LedgerFigures {
  readonly members: number;
  readonly facts: number;
  readonly deliveries: number;
  readonly entries: number;
  readonly seconds: number;
  readonly differences: number;
  readonly firstDifferences: string[];
}

export async function ledgerBench(members = 10_000): Promise<LedgerFigures> {
  return withPlatform(async () => {
    const small = fc.record({
      records: fc.array(
        fc.record({
          hours: fc.integer({ min: 0, max: 16 }).map((n) => n / 2),
          corrections: fc.array(
            fc.integer({ min: 0, max: 16 }).map((n) => n / 2),
            { maxLength: 1 },
          ),
          day: fc.integer({ min: 0, max: 500 }),
          team: fc.integer({ min: 0, max: 2 }),
          community: fc.integer({ min: 0, max: 2 }),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      evaluations: fc.array(
        fc.record({ rating: fc.integer({ min: 0, max: 3 }), day: fc.integer({ min: 0, max: 500 }) }),
        {
          maxLength: 1,
        },
      ),
      trainings: fc.array(
        fc.record({ hours: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 0, max: 500 }) }),
        { maxLength: 1 },
      ),
    });
    const plans = fc.sample(small, { numRuns: members, seed: 13 }).map((plan, i) => ({ memberId: `b-${i}`, plan }));
    const facts = plans.reduce(
      (n, m) =>
        n +
        m.plan.records.reduce((k, r) => k + 1 + r.corrections.length, 0) +
        m.plan.evaluations.length +
        m.plan.trainings.length,
      0,
    );
    const replay = new LedgerReplay(LOCAL_DISTRICT_ID);
    const t0 = Date.now();
    let deliveries = 0;
    await deliver(plans, replay, 8, () => deliveries++);
    const seconds = (Date.now() - t0) / 1000;
    const diffs = await differences(
      plans.map((m) => m.memberId),
      replay,
    );
    return {
      members,
      facts,
      deliveries,
      entries: replay.entries.size,
      seconds,
      differences: diffs.length,
      firstDifferences: diffs.slice(0, 5),
    };
  });
}

export function ledgerTable(f: LedgerFigures): string {
  return [
    '\n## Points ledger: facts replayed against what the consumer stored\n',
    '| members | fact revisions | deliveries (each twice, plus an old image again) | entries | time (s) | deliveries / s | differences |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${f.members.toLocaleString('en')} | ${f.facts.toLocaleString('en')} | ${f.deliveries.toLocaleString('en')} | ${f.entries.toLocaleString('en')} | ${f.seconds.toFixed(1)} | ${(f.deliveries / f.seconds).toFixed(0)} | ${f.differences} |`,
    ...f.firstDifferences.map((d) => `\n${d}`),
  ].join('\n');
}

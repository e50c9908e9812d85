import { mintToken } from '../../infra/local/keys.ts';
import { emptyDbMetrics, type DbMetrics } from '../../shared/db/client.ts';
import { activityItem, signupItem } from '../../shared/db/activities.ts';
import { profileItem } from '../../shared/db/members.ts';
import type { Activity, Signup } from '../../shared/domain/activity.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { Res } from '../support/client.ts';
import { withPlatform, type Platform } from './requests.ts';
import { batchWrite, pool } from './seed.ts';

/**
 * `npm run bench -- burst [concurrency]`: a concentrated service day in one district, all at
 * once, through the HTTP API against DynamoDB Local behind the layer (transaction conflicts as in
 * AWS): 1,000 sign-ups across 20 activities, 200 on-site check-ins, 100 check-in approvals, 30
 * closes of 50 attendees each, and 100 wish transitions (35 reviews, 35 claims, 30 completions),
 * shuffled and sent by `concurrency` clients (default 32). Every one of them counts in the same
 * district (and streets, communities) in the same month. Reported: what clients saw by kind and
 * code, p50/p99, DynamoDB calls, capacity and retried conflicts per request, and verify-counters'
 * differences afterwards (there must be none). The clock is frozen at T (sign-ups, attendance and
 * closes all happen at the same instant).
 */
const T = '2027-05-10T02:00:00.000Z'; // 10:00 in Shanghai
const at = (minutes: number) => new Date(Date.parse(T) + minutes * 60_000).toISOString();
const MONTH = '2027-05';

type Kind = 'sign-up' | 'check-in on site' | 'check-in approval' | 'close (50 attendees)' | 'wish transition';
interface Job {
  kind: Kind;
  send: () => Promise<Res>;
}
export interface KindFigures {
  kind: Kind;
  requests: number;
  ok: number;
  clientErrors: Record<string, number>;
  serverErrors: number;
  p50: number;
  p99: number;
  calls: number;
  capacityUnits: number;
  conflictsRetried: number;
}
export interface BurstResult {
  concurrency: number;
  seconds: number;
  kinds: KindFigures[];
  differences: number;
  layerConflicts: { transactions: number; singleWrites: number };
}

const KIND_OF_ROUTE: Record<string, Kind> = {
  'POST /activities/{activityId}/signups': 'sign-up',
  'POST /activities/{activityId}/check-in': 'check-in on site',
  'POST /check-ins/{checkInId}/approve': 'check-in approval',
  'POST /activities/{activityId}/close': 'close (50 attendees)',
  'POST /wishes/{wishId}/review': 'wish transition',
  'POST /wishes/{wishId}/claim': 'wish transition',
  'POST /wishes/{wishId}/complete': 'wish transition',
};

/** A deterministic shuffle (the same order every run). */
function shuffle<T>(xs: T[]): T[] {
  let seed = 20270510;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function ok(res: Promise<Res>, what: string, status = [200, 201]): Promise<Res> {
  const r = await res;
  if (!status.includes(r.status)) throw new Error(`burst setup: ${what} answered ${r.status}: ${r.text}`);
  return r;
}

function profile(memberId: string, name: string) {
  const now = at(-10_000);
  return profileItem({
    memberId,
    name,
    phone: '13912345678',
    skills: [],
    categories: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}

/** Everything the burst acts on, made through the API (or written directly where the API would take minutes). */
async function setUp(p: Platform): Promise<Job[]> {
  const { api } = p;
  freezeClock(at(-3 * 24 * 60));
  const admin = await mintToken({ role: 'district_admin' });
  const places: { streetId: string; communityId: string; gridId: string; name: string }[] = [];
  for (let s = 0; s < 2; s++) {
    const streetId = (await ok(api.post('/streets', admin, { name: `街道${s}` }), 'street')).body.streetId;
    for (let c = 0; c < 2; c++) {
      const name = `社区${s}${c}`;
      const communityId = (await ok(api.post('/communities', admin, { name, streetId }), 'community')).body.communityId;
      const gridId = (await ok(api.post(`/communities/${communityId}/grids`, admin, { name: '一网格' }), 'grid')).body
        .gridId;
      places.push({ streetId, communityId, gridId, name });
    }
  }
  const members = Array.from({ length: 1500 }, (_, i) => `b-m-${String(i).padStart(4, '0')}`);
  const leaders = Array.from({ length: 10 }, (_, i) => `b-lead-${i}`);
  const applicants = Array.from({ length: 100 }, (_, i) => `b-ci-${i}`);
  const claimers = Array.from({ length: 65 }, (_, i) => `b-wish-${i}`);
  await batchWrite([
    ...members.map((m) => profile(m, `成员${m.slice(-4)}`)),
    ...leaders.map((m) => profile(m, `队长${m.slice(-1)}`)),
    ...applicants.map((m) => profile(m, `居民${m.slice(5)}`)),
    ...claimers.map((m) => profile(m, `志愿者${m.slice(7)}`)),
  ]);
  const teams: { teamId: string; token: string; leader: string; place: (typeof places)[number] }[] = [];
  for (const [i, leader] of leaders.entries()) {
    const place = places[i % places.length]!;
    const t = await ok(
      api.post('/teams', admin, {
        name: `服务队${i}`,
        category: 'health',
        scope: 'community',
        communityId: place.communityId,
        leaderMemberId: leader,
      }),
      'team',
    );
    teams.push({
      teamId: t.body.teamId,
      leader,
      token: await mintToken({ role: 'team_leader', memberId: leader, teamId: t.body.teamId }),
      place,
    });
  }

  // Check-in requests to approve: pending since three days.
  const pending: string[] = [];
  await pool(applicants, 8, async (m) => {
    const token = await mintToken({ role: 'member', memberId: m });
    const place = places[pending.length % places.length]!;
    pending.push(
      (await ok(api.post('/check-ins', token, { communityId: place.communityId, gridId: place.gridId }), 'check-in'))
        .body.checkInId,
    );
  });

  // Wishes: 100 posted; 65 published; 30 of those claimed (the others are claimed in the burst).
  const resident = await mintToken({ role: 'resident', sub: 'b-resident' });
  const wishes: string[] = [];
  await pool(
    Array.from({ length: 100 }, (_, i) => i),
    8,
    async (i) => {
      const place = places[i % places.length]!;
      const w = await ok(
        api.post('/wishes', resident, {
          title: `心愿${i}`,
          description: '需要帮忙',
          category: 'elderly-care',
          skillsWanted: [],
          communityId: place.communityId,
          gridId: place.gridId,
          contactName: '王阿姨',
          contactPhone: '13812345678',
        }),
        'wish',
      );
      wishes.push(w.body.wishId);
    },
  );
  const toReview = wishes.slice(0, 35);
  const published = wishes.slice(35);
  await pool(published, 8, (w) =>
    ok(api.post(`/wishes/${w}/review`, admin, { decision: 'publish' }), 'publish').then(() => undefined),
  );
  const toClaim = published.slice(0, 35);
  const claimed = published.slice(35);
  const claimerTokens = await Promise.all(claimers.map((m) => mintToken({ role: 'member', memberId: m })));
  await pool([...claimed.entries()], 8, ([i, w]) =>
    ok(api.post(`/wishes/${w}/claim`, claimerTokens[35 + i]), 'claim').then(() => undefined),
  );

  // Activities: 20 to sign up for (tomorrow), published through the API three days ahead.
  const upcoming: string[] = [];
  for (let i = 0; i < 20; i++) {
    const t = teams[i % teams.length]!;
    const a = await ok(
      api.post('/activities', t.token, {
        title: `服务日活动${i}`,
        content: '集中服务',
        category: 'health',
        communityId: t.place.communityId,
        address: '社区广场',
        startsAt: at(24 * 60),
        endsAt: at(24 * 60 + 180),
        capacity: 40,
      }),
      'publish',
    );
    upcoming.push(a.body.activityId);
  }
  // 10 activities on now (attendance open), 20 confirmed each; 30 that ended yesterday, 50 attendees
  // each, checked in and out: written directly, as the sign-ups and attendance before would have.
  const activity = (id: string, i: number, startsAt: string, endsAt: string, confirmed: number): Activity => {
    const t = teams[i % teams.length]!;
    return {
      activityId: id,
      teamId: t.teamId,
      teamName: `服务队${i % teams.length}`,
      leaderMemberId: t.leader,
      leaderName: `队长${i % teams.length}`,
      title: `活动${id}`,
      content: '集中服务',
      category: 'health',
      streetId: t.place.streetId,
      communityId: t.place.communityId,
      communityName: t.place.name,
      address: '社区广场',
      startsAt,
      endsAt,
      capacity: 60,
      kind: 'regular',
      status: 'open',
      confirmedCount: confirmed,
      waitlistedCount: 0,
      createdAt: at(-3 * 24 * 60),
    };
  };
  const signup = (a: Activity, memberId: string, attended: boolean): Signup => ({
    activityId: a.activityId,
    memberId,
    memberName: `成员${memberId.slice(-4)}`,
    status: 'confirmed',
    ticket: Date.parse(a.createdAt),
    signedUpAt: a.createdAt,
    ...(attended ? { checkedInAt: a.startsAt, checkedOutAt: a.endsAt } : {}),
  });
  const onNow = Array.from({ length: 10 }, (_, i) => activity(`b-now-${i}`, i, at(10), at(130), 20));
  const ended = Array.from({ length: 30 }, (_, i) => activity(`b-ended-${i}`, i, at(-24 * 60), at(-24 * 60 + 180), 50));
  const attending = onNow.flatMap((a, i) => members.slice(i * 20, i * 20 + 20).map((m) => ({ a, m })));
  await batchWrite([
    ...onNow.map(activityItem),
    ...ended.map(activityItem),
    ...attending.map(({ a, m }) => signupItem(signup(a, m, false))),
    ...ended.flatMap((a, i) => members.slice(i * 50, i * 50 + 50).map((m) => signupItem(signup(a, m, true)))),
  ]);
  freezeClock(T);
  const codes = new Map<string, string>();
  for (const a of onNow) {
    const t = teams.find((x) => x.teamId === a.teamId)!;
    codes.set(
      a.activityId,
      (await ok(api.post(`/activities/${a.activityId}/attendance-code`, t.token), 'code')).body.code,
    );
  }

  // The burst.
  const memberToken = new Map<string, string>();
  const tokenOf = async (m: string) => {
    let t = memberToken.get(m);
    if (!t) memberToken.set(m, (t = await mintToken({ role: 'member', memberId: m })));
    return t;
  };
  const jobs: Job[] = [];
  for (const [i, id] of upcoming.entries())
    for (const m of members.slice(500 + ((i * 50) % 1000), 500 + ((i * 50) % 1000) + 50)) {
      const token = await tokenOf(m);
      jobs.push({ kind: 'sign-up', send: () => p.api.post(`/activities/${id}/signups`, token) });
    }
  for (const { a, m } of attending) {
    const token = await tokenOf(m);
    const code = codes.get(a.activityId)!;
    jobs.push({
      kind: 'check-in on site',
      send: () => p.api.post(`/activities/${a.activityId}/check-in`, token, { code }),
    });
  }
  for (const id of pending)
    jobs.push({ kind: 'check-in approval', send: () => p.api.post(`/check-ins/${id}/approve`, admin) });
  for (const a of ended) {
    const t = teams.find((x) => x.teamId === a.teamId)!;
    jobs.push({
      kind: 'close (50 attendees)',
      send: () => p.api.post(`/activities/${a.activityId}/close`, t.token, { peopleServed: 80, summary: '顺利完成' }),
    });
  }
  for (const w of toReview)
    jobs.push({
      kind: 'wish transition',
      send: () => p.api.post(`/wishes/${w}/review`, admin, { decision: 'publish' }),
    });
  for (const [i, w] of toClaim.entries())
    jobs.push({ kind: 'wish transition', send: () => p.api.post(`/wishes/${w}/claim`, claimerTokens[i]) });
  for (const [i, w] of claimed.entries())
    jobs.push({
      kind: 'wish transition',
      send: () => p.api.post(`/wishes/${w}/complete`, claimerTokens[35 + i], { note: '已完成', hours: 1.5 }),
    });
  return shuffle(jobs);
}

export async function burstBench(concurrency = 32): Promise<BurstResult> {
  const meters = new Map<Kind, DbMetrics>();
  const meterOf = (kind: Kind) => {
    let m = meters.get(kind);
    if (!m) meters.set(kind, (m = emptyDbMetrics()));
    return m;
  };
  let metering = false;
  try {
    return await withPlatform(
      async (p) => {
        const jobs = await setUp(p);
        p.layer.resetStats();
        const seen: { kind: Kind; status: number; code?: string; ms: number }[] = [];
        metering = true;
        const t0 = performance.now();
        await pool(jobs, concurrency, async (job) => {
          const s = performance.now();
          const r = await job.send();
          seen.push({ kind: job.kind, status: r.status, code: r.body?.code, ms: performance.now() - s });
        });
        const seconds = (performance.now() - t0) / 1000;
        metering = false;
        const layerStats = p.layer.stats();
        const verify = await p.api.post('/_local/jobs/verify-counters', undefined, { month: MONTH });
        if (verify.status !== 200) throw new Error(`verify-counters answered ${verify.status}: ${verify.text}`);
        const kinds = [...new Set(jobs.map((j) => j.kind))].map((kind): KindFigures => {
          const mine = seen.filter((x) => x.kind === kind);
          const ms = mine.map((x) => x.ms).sort((a, b) => a - b);
          const clientErrors: Record<string, number> = {};
          for (const x of mine)
            if (x.status >= 400 && x.status < 500)
              clientErrors[x.code ?? String(x.status)] = (clientErrors[x.code ?? String(x.status)] ?? 0) + 1;
          const m = meterOf(kind);
          return {
            kind,
            requests: mine.length,
            ok: mine.filter((x) => x.status < 300).length,
            clientErrors,
            serverErrors: mine.filter((x) => x.status >= 500).length,
            p50: percentile(ms, 0.5),
            p99: percentile(ms, 0.99),
            calls: m.calls / mine.length,
            capacityUnits: m.capacityUnits / mine.length,
            conflictsRetried: m.conflictsRetried,
          };
        });
        return {
          concurrency,
          seconds,
          kinds,
          differences: (verify.body.differences as unknown[]).length,
          layerConflicts: {
            transactions: layerStats.conflicts.transactions,
            singleWrites: layerStats.conflicts.singleWrites,
          },
        };
      },
      { meter: (routeKey) => (metering && KIND_OF_ROUTE[routeKey] ? meterOf(KIND_OF_ROUTE[routeKey]) : undefined) },
    );
  } finally {
    resetClock();
  }
}

export function burstTable(r: BurstResult): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const errors = (e: Record<string, number>) =>
    Object.entries(e)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ') || '0';
  const total = r.kinds.reduce((n, k) => n + k.requests, 0);
  return [
    `\n## Service-day burst (${total} requests, ${r.concurrency} at a time, conflicts reproduced): ${r.seconds.toFixed(1)} s, verify-counters differences ${r.differences}\n`,
    '| request | requests | 2xx | client errors by code | 5xx | p50 (ms) | p99 (ms) | DynamoDB calls / request | capacity units / request | conflicts retried |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|',
    ...r.kinds.map(
      (k) =>
        `| ${k.kind} | ${k.requests} | ${k.ok} | ${errors(k.clientErrors)} | ${k.serverErrors} | ${Math.round(k.p50)} | ${Math.round(k.p99)} | ${fmt(k.calls)} | ${fmt(k.capacityUnits)} | ${k.conflictsRetried} |`,
    ),
    '',
    `Transaction conflicts met at the layer: ${r.layerConflicts.transactions} transactions, ${r.layerConflicts.singleWrites} single-item writes.`,
  ].join('\n');
}

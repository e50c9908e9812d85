import { liveCounters } from '../support/counters.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetClock, setClock } from '../../shared/domain/clock.ts';
import { allItems } from '../support/inspect.ts';
import { mint, useE2e } from '../support/e2e.ts';

/** Micro-wish races over HTTP: many callers at once, exact counts at the end. */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};
let communityId = '';
// The platform's clock runs from the middle of a month, so the counters' month cannot turn during the run.
const MONTH = '2026-06';

beforeAll(async () => {
  setClock('2026-06-15T04:00:00.000Z');
  communityId = await e2e.community(await e2e.street(), '竞争社区');
  t.admin = await mint.communityAdmin(communityId);
  t.resident = await mint.resident();
});
afterAll(() => resetClock());

async function publishedWish(): Promise<string> {
  const w = await api.post('/wishes', t.resident, {
    title: '帮忙搬家具',
    description: '需要两个人',
    category: 'other',
    communityId,
    contactName: '周阿姨',
    contactPhone: '13600006666',
  });
  expect(w.status).toBe(201);
  expect((await api.post(`/wishes/${w.body.wishId}/review`, t.admin, { decision: 'publish' })).status).toBe(200);
  return w.body.wishId;
}

const claimsOf = async (memberId: string) =>
  Number((await allItems()).find((i) => i.pk === `MEMBER#${memberId}` && i.sk === 'WISH_CLAIMS')?.open ?? 0);

describe('wish races', () => {
  it('100 concurrent claims of one wish: exactly one winner, 99 × 409 WISH_ALREADY_CLAIMED', async () => {
    const wishId = await publishedWish();
    const members: { memberId: string; token: string }[] = [];
    for (let i = 0; i < 100; i += 25)
      members.push(...(await Promise.all(Array.from({ length: 25 }, () => e2e.member()))));
    const results = await Promise.all(members.map((m) => api.post(`/wishes/${wishId}/claim`, m.token)));
    const winners = results.flatMap((r, i) => (r.status === 200 ? [members[i]!] : []));
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 200);
    expect(losers).toHaveLength(99);
    expect(losers.every((r) => r.status === 409 && r.body.code === 'WISH_ALREADY_CLAIMED')).toBe(true);

    const items = await allItems();
    const wish = items.find((i) => i.pk === `WISH#${wishId}` && i.sk === 'WISH')!;
    expect(wish).toMatchObject({
      status: 'claimed',
      version: 3,
      claimant: { kind: 'member', memberId: winners[0]!.memberId },
    });
    expect(
      items.filter((i) => i.type === 'wish-event' && i.wishId === wishId && i.eventType === 'WishClaimed'),
    ).toHaveLength(1);
    const open = items.filter((i) => i.sk === 'WISH_CLAIMS' && Number(i.open) !== 0);
    expect(open.map((i) => [i.memberId, i.open])).toEqual([[winners[0]!.memberId, 1]]);
    expect((await liveCounters('community', communityId, MONTH)).wishesClaimed).toBe(1);
  });

  it('10 concurrent claims by one member of 10 wishes, limit 3: exactly 3 claimed', async () => {
    const wishes: string[] = [];
    for (let i = 0; i < 10; i++) wishes.push(await publishedWish());
    const m = await e2e.member();
    const results = await Promise.all(wishes.map((id) => api.post(`/wishes/${id}/claim`, m.token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(7);
    expect(refused.every((r) => r.status === 409 && r.body.code === 'CLAIM_LIMIT_REACHED')).toBe(true);
    expect(await claimsOf(m.memberId)).toBe(3);
    const claimed = (await allItems()).filter(
      (i) => i.type === 'wish' && wishes.includes(String(i.wishId)) && i.status === 'claimed',
    );
    expect(claimed).toHaveLength(3);
  });

  it('20 concurrent posts in one community all land, and are all counted', async () => {
    const before = await liveCounters('community', communityId, MONTH);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.post('/wishes', t.resident, {
          title: `心愿${i}`,
          description: '描述',
          category: 'other',
          communityId,
          contactName: '周阿姨',
          contactPhone: '13600006666',
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const after = await liveCounters('community', communityId, MONTH);
    expect(Number(after.wishesPosted) - Number(before.wishesPosted)).toBe(20);
  });

  it('the claimant completing and releasing at once: exactly one of them wins', async () => {
    const wishId = await publishedWish();
    const m = await e2e.member();
    expect((await api.post(`/wishes/${wishId}/claim`, m.token)).status).toBe(200);
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => api.post(`/wishes/${wishId}/complete`, m.token, { note: '完成', hours: 2 })),
      ...Array.from({ length: 5 }, () => api.post(`/wishes/${wishId}/release`, m.token)),
    ]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === 'WISH_ACTION_NOT_ALLOWED')).toHaveLength(9);
    expect(await claimsOf(m.memberId)).toBe(0);
    const records = (await allItems()).filter((i) => i.type === 'service-record' && i.activityId === wishId);
    const wish = (await allItems()).find((i) => i.pk === `WISH#${wishId}` && i.sk === 'WISH')!;
    expect(records).toHaveLength(wish.status === 'completed' ? 1 : 0);
  });
});

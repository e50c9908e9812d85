import { beforeAll, describe, expect, it } from 'vitest';
import { allItems } from '../support/inspect.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/** Concurrency over HTTP: many callers at once, an exact count at the end. */
const e2e = useE2e();
const { api } = e2e;
let communityId = '';

beforeAll(async () => {
  communityId = await e2e.community(await e2e.street());
});

const checkInsOf = async (memberId: string) =>
  (await allItems()).filter((i) => i.type === 'check-in' && i.memberId === memberId);

describe('races', () => {
  it('20 concurrent identical check-in requests leave exactly one pending check-in', async () => {
    const m = await e2e.member();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.post('/check-ins', m.token, { communityId })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'CHECKIN_ALREADY_PENDING')).toBe(true);
    const stored = await checkInsOf(m.memberId);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe('pending');
  });

  it('20 concurrent requests with one Idempotency-Key create one check-in and replay it', async () => {
    const m = await e2e.member();
    const key = `ci-${uniq('k')}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.post('/check-ins', m.token, { communityId }, { 'idempotency-key': key })),
    );
    // Exactly one writes; every other one answers with its response, byte for byte (never a 409).
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(20);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotency-replayed') === 'true')).toHaveLength(19);
    const replay = await api.post('/check-ins', m.token, { communityId }, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.body.checkInId).toBe(created[0]!.body.checkInId);
    expect(await checkInsOf(m.memberId)).toHaveLength(1);
  });

  it('concurrent approvals and rejections of one request: exactly one decision wins', async () => {
    const m = await e2e.member();
    const ci = await api.post('/check-ins', m.token, { communityId });
    const admin = await mint.communityAdmin(communityId);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2
          ? api.post(`/check-ins/${ci.body.checkInId}/approve`, admin)
          : api.post(`/check-ins/${ci.body.checkInId}/reject`, admin, { reason: '重复' }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    const roster = (await allItems()).filter((i) => i.type === 'roster' && i.memberId === m.memberId);
    const stored = (await checkInsOf(m.memberId))[0]!;
    expect(roster).toHaveLength(stored.status === 'approved' ? 1 : 0);
  });

  it('10 concurrent creations of one street name (spelled differently) and of one community name: exactly one each', async () => {
    const district = await e2e.districtAdmin();
    const spellings = ['Race Street', 'race street', ' RACE STREET', 'Ｒａｃｅ Ｓｔｒｅｅｔ', 'race  street'];
    const streets = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.post('/streets', district, { name: spellings[i % spellings.length] })),
    );
    expect(streets.filter((r) => r.status === 201)).toHaveLength(1);
    expect(streets.filter((r) => r.status === 409 && r.body.code === 'NAME_TAKEN')).toHaveLength(9);
    const streetId = streets.find((r) => r.status === 201)!.body.streetId as string;
    const communities = await Promise.all(
      Array.from({ length: 10 }, () => api.post('/communities', district, { name: '竞速社区', streetId })),
    );
    expect(communities.filter((r) => r.status === 201)).toHaveLength(1);
    expect(communities.filter((r) => r.status === 409 && r.body.code === 'NAME_TAKEN')).toHaveLength(9);
    const items = await allItems();
    expect(items.filter((i) => i.type === 'street' && String(i.name).toLowerCase().includes('race'))).toHaveLength(1);
    expect(items.filter((i) => i.type === 'community' && i.streetId === streetId)).toHaveLength(1);
    expect(
      items.filter((i) => i.type === 'name-claim' && (i.ownerId === streetId || i.parent === streetId)),
    ).toHaveLength(2);
  });

  it('a member cancelling while admins approve and reject: exactly one outcome, the lock freed once', async () => {
    const m = await e2e.member();
    const ci = await api.post('/check-ins', m.token, { communityId });
    const admin = await mint.communityAdmin(communityId);
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        i % 3 === 0
          ? api.post(`/check-ins/${ci.body.checkInId}/cancel`, m.token)
          : i % 3 === 1
            ? api.post(`/check-ins/${ci.body.checkInId}/approve`, admin)
            : api.post(`/check-ins/${ci.body.checkInId}/reject`, admin, { reason: '重复' }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(8);
    const stored = (await checkInsOf(m.memberId))[0]!;
    const winner = results.find((r) => r.status === 200)!.body.status;
    expect(stored.status).toBe(winner);
    const items = await allItems();
    expect(items.filter((i) => i.type === 'check-in-lock' && i.checkInId === ci.body.checkInId)).toHaveLength(0);
    expect(items.filter((i) => i.type === 'roster' && i.memberId === m.memberId)).toHaveLength(
      winner === 'approved' ? 1 : 0,
    );
  });
});

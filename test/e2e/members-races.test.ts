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
});

import { beforeAll, describe, expect, it } from 'vitest';
import { allItems } from '../support/inspect.ts';
import { type TeamFixture, useE2e } from '../support/e2e.ts';

/** Team races over HTTP: one member joining 20 times at once, 20 approvals at once; exact counts. */
const e2e = useE2e();
const { api } = e2e;
let district = '';
let team: TeamFixture;

beforeAll(async () => {
  district = await e2e.districtAdmin();
  const communityId = await e2e.community(await e2e.street());
  team = await e2e.team({ communityId, name: '法律援助志愿服务队', category: 'legal-aid' });
});

describe('teams races', () => {
  it('20 concurrent join requests by one member leave exactly one pending request', async () => {
    const m = await e2e.member();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.post(`/teams/${team.teamId}/join`, m.token)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect(results.every((r) => r.status < 500)).toBe(true);
    const stored = (await allItems()).filter((i) => i.type === 'team-member' && i.memberId === m.memberId);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe('pending');
  });

  it('20 concurrent approvals of different members leave memberCount exact', async () => {
    const before = (await api.get(`/teams/${team.teamId}`, district)).body.memberCount as number;
    const ms = await Promise.all(Array.from({ length: 20 }, () => e2e.member()));
    for (const m of ms) await e2e.joinRequest(team.teamId, m);
    const results = await Promise.all(
      ms.map((m) => api.post(`/teams/${team.teamId}/members/${m.memberId}/approve`, team.leader.token)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const after = (await api.get(`/teams/${team.teamId}`, district)).body.memberCount;
    expect(after).toBe(before + 20);
    const active = (await allItems()).filter(
      (i) => i.type === 'team-member' && i.teamId === team.teamId && i.status === 'active',
    );
    expect(active).toHaveLength(after);
  });
});

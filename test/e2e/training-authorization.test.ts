import { afterAll, beforeAll, describe, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { deniedFailures, expectRefusedWritingNothing, type Attempt } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Who may grant, read and report qualifications, and run courses: only admins of the member's
 * community (or above) grant; a team's expiries are its leader's; a community's are its admins';
 * only the course's team's leader adds sessions; courses are created by team leaders only.
 */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};
const ids = { community: '', otherCommunity: '', member: '', team: '', course: '' };

beforeAll(async () => {
  freezeClock('2026-12-01T00:00:00.000Z');
  const street = await e2e.street();
  const otherStreet = await e2e.street('别的街道');
  ids.community = await e2e.community(street, '本社区');
  ids.otherCommunity = await e2e.community(otherStreet, '别的社区');
  t.admin = await mint.communityAdmin(ids.community);
  t.otherAdmin = await mint.communityAdmin(ids.otherCommunity);
  t.otherStreetAdmin = await mint.streetAdmin(otherStreet);
  const m = await e2e.checkedInMember({ communityId: ids.community });
  ids.member = m.memberId;
  t.member = m.token;
  t.otherMember = (await e2e.member()).token;
  t.resident = await mint.resident();
  const a = await e2e.team({ name: 'A队', communityId: ids.community });
  const b = await e2e.team({ name: 'B队', communityId: ids.community });
  ids.team = a.teamId;
  t.leaderA = a.leader.token;
  t.leaderB = b.leader.token;
  t.leaderNoTeam = await mint.leader(a.leader.memberId);
  Object.assign(t, await mint.outsiders({ role: 'community_admin', communityId: ids.community }));
  const c = await api.post('/courses', t.leaderA, {
    name: '岗前培训',
    content: '礼仪',
    tier: 'pre-service',
    studyHours: 2,
    completionRule: 'any',
    communityId: ids.community,
  });
  ids.course = c.body.courseId;
});
afterAll(() => resetClock());

describe('qualifications and courses: who may', () => {
  const attempts = (): Attempt[] => [
    {
      method: 'POST',
      path: () => `/members/${ids.member}/qualifications`,
      body: () => ({ qualification: 'backbone' }),
      deny: { otherAdmin: [403], otherStreetAdmin: [403], member: [403], leaderA: [403], resident: [403] },
    },
    { method: 'GET', path: () => '/members/me/qualifications', deny: { admin: [403], resident: [403] } },
    {
      method: 'GET',
      path: () => `/qualifications/expiring?days=30&communityId=${ids.community}`,
      deny: { otherAdmin: [403], otherStreetAdmin: [403], member: [403], leaderA: [403], resident: [403] },
    },
    {
      method: 'GET',
      path: () => `/qualifications/expiring?days=30&teamId=${ids.team}`,
      deny: { leaderB: [403], admin: [403], member: [403], leaderNoTeam: [403] },
    },
    {
      method: 'GET',
      path: () => `/qualifications/expiring?days=30&memberId=${ids.member}`,
      deny: { otherMember: [403], admin: [403], leaderA: [403] },
    },
    {
      method: 'POST',
      path: () => '/courses',
      body: () => ({
        name: '课',
        content: '课',
        tier: 'backbone',
        studyHours: 1,
        completionRule: 'last',
        communityId: ids.community,
      }),
      deny: { admin: [403], member: [403], resident: [403], leaderNoTeam: [403] },
    },
    {
      method: 'POST',
      path: () => `/courses/${ids.course}/sessions`,
      body: () => ({
        startsAt: '2026-12-05T09:00:00+08:00',
        endsAt: '2026-12-05T11:00:00+08:00',
        capacity: 5,
        address: '三楼',
      }),
      deny: { leaderB: [403], admin: [403], member: [403], leaderNoTeam: [403] },
    },
    { method: 'GET', path: () => '/courses', deny: {} },
    { method: 'GET', path: () => `/courses/${ids.course}`, deny: {} },
  ];

  it('refuses each outsider with the right status, as problem+json, writing nothing', async () => {
    await expectRefusedWritingNothing(() => deniedFailures(api, attempts(), t), e2e.tableName);
  });
});

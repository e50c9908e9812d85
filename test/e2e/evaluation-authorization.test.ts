import { beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../shared/domain/clock.ts';
import { dayOf } from '../../shared/domain/time.ts';
import { signupItem } from '../../shared/db/activities.ts';
import { putNew } from '../../shared/db/writes.ts';
import { applyChange, postFact } from '../../shared/services/ledger.ts';
import { feedLedger } from '../support/ledger.ts';
import { type Attempt, deniedFailures, expectRefusedWritingNothing } from '../support/matrix.ts';
import { seedRecord } from '../support/records.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/**
 * Outsiders against the evaluation routes: a resident, another member, the leader of the
 * member's team (who administers no community), admins of another community and street, a
 * token of another district, an expired token, no token. Each gets 401 (the gateway), a 403
 * (role) or a 404 (a member or record they may not know of), and nothing in the table changes.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { member: '', record: '', community: '', street: '' };
const tokens: Record<string, string> = {};
const PHONE = '13912345678';

beforeAll(async () => {
  const place = await e2e.place();
  ids.community = place.communityId;
  ids.street = place.streetId;
  const otherStreet = await e2e.street('另一街道');
  const otherCommunity = await e2e.community(otherStreet, '另一社区');
  const m = await e2e.checkedInMember({ communityId: ids.community, name: '王大锤' });
  ids.member = m.memberId;
  tokens.memberA = m.token;
  const team = await e2e.team({ communityId: ids.community });
  const r = await seedRecord({
    memberId: m.memberId,
    memberName: '王大锤',
    team: { teamId: team.teamId, leaderName: '队长' },
    communityId: ids.community,
    streetId: ids.street,
    hours: 2,
    date: dayOf(nowIso()),
  });
  ids.record = r.recordId;
  await postFact({
    kind: 'service-record',
    id: 'sr-auth-long',
    memberId: m.memberId,
    at: nowIso(),
    postedAt: nowIso(),
    revision: 0,
    units: 1500,
    hours: 1500,
    place: { streetId: ids.street, communityId: ids.community },
  });
  await feedLedger();
  // A no-show of A, contested: its decision waits (nobody in the matrix may make it).
  await putNew(
    signupItem({
      activityId: 'ac-auth-noshow',
      memberId: m.memberId,
      memberName: '王大锤',
      status: 'confirmed',
      ticket: 1,
      signedUpAt: nowIso(),
    }),
  );
  await applyChange({
    eventName: 'INSERT',
    newImage: {
      type: 'activity-close',
      activityId: 'ac-auth-noshow',
      teamId: team.teamId,
      streetId: ids.street,
      communityId: ids.community,
      peopleServed: 1,
      closedAt: nowIso(),
    },
  });
  expect((await api.post('/members/me/no-shows/ac-auth-noshow/correction', m.token, { reason: '生病' })).status).toBe(
    200,
  );
  const other = await e2e.team({ communityId: otherCommunity });
  tokens.otherLeader = other.leader.token;
  tokens.leader = team.leader.token;
  tokens.memberB = await mint.member(uniq('mb'));
  tokens.resident = await mint.resident();
  tokens.adminOfB = await mint.communityAdmin(otherCommunity);
  tokens.streetAdminOfB = await mint.streetAdmin(otherStreet);
  tokens.admin = await mint.communityAdmin(ids.community);
  Object.assign(tokens, await mint.outsiders({ role: 'member', memberId: ids.member }));
});

const ROLE = [403];
const HIDDEN = [404];

const attempts: Attempt[] = [
  {
    method: 'GET',
    path: () => '/members/me/points',
    deny: { resident: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'GET',
    path: () => '/rankings/members/me?scope=district&id=jinjiang&period=2026',
    deny: { resident: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'GET',
    path: () => '/rankings/members?scope=district&id=pujiang&period=2026',
    deny: { memberB: HIDDEN, resident: HIDDEN },
  },
  {
    method: 'GET',
    path: () => '/star-reviews',
    deny: { memberA: ROLE, resident: ROLE, leader: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE, admin: ROLE },
  },
  {
    method: 'POST',
    path: () => `/members/${ids.member}/fifth-star`,
    body: () => ({ approve: true, note: '批' }),
    deny: { memberA: ROLE, resident: ROLE, leader: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE, admin: ROLE },
  },
  {
    method: 'POST',
    path: () => `/service-records/${ids.record}/evaluation`,
    body: () => ({ rating: 'good' }),
    deny: { memberA: ROLE, memberB: ROLE, resident: ROLE, leader: ROLE, adminOfB: HIDDEN, streetAdminOfB: HIDDEN },
  },
  {
    method: 'GET',
    path: () => '/members/me/record',
    deny: { resident: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'GET',
    path: () => '/members/me/no-shows',
    deny: { resident: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'POST',
    path: () => '/members/me/no-shows/ac-auth-noshow/correction',
    body: () => ({ reason: '生病' }),
    deny: { memberB: HIDDEN, resident: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE, admin: ROLE },
  },
  {
    method: 'POST',
    path: () => `/no-shows/ac-auth-noshow/members/${ids.member}/decision`,
    body: () => ({ excuse: true, reason: '准' }),
    deny: {
      memberA: ROLE,
      memberB: ROLE,
      resident: ROLE,
      otherLeader: HIDDEN,
      adminOfB: HIDDEN,
      streetAdminOfB: HIDDEN,
    },
  },
  {
    method: 'GET',
    path: () => `/communities/${ids.community}/no-show-reviews`,
    deny: { memberA: ROLE, resident: ROLE, leader: ROLE, adminOfB: [403], streetAdminOfB: [403] },
  },
  {
    method: 'GET',
    path: () => `/members/${ids.member}/record`,
    deny: { memberA: ROLE, memberB: ROLE, resident: ROLE, leader: ROLE, adminOfB: HIDDEN, streetAdminOfB: HIDDEN },
  },
];

describe('authorization of the evaluation context', () => {
  it('denies every outsider on every protected route and changes nothing', async () => {
    await expectRefusedWritingNothing(() => deniedFailures(api, attempts, tokens));
  });

  it('rankings need a token but no role; team rankings too', async () => {
    for (const path of [
      '/rankings/teams?period=2026',
      `/rankings/members?scope=community&id=${ids.community}&period=2026`,
    ]) {
      expect((await api.get(path)).status).toBe(401);
      expect((await api.get(path, tokens.expired)).status).toBe(401);
      expect((await api.get(path, tokens.otherDistrictAdmin)).status).toBe(403);
      expect((await api.get(path, tokens.resident)).status).toBe(200);
    }
  });

  it("another member's points and record hold nothing of A's; rankings never show a phone or full name", async () => {
    const b = await api.get('/members/me/points', tokens.memberB);
    expect(b.status).toBe(200);
    expect(b.body.items).toEqual([]);
    const ranking = await api.get(
      `/rankings/members?scope=community&id=${ids.community}&period=${nowIso().slice(0, 4)}`,
      tokens.resident,
    );
    expect(ranking.body.items.map((r: { memberId: string }) => r.memberId)).toContain(ids.member);
    expect(ranking.text).not.toContain('王大锤');
    expect(ranking.text).not.toContain(PHONE);
    const streetAdmin = await api.get(`/members/${ids.member}/record`, await mint.streetAdmin(ids.street));
    expect(streetAdmin.status).toBe(200);
  });
});

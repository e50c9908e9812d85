import { beforeAll, describe, expect, it } from 'vitest';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/**
 * Bad input on the teams routes: malformed JSON, missing and unknown fields, wrong types, bad
 * references, bad ids, forged cursors. Each gets a 4xx problem+json, never a 5xx, and nothing in
 * the table changes.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { streetA: '', streetB: '', communityA: '', teamA: '', pending: '', member: '' };
const t: Record<string, string> = {};

beforeAll(async () => {
  t.district = await e2e.districtAdmin();
  ids.streetA = await e2e.street('A街道');
  ids.streetB = await e2e.street('B街道');
  ids.communityA = await e2e.community(ids.streetA, 'A社区');
  const teamA = await e2e.team({ communityId: ids.communityA, name: 'A队' });
  ids.teamA = teamA.teamId;
  t.leaderA = teamA.leader.token;
  ids.pending = (await e2e.joinRequest(ids.teamA)).memberId;
  const m = await e2e.member();
  ids.member = m.memberId;
  t.member = m.token;
  t.fresh = await mint.member(uniq('fresh'));
});

describe('bad input on the teams routes', () => {
  const long = (n: number) => 'x'.repeat(n);
  const badIds = ['a%23b', long(65), '%E4%B8%AD', '-lead', 'a.b'];
  const forged = () =>
    Buffer.from(JSON.stringify({ pk: 'TEAM#other', sk: 'TEAM', gsi1pk: 'STREETS', gsi1sk: 'x' })).toString('base64url');

  function cases(): BadCase[] {
    const valid = {
      name: '新队',
      category: 'health',
      scope: 'community',
      communityId: ids.communityA,
      leaderMemberId: ids.member,
    };
    const list: BadCase[] = [
      ...bodyCases('POST', '/teams', 'district', valid, {
        'name too long': { name: long(65) },
        'name empty': { name: '  ' },
        'name with control chars': { name: 'a\u0007b' },
        'unknown category': { category: 'flying' },
        'unknown scope': { scope: 'planet' },
        'scope a number': { scope: 1 },
        'bad community id': { communityId: 'a#b' },
        'unknown community': { communityId: 'co-nowhere' },
        'community not in the street': { streetId: ids.streetB },
        'street team with a community': { scope: 'street', streetId: ids.streetA },
        'street team without a street': { scope: 'street', communityId: undefined },
        'unknown street': { scope: 'street', communityId: undefined, streetId: 'st-nowhere' },
        'unknown leader': { leaderMemberId: 'nobody' },
        'bad leader id': { leaderMemberId: long(65) },
        'description too long': { description: long(1001) },
        'memberCount smuggled': { memberCount: 100 },
        'status smuggled': { status: 'inactive' },
        'teamId smuggled': { teamId: 'mine' },
        'flag smuggled': { flagGrantedOn: '2026-01-01' },
        // Names are unique in their parent, compared after trimming, NFKC and case folding (409 NAME_TAKEN).
        'name of a team in the same community': { name: 'A队' },
        'the same name in full-width, lower case, padded': { name: ' ａ队 ' },
      }),
      ...bodyCases(
        'POST',
        `/teams/${ids.teamA}/flag-grant`,
        'district',
        { date: '2026-03-05', kickoffMonth: '2026-03' },
        {
          'date not a date': { date: 'tomorrow' },
          'date that does not exist': { date: '2026-02-30' },
          'date a number': { date: 20260305 },
          'date with time': { date: '2026-03-05T09:00:00Z' },
          'month 13': { kickoffMonth: '2026-13' },
          'date outside the kickoff month': { kickoffMonth: '2026-04' },
        },
        ['kickoffMonth'],
      ),
      ...bodyCases(
        'POST',
        `/teams/${ids.teamA}/members/${ids.pending}/reject`,
        'leaderA',
        { reason: '不合适' },
        {
          'reason too long': { reason: long(501) },
          'reason empty': { reason: '' },
          'reason a number': { reason: 5 },
        },
        ['reason'],
      ),
      {
        name: 'join with a body field',
        method: 'POST',
        path: `/teams/${ids.teamA}/join`,
        token: 'fresh',
        body: { memberId: ids.member },
      },
      { name: 'join with malformed JSON', method: 'POST', path: `/teams/${ids.teamA}/join`, token: 'fresh', raw: '{' },
      { name: 'join without a profile', method: 'POST', path: `/teams/${ids.teamA}/join`, token: 'fresh' },
      { name: 'join an unknown team', method: 'POST', path: '/teams/team-nowhere/join', token: 'member' },
      {
        name: 'approve with a body field',
        method: 'POST',
        path: `/teams/${ids.teamA}/members/${ids.pending}/approve`,
        token: 'leaderA',
        body: { force: true },
      },
      {
        name: 'approve an unknown member',
        method: 'POST',
        path: `/teams/${ids.teamA}/members/nobody/approve`,
        token: 'leaderA',
      },
      {
        name: 'flag for an unknown team',
        method: 'POST',
        path: '/teams/team-nowhere/flag-grant',
        token: 'district',
        body: { date: '2026-03-05' },
      },
      { name: 'roster of an unknown team', method: 'GET', path: '/teams/team-nowhere/members', token: 'district' },
      {
        name: 'roster status rejected',
        method: 'GET',
        path: `/teams/${ids.teamA}/members?status=rejected`,
        token: 'district',
      },
      {
        name: 'roster status unknown',
        method: 'GET',
        path: `/teams/${ids.teamA}/members?status=maybe`,
        token: 'district',
      },
      {
        name: 'leave with a body field',
        method: 'POST',
        path: `/teams/${ids.teamA}/leave`,
        token: 'member',
        body: { memberId: ids.pending },
      },
      {
        name: 'leave with malformed JSON',
        method: 'POST',
        path: `/teams/${ids.teamA}/leave`,
        token: 'member',
        raw: '{',
      },
      { name: 'leave a team one is not on', method: 'POST', path: `/teams/${ids.teamA}/leave`, token: 'member' },
      { name: 'leave without a profile', method: 'POST', path: `/teams/${ids.teamA}/leave`, token: 'fresh' },
      { name: 'leave an unknown team', method: 'POST', path: '/teams/team-nowhere/leave', token: 'member' },
      { name: 'the leader leaves', method: 'POST', path: `/teams/${ids.teamA}/leave`, token: 'leaderA' },
      {
        name: 'my teams with an unknown field',
        method: 'GET',
        path: '/members/me/teams?status=active',
        token: 'member',
      },
      { name: 'unknown category filter', method: 'GET', path: '/teams?category=flying', token: 'member' },
      { name: 'unknown query field', method: 'GET', path: '/teams?sort=name', token: 'member' },
    ];
    for (const q of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'limit=1.5',
      `cursor=${forged()}`,
      'cursor=%25%25%25',
      `cursor=${long(1100)}`,
    ]) {
      list.push({ name: `teams ?${q.slice(0, 20)}`, method: 'GET', path: `/teams?${q}`, token: 'member' });
      list.push({
        name: `teams of a category ?${q.slice(0, 20)}`,
        method: 'GET',
        path: `/teams?category=health&${q}`,
        token: 'member',
      });
      list.push({
        name: `my teams ?${q.slice(0, 20)}`,
        method: 'GET',
        path: `/members/me/teams?${q}`,
        token: 'member',
      });
      list.push({
        name: `roster ?${q.slice(0, 20)}`,
        method: 'GET',
        path: `/teams/${ids.teamA}/members?${q}`,
        token: 'district',
      });
    }
    for (const bad of badIds) {
      list.push({ name: `team ${bad.slice(0, 10)}`, method: 'GET', path: `/teams/${bad}`, token: 'member' });
      list.push({ name: `join ${bad.slice(0, 10)}`, method: 'POST', path: `/teams/${bad}/join`, token: 'member' });
      list.push({ name: `leave ${bad.slice(0, 10)}`, method: 'POST', path: `/teams/${bad}/leave`, token: 'member' });
      list.push({
        name: `roster ${bad.slice(0, 10)}`,
        method: 'GET',
        path: `/teams/${bad}/members`,
        token: 'district',
      });
      list.push({
        name: `approve team ${bad.slice(0, 10)}`,
        method: 'POST',
        path: `/teams/${bad}/members/${ids.pending}/approve`,
        token: 'leaderA',
      });
      list.push({
        name: `approve member ${bad.slice(0, 10)}`,
        method: 'POST',
        path: `/teams/${ids.teamA}/members/${bad}/approve`,
        token: 'leaderA',
      });
      list.push({
        name: `reject member ${bad.slice(0, 10)}`,
        method: 'POST',
        path: `/teams/${ids.teamA}/members/${bad}/reject`,
        token: 'leaderA',
      });
      list.push({
        name: `flag ${bad.slice(0, 10)}`,
        method: 'POST',
        path: `/teams/${bad}/flag-grant`,
        token: 'district',
        body: { date: '2026-03-05' },
      });
    }
    return list;
  }

  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(120);
    await expectRefusedWritingNothing(() => badInputFailures(api, all, t));
  });

  it('names the fields that failed, and the right codes for references', async () => {
    const res = await api.post('/teams', t.district, {
      name: '',
      category: 'flying',
      scope: 'community',
      leaderMemberId: ids.member,
      colour: 'red',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['body.name', 'body.category', 'body']),
    );
    const noCommunity = await api.post('/teams', t.district, {
      name: '队',
      category: 'health',
      scope: 'community',
      leaderMemberId: ids.member,
    });
    expect(noCommunity.body).toMatchObject({ status: 400, errors: [{ field: 'body.communityId' }] });
    const leader = await api.post('/teams', t.district, {
      name: '队',
      category: 'health',
      scope: 'community',
      communityId: ids.communityA,
      leaderMemberId: 'nobody',
    });
    expect(leader.body).toMatchObject({ status: 422, code: 'UNKNOWN_MEMBER' });
  });

  it('refuses a name taken in the same parent with a clear 409, and the leader leaving with one', async () => {
    const same = await api.post('/teams', t.district, {
      name: 'Ａ队',
      category: 'legal-aid',
      scope: 'community',
      communityId: ids.communityA,
      leaderMemberId: ids.member,
    });
    expect(same.body).toMatchObject({ status: 409, code: 'NAME_TAKEN', field: 'body.name' });
    expect(same.body.detail).toContain('Ａ队');
    const leaves = await api.post(`/teams/${ids.teamA}/leave`, t.leaderA);
    expect(leaves.body).toMatchObject({ status: 409, code: 'LEADER_CANNOT_LEAVE' });
    expect(leaves.body.detail).toContain('PUT /teams/{teamId}/leader');
    const notOn = await api.post(`/teams/${ids.teamA}/leave`, t.member);
    expect(notOn.body).toMatchObject({ status: 409, code: 'NOT_TEAM_MEMBER' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { snapshot } from '../support/inspect.ts';
import { client, tokenFor, uniq } from '../support/client.ts';

/**
 * Who may do what to a wish, over HTTP. Each refusal is a 4xx problem+json and changes nothing:
 * a resident cannot claim; a member cannot review; another community's admin cannot review;
 * a team leader cannot take on a wish that is not escalated, nor for a team they do not lead;
 * nobody but the poster confirms or withdraws; only the claimant releases and completes.
 */
let server: { url: string; close(): Promise<void> };
let api: ReturnType<typeof client>;
const t: Record<string, string> = {};
const w = { pending: '', published: '', claimed: '', completed: '' };
let community = '';

async function newMember(name = '成员') {
  const memberId = uniq('m');
  const token = await tokenFor({ role: 'member', memberId });
  expect((await api.post('/members', token, { name, phone: '13912345678' })).status).toBe(201);
  return { memberId, token };
}

beforeAll(async () => {
  server = await startTestServer();
  api = client(server.url);
  const district = await tokenFor({ role: 'district_admin' });
  const street = (await api.post('/streets', district, { name: '街道' })).body.streetId;
  const otherStreet = (await api.post('/streets', district, { name: '别的街道' })).body.streetId;
  community = (await api.post('/communities', district, { name: '本社区', streetId: street })).body.communityId;
  const other = (await api.post('/communities', district, { name: '别的社区', streetId: otherStreet })).body.communityId;
  t.admin = await tokenFor({ role: 'community_admin', communityId: community });
  t.otherAdmin = await tokenFor({ role: 'community_admin', communityId: other });
  t.otherStreetAdmin = await tokenFor({ role: 'street_admin', streetId: otherStreet });
  t.resident = await tokenFor({ role: 'resident', sub: uniq('res') });
  t.otherResident = await tokenFor({ role: 'resident', sub: uniq('res') });
  const m = await newMember();
  t.member = m.token;
  t.otherMember = (await newMember()).token;
  const leader = await newMember('队长');
  const team = (await api.post('/teams', district, { name: '服务队', category: 'other', scope: 'district', leaderMemberId: leader.memberId })).body.teamId;
  const otherTeam = (await api.post('/teams', district, { name: '别的队', category: 'other', scope: 'district', leaderMemberId: (await newMember()).memberId })).body.teamId;
  t.leader = await tokenFor({ role: 'team_leader', memberId: leader.memberId, teamId: team });
  t.leaderOfOther = await tokenFor({ role: 'team_leader', memberId: leader.memberId, teamId: otherTeam });
  t.leaderNoTeam = await tokenFor({ role: 'team_leader', memberId: leader.memberId });

  const body = { title: '心愿', description: '描述', category: 'other', communityId: community, contactName: '吴奶奶', contactPhone: '13500005555' };
  const post = async () => (await api.post('/wishes', t.resident, body)).body.wishId as string;
  w.pending = await post();
  for (const k of ['published', 'claimed', 'completed'] as const) {
    w[k] = await post();
    expect((await api.post(`/wishes/${w[k]}/review`, t.admin, { decision: 'publish' })).status).toBe(200);
  }
  expect((await api.post(`/wishes/${w.claimed}/claim`, t.member)).status).toBe(200);
  expect((await api.post(`/wishes/${w.completed}/claim`, t.member)).status).toBe(200);
  expect((await api.post(`/wishes/${w.completed}/complete`, t.member, { note: '完成', hours: 1 })).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

type Case = [name: string, method: 'GET' | 'POST', path: () => string, token: string | undefined, body: unknown, status: number, code?: string];

const cases = (): Case[] => [
  ['no token', 'POST', () => `/wishes/${w.published}/claim`, undefined, undefined, 401],
  ['a member cannot post', 'POST', () => '/wishes', 'member', { title: 'x', description: 'x', category: 'other', communityId: 'co-x', contactName: 'x', contactPhone: '13500005555' }, 403],
  ['a resident cannot claim', 'POST', () => `/wishes/${w.published}/claim`, 'resident', undefined, 403],
  ['an admin cannot claim', 'POST', () => `/wishes/${w.published}/claim`, 'admin', undefined, 403],
  ['a member cannot review', 'POST', () => `/wishes/${w.pending}/review`, 'member', { decision: 'publish' }, 403],
  ['a team leader cannot review', 'POST', () => `/wishes/${w.pending}/review`, 'leader', { decision: 'publish' }, 403],
  ["another community's admin cannot review (or see) a pending wish", 'POST', () => `/wishes/${w.pending}/review`, 'otherAdmin', { decision: 'publish' }, 404],
  ["another street's admin cannot review a pending wish", 'POST', () => `/wishes/${w.pending}/review`, 'otherStreetAdmin', { decision: 'reject', reason: 'x' }, 404],
  ["another community's admin cannot review a published wish", 'POST', () => `/wishes/${w.published}/review`, 'otherAdmin', { decision: 'reject', reason: 'x' }, 403],
  ['a pending wish is invisible to members', 'GET', () => `/wishes/${w.pending}`, 'member', undefined, 404],
  ['a pending wish is invisible to other residents', 'GET', () => `/wishes/${w.pending}`, 'otherResident', undefined, 404],
  ["a pending wish's events are invisible to members", 'GET', () => `/wishes/${w.pending}/events`, 'member', undefined, 404],
  ["another community's admin cannot list the review queue", 'GET', () => `/wishes?communityId=${community}&status=pending_review`, 'otherAdmin', undefined, 403],
  ['a member cannot list the rejected wall', 'GET', () => `/wishes?communityId=${community}&status=rejected`, 'member', undefined, 403],
  ['a resident cannot list the withdrawn wall', 'GET', () => `/wishes?communityId=${community}&status=withdrawn`, 'resident', undefined, 403],
  ['a team leader cannot take on a wish that is not escalated', 'POST', () => `/wishes/${w.published}/take-on`, 'leader', undefined, 409, 'WISH_ACTION_NOT_ALLOWED'],
  ['a leader of another team cannot take on for a team they do not lead', 'POST', () => `/wishes/${w.published}/take-on`, 'leaderOfOther', undefined, 403],
  ['a leader without a team in the token cannot take on', 'POST', () => `/wishes/${w.published}/take-on`, 'leaderNoTeam', undefined, 403],
  ['a member cannot take on', 'POST', () => `/wishes/${w.published}/take-on`, 'member', undefined, 403],
  ['another member cannot release', 'POST', () => `/wishes/${w.claimed}/release`, 'otherMember', undefined, 403],
  ['another member cannot complete', 'POST', () => `/wishes/${w.claimed}/complete`, 'otherMember', { note: 'x', hours: 1 }, 403],
  ['a resident cannot complete', 'POST', () => `/wishes/${w.claimed}/complete`, 'resident', { note: 'x', hours: 1 }, 403],
  ['another resident cannot confirm', 'POST', () => `/wishes/${w.completed}/confirm`, 'otherResident', { rating: 5 }, 403],
  ['the claimant cannot confirm', 'POST', () => `/wishes/${w.completed}/confirm`, 'member', { rating: 5 }, 403],
  ['an admin cannot confirm', 'POST', () => `/wishes/${w.completed}/confirm`, 'admin', { rating: 5 }, 403],
  ['the poster cannot confirm before completion', 'POST', () => `/wishes/${w.claimed}/confirm`, 'resident', { rating: 5 }, 409, 'WISH_ACTION_NOT_ALLOWED'],
  ['another resident cannot withdraw', 'POST', () => `/wishes/${w.published}/withdraw`, 'otherResident', undefined, 403],
  ['an admin cannot withdraw', 'POST', () => `/wishes/${w.published}/withdraw`, 'admin', undefined, 403],
  ['a member cannot withdraw', 'POST', () => `/wishes/${w.published}/withdraw`, 'member', undefined, 403],
  ['the claimant cannot claim twice', 'POST', () => `/wishes/${w.claimed}/claim`, 'member', undefined, 409, 'WISH_ALREADY_CLAIMED'],
  ['an unknown wish', 'POST', () => '/wishes/wi-none/claim', 'member', undefined, 404],
  ['a resident gets no suggestions', 'GET', () => '/wishes/suggested', 'resident', undefined, 403],
];

describe('wishes authorization', () => {
  it('refuses each outsider with the right 4xx problem+json and changes nothing', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    for (const [name, method, path, token, body, status, code] of cases()) {
      const res = await api.call(method, path(), { token: token ? t[token] : undefined, body });
      if (res.status !== status) failures.push(`${name}: ${res.status} ${res.text.slice(0, 160)}`);
      // A missing token is refused by the gateway's JWT authorizer itself ({ message }), as in the cloud.
      else if (status !== 401 && !(res.headers.get('content-type') ?? '').startsWith('application/problem+json')) failures.push(`${name}: not problem+json`);
      else if (code && res.body.code !== code) failures.push(`${name}: ${res.body.code}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('the poster withdraws; the community admin reviews; a rejected wish stays with them', async () => {
    const res = await api.post(`/wishes/${w.pending}/review`, t.admin, { decision: 'reject', reason: '信息不全' });
    expect(res.status).toBe(200);
    expect((await api.get(`/wishes/${w.pending}`, t.resident)).body).toMatchObject({ status: 'rejected', rejectReason: '信息不全' });
    expect((await api.get(`/wishes/${w.pending}`, t.member)).status).toBe(404);
    expect((await api.post(`/wishes/${w.published}/withdraw`, t.resident)).body.status).toBe('withdrawn');
    expect((await api.get(`/wishes/${w.published}`, t.member)).status).toBe(200); // it had been public
  });
});

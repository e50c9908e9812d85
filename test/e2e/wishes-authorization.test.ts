import { beforeAll, describe, expect, it } from 'vitest';
import { expectRefusedWritingNothing, refusalFailure } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Who may do what to a wish, over HTTP. Each refusal is a 4xx problem+json and changes nothing:
 * a resident cannot claim; a member cannot review; another community's admin cannot review;
 * a team leader cannot take on a wish that is not escalated, nor for a team they do not lead;
 * nobody but the poster confirms or withdraws; only the claimant releases and completes.
 */
const e2e = useE2e();
const { api } = e2e;
const t: Record<string, string> = {};
const w = { pending: '', published: '', claimed: '', completed: '' };
let community = '';

beforeAll(async () => {
  const street = await e2e.street();
  const otherStreet = await e2e.street('别的街道');
  community = await e2e.community(street, '本社区');
  const other = await e2e.community(otherStreet, '别的社区');
  t.admin = await mint.communityAdmin(community);
  t.otherAdmin = await mint.communityAdmin(other);
  t.otherStreetAdmin = await mint.streetAdmin(otherStreet);
  t.resident = await mint.resident();
  t.otherResident = await mint.resident();
  t.member = (await e2e.member()).token;
  t.otherMember = (await e2e.member()).token;
  const team = await e2e.team({ category: 'other' });
  const otherTeam = await e2e.team({ category: 'other', name: '别的队' });
  t.leader = team.leader.token;
  t.leaderOfOther = await mint.leader(team.leader.memberId, otherTeam.teamId);
  t.leaderNoTeam = await mint.leader(team.leader.memberId);

  const body = {
    title: '心愿',
    description: '描述',
    category: 'other',
    communityId: community,
    contactName: '吴奶奶',
    contactPhone: '13500005555',
  };
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
type Case = [
  name: string,
  method: 'GET' | 'POST',
  path: () => string,
  token: string | undefined,
  body: unknown,
  status: number,
  code?: string,
];

const cases = (): Case[] => [
  ['no token', 'POST', () => `/wishes/${w.published}/claim`, undefined, undefined, 401],
  [
    'a member cannot post',
    'POST',
    () => '/wishes',
    'member',
    {
      title: 'x',
      description: 'x',
      category: 'other',
      communityId: 'co-x',
      contactName: 'x',
      contactPhone: '13500005555',
    },
    403,
  ],
  ['a resident cannot claim', 'POST', () => `/wishes/${w.published}/claim`, 'resident', undefined, 403],
  ['an admin cannot claim', 'POST', () => `/wishes/${w.published}/claim`, 'admin', undefined, 403],
  ['a member cannot review', 'POST', () => `/wishes/${w.pending}/review`, 'member', { decision: 'publish' }, 403],
  ['a team leader cannot review', 'POST', () => `/wishes/${w.pending}/review`, 'leader', { decision: 'publish' }, 403],
  [
    "another community's admin cannot review (or see) a pending wish",
    'POST',
    () => `/wishes/${w.pending}/review`,
    'otherAdmin',
    { decision: 'publish' },
    404,
  ],
  [
    "another street's admin cannot review a pending wish",
    'POST',
    () => `/wishes/${w.pending}/review`,
    'otherStreetAdmin',
    { decision: 'reject', reason: 'x' },
    404,
  ],
  [
    "another community's admin cannot review a published wish",
    'POST',
    () => `/wishes/${w.published}/review`,
    'otherAdmin',
    { decision: 'reject', reason: 'x' },
    403,
  ],
  ['a pending wish is invisible to members', 'GET', () => `/wishes/${w.pending}`, 'member', undefined, 404],
  [
    'a pending wish is invisible to other residents',
    'GET',
    () => `/wishes/${w.pending}`,
    'otherResident',
    undefined,
    404,
  ],
  [
    "a pending wish's events are invisible to members",
    'GET',
    () => `/wishes/${w.pending}/events`,
    'member',
    undefined,
    404,
  ],
  [
    "another community's admin cannot list the review queue",
    'GET',
    () => `/wishes?communityId=${community}&status=pending_review`,
    'otherAdmin',
    undefined,
    403,
  ],
  [
    'a member cannot list the rejected wall',
    'GET',
    () => `/wishes?communityId=${community}&status=rejected`,
    'member',
    undefined,
    403,
  ],
  [
    'a resident cannot list the withdrawn wall',
    'GET',
    () => `/wishes?communityId=${community}&status=withdrawn`,
    'resident',
    undefined,
    403,
  ],
  [
    'a team leader cannot take on a wish that is not escalated',
    'POST',
    () => `/wishes/${w.published}/take-on`,
    'leader',
    undefined,
    409,
    'WISH_ACTION_NOT_ALLOWED',
  ],
  [
    'a leader of another team cannot take on for a team they do not lead',
    'POST',
    () => `/wishes/${w.published}/take-on`,
    'leaderOfOther',
    undefined,
    403,
  ],
  [
    'a leader without a team in the token cannot take on',
    'POST',
    () => `/wishes/${w.published}/take-on`,
    'leaderNoTeam',
    undefined,
    403,
  ],
  ['a member cannot take on', 'POST', () => `/wishes/${w.published}/take-on`, 'member', undefined, 403],
  ['another member cannot release', 'POST', () => `/wishes/${w.claimed}/release`, 'otherMember', undefined, 403],
  [
    'another member cannot complete',
    'POST',
    () => `/wishes/${w.claimed}/complete`,
    'otherMember',
    { note: 'x', hours: 1 },
    403,
  ],
  [
    'a resident cannot complete',
    'POST',
    () => `/wishes/${w.claimed}/complete`,
    'resident',
    { note: 'x', hours: 1 },
    403,
  ],
  [
    'another resident cannot confirm',
    'POST',
    () => `/wishes/${w.completed}/confirm`,
    'otherResident',
    { rating: 5 },
    403,
  ],
  ['the claimant cannot confirm', 'POST', () => `/wishes/${w.completed}/confirm`, 'member', { rating: 5 }, 403],
  ['an admin cannot confirm', 'POST', () => `/wishes/${w.completed}/confirm`, 'admin', { rating: 5 }, 403],
  [
    'the poster cannot confirm before completion',
    'POST',
    () => `/wishes/${w.claimed}/confirm`,
    'resident',
    { rating: 5 },
    409,
    'WISH_ACTION_NOT_ALLOWED',
  ],
  [
    'another resident cannot withdraw',
    'POST',
    () => `/wishes/${w.published}/withdraw`,
    'otherResident',
    undefined,
    403,
  ],
  ['an admin cannot withdraw', 'POST', () => `/wishes/${w.published}/withdraw`, 'admin', undefined, 403],
  ['a member cannot withdraw', 'POST', () => `/wishes/${w.published}/withdraw`, 'member', undefined, 403],
  [
    'the claimant cannot claim twice',
    'POST',
    () => `/wishes/${w.claimed}/claim`,
    'member',
    undefined,
    409,
    'WISH_ALREADY_CLAIMED',
  ],
  ['an unknown wish', 'POST', () => '/wishes/wi-none/claim', 'member', undefined, 404],
  ['a resident gets no suggestions', 'GET', () => '/wishes/suggested', 'resident', undefined, 403],
];

describe('wishes authorization', () => {
  it('refuses each outsider with the right 4xx problem+json and changes nothing', async () => {
    await expectRefusedWritingNothing(async () => {
      const failures: string[] = [];
      for (const [name, method, path, token, body, status, code] of cases()) {
        const failure = refusalFailure(
          await api.call(method, path(), { token: token ? t[token] : undefined, body }),
          status,
          code,
        );
        if (failure) failures.push(`${name}: ${failure}`);
      }
      return failures;
    });
  });

  it('the poster withdraws; the community admin reviews; a rejected wish stays with them', async () => {
    const res = await api.post(`/wishes/${w.pending}/review`, t.admin, { decision: 'reject', reason: '信息不全' });
    expect(res.status).toBe(200);
    expect((await api.get(`/wishes/${w.pending}`, t.resident)).body).toMatchObject({
      status: 'rejected',
      rejectReason: '信息不全',
    });
    expect((await api.get(`/wishes/${w.pending}`, t.member)).status).toBe(404);
    expect((await api.post(`/wishes/${w.published}/withdraw`, t.resident)).body.status).toBe('withdrawn');
    expect((await api.get(`/wishes/${w.published}`, t.member)).status).toBe(200); // it had been public
  });
});

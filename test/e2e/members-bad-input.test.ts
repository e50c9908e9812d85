import { beforeAll, describe, expect, it } from 'vitest';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/**
 * Bad input on every route of the members context: malformed JSON, missing and unknown fields,
 * wrong types, strings and arrays over their bounds, bad ids, forged cursors, bodies over the
 * limit, wrong content types. Each gets a 4xx problem+json (never a 5xx) and writes nothing.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { street: '', community: '', grid: '', checkIn: '', member: '' };
const t: Record<string, string> = {};

beforeAll(async () => {
  t.district = await e2e.districtAdmin();
  const place = await e2e.place();
  ids.street = place.streetId;
  ids.community = place.communityId;
  ids.grid = place.gridId;
  const member = await e2e.member();
  ids.member = member.memberId;
  t.member = member.token;
  ids.checkIn = await e2e.checkIn(member, ids.community);
  t.fresh = await mint.member(uniq('fresh'));
});

const long = (n: number) => 'x'.repeat(n);
const forged = Buffer.from(JSON.stringify({ pk: 'COMMUNITY#other', sk: 'ROSTER#x' })).toString('base64url');
const badIds = ['a%23b', long(65), '%E4%B8%AD', '-lead', 'a.b'];

function cases(): BadCase[] {
  const list: BadCase[] = [
    ...bodyCases(
      'POST',
      '/streets',
      'district',
      { name: '新街道' },
      {
        'name too long': { name: long(65) },
        'name empty': { name: '   ' },
        'name a number': { name: 5 },
        'name with control chars': { name: 'a\u0007b' },
      },
    ),
    ...bodyCases(
      'POST',
      '/communities',
      'district',
      { name: '新社区', streetId: ids.street },
      {
        'bad street id': { streetId: 'a#b' },
        'kind unknown': { kind: 'suburb' },
        'address too long': { address: long(201) },
        'unknown street': { streetId: 'st-nowhere' },
      },
    ),
    ...bodyCases(
      'POST',
      `/communities/${ids.community}/grids`,
      'district',
      { name: '新网格' },
      {
        'description too long': { description: long(501) },
        'name an array': { name: ['a'] },
      },
    ),
    ...bodyCases(
      'POST',
      '/members',
      'fresh',
      { name: '新成员', phone: '13912345678' },
      {
        'bad phone': { phone: '12345' },
        'phone a number': { phone: 13912345678 },
        'bad id number checksum': { idNumber: '110105194912310021' },
        'too many skills': { skills: Array.from({ length: 21 }, (_, i) => `s${i}`) },
        'skill too long': { skills: [long(33)] },
        'unknown category': { categories: ['flying'] },
        'skills not an array': { skills: 'cooking' },
      },
    ),
    ...bodyCases(
      'PATCH',
      '/members/me',
      'member',
      { name: '改名' },
      {
        'empty patch': { name: undefined },
        'bad phone': { phone: 'x' },
        'version smuggled': { version: 99 },
        'community smuggled': { communityId: ids.community },
      },
    ),
    ...bodyCases(
      'POST',
      '/check-ins',
      'fresh',
      { communityId: ids.community, gridId: ids.grid, note: 'n' },
      {
        'bad community id': { communityId: long(65) },
        'note too long': { note: long(501) },
        'member smuggled': { memberId: ids.member },
        'unknown community': { communityId: 'co-nowhere' },
        'unknown grid': { gridId: 'gr-nowhere' },
      },
    ),
    ...bodyCases(
      'POST',
      `/check-ins/${ids.checkIn}/reject`,
      'district',
      { reason: '不符合' },
      {
        'reason too long': { reason: long(501) },
        'reason empty': { reason: '' },
      },
    ),
    {
      name: 'approve with a body field',
      method: 'POST',
      path: `/check-ins/${ids.checkIn}/approve`,
      token: 'district',
      body: { force: true },
    },
    {
      name: 'approve with malformed JSON',
      method: 'POST',
      path: `/check-ins/${ids.checkIn}/approve`,
      token: 'district',
      raw: '{',
    },
  ];
  for (const q of [
    'limit=0',
    'limit=101',
    'limit=abc',
    'limit=1.5',
    'sort=name',
    `cursor=${forged}`,
    'cursor=%25%25%25',
    `cursor=${long(1100)}`,
  ]) {
    list.push({ name: `streets ?${q.slice(0, 20)}`, method: 'GET', path: `/streets?${q}`, token: 'district' });
    list.push({
      name: `members ?${q.slice(0, 20)}`,
      method: 'GET',
      path: `/communities/${ids.community}/members?${q}`,
      token: 'district',
    });
    list.push({
      name: `check-ins ?${q.slice(0, 20)}`,
      method: 'GET',
      path: `/communities/${ids.community}/check-ins?${q}`,
      token: 'district',
    });
  }
  list.push({
    name: 'bad status filter',
    method: 'GET',
    path: `/communities/${ids.community}/check-ins?status=maybe`,
    token: 'district',
  });
  list.push({
    name: 'bad grid filter',
    method: 'GET',
    path: `/communities/${ids.community}/members?gridId=a%23b`,
    token: 'district',
  });
  list.push({ name: 'bad street filter', method: 'GET', path: '/communities?streetId=a%23b', token: 'district' });
  for (const bad of badIds) {
    list.push({
      name: `community id ${bad.slice(0, 10)}`,
      method: 'GET',
      path: `/communities/${bad}`,
      token: 'district',
    });
    list.push({
      name: `grids of ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/communities/${bad}/grids`,
      token: 'district',
      body: { name: 'g' },
    });
    list.push({
      name: `approve ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/check-ins/${bad}/approve`,
      token: 'district',
    });
    list.push({ name: `member ${bad.slice(0, 10)}`, method: 'GET', path: `/members/${bad}`, token: 'district' });
    list.push({
      name: `roster ${bad.slice(0, 10)}`,
      method: 'GET',
      path: `/communities/${bad}/members`,
      token: 'district',
    });
  }
  return list;
}

describe('bad input on the members context', () => {
  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(100);
    await expectRefusedWritingNothing(() => badInputFailures(api, all, t));
  });

  it('names the fields that failed', async () => {
    const res = await api.post('/members', t.fresh, { name: '', phone: '123', skills: [long(33)], colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.name', 'body.phone', 'body.skills.0', 'body']));
  });

  it("a body over API Gateway's 10 MB is refused before any handler", async () => {
    const res = await api.call('POST', '/streets', {
      token: t.district,
      raw: JSON.stringify({ name: long(10 * 1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
  });
});

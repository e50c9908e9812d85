import { beforeAll, describe, expect, it } from 'vitest';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';
import { snapshot } from '../support/inspect.ts';

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
  const place = await e2e.place({ street: '坏输入街道', community: '坏输入社区' });
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
      name: 'cancel with a body field',
      method: 'POST',
      path: `/check-ins/${ids.checkIn}/cancel`,
      token: 'member',
      body: { reason: 'x' },
    },
    {
      name: 'cancel with malformed JSON',
      method: 'POST',
      path: `/check-ins/${ids.checkIn}/cancel`,
      token: 'member',
      raw: '{',
    },
    { name: 'cancel an unknown check-in', method: 'POST', path: '/check-ins/ci-nowhere/cancel', token: 'member' },
    {
      name: 'cancel another member’s check-in',
      method: 'POST',
      path: `/check-ins/${ids.checkIn}/cancel`,
      token: 'fresh',
    },
    {
      name: 'a street name taken',
      method: 'POST',
      path: '/streets',
      token: 'district',
      body: { name: ' 坏输入街道 ' },
    },
    {
      name: 'a community name taken in its street',
      method: 'POST',
      path: '/communities',
      token: 'district',
      body: { name: '坏输入社区', streetId: ids.street },
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
      name: `cancel ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/check-ins/${bad}/cancel`,
      token: 'member',
    });
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

describe('text hygiene', () => {
  const refused = async (
    res: Promise<{ status: number; body: { code: string; errors?: { field: string; message: string }[] } }>,
  ) => {
    const r = await res;
    return [r.status, r.body.code, r.body.errors?.map((e) => `${e.field}: ${e.message}`).join('; ')];
  };

  it('a name refuses bidi controls, zero-width characters, lone surrogates and line breaks, each saying which, and writes nothing', async () => {
    const before = await snapshot(e2e.tableName);
    const name = (v: string) => refused(api.post('/streets', t.district, { name: v }));
    expect(await name('春熙\u202E路')).toEqual([
      400,
      'VALIDATION_FAILED',
      expect.stringContaining('body.name: bidirectional control'),
    ]);
    expect(await name('春熙\u2066路\u2069')).toEqual([
      400,
      'VALIDATION_FAILED',
      expect.stringContaining('bidirectional'),
    ]);
    expect(await name('春熙\u200B路')).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.name: zero-width characters are not allowed',
    ]);
    expect(await name('春熙\uFEFF路')).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.name: zero-width characters are not allowed',
    ]);
    expect(await name('春熙\u200D路')).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.name: zero-width characters are not allowed',
    ]);
    expect(await name('春熙\n路')).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.name: must be one line: no line breaks or tabs',
    ]);
    expect(await name('春熙\r路')).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.name: must be one line: no line breaks or tabs',
    ]);
    expect(await name('春熙\u2028路')).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.name: must be one line: no line breaks or tabs',
    ]);
    // A lone surrogate can only arrive as a JSON escape.
    for (const raw of ['{"name":"春熙\\ud800路"}', '{"name":"\\udc00春熙路"}']) {
      const r = await api.call('POST', '/streets', {
        token: t.district,
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect([r.status, r.body.code, r.body.errors?.[0]?.message]).toEqual([
        400,
        'VALIDATION_FAILED',
        expect.stringContaining('lone surrogate'),
      ]);
    }
    expect(await snapshot(e2e.tableName)).toBe(before);
  });

  it('emoji (joined ones too), rare CJK and a paragraph’s line breaks stay valid, stored as sent', async () => {
    for (const name of ['志愿者之家👨‍👩‍👧', '𠀀𪚥社区🙂', '老年👍🏽协会', 'Café ☕']) {
      const r = await api.post('/streets', t.district, { name });
      expect([r.status, r.body.name]).toEqual([201, name]);
    }
    const m = await e2e.member();
    const note = '第一行\n第二行 🙏';
    const ci = await api.post('/check-ins', m.token, { communityId: ids.community, note });
    expect([ci.status, ci.body.note]).toEqual([201, note]);
    const profile = await mint.member(uniq('m'));
    const created = await api.post('/members', profile, { name: '𠀀明', phone: '13912345678', bio: '喜欢\n帮忙' });
    expect([created.status, created.body.name, created.body.bio]).toEqual([201, '𠀀明', '喜欢\n帮忙']);
  });

  it('a paragraph refuses bidi controls and lone surrogates too', async () => {
    const m = await e2e.member();
    expect(
      await refused(api.post('/check-ins', m.token, { communityId: ids.community, note: '看\u202E这里' })),
    ).toEqual([400, 'VALIDATION_FAILED', expect.stringContaining('body.note: bidirectional')]);
  });

  it('limit is a whole number in decimal digits: 0x10, 1e1, +5, 016, " 5" and 5.0 are refused', async () => {
    for (const limit of ['0x10', '1e1', '%2B5', '016', '%205', '5.0', '', '0b1', 'Infinity']) {
      const r = await api.get(`/streets?limit=${limit}`, t.district);
      expect([limit, r.status, r.body.code, r.body.errors?.[0]?.field]).toEqual([
        limit,
        400,
        'VALIDATION_FAILED',
        'query.limit',
      ]);
    }
    const ok = await api.get('/streets?limit=16', t.district);
    expect(ok.status).toBe(200);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Bad input on every micro-wish route: malformed JSON, missing and unknown fields, wrong types,
 * out-of-range numbers, strings and arrays over their bounds, bad ids, forged cursors, wrong
 * content types, and requests the wish's state refuses. Each gets a 4xx problem+json (never a
 * 5xx) and writes nothing.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { community: '', grid: '', otherGrid: '', published: '', claimed: '', completed: '' };
const t: Record<string, string> = {};

beforeAll(async () => {
  t.district = await e2e.districtAdmin();
  const place = await e2e.place();
  ids.community = place.communityId;
  ids.grid = place.gridId;
  const other = await e2e.community(place.streetId, '别的社区');
  ids.otherGrid = await e2e.grid(other, '别的网格');
  t.admin = await mint.communityAdmin(ids.community);
  t.resident = await mint.resident();
  t.member = (await e2e.member()).token;
  t.leader = (await e2e.team({ category: 'other', name: '队' })).leader.token;
  const post = async () =>
    (
      await api.post('/wishes', t.resident, {
        title: '心愿',
        description: '描述',
        category: 'other',
        communityId: ids.community,
        contactName: '郑大爷',
        contactPhone: '13400004444',
      })
    ).body.wishId as string;
  for (const k of ['published', 'claimed', 'completed'] as const) {
    ids[k] = await post();
    await api.post(`/wishes/${ids[k]}/review`, t.admin, { decision: 'publish' });
  }
  await api.post(`/wishes/${ids.claimed}/claim`, t.member);
  await api.post(`/wishes/${ids.completed}/claim`, t.member);
  await api.post(`/wishes/${ids.completed}/complete`, t.member, { note: '完成', hours: 1 });
});

const long = (n: number) => 'x'.repeat(n);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const badIds = ['a%23b', long(65), '%E4%B8%AD', '-lead', 'a.b'];

function noBodyCases(path: string, token: string): BadCase[] {
  return [
    { name: `${path} with a body field`, method: 'POST', path, token, body: { force: true } },
    { name: `${path} malformed JSON`, method: 'POST', path, token, raw: '{' },
    { name: `${path} JSON array`, method: 'POST', path, token, raw: '[1]' },
  ];
}

function cases(): BadCase[] {
  const post = {
    title: '帮忙',
    description: '描述',
    category: 'other',
    skillsWanted: ['跑腿'],
    communityId: ids.community,
    gridId: ids.grid,
    contactName: '郑大爷',
    contactPhone: '13400004444',
  };
  const list: BadCase[] = [
    ...bodyCases(
      'POST',
      '/wishes',
      'resident',
      post,
      {
        'title too long': { title: long(65) },
        'title blank': { title: '   ' },
        'title a number': { title: 7 },
        'title with control chars': { title: 'a\u0007b' },
        'title with a bidi override': { title: '心愿\u202E反转' },
        'title with a line break': { title: '心愿\n第二行' },
        'title with a zero-width space': { title: '心\u200B愿' },
        'contact name with a zero-width joiner': { contactName: '郑\u200D大爷' },
        'contact name with a line break': { contactName: '郑\r大爷' },
        'description with an isolate': { description: '描述\u2067x\u2069' },
        'description too long': { description: long(1001) },
        'unknown category': { category: 'flying' },
        'too many skills': { skillsWanted: Array.from({ length: 11 }, (_, i) => `s${i}`) },
        'skill too long': { skillsWanted: [long(33)] },
        'skill empty': { skillsWanted: [''] },
        'skills not an array': { skillsWanted: '跑腿' },
        'bad community id': { communityId: 'a#b' },
        'unknown community': { communityId: 'co-nowhere' },
        'unknown grid': { gridId: 'gr-nowhere' },
        "another community's grid": { gridId: ids.otherGrid },
        'bad phone': { contactPhone: '12345' },
        'phone a number': { contactPhone: 13400004444 },
        'name too long': { contactName: long(33) },
        'resident smuggled': { residentSub: 'someone' },
        'status smuggled': { status: 'published' },
      },
      ['skillsWanted', 'gridId'],
    ),
    ...bodyCases(
      'POST',
      `/wishes/${ids.published}/review`,
      'admin',
      { decision: 'reject', reason: '不符合' },
      {
        'unknown decision': { decision: 'maybe' },
        'reason too long': { reason: long(501) },
        'reason empty': { reason: '' },
        'decision a boolean': { decision: true },
      },
    ),
    {
      name: 'reject without a reason',
      method: 'POST',
      path: `/wishes/${ids.published}/review`,
      token: 'admin',
      body: { decision: 'reject' },
    },
    {
      name: 'publish a published wish',
      method: 'POST',
      path: `/wishes/${ids.published}/review`,
      token: 'admin',
      body: { decision: 'publish' },
    },
    ...bodyCases(
      'POST',
      `/wishes/${ids.claimed}/complete`,
      'member',
      { note: '完成', hours: 2 },
      {
        'zero hours': { hours: 0 },
        'quarter hours': { hours: 1.25 },
        'too many hours': { hours: 24.5 },
        'negative hours': { hours: -1 },
        'hours a string': { hours: '2' },
        'hours null': { hours: null },
        'note too long': { note: long(501) },
        'note blank': { note: ' ' },
      },
    ),
    ...bodyCases(
      'POST',
      `/wishes/${ids.completed}/confirm`,
      'resident',
      { rating: 5, comment: '好' },
      {
        'rating zero': { rating: 0 },
        'rating six': { rating: 6 },
        'rating fractional': { rating: 4.5 },
        'rating a string': { rating: '5' },
        'comment too long': { comment: long(501) },
      },
      ['comment'],
    ),
    {
      name: 'confirm a wish that is not completed',
      method: 'POST',
      path: `/wishes/${ids.claimed}/confirm`,
      token: 'resident',
      body: { rating: 5 },
    },
    {
      name: 'complete a wish that is not claimed',
      method: 'POST',
      path: `/wishes/${ids.published}/complete`,
      token: 'member',
      body: { note: 'x', hours: 1 },
    },
    { name: 'release a published wish', method: 'POST', path: `/wishes/${ids.published}/release`, token: 'member' },
    { name: 'claim a claimed wish', method: 'POST', path: `/wishes/${ids.claimed}/claim`, token: 'member' },
    { name: 'take on a published wish', method: 'POST', path: `/wishes/${ids.published}/take-on`, token: 'leader' },
    { name: 'withdraw a claimed wish', method: 'POST', path: `/wishes/${ids.claimed}/withdraw`, token: 'resident' },
    ...noBodyCases(`/wishes/${ids.published}/claim`, 'member'),
    ...noBodyCases(`/wishes/${ids.claimed}/release`, 'member'),
    ...noBodyCases(`/wishes/${ids.published}/take-on`, 'leader'),
    ...noBodyCases(`/wishes/${ids.published}/withdraw`, 'resident'),
  ];
  const wall = `/wishes?communityId=${ids.community}`;
  const forgedWall = b64({ pk: 'WISH#x', sk: 'WISH', gsi1pk: `WALL#other#published`, gsi1sk: 'x' });
  const forgedEscalated = b64({ pk: 'WISH#x', sk: 'WISH', gsi1pk: `WALL#${ids.community}#published`, gsi1sk: 'x' });
  const forgedEvents = b64({ pk: `WISH#${ids.published}`, sk: 'WISH' });
  const otherEvents = b64({ pk: 'WISH#other', sk: 'EVENT#0000000001' });
  for (const q of [
    'limit=0',
    'limit=101',
    'limit=abc',
    'limit=1.5',
    'limit=0x10',
    'limit=1e1',
    'sort=new',
    'cursor=%25%25%25',
    `cursor=${long(1100)}`,
    `cursor=${b64([1])}`,
  ]) {
    list.push({ name: `wall ?${q.slice(0, 20)}`, method: 'GET', path: `${wall}&${q}`, token: 'member' });
    list.push({
      name: `escalated ?${q.slice(0, 20)}`,
      method: 'GET',
      path: `/wishes?status=escalated&${q}`,
      token: 'member',
    });
    list.push({
      name: `events ?${q.slice(0, 20)}`,
      method: 'GET',
      path: `/wishes/${ids.published}/events?${q}`,
      token: 'member',
    });
    list.push({ name: `mine ?${q.slice(0, 20)}`, method: 'GET', path: `/wishes/mine?${q}`, token: 'resident' });
  }
  list.push({
    name: "mine: another list's cursor",
    method: 'GET',
    path: `/wishes/mine?cursor=${forgedWall}`,
    token: 'resident',
  });
  list.push({
    name: 'mine: a filter it does not take',
    method: 'GET',
    path: '/wishes/mine?status=published',
    token: 'resident',
  });
  list.push(
    {
      name: 'wall: forged cursor of another community',
      method: 'GET',
      path: `${wall}&cursor=${forgedWall}`,
      token: 'member',
    },
    {
      name: 'escalated: a wall cursor',
      method: 'GET',
      path: `/wishes?status=escalated&cursor=${forgedEscalated}`,
      token: 'member',
    },
    {
      name: 'events: a cursor outside the events',
      method: 'GET',
      path: `/wishes/${ids.published}/events?cursor=${forgedEvents}`,
      token: 'member',
    },
    {
      name: "events: another wish's cursor",
      method: 'GET',
      path: `/wishes/${ids.published}/events?cursor=${otherEvents}`,
      token: 'member',
    },
    { name: 'wall without community, not escalated', method: 'GET', path: '/wishes', token: 'member' },
    { name: 'wall without community, published', method: 'GET', path: '/wishes?status=published', token: 'member' },
    { name: 'wall with an unknown status', method: 'GET', path: `${wall}&status=lost`, token: 'member' },
    { name: 'wall with a bad community', method: 'GET', path: '/wishes?communityId=a%23b', token: 'member' },
    { name: 'wall with two statuses', method: 'GET', path: `${wall}&status=published&status=claimed`, token: 'member' },
    { name: 'suggested limit 0', method: 'GET', path: '/wishes/suggested?limit=0', token: 'member' },
    { name: 'suggested limit 51', method: 'GET', path: '/wishes/suggested?limit=51', token: 'member' },
    { name: 'suggested limit abc', method: 'GET', path: '/wishes/suggested?limit=abc', token: 'member' },
    { name: 'suggested limit 0x10', method: 'GET', path: '/wishes/suggested?limit=0x10', token: 'member' },
    { name: 'suggested with a cursor', method: 'GET', path: '/wishes/suggested?cursor=abc', token: 'member' },
    {
      name: 'suggested with a communityId',
      method: 'GET',
      path: `/wishes/suggested?communityId=${ids.community}`,
      token: 'member',
    },
  );
  for (const bad of badIds) {
    list.push({ name: `read ${bad.slice(0, 10)}`, method: 'GET', path: `/wishes/${bad}`, token: 'member' });
    list.push({ name: `events ${bad.slice(0, 10)}`, method: 'GET', path: `/wishes/${bad}/events`, token: 'member' });
    list.push({
      name: `review ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/wishes/${bad}/review`,
      token: 'admin',
      body: { decision: 'publish' },
    });
    for (const action of ['claim', 'release', 'withdraw'])
      list.push({
        name: `${action} ${bad.slice(0, 10)}`,
        method: 'POST',
        path: `/wishes/${bad}/${action}`,
        token: action === 'withdraw' ? 'resident' : 'member',
      });
    list.push({ name: `take-on ${bad.slice(0, 10)}`, method: 'POST', path: `/wishes/${bad}/take-on`, token: 'leader' });
    list.push({
      name: `complete ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/wishes/${bad}/complete`,
      token: 'member',
      body: { note: 'x', hours: 1 },
    });
    list.push({
      name: `confirm ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/wishes/${bad}/confirm`,
      token: 'resident',
      body: { rating: 5 },
    });
  }
  return list;
}

describe('bad input on the micro-wishes routes', () => {
  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(150);
    await expectRefusedWritingNothing(() => badInputFailures(api, all, t));
  });

  it('names the fields that failed, and the state that refused', async () => {
    const res = await api.post('/wishes', t.resident, {
      title: '',
      description: 'x',
      category: 'x',
      communityId: ids.community,
      contactName: 'x',
      contactPhone: '1',
      colour: 'red',
    });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.title', 'body.category', 'body.contactPhone', 'body']));
    const review = await api.post(`/wishes/${ids.published}/review`, t.admin, { decision: 'reject' });
    expect(review.body.errors).toEqual([expect.objectContaining({ field: 'body.reason' })]);
    const refused = await api.post(`/wishes/${ids.published}/release`, t.member);
    expect(refused.body).toMatchObject({
      status: 409,
      code: 'WISH_ACTION_NOT_ALLOWED',
      state: 'published',
      allowedActions: ['withdraw', 'claim', 'escalate'],
    });
    const wall = await api.get('/wishes', t.member);
    expect(wall.body.errors).toEqual([expect.objectContaining({ field: 'query.communityId' })]);
  });
});

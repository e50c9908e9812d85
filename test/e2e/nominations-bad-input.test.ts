import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Bad input on the nominations and reserve-cadre routes: malformed and smuggled bodies, fields
 * out of range, unknown ids, bad queries and cursors. Each is a 4xx problem+json and writes nothing.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { member: '', street: '', community: '', nomination: '' };
const t: Record<string, string> = {};

beforeAll(async () => {
  freezeClock('2026-12-07T02:00:00.000Z');
  const place = await e2e.place();
  ids.street = place.streetId;
  ids.community = place.communityId;
  const m = await e2e.checkedInMember({ communityId: ids.community, name: '成员' });
  ids.member = m.memberId;
  t.member = m.token;
  t.admin = await mint.communityAdmin(ids.community);
  t.street = await mint.streetAdmin(ids.street);
  t.district = await mint.districtAdmin();
  const res = await api.post('/nominations', t.admin, { memberId: ids.member, title: '优秀', reason: '积极' });
  expect(res.status, res.text).toBe(201);
  ids.nomination = res.body.nominationId;
  expect((await api.post(`/nominations/${ids.nomination}/notice`, t.district)).status).toBe(200);
}, 120_000);
afterAll(() => resetClock());

const long = (n: number) => 'x'.repeat(n);
const forged = Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'CADRES#other', gsi1sk: 'z' })).toString(
  'base64url',
);

function cases(): BadCase[] {
  const n = `/nominations/${ids.nomination}`;
  const list: BadCase[] = [
    ...bodyCases(
      'POST',
      '/nominations',
      'admin',
      { memberId: ids.member, title: '优秀', reason: '积极', level: 'district' },
      {
        'memberId empty': { memberId: '' },
        'memberId with a #': { memberId: 'a#b' },
        'unknown member': { memberId: 'm-nobody' },
        'title empty': { title: '' },
        'title too long': { title: long(61) },
        'title with a line break': { title: 'a\nb' },
        'reason too long': { reason: long(1001) },
        'reason with control chars': { reason: 'a\u0007b' },
        'level unknown': { level: 'galactic' },
        'status smuggled': { status: 'approved' },
        'evidence smuggled': { evidence: { confirmedHours: 9999 } },
      },
      ['level'],
    ),
    ...bodyCases(
      'POST',
      `${n}/objections`,
      'member',
      { text: '异议' },
      { 'text empty': { text: '' }, 'text too long': { text: long(1001) }, 'by smuggled': { by: 'someone' } },
    ),
    ...bodyCases(
      'POST',
      `${n}/decision`,
      'district',
      { approve: true, note: '同意' },
      {
        'approve a string': { approve: 'yes' },
        'note empty': { note: '' },
        'note too long': { note: long(501) },
        'status smuggled': { status: 'approved' },
      },
    ),
    ...bodyCases(
      'POST',
      '/reserve-cadres',
      'street',
      { nominationId: ids.nomination, basis: '先进' },
      {
        'nomination not approved': {},
        'unknown nomination': { nominationId: 'nm-nowhere' },
        'basis empty': { basis: '' },
        'basis too long': { basis: long(1001) },
        'reviewDueOn smuggled': { reviewDueOn: '2099-01-01' },
      },
    ),
    ...bodyCases(
      'POST',
      `/reserve-cadres/${ids.member}/exit`,
      'street',
      { reason: '调任' },
      { 'not in the pool': {}, 'reason empty': { reason: '' }, 'reason too long': { reason: long(501) } },
    ),
    { name: 'notice: unknown nomination', method: 'POST', path: '/nominations/nm-nowhere/notice', token: 'district' },
    { name: 'notice: on notice already', method: 'POST', path: `${n}/notice`, token: 'district' },
    { name: 'notice: bad id', method: 'POST', path: '/nominations/a%23b/notice', token: 'district' },
    { name: 'file: unknown nomination', method: 'GET', path: '/nominations/nm-nowhere', token: 'district' },
    {
      name: 'decision before the notice ends',
      method: 'POST',
      path: `${n}/decision`,
      token: 'district',
      body: { approve: true, note: '同意' },
    },
  ];
  for (const q of ['status=open', 'limit=0', 'limit=101', `cursor=${forged}`, 'cursor=%25%25', 'year=2026'])
    list.push({ name: `nominations ?${q.slice(0, 24)}`, method: 'GET', path: `/nominations?${q}`, token: 'district' });
  for (const q of ['limit=0', `cursor=${forged}`, `communityId=${ids.community}`, 'streetId=a%23b', 'status=active'])
    list.push({
      name: `pool ?${q.slice(0, 24)}`,
      method: 'GET',
      path: `/reserve-cadres?${q}`,
      token: 'district',
    });
  list.push({ name: 'notice page with a query', method: 'GET', path: '/nomination-notices?x=1' });
  return list;
}

describe('bad input on the nominations routes', () => {
  it('refuses every case with a 4xx problem+json and writes nothing', async () => {
    await expectRefusedWritingNothing(() => badInputFailures(api, cases(), t));
  });
});

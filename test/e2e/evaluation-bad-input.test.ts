import { beforeAll, describe, it } from 'vitest';
import { nowIso } from '../../shared/domain/clock.ts';
import { dayOf } from '../../shared/domain/time.ts';
import { signupItem } from '../../shared/db/activities.ts';
import { putNew } from '../../shared/db/writes.ts';
import { applyChange, postFact } from '../../shared/services/ledger.ts';
import { feedLedger } from '../support/ledger.ts';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { seedRecord } from '../support/records.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Bad input on every route of the evaluation context: malformed JSON, missing and unknown fields,
 * wrong types and enums, bad periods, scopes and ids, forged cursors, bad Idempotency-Keys, an
 * unknown record or member. Each gets a 4xx problem+json (never a 5xx) and writes nothing: the
 * record under test has no evaluation and its member's fifth star is due, so any input that
 * slipped through would write.
 */
const e2e = useE2e();
const { api } = e2e;
const ids = { member: '', record: '', community: '' };
const t: Record<string, string> = {};

beforeAll(async () => {
  const place = await e2e.place();
  ids.community = place.communityId;
  const m = await e2e.checkedInMember({ communityId: place.communityId });
  ids.member = m.memberId;
  t.member = m.token;
  const team = await e2e.team({ communityId: place.communityId });
  ids.record = (
    await seedRecord({
      memberId: m.memberId,
      team: { teamId: team.teamId, leaderName: '队长' },
      communityId: place.communityId,
      streetId: place.streetId,
      date: dayOf(nowIso()),
    })
  ).recordId;
  await postFact({
    kind: 'service-record',
    id: 'sr-bad-long',
    memberId: m.memberId,
    at: nowIso(),
    postedAt: nowIso(),
    revision: 0,
    units: 1500,
    hours: 1500,
    place: { streetId: place.streetId, communityId: place.communityId },
  });
  await feedLedger();
  await putNew(
    signupItem({
      activityId: 'ac-bad-noshow',
      memberId: m.memberId,
      memberName: '成员',
      status: 'confirmed',
      ticket: 1,
      signedUpAt: nowIso(),
    }),
  );
  await applyChange({
    eventName: 'INSERT',
    newImage: {
      type: 'activity-close',
      activityId: 'ac-bad-noshow',
      teamId: team.teamId,
      streetId: place.streetId,
      communityId: place.communityId,
      peopleServed: 1,
      closedAt: nowIso(),
    },
  });
  t.admin = await mint.communityAdmin(place.communityId);
  t.district = await mint.districtAdmin();
});

const long = (n: number) => 'x'.repeat(n);
const forged = Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'MEMBER#other#LEDGER', gsi1sk: 'z' })).toString(
  'base64url',
);

function cases(): BadCase[] {
  const evaluation = `/service-records/${ids.record}/evaluation`;
  const fifth = `/members/${ids.member}/fifth-star`;
  const list: BadCase[] = [
    ...bodyCases(
      'POST',
      evaluation,
      'admin',
      { rating: 'good', note: '认真' },
      {
        'rating unknown': { rating: 'superb' },
        'rating a number': { rating: 3 },
        'rating null': { rating: null },
        'note empty': { note: '' },
        'note too long': { note: long(501) },
        'note with control chars': { note: 'a\u0007b' },
        'member smuggled': { memberId: 'other' },
        'date smuggled': { date: '2020-01-01' },
      },
      ['note'],
    ),
    ...bodyCases(
      'POST',
      '/members/me/no-shows/ac-bad-noshow/correction',
      'member',
      { reason: '生病' },
      {
        'reason empty': { reason: '' },
        'reason too long': { reason: long(501) },
        'status smuggled': { status: 'excused' },
      },
    ),
    ...bodyCases(
      'POST',
      `/no-shows/ac-bad-noshow/members/${ids.member}/decision`,
      'admin',
      { excuse: true, reason: '准' },
      {
        'excuse a string': { excuse: 'yes' },
        'reason empty': { reason: '' },
        'reason too long': { reason: long(501) },
        'count smuggled': { count: 0 },
      },
    ),
    {
      name: 'contest an unknown no-show',
      method: 'POST',
      path: '/members/me/no-shows/ac-nowhere/correction',
      token: 'member',
      body: { reason: 'x' },
    },
    {
      name: 'decide a no-show nobody contested',
      method: 'POST',
      path: `/no-shows/ac-bad-noshow/members/${ids.member}/decision`,
      token: 'admin',
      body: { excuse: true, reason: 'x' },
    },
    {
      name: 'decide a no-show of a bad id',
      method: 'POST',
      path: '/no-shows/a%23b/members/x/decision',
      token: 'admin',
      body: { excuse: true, reason: 'x' },
    },
    ...bodyCases(
      'POST',
      fifth,
      'district',
      { approve: true, note: '记录齐全' },
      {
        'approve a string': { approve: 'yes' },
        'approve a number': { approve: 1 },
        'note empty': { note: '' },
        'note too long': { note: long(501) },
        'star smuggled': { star: 5 },
      },
    ),
    {
      name: 'evaluation of an unknown record',
      method: 'POST',
      path: '/service-records/sr_NOWHERE/evaluation',
      token: 'admin',
      body: { rating: 'good' },
    },
    {
      name: 'evaluation bad id',
      method: 'POST',
      path: '/service-records/a%23b/evaluation',
      token: 'admin',
      body: { rating: 'good' },
    },
    {
      name: 'evaluation bad Idempotency-Key',
      method: 'POST',
      path: evaluation,
      token: 'admin',
      body: { rating: 'good' },
      headers: { 'idempotency-key': 'short' },
    },
    {
      name: 'fifth star of a member not due',
      method: 'POST',
      path: '/members/m-nobody/fifth-star',
      token: 'district',
      body: { approve: true, note: 'x' },
    },
    { name: 'record of an unknown member', method: 'GET', path: '/members/m-nobody/record', token: 'admin' },
    { name: 'record bad member id', method: 'GET', path: `/members/${long(65)}/record`, token: 'admin' },
    { name: 'record with a query', method: 'GET', path: '/members/me/record?memberId=other', token: 'member' },
  ];
  for (const q of ['limit=0', 'limit=101', 'limit=abc', 'year=26', 'year=2026-01', `cursor=${forged}`, 'memberId=x'])
    list.push({ name: `points ?${q.slice(0, 24)}`, method: 'GET', path: `/members/me/points?${q}`, token: 'member' });
  for (const q of [
    '',
    'scope=district&id=jinjiang',
    'scope=district&id=jinjiang&period=2026-13',
    'scope=district&id=jinjiang&period=26',
    'scope=district&id=jinjiang&period=2026-1',
    'scope=grid&id=x&period=2026',
    'scope=constructor&id=x&period=2026',
    'scope=community&period=2026',
    'scope=community&id=a%23b&period=2026',
    'scope=district&id=jinjiang&period=2026&limit=0',
    'scope=district&id=jinjiang&period=2026&limit=101',
    'scope=district&id=jinjiang&period=2026&subject=team',
    'scope=district&id=pujiang&period=2026',
  ])
    list.push({ name: `ranking ?${q.slice(0, 40)}`, method: 'GET', path: `/rankings/members?${q}`, token: 'member' });
  for (const q of [
    '',
    'scope=team&period=2026',
    'scope=district&id=jinjiang&period=x',
    'scope=district&id=pujiang&period=2026',
  ])
    list.push({
      name: `my rank ?${q.slice(0, 40)}`,
      method: 'GET',
      path: `/rankings/members/me?${q}`,
      token: 'member',
    });
  for (const q of ['', 'period=2026-00', 'period=2026&limit=0', 'period=2026&scope=street'])
    list.push({ name: `teams ?${q}`, method: 'GET', path: `/rankings/teams?${q}`, token: 'member' });
  for (const q of ['year=26', 'year=x', 'limit=5'])
    list.push({ name: `no-shows ?${q}`, method: 'GET', path: `/members/me/no-shows?${q}`, token: 'member' });
  for (const q of ['year=26', 'limit=0', `cursor=${forged}`, 'status=open'])
    list.push({
      name: `no-show reviews ?${q.slice(0, 24)}`,
      method: 'GET',
      path: `/communities/${ids.community}/no-show-reviews?${q}`,
      token: 'admin',
    });
  list.push({
    name: 'reviews of an unknown community',
    method: 'GET',
    path: '/communities/co-nowhere/no-show-reviews',
    token: 'admin',
  });
  for (const q of ['limit=0', 'limit=101', `cursor=${forged}`, 'cursor=%25%25', 'status=due'])
    list.push({
      name: `star reviews ?${q.slice(0, 24)}`,
      method: 'GET',
      path: `/star-reviews?${q}`,
      token: 'district',
    });
  return list;
}

describe('bad input on the evaluation routes', () => {
  it('refuses every case with a 4xx problem+json and writes nothing', async () => {
    await expectRefusedWritingNothing(() => badInputFailures(api, cases(), t));
  });
});

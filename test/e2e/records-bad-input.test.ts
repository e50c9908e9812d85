import { beforeAll, describe, expect, it } from 'vitest';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { seedRecord, seedTeam } from '../support/records.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/**
 * Bad input on every route of the records context: malformed JSON, missing and unknown fields,
 * hours off the half-hour step or out of range, wrong types, strings over their bounds, bad ids
 * and certificate numbers, forged cursors, bad Idempotency-Keys, wrong content types. Each gets a
 * 4xx problem+json (never a 5xx) and writes nothing: the record under test has no pending
 * correction and its member has hours, so any input that slipped through would write.
 */
const { api } = useE2e();
const ids = { record: '', pendingRecord: '', correction: '', member: '', team: '' };
const t: Record<string, string> = {};

beforeAll(async () => {
  ids.member = uniq('m');
  t.member = await mint.member(ids.member);
  const leaderId = uniq('lead');
  const team = await seedTeam({ leaderMemberId: leaderId });
  ids.team = team.teamId;
  t.leader = await mint.leader(leaderId, team.teamId);
  ids.record = (await seedRecord({ memberId: ids.member, team, hours: 2 })).recordId;
  ids.pendingRecord = (await seedRecord({ memberId: ids.member, team, hours: 2, date: '2024-01-01' })).recordId;
  const asked = await api.post(`/service-records/${ids.pendingRecord}/corrections`, t.member, {
    requestedHours: 3,
    reason: '少记',
  });
  expect(asked.status).toBe(201);
  ids.correction = asked.body.correctionId;
});

const long = (n: number) => 'x'.repeat(n);
const badIds = ['a%23b', long(65), '%E4%B8%AD', '-lead', 'a.b', '%20'];

const badHours = (field: string): Record<string, Record<string, unknown>> => ({
  [`${field} a quarter hour`]: { [field]: 2.25 },
  [`${field} 0.1`]: { [field]: 0.1 },
  [`${field} negative`]: { [field]: -0.5 },
  [`${field} over 24`]: { [field]: 24.5 },
  [`${field} huge`]: { [field]: 1e308 },
  [`${field} a string`]: { [field]: '3' },
  [`${field} null`]: { [field]: null },
  [`${field} a boolean`]: { [field]: true },
  [`${field} an array`]: { [field]: [3] },
  [`${field} an object`]: { [field]: { value: 3 } },
});

function cases(): BadCase[] {
  const corrections = `/service-records/${ids.record}/corrections`;
  const accept = `/service-records/${ids.pendingRecord}/corrections/${ids.correction}/accept`;
  const reject = `/service-records/${ids.pendingRecord}/corrections/${ids.correction}/reject`;
  const list: BadCase[] = [
    ...bodyCases(
      'POST',
      corrections,
      'member',
      { requestedHours: 3, reason: '签退晚了' },
      {
        ...badHours('requestedHours'),
        'reason empty': { reason: '' },
        'reason blank': { reason: '   ' },
        'reason too long': { reason: long(501) },
        'reason a number': { reason: 5 },
        'reason with control chars': { reason: 'a\u0007b' },
        'member smuggled': { memberId: 'someone-else' },
        'hours smuggled': { hours: 3 },
        'status smuggled': { status: 'accepted' },
      },
    ),
    ...bodyCases(
      'POST',
      accept,
      'leader',
      { hours: 3 },
      {
        ...badHours('hours'),
        'requestedHours instead': { hours: undefined, requestedHours: 3 },
        'status smuggled': { status: 'accepted' },
      },
    ),
    ...bodyCases(
      'POST',
      reject,
      'leader',
      { reason: '不符合' },
      {
        'reason empty': { reason: '' },
        'reason too long': { reason: long(501) },
        'reason an array': { reason: ['x'] },
        'hours smuggled': { hours: 0 },
      },
    ),
    {
      name: 'certificate with a field',
      method: 'POST',
      path: '/members/me/certificates',
      token: 'member',
      body: { hours: 100 },
    },
    {
      name: 'certificate for someone else',
      method: 'POST',
      path: '/members/me/certificates',
      token: 'member',
      body: { memberId: 'other' },
    },
    { name: 'certificate malformed JSON', method: 'POST', path: '/members/me/certificates', token: 'member', raw: '{' },
    { name: 'certificate JSON array', method: 'POST', path: '/members/me/certificates', token: 'member', raw: '[]' },
    {
      name: 'certificate text/plain',
      method: 'POST',
      path: '/members/me/certificates',
      token: 'member',
      raw: '{}',
      headers: { 'content-type': 'text/plain' },
    },
    {
      name: 'certificate bad Idempotency-Key',
      method: 'POST',
      path: '/members/me/certificates',
      token: 'member',
      headers: { 'idempotency-key': 'short' },
    },
    {
      name: 'certificate Idempotency-Key with #',
      method: 'POST',
      path: '/members/me/certificates',
      token: 'member',
      headers: { 'idempotency-key': 'abc#defgh1' },
    },
    {
      name: 'correction bad Idempotency-Key',
      method: 'POST',
      path: corrections,
      token: 'member',
      body: { requestedHours: 3, reason: 'x' },
      headers: { 'idempotency-key': long(129) },
    },
    { name: 'unknown record', method: 'GET', path: '/service-records/sr_NOWHERE', token: 'member' },
    {
      name: 'correction of an unknown record',
      method: 'POST',
      path: '/service-records/sr_NOWHERE/corrections',
      token: 'member',
      body: { requestedHours: 3, reason: 'x' },
    },
    {
      name: 'accept an unknown correction',
      method: 'POST',
      path: `/service-records/${ids.pendingRecord}/corrections/cr_NOWHERE/accept`,
      token: 'leader',
      body: { hours: 3 },
    },
    {
      name: 'reject on an unknown record',
      method: 'POST',
      path: `/service-records/sr_NOWHERE/corrections/${ids.correction}/reject`,
      token: 'leader',
      body: { reason: 'x' },
    },
    {
      name: 'same hours',
      method: 'POST',
      path: corrections,
      token: 'member',
      body: { requestedHours: 2, reason: '一样' },
    },
    {
      name: 'second pending',
      method: 'POST',
      path: `/service-records/${ids.pendingRecord}/corrections`,
      token: 'member',
      body: { requestedHours: 4, reason: 'x' },
    },
  ];
  const forged = Buffer.from(
    JSON.stringify({
      pk: 'RECORD#sr_x',
      sk: 'RECORD',
      gsi1pk: 'MEMBER#someone-else#RECORDS',
      gsi1sk: '2024-01-01#sr_x',
    }),
  ).toString('base64url');
  const wrongShape = Buffer.from(JSON.stringify({ pk: 'x', sk: 'y' })).toString('base64url');
  for (const q of [
    'limit=0',
    'limit=101',
    'limit=abc',
    'limit=1.5',
    'limit=-1',
    'sort=date',
    `cursor=${forged}`,
    `cursor=${wrongShape}`,
    'cursor=%25%25%25',
    `cursor=${long(1100)}`,
    'memberId=other',
  ])
    list.push({
      name: `records ?${q.slice(0, 24)}`,
      method: 'GET',
      path: `/members/me/service-records?${q}`,
      token: 'member',
    });
  for (const q of ['limit=0', 'limit=101', 'limit=x', `cursor=${forged}`, 'cursor=%25%25%25', 'memberId=other'])
    list.push({
      name: `my certificates ?${q.slice(0, 24)}`,
      method: 'GET',
      path: `/members/me/certificates?${q}`,
      token: 'member',
    });
  for (const q of [
    'limit=0',
    'limit=101',
    'status=maybe',
    'status=',
    `cursor=${forged}`,
    'cursor=%25%25%25',
    'teamId=x',
  ])
    list.push({
      name: `team corrections ?${q.slice(0, 24)}`,
      method: 'GET',
      path: `/teams/${ids.team}/corrections?${q}`,
      token: 'leader',
    });
  for (const bad of badIds) {
    list.push({
      name: `team corrections ${bad.slice(0, 10)}`,
      method: 'GET',
      path: `/teams/${bad}/corrections`,
      token: 'leader',
    });
    list.push({
      name: `community corrections ${bad.slice(0, 10)}`,
      method: 'GET',
      path: `/communities/${bad}/corrections`,
      token: 'leader',
    });
  }
  for (const bad of badIds) {
    list.push({ name: `record ${bad.slice(0, 10)}`, method: 'GET', path: `/service-records/${bad}`, token: 'member' });
    list.push({
      name: `correct ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/service-records/${bad}/corrections`,
      token: 'member',
      body: { requestedHours: 3, reason: 'x' },
    });
    list.push({
      name: `accept record ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/service-records/${bad}/corrections/${ids.correction}/accept`,
      token: 'leader',
      body: { hours: 3 },
    });
    list.push({
      name: `accept correction ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/service-records/${ids.pendingRecord}/corrections/${bad}/accept`,
      token: 'leader',
      body: { hours: 3 },
    });
    list.push({
      name: `reject correction ${bad.slice(0, 10)}`,
      method: 'POST',
      path: `/service-records/${ids.pendingRecord}/corrections/${bad}/reject`,
      token: 'leader',
      body: { reason: 'x' },
    });
  }
  for (const n of [
    'PNR-510104-20240101-0000000',
    'PNR-510104-20240101-000000000',
    'pnr-510104-20240101-00000000',
    'PNR-510104-20240101-0000000I',
    'PNR-510104-20240101-0000000u',
    'PNR-5101-20240101-00000000',
    'PNR-510104-2024011-00000000',
    'XYZ-510104-20240101-00000000',
    'PNR%23510104-20240101-00000000',
    'PNR-510104-20240101-00000000%20',
    '%3Cscript%3E',
    long(300),
    'PNR-510104-20240101-00000000.html',
  ]) {
    list.push({ name: `verify ${n.slice(0, 30)}`, method: 'GET', path: `/certificates/${n}` });
    list.push({
      name: `my cert ${n.slice(0, 30)}`,
      method: 'GET',
      path: `/members/me/certificates/${n}`,
      token: 'member',
    });
    list.push({
      name: `verify html ${n.slice(0, 30)}`,
      method: 'GET',
      path: `/certificates/${n}`,
      headers: { accept: 'text/html' },
    });
  }
  list.push({ name: 'verify with a query', method: 'GET', path: '/certificates/PNR-510104-20240101-00000000?full=1' });
  return list;
}

describe('bad input on the records context', () => {
  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(120);
    await expectRefusedWritingNothing(() => badInputFailures(api, all, t));
  });

  it('names the fields that failed', async () => {
    const res = await api.post(`/service-records/${ids.record}/corrections`, t.member, {
      requestedHours: 2.25,
      reason: '',
      colour: 'red',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.requestedHours', 'body.reason', 'body']));
    const bad = await api.get('/certificates/not-a-number');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['params.number']);
  });

  it('the domain refusals carry their codes', async () => {
    const same = await api.post(`/service-records/${ids.record}/corrections`, t.member, {
      requestedHours: 2,
      reason: '一样',
    });
    expect([same.status, same.body.code]).toEqual([422, 'CORRECTION_NO_CHANGE']);
    const pending = await api.post(`/service-records/${ids.pendingRecord}/corrections`, t.member, {
      requestedHours: 4,
      reason: 'x',
    });
    expect([pending.status, pending.body.code]).toEqual([409, 'CORRECTION_ALREADY_PENDING']);
  });
});

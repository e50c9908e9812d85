import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { badInputFailures, bodyCases, expectRefusedWritingNothing, type BadCase } from '../support/matrix.ts';
import { mint, useE2e } from '../support/e2e.ts';

/**
 * Bad input to every qualification and course route: a 4xx problem+json naming what is wrong,
 * never a 5xx, and nothing written.
 */
const e2e = useE2e();
const { api } = e2e;
const T0 = '2026-12-01T00:00:00.000Z';
const t: Record<string, string> = {};
const ids = { community: '', member: '', course: '' };
const long = (n: number) => 'x'.repeat(n);

beforeAll(async () => {
  freezeClock(T0);
  ids.community = await e2e.community(await e2e.street());
  t.admin = await mint.communityAdmin(ids.community);
  const m = await e2e.checkedInMember({ communityId: ids.community });
  ids.member = m.memberId;
  t.member = m.token;
  const team = await e2e.team({ communityId: ids.community });
  t.leader = team.leader.token;
  const c = await api.post('/courses', t.leader, {
    name: '岗前培训',
    content: '礼仪',
    tier: 'pre-service',
    studyHours: 2,
    completionRule: 'any',
    communityId: ids.community,
  });
  expect(c.status, c.text).toBe(201);
  ids.course = c.body.courseId;
});
afterAll(() => resetClock());

describe('qualifications and courses: bad input', () => {
  function cases(): BadCase[] {
    return [
      ...bodyCases(
        'POST',
        `/members/${ids.member}/qualifications`,
        'admin',
        {
          qualification: 'professional',
          validUntil: '2027-12-01T00:00:00+08:00',
        },
        {
          'unknown qualification': { qualification: 'expert' },
          'validUntil not a time': { validUntil: 'next year' },
          'validUntil in the past': { validUntil: '2026-01-01T00:00:00+08:00' },
        },
        ['validUntil'],
      ),
      {
        name: 'grant to an unknown member',
        method: 'POST',
        path: '/members/m-nowhere/qualifications',
        token: 'admin',
        body: { qualification: 'backbone' },
      },
      {
        name: 'grant to a bad member id',
        method: 'POST',
        path: '/members/a%23b/qualifications',
        token: 'admin',
        body: { qualification: 'backbone' },
      },
      ...bodyCases(
        'POST',
        '/courses',
        'leader',
        {
          name: '专业培训',
          content: '急救',
          tier: 'professional',
          requires: 'pre-service',
          studyHours: 4,
          validityMonths: 12,
          completionRule: 'every',
          communityId: ids.community,
        },
        {
          'unknown tier': { tier: 'master' },
          'unknown rule': { completionRule: 'most' },
          'hours 0': { studyHours: 0 },
          'hours off the half hour': { studyHours: 1.2 },
          'hours too many': { studyHours: 201 },
          'validity 0': { validityMonths: 0 },
          'validity a fraction': { validityMonths: 1.5 },
          'name too long': { name: long(101) },
          'unknown community': { communityId: 'co-nowhere' },
        },
        ['requires', 'validityMonths'],
      ),
      ...bodyCases(
        'POST',
        `/courses/${ids.course}/sessions`,
        'leader',
        {
          startsAt: '2026-12-05T09:00:00+08:00',
          endsAt: '2026-12-05T11:00:00+08:00',
          capacity: 10,
          address: '三楼',
        },
        {
          'no place': { address: undefined },
          'in the past': { startsAt: '2026-11-05T09:00:00+08:00' },
          'ends first': { endsAt: '2026-12-05T08:00:00+08:00' },
          'capacity 0': { capacity: 0 },
          'capacity too big': { capacity: 1001 },
          'a station not booked': { address: undefined, stationId: 'stn-nowhere' },
        },
        ['address'],
      ),
      {
        name: 'session of an unknown course',
        method: 'POST',
        path: '/courses/crs-nowhere/sessions',
        token: 'leader',
        body: { startsAt: '2026-12-05T09:00:00+08:00', endsAt: '2026-12-05T11:00:00+08:00', capacity: 1, address: 'x' },
      },
      { name: 'GET an unknown course', method: 'GET', path: '/courses/crs-nowhere', token: 'member' },
      { name: 'GET courses bad team', method: 'GET', path: '/courses?teamId=a%23b', token: 'member' },
      { name: 'GET courses unknown field', method: 'GET', path: '/courses?x=1', token: 'member' },
      { name: 'expiring without a scope', method: 'GET', path: '/qualifications/expiring?days=30', token: 'admin' },
      {
        name: 'expiring with two scopes',
        method: 'GET',
        path: `/qualifications/expiring?days=30&communityId=${ids.community}&memberId=${ids.member}`,
        token: 'admin',
      },
      {
        name: 'expiring without days',
        method: 'GET',
        path: `/qualifications/expiring?communityId=${ids.community}`,
        token: 'admin',
      },
      {
        name: 'expiring days 0',
        method: 'GET',
        path: `/qualifications/expiring?days=0&communityId=${ids.community}`,
        token: 'admin',
      },
      {
        name: 'expiring days 367',
        method: 'GET',
        path: `/qualifications/expiring?days=367&communityId=${ids.community}`,
        token: 'admin',
      },
      {
        name: 'expiring days hex',
        method: 'GET',
        path: `/qualifications/expiring?days=0x10&communityId=${ids.community}`,
        token: 'admin',
      },
      {
        name: 'my qualifications with a query',
        method: 'GET',
        path: '/members/me/qualifications?x=1',
        token: 'member',
      },
    ];
  }

  it('gets a 4xx problem+json, never a 5xx, and writes nothing', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(50);
    await expectRefusedWritingNothing(() => badInputFailures(api, all, t), e2e.tableName);
  });
});

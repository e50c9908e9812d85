import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { expectRefusedWritingNothing, refusalFailure } from '../support/matrix.ts';
import { useE2e } from '../support/e2e.ts';

/**
 * Bad input to a leader's fix of attendance: each is a clear problem+json and writes nothing.
 */
const e2e = useE2e();
const { api } = e2e;
const T0 = '2026-03-02T00:00:00.000Z';
const ids = { activity: '', confirmed: '', waitlisted: '' };
const t = { leader: '' };

beforeAll(async () => {
  freezeClock(T0);
  const community = await e2e.community(await e2e.street('输入街道'), '输入社区');
  const team = await e2e.team({ name: '输入服务队', communityId: community });
  t.leader = team.leader.token;
  const res = await api.post('/activities', t.leader, {
    title: '义诊',
    content: '量血压',
    category: 'health',
    communityId: community,
    address: '广场',
    startsAt: '2026-03-03T09:00:00+08:00',
    endsAt: '2026-03-03T11:00:00+08:00',
    capacity: 1,
  });
  ids.activity = res.body.activityId;
  const [a, b] = [await e2e.member('甲'), await e2e.member('乙')];
  expect((await api.post(`/activities/${ids.activity}/signups`, a.token)).body.status).toBe('confirmed');
  expect((await api.post(`/activities/${ids.activity}/signups`, b.token)).body.status).toBe('waitlisted');
  ids.confirmed = a.memberId;
  ids.waitlisted = b.memberId;
  freezeClock('2026-03-03T10:00:00+08:00'); // during the activity
});
afterAll(() => resetClock());

describe('bad input to PUT /activities/{id}/attendance/{memberId}', () => {
  it('refuses each with its status and code, writing nothing', async () => {
    const path = (member = ids.confirmed, activity = ids.activity) => `/activities/${activity}/attendance/${member}`;
    const cases: [string, string, unknown, number, string][] = [
      ['no body', path(), undefined, 400, 'VALIDATION_FAILED'],
      ['check-in missing', path(), { checkedOutAt: '2026-03-03T10:00:00+08:00' }, 400, 'VALIDATION_FAILED'],
      ['not a time', path(), { checkedInAt: '九点' }, 400, 'VALIDATION_FAILED'],
      ['no offset', path(), { checkedInAt: '2026-03-03T09:00:00' }, 400, 'VALIDATION_FAILED'],
      ['unknown field', path(), { checkedInAt: '2026-03-03T09:00:00+08:00', hours: 3 }, 400, 'VALIDATION_FAILED'],
      ['before the window', path(), { checkedInAt: '2026-03-03T08:00:00+08:00' }, 400, 'VALIDATION_FAILED'],
      ['in the future', path(), { checkedInAt: '2026-03-03T10:30:00+08:00' }, 400, 'VALIDATION_FAILED'],
      [
        'check-out before check-in',
        path(),
        { checkedInAt: '2026-03-03T09:30:00+08:00', checkedOutAt: '2026-03-03T09:00:00+08:00' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'check-out in the future',
        path(),
        { checkedInAt: '2026-03-03T09:00:00+08:00', checkedOutAt: '2026-03-03T10:45:00+08:00' },
        400,
        'VALIDATION_FAILED',
      ],
      ['waitlisted member', path(ids.waitlisted), { checkedInAt: '2026-03-03T09:00:00+08:00' }, 403, 'NOT_SIGNED_UP'],
      ['unknown member', path('m-nobody'), { checkedInAt: '2026-03-03T09:00:00+08:00' }, 404, 'NOT_FOUND'],
      [
        'unknown activity',
        path(ids.confirmed, 'ac-nothing'),
        { checkedInAt: '2026-03-03T09:00:00+08:00' },
        404,
        'NOT_FOUND',
      ],
    ];
    await expectRefusedWritingNothing(async () => {
      const failures: string[] = [];
      for (const [name, p, body, status, code] of cases) {
        const res = await api.call('PUT', p, { token: t.leader, body });
        const failure = refusalFailure(res, status, code);
        if (failure) failures.push(`${name}: ${failure}`);
      }
      return failures;
    }, e2e.tableName);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import { allItems } from '../support/inspect.ts';
import { mint, useE2e, type Member } from '../support/e2e.ts';

/**
 * Leaders fix attendance: before the close, the leader of the activity's team (or an admin of its
 * scope) sets a member's check-in and check-out; a member who forgot to check out then gets a
 * record at the close. After the close, the record is corrected through the correction flow.
 */
const e2e = useE2e();
const { api } = e2e;
const T0 = '2026-03-02T00:00:00.000Z'; // Monday 08:00 in Shanghai
const ids = { community: '', activity: '' };
const t = { leader: '', admin: '' };
const m: Record<'forgot' | 'absent' | 'both', Member> = {} as never;

beforeAll(async () => {
  freezeClock(T0);
  ids.community = await e2e.community(await e2e.street('考勤街道'), '考勤社区');
  t.admin = await mint.communityAdmin(ids.community);
  const team = await e2e.team({ name: '考勤服务队', communityId: ids.community });
  t.leader = team.leader.token;
  const res = await api.post('/activities', t.leader, {
    title: '社区清洁',
    content: '清理楼道',
    category: 'environment',
    communityId: ids.community,
    address: '三号楼',
    startsAt: '2026-03-03T09:00:00+08:00',
    endsAt: '2026-03-03T12:00:00+08:00',
    capacity: 5,
  });
  expect(res.status, res.text).toBe(201);
  ids.activity = res.body.activityId;
  for (const k of ['forgot', 'absent', 'both'] as const) {
    m[k] = await e2e.member(`成员${k}`);
    expect((await api.post(`/activities/${ids.activity}/signups`, m[k].token)).status).toBe(201);
  }
});
afterAll(() => resetClock());

const fix = (token: string, member: Member, body: Record<string, unknown>) =>
  api.put(`/activities/${ids.activity}/attendance/${member.memberId}`, token, body);

describe('leaders fix attendance', () => {
  it('a forgotten check-out fixed by the leader, a missing check-in set by an admin: both get records at the close', async () => {
    freezeClock('2026-03-03T09:00:00+08:00');
    const code = (await api.post(`/activities/${ids.activity}/attendance-code`, t.leader)).body.code;
    expect((await api.post(`/activities/${ids.activity}/check-in`, m.forgot.token, { code })).status).toBe(200);
    freezeClock('2026-03-03T12:20:00+08:00');
    // The leader fixes the forgotten check-out; an admin of the community sets the absent one's times.
    const fixed = await fix(t.leader, m.forgot, {
      checkedInAt: '2026-03-03T09:00:00+08:00',
      checkedOutAt: '2026-03-03T12:00:00+08:00',
    });
    expect(fixed.status, fixed.text).toBe(200);
    expect(fixed.body).toMatchObject({
      memberId: m.forgot.memberId,
      status: 'confirmed',
      checkedInAt: '2026-03-03T01:00:00.000Z',
      checkedOutAt: '2026-03-03T04:00:00.000Z',
    });
    const byAdmin = await fix(t.admin, m.absent, {
      checkedInAt: '2026-03-03T10:00:00+08:00',
      checkedOutAt: '2026-03-03T11:00:00+08:00',
    });
    expect(byAdmin.status, byAdmin.text).toBe(200);
    // A fix without a check-out removes it: no hours for that member.
    expect(
      (
        await fix(t.leader, m.both, {
          checkedInAt: '2026-03-03T09:30:00+08:00',
          checkedOutAt: '2026-03-03T10:00:00+08:00',
        })
      ).status,
    ).toBe(200);
    const undone = await fix(t.leader, m.both, { checkedInAt: '2026-03-03T09:30:00+08:00' });
    expect(undone.status).toBe(200);
    expect(undone.body.checkedOutAt).toBeUndefined();
    const closed = await api.post(`/activities/${ids.activity}/close`, t.leader, { peopleServed: 30, summary: '清洁' });
    expect(closed.status, closed.text).toBe(200);
    const records = (await allItems(e2e.tableName)).filter(
      (i) => i.type === 'service-record' && i.activityId === ids.activity,
    );
    expect(Object.fromEntries(records.map((r) => [r.memberId, r.hours]))).toEqual({
      [m.forgot.memberId]: 3,
      [m.absent.memberId]: 1,
    });
  });

  it('after the close, a fix is refused (409) and the record is corrected through the correction flow', async () => {
    const refused = await fix(t.leader, m.absent, {
      checkedInAt: '2026-03-03T09:00:00+08:00',
      checkedOutAt: '2026-03-03T12:00:00+08:00',
    });
    expect([refused.status, refused.body.code]).toEqual([409, 'ACTIVITY_CLOSED']);
    expect(refused.body.detail).toContain('correction');
    const record = (await api.get('/members/me/service-records', m.absent.token)).body.items[0];
    const asked = await api.post(`/service-records/${record.recordId}/corrections`, m.absent.token, {
      requestedHours: 3,
      reason: '实际全程参加',
    });
    expect(asked.status, asked.text).toBe(201);
    const accepted = await api.post(
      `/service-records/${record.recordId}/corrections/${asked.body.correctionId}/accept`,
      t.leader,
      { hours: 3 },
    );
    expect(accepted.status, accepted.text).toBe(200);
    expect((await api.get(`/service-records/${record.recordId}`, m.absent.token)).body.hours).toBe(3);
  });
});

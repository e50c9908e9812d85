import { describe, expect, it } from 'vitest';
import { NOTICE_TEMPLATES } from '../../shared/domain/notice-templates.ts';
import { NOTICE_TYPE_NAMES, type NoticeData, type NoticeTypeName } from '../../shared/domain/notices.ts';

/**
 * What a member or resident reads (shared/domain/notice-templates.ts): the exact title and body of
 * each notice type for a given notice's data, times in Asia/Shanghai. The notifier puts the
 * activity's `title` and `startsAt` under the notice's own data (shared/services/notifications.ts).
 */
const render = (type: NoticeTypeName, d: NoticeData) => NOTICE_TEMPLATES[type](d);

// 01:00Z is 09:00 in Shanghai.
const activity = { activityId: 'act-1', ticket: 3, title: '社区义诊', startsAt: '2026-12-05T01:00:00.000Z' };

describe('every notice type has its template', () => {
  it('the templates are exactly the declared types', () => {
    expect(Object.keys(NOTICE_TEMPLATES).sort()).toEqual([...NOTICE_TYPE_NAMES].sort());
  });
});

describe('activity notices', () => {
  it('signup-confirmed names the activity and its start', () => {
    expect(render('signup-confirmed', activity)).toEqual({
      title: '报名成功',
      body: '您已报名「社区义诊」（2026-12-05 09:00）。',
    });
  });

  it('signup-waitlisted says how the waitlist moves', () => {
    expect(render('signup-waitlisted', activity)).toEqual({
      title: '已进入候补',
      body: '「社区义诊」已满，您在候补名单上；有名额时按报名先后递补并通知您。',
    });
  });

  it('promoted names the activity and its start', () => {
    expect(render('promoted', activity)).toEqual({
      title: '候补转为正式',
      body: '「社区义诊」有了空位，您已从候补转为正式报名（2026-12-05 09:00）。',
    });
  });

  it('activity-changed gives the new start', () => {
    expect(render('activity-changed', { ...activity, version: 5, startsAt: '2026-12-05T07:30:00.000Z' })).toEqual({
      title: '活动有变更',
      body: '「社区义诊」有调整，现于 2026-12-05 15:30 开始，请查看活动详情。',
    });
  });

  it('activity-cancelled gives the reason', () => {
    expect(render('activity-cancelled', { ...activity, reason: '场地维修' })).toEqual({
      title: '活动已取消',
      body: '「社区义诊」（2026-12-05 09:00）已取消：场地维修',
    });
  });

  it('reminder-24h says tomorrow, reminder-2h says in two hours', () => {
    expect(render('reminder-24h', activity)).toEqual({
      title: '活动明天开始',
      body: '「社区义诊」将于 2026-12-05 09:00 开始，请准时参加。',
    });
    expect(render('reminder-2h', activity)).toEqual({
      title: '活动两小时后开始',
      body: '「社区义诊」将于 2026-12-05 09:00 开始，请准时参加。',
    });
  });

  it('a start that is not a time is shown as it is', () => {
    expect(render('signup-confirmed', { title: '社区义诊', startsAt: '待定' }).body).toEqual(
      '您已报名「社区义诊」（待定）。',
    );
  });
});

describe('decisions', () => {
  it('nomination-objection names the nominee and the end of the public notice', () => {
    expect(
      render('nomination-objection', {
        nominationId: 'no-1',
        objectionId: 'ob-2',
        title: '张三',
        noticeUntil: '2026-12-10',
      }),
    ).toEqual({
      title: '公示收到异议',
      body: '「张三」的先进典型公示收到一条异议（公示至 2026-12-10），请在作出决定前核实。',
    });
  });

  it('check-in-decided: approved says what the member can do now', () => {
    expect(render('check-in-decided', { checkInId: 'ci-1', decision: 'approved' })).toEqual({
      title: '社区报到已通过',
      body: '您的社区报到申请已通过，可以报名社区的志愿活动了。',
    });
  });

  it('check-in-decided: rejected gives the reason, or nothing after the colon without one', () => {
    expect(render('check-in-decided', { checkInId: 'ci-1', decision: 'rejected', reason: '不在本社区居住' })).toEqual({
      title: '社区报到未通过',
      body: '您的社区报到申请未通过：不在本社区居住',
    });
    expect(render('check-in-decided', { checkInId: 'ci-1', decision: 'rejected' })).toEqual({
      title: '社区报到未通过',
      body: '您的社区报到申请未通过：',
    });
  });

  it('team-join-decided: active names the team', () => {
    expect(render('team-join-decided', { teamId: 'tm-1', teamName: '锦江蓝马甲', decision: 'active' })).toEqual({
      title: '入队申请已通过',
      body: '您已加入「锦江蓝马甲」。',
    });
  });

  it('team-join-decided: rejected gives the reason after a colon, or ends with a full stop without one', () => {
    expect(
      render('team-join-decided', { teamId: 'tm-1', teamName: '锦江蓝马甲', decision: 'rejected', reason: '名额已满' }),
    ).toEqual({ title: '入队申请未通过', body: '「锦江蓝马甲」未通过您的入队申请：名额已满' });
    expect(render('team-join-decided', { teamId: 'tm-1', teamName: '锦江蓝马甲', decision: 'rejected' })).toEqual({
      title: '入队申请未通过',
      body: '「锦江蓝马甲」未通过您的入队申请。',
    });
  });
});

describe('wish steps', () => {
  const steps: [string, string][] = [
    ['WishPublished', '已通过审核并发布'],
    ['WishRejected', '未通过审核'],
    ['WishClaimed', '已被志愿者认领'],
    ['WishReleased', '已被放弃认领，重新等待认领'],
    ['WishEscalated', '已推送给志愿服务队'],
    ['WishTakenOn', '已由志愿服务队承接'],
    ['WishCompleted', '已完成，请确认'],
    ['WishConfirmed', '已确认完成'],
    ['WishWithdrawn', '已撤回'],
  ];
  const wish = (step: string) => ({ wishId: 'wi-1', title: '修水龙头', step, to: 'claimed', seq: 2 });

  it.each(steps)('%s: the resident reads “%s”', (step, text) => {
    expect(render('wish-step', wish(step))).toEqual({ title: '心愿有进展', body: `您的心愿「修水龙头」${text}。` });
  });

  it.each(steps)('%s: the claimant reads “%s”', (step, text) => {
    expect(render('wish-step-claimant', wish(step))).toEqual({
      title: '认领的心愿有进展',
      body: `心愿「修水龙头」${text}。`,
    });
  });

  it('a step without a text is named by its event type', () => {
    expect(render('wish-step', wish('WishArchived')).body).toEqual('您的心愿「修水龙头」WishArchived。');
    expect(render('wish-step-claimant', wish('WishArchived')).body).toEqual('心愿「修水龙头」WishArchived。');
  });
});

describe('hours', () => {
  it('hours-recorded names the activity, the day and the hours', () => {
    expect(
      render('hours-recorded', { recordId: 'rec-1', activityName: '社区义诊', date: '2026-12-05', hours: 2.5 }),
    ).toEqual({ title: '服务时长已记录', body: '「社区义诊」（2026-12-05）记录服务时长 2.5 小时。' });
  });

  it('hours-corrected: accepted gives the hours before and after', () => {
    expect(
      render('hours-corrected', {
        recordId: 'rec-1',
        correctionId: 'cor-1',
        activityName: '社区义诊',
        hoursBefore: 2,
        decision: 'accepted',
        hoursAfter: 3.5,
      }),
    ).toEqual({ title: '服务时长已更正', body: '「社区义诊」的服务时长由 2 小时更正为 3.5 小时。' });
  });

  it('hours-corrected: rejected gives the reason, or nothing after the colon without one', () => {
    const rejected = { recordId: 'rec-1', correctionId: 'cor-1', activityName: '社区义诊', hoursBefore: 2 };
    expect(render('hours-corrected', { ...rejected, decision: 'rejected', reason: '签到记录不支持' })).toEqual({
      title: '更正申请未通过',
      body: '「社区义诊」的服务时长更正申请未通过：签到记录不支持',
    });
    expect(render('hours-corrected', { ...rejected, decision: 'rejected' })).toEqual({
      title: '更正申请未通过',
      body: '「社区义诊」的服务时长更正申请未通过：',
    });
  });
});

describe('stations and training', () => {
  it('booking-cancelled gives the station, the slot (end as a time of day), the team and the reason', () => {
    expect(
      render('booking-cancelled', {
        bookingId: 'bk-1',
        stationId: 'sn-1',
        stationName: '红星路驿站',
        teamId: 'tm-1',
        teamName: '锦江蓝马甲',
        // 14:00 to 16:30 in Shanghai.
        startsAt: '2026-12-05T06:00:00.000Z',
        endsAt: '2026-12-05T08:30:00.000Z',
        closureId: 'cl-1',
        reason: '水管检修',
      }),
    ).toEqual({
      title: '驿站预约已取消',
      body: '「红星路驿站」2026-12-05 14:00–16:30 的预约（锦江蓝马甲）因驿站关闭已取消：水管检修',
    });
  });

  const expiring = (qualification: string) => ({
    qualification,
    validUntil: '2027-01-01T00:00:00.000Z',
    window: 7,
  });
  it.each([
    ['pre-service', '岗前培训'],
    ['professional', '专业培训'],
    ['backbone', '骨干培训'],
  ])('qualification-expiring names %s as “%s”, with the expiry and the days left', (q, name) => {
    expect(render('qualification-expiring', expiring(q))).toEqual({
      title: '资质即将到期',
      body: `您的「${name}」资质将于 2027-01-01 08:00 到期（还有 7 天），请及时参加培训续期。`,
    });
  });

  it('qualification-expiring names an unknown qualification by its id', () => {
    expect(render('qualification-expiring', expiring('first-aid')).body).toEqual(
      '您的「first-aid」资质将于 2027-01-01 08:00 到期（还有 7 天），请及时参加培训续期。',
    );
  });
});

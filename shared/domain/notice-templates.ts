import { type NoticeData, type NoticeTypeName, shanghaiText } from './notices.ts';

/**
 * The text of each notice type: a short title and one paragraph, from the notice's data over its
 * subject's `title` and `startsAt`. Apart from NOTICE_TYPES (shared/domain/notices.ts) so that only
 * the notifier's bundle carries them, not every function that writes a notice; the type makes
 * every declared notice type have its template.
 */
type Template = (d: NoticeData) => { readonly title: string; readonly body: string };

/** Qualifications as people read them. */
const QUALIFICATION_NAMES: Readonly<Record<string, string>> = {
  'pre-service': '岗前培训',
  professional: '专业培训',
  backbone: '骨干培训',
};

/** A wish's step as its notices say it (by event type). */
const WISH_STEP_TEXT: Readonly<Record<string, string>> = {
  WishPublished: '已通过审核并发布',
  WishRejected: '未通过审核',
  WishClaimed: '已被志愿者认领',
  WishReleased: '已被放弃认领，重新等待认领',
  WishEscalated: '已推送给志愿服务队',
  WishTakenOn: '已由志愿服务队承接',
  WishCompleted: '已完成，请确认',
  WishConfirmed: '已确认完成',
  WishWithdrawn: '已撤回',
};

const when = (iso: string | number | undefined) => shanghaiText(String(iso));

const reminder =
  (hours: 24 | 2): Template =>
  (d) => ({
    title: hours === 24 ? '活动明天开始' : '活动两小时后开始',
    body: `「${d.title}」将于 ${when(d.startsAt)} 开始，请准时参加。`,
  });

export const NOTICE_TEMPLATES: Readonly<Record<NoticeTypeName, Template>> = {
  'signup-confirmed': (d) => ({ title: '报名成功', body: `您已报名「${d.title}」（${when(d.startsAt)}）。` }),
  'signup-waitlisted': (d) => ({
    title: '已进入候补',
    body: `「${d.title}」已满，您在候补名单上；有名额时按报名先后递补并通知您。`,
  }),
  promoted: (d) => ({
    title: '候补转为正式',
    body: `「${d.title}」有了空位，您已从候补转为正式报名（${when(d.startsAt)}）。`,
  }),
  'activity-changed': (d) => ({
    title: '活动有变更',
    body: `「${d.title}」有调整，现于 ${when(d.startsAt)} 开始，请查看活动详情。`,
  }),
  'activity-cancelled': (d) => ({
    title: '活动已取消',
    body: `「${d.title}」（${when(d.startsAt)}）已取消：${d.reason}`,
  }),
  'nomination-objection': (d) => ({
    title: '公示收到异议',
    body: `「${d.title}」的先进典型公示收到一条异议（公示至 ${d.noticeUntil}），请在作出决定前核实。`,
  }),
  'check-in-decided': (d) =>
    d.decision === 'approved'
      ? { title: '社区报到已通过', body: '您的社区报到申请已通过，可以报名社区的志愿活动了。' }
      : { title: '社区报到未通过', body: `您的社区报到申请未通过：${d.reason ?? ''}` },
  'team-join-decided': (d) =>
    d.decision === 'active'
      ? { title: '入队申请已通过', body: `您已加入「${d.teamName}」。` }
      : { title: '入队申请未通过', body: `「${d.teamName}」未通过您的入队申请${d.reason ? `：${d.reason}` : '。'}` },
  'wish-step': (d) => ({
    title: '心愿有进展',
    body: `您的心愿「${d.title}」${WISH_STEP_TEXT[String(d.step)] ?? d.step}。`,
  }),
  'wish-step-claimant': (d) => ({
    title: '认领的心愿有进展',
    body: `心愿「${d.title}」${WISH_STEP_TEXT[String(d.step)] ?? d.step}。`,
  }),
  'hours-recorded': (d) => ({
    title: '服务时长已记录',
    body: `「${d.activityName}」（${d.date}）记录服务时长 ${d.hours} 小时。`,
  }),
  'hours-corrected': (d) =>
    d.decision === 'accepted'
      ? {
          title: '服务时长已更正',
          body: `「${d.activityName}」的服务时长由 ${d.hoursBefore} 小时更正为 ${d.hoursAfter} 小时。`,
        }
      : { title: '更正申请未通过', body: `「${d.activityName}」的服务时长更正申请未通过：${d.reason ?? ''}` },
  'booking-cancelled': (d) => ({
    title: '驿站预约已取消',
    body: `「${d.stationName}」${when(d.startsAt)}–${when(d.endsAt).slice(11)} 的预约（${d.teamName}）因驿站关闭已取消：${d.reason}`,
  }),
  'qualification-expiring': (d) => ({
    title: '资质即将到期',
    body: `您的「${QUALIFICATION_NAMES[String(d.qualification)] ?? d.qualification}」资质将于 ${when(d.validUntil)} 到期（还有 ${d.window} 天），请及时参加培训续期。`,
  }),
  'reminder-24h': reminder(24),
  'reminder-2h': reminder(2),
};

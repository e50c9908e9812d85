import type { Context } from 'aws-lambda';
import { ROUTES } from '#routes/notifications';
import * as c from '../../shared/contract/notifications.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { jobFunction } from '../../shared/http/job.ts';
import { streamFunction, withStream } from '../../shared/events/stream.ts';
import { withMetrics } from '../../shared/metrics/metrics.ts';
import * as svc from '../../shared/services/notifications.ts';

/**
 * Notifications: the inbox and preferences (routes), the reminders job, and the notifier that the
 * table's stream feeds with each new outbox entry (shared/config/streams.ts).
 */
const http = httpFunction(ROUTES, [
  route(c.listMyNotifications, ({ caller, query }) => svc.myNotifications(caller, query.limit, query.cursor)),
  route(c.markNotificationRead, ({ caller, params }) => svc.markRead(caller, params.noticeId)),
  route(c.getNotificationPreferences, ({ caller }) => svc.myPreferences(caller)),
  route(c.setNotificationPreferences, ({ caller, body }) => svc.setPreferences(caller, body)),
]);

const jobs = jobFunction({
  reminders: async (args) => svc.runReminders(typeof args.at === 'string' ? args.at : undefined),
});

// The notifier: each new outbox entry, from the table's stream (shared/config/streams.ts).
const stream = streamFunction(async (change) => {
  const n = change.newImage && svc.noticeOfImage(change.newImage);
  return n ? { ...(await svc.deliver(n)) } : undefined;
});

const httpOrJob = Object.assign(
  (event: unknown, context: Context) => {
    if (event && typeof event === 'object' && 'job' in event) return jobs(event, context);
    return http(event as never, context);
  },
  { routeKeys: http.routeKeys },
);

// The stream's invocations write their metrics (NoticesFailed) like the routes' and jobs'.
export const handler = withStream(httpOrJob, (event, context) =>
  withMetrics({ functionName: (context as Partial<Context> | undefined)?.functionName }, () => stream(event, context)),
);

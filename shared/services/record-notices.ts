import { notice, type Notice } from '../domain/notices.ts';
import type { ServiceRecord } from '../domain/records.ts';

/** A service record written, told to its member (an outbox entry of the transaction that writes it). */
export function hoursRecorded(r: ServiceRecord, at: string): Notice {
  return notice(
    'hours-recorded',
    { kind: 'member', id: r.memberId },
    { recordId: r.recordId, activityName: r.activityName, date: r.date, hours: r.hours },
    at,
  );
}

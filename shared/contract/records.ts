import * as z from 'zod/mini';
import { CERT_NUMBER_PATTERN, MAX_CERT_RECORDS } from '../domain/certificate.ts';
import { CORRECTION_STATUSES, isHalfHourStep } from '../domain/records.ts';
import type { Contract } from '../http/api.ts';
import { Day, describe, Id, IsoTime, PageQuery, pageOf, Text } from './common.ts';

/** Schemas of the service-record, correction and certificate routes. */

export const Hours = describe(
  z.number().check(z.refine(isHalfHourStep, 'hours in half-hour steps from 0 to 24')),
  'hours, in half-hour steps from 0 to 24',
);
const CertNumber = describe(
  z.string().check(z.regex(CERT_NUMBER_PATTERN, 'a certificate number: PNR-<district code>-<YYYYMMDD>-<8 characters>')),
  'PNR-<6-digit district code>-<YYYYMMDD>-<8 base32 characters>',
);

export const RecordChangeView = z.object({
  at: IsoTime,
  by: z.string(),
  kind: z.enum(['created', 'correction-requested', 'correction-accepted', 'correction-rejected']),
  correctionId: z.optional(Id),
  hoursBefore: z.optional(z.number()),
  hoursAfter: z.optional(z.number()),
  requestedHours: z.optional(z.number()),
  reason: z.optional(z.string()),
});

export const RecordView = z.object({
  recordId: Id,
  memberId: Id,
  memberName: z.string(),
  activityId: Id,
  activityName: z.string(),
  date: describe(Day, 'service day, Asia/Shanghai'),
  place: z.string(),
  content: z.string(),
  hours: z.number(),
  organisingUnit: z.string(),
  activityLeader: z.string(),
  teamId: describe(z.optional(Id), 'absent for a completed micro-wish: no team organised it'),
  communityId: Id,
  streetId: Id,
  recordedAt: IsoTime,
  late: describe(z.boolean(), 'recorded more than 10 working days after the activity ended'),
  source: z.enum(['activity', 'wish']),
  history: z.array(RecordChangeView),
  pendingCorrectionId: describe(z.optional(Id), 'set while a correction is pending'),
});

export const CorrectionView = z.object({
  correctionId: Id,
  recordId: Id,
  memberId: Id,
  teamId: z.optional(Id),
  communityId: Id,
  streetId: Id,
  status: z.enum(CORRECTION_STATUSES),
  hoursBefore: z.number(),
  requestedHours: z.number(),
  reason: z.string(),
  requestedAt: IsoTime,
  requestedBy: z.string(),
  decidedAt: z.optional(IsoTime),
  decidedBy: z.optional(z.string()),
  hoursAfter: z.optional(z.number()),
  rejectReason: z.optional(z.string()),
});

const IssuingUnitView = z.object({ name: z.string(), nameZh: z.string(), code: z.string() });

export const CertificateView = z.object({
  number: CertNumber,
  memberId: Id,
  name: z.string(),
  issuedAt: IsoTime,
  issuedOn: Day,
  totalHours: describe(z.number(), 'all confirmed hours at issue time'),
  recordCount: describe(z.number(), 'all records at issue time'),
  records: describe(
    z.array(z.object({ recordId: Id, activityName: z.string(), date: Day, hours: z.number() })),
    `newest first: all records, or the latest ${MAX_CERT_RECORDS}`,
  ),
  coversLatestOnly: describe(z.boolean(), `true when records lists only the latest ${MAX_CERT_RECORDS}`),
  issuingUnit: IssuingUnitView,
});

export const VerificationView = z.object({
  valid: z.boolean(),
  number: CertNumber,
  issuedOn: Day,
  name: describe(z.string(), 'masked: surname and a star'),
  totalHours: z.number(),
  issuingUnit: IssuingUnitView,
  recordCount: z.number(),
});

const RecordParams = z.strictObject({ recordId: Id });
const CorrectionParams = z.strictObject({ recordId: Id, correctionId: Id });

const CorrectionQueueQuery = z.strictObject({
  ...PageQuery,
  status: z._default(z.enum(CORRECTION_STATUSES), 'pending'),
});

export const listTeamCorrections = {
  method: 'GET',
  path: '/teams/{teamId}/corrections',
  params: z.strictObject({ teamId: Id }),
  query: CorrectionQueueQuery,
  response: pageOf(CorrectionView),
  description:
    "The team's leader (and admins of the team's place, district and city admins) find the corrections to decide: by status (default pending), oldest first.",
} as const satisfies Contract;

export const listCommunityCorrections = {
  method: 'GET',
  path: '/communities/{communityId}/corrections',
  params: z.strictObject({ communityId: Id }),
  query: CorrectionQueueQuery,
  response: pageOf(CorrectionView),
  description:
    'Admins of the community (or above): corrections of records no team organised (completed micro-wishes), by status, oldest first.',
} as const satisfies Contract;

export const listMyRecords = {
  method: 'GET',
  path: '/members/me/service-records',
  query: z.strictObject({ ...PageQuery }),
  response: z.object({
    items: z.array(RecordView),
    nextCursor: describe(z.optional(z.string()), 'absent on the last page'),
    totalHours: describe(z.number(), 'my confirmed hours, all records'),
    recordCount: z.number(),
  }),
  description: 'My service records, newest first (by service day), and my total confirmed hours.',
} as const satisfies Contract;

export const getRecord = {
  method: 'GET',
  path: '/service-records/{recordId}',
  params: RecordParams,
  response: z.object({ ...RecordView.shape, corrections: z.array(CorrectionView) }),
  description:
    'One record with its history and corrections: for the member it belongs to, the leader of its team, and admins of its community (or above). Anyone else gets 404.',
} as const satisfies Contract;

export const requestCorrection = {
  method: 'POST',
  path: '/service-records/{recordId}/corrections',
  params: RecordParams,
  body: z.strictObject({ requestedHours: Hours, reason: Text(500) }),
  response: CorrectionView,
  status: 201,
  idempotent: true,
  description: 'The member asks for a correction of their record; at most one is pending per record (else 409).',
} as const satisfies Contract;

export const acceptCorrection = {
  method: 'POST',
  path: '/service-records/{recordId}/corrections/{correctionId}/accept',
  params: CorrectionParams,
  body: z.strictObject({ hours: Hours }),
  response: CorrectionView,
  description:
    "The team's leader or an admin of the record's scope sets the record's new hours; the member's total and this month's counters move by the difference.",
} as const satisfies Contract;

export const rejectCorrection = {
  method: 'POST',
  path: '/service-records/{recordId}/corrections/{correctionId}/reject',
  params: CorrectionParams,
  body: z.strictObject({ reason: Text(500) }),
  response: CorrectionView,
} as const satisfies Contract;

export const listMyCertificates = {
  method: 'GET',
  path: '/members/me/certificates',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(z.omit(CertificateView, { records: true })),
  description: 'The certificates I was issued, newest first; GET /certificates/{number} shows one.',
} as const satisfies Contract;

export const issueCertificate = {
  method: 'POST',
  path: '/members/me/certificates',
  response: CertificateView,
  status: 201,
  idempotent: true,
  description: 'A free certificate of all my confirmed service so far (409 NO_CONFIRMED_SERVICE when there is none).',
} as const satisfies Contract;

export const verifyCertificate = {
  method: 'GET',
  path: '/certificates/{number}',
  params: z.strictObject({ number: CertNumber }),
  response: VerificationView,
  description:
    'Public: anyone holding the number verifies it. JSON by default; with `Accept: text/html` a printable page (Chinese and English). Shows the masked name, hours, date, issuing unit; no other personal data.',
} as const satisfies Contract;

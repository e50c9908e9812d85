import * as z from 'zod/mini';
import { CERT_NUMBER_PATTERN, MAX_CERT_RECORDS } from '../domain/certificate.ts';
import { CORRECTION_STATUSES, isHalfHourStep } from '../domain/records.ts';
import type { Contract } from '../http/api.ts';
import { Day, describe, documented, Id, IsoTime, named, PageQuery, pageOf, Text } from './common.ts';

/** Schemas of the service-record, correction and certificate routes. */

export { RecordChangeView, RecordView } from './record-view.ts';
import { RecordView } from './record-view.ts';

export const Hours = named(
  'Hours',
  documented(z.number().check(z.refine(isHalfHourStep, 'hours in half-hour steps from 0 to 24')), {
    minimum: 0,
    maximum: 24,
    multipleOf: 0.5,
    description: 'hours, in half-hour steps from 0 to 24',
  }),
);
const CertNumber = named(
  'CertificateNumber',
  describe(
    z
      .string()
      .check(z.regex(CERT_NUMBER_PATTERN, 'a certificate number: PNR-<district code>-<YYYYMMDD>-<8 characters>')),
    'PNR-<6-digit district code>-<YYYYMMDD>-<8 base32 characters>',
  ),
);
const CorrectionStatus = named('CorrectionStatus', z.enum(CORRECTION_STATUSES));

export const CorrectionView = named(
  'Correction',
  z.object({
    correctionId: Id,
    recordId: Id,
    memberId: Id,
    teamId: z.optional(Id),
    communityId: Id,
    streetId: Id,
    status: CorrectionStatus,
    hoursBefore: z.number(),
    requestedHours: z.number(),
    reason: z.string(),
    requestedAt: IsoTime,
    requestedBy: z.string(),
    decidedAt: z.optional(IsoTime),
    decidedBy: z.optional(z.string()),
    hoursAfter: z.optional(z.number()),
    rejectReason: z.optional(z.string()),
  }),
);

const IssuingUnitView = named('IssuingUnit', z.object({ name: z.string(), nameZh: z.string(), code: z.string() }));

export const CertificateView = named(
  'Certificate',
  z.object({
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
  }),
);

const CertificateSummaryView = named('CertificateSummary', z.omit(CertificateView, { records: true }));

export const VerificationView = named(
  'CertificateVerification',
  z.object({
    valid: z.boolean(),
    number: CertNumber,
    issuedOn: Day,
    name: describe(z.string(), 'masked: surname and a star'),
    totalHours: z.number(),
    issuingUnit: IssuingUnitView,
    recordCount: z.number(),
  }),
);

const HolderVerificationView = named(
  'HolderCertificateVerification',
  z.object({
    valid: z.boolean(),
    number: CertNumber,
    issuedOn: Day,
    name: describe(z.string(), 'the holder’s name in full, as at issue'),
    totalHours: z.number(),
    issuingUnit: IssuingUnitView,
    recordCount: z.number(),
  }),
);

const RecordParams = z.strictObject({ recordId: Id });
const CorrectionParams = z.strictObject({ recordId: Id, correctionId: Id });

// ---------- examples (the document's; a test holds each to its schema) ----------

const RECORD = {
  recordId: 'sr_7K2M9Q4T1V8X3Z6B0D5F2H7J9L',
  memberId: 'm-demo-2',
  memberName: '李芳',
  activityId: 'ac_01KC2A3B4C5D6E7F8G9H0J1K2M',
  activityName: '关爱老人义诊',
  date: '2026-12-05',
  place: '红星社区党群服务中心',
  content: '为辖区 70 岁以上老人量血压、测血糖',
  hours: 3,
  organisingUnit: '红星义诊队',
  activityLeader: '王小明',
  teamId: 'team_01KC1Z2Y3X4W5V6T7S8R9Q0P1N',
  communityId: 'co_01KC0Z9A2B3C4D5E6F7G8H9J0K',
  streetId: 'st_01KC0Z8T9H4M2Q7R5V3X6Y1B0D',
  recordedAt: '2026-12-05T05:00:00.000Z',
  late: false,
  source: 'activity',
  history: [{ at: '2026-12-05T05:00:00.000Z', by: 'leader-sub-1', kind: 'created', hoursAfter: 3 }],
};
const CORRECTION = {
  correctionId: 'cr_01KC3A4B5C6D7E8F9G0H1J2K3M',
  recordId: RECORD.recordId,
  memberId: RECORD.memberId,
  teamId: RECORD.teamId,
  communityId: RECORD.communityId,
  streetId: RECORD.streetId,
  status: 'pending',
  hoursBefore: 3,
  requestedHours: 3.5,
  reason: '活动结束后又协助整理物资半小时',
  requestedAt: '2026-12-06T01:00:00.000Z',
  requestedBy: 'member-sub-2',
};
const ACCEPTED = {
  ...CORRECTION,
  status: 'accepted',
  decidedAt: '2026-12-06T03:00:00.000Z',
  decidedBy: 'leader-sub-1',
  hoursAfter: 3.5,
};
const ISSUING_UNIT = { name: 'Jinjiang District', nameZh: '锦江区', code: '510104' };
const CERTIFICATE = {
  number: 'PNR-510104-20261210-7KQ2M9TX',
  memberId: RECORD.memberId,
  name: '李芳',
  issuedAt: '2026-12-10T02:00:00.000Z',
  issuedOn: '2026-12-10',
  totalHours: 3.5,
  recordCount: 1,
  records: [{ recordId: RECORD.recordId, activityName: RECORD.activityName, date: RECORD.date, hours: 3.5 }],
  coversLatestOnly: false,
  issuingUnit: ISSUING_UNIT,
};
const { records: _records, ...CERTIFICATE_SUMMARY } = CERTIFICATE;
const VERIFICATION = {
  valid: true,
  number: CERTIFICATE.number,
  issuedOn: CERTIFICATE.issuedOn,
  name: '李*',
  totalHours: CERTIFICATE.totalHours,
  issuingUnit: ISSUING_UNIT,
  recordCount: 1,
};

const CorrectionQueueQuery = z.strictObject({
  ...PageQuery,
  status: z._default(CorrectionStatus, 'pending'),
});

export const listTeamCorrections = {
  method: 'GET',
  path: '/teams/{teamId}/corrections',
  params: z.strictObject({ teamId: Id }),
  query: CorrectionQueueQuery,
  response: pageOf(CorrectionView),
  description:
    "The team's leader (and admins of the team's place, district and city admins) find the corrections to decide: by status (default pending), oldest first.",
  tag: 'records',
  errors: ['FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { teamId: RECORD.teamId },
    query: { status: 'pending', limit: 20 },
    response: { items: [CORRECTION] },
  },
} as const satisfies Contract;

export const listCommunityCorrections = {
  method: 'GET',
  path: '/communities/{communityId}/corrections',
  params: z.strictObject({ communityId: Id }),
  query: CorrectionQueueQuery,
  response: pageOf(CorrectionView),
  description:
    'Admins of the community (or above): corrections of records no team organised (completed micro-wishes), by status, oldest first.',
  tag: 'records',
  errors: ['FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { communityId: RECORD.communityId },
    query: { status: 'pending', limit: 20 },
    response: { items: [{ ...CORRECTION, teamId: undefined }] },
  },
} as const satisfies Contract;

export const listMyRecords = {
  method: 'GET',
  path: '/members/me/service-records',
  query: z.strictObject({ ...PageQuery }),
  response: named(
    'ServiceRecordPage',
    z.object({
      items: z.array(RecordView),
      nextCursor: describe(z.optional(z.string()), 'absent on the last page'),
      totalHours: describe(z.number(), 'my confirmed hours, all records'),
      recordCount: z.number(),
    }),
  ),
  description: 'My service records, newest first (by service day), and my total confirmed hours.',
  tag: 'records',
  errors: [],
  examples: { query: { limit: 20 }, response: { items: [RECORD], totalHours: 3, recordCount: 1 } },
} as const satisfies Contract;

export const getRecord = {
  method: 'GET',
  path: '/service-records/{recordId}',
  params: RecordParams,
  response: named(
    'ServiceRecordWithCorrections',
    z.object({ ...RecordView.shape, corrections: z.array(CorrectionView) }),
  ),
  description:
    'One record with its history and corrections: for the member it belongs to, the leader of its team, and admins of its community (or above). Anyone else gets 404.',
  tag: 'records',
  errors: ['NOT_FOUND'],
  examples: {
    params: { recordId: RECORD.recordId },
    response: { ...RECORD, pendingCorrectionId: CORRECTION.correctionId, corrections: [CORRECTION] },
  },
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
  tag: 'records',
  errors: [
    'CONCURRENT_UPDATE',
    'CORRECTION_ALREADY_PENDING',
    'CORRECTION_NO_CHANGE',
    'FORBIDDEN',
    'NOT_FOUND',
    'TOO_MANY_CORRECTIONS',
  ],
  examples: {
    params: { recordId: RECORD.recordId },
    body: { requestedHours: 3.5, reason: CORRECTION.reason },
    response: CORRECTION,
  },
} as const satisfies Contract;

export const acceptCorrection = {
  method: 'POST',
  path: '/service-records/{recordId}/corrections/{correctionId}/accept',
  params: CorrectionParams,
  body: z.strictObject({ hours: Hours }),
  response: CorrectionView,
  description:
    "The team's leader or an admin of the record's scope sets the record's new hours; the member's total and this month's counters move by the difference.",
  tag: 'records',
  errors: ['CONCURRENT_UPDATE', 'CORRECTION_NOT_PENDING', 'FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { recordId: RECORD.recordId, correctionId: CORRECTION.correctionId },
    body: { hours: 3.5 },
    response: ACCEPTED,
  },
} as const satisfies Contract;

export const rejectCorrection = {
  method: 'POST',
  path: '/service-records/{recordId}/corrections/{correctionId}/reject',
  params: CorrectionParams,
  body: z.strictObject({ reason: Text(500) }),
  response: CorrectionView,
  tag: 'records',
  errors: ['CONCURRENT_UPDATE', 'CORRECTION_NOT_PENDING', 'FORBIDDEN', 'NOT_FOUND'],
  examples: {
    params: { recordId: RECORD.recordId, correctionId: CORRECTION.correctionId },
    body: { reason: '签退时间有记录，不予更正' },
    response: { ...ACCEPTED, status: 'rejected', hoursAfter: undefined, rejectReason: '签退时间有记录，不予更正' },
  },
} as const satisfies Contract;

export const listMyCertificates = {
  method: 'GET',
  path: '/members/me/certificates',
  query: z.strictObject({ ...PageQuery }),
  response: pageOf(CertificateSummaryView),
  description: 'The certificates I was issued, newest first; GET /certificates/{number} shows one.',
  tag: 'certificates',
  errors: [],
  examples: { query: { limit: 20 }, response: { items: [CERTIFICATE_SUMMARY] } },
} as const satisfies Contract;

export const issueCertificate = {
  method: 'POST',
  path: '/members/me/certificates',
  response: CertificateView,
  status: 201,
  idempotent: true,
  description: 'A free certificate of all my confirmed service so far (409 NO_CONFIRMED_SERVICE when there is none).',
  tag: 'certificates',
  errors: ['CONCURRENT_UPDATE', 'NO_CONFIRMED_SERVICE'],
  examples: { response: CERTIFICATE },
} as const satisfies Contract;

export const verifyCertificate = {
  method: 'GET',
  path: '/certificates/{number}',
  params: z.strictObject({ number: CertNumber }),
  response: VerificationView,
  description:
    'Public: anyone holding the number verifies it. JSON by default; with `Accept: text/html` a printable page (Chinese and English), and for an unknown number a 404 page. Shows the masked name, hours, date, issuing unit; no other personal data. The holder sees their name in full at GET /members/me/certificates/{number}.',
  replies: 'html',
  tag: 'certificates',
  errors: ['NOT_FOUND'],
  examples: { params: { number: CERTIFICATE.number }, response: VERIFICATION },
} as const satisfies Contract;

export const verifyMyCertificate = {
  method: 'GET',
  path: '/members/me/certificates/{number}',
  params: z.strictObject({ number: CertNumber }),
  response: HolderVerificationView,
  description:
    'My own certificate, as its verification shows it but with my name in full (the public page masks it for everyone: a public URL cannot tell who asks). JSON by default; with `Accept: text/html` the printable page, and for a number that is not mine (or unknown) a 404 page. Another member’s number is 404, as if unknown.',
  replies: 'html',
  tag: 'certificates',
  errors: ['NOT_FOUND'],
  examples: { params: { number: CERTIFICATE.number }, response: { ...VERIFICATION, name: '李小龙' } },
} as const satisfies Contract;

import type { IndexName } from '../config/table.ts';

/**
 * The key catalog: every key the builders of shared/db/keys.ts make, and where it lives (the
 * table's primary key, an index, or the city table). `<...>` stands for a value. Data only, read
 * by test/unit/key-catalog.test.ts, which holds it against the builders (every key shape they
 * spell is here, and every one here is spelled there), against the README's access-pattern table,
 * and scans shared/ and functions/ for keys built anywhere else.
 * Adding a key: its builder in keys.ts, a line here, a row in the README's access-pattern table.
 */
export interface CatalogEntry {
  readonly pk: string;
  readonly sk: string;
  readonly on: 'table' | IndexName | 'city table';
  readonly what: string;
}

export const KEY_CATALOG: readonly CatalogEntry[] = [
  // places
  { pk: 'STREET#<streetId>', sk: 'STREET', on: 'table', what: 'a street' },
  { pk: 'STREETS', sk: '<streetId>', on: 'gsi1', what: 'every street' },
  { pk: 'COMMUNITY#<communityId>', sk: 'COMMUNITY', on: 'table', what: 'a community' },
  { pk: 'COMMUNITIES', sk: '<streetId>#<communityId>', on: 'gsi1', what: 'every community, by street' },
  { pk: 'COMMUNITY#<communityId>', sk: 'GRID#<gridId>', on: 'table', what: "a community's grids" },
  // members and check-ins
  { pk: 'MEMBER#<memberId>', sk: 'PROFILE', on: 'table', what: 'a member profile' },
  {
    pk: 'COMMUNITY#<communityId>',
    sk: 'ROSTER#<gridId or ~>#<memberId>',
    on: 'table',
    what: "a community's roster, by grid",
  },
  { pk: 'CHECKIN#<checkInId>', sk: 'CHECKIN', on: 'table', what: 'a check-in request' },
  { pk: 'MEMBER#<memberId>#CHECKINS', sk: '<createdAt>#<checkInId>', on: 'gsi1', what: "a member's check-ins" },
  {
    pk: 'COMMUNITY#<communityId>#CHECKINS#<status>',
    sk: '<createdAt>#<checkInId>',
    on: 'gsi2',
    what: "a community's check-ins by status",
  },
  { pk: 'MEMBER#<memberId>', sk: 'PENDING_CHECKIN', on: 'table', what: 'the one pending check-in of a member' },
  { pk: 'PENDING_CHECKINS', sk: '<createdAt>#<checkInId>', on: 'gsi1', what: 'every pending check-in (expiry job)' },
  // teams
  { pk: 'TEAM#<teamId>', sk: 'TEAM', on: 'table', what: 'a team' },
  { pk: 'TEAMS', sk: '<status>#<teamId>', on: 'gsi1', what: 'every team, active first' },
  { pk: 'TEAMS#<category>', sk: '<status>#<teamId>', on: 'gsi2', what: 'teams of a category' },
  { pk: 'TEAM#<teamId>', sk: 'MEMBER#<memberId>', on: 'table', what: "a member's place in a team" },
  {
    pk: 'TEAM#<teamId>#MEMBERS#<status>',
    sk: '<requestedAt>#<memberId>',
    on: 'gsi1',
    what: "a team's roster or join requests",
  },
  { pk: 'MEMBER#<memberId>#TEAMS', sk: '<teamId>', on: 'gsi2', what: "a member's teams and join requests" },
  // names unique in their parent
  { pk: 'NAME#<kind>#<parent>#<nameKey>', sk: 'NAME', on: 'table', what: 'a name claimed in its parent' },
  // themes
  { pk: 'THEMES#<YYYY>', sk: '<YYYY-MM>#<source>', on: 'table', what: "a year's themes" },
  // activities
  { pk: 'ACTIVITY#<activityId>', sk: 'ACTIVITY', on: 'table', what: 'an activity' },
  { pk: 'ACTIVITIES#<YYYY-MM>', sk: '<startsAt>#<activityId>', on: 'gsi1', what: "a month's activities" },
  { pk: 'TEAM#<teamId>#ACTIVITIES', sk: '<startsAt>#<activityId>', on: 'gsi2', what: "a team's activities" },
  {
    pk: 'COMMUNITY#<communityId>#ACTIVITIES',
    sk: '<startsAt>#<activityId>',
    on: 'gsi3',
    what: "a community's activities",
  },
  { pk: 'ACTIVITY#<activityId>', sk: 'SIGNUP#<memberId>', on: 'table', what: 'a sign-up' },
  { pk: 'ACTIVITY#<activityId>#SIGNUPS', sk: '<ticket>#<memberId>', on: 'gsi1', what: 'sign-ups in arrival order' },
  { pk: 'ACTIVITY#<activityId>', sk: 'WAITLIST#<ticket>#<memberId>', on: 'table', what: 'the waitlist' },
  { pk: 'MEMBER#<memberId>#SIGNUPS', sk: '<signedUpAt>#<activityId>', on: 'gsi2', what: "a member's sign-ups" },
  {
    pk: 'ACTIVITY#<activityId>',
    sk: 'CODE_TRIES#<expiresAt>#<code>#<memberId>',
    on: 'table',
    what: 'wrong attendance codes',
  },
  { pk: 'ACTIVITY#<activityId>', sk: 'CLOSE', on: 'table', what: "an activity's close (a counted fact)" },
  // service records, corrections, certificates
  { pk: 'RECORD#<recordId>', sk: 'RECORD', on: 'table', what: 'a service record' },
  { pk: 'MEMBER#<memberId>#RECORDS', sk: '<date>#<recordedAt>#<recordId>', on: 'gsi1', what: "a member's records" },
  {
    pk: 'RECORDS#<YYYY-MM>',
    sk: '<recordId>',
    on: 'gsi2',
    what: 'records by the month they were recorded in (counted facts)',
  },
  { pk: 'MEMBER#<memberId>', sk: 'HOURS', on: 'table', what: "a member's confirmed hours" },
  { pk: 'RECORD#<recordId>', sk: 'CORRECTION#<correctionId>', on: 'table', what: "a record's corrections" },
  {
    pk: 'TEAM#<teamId>#CORRECTIONS#<status>',
    sk: '<requestedAt>#<correctionId>',
    on: 'gsi2',
    what: "a team's corrections to decide",
  },
  {
    pk: 'COMMUNITY#<communityId>#CORRECTIONS#<status>',
    sk: '<requestedAt>#<correctionId>',
    on: 'gsi2',
    what: "a community's corrections to decide",
  },
  { pk: 'CERT#<number>', sk: 'CERT', on: 'table', what: 'a certificate' },
  { pk: 'CERT#<number>', sk: 'RECORDS#<000>', on: 'table', what: "a certificate's record list, in chunks" },
  { pk: 'MEMBER#<memberId>#CERTS', sk: '<issuedAt>#<number>', on: 'gsi1', what: "a member's certificates" },
  // wishes
  { pk: 'WISH#<wishId>', sk: 'WISH', on: 'table', what: 'a wish' },
  {
    pk: 'WALL#<communityId>#<status>',
    sk: '<publishedAt or createdAt>#<wishId>',
    on: 'gsi1',
    what: "a community's wall",
  },
  { pk: 'OPEN#<communityId>', sk: '<publishedAt>#<wishId>', on: 'gsi2', what: "a community's open wishes" },
  { pk: 'WISHES#<status>', sk: '<enteredAt>#<wishId>', on: 'gsi3', what: "the district's wishes in a timed state" },
  { pk: 'WISH#<wishId>', sk: 'EVENT#<seq>', on: 'table', what: "a wish's events (counted facts)" },
  { pk: 'RESIDENT#<sub>', sk: 'WISH#<createdAt>#<wishId>', on: 'table', what: "a resident's wishes" },
  { pk: 'MEMBER#<memberId>', sk: 'WISH_CLAIMS', on: 'table', what: "a member's open claims" },
  // statistics
  {
    pk: 'STATS#<scope>#<id>',
    sk: 'MONTH#<YYYY-MM>#<shard>',
    on: 'table',
    what: 'live counters of a scope and month (a shard of them)',
  },
  {
    pk: 'STATS#<YYYY-MM>#<parentScope>#<parentId>',
    sk: '<scope>#<id>#<shard>',
    on: 'gsi1',
    what: "a parent's children's counters",
  },
  { pk: 'STATS#<scope>#<id>', sk: 'FROZEN#<YYYY-MM>', on: 'table', what: "a scope's frozen month" },
  {
    pk: 'STATS-FROZEN#<YYYY-MM>#<parentScope>#<parentId>',
    sk: '<scope>#<id>',
    on: 'gsi1',
    what: "a parent's children's snapshots",
  },
  {
    pk: 'FACTS#<YYYY-MM>#<kind>',
    sk: '<at>#<id>…',
    on: 'gsi3',
    what: "a month's counted facts of a kind (verify-counters)",
  },
  // featured projects
  { pk: 'FCALL#<callId>', sk: 'CALL', on: 'table', what: 'a featured-project call (its ranking once published)' },
  { pk: 'FCALLS', sk: '<year>#<callId>', on: 'gsi1', what: "the district's featured-project calls, by year" },
  { pk: 'FCALL#<callId>', sk: 'SUB#<submissionId>', on: 'table', what: "a call's submissions" },
  { pk: 'FCALL#<callId>', sk: 'ENTRY#<teamId>', on: 'table', what: "a team's one entry in a call" },
  {
    pk: 'FCALL#<callId>',
    sk: 'REVIEW#<submissionId>#<reviewerId>',
    on: 'table',
    what: "a reviewer's assignment and scores",
  },
  {
    pk: 'REVIEWER#<reviewerId>',
    sk: '<assignedAt>#<callId>#<submissionId>',
    on: 'gsi1',
    what: "a reviewer's assignments, every call's",
  },
  { pk: 'FCALL#<callId>', sk: 'AWARD#<submissionId>', on: 'table', what: "a call's awards" },
  {
    pk: 'FCALL#<callId>',
    sk: 'CITYOUT#<batchId>',
    on: 'table',
    what: 'a batch of awards for the city bus (outbox; the stream delivers it)',
  },
  { pk: 'MEMBER#<memberId>', sk: 'AWARD#<awardId>', on: 'table', what: "award entries in a member's record" },
  { pk: 'TEAM#<teamId>', sk: 'AWARD#<awardId>', on: 'table', what: "awards in a team's history" },
  // micro-stations
  { pk: 'STATION#<stationId>', sk: 'STATION', on: 'table', what: 'a micro-station (with its closures)' },
  {
    pk: 'STATIONS#<streetId>',
    sk: '<communityId or ~>#<stationId>',
    on: 'gsi1',
    what: "a street's or a community's stations",
  },
  {
    pk: 'STATION#<stationId>',
    sk: 'UNIT#<unitStart>',
    on: 'table',
    what: 'a half-hour unit held by one booking or closure',
  },
  { pk: 'STATION#<stationId>', sk: 'BOOKING#<bookingId>', on: 'table', what: 'a booking (a counted fact)' },
  {
    pk: 'STATION#<stationId>#BOOKINGS',
    sk: '<startsAt>#<bookingId>',
    on: 'gsi1',
    what: "a station's bookings by start",
  },
  { pk: 'TEAM#<teamId>#BOOKINGS', sk: '<startsAt>#<bookingId>', on: 'gsi2', what: "a team's bookings by start" },
  {
    pk: 'STATION#<stationId>',
    sk: 'CANCEL#<bookingId>',
    on: 'table',
    what: "a booking's cancellation (a counted fact)",
  },
  {
    pk: 'STATION#<stationId>',
    sk: 'WEEK#<week>#<teamId>',
    on: 'table',
    what: "a team's half hours at a station in a week",
  },
  // training and qualifications
  { pk: 'COURSE#<courseId>', sk: 'COURSE', on: 'table', what: 'a course' },
  { pk: 'COURSES', sk: '<createdAt>#<courseId>', on: 'gsi1', what: 'every course' },
  { pk: 'TEAM#<teamId>#COURSES', sk: '<createdAt>#<courseId>', on: 'gsi2', what: "a team's courses" },
  { pk: 'COURSE#<courseId>', sk: 'SESSION#<activityId>', on: 'table', what: "a course's sessions" },
  { pk: 'COURSE#<courseId>', sk: 'ATTENDED#<memberId>', on: 'table', what: 'the sessions a member attended' },
  { pk: 'MEMBER#<memberId>', sk: 'GRANT#<qualification>', on: 'table', what: "a member's qualification grant" },
  {
    pk: 'GRANTS#<communityId>',
    sk: '<validUntil>#<memberId>#<qualification>',
    on: 'gsi1',
    what: "a community's expiring grants",
  },
  {
    pk: 'GRANTS-EXPIRING',
    sk: '<validUntil>#<memberId>#<qualification>',
    on: 'gsi2',
    what: "the district's expiring grants",
  },
  {
    pk: 'MEMBER#<memberId>',
    sk: 'TRAINING#<courseId>',
    on: 'table',
    what: "a member's training entry (a counted fact)",
  },
  { pk: 'MEMBER#<memberId>', sk: 'TRAINING_HOURS', on: 'table', what: "a member's training hours" },
  // notifications
  { pk: 'NOTICE#<dedupeKey>', sk: 'OUTBOX', on: 'table', what: 'an outbox entry (a notice to deliver)' },
  { pk: 'NOTICE#<dedupeKey>', sk: 'SENT#<channel>', on: 'table', what: "a notice's delivery on a channel" },
  { pk: 'NOTICE#<dedupeKey>', sk: 'HELD#<channel>', on: 'table', what: 'a push held for the end of quiet hours' },
  { pk: 'HELD_PUSHES', sk: '<dueAt>#<dedupeKey>#<channel>', on: 'gsi1', what: 'held pushes by when they may go' },
  { pk: 'INBOX#<recipientId>', sk: 'NOTICE#<noticeId>', on: 'table', what: "a person's notice in the inbox" },
  { pk: 'INBOX#<recipientId>', sk: '<createdAt>#<noticeId>', on: 'gsi1', what: "a person's inbox, newest first" },
  { pk: 'INBOX#<recipientId>', sk: 'PREFERENCES', on: 'table', what: "a person's notification preferences" },
  // identity
  { pk: 'USER#<sub>', sk: 'ROLES', on: 'table', what: "a user's roles and scope in the district" },
  { pk: 'ROLE_AUDIT#<sub>', sk: '<at>#<auditId>', on: 'table', what: "a user's role audit (append-only)" },
  { pk: 'ROLE_AUDIT', sk: '<at>#<auditId>', on: 'gsi1', what: "the district's role audit" },
  { pk: 'ROLE_AUDIT#STREET#<streetId>', sk: '<at>#<auditId>', on: 'gsi2', what: "a street's role audit" },
  { pk: 'ROLE_AUDIT#COMMUNITY#<communityId>', sk: '<at>#<auditId>', on: 'gsi3', what: "a community's role audit" },
  // platform
  { pk: 'IDEMP#<sub>#<key>', sk: 'IDEMP', on: 'table', what: 'an idempotency record' },
  { pk: 'HEALTH', sk: 'HEALTH', on: 'table', what: 'the health check (never written)' },
  // the points ledger, stars, rankings
  {
    pk: 'LEDGER#<memberId>',
    sk: 'ENTRY#<kind>#<sourceId>#<rule>#<revision>#<effect>',
    on: 'table',
    what: 'a ledger entry, keyed by its source',
  },
  { pk: 'MEMBER#<memberId>#LEDGER', sk: '<at>#<entryId>', on: 'gsi1', what: "a member's ledger entries by instant" },
  { pk: 'LEDGER#<memberId>', sk: 'TOTAL#<period>', on: 'table', what: "a member's totals: all time, a year, a month" },
  { pk: 'STAR_REVIEWS#due', sk: '<memberId>', on: 'gsi1', what: 'members whose fifth star waits for review' },
  { pk: 'LEDGER#<memberId>', sk: 'STAR#<seq>', on: 'table', what: "a member's star changes" },
  {
    pk: 'SCORE#<subject>#<subjectId>',
    sk: '<scope>#<scopeId>#<period>',
    on: 'table',
    what: "a member's or team's score in one ranking",
  },
  { pk: 'RANK#<subject>#<scope>#<scopeId>#<period>', sk: '<rankSk>', on: 'table', what: 'one ranking, best last' },
  // the five-part record
  {
    pk: 'RECORD_OF#<memberId>',
    sk: 'EVALUATION#<recordId>',
    on: 'table',
    what: "the community's evaluation of a record",
  },
  // no-shows
  { pk: 'RECORD_OF#<memberId>', sk: 'NOSHOW#<activityId>', on: 'table', what: "a member's no-show at an activity" },
  {
    pk: 'MEMBER#<memberId>#NOSHOWS#<YYYY>',
    sk: '<closedAt>#<activityId>',
    on: 'gsi1',
    what: "a member's no-shows of a year",
  },
  { pk: 'RECORD_OF#<memberId>', sk: 'NOSHOWS#<YYYY>', on: 'table', what: "a member's unexcused no-shows of a year" },
  {
    pk: 'COMMUNITY#<communityId>',
    sk: 'NOSHOW_REVIEW#<YYYY>#<memberId>',
    on: 'table',
    what: "a community's no-show reviews of a year",
  },
  // exemplary nominations and the reserve-cadre pool
  { pk: 'NOMINATION#<nominationId>', sk: 'NOMINATION', on: 'table', what: 'a nomination' },
  {
    pk: 'NOMINATIONS#<status>',
    sk: '<nominatedAt>#<nominationId>',
    on: 'gsi1',
    what: "the district's nominations in one status",
  },
  {
    pk: 'NOMINATION#<nominationId>',
    sk: 'AUDIT#<at>#<auditId>',
    on: 'table',
    what: "a nomination's audit entries (append-only)",
  },
  { pk: 'NOMINATION#<nominationId>', sk: 'OBJECTION#<at>#<objectionId>', on: 'table', what: 'objections to a notice' },
  { pk: 'MEMBER#<memberId>', sk: 'CADRE', on: 'table', what: "a member's reserve-cadre entry" },
  { pk: 'CADRES#<streetId>', sk: '<communityId>#<memberId>', on: 'gsi1', what: "a street's reserve-cadre pool" },
  { pk: 'CADRES', sk: '<streetId>#<communityId>#<memberId>', on: 'gsi2', what: "the district's reserve-cadre pool" },
  // the city table
  { pk: 'MONTH#<YYYY-MM>', sk: 'DISTRICT#<districtId>', on: 'city table', what: "a district's frozen month" },
  { pk: 'THEMES#<YYYY>', sk: '<YYYY-MM>', on: 'city table', what: "the city's year plan" },
  {
    pk: 'FEATURED#<YYYY>',
    sk: '<districtId>#<awardId>',
    on: 'city table',
    what: "a year's awarded featured projects, every district's",
  },
  { pk: 'ROLE_AUDIT#<sub>', sk: '<at>#<auditId>', on: 'city table', what: "a city admin's role audit" },
];

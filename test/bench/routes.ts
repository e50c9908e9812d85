import { mintToken } from '../../infra/local/keys.ts';
import { enableMfa, signUpAndConfirm } from '../../infra/local/pool-client.ts';
import { CITY_ROUTES } from '../../shared/config/city-routes.ts';
import { ROUTES, routeKey } from '../../shared/config/routes.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { Res } from '../support/client.ts';
import { seedRecord } from '../support/records.ts';
import { applyChange, postFact } from '../../shared/services/ledger.ts';
import { signupItem } from '../../shared/db/activities.ts';
import { putNew } from '../../shared/db/writes.ts';
import type { Platform, RequestFigure } from './requests.ts';

/**
 * Every route once, in an order that gives each what it needs, measured alone: DynamoDB round
 * trips and capacity (the layer bills transactions as AWS does). Each route also has the least
 * round trips the design allows, and why (LEAST): a figure above it is a read that could go.
 * `npm run bench -- routes`; the README's route cost table is this output.
 */
export interface RouteFigure extends RequestFigure {
  readonly route: string;
}

/** The least round trips each route can take in this design, and why. */
export const LEAST: Record<string, { readonly n: number; readonly why: string }> = {
  'GET /health': { n: 1, why: 'one GetItem proves the table answers' },
  'GET /openapi.json': { n: 0, why: 'built from the contracts, no table' },
  'GET /docs': { n: 0, why: 'a page, no table' },
  'GET /docs/assets/{file}': { n: 0, why: 'a file beside the bundle, no table' },
  'POST /streets': { n: 1, why: 'one transaction: the street and its name claimed in the district' },
  'GET /streets': { n: 1, why: 'one Query' },
  'POST /communities': {
    n: 2,
    why: 'read the street (exists, its admin), one transaction: the community and its name claimed in the street',
  },
  'GET /communities': { n: 1, why: 'one Query' },
  'GET /communities/{communityId}': { n: 1, why: 'one GetItem' },
  'POST /communities/{communityId}/grids': { n: 2, why: "read the community (its admins' scope), one Put" },
  'GET /communities/{communityId}/grids': { n: 2, why: 'the community (404 if none), one Query' },
  'POST /members': { n: 1, why: 'one conditional Put' },
  'GET /members/me': { n: 1, why: 'one GetItem' },
  'PATCH /members/me': { n: 2, why: 'read (its version), one transaction (profile and roster)' },
  'POST /check-ins': { n: 2, why: 'community, profile and grid in one BatchGetItem; one transaction' },
  'GET /members/me/check-ins': { n: 1, why: 'one Query' },
  'GET /communities/{communityId}/check-ins': { n: 2, why: "the community (its admins' scope), one Query" },
  'POST /check-ins/{checkInId}/approve': {
    n: 3,
    why: "the check-in, then its member's profile and roles record (named by it), one transaction",
  },
  'POST /check-ins/{checkInId}/reject': { n: 2, why: 'the check-in (scope), one transaction' },
  'POST /check-ins/{checkInId}/cancel': { n: 2, why: 'the check-in (its member), one transaction' },
  'GET /members/{memberId}': { n: 1, why: 'one GetItem' },
  'GET /communities/{communityId}/members': { n: 2, why: "the community (its admins' scope), one Query" },
  'POST /teams': {
    n: 2,
    why: "its place, its leader and the leader's roles record in one BatchGetItem, one transaction (with its name claim)",
  },
  'GET /teams': { n: 1, why: 'one Query' },
  'GET /teams/{teamId}': { n: 1, why: 'one GetItem' },
  'POST /teams/{teamId}/join': {
    n: 2,
    why: 'team, profile and place in the team in one BatchGetItem; one transaction',
  },
  'GET /teams/{teamId}/members': { n: 2, why: 'the team (its leader and scope), one Query' },
  'POST /teams/{teamId}/leave': {
    n: 2,
    why: 'team and my place in it in one BatchGetItem; one transaction (my place, memberCount)',
  },
  'GET /members/me/teams': { n: 2, why: 'one Query on my index, the teams (their names) in one BatchGetItem' },
  'POST /teams/{teamId}/members/{memberId}/approve': { n: 2, why: 'the team (its leader), one transaction' },
  'POST /teams/{teamId}/members/{memberId}/reject': { n: 2, why: 'the team (its leader), one transaction' },
  'POST /teams/{teamId}/flag-grant': { n: 1, why: 'one conditional Update (two with an Idempotency-Key)' },
  'PUT /themes/{month}': { n: 2, why: "the month's themes (kicked off?), one Put" },
  'GET /themes': { n: 1, why: "one Query: the year's themes" },
  'GET /themes/current': { n: 1, why: "one Query: the month's themes" },
  'POST /activities': { n: 2, why: 'team and community in one BatchGetItem, one conditional Put' },
  'GET /activities': { n: 1, why: 'one Query' },
  'GET /activities/{activityId}': { n: 1, why: 'one GetItem' },
  'POST /activities/{activityId}/signups': { n: 2, why: 'profile and activity in one BatchGetItem, one transaction' },
  'DELETE /activities/{activityId}/signups/me': {
    n: 3,
    why: 'the sign-up, the head of the waitlist (for a confirmed place), one transaction',
  },
  'GET /activities/{activityId}/signups': { n: 2, why: 'the activity (scope), one Query' },
  'PATCH /activities/{activityId}': {
    n: 2,
    why: 'activity and team in one BatchGetItem, one transaction (with the announcement); a larger capacity adds the promotions',
  },
  'POST /activities/{activityId}/cancel': {
    n: 2,
    why: 'activity and team in one BatchGetItem, one transaction (with the announcement)',
  },
  'GET /members/me/signups': {
    n: 2,
    why: 'one Query, the activities in one BatchGetItem (and a COUNT Query per waitlisted sign-up, in parallel)',
  },
  'GET /members/me/notifications': { n: 1, why: 'one Query' },
  'POST /members/me/notifications/{noticeId}/read': { n: 1, why: 'one conditional Update' },
  'GET /members/me/notification-preferences': { n: 1, why: 'one GetItem' },
  'PUT /members/me/notification-preferences': { n: 2, why: 'read (to keep what is not named), one Put' },
  'POST /activities/{activityId}/attendance-code': { n: 2, why: 'activity and team in one BatchGetItem, one Update' },
  'POST /activities/{activityId}/check-in': { n: 2, why: 'the activity (code, window), one transaction' },
  'POST /activities/{activityId}/check-out': { n: 2, why: 'the activity (code, window), one transaction' },
  'PUT /activities/{activityId}/attendance/{memberId}': {
    n: 2,
    why: "the activity, the leader's team and the sign-up (one BatchGetItem), one transaction",
  },
  'POST /activities/{activityId}/close': {
    n: 5,
    why: 'activity and team, open -> closing, the sign-ups, a transaction per 30 attendees, the final one',
  },
  'GET /members/me/service-records': { n: 2, why: 'one Query and the hours item' },
  'GET /service-records/{recordId}': { n: 2, why: 'the record, its corrections (one Query)' },
  'POST /service-records/{recordId}/corrections': { n: 2, why: 'the record, one transaction' },
  'POST /service-records/{recordId}/corrections/{correctionId}/accept': {
    n: 2,
    why: "record, correction and the caller's team in one BatchGetItem, one transaction",
  },
  'POST /service-records/{recordId}/corrections/{correctionId}/reject': {
    n: 2,
    why: "record, correction and the caller's team in one BatchGetItem, one transaction",
  },
  'GET /teams/{teamId}/corrections': { n: 2, why: 'the team (scope), one Query' },
  'GET /communities/{communityId}/corrections': { n: 2, why: 'the community (scope), one Query' },
  'GET /members/me/certificates': { n: 1, why: 'one Query' },
  'POST /members/me/certificates': { n: 3, why: 'hours and profile, the latest records (a Query), one transaction' },
  'GET /certificates/{number}': { n: 1, why: 'one GetItem' },
  'GET /members/me/points': { n: 2, why: 'my totals (BatchGetItem) and my entries (Query), at once' },
  'GET /rankings/members': { n: 2, why: 'the ranking (one Query, Limit 100), the names (one BatchGetItem)' },
  'GET /rankings/members/me': {
    n: 2,
    why: 'my score (GetItem), then a COUNT Query of those above (one per MB of rank keys: 11 at 100,000 members)',
  },
  'GET /rankings/teams': { n: 2, why: 'the ranking (one Query), the names (one BatchGetItem)' },
  'GET /star-reviews': { n: 2, why: 'the due list (Query), their profiles and totals (one BatchGetItem)' },
  'POST /members/{memberId}/fifth-star': { n: 2, why: 'the totals (version), one transaction with the star change' },
  'POST /service-records/{recordId}/evaluation': { n: 2, why: 'the record (scope, day), one conditional Put' },
  'GET /members/me/record': {
    n: 5,
    why: 'profile, totals and hours (one BatchGetItem), the records, training, awards and evaluations (four Queries), at once',
  },
  'GET /members/{memberId}/record': {
    n: 5,
    why: 'profile, totals and hours (one BatchGetItem: the scope), then the four Queries at once',
  },
  'GET /members/me/no-shows': { n: 2, why: "the year's count (GetItem) and the no-shows (Query), at once" },
  'POST /members/me/no-shows/{activityId}/correction': { n: 2, why: 'the no-show, one conditional Put' },
  'POST /no-shows/{activityId}/members/{memberId}/decision': {
    n: 3,
    why: "the no-show and the caller's team at once, the year's count (to excuse), one transaction",
  },
  'GET /communities/{communityId}/no-show-reviews': { n: 2, why: "the community (its admins' scope), one Query" },
  'GET /members/me/certificates/{number}': { n: 1, why: 'one GetItem' },
  'POST /wishes': { n: 2, why: 'community and grid in one BatchGetItem, one transaction' },
  'GET /wishes': { n: 1, why: 'one Query' },
  'GET /wishes/mine': { n: 2, why: 'a Query of pointers, one BatchGetItem of the wishes' },
  'GET /wishes/suggested': { n: 3, why: 'the profile, then two Queries (community, district)' },
  'GET /wishes/{wishId}': { n: 1, why: 'one GetItem' },
  'GET /wishes/{wishId}/events': { n: 2, why: 'the wish (visibility), one Query' },
  'POST /wishes/{wishId}/review': { n: 2, why: 'the wish, one transaction' },
  'POST /wishes/{wishId}/withdraw': { n: 2, why: 'the wish, one transaction' },
  'POST /wishes/{wishId}/claim': { n: 2, why: 'profile and wish in one BatchGetItem, one transaction' },
  'POST /wishes/{wishId}/release': { n: 2, why: 'the wish, one transaction' },
  'POST /wishes/{wishId}/take-on': { n: 2, why: 'team and wish in one BatchGetItem, one transaction' },
  'POST /wishes/{wishId}/complete': { n: 2, why: 'the wish, one transaction' },
  'POST /wishes/{wishId}/confirm': { n: 2, why: 'the wish, one transaction' },
  'POST /stations': { n: 2, why: 'street or community (its admins), one conditional Put' },
  'GET /stations': { n: 1, why: 'one Query' },
  'GET /stations/{stationId}': { n: 1, why: 'one GetItem' },
  'POST /stations/{stationId}/closures': {
    n: 4,
    why: 'the station, the closure under its version, the covered bookings (Query), the open units claimed (one transaction per 99); one transaction per cancelled booking',
  },
  'POST /stations/{stationId}/bookings': {
    n: 2,
    why: 'station and team in one BatchGetItem, one transaction (units, booking, week, counters)',
  },
  'GET /stations/{stationId}/bookings': { n: 1, why: 'one Query' },
  'DELETE /stations/{stationId}/bookings/{bookingId}': {
    n: 2,
    why: "the booking and the caller's team in one BatchGetItem, one transaction",
  },
  'POST /members/{memberId}/qualifications': {
    n: 2,
    why: "profile and grants in one BatchGetItem (the member's community, what is held), one conditional Put",
  },
  'GET /members/me/qualifications': {
    n: 3,
    why: 'grants and training entries (two Queries) and the training-hours item, in parallel',
  },
  'GET /qualifications/expiring': { n: 2, why: "the community (its admins' scope), one Query by expiry" },
  'POST /courses': { n: 2, why: 'team and community in one BatchGetItem, one conditional Put' },
  'GET /courses': { n: 1, why: 'one Query' },
  'GET /courses/{courseId}': { n: 2, why: 'the course and its sessions (a GetItem and a Query, in parallel)' },
  'POST /courses/{courseId}/sessions': {
    n: 3,
    why: 'the course, its team and community (one BatchGetItem), one transaction (activity, session, count)',
  },
  'GET /stats/monthly': {
    n: 3,
    why: "frozen?, snapshot and live counters in one BatchGetItem; the children's Query; their names (BatchGetItem)",
  },
  'GET /stats/monthly.csv': { n: 3, why: 'the same, and the children’s names (one BatchGetItem)' },
  'GET /stats/public': { n: 3, why: "the district's month, its communities (Query), their figures (BatchGetItem)" },
  'GET /city/stats/monthly': { n: 1, why: "one Query of the month's districts" },
  'GET /city/stats/monthly.csv': { n: 1, why: "one Query of the month's districts" },
  'GET /city/openapi.json': { n: 0, why: 'built from the contracts, no table' },
  'PUT /city/themes/{month}': {
    n: 1,
    why: 'one conditional Update, then the event (the bus runs the district storing it, counted here too)',
  },
  'GET /city/themes': { n: 1, why: "one Query of the year's themes" },
  'POST /featured-calls': { n: 1, why: 'one conditional Put' },
  'GET /featured-calls/{callId}': { n: 1, why: 'one GetItem' },
  'POST /featured-calls/{callId}/submissions': {
    n: 4,
    why: "the call (its evidence window); team, places, profiles and the window's counters in one BatchGetItem beside the team's awards (a Query); one transaction",
  },
  'GET /featured-calls/{callId}/submissions': { n: 2, why: 'the call (404 if none), one Query' },
  'GET /featured-calls/{callId}/submissions/{submissionId}': {
    n: 1,
    why: "call, submission and the caller's assignment in one BatchGetItem",
  },
  'PUT /featured-calls/{callId}/submissions/{submissionId}': {
    n: 4,
    why: 'as the submission, the one being edited in the same BatchGetItem; one transaction',
  },
  'POST /featured-calls/{callId}/submissions/{submissionId}/reviewers': {
    n: 2,
    why: "call, submission and the reviewer's profile in one BatchGetItem; one transaction (its conditions re-check the conflicts)",
  },
  'POST /featured-calls/{callId}/submissions/{submissionId}/scores': {
    n: 2,
    why: 'call, submission and the assignment in one BatchGetItem; one transaction',
  },
  'POST /featured-calls/{callId}/results': {
    n: 2,
    why: "the call's partition in one Query (a page for a call's size), one conditional Update",
  },
  'GET /featured-calls/{callId}/notice': { n: 1, why: 'one GetItem (the ranking is on the call)' },
  'POST /featured-calls/{callId}/awards': {
    n: 2,
    why: "call and submissions in one BatchGetItem, one transaction with the city outbox item (the stream then delivers it: the city's Put, the item marked sent; counted when they fall within the request)",
  },
  'GET /members/me/awards': { n: 1, why: 'one Query' },
  'GET /teams/{teamId}/awards': { n: 2, why: 'the team (its status) and its awards (a Query), side by side' },
  'GET /city/featured-projects': { n: 1, why: "one Query of the year's awards" },
  'GET /featured-calls': { n: 1, why: "one Query of the district's calls (gsi1), the status computed from the dates" },
  'GET /members/me/review-assignments': { n: 1, why: "one Query of the reviewer's index partition" },
  'GET /featured-calls/{callId}/award-report': {
    n: 2,
    why: "one Query of the call's partition from AWARD# to CITYOUT# (its awards, the call, its outbox items); the awarded teams' status (one BatchGetItem)",
  },
  'PUT /teams/{teamId}/leader': {
    n: 3,
    why: "the team, then the new leader's place and profile and both leaders' roles (one BatchGetItem), one transaction with both roles records and their audit",
  },
  'GET /users/{sub}/roles': { n: 1, why: "one GetItem of the user's roles record" },
  'POST /users/{sub}/roles': {
    n: 2,
    why: "the user's roles and the place named in one BatchGetItem, one transaction with the audit (the pool is asked about MFA)",
  },
  'POST /users/{sub}/roles/{role}/revoke': { n: 2, why: "the user's roles, one transaction with the audit" },
  'GET /role-audit': { n: 2, why: 'the community (scope), one Query' },
  'POST /nominations': {
    n: 3,
    why: "the evidence at once (one BatchGetItem: profile, hours, totals, the year's no-shows, the leader's roster entry; one Query of evaluations), one transaction with the audit entry",
  },
  'GET /nominations': { n: 1, why: 'one Query of a status' },
  'GET /nominations/{nominationId}': { n: 1, why: "one Query of the nomination's partition (audit, objections)" },
  'POST /nominations/{nominationId}/notice': { n: 2, why: 'the nomination, one transaction with the audit entry' },
  'GET /nomination-notices': { n: 1, why: 'one Query of the nominations on notice' },
  'POST /nominations/{nominationId}/objections': {
    n: 2,
    why: "the nomination, one transaction: the count, the objection, the audit entry, the reviewer's outbox entry",
  },
  'POST /nominations/{nominationId}/decision': {
    n: 2,
    why: 'the nomination, one transaction with the audit entry (and the award entry)',
  },
  'POST /reserve-cadres': { n: 2, why: 'the nomination, one transaction with the pool entry and the audit entry' },
  'GET /reserve-cadres': { n: 1, why: "one Query of the street's (or district's) pool" },
  'POST /reserve-cadres/{memberId}/exit': { n: 2, why: 'the pool entry, one transaction with the audit entry' },
};

const must = async (r: Promise<Res>, what: string): Promise<Res> => {
  const res = await r;
  if (res.status >= 300) throw new Error(`routes bench: ${what} answered ${res.status}: ${res.text}`);
  return res;
};

export async function everyRoute(p: Platform): Promise<RouteFigure[]> {
  const { api } = p;
  const rows: RouteFigure[] = [];
  const measure = async (route: string, call: () => Promise<Res>, note?: string): Promise<Res> => {
    let res: Res | undefined;
    const f = await p.measure(
      route,
      async () => {
        res = await call();
        return res;
      },
      note,
    );
    if (res!.status >= 300) throw new Error(`routes bench: ${route} answered ${res!.status}: ${res!.text}`);
    rows.push({ ...f, route });
    return res!;
  };
  freezeClock('2027-03-01T00:00:00.000Z'); // 08:00 in Shanghai, on the 1st of a month
  try {
    const city = await mintToken({ role: 'city_admin' });
    const district = await mintToken({ role: 'district_admin' });
    await measure('GET /health', () => api.get('/health'));
    await measure('GET /openapi.json', () => api.get('/openapi.json'));
    await measure('GET /docs', () => api.get('/docs'));
    await measure('GET /docs/assets/{file}', () => api.get('/docs/assets/docs.js'));
    const streetId = (await measure('POST /streets', () => api.post('/streets', district, { name: '春熙路街道' }))).body
      .streetId as string;
    await measure('GET /streets', () => api.get('/streets', district));
    const communityId = (
      await measure('POST /communities', () => api.post('/communities', district, { name: '红星社区', streetId }))
    ).body.communityId as string;
    await measure('GET /communities', () => api.get('/communities', district));
    await measure('GET /communities/{communityId}', () => api.get(`/communities/${communityId}`, district));
    const gridId = (
      await measure('POST /communities/{communityId}/grids', () =>
        api.post(`/communities/${communityId}/grids`, district, { name: '一网格' }),
      )
    ).body.gridId as string;
    await measure('GET /communities/{communityId}/grids', () => api.get(`/communities/${communityId}/grids`, district));
    const admin = await mintToken({ role: 'community_admin', communityId });

    const me = await mintToken({ role: 'member', memberId: 'r-me' });
    await measure('POST /members', () =>
      api.post('/members', me, { name: '王建国', phone: '13912345678', skills: ['急救'], categories: ['health'] }),
    );
    await measure('GET /members/me', () => api.get('/members/me', me));
    await measure('PATCH /members/me', () => api.patch('/members/me', me, { bio: '退休教师' }));
    const ci = await measure('POST /check-ins', () => api.post('/check-ins', me, { communityId, gridId }));
    await measure('GET /members/me/check-ins', () => api.get('/members/me/check-ins', me));
    await measure('GET /communities/{communityId}/check-ins', () =>
      api.get(`/communities/${communityId}/check-ins`, admin),
    );
    await measure('POST /check-ins/{checkInId}/approve', () =>
      api.post(`/check-ins/${ci.body.checkInId}/approve`, admin),
    );
    const other = await mintToken({ role: 'member', memberId: 'r-other' });
    await must(api.post('/members', other, { name: '李秀英', phone: '13912345679' }), 'member');
    const ci2 = await must(api.post('/check-ins', other, { communityId }), 'check-in');
    await measure('POST /check-ins/{checkInId}/reject', () =>
      api.post(`/check-ins/${ci2.body.checkInId}/reject`, admin, { reason: '不在本社区' }),
    );
    await measure('GET /members/{memberId}', () => api.get('/members/r-me', admin));
    const canceller = await mintToken({ role: 'member', memberId: 'r-cancel' });
    await must(api.post('/members', canceller, { name: '赵撤回', phone: '13912345671' }), 'member');
    const ci3 = await must(api.post('/check-ins', canceller, { communityId }), 'check-in');
    await measure('POST /check-ins/{checkInId}/cancel', () =>
      api.post(`/check-ins/${ci3.body.checkInId}/cancel`, canceller),
    );

    // Roles: a user who signed up (through the local pool) with an authenticator app.
    if (!p.cognitoEndpoint) throw new Error('routes bench: run the platform with the city and identity (city: true)');
    const sub = await signUpAndConfirm(p.cognitoEndpoint, { email: 'bench@example.com', district: 'jinjiang' });
    await enableMfa(p.cognitoEndpoint, sub);
    await measure('POST /users/{sub}/roles', () =>
      api.post(`/users/${sub}/roles`, district, { role: 'community_admin', communityId, reason: '社区换届' }),
    );
    await measure('GET /users/{sub}/roles', () => api.get(`/users/${sub}/roles`, district));
    await measure('GET /role-audit', () => api.get(`/role-audit?communityId=${communityId}`, admin));
    await measure('POST /users/{sub}/roles/{role}/revoke', () =>
      api.post(`/users/${sub}/roles/community_admin/revoke`, district, { reason: '调任' }),
    );
    await measure('GET /communities/{communityId}/members', () =>
      api.get(`/communities/${communityId}/members`, admin),
    );

    const lead = await mintToken({ role: 'member', memberId: 'r-lead' });
    await must(api.post('/members', lead, { name: '张队长', phone: '13912345670' }), 'leader');
    const teamId = (
      await measure('POST /teams', () =>
        api.post('/teams', district, {
          name: '义诊队',
          category: 'health',
          scope: 'community',
          communityId,
          leaderMemberId: 'r-lead',
        }),
      )
    ).body.teamId as string;
    const leader = await mintToken({ role: 'team_leader', memberId: 'r-lead', teamId });
    await measure('GET /teams', () => api.get('/teams', me));
    await measure('GET /teams/{teamId}', () => api.get(`/teams/${teamId}`, me));
    await measure('POST /teams/{teamId}/join', () => api.post(`/teams/${teamId}/join`, me));
    await must(api.post(`/teams/${teamId}/join`, other), 'join');
    await measure('GET /teams/{teamId}/members', () => api.get(`/teams/${teamId}/members?status=pending`, leader));
    await measure('POST /teams/{teamId}/members/{memberId}/approve', () =>
      api.post(`/teams/${teamId}/members/r-me/approve`, leader),
    );
    await measure('POST /teams/{teamId}/members/{memberId}/reject', () =>
      api.post(`/teams/${teamId}/members/r-other/reject`, leader, { reason: '名额已满' }),
    );
    await measure('GET /members/me/teams', () => api.get('/members/me/teams', me));
    await must(api.post(`/teams/${teamId}/join`, canceller), 'join');
    await must(api.post(`/teams/${teamId}/members/r-cancel/approve`, leader), 'approve');
    await measure('POST /teams/{teamId}/leave', () => api.post(`/teams/${teamId}/leave`, canceller));
    await measure('PUT /teams/{teamId}/leader', () =>
      api.put(`/teams/${teamId}/leader`, district, { memberId: 'r-me', reason: '原队长工作调动' }),
    );
    await must(
      api.put(`/teams/${teamId}/leader`, district, { memberId: 'r-lead', reason: '原队长回归' }),
      'leader back',
    );
    await measure('POST /teams/{teamId}/flag-grant', () =>
      api.post(`/teams/${teamId}/flag-grant`, district, { date: '2027-02-20' }),
    );

    await measure('PUT /themes/{month}', () =>
      api.put('/themes/2027-03', district, { title: '关爱老人', description: '走访', kickoffDate: '2027-03-05' }),
    );
    await measure('GET /themes', () => api.get('/themes?year=2027', me));
    await measure('GET /themes/current', () => api.get('/themes/current', me));

    const at = (minutes: number) => new Date(Date.parse('2027-03-01T00:00:00.000Z') + minutes * 60_000).toISOString();
    const activityId = (
      await measure('POST /activities', () =>
        api.post('/activities', leader, {
          title: '社区义诊',
          content: '测血压',
          category: 'health',
          communityId,
          address: '社区广场',
          startsAt: at(120),
          endsAt: at(240),
          capacity: 1,
        }),
      )
    ).body.activityId as string;
    await measure('GET /activities', () => api.get(`/activities?teamId=${teamId}`, me));
    await measure('GET /activities/{activityId}', () => api.get(`/activities/${activityId}`, me));
    await measure('POST /activities/{activityId}/signups', () => api.post(`/activities/${activityId}/signups`, me));
    await must(api.post(`/activities/${activityId}/signups`, other), 'waitlist');
    await measure('DELETE /activities/{activityId}/signups/me', () =>
      api.delete(`/activities/${activityId}/signups/me`, me),
    );
    await must(api.post(`/activities/${activityId}/signups`, me), 'sign up again');
    await measure('GET /activities/{activityId}/signups', () => api.get(`/activities/${activityId}/signups`, leader));
    await measure('GET /members/me/signups', () => api.get('/members/me/signups', me));
    await measure('PATCH /activities/{activityId}', () =>
      api.patch(`/activities/${activityId}`, leader, { address: '社区广场东侧' }),
    );
    const spare = (
      await must(
        api.post('/activities', leader, {
          title: '备用活动',
          content: '测血糖',
          category: 'health',
          communityId,
          address: '社区广场',
          startsAt: at(300),
          endsAt: at(360),
          capacity: 5,
        }),
        'spare activity',
      )
    ).body.activityId as string;
    await must(api.post(`/activities/${spare}/signups`, me), 'spare sign-up');
    await measure('POST /activities/{activityId}/cancel', () =>
      api.post(`/activities/${spare}/cancel`, leader, { reason: '场地冲突' }),
    );
    await measure('GET /members/me/notification-preferences', () =>
      api.get('/members/me/notification-preferences', me),
    );
    await measure('PUT /members/me/notification-preferences', () =>
      api.put('/members/me/notification-preferences', me, { 'signup-confirmed': { sms: true } }),
    );
    // The notifier (fed by the stream) puts the sign-up's confirmation in the inbox: wait for it.
    let inbox: Res | undefined;
    for (let i = 0; i < 100 && !inbox?.body?.items?.length; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      inbox = await must(api.get('/members/me/notifications', me), 'inbox');
    }
    await measure('GET /members/me/notifications', () => api.get('/members/me/notifications', me));
    const noticeId = inbox?.body?.items?.[0]?.noticeId as string;
    await measure('POST /members/me/notifications/{noticeId}/read', () =>
      api.post(`/members/me/notifications/${noticeId}/read`, me),
    );
    freezeClock(at(100));
    const code = (
      await measure('POST /activities/{activityId}/attendance-code', () =>
        api.post(`/activities/${activityId}/attendance-code`, leader),
      )
    ).body.code as string;
    await measure('POST /activities/{activityId}/check-in', () =>
      api.post(`/activities/${activityId}/check-in`, other, { code }),
    );
    freezeClock(at(250));
    const code2 = (await must(api.post(`/activities/${activityId}/attendance-code`, leader), 'code')).body.code;
    await measure('POST /activities/{activityId}/check-out', () =>
      api.post(`/activities/${activityId}/check-out`, other, { code: code2 }),
    );
    await measure('PUT /activities/{activityId}/attendance/{memberId}', () =>
      api.put(`/activities/${activityId}/attendance/r-other`, leader, { checkedInAt: at(100), checkedOutAt: at(230) }),
    );
    await measure(
      'POST /activities/{activityId}/close',
      () => api.post(`/activities/${activityId}/close`, leader, { peopleServed: 30, summary: '顺利' }),
      '1 attendee',
    );

    // Micro-stations (Monday 12:10 in Shanghai now)
    const day = [{ from: '08:00', to: '20:00' }];
    const stationId = (
      await measure('POST /stations', () =>
        api.post('/stations', admin, {
          name: '红星微驿站',
          communityId,
          address: '党群服务中心',
          managers: ['r-lead'],
          amenities: ['饮水'],
          openingHours: { mon: day, tue: day, wed: day, thu: day, fri: day },
        }),
      )
    ).body.stationId as string;
    await measure('GET /stations', () => api.get(`/stations?streetId=${streetId}`, me));
    await measure('GET /stations/{stationId}', () => api.get(`/stations/${stationId}`, me));
    const booking = await measure('POST /stations/{stationId}/bookings', () =>
      api.post(`/stations/${stationId}/bookings`, leader, {
        startsAt: '2027-03-02T09:00:00+08:00',
        endsAt: '2027-03-02T11:00:00+08:00',
      }),
    );
    await measure('GET /stations/{stationId}/bookings', () => api.get(`/stations/${stationId}/bookings`, me));
    await measure('DELETE /stations/{stationId}/bookings/{bookingId}', () =>
      api.delete(`/stations/${stationId}/bookings/${booking.body.bookingId}`, leader),
    );
    await must(
      api.post(`/stations/${stationId}/bookings`, leader, {
        startsAt: '2027-03-03T09:00:00+08:00',
        endsAt: '2027-03-03T11:00:00+08:00',
      }),
      'booking',
    );
    await measure(
      'POST /stations/{stationId}/closures',
      () =>
        api.post(`/stations/${stationId}/closures`, leader, {
          from: '2027-03-03T00:00:00+08:00',
          to: '2027-03-04T00:00:00+08:00',
          reason: '检修',
        }),
      '1 booking cancelled, 24 units claimed',
    );

    // Qualifications and courses
    await measure('POST /members/{memberId}/qualifications', () =>
      api.post('/members/r-me/qualifications', admin, {
        qualification: 'pre-service',
        validUntil: '2027-04-01T00:00:00Z',
      }),
    );
    await measure('GET /members/me/qualifications', () => api.get('/members/me/qualifications', me));
    await measure('GET /qualifications/expiring', () =>
      api.get(`/qualifications/expiring?days=60&communityId=${communityId}`, admin),
    );
    const courseId = (
      await measure('POST /courses', () =>
        api.post('/courses', leader, {
          name: '专业培训',
          content: '急救',
          tier: 'professional',
          studyHours: 4,
          completionRule: 'any',
          communityId,
        }),
      )
    ).body.courseId as string;
    await measure('GET /courses', () => api.get('/courses', me));
    await measure('POST /courses/{courseId}/sessions', () =>
      api.post(`/courses/${courseId}/sessions`, leader, {
        startsAt: '2027-03-05T09:00:00+08:00',
        endsAt: '2027-03-05T11:00:00+08:00',
        capacity: 20,
        address: '三楼',
      }),
    );
    await measure('GET /courses/{courseId}', () => api.get(`/courses/${courseId}`, me));

    const record = await seedRecord({
      memberId: 'r-me',
      team: { teamId, leaderName: '张队长' },
      communityId,
      streetId,
      hours: 2,
    });
    await measure('GET /members/me/service-records', () => api.get('/members/me/service-records', me));
    await measure('GET /service-records/{recordId}', () => api.get(`/service-records/${record.recordId}`, me));
    const correction = await measure('POST /service-records/{recordId}/corrections', () =>
      api.post(`/service-records/${record.recordId}/corrections`, me, { requestedHours: 3, reason: '少记一小时' }),
    );
    await measure('GET /teams/{teamId}/corrections', () => api.get(`/teams/${teamId}/corrections`, leader));
    await measure('GET /communities/{communityId}/corrections', () =>
      api.get(`/communities/${communityId}/corrections`, admin),
    );
    await measure('POST /service-records/{recordId}/corrections/{correctionId}/accept', () =>
      api.post(`/service-records/${record.recordId}/corrections/${correction.body.correctionId}/accept`, leader, {
        hours: 3,
      }),
    );
    const record2 = await seedRecord({
      memberId: 'r-me',
      team: { teamId, leaderName: '张队长' },
      communityId,
      streetId,
    });
    const c2 = await must(
      api.post(`/service-records/${record2.recordId}/corrections`, me, { requestedHours: 4, reason: '多算' }),
      'correction',
    );
    await measure('POST /service-records/{recordId}/corrections/{correctionId}/reject', () =>
      api.post(`/service-records/${record2.recordId}/corrections/${c2.body.correctionId}/reject`, leader, {
        reason: '签到记录为两小时',
      }),
    );
    const cert = await measure('POST /members/me/certificates', () => api.post('/members/me/certificates', me));
    await measure('GET /members/me/certificates', () => api.get('/members/me/certificates', me));
    await measure('GET /certificates/{number}', () => api.get(`/certificates/${cert.body.number}`));
    await measure('GET /members/me/certificates/{number}', () =>
      api.get(`/members/me/certificates/${cert.body.number}`, me),
    );

    // Record-based evaluation: the ledger as the stream consumer leaves it (fed directly here).
    await applyChange({ eventName: 'INSERT', newImage: { ...record, type: 'service-record' } });
    await postFact({
      kind: 'service-record',
      id: 'bench-long-service',
      memberId: 'r-me',
      at: '2027-02-20T02:00:00.000Z',
      postedAt: '2027-02-20T02:00:00.000Z',
      revision: 0,
      units: 1500,
      hours: 1500,
      place: { streetId, communityId, teamId },
    });
    await measure('GET /members/me/points', () => api.get('/members/me/points', me));
    await measure('GET /rankings/members', () =>
      api.get(`/rankings/members?scope=community&id=${communityId}&period=2027`, me),
    );
    await measure('GET /rankings/members/me', () =>
      api.get(`/rankings/members/me?scope=district&id=jinjiang&period=2027`, me),
    );
    await measure('GET /rankings/teams', () => api.get('/rankings/teams?period=2027', me));
    await measure('GET /star-reviews', () => api.get('/star-reviews', district));
    await measure('POST /members/{memberId}/fifth-star', () =>
      api.post('/members/r-me/fifth-star', district, { approve: true, note: '记录齐全' }),
    );
    await measure('POST /service-records/{recordId}/evaluation', () =>
      api.post(`/service-records/${record.recordId}/evaluation`, admin, { rating: 'excellent' }),
    );
    await measure('GET /members/me/record', () => api.get('/members/me/record', me));
    await measure('GET /members/{memberId}/record', () => api.get('/members/r-me/record', admin));
    await putNew(
      signupItem({
        activityId: 'ac-bench-noshow',
        memberId: 'r-me',
        memberName: '王建国',
        status: 'confirmed',
        ticket: 1,
        signedUpAt: at(0),
      }),
    );
    await applyChange({
      eventName: 'INSERT',
      newImage: {
        type: 'activity-close',
        activityId: 'ac-bench-noshow',
        teamId,
        streetId,
        communityId,
        peopleServed: 1,
        closedAt: at(300),
      },
    });
    await measure('GET /members/me/no-shows', () => api.get('/members/me/no-shows', me));
    await measure('POST /members/me/no-shows/{activityId}/correction', () =>
      api.post('/members/me/no-shows/ac-bench-noshow/correction', me, { reason: '临时住院' }),
    );
    await measure('POST /no-shows/{activityId}/members/{memberId}/decision', () =>
      api.post('/no-shows/ac-bench-noshow/members/r-me/decision', leader, { excuse: true, reason: '有证明' }),
    );
    await measure('GET /communities/{communityId}/no-show-reviews', () =>
      api.get(`/communities/${communityId}/no-show-reviews`, admin),
    );

    const resident = await mintToken({ role: 'resident', sub: 'r-resident' });
    const wish = (body: Record<string, unknown> = {}) => ({
      title: '帮忙换灯泡',
      description: '楼道灯坏了',
      category: 'elderly-care',
      skillsWanted: ['急救'],
      communityId,
      gridId,
      contactName: '赵大妈',
      contactPhone: '13800001111',
      ...body,
    });
    const wishId = (await measure('POST /wishes', () => api.post('/wishes', resident, wish()))).body.wishId as string;
    await measure('POST /wishes/{wishId}/review', () =>
      api.post(`/wishes/${wishId}/review`, admin, { decision: 'publish' }),
    );
    await measure('GET /wishes', () => api.get(`/wishes?communityId=${communityId}`, me));
    await measure('GET /wishes/mine', () => api.get('/wishes/mine', resident));
    await measure('GET /wishes/suggested', () => api.get('/wishes/suggested', me));
    await measure('GET /wishes/{wishId}', () => api.get(`/wishes/${wishId}`, me));
    await measure('GET /wishes/{wishId}/events', () => api.get(`/wishes/${wishId}/events`, resident));
    await measure('POST /wishes/{wishId}/claim', () => api.post(`/wishes/${wishId}/claim`, me));
    await measure('POST /wishes/{wishId}/release', () => api.post(`/wishes/${wishId}/release`, me));
    await must(api.post(`/wishes/${wishId}/claim`, me), 'claim again');
    await measure('POST /wishes/{wishId}/complete', () =>
      api.post(`/wishes/${wishId}/complete`, me, { note: '已换好', hours: 1 }),
    );
    await measure('POST /wishes/{wishId}/confirm', () =>
      api.post(`/wishes/${wishId}/confirm`, resident, { rating: 5 }),
    );
    const w2 = (await must(api.post('/wishes', resident, wish({ title: '收快递' })), 'wish')).body.wishId;
    await measure('POST /wishes/{wishId}/withdraw', () => api.post(`/wishes/${w2}/withdraw`, resident));
    freezeClock('2027-02-01T00:00:00.000Z');
    const w3 = (await must(api.post('/wishes', resident, wish({ title: '修水管' })), 'wish')).body.wishId;
    await must(api.post(`/wishes/${w3}/review`, admin, { decision: 'publish' }), 'publish');
    freezeClock('2027-03-01T00:00:00.000Z');
    await must(api.post('/_local/jobs/escalate-wishes', undefined, {}), 'escalate');
    await measure('POST /wishes/{wishId}/take-on', () => api.post(`/wishes/${w3}/take-on`, leader));

    await measure('GET /stats/monthly', () =>
      api.get(`/stats/monthly?scope=district&id=jinjiang&month=2027-03`, district),
    );
    await measure('GET /stats/monthly.csv', () =>
      api.get(`/stats/monthly.csv?scope=district&id=jinjiang&month=2027-03`, district),
    );
    await measure('GET /stats/public', () => api.get('/stats/public'));

    await must(api.post('/_local/jobs/rollup', undefined, { month: '2027-02' }), 'rollup');
    await measure('GET /city/stats/monthly', () => api.get('/city/stats/monthly?month=2027-02', city));
    await measure('GET /city/stats/monthly.csv', () => api.get('/city/stats/monthly.csv?month=2027-02', city));
    await measure('GET /city/openapi.json', () => api.get('/city/openapi.json'));
    await measure('PUT /city/themes/{month}', () =>
      api.put('/city/themes/2027-05', city, { title: '绿色家园', description: '垃圾分类', kickoffDate: '2027-05-08' }),
    );
    await measure('GET /city/themes', () => api.get('/city/themes?year=2027', city));

    // Featured projects: a call open on 2027-03-01, a team of three core members, one reviewer.
    const third = await mintToken({ role: 'member', memberId: 'r-third' });
    await must(api.post('/members', third, { name: '刘洋', phone: '13912345672' }), 'member');
    await must(api.post(`/teams/${teamId}/join`, third), 'join');
    await must(api.post(`/teams/${teamId}/members/r-third/approve`, leader), 'approve');
    const rev = await mintToken({ role: 'member', memberId: 'r-rev' });
    await must(api.post('/members', rev, { name: '赵教授', phone: '13912345673' }), 'reviewer');
    const rubric = { criterionId: 'overall', name: '综合', weight: 100, max: 10 };
    const callId = (
      await measure('POST /featured-calls', () =>
        api.post('/featured-calls', district, {
          year: 2027,
          title: '2027年度特色项目',
          categories: ['health'],
          opensOn: '2027-02-01',
          closesOn: '2027-03-15',
          evidenceFrom: '2026-04',
          evidenceTo: '2027-03',
          criteria: [rubric],
          stages: [{ stageId: 'roadshow', name: '路演', weight: 100 }],
          tiers: [{ tierId: 'first', name: '一等奖', count: 1, amount: 50000 }],
          budget: 50000,
          eligibility: { minTeamHours: 0, minYearsRunning: 0, oneEntryPerTeam: true, barredYearsAfterTopAward: 2 },
          awardConditions: { keepRunningMonths: 12, reportWithinMonths: 6 },
          minReviewers: 1,
        }),
      )
    ).body.callId as string;
    await measure('GET /featured-calls/{callId}', () => api.get(`/featured-calls/${callId}`, me));
    const project = {
      category: 'health',
      title: '小牛哥·先锋骑手',
      plan: '探访独居老人',
      budget: [{ item: '物资', amount: 8000 }],
      startedOn: '2023-05-01',
      coreMemberIds: ['r-lead', 'r-me', 'r-third'],
    };
    const submissionId = (
      await measure('POST /featured-calls/{callId}/submissions', () =>
        api.post(`/featured-calls/${callId}/submissions`, leader, project),
      )
    ).body.submissionId as string;
    const fsub = `/featured-calls/${callId}/submissions/${submissionId}`;
    await measure('PUT /featured-calls/{callId}/submissions/{submissionId}', () =>
      api.put(fsub, leader, { ...project, plan: '每周探访独居老人' }),
    );
    await measure('GET /featured-calls/{callId}/submissions', () =>
      api.get(`/featured-calls/${callId}/submissions`, district),
    );
    await measure('GET /featured-calls/{callId}/submissions/{submissionId}', () => api.get(fsub, leader));
    await measure('POST /featured-calls/{callId}/submissions/{submissionId}/reviewers', () =>
      api.post(`${fsub}/reviewers`, district, { reviewerId: 'r-rev' }),
    );
    freezeClock('2027-03-22T02:00:00.000Z'); // a Monday after the close
    await measure('POST /featured-calls/{callId}/submissions/{submissionId}/scores', () =>
      api.post(`${fsub}/scores`, rev, { scores: [{ stageId: 'roadshow', criterionId: 'overall', score: 9 }] }),
    );
    await measure('POST /featured-calls/{callId}/results', () =>
      api.post(`/featured-calls/${callId}/results`, district),
    );
    await measure('GET /featured-calls/{callId}/notice', () => api.get(`/featured-calls/${callId}/notice`));
    freezeClock('2027-04-05T02:00:00.000Z');
    await measure('POST /featured-calls/{callId}/awards', () =>
      api.post(`/featured-calls/${callId}/awards`, district, { awards: [{ submissionId, tierId: 'first' }] }),
    );
    await measure('GET /members/me/awards', () => api.get('/members/me/awards', me));
    await measure('GET /teams/{teamId}/awards', () => api.get(`/teams/${teamId}/awards`, me));
    await measure('GET /city/featured-projects', () => api.get('/city/featured-projects?year=2027', city));
    await measure('GET /featured-calls', () => api.get('/featured-calls?year=2027', me));
    await measure('GET /members/me/review-assignments', () => api.get('/members/me/review-assignments', rev));
    await measure('GET /featured-calls/{callId}/award-report', () =>
      api.get(`/featured-calls/${callId}/award-report`, district),
    );

    // Exemplary nominations (a Monday): notice for 5 working days, an objection, the decision after it.
    const nomination = (
      await measure('POST /nominations', () =>
        api.post('/nominations', admin, { memberId: 'r-me', title: '2027年度优秀党员志愿者', reason: '常年参与义诊' }),
      )
    ).body.nominationId as string;
    await measure('GET /nominations', () => api.get('/nominations?status=under-review', district));
    await measure('POST /nominations/{nominationId}/notice', () =>
      api.post(`/nominations/${nomination}/notice`, district),
    );
    await measure('GET /nomination-notices', () => api.get('/nomination-notices'));
    await measure('POST /nominations/{nominationId}/objections', () =>
      api.post(`/nominations/${nomination}/objections`, leader, { text: '请核实服务时长' }),
    );
    await measure('GET /nominations/{nominationId}', () => api.get(`/nominations/${nomination}`, district));
    freezeClock('2027-04-13T02:00:00.000Z'); // the day after the notice's last day (5 working days after 5 April)
    await measure('POST /nominations/{nominationId}/decision', () =>
      api.post(`/nominations/${nomination}/decision`, district, { approve: true, note: '异议已核实' }),
    );
    await measure('POST /reserve-cadres', () =>
      api.post('/reserve-cadres', district, { nominationId: nomination, basis: '先进典型' }),
    );
    await measure('GET /reserve-cadres', () => api.get(`/reserve-cadres?streetId=${streetId}`, district));
    await measure('POST /reserve-cadres/{memberId}/exit', () =>
      api.post('/reserve-cadres/r-me/exit', district, { reason: '调任' }),
    );
  } finally {
    resetClock();
  }
  const all = [...ROUTES, ...CITY_ROUTES].map(routeKey);
  const missing = all.filter((k) => !rows.some((r) => r.route === k));
  if (missing.length > 0) throw new Error(`routes bench: not measured: ${missing.join(', ')}`);
  return all.map((k) => rows.find((r) => r.route === k)!);
}

export function routesTable(rows: readonly RouteFigure[]): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  return [
    '\n## Every route: cost of one request, and the least this design allows\n',
    '| route | status | DynamoDB round trips | least | capacity units | what the least is |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const least = LEAST[r.route];
      return `| ${r.route} | ${r.status} | ${fmt(r.calls)} | ${least?.n ?? '?'} | ${fmt(r.capacityUnits)} | ${least?.why ?? ''}${r.note ? ` (${r.note})` : ''} |`;
    }),
  ].join('\n');
}

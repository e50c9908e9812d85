import { afterAll, beforeAll, expect } from 'vitest';
import type { TokenClaims } from '../../infra/local/keys.ts';
import { client, tokenFor, uniq } from './client.ts';
import { recordedExchanges } from './exchanges.ts';
import { conformance } from './openapi.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './server.ts';
import type { LocalIdentity } from '../../infra/local/identity.ts';
import { enableMfa, signUpAndConfirm, userToken } from '../../infra/local/pool-client.ts';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';

/**
 * The end-to-end tests' one setup module. A file calls `useE2e()` once at its top: that starts the
 * local HTTP server on a fresh table before the file's own `beforeAll` and stops it after its last
 * `afterAll`. The fixtures below then build what a test needs over HTTP, through the real routes,
 * one call per thing, each checking its own status so a broken setup fails where it breaks:
 *
 *   const e2e = useE2e();
 *   const { api } = e2e;
 *   beforeAll(async () => {
 *     const place = await e2e.place();                                  // street, community, grid
 *     const member = await e2e.checkedInMember({ communityId: place.communityId });
 *     const team = await e2e.team({ communityId: place.communityId });  // with a new leader
 *   });
 *
 * Nothing here is shared between files: each file has its own server, table and ids.
 */

export { client, tokenFor, uniq, type Res } from './client.ts';

export type Client = ReturnType<typeof client>;

/** Tokens per role and scope, as the city's user pool would issue them (local keys). */
export const mint = {
  cityAdmin: (scope: Omit<TokenClaims, 'role'> = {}) => tokenFor({ role: 'city_admin', ...scope }),
  districtAdmin: (scope: Omit<TokenClaims, 'role'> = {}) => tokenFor({ role: 'district_admin', ...scope }),
  streetAdmin: (streetId: string) => tokenFor({ role: 'street_admin', streetId }),
  communityAdmin: (communityId: string) => tokenFor({ role: 'community_admin', communityId }),
  member: (memberId: string) => tokenFor({ role: 'member', memberId }),
  leader: (memberId: string, teamId?: string) => tokenFor({ role: 'team_leader', memberId, teamId }),
  resident: (sub = uniq('res')) => tokenFor({ role: 'resident', sub }),
  /**
   * The two callers every authorization matrix also tries (test/support/matrix.ts): a token that
   * expired a minute ago, and the admin of another district.
   */
  outsiders: async (expired: Omit<TokenClaims, 'ttlSeconds'> = { role: 'district_admin' }) => ({
    expired: await tokenFor({ ...expired, ttlSeconds: -60 }),
    otherDistrictAdmin: await tokenFor({ role: 'district_admin', district: 'pujiang' }),
  }),
};

/** A signed-up user and their current token. */
export interface User {
  sub: string;
  token: string;
}

/** A member with a profile, and their member token. */
export interface Member {
  memberId: string;
  token: string;
}

/** A place: a street, a community in it and a grid in that. */
export interface Place {
  streetId: string;
  communityId: string;
  gridId: string;
}

export interface TeamFixture {
  teamId: string;
  /** The leader: their profile's id and a team_leader token naming the team. */
  leader: Member;
}

export interface TeamOptions {
  name?: string;
  category?: string;
  /** Default: 'community' when communityId is given, 'street' when only streetId is, else 'district'. */
  scope?: 'community' | 'street' | 'district';
  communityId?: string;
  streetId?: string;
  /** An existing member to lead the team; default: a new member named 队长. */
  leader?: Member | { memberId: string };
  /** Other body fields of POST /teams (description ...). */
  extra?: Record<string, unknown>;
}

export class E2e {
  #server: TestServer | undefined;
  #admin: Promise<string> | undefined;
  /** The HTTP client for this file's server; usable from the top of the file, calls once started. */
  readonly api: Client = client(() => this.url);

  /** Starts the server on a fresh table (useE2e calls this in beforeAll). */
  async start(opts: TestServerOptions = {}): Promise<void> {
    this.#server = await startTestServer(opts);
  }

  async close(): Promise<void> {
    await this.#server?.close();
    this.#server = undefined;
  }

  #started(): TestServer {
    if (!this.#server) throw new Error('the e2e server is not running: use e2e.* inside beforeAll, tests or afterAll');
    return this.#server;
  }

  get url(): string {
    return this.#started().url;
  }

  get tableName(): string {
    return this.#started().tableName;
  }

  /** The local user pool and stream consumers (a file started with `useE2e({ identity: true })`). */
  get identity(): LocalIdentity {
    const i = this.#started().identity;
    if (!i) throw new Error('this file did not start the identity flow: useE2e({ identity: true })');
    return i;
  }

  /**
   * A new user signed up through the pool (pre sign-up, confirmation, post confirmation: a resident
   * of the local district) and their first token.
   */
  async signUp(opts: { email?: string; district?: string; mfa?: boolean } = {}): Promise<User> {
    const endpoint = this.identity.cognito.endpoint;
    const sub = await signUpAndConfirm(endpoint, {
      email: opts.email ?? `${uniq('u')}@example.com`.toLowerCase(),
      district: opts.district ?? LOCAL_DISTRICT_ID,
    });
    if (opts.mfa) await enableMfa(endpoint, sub);
    return { sub, token: await this.refresh(sub) };
  }

  /** The user's token after their pending role changes reached the pool (the stream drained): a token refresh. */
  async refresh(sub: string): Promise<string> {
    await this.identity.streams.settle();
    return userToken(this.identity.cognito.endpoint, sub);
  }

  /** The district admin token the fixtures create places and teams with. */
  districtAdmin(): Promise<string> {
    this.#admin ??= mint.districtAdmin();
    return this.#admin;
  }

  /** POST /streets; returns the street's id. */
  async street(name = '街道'): Promise<string> {
    const res = await this.api.post('/streets', await this.districtAdmin(), { name });
    expect(res.status, `POST /streets: ${res.text}`).toBe(201);
    return res.body.streetId;
  }

  /** POST /communities in a street; returns the community's id. */
  async community(streetId: string, name = '社区', extra: Record<string, unknown> = {}): Promise<string> {
    const res = await this.api.post('/communities', await this.districtAdmin(), { name, streetId, ...extra });
    expect(res.status, `POST /communities: ${res.text}`).toBe(201);
    return res.body.communityId;
  }

  /** POST /communities/{id}/grids; returns the grid's id. */
  async grid(communityId: string, name = '网格'): Promise<string> {
    const res = await this.api.post(`/communities/${communityId}/grids`, await this.districtAdmin(), { name });
    expect(res.status, `POST /communities/${communityId}/grids: ${res.text}`).toBe(201);
    return res.body.gridId;
  }

  /** A new street with a community in it and a grid in that. */
  async place(names: { street?: string; community?: string; grid?: string } = {}): Promise<Place> {
    const streetId = await this.street(names.street);
    const communityId = await this.community(streetId, names.community);
    const gridId = await this.grid(communityId, names.grid);
    return { streetId, communityId, gridId };
  }

  /** A new member with a profile (POST /members): name, a phone, and any other profile fields. */
  async member(name = '成员', profile: Record<string, unknown> = {}): Promise<Member> {
    const memberId = uniq('m');
    const token = await mint.member(memberId);
    const res = await this.api.post('/members', token, { name, phone: '13912345678', ...profile });
    expect(res.status, `POST /members: ${res.text}`).toBe(201);
    return { memberId, token };
  }

  /** POST /check-ins by a member (left pending); returns the check-in's id. */
  async checkIn(member: Member, communityId: string, gridId?: string): Promise<string> {
    const res = await this.api.post('/check-ins', member.token, { communityId, gridId });
    expect(res.status, `POST /check-ins: ${res.text}`).toBe(201);
    return res.body.checkInId;
  }

  /** POST /check-ins/{id}/approve, by the given admin (default the district admin). */
  async approve(checkInId: string, adminToken?: string): Promise<void> {
    const res = await this.api.post(`/check-ins/${checkInId}/approve`, adminToken ?? (await this.districtAdmin()));
    expect(res.status, `approve ${checkInId}: ${res.text}`).toBe(200);
  }

  /** A new member checked in to a community (and grid): profile, check-in request, approval. */
  async checkedInMember(opts: {
    communityId: string;
    gridId?: string;
    name?: string;
    profile?: Record<string, unknown>;
    /** Who approves; default the district admin. */
    approver?: string;
  }): Promise<Member & { checkInId: string }> {
    const member = await this.member(opts.name, opts.profile);
    const checkInId = await this.checkIn(member, opts.communityId, opts.gridId);
    await this.approve(checkInId, opts.approver);
    return { ...member, checkInId };
  }

  /** POST /teams by the district admin, led by a new member (or the one given). */
  async team(opts: TeamOptions = {}): Promise<TeamFixture> {
    const leader = opts.leader ?? (await this.member('队长'));
    const scope = opts.scope ?? (opts.communityId ? 'community' : opts.streetId ? 'street' : 'district');
    const res = await this.api.post('/teams', await this.districtAdmin(), {
      name: opts.name ?? '服务队',
      category: opts.category ?? 'health',
      scope,
      communityId: opts.communityId,
      streetId: opts.streetId,
      leaderMemberId: leader.memberId,
      ...opts.extra,
    });
    expect(res.status, `POST /teams: ${res.text}`).toBe(201);
    const teamId: string = res.body.teamId;
    return { teamId, leader: { memberId: leader.memberId, token: await mint.leader(leader.memberId, teamId) } };
  }

  /** A new member (or the one given) who asked to join a team: the request is left pending. */
  async joinRequest(teamId: string, member?: Member): Promise<Member> {
    const who = member ?? (await this.member());
    const res = await this.api.post(`/teams/${teamId}/join`, who.token);
    expect(res.status, `POST /teams/${teamId}/join: ${res.text}`).toBe(201);
    return who;
  }

  /** Runs a scheduled job now, as `npm run job` does against a running platform. */
  runJob(name: string, args: Record<string, string> = {}) {
    return this.api.post(`/_local/jobs/${name}`, undefined, args);
  }
}

/**
 * One server and table for this test file: started before the file's own beforeAll hooks, stopped
 * after its afterAll hooks. Call it once, at the top of the file.
 */
export function useE2e(opts: TestServerOptions = {}): E2e {
  const e2e = new E2e();
  beforeAll(() => e2e.start(opts));
  afterAll(() => e2e.close());
  // After the file's own afterAll hooks (they run last registered first): every response this file
  // saw, against the OpenAPI document (test/support/openapi.ts).
  afterAll(() => {
    const result = conformance(recordedExchanges());
    if (process.env.PIONEER_CONFORMANCE_DEBUG)
      process.stderr.write(
        `${JSON.stringify({ checked: result.checked, outside: result.outside, refused: result.refusedButDocumented })}\n`,
      );
    expect(result.failures, 'responses or accepted requests that disagree with the OpenAPI document').toEqual([]);
  });
  return e2e;
}

import { nowIso, nowMs } from '../domain/clock.ts';
import { DomainError, forbidden } from '../domain/errors.ts';
import { administers, hasRole, type Caller } from '../domain/policy.ts';
import { leadsTeam } from '../domain/team.ts';
import {
  extendedExpiry,
  REMINDER_DAYS,
  regrantChanges,
  reminderWindow,
  type Grant,
  type Qualification,
} from '../domain/training.ts';
import { putNotice } from '../db/outbox.ts';
import { getCommunity } from '../db/places.ts';
import { getTeam, listTeamMembers } from '../db/teams.ts';
import { committing } from '../db/idempotency.ts';
import * as store from '../db/training.ts';

/**
 * Qualifications: an admin's grant (a re-grant only extends), a member's own grants and training
 * record, and what expires within N days for a member, a team or a community.
 */

const DAY_MS = 24 * 3600 * 1000;

/**
 * Grants `qualification` to a member (admins of the community the member is checked in to, or
 * above). A re-grant only ever extends: an earlier or equal expiry leaves the grant as it is.
 */
export async function grantQualification(
  caller: Caller,
  memberId: string,
  input: { qualification: Qualification; validUntil?: string },
): Promise<Grant> {
  const validUntil = input.validUntil ? new Date(input.validUntil).toISOString() : undefined;
  if (validUntil && !(Date.parse(validUntil) > nowMs()))
    throw new DomainError('VALIDATION_FAILED', 'see errors for each field', {
      errors: [{ field: 'body.validUntil', message: 'must be in the future' }],
    });
  for (let n = 0; ; n++) {
    const { profile, grants } = await store.profileAndGrants(memberId);
    if (!profile) throw new DomainError('UNKNOWN_MEMBER', `no member ${memberId}`);
    const place = profile.communityId
      ? { streetId: profile.streetId ?? '', communityId: profile.communityId }
      : undefined;
    if (!(place ? administers(caller, place) : hasRole(caller, 'district_admin', 'city_admin')))
      throw forbidden("only admins of the member's community (or above) grant qualifications");
    const held = grants.find((g) => g.qualification === input.qualification);
    const heldExpiry = held ? (held.validUntil ?? null) : undefined;
    if (held && !regrantChanges(heldExpiry, validUntil)) return held;
    const until = extendedExpiry(heldExpiry, validUntil);
    const g: Grant = {
      memberId,
      qualification: input.qualification,
      grantedAt: nowIso(),
      ...(until ? { validUntil: until } : {}),
      source: 'admin',
      grantedBy: caller.memberId,
      ...(profile.communityId ? { communityId: profile.communityId } : {}),
    };
    const done = await committing(g, () => store.putGrant(g, held));
    if (done) return g;
    if (n >= 5) throw new DomainError('CONCURRENT_UPDATE', 'the grant kept changing: try again');
  }
}

/** My grants, my training entries (the training part of my record) and my training hours. */
export async function myQualifications(caller: Caller) {
  const [grants, training] = await Promise.all([store.grantsOf(caller.memberId), store.trainingOf(caller.memberId)]);
  return { memberId: caller.memberId, grants, training: training.entries, trainingHours: training.hours };
}

/**
 * Grants that expire within `days` days from now: a member's (the member, or district admins),
 * a team's members' (its leader, or district admins), a community's (its admins and above).
 */
export async function expiring(
  caller: Caller,
  q: { days: number; memberId?: string; teamId?: string; communityId?: string },
): Promise<{ from: string; to: string; items: Grant[] }> {
  const from = nowIso();
  const to = new Date(nowMs() + q.days * DAY_MS).toISOString();
  const within = (g: Grant) => g.validUntil !== undefined && g.validUntil > from && g.validUntil <= to;
  const sorted = (gs: Grant[]) =>
    gs.filter(within).sort((a, b) => (a.validUntil! < b.validUntil! ? -1 : a.validUntil! > b.validUntil! ? 1 : 0));
  if (q.memberId !== undefined) {
    const self = hasRole(caller, 'member', 'team_leader') && caller.memberId === q.memberId;
    if (!self && !hasRole(caller, 'district_admin', 'city_admin'))
      throw forbidden("a member's own expiries: the member, or district admins");
    return { from, to, items: sorted(await store.grantsOf(q.memberId)) };
  }
  if (q.teamId !== undefined) {
    const team = await getTeam(q.teamId);
    const allowed = hasRole(caller, 'district_admin', 'city_admin') || (team !== undefined && leadsTeam(caller, team));
    if (!allowed) throw forbidden("a team's expiries: its leader, or district admins");
    if (!team) return { from, to, items: [] };
    const members: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listTeamMembers(q.teamId, 'active', 100, cursor);
      members.push(...page.items.map((m) => m.memberId));
      cursor = page.nextCursor;
    } while (cursor);
    return { from, to, items: sorted(await store.grantsOfMembers(members)) };
  }
  const communityId = q.communityId!;
  const community = await getCommunity(communityId);
  if (!(community ? administers(caller, community) : hasRole(caller, 'district_admin', 'city_admin')))
    throw forbidden("a community's expiries: its admins and above");
  return { from, to, items: sorted(await store.expiringGrants(communityId, from, to)) };
}

/**
 * The daily reminder job: every grant expiring within 30 days (one Query of the district's grants
 * by expiry) gets a notice in the outbox for the window it is in now (30, 7 or 1 day before), at
 * most once per grant, expiry and window: the notice's dedupe key names them, and it is put only if
 * absent. A grant extended meanwhile has a new expiry, and is reminded again as that one nears.
 */
export async function runExpiryReminders(): Promise<{ expiring: number; reminded: number; remindedBefore: number }> {
  const now = nowMs();
  const from = new Date(now).toISOString();
  const to = new Date(now + REMINDER_DAYS[0] * DAY_MS).toISOString();
  const grants = await store.expiringGrants(undefined, from, to);
  let reminded = 0;
  let remindedBefore = 0;
  for (const g of grants) {
    const window = reminderWindow(g.validUntil!, now);
    if (window === undefined) continue;
    const fresh = await putNotice({
      dedupeKey: `qualification-expiring.${g.memberId}.${g.qualification}.${g.validUntil}.${window}d`,
      noticeType: 'QualificationExpiring',
      recipient: `member#${g.memberId}`,
      payload: { qualification: g.qualification, validUntil: g.validUntil!, window },
      createdAt: from,
    });
    if (fresh) reminded++;
    else remindedBefore++;
  }
  return { expiring: grants.length, reminded, remindedBefore };
}

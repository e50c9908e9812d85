import type { Activity } from '../domain/activity.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import type { Caller } from '../domain/policy.ts';
import { leadsTeam, type Team } from '../domain/team.ts';
import * as store from '../db/activities.ts';
import { getTeam } from '../db/teams.ts';

/**
 * What the activities' use cases and the attendance use cases share (shared/services/activities.ts
 * and attendance.ts, two functions): who leads an activity's team, reading an activity, retrying a
 * step that lost a race.
 */

/** The caller acts as the leader of `teamId`: the token names that team and the team names them as leader. */
export async function assertLeads(caller: Caller, teamId: string, what: string, read?: Team): Promise<Team> {
  if (!caller.roles.has('team_leader') || caller.teamId !== teamId)
    throw forbidden(`only the leader of this activity's team can ${what}`);
  const team = read ?? (await getTeam(teamId));
  if (!team || !leadsTeam(caller, team)) throw forbidden(`only the leader of this activity's team can ${what}`);
  return team;
}

/** The activity and the caller's own team, read together (one round trip) for a leader's action. */
export async function activityForLeader(caller: Caller, activityId: string, what: string) {
  const { state, team } = await store.activityAndTeam(activityId, caller.teamId);
  if (!state) throw notFound('activity');
  await assertLeads(caller, state.activity.teamId, what, team);
  return state;
}

export async function mustGet(activityId: string, consistent = false): Promise<Activity> {
  const a = await store.getActivity(activityId, consistent);
  if (!a) throw notFound('activity');
  return a;
}

/** Retries a step that lost a race (CONCURRENT_UPDATE) with a short random backoff. */
export async function retrying<T>(attempt: (n: number) => Promise<T>, attempts = 40): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'CONCURRENT_UPDATE' || n >= attempts - 1) throw err;
      await new Promise((r) => setTimeout(r, Math.min(5 + n * 5, 50) * Math.random()));
    }
  }
}

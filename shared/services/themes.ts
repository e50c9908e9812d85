import type { Activity } from '../domain/activity.ts';
import type { Category } from '../domain/categories.ts';
import type { CityThemePlanned } from '../domain/city.ts';
import { nowIso } from '../domain/clock.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import type { Caller } from '../domain/policy.ts';
import type { Team } from '../domain/team.ts';
import {
  SERVICE_DAY_CAPACITY,
  applyingTheme,
  assertKickoffInMonth,
  isKickoffDay,
  serviceDayActivityId,
  serviceDayWindow,
  sourceOf,
  uniqueIds,
  yearPlan,
  type Theme,
  type ThemeInput,
} from '../domain/theme.ts';
import { dayOf, isRealDay, monthOf } from '../domain/time.ts';
import * as places from '../db/places.ts';
import * as teams from '../db/teams.ts';
import * as themes from '../db/themes.ts';

/**
 * Use cases of the monthly themes: the year plan (city plan, district overrides) and the
 * kickoff job that makes a month's theme current on its kickoff date, creates each team's
 * service-day activity and records the planned flag grants. The kickoff is idempotent.
 */

export type ThemeWithApplies = Theme & { applies: boolean };

export async function setTheme(caller: Caller, month: string, input: ThemeInput): Promise<ThemeWithApplies> {
  const source = sourceOf(caller.roles);
  if (!source) throw forbidden('only city and district admins set themes');
  assertKickoffInMonth(month, input.kickoffDate);
  const expectedTeamIds = uniqueIds(input.expectedTeamIds);
  const plannedFlagGrants = uniqueIds(input.plannedFlagGrants);
  const [found, existing] = await Promise.all([
    teams.getTeams([...expectedTeamIds, ...plannedFlagGrants]),
    themes.themesOfMonth(month, true),
  ]);
  const unknown = [
    ...input.expectedTeamIds.flatMap((id, i) =>
      found.has(id) ? [] : [{ field: `body.expectedTeamIds.${i}`, message: `no team ${id}` }],
    ),
    ...input.plannedFlagGrants.flatMap((id, i) =>
      found.has(id) ? [] : [{ field: `body.plannedFlagGrants.${i}`, message: `no team ${id}` }],
    ),
  ];
  if (unknown.length > 0)
    throw new DomainError('UNKNOWN_TEAM', 'some teams named do not exist in this district', { errors: unknown });
  if (existing.some((t) => t.status === 'kicked-off'))
    throw new DomainError(
      'THEME_ALREADY_KICKED_OFF',
      `the theme of ${month} has been kicked off: it can no longer be changed`,
    );
  const before = existing.find((t) => t.source === source);
  const at = nowIso();
  const theme: Theme = {
    month,
    source,
    title: input.title,
    description: input.description,
    kickoffDate: input.kickoffDate,
    suggestedCategories: uniqueIds(input.suggestedCategories) as Category[],
    expectedTeamIds,
    plannedFlagGrants,
    status: 'planned',
    setBy: caller.sub,
    createdAt: before?.createdAt ?? at,
    updatedAt: at,
  };
  await themes.putTheme(theme);
  const applies = source === 'district' || !existing.some((t) => t.source === 'district');
  return { ...theme, applies };
}

export async function getYearPlan(
  year: number | undefined,
): Promise<{ year: number; months: { month: string; theme: Theme | null }[] }> {
  const y = year ?? Number(monthOf(nowIso()).slice(0, 4));
  return { year: y, months: yearPlan(y, await themes.themesOfYear(y)) };
}

export async function getCurrentTheme(): Promise<Theme> {
  const theme = applyingTheme(await themes.themesOfMonth(monthOf(nowIso())));
  if (!theme) throw notFound('theme of this month');
  return theme;
}

// ---------- the city plan, from the city ----------

/**
 * A month of the city's plan, as the city sends it (CityThemePlanned on the city bus, delivered
 * by a rule of this district's stack): stored as this district's `city` theme, exactly as the city
 * set it (the district's own theme, if any, still overrides it). Idempotent: the same event twice
 * or an older one late changes nothing; a month whose kickoff ran keeps its theme.
 */
export async function receiveCityTheme(
  plan: CityThemePlanned,
): Promise<{ month: string; updatedAt: string; outcome: 'stored' | 'unchanged' | 'locked' }> {
  const theme: Theme = {
    month: plan.month,
    source: 'city',
    title: plan.title,
    description: plan.description,
    kickoffDate: plan.kickoffDate,
    suggestedCategories: plan.suggestedCategories,
    expectedTeamIds: plan.expectedTeamIds,
    plannedFlagGrants: plan.plannedFlagGrants,
    status: 'planned',
    setBy: plan.setBy,
    createdAt: plan.createdAt,
    updatedAt: plan.updatedAt,
  };
  assertKickoffInMonth(theme.month, theme.kickoffDate);
  return { month: plan.month, updatedAt: plan.updatedAt, outcome: await themes.putCityPlanTheme(theme) };
}

// ---------- the kickoff job ----------

export interface KickoffResult {
  readonly [k: string]: unknown;
  readonly date: string;
  readonly themeMonth: string;
  /** True when `date` is the kickoff date of the month's applying theme. */
  readonly kickedOff: boolean;
  /** Why nothing was kicked off (no theme for the month, or its kickoff is another day). */
  readonly reason?: string;
  readonly source?: Theme['source'];
  readonly created: number;
  readonly existing: number;
  readonly skipped: number;
  /** The first skipped teams, with why (no place, not found, inactive). */
  readonly skippedTeams: readonly { teamId: string; reason: string }[];
  readonly flagsGranted: number;
  readonly flagsAlreadyGranted: number;
}

const MAX_REPORTED = 50;
const CONCURRENCY = 8;

/**
 * The `kickoff` job (schedule: daily 00:05 Asia/Shanghai). On the kickoff date of the month's
 * applying theme: marks it kicked off, creates one service-day activity per expected team (or
 * per active team when none is listed) under a deterministic id, and records the planned flag
 * grants. Every write is conditional, so running it again, the same day or the next, adds nothing.
 */
export async function runKickoff(args: { date?: unknown }): Promise<KickoffResult> {
  if (args.date !== undefined && (typeof args.date !== 'string' || !isRealDay(args.date)))
    throw new DomainError('VALIDATION_FAILED', `date must be YYYY-MM-DD, got ${String(args.date)}`);
  const date = (args.date as string | undefined) ?? dayOf(nowIso());
  const themeMonth = date.slice(0, 7);
  const result = {
    date,
    themeMonth,
    kickedOff: false,
    created: 0,
    existing: 0,
    skipped: 0,
    flagsGranted: 0,
    flagsAlreadyGranted: 0,
  };
  const skippedTeams: { teamId: string; reason: string }[] = [];
  const skip = (teamId: string, reason: string) => {
    result.skipped++;
    if (skippedTeams.length < MAX_REPORTED) skippedTeams.push({ teamId, reason });
  };

  const theme = await kickOff(themeMonth, date);
  // Nothing to kick off today: say why (no theme, or another kickoff date).
  if (typeof theme === 'string') return { ...result, reason: theme, skippedTeams };

  const placeOf = placeResolver();
  const serve = async (team: Team) => {
    if (team.status !== 'active') return skip(team.teamId, 'inactive');
    const place = await placeOf(team);
    if (!place) return skip(team.teamId, 'the team has no community or street to serve in');
    const wrote = await themes.putServiceDayActivity(serviceDayActivity(theme, team, place, date));
    if (wrote) result.created++;
    else result.existing++;
  };
  if (theme.expectedTeamIds.length > 0) {
    const found = await teams.getTeams(theme.expectedTeamIds);
    const listed = theme.expectedTeamIds.flatMap((id) => {
      const t = found.get(id);
      if (!t) skip(id, 'no such team');
      return t ? [t] : [];
    });
    await inBatches(listed, serve);
  } else {
    let cursor: string | undefined;
    do {
      const page = await teams.listActiveTeams(100, cursor);
      await inBatches(page.items, serve);
      cursor = page.nextCursor;
    } while (cursor);
  }

  for (const teamId of theme.plannedFlagGrants) {
    const r = await teams.grantFlag(teamId, { date, kickoffMonth: themeMonth });
    if (r.outcome === 'granted') result.flagsGranted++;
    else if (r.outcome === 'already') result.flagsAlreadyGranted++;
    else skip(teamId, 'flag grant: no such team');
  }
  return { ...result, kickedOff: true, source: theme.source, skippedTeams };
}

/** The month's applying theme, marked kicked off, when `date` is its kickoff date; else undefined. */
async function kickOff(month: string, date: string): Promise<Theme | string> {
  for (let attempt = 1; ; attempt++) {
    const theme = applyingTheme(await themes.themesOfMonth(month, true));
    if (!theme) return `no theme is set for ${month}`;
    if (!isKickoffDay(theme, date)) return `the kickoff date of ${month}'s theme is ${theme.kickoffDate}, not ${date}`;
    try {
      await themes.markKickedOff(theme, nowIso());
      return theme;
    } catch (err) {
      // The month's themes changed between the read and the mark: read them again.
      if (!(err instanceof DomainError && err.code === 'CONCURRENT_UPDATE') || attempt >= 5) throw err;
    }
  }
}

interface ServicePlace {
  streetId: string;
  communityId: string;
  address?: string;
}

/** Where a team serves on the service day: its community, else the first community of its street. Cached per run. */
function placeResolver(): (team: Team) => Promise<ServicePlace | undefined> {
  const byCommunity = new Map<string, Promise<ServicePlace | undefined>>();
  const byStreet = new Map<string, Promise<ServicePlace | undefined>>();
  const ofCommunity = (c: { communityId: string; streetId: string; address?: string }): ServicePlace => ({
    streetId: c.streetId,
    communityId: c.communityId,
    ...(c.address ? { address: c.address } : {}),
  });
  return (team) => {
    if (team.communityId) {
      const id = team.communityId;
      if (!byCommunity.has(id))
        byCommunity.set(
          id,
          places.getCommunity(id).then((c) => c && ofCommunity(c)),
        );
      return byCommunity.get(id)!;
    }
    if (team.streetId) {
      const id = team.streetId;
      if (!byStreet.has(id))
        byStreet.set(
          id,
          places.listCommunities(id, 1, undefined).then((p) => (p.items[0] ? ofCommunity(p.items[0]) : undefined)),
        );
      return byStreet.get(id)!;
    }
    return Promise.resolve(undefined);
  };
}

export function serviceDayActivity(theme: Theme, team: Team, place: ServicePlace, date: string): Activity {
  const { startsAt, endsAt } = serviceDayWindow(date);
  return {
    activityId: serviceDayActivityId(theme.month, team.teamId),
    teamId: team.teamId,
    teamName: team.name,
    leaderMemberId: team.leaderMemberId,
    leaderName: team.leaderName,
    title: `集中服务日：${theme.title}`,
    content: theme.description,
    category: team.category,
    streetId: place.streetId,
    communityId: place.communityId,
    ...(place.address ? { address: place.address } : {}),
    startsAt,
    endsAt,
    capacity: SERVICE_DAY_CAPACITY,
    themeMonth: theme.month,
    kind: 'service-day',
    status: 'open',
    confirmedCount: 0,
    waitlistedCount: 0,
    createdAt: nowIso(),
  };
}

async function inBatches<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CONCURRENCY) await Promise.all(items.slice(i, i + CONCURRENCY).map(run));
}

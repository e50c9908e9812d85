import type { Activity } from '../domain/activity.ts';
import { DomainError } from '../domain/errors.ts';
import type { Theme, ThemeSource } from '../domain/theme.ts';
import { tableName } from './client.ts';
import { activityItem } from './activities.ts';
import { themeKey, themesQuery } from './keys.ts';
import { fromItem, queryPage, transact, type Item } from './table.ts';
import { putIfAbsent } from './writes.ts';

/**
 * Monthly themes: a year's plan is one small partition (at most 24 items: a city and a
 * district theme per month), so the year plan and a month's themes are one Query each.
 *   theme  pk THEMES#<YYYY>   sk <YYYY-MM>#<source>        (source: city | district)
 *   year plan: Query pk THEMES#<YYYY>;  one month: Query pk THEMES#<YYYY>, begins_with <YYYY-MM>#
 * Re-setting a month is refused once either of its themes is kicked off (a condition on the
 * written item and a ConditionCheck on the other). The kickoff marks the applying theme
 * `kicked-off` in a transaction that also checks a city theme has not been overridden meanwhile.
 * The city plan arrives as CityThemePlanned events (putCityPlanTheme): stored as the `city`
 * theme, versioned by the city's updatedAt (a replay or an older event writes nothing).
 * Service-day activities are written with activityItem (shared/db/activities.ts) under a
 * deterministic id and `attribute_not_exists(pk)`, so a second kickoff writes nothing.
 * (Keys: shared/db/keys.ts.)
 */
const other = (source: ThemeSource): ThemeSource => (source === 'city' ? 'district' : 'city');

export function themeItem(t: Theme): Item {
  return { ...themeKey(t.month, t.source), type: 'theme', ...t };
}

const strip = (i: Item) => fromItem<Theme>(i);

/** The themes of one month (city and/or district). */
export async function themesOfMonth(month: string, consistent = false): Promise<Theme[]> {
  const p = await queryPage({ ...themesQuery(month.slice(0, 4), month), limit: 10, cursor: undefined, consistent });
  return p.items.map(strip);
}

/** Every theme of a year, in month order (at most 24 items: one page). */
export async function themesOfYear(year: number): Promise<Theme[]> {
  const p = await queryPage({ ...themesQuery(year), limit: 100, cursor: undefined });
  return p.items.map(strip);
}

/** Sets a month's theme of one source, unless a theme of that month has been kicked off. */
export async function putTheme(t: Theme): Promise<void> {
  const names = { '#status': 'status' };
  const values = { ':planned': 'planned' };
  await transact(
    [
      {
        Put: {
          TableName: tableName(),
          Item: themeItem(t),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :planned',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: themeKey(t.month, other(t.source)),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :planned',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ],
    () =>
      new DomainError(
        'THEME_ALREADY_KICKED_OFF',
        `the theme of ${t.month} has been kicked off: it can no longer be changed`,
      ),
  );
}

/**
 * Marks the applying theme kicked off (idempotent: a kicked-off theme stays so, with its first
 * kickedOffAt). Fails with CONCURRENT_UPDATE when the theme changed meanwhile (another kickoff
 * date) or, for a city theme, when a district theme appeared: the caller reads again.
 */
export async function markKickedOff(t: Theme, at: string): Promise<void> {
  const items: Parameters<typeof transact>[0] = [
    {
      Update: {
        TableName: tableName(),
        Key: themeKey(t.month, t.source),
        UpdateExpression: 'SET #status = :kicked, #at = if_not_exists(#at, :at)',
        ConditionExpression: 'attribute_exists(pk) AND #date = :date',
        ExpressionAttributeNames: { '#status': 'status', '#at': 'kickedOffAt', '#date': 'kickoffDate' },
        ExpressionAttributeValues: { ':kicked': 'kicked-off', ':at': at, ':date': t.kickoffDate },
      },
    },
  ];
  if (t.source === 'city')
    items.push({
      ConditionCheck: {
        TableName: tableName(),
        Key: themeKey(t.month, 'district'),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  await transact(items, () => new DomainError('CONCURRENT_UPDATE', `the themes of ${t.month} changed meanwhile`));
}

/**
 * Stores the city plan's theme of a month as it arrives from the city (CityThemePlanned), keyed
 * like any city-source theme. Its updatedAt (set by the city) is its version: written only when
 * no city theme is held or the held one is older and still planned, and while neither theme of
 * the month is kicked off; so the same event twice, or an older one late, writes nothing.
 * `unchanged`: the same or a newer version is held; `locked`: the month's kickoff ran.
 */
export async function putCityPlanTheme(t: Theme): Promise<'stored' | 'unchanged' | 'locked'> {
  if (t.source !== 'city') throw new Error('putCityPlanTheme stores city themes only');
  try {
    await transact(
      [
        {
          Put: {
            TableName: tableName(),
            Item: themeItem(t),
            ConditionExpression: 'attribute_not_exists(pk) OR (#status = :planned AND #updatedAt < :updatedAt)',
            ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt' },
            ExpressionAttributeValues: { ':planned': 'planned', ':updatedAt': t.updatedAt },
          },
        },
        {
          ConditionCheck: {
            TableName: tableName(),
            Key: themeKey(t.month, 'district'),
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :planned',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':planned': 'planned' },
          },
        },
      ],
      () => new DomainError('CONCURRENT_UPDATE', 'not stored'),
    );
    return 'stored';
  } catch (err) {
    if (!(err instanceof DomainError) || err.detail !== 'not stored') throw err;
    const held = await themesOfMonth(t.month, true);
    return held.some((x) => x.status === 'kicked-off') ? 'locked' : 'unchanged';
  }
}

/** Writes a service-day activity unless it exists; true when written. */
export async function putServiceDayActivity(a: Activity): Promise<boolean> {
  return putIfAbsent(activityItem(a));
}

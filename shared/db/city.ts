import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cityTableName, needAtColdStart, TABLE_VARIABLES } from '../config/env.ts';
import type { CityDistrictMonth, CityThemePlanned } from '../domain/city.ts';
import { DomainError } from '../domain/errors.ts';
import { db } from './client.ts';
import {
  cityFeaturedKey,
  cityFeaturedQuery,
  cityMonthQuery,
  cityThemeKey,
  cityThemesQuery,
  districtMonthKey,
} from './keys.ts';
import { fromItem, type Item } from './items.ts';

/**
 * The city table (`pioneer-city`, CITY_TABLE in shared/config/city.ts; env CITY_TABLE_NAME), its
 * own table in the City stack, next to no district's data:
 *   district month  pk MONTH#<YYYY-MM>   sk DISTRICT#<districtId>   the latest MonthlyRollupFrozen by frozenAt
 *   city theme      pk THEMES#<YYYY>     sk <YYYY-MM>               the city's theme plan, version updatedAt
 * Access patterns: every district's month = one Query on pk MONTH#<YYYY-MM> (a page holds every
 * district: a city has tens); the year plan = one Query on pk THEMES#<YYYY> (12 items).
 * A district month is written with one conditional Put (`attribute_not_exists(pk) OR frozenAt <
 * :frozenAt`): a later snapshot replaces the earlier one, the same or an older one writes nothing,
 * so a month is never counted twice. A city theme is one UpdateItem whose condition keeps its
 * version (updatedAt) strictly increasing, so the districts can tell a newer plan from a replay.
 */
needAtColdStart(TABLE_VARIABLES.city);
export { cityTableName };

/** stored: first for that month; replaced: a newer snapshot; unchanged: the same one again; stale: an older one. */
export type StoreOutcome = 'stored' | 'replaced' | 'unchanged' | 'stale';

export async function putDistrictMonth(
  m: CityDistrictMonth,
): Promise<{ outcome: StoreOutcome; previousFrozenAt?: string }> {
  try {
    const out = await db().send(
      new PutCommand({
        TableName: cityTableName(),
        Item: { ...districtMonthKey(m.month, m.district), type: 'districtMonth', ...m },
        ConditionExpression: 'attribute_not_exists(pk) OR #f < :f',
        ExpressionAttributeNames: { '#f': 'frozenAt' },
        ExpressionAttributeValues: { ':f': m.frozenAt },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    const before = out.Attributes?.frozenAt as string | undefined;
    return before === undefined ? { outcome: 'stored' } : { outcome: 'replaced', previousFrozenAt: before };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const kept = (err.Item as { frozenAt?: { S?: string } } | undefined)?.frozenAt?.S;
    return { outcome: kept === m.frozenAt ? 'unchanged' : 'stale', ...(kept ? { previousFrozenAt: kept } : {}) };
  }
}

async function queryAll(pk: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: cityTableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

const strip = <T>(i: Item) => fromItem<T>(i);

/** Every district's month the city holds, by district id. */
export async function districtMonths(month: string): Promise<CityDistrictMonth[]> {
  return (await queryAll(cityMonthQuery(month).partition)).map((i) => strip<CityDistrictMonth>(i));
}

/**
 * Sets a month of the city plan: createdAt kept from the first time, updatedAt = `at`, which must
 * be later than the stored one (two changes in the same millisecond: 409, try again).
 */
export async function putCityTheme(
  t: Omit<CityThemePlanned, 'createdAt' | 'updatedAt'>,
  at: string,
): Promise<CityThemePlanned> {
  const fields = {
    month: t.month,
    title: t.title,
    description: t.description,
    kickoffDate: t.kickoffDate,
    suggestedCategories: t.suggestedCategories,
    expectedTeamIds: t.expectedTeamIds,
    plannedFlagGrants: t.plannedFlagGrants,
    setBy: t.setBy,
    type: 'cityTheme',
    updatedAt: at,
  };
  const names: Record<string, string> = { '#createdAt': 'createdAt' };
  const values: Record<string, unknown> = { ':at': at };
  const sets = ['#createdAt = if_not_exists(#createdAt, :at)'];
  Object.entries(fields).forEach(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:f${i}`] = v;
    sets.push(`#f${i} = :f${i}`);
  });
  names['#u'] = 'updatedAt';
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: cityTableName(),
        Key: cityThemeKey(t.month),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_not_exists(#u) OR #u < :at',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<CityThemePlanned>(out.Attributes!);
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException)
      throw new DomainError(
        'CONCURRENT_UPDATE',
        `the city theme of ${t.month} was changed at the same time: send it again`,
      );
    throw err;
  }
}

/** The city plan of a year, in month order. */
export async function cityThemesOfYear(year: number): Promise<CityThemePlanned[]> {
  return (await queryAll(cityThemesQuery(year).partition)).map((i) => strip<CityThemePlanned>(i));
}

/** An awarded featured project as the city keeps it: the award, its district, call and year. */
export interface CityFeaturedAward {
  readonly [k: string]: unknown;
  readonly district: string;
  readonly callId: string;
  readonly year: number;
  readonly awardId: string;
  readonly awardedAt: string;
  readonly receivedAt: string;
}

/**
 * Stores a district's awarded projects (FeaturedProjectsAwarded): one item per award, keyed by
 * district and award id, so the same event again writes the same items (nothing is added twice).
 */
export async function putFeaturedAwards(awards: readonly CityFeaturedAward[]): Promise<void> {
  await Promise.all(
    awards.map((a) =>
      db().send(
        new PutCommand({
          TableName: cityTableName(),
          Item: { ...cityFeaturedKey(a.year, a.district, a.awardId), type: 'featuredAward', ...a },
        }),
      ),
    ),
  );
}

/** A year's awarded featured projects, every district's, by district then award. */
export async function featuredAwards(year: number): Promise<CityFeaturedAward[]> {
  return (await queryAll(cityFeaturedQuery(year).partition)).map((i) => strip<CityFeaturedAward>(i));
}

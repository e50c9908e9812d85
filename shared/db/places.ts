import { DomainError } from '../domain/errors.ts';
import type { Community, Grid, Street } from '../domain/types.ts';
import { nameClaimPut, nameTaken } from './names.ts';
import { fromItem, getItem, queryPage, transact, type Item } from './table.ts';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import {
  communitiesQuery,
  communityKey,
  communityKeys,
  gridKey,
  gridsQuery,
  streetKey,
  streetKeys,
  streetsQuery,
} from './keys.ts';

/**
 * Streets, communities and grids.
 *   street     pk STREET#<id>        sk STREET       gsi1 STREETS / <id>
 *   community  pk COMMUNITY#<id>     sk COMMUNITY    gsi1 COMMUNITIES / <streetId>#<id>
 *   grid       pk COMMUNITY#<cid>    sk GRID#<id>
 * A street's name is unique in the district and a community's in its street: each is written
 * with its name claim (shared/db/names.ts) in one transaction.
 * (keys: shared/db/keys.ts)
 */
export function streetItem(s: Street): Item {
  return { ...streetKeys(s), type: 'street', ...s };
}
export function communityItem(c: Community): Item {
  return { ...communityKeys(c), type: 'community', ...c };
}
export function gridItem(g: Grid): Item {
  return { ...gridKey(g.communityId, g.gridId), type: 'grid', ...g };
}

const strip = <T>(i: Item) => fromItem<T>(i);

/** A new street with its name claimed in the district (409 NAME_TAKEN when another has it). */
export async function createStreet(s: Street): Promise<void> {
  await transact(
    [
      { Put: { TableName: tableName(), Item: streetItem(s), ConditionExpression: 'attribute_not_exists(pk)' } },
      nameClaimPut('street', 'district', s.name, s.streetId),
    ],
    (failed) =>
      failed.includes(1)
        ? nameTaken('street', s.name)
        : new DomainError('CONCURRENT_UPDATE', 'that street already exists'),
  );
}

/** A new community with its name claimed in its street (409 NAME_TAKEN when another has it). */
export async function createCommunity(c: Community): Promise<void> {
  await transact(
    [
      { Put: { TableName: tableName(), Item: communityItem(c), ConditionExpression: 'attribute_not_exists(pk)' } },
      nameClaimPut('community', c.streetId, c.name, c.communityId),
    ],
    (failed) =>
      failed.includes(1)
        ? nameTaken('community', c.name)
        : new DomainError('CONCURRENT_UPDATE', 'that community already exists'),
  );
}

export async function getStreet(id: string): Promise<Street | undefined> {
  const k = streetKey(id);
  const i = await getItem(k.pk, k.sk);
  return i && strip<Street>(i);
}
export async function getCommunity(id: string): Promise<Community | undefined> {
  const k = communityKey(id);
  const i = await getItem(k.pk, k.sk);
  return i && strip<Community>(i);
}
export async function getGrid(communityId: string, gridId: string): Promise<Grid | undefined> {
  const k = gridKey(communityId, gridId);
  const i = await getItem(k.pk, k.sk);
  return i && strip<Grid>(i);
}

export async function listStreets(limit: number, cursor: string | undefined): Promise<Page<Street>> {
  const p = await queryPage({ ...streetsQuery(), limit, cursor });
  return { items: p.items.map(strip<Street>), nextCursor: p.nextCursor };
}
export async function listCommunities(
  streetId: string | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Community>> {
  const p = await queryPage({ ...communitiesQuery(streetId), limit, cursor });
  return { items: p.items.map(strip<Community>), nextCursor: p.nextCursor };
}
export async function listGrids(communityId: string, limit: number, cursor: string | undefined): Promise<Page<Grid>> {
  const p = await queryPage({ ...gridsQuery(communityId), limit, cursor });
  return { items: p.items.map(strip<Grid>), nextCursor: p.nextCursor };
}

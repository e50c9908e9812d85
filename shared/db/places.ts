import type { Community, Grid, Street } from '../domain/types.ts';
import { fromItem, getItem, queryPage, type Item } from './table.ts';
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

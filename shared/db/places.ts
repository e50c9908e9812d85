import type { Community, Grid, Street } from '../domain/types.ts';
import { getItem, queryPage, toItemWithoutKeys, type Item } from './table.ts';
import type { Page } from './cursor.ts';

/**
 * Streets, communities and grids.
 *   street     pk STREET#<id>        sk STREET       gsi1 STREETS / <id>
 *   community  pk COMMUNITY#<id>     sk COMMUNITY    gsi1 COMMUNITIES / <streetId>#<id>
 *   grid       pk COMMUNITY#<cid>    sk GRID#<id>
 */
export const streetKey = (id: string) => ({ pk: `STREET#${id}`, sk: 'STREET' });
export const communityKey = (id: string) => ({ pk: `COMMUNITY#${id}`, sk: 'COMMUNITY' });
export const gridKey = (communityId: string, gridId: string) => ({ pk: `COMMUNITY#${communityId}`, sk: `GRID#${gridId}` });

export function streetItem(s: Street): Item {
  return { ...streetKey(s.streetId), gsi1pk: 'STREETS', gsi1sk: s.streetId, type: 'street', ...s };
}
export function communityItem(c: Community): Item {
  return { ...communityKey(c.communityId), gsi1pk: 'COMMUNITIES', gsi1sk: `${c.streetId}#${c.communityId}`, type: 'community', ...c };
}
export function gridItem(g: Grid): Item {
  return { ...gridKey(g.communityId, g.gridId), type: 'grid', ...g };
}

const strip = <T>(i: Item) => {
  const { type, ...rest } = toItemWithoutKeys<Record<string, unknown>>(i);
  void type;
  return rest as T;
};

export async function getStreet(id: string): Promise<Street | undefined> {
  const i = await getItem(streetKey(id).pk, 'STREET');
  return i && strip<Street>(i);
}
export async function getCommunity(id: string): Promise<Community | undefined> {
  const i = await getItem(communityKey(id).pk, 'COMMUNITY');
  return i && strip<Community>(i);
}
export async function getGrid(communityId: string, gridId: string): Promise<Grid | undefined> {
  const k = gridKey(communityId, gridId);
  const i = await getItem(k.pk, k.sk);
  return i && strip<Grid>(i);
}

export async function listStreets(limit: number, cursor: string | undefined): Promise<Page<Street>> {
  const p = await queryPage({ index: 'gsi1', partition: 'STREETS', limit, cursor });
  return { items: p.items.map(strip<Street>), nextCursor: p.nextCursor };
}
export async function listCommunities(streetId: string | undefined, limit: number, cursor: string | undefined): Promise<Page<Community>> {
  const p = await queryPage({
    index: 'gsi1',
    partition: 'COMMUNITIES',
    beginsWith: streetId ? `${streetId}#` : undefined,
    limit,
    cursor,
  });
  return { items: p.items.map(strip<Community>), nextCursor: p.nextCursor };
}
export async function listGrids(communityId: string, limit: number, cursor: string | undefined): Promise<Page<Grid>> {
  const p = await queryPage({ partition: `COMMUNITY#${communityId}`, beginsWith: 'GRID#', limit, cursor });
  return { items: p.items.map(strip<Grid>), nextCursor: p.nextCursor };
}

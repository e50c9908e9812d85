/** Roles, as carried in the token's `cognito:groups` claim. Order is not a hierarchy. */
export const ROLES = [
  'resident',
  'member',
  'team_leader',
  'community_admin',
  'street_admin',
  'district_admin',
  'city_admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ADMIN_ROLES = [
  'community_admin',
  'street_admin',
  'district_admin',
  'city_admin',
] as const satisfies readonly Role[];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

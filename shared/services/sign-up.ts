import { knownDistricts } from '../events/district-directory.ts';
import { SIGN_UP_ATTRIBUTE as SIGN_UP_DISTRICT_ATTRIBUTE } from '../config/identity.ts';
import { tokenGroups } from '../domain/identity.ts';
import type { Pool } from '../identity/cognito.ts';

/**
 * The city user pool's triggers (functions/cognito-triggers, in the City stack): what a sign-up
 * must name, what confirming it grants, what a token may carry. No table: the district records
 * the new resident when ResidentSignedUp reaches it (shared/services/identity.ts).
 */

// ---------- the districts this deployment knows ----------

/**
 * Whether `id` is a district this deployment serves: one of the city's directory, which each
 * district's stack writes (shared/events/district-directory.ts, read at run time and kept a
 * minute), never a list compiled into the bundle: a district deployed later takes sign-ups
 * without redeploying the city.
 */
export async function knownDistrict(id: string): Promise<boolean> {
  return (await knownDistricts()).some((d) => d.id === id);
}

/** Pre sign-up: the chosen district must be one this deployment serves. */
export async function checkSignUp(attributes: Readonly<Record<string, string | undefined>>): Promise<void> {
  const d = attributes[SIGN_UP_DISTRICT_ATTRIBUTE];
  if (!d) throw new Error(`choose your district (${SIGN_UP_DISTRICT_ATTRIBUTE})`);
  if (!(await knownDistrict(d))) throw new Error(`unknown district "${d.slice(0, 32)}"`);
}

/**
 * Post confirmation: the new user is a resident of the district they chose (group and
 * custom:district, at once: their first token carries them). Returns the district, for the
 * ResidentSignedUp event that records it in the district (its record and audit entry).
 */
export async function confirmSignUp(
  pool: Pool,
  username: string,
  attributes: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  await checkSignUp(attributes);
  const district = attributes[SIGN_UP_DISTRICT_ATTRIBUTE]!;
  if (attributes['custom:district'] !== district)
    await pool.updateAttributes(username, { 'custom:district': district });
  await pool.addToGroup(username, 'resident');
  return district;
}

/**
 * Pre token generation: the groups the token carries. Admin groups only for a user with MFA set
 * up (asked for at every sign-in); otherwise they are withheld from the token, whatever the pool's
 * groups say. The pool is asked only when the user holds an admin group.
 */
export async function groupsForToken(pool: Pool, username: string, groups: readonly string[]): Promise<string[]> {
  const plain = tokenGroups(groups, false);
  if (plain.length === groups.length) return [...groups];
  const user = await pool.getUser(username);
  return tokenGroups(groups, user?.mfaEnabled === true);
}

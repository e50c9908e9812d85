/**
 * Names that must be unique in their parent (streets in the district, communities in a street,
 * teams in their community, street or the district): two names are the same when they are equal
 * after trimming, Unicode NFKC normalisation (full-width letters and digits, compatibility forms),
 * case folding (upper then lower case: ß and ss, ς and σ are one), and runs of white space taken as one space.
 */
export function nameKeyOf(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toUpperCase().toLowerCase().normalize('NFKC');
}

/** The kinds of named things and the parent each is unique in. */
export type NamedKind = 'street' | 'community' | 'team';

/** A team's parent for its name: its community, else its street, else the district. */
export function teamNameParent(t: { readonly communityId?: string; readonly streetId?: string }): string {
  if (t.communityId) return `community:${t.communityId}`;
  if (t.streetId) return `street:${t.streetId}`;
  return 'district';
}

/** Service categories, one list for teams, activities, members' interests and wishes. */
export const CATEGORIES = [
  'garbage-sorting',
  'tax-services',
  'legal-aid',
  'health',
  'policy-talks',
  'culture-performances',
  'elderly-care',
  'child-care',
  'environment',
  'civilized-city',
  'major-events',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

import * as z from 'zod/mini';
import { TIERS } from '../domain/training.ts';
import { describe, named } from './common.ts';

/** A qualification (a training tier), shared by the activities' and the training contracts. */
export const QualificationName = named(
  'Qualification',
  describe(
    z.enum(TIERS),
    'pre-service (岗前) ⊂ professional (专业) ⊂ backbone (骨干): a grant of a tier satisfies every tier below it',
  ),
);

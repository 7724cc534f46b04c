import { Platform1763769600000 } from './1763769600000-platform';

/** Every migration, in order. Listed explicitly so builds and tests load the same set. */
export const MIGRATIONS = [Platform1763769600000];

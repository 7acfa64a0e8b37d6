import type { Database } from '../db/database';
import { createCodeGenerationActivities, type GenerationFaults } from './code-generation';

export interface ActivityFaults {
  generation?: GenerationFaults;
}

/** Every activity the worker registers, bound to the database. */
export function createActivities(db: Database, faults: ActivityFaults = {}) {
  return {
    ...createCodeGenerationActivities(db, faults.generation),
  };
}

import type { Database } from '../db/database';
import { createCodeGenerationActivities, type ChunkFaults } from './code-generation';
import { createCodeImportActivities } from './code-import';
import { createCodeCancellationActivities } from './code-cancellation';
import { createReservationActivities } from './reservations';

export interface ActivityFaults {
  generation?: ChunkFaults;
  import?: ChunkFaults;
}

/** Every activity the worker registers, bound to the database. */
export function createActivities(db: Database, faults: ActivityFaults = {}) {
  return {
    ...createCodeGenerationActivities(db, faults.generation),
    ...createCodeImportActivities(db, faults.import),
    ...createCodeCancellationActivities(db),
    ...createReservationActivities(db),
  };
}

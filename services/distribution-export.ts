import type { Readable } from 'node:stream';
import type { Database } from '../db/database';
import { copyOut } from '../db/copy';
import { exportAssignmentsSql } from '../db/distribution-assignments';

/**
 * A distribution's `member_id,code` CSV read straight from PostgreSQL's COPY (copyOut), for the e-mail tool:
 * memory stays flat whatever the audience; a bulk client, as the COPY lasts as long as the reader takes.
 */
export async function openDistributionExport(db: Database, distributionId: string): Promise<Readable> {
  return copyOut(await db.connectBulk(), exportAssignmentsSql(distributionId));
}

import { finished, type Readable } from 'node:stream';
import { to as copyTo } from 'pg-copy-streams';
import type { Database } from '../db/database';
import { exportAssignmentsSql } from '../db/distribution-assignments';

/**
 * A distribution's `member_id,code` CSV read straight from PostgreSQL's COPY, for the e-mail tool: memory stays
 * flat whatever the audience (see openCodeExport for how the connection is returned).
 */
export async function openDistributionExport(db: Database, distributionId: string): Promise<Readable> {
  const client = await db.connect();
  try {
    const copy = client.query(copyTo(exportAssignmentsSql(distributionId)));
    finished(copy, (error) => client.release(error ?? undefined));
    return copy;
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
}

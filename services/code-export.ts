import { finished, type Readable } from 'node:stream';
import { to as copyTo } from 'pg-copy-streams';
import type { Database } from '../db/database';
import { exportAttributeKeys, exportCodesSql, type ResolvedFilters } from '../db/code-search';

/**
 * The export as a CSV stream read straight from PostgreSQL's COPY: whoever pipes it (the HTTP route) gets
 * backpressure, and the API holds one chunk at a time whatever the size. The connection goes back to the pool
 * when the stream ends; a stream destroyed early (the client went away) ends the COPY and discards the
 * connection, which is mid-protocol.
 */
export async function openCodeExport(db: Database, filters: ResolvedFilters): Promise<Readable> {
  // One column per attribute key present in the exported set: known before the COPY writes its header.
  const attributeKeys = await exportAttributeKeys(db, filters);
  const client = await db.connect();
  try {
    const copy = client.query(copyTo(exportCodesSql(filters, attributeKeys)));
    finished(copy, (error) => client.release(error ?? undefined));
    return copy;
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
}

import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { to as copyTo } from 'pg-copy-streams';
import type { Database } from '../db/database';
import { exportAttributeKeys, exportCodesSql, type ResolvedFilters } from '../db/code-search';

/**
 * Streams the export from PostgreSQL's COPY straight into the HTTP response, with backpressure: the API holds
 * one chunk at a time whatever the size. A client that goes away ends the COPY and frees the connection.
 */
export async function streamCodeExport(db: Database, filters: ResolvedFilters, res: Response): Promise<void> {
  const attributeKeys = await exportAttributeKeys(db, filters);
  const client = await db.connect();
  let failed: Error | undefined;
  try {
    const copy = client.query(copyTo(exportCodesSql(filters, attributeKeys)));
    res.status(200).type('text/csv').set('Content-Disposition', 'attachment; filename="codes.csv"');
    await pipeline(copy, res);
  } catch (error) {
    failed = error as Error;
    // Headers are gone once streaming started: the error handler can only end the response.
    throw error;
  } finally {
    client.release(failed);
  }
}

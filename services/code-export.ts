import type { Readable } from 'node:stream';
import type { Database } from '../db/database';
import { copyOut } from '../db/copy';
import { exportAttributeKeys, exportCodesSql, type ResolvedFilters } from '../db/code-search';

/**
 * The export as a CSV stream read straight from PostgreSQL's COPY (copyOut), on a bulk client: the COPY lasts as
 * long as the client takes to read it, and the attribute keys' scan covers the whole exported set.
 */
export async function openCodeExport(db: Database, filters: ResolvedFilters): Promise<Readable> {
  const client = await db.connectBulk();
  let attributeKeys: string[];
  try {
    // One column per attribute key present in the exported set: known before the COPY writes its header.
    attributeKeys = await exportAttributeKeys(client, filters);
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  return copyOut(client, exportCodesSql(filters, attributeKeys));
}

import { finished, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { PoolClient } from 'pg';

export type CopyValue = string | number | null | undefined;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** A value in COPY's text format: \N for null, and backslash, tab, newline and carriage return escaped. */
function copyText(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

// One COPY text block per batch of rows: per-row async steps would cost more than PostgreSQL's own work.
async function* copyBlocks(batches: AsyncIterable<CopyValue[][]> | Iterable<CopyValue[][]>): AsyncGenerator<string> {
  for await (const batch of batches) {
    let block = '';
    for (const row of batch) {
      for (let i = 0; i < row.length; i++) block += (i ? '\t' : '') + copyText(row[i]);
      block += '\n';
    }
    if (block) yield block;
  }
}

/**
 * Streams rows into a table with COPY, batch by batch, with backpressure: memory stays bounded by one batch
 * whatever the row count.
 */
export async function copyRows(
  client: PoolClient,
  table: string,
  columns: string[],
  batches: AsyncIterable<CopyValue[][]> | Iterable<CopyValue[][]>,
): Promise<void> {
  await pipeline(Readable.from(copyBlocks(batches)), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)));
}

/**
 * A `COPY … TO STDOUT` as a stream, read straight from PostgreSQL: whoever pipes it gets backpressure, and one chunk
 * is held at a time whatever the size. The client goes back to its pool when the stream ends; a stream destroyed
 * early (the reader went away) ends the COPY and discards the client, which is mid-protocol. pg's read timeout is
 * cleared through the query's callback, which a COPY TO never calls itself: left running, it would fail the
 * finished stream later (and keep the process alive until then).
 */
export function copyOut(client: PoolClient, sql: string): Readable {
  try {
    const copy = client.query(copyTo(sql));
    finished(copy, (error) => {
      (copy as unknown as { callback?: () => void }).callback?.();
      client.release(error ?? undefined);
    });
    return copy;
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
}

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from 'pg';

export type CopyValue = string | number | null | undefined;

/** A value in COPY's text format: \N for null, and backslash, tab, newline and carriage return escaped. */
function copyText(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  return String(value).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

async function* copyLines(rows: AsyncIterable<CopyValue[]> | Iterable<CopyValue[]>): AsyncGenerator<string> {
  let block = '';
  for await (const row of rows) {
    block += row.map(copyText).join('\t') + '\n';
    if (block.length > 64 * 1024) {
      yield block;
      block = '';
    }
  }
  if (block) yield block;
}

/** Streams rows into a table with COPY, with backpressure: memory stays bounded whatever the row count. */
export async function copyRows(
  client: PoolClient, table: string, columns: string[], rows: AsyncIterable<CopyValue[]> | Iterable<CopyValue[]>,
): Promise<void> {
  await pipeline(Readable.from(copyLines(rows)), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)));
}

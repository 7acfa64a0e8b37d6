import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Progress } from './progress';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Streams a CSV response body into a file, counting bytes and records as they pass. Records are counted as
 * newlines outside quotes: a quoted cell may hold a line break, and the export is never held in memory to parse.
 * A failed download removes the partial file, so a truncated export is never mistaken for a complete one.
 */
export async function downloadCsv(body: Response['body'], file: string, progress: Progress): Promise<{ bytes: number; records: number }> {
  let bytes = 0;
  let lines = 0;
  let quoted = false;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      for (const byte of chunk) {
        if (byte === QUOTE) quoted = !quoted;
        else if (byte === NEWLINE && !quoted) lines++;
      }
      bytes += chunk.length;
      progress.update(bytes);
      callback(null, chunk);
    },
  });
  try {
    if (!body) throw new Error('the API sent no body');
    // fetch's stream type and node:stream/web's are the same object at run time but differ in the typings.
    await pipeline(Readable.fromWeb(body as unknown as NodeReadableStream), counter, fs.createWriteStream(file));
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    throw error;
  } finally {
    progress.stop();
  }
  return { bytes, records: Math.max(0, lines - 1) };
}

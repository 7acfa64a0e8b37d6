import { Transform, type Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { DomainError } from '../model/errors';

export interface CsvLimits {
  maxBytes: number;
  maxColumns: number;
  /** Characters in one record (its fields together, delimiters and quotes aside). */
  maxRecordBytes: number;
}

export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Counts bytes as they stream, refusing the upload (too_large) past the limit without reading the rest into memory. */
function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new DomainError('too_large', 'upload_too_large', `the CSV file is larger than ${maxBytes} bytes`));
      else callback(null, chunk);
    },
  });
}

const BATCH_RECORDS = 1000;

/**
 * Parses a CSV upload as a stream of batches of records with their line numbers (batches keep the per-record
 * cost of async iteration out of the callers' loops). Handles what spreadsheets write: a BOM,
 * CRLF, quoted fields with commas and newlines, blank lines (skipped). Broken quoting or an oversized record
 * refuses the whole file (invalid, naming the line), before anything is committed.
 */
export async function* readCsv(body: Readable, limits: CsvLimits): AsyncGenerator<CsvRecord[]> {
  const limiter = byteLimit(limits.maxBytes);
  // csv-parse refuses a record only once it is longer than max_record_size + 1 characters: hence the - 1.
  const parser = parse({ bom: true, relax_column_count: true, max_record_size: limits.maxRecordBytes - 1, raw: true });
  body.on('error', (e) => parser.destroy(e));
  limiter.on('error', (e) => parser.destroy(e));
  body.pipe(limiter).pipe(parser);
  // Lines are counted here from each record's raw text: csv-parse's own count drifts after a quoted CRLF.
  let line = 1;
  let batch: CsvRecord[] = [];
  try {
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const start = line;
      line += 1 + (raw.replace(/(\r\n|\r|\n)$/, '').match(/\r\n|\r|\n/g)?.length ?? 0);
      if (raw.trim() === '') continue; // a blank line (a quoted empty cell "" is a row)
      if (record.length > limits.maxColumns) {
        throw new DomainError('invalid', 'invalid_csv', `line ${start}: more than ${limits.maxColumns} columns`);
      }
      batch.push({ line: start, fields: record });
      if (batch.length === BATCH_RECORDS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new DomainError('invalid', 'invalid_csv', `${line ? `line ${line}: ` : ''}${error.message}`);
    }
    throw error;
  } finally {
    body.unpipe();
    body.resume();
  }
}

/**
 * Reads the header row (refusing a file without the required columns) and returns the data rows after it, in
 * batches. An empty file is refused.
 */
export async function readCsvTable(
  body: Readable,
  limits: CsvLimits,
  required: string[],
): Promise<{ header: string[]; batches: AsyncGenerator<CsvRecord[]> }> {
  const batches = readCsv(body, limits);
  const first = await batches.next();
  if (first.done) throw new DomainError('invalid', 'empty_file', 'the CSV file is empty');
  const [headerRecord, ...rest] = first.value;
  const header = readHeader(headerRecord.fields, required);
  async function* rows() {
    if (rest.length) yield rest;
    yield* batches;
  }
  return { header, batches: rows() };
}

/** The header row, lower-cased and trimmed; refuses a file without the required columns or with repeats. */
function readHeader(fields: string[], required: string[]): string[] {
  const header = fields.map((f) => f.trim().toLowerCase());
  for (const name of required) {
    if (!header.includes(name))
      throw new DomainError(
        'invalid',
        'invalid_csv',
        `the header row must name a "${name}" column (found: ${header.join(', ') || 'nothing'})`,
      );
  }
  const repeated = header.find((name, i) => header.indexOf(name) !== i);
  if (repeated !== undefined) throw new DomainError('invalid', 'invalid_csv', `the header names the column "${repeated}" twice`);
  return header;
}

import { Readable } from 'node:stream';
import { readCsv } from '../../services/csv-table';

const limits = { maxBytes: 1 << 20, maxColumns: 64, maxRecordBytes: 4096 };

async function read(text: string) {
  const records = [];
  for await (const batch of readCsv(Readable.from([Buffer.from(text)]), limits)) records.push(...batch);
  return records;
}

describe('the CSV record limit', () => {
  it.each([
    ['one field', (n: number) => 'a'.repeat(n)],
    ['one quoted field', (n: number) => `"${'a'.repeat(n)}"`],
    ['two fields', (n: number) => `${'a'.repeat(Math.floor(n / 2))},${'b'.repeat(Math.ceil(n / 2))}`],
  ])('%s: a record of exactly the limit is read, one character more is refused', async (_name, record) => {
    expect(await read(`code\n${record(4096)}\n`)).toHaveLength(2);
    await expect(read(`code\n${record(4097)}\n`)).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_csv' });
  });
});

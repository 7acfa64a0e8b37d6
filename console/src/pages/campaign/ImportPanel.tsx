import { useEffect, useState } from 'react';
import { Alert, Group, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok, raw, type Schemas } from '../../api/client';
import { StatusBadge, fmt } from '../../components/common';
import { CsvUploadCard, RefusedRowsTable, useCsvUpload } from '../../components/CsvUpload';

const SAMPLE = 'code,expires_at\nSPRING-0001,2027-01-31\nSPRING-0002,2027-01-31\nSPRING-0003,\n';
const REASONS: Record<string, string> = {
  empty: 'empty code',
  bad_characters: 'characters other than letters and digits',
  too_long: 'longer than 64 characters',
  bad_expires_at: 'expires_at is not a date',
  duplicate_in_file: 'twice in the file',
  already_exists: 'the code exists already',
  wrong_column_count: 'wrong number of columns',
};

/** Upload a CSV into a pool, follow the import job and show its row-by-row report. */
export function ImportPanel({ pool }: { pool: string }) {
  const queryClient = useQueryClient();
  const [importId, setImportId] = useState<string | null>(null);
  const report = useQuery({
    queryKey: ['import', importId],
    enabled: Boolean(importId),
    queryFn: () => ok(api.GET('/v1/code-imports/{id}', { params: { path: { id: importId! }, query: { limit: 1000 } as never } })),
    refetchInterval: (q) => (q.state.data && ['completed', 'failed', 'cancelled'].includes(q.state.data.status) ? false : 800),
  });
  const finished = report.data && ['completed', 'failed', 'cancelled'].includes(report.data.status);
  useEffect(() => {
    // The imported codes, counts and job status change once the import is done.
    if (finished) for (const key of ['codes', 'stats', 'jobs']) void queryClient.invalidateQueries({ queryKey: [key] });
  }, [finished]);
  const upload = useCsvUpload(async (csv) => {
    const response = await raw(`/v1/code-imports?pool=${encodeURIComponent(pool)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      body: csv,
    });
    const created = (await response.json()) as Schemas['CodeImport'];
    setImportId(created.id);
    void queryClient.invalidateQueries({ queryKey: ['jobs'] });
  });
  const r = report.data;
  return (
    <CsvUploadCard
      upload={upload}
      title="Import codes from a CSV"
      help={
        <>
          A header row with <code>code</code>, optionally <code>expires_at</code>; other columns are kept as attributes.
        </>
      }
      sample={SAMPLE}
      sampleName="sample-codes.csv"
      fileLabel="CSV file"
      action="Import"
      error={report.error}
    >
      {r && (
        <Stack gap="xs" data-testid="import-report">
          <Group gap="md">
            <StatusBadge status={r.status} />
            <Text size="sm">
              {fmt(r.rows)} rows · <b>{fmt(r.imported)}</b> imported · <b>{fmt(r.rejected)}</b> refused
            </Text>
          </Group>
          {r.error && <Alert color="red">{r.error}</Alert>}
          <RefusedRowsTable
            label="Refused rows"
            whyTitle="Why it was refused"
            rows={r.rejections.map((x) => ({
              line: x.line,
              code: x.code ?? '–',
              why: (
                <>
                  {REASONS[x.reason] ?? x.reason}{' '}
                  <Text span size="xs" c="dimmed">
                    ({x.reason})
                  </Text>
                </>
              ),
            }))}
          />
        </Stack>
      )}
    </CsvUploadCard>
  );
}

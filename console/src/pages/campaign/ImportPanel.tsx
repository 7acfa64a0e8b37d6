import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, FileInput, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok, raw, type Schemas } from '../../api/client';
import { ErrorNote, StatusBadge, fmt } from '../../components/common';

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
  const [file, setFile] = useState<File | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
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
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const response = await raw(`/v1/code-imports?pool=${encodeURIComponent(pool)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body: await file.text(),
      });
      const created = (await response.json()) as Schemas['CodeImport'];
      setImportId(created.id);
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const r = report.data;
  return (
    <Paper withBorder p="md" radius="md">
      <Stack>
        <div>
          <Text fw={600}>Import codes from a CSV</Text>
          <Text size="sm" c="dimmed">
            A header row with <code>code</code>, optionally <code>expires_at</code>; other columns are kept as attributes.{' '}
            <Anchor href={`data:text/csv;charset=utf-8,${encodeURIComponent(SAMPLE)}`} download="sample-codes.csv">
              Download a sample CSV
            </Anchor>
          </Text>
        </div>
        <Group align="flex-end">
          <FileInput
            label="CSV file"
            placeholder="Choose a file"
            accept=".csv,text/csv"
            value={file}
            onChange={setFile}
            clearable
            w={280}
          />
          <Button onClick={() => void upload()} loading={busy} disabled={!file}>
            Import
          </Button>
        </Group>
        <ErrorNote error={error ?? report.error} />
        {r && (
          <Stack gap="xs" data-testid="import-report">
            <Group gap="md">
              <StatusBadge status={r.status} />
              <Text size="sm">
                {fmt(r.rows)} rows · <b>{fmt(r.imported)}</b> imported · <b>{fmt(r.rejected)}</b> refused
              </Text>
            </Group>
            {r.error && <Alert color="red">{r.error}</Alert>}
            {r.rejections.length > 0 && (
              <Table withTableBorder verticalSpacing={4} aria-label="Refused rows">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Line</Table.Th>
                    <Table.Th>Code</Table.Th>
                    <Table.Th>Why it was refused</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.rejections.map((x) => (
                    <Table.Tr key={x.line}>
                      <Table.Td>{x.line}</Table.Td>
                      <Table.Td ff="monospace">{x.code ?? '–'}</Table.Td>
                      <Table.Td>
                        {REASONS[x.reason] ?? x.reason}{' '}
                        <Text span size="xs" c="dimmed">
                          ({x.reason})
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

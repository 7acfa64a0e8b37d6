import { useState } from 'react';
import { Anchor, Button, FileInput, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { raw, type Schemas } from '../api/client';
import { ErrorNote, fmt } from './common';

const SAMPLE = 'code,status,reason\nSPRING0001,fulfilled,\nSPRING0002,cancelled,lost in the mail\n';

/** Operators: bulk status changes from a CSV (one transaction), with every refused row reported. */
export function StatusImport() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Schemas['StatusImportReport'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(
        await (
          await raw('/v1/code-status-imports', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: await file.text() })
        ).json(),
      );
      void queryClient.invalidateQueries();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Stack>
        <div>
          <Text fw={600}>Change code statuses from a CSV</Text>
          <Text size="sm" c="dimmed">
            Columns <code>code,status[,reason]</code>: redeemed or awarded codes become fulfilled, unused or reserved ones cancelled.{' '}
            <Anchor href={`data:text/csv;charset=utf-8,${encodeURIComponent(SAMPLE)}`} download="sample-status-import.csv">
              Download a sample CSV
            </Anchor>
          </Text>
        </div>
        <Group align="flex-end">
          <FileInput
            label="Status CSV"
            placeholder="Choose a file"
            accept=".csv,text/csv"
            value={file}
            onChange={setFile}
            clearable
            w={280}
          />
          <Button onClick={() => void upload()} loading={busy} disabled={!file}>
            Apply
          </Button>
        </Group>
        <ErrorNote error={error} />
        {report && (
          <Stack gap="xs" data-testid="status-import-report">
            <Text size="sm">
              {fmt(report.rows)} rows · <b>{fmt(report.updated)}</b> changed · {fmt(report.unchanged)} unchanged ·{' '}
              <b>{fmt(report.rejected)}</b> refused
            </Text>
            {report.rejections.length > 0 && (
              <Table withTableBorder verticalSpacing={4} aria-label="Refused status rows">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Line</Table.Th>
                    <Table.Th>Code</Table.Th>
                    <Table.Th>Why</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.rejections.map((r) => (
                    <Table.Tr key={r.line}>
                      <Table.Td>{r.line}</Table.Td>
                      <Table.Td ff="monospace">{r.code}</Table.Td>
                      <Table.Td>{r.reason}</Table.Td>
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

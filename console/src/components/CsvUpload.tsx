import { useState, type ReactNode } from 'react';
import { Anchor, Button, FileInput, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { ErrorNote } from './common';

/** The state of one CSV upload: the chosen file, busy while it is sent, the error if it was refused. */
export function useCsvUpload(send: (csv: string) => Promise<void>) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await send(await file.text());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { file, setFile, error, busy, upload };
}

/** A card to pick a CSV file and send it, with a sample to download; the report goes below (children). */
export function CsvUploadCard({
  upload,
  title,
  help,
  sample,
  sampleName,
  fileLabel,
  action,
  error,
  children,
}: {
  upload: ReturnType<typeof useCsvUpload>;
  title: string;
  help: ReactNode;
  sample: string;
  sampleName: string;
  fileLabel: string;
  action: string;
  /** Shown instead of the upload's own error when set (e.g. the report's). */
  error?: unknown;
  children?: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md">
      <Stack>
        <div>
          <Text fw={600}>{title}</Text>
          <Text size="sm" c="dimmed">
            {help}{' '}
            <Anchor href={`data:text/csv;charset=utf-8,${encodeURIComponent(sample)}`} download={sampleName}>
              Download a sample CSV
            </Anchor>
          </Text>
        </div>
        <Group align="flex-end">
          <FileInput
            label={fileLabel}
            placeholder="Choose a file"
            accept=".csv,text/csv"
            value={upload.file}
            onChange={upload.setFile}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the chosen file' }}
            w={280}
          />
          <Button onClick={() => void upload.upload()} loading={upload.busy} disabled={!upload.file}>
            {action}
          </Button>
        </Group>
        <ErrorNote error={upload.error ?? error} />
        {children}
      </Stack>
    </Paper>
  );
}

/** The rows of a CSV that were refused: line, code and why. */
export function RefusedRowsTable({
  label,
  whyTitle,
  rows,
}: {
  label: string;
  whyTitle: string;
  rows: Array<{ line: number; code: ReactNode; why: ReactNode }>;
}) {
  if (rows.length === 0) return null;
  return (
    <Table withTableBorder verticalSpacing={4} aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Line</Table.Th>
          <Table.Th>Code</Table.Th>
          <Table.Th>{whyTitle}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.line}>
            <Table.Td>{r.line}</Table.Td>
            <Table.Td ff="monospace">{r.code}</Table.Td>
            <Table.Td>{r.why}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

import { useState } from 'react';
import { Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { raw, type Schemas } from '../api/client';
import { fmt } from './common';
import { CsvUploadCard, RefusedRowsTable, useCsvUpload } from './CsvUpload';

const SAMPLE = 'code,status,reason\nSPRING0001,fulfilled,\nSPRING0002,cancelled,lost in the mail\n';

/** Operators: bulk status changes from a CSV (one transaction), with every refused row reported. */
export function StatusImport() {
  const queryClient = useQueryClient();
  const [report, setReport] = useState<Schemas['StatusImportReport'] | null>(null);
  const upload = useCsvUpload(async (csv) => {
    setReport(null);
    setReport(await (await raw('/v1/code-status-imports', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csv })).json());
    void queryClient.invalidateQueries();
  });
  return (
    <CsvUploadCard
      upload={upload}
      title="Change code statuses from a CSV"
      help={
        <>
          Columns <code>code,status[,reason]</code>: redeemed or awarded codes become fulfilled, unused or reserved ones cancelled.
        </>
      }
      sample={SAMPLE}
      sampleName="sample-status-import.csv"
      fileLabel="Status CSV"
      action="Apply"
    >
      {report && (
        <Stack gap="xs" data-testid="status-import-report">
          <Text size="sm">
            {fmt(report.rows)} rows · <b>{fmt(report.updated)}</b> changed · {fmt(report.unchanged)} unchanged ·{' '}
            <b>{fmt(report.rejected)}</b> refused
          </Text>
          <RefusedRowsTable
            label="Refused status rows"
            whyTitle="Why"
            rows={report.rejections.map((r) => ({ line: r.line, code: r.code, why: r.reason }))}
          />
        </Stack>
      )}
    </CsvUploadCard>
  );
}

import { useState } from 'react';
import { SegmentedControl, Stack } from '@mantine/core';
import { PageHeader } from '../components/common';
import { JobsTable } from '../components/JobsTable';
import { StatusImport } from '../components/StatusImport';
import { can, useMe } from '../session';

export default function JobsPage() {
  const me = useMe();
  const [source, setSource] = useState<'all' | 'generation' | 'import'>('all');
  return (
    <>
      <PageHeader
        title="Jobs"
        subtitle="Every code generation and import, with its progress, failure cause and Temporal workflow."
        actions={
          <SegmentedControl
            value={source}
            onChange={(v) => setSource(v as typeof source)}
            aria-label="Job kind"
            data={[
              { value: 'all', label: 'All' },
              { value: 'generation', label: 'Generations' },
              { value: 'import', label: 'Imports' },
            ]}
          />
        }
      />
      <Stack>
        <JobsTable source={source === 'all' ? undefined : source} showPool />
        {can(me, 'statusImports') && <StatusImport />}
      </Stack>
    </>
  );
}

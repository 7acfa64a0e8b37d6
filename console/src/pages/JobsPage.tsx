import { useState } from 'react';
import { Stack } from '@mantine/core';
import { Choice, PageHeader } from '../components/common';
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
          <Choice
            label="Job kind"
            value={source}
            onChange={setSource}
            options={{ all: 'All', generation: 'Generations', import: 'Imports' }}
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

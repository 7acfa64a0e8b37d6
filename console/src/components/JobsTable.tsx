import { Button, Group, Progress, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok, type Schemas } from '../api/client';
import { can, useMe } from '../session';
import { EmptyState, ErrorNote, StatusBadge, fmt, fmtDate } from './common';
import { ConfirmedAction } from './ConfirmedAction';
import { TableCard } from './DataTable';
import { WorkflowLink } from './WorkflowLink';

type Job = Schemas['JobPage']['jobs'][number];
const running = (j: Job) => j.status === 'pending' || j.status === 'running';

/** Generation and import jobs with live progress (polled while any runs), links to their workflows, 50 at a time. */
export function JobsTable({ pool, source, showPool = false }: { pool?: string; source?: 'generation' | 'import'; showPool?: boolean }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const jobs = useInfiniteQuery({
    queryKey: ['jobs', pool, source],
    queryFn: ({ pageParam }) => ok(api.GET('/v1/jobs', { params: { query: { pool, source, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => (q.state.data?.pages.some((page) => page.jobs.some(running)) ? 1000 : false),
  });
  const cancel = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      ok(api.POST('/v1/code-batches/{id}/cancel', { params: { path: { id } }, body: { reason } })),
    onSuccess: () => setTimeout(() => queryClient.invalidateQueries(), 1000),
  });
  const list = jobs.data?.pages.flatMap((page) => page.jobs) ?? [];
  if (jobs.isSuccess && list.length === 0)
    return <EmptyState title="No jobs yet">Generating or importing codes starts a job; it shows here with its progress.</EmptyState>;
  return (
    <>
      <ErrorNote error={jobs.error ?? cancel.error} />
      <TableCard>
        <Table verticalSpacing="sm" miw={760} aria-label="Jobs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Job</Table.Th>
              {showPool && <Table.Th>Pool</Table.Th>}
              <Table.Th>Status</Table.Th>
              <Table.Th w={260}>Progress</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Workflow</Table.Th>
              {can(me, 'cancelCodes') && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((j) => {
              const done = j.source === 'import' ? j.generated + j.rejected : j.generated;
              const pct = j.requested ? Math.min(100, (done / j.requested) * 100) : j.status === 'completed' ? 100 : 0;
              return (
                <Table.Tr key={j.id} data-testid={`job-${j.id}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {j.source === 'generation' ? 'Generation' : 'Import'}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {j.id.slice(0, 8)}
                    </Text>
                  </Table.Td>
                  {showPool && (
                    <Table.Td>
                      <Text size="sm">
                        {j.pool.type}
                        {j.pool.id ? `: ${j.pool.id}` : ''}
                      </Text>
                    </Table.Td>
                  )}
                  <Table.Td>
                    <StatusBadge status={j.status} />
                  </Table.Td>
                  <Table.Td>
                    <Progress
                      value={pct}
                      animated={running(j)}
                      color={j.status === 'failed' ? 'red' : 'indigo'}
                      aria-label={`${j.source} progress`}
                    />
                    <Text size="xs" c="dimmed" mt={4}>
                      {j.source === 'import'
                        ? `${fmt(j.generated)} imported, ${fmt(j.rejected)} refused of ${fmt(j.requested)} rows`
                        : `${fmt(j.generated)} of ${fmt(j.requested)} codes`}
                    </Text>
                    {j.error && (
                      <Text size="xs" c="red">
                        Failed: {j.error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{fmtDate(j.startedAt ?? j.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <WorkflowLink workflowId={j.workflowId} />
                  </Table.Td>
                  {can(me, 'cancelCodes') && (
                    <Table.Td>
                      {j.source === 'generation' && !running(j) && j.status !== 'cancelled' && (
                        <ConfirmedAction
                          label="Cancel batch"
                          title={`Cancel batch ${j.id.slice(0, 8)}?`}
                          confirmLabel="Cancel its unused codes"
                          reason={{ label: 'Reason', initial: 'cancelled from the console' }}
                          onConfirm={(reason) => cancel.mutate({ id: j.id, reason })}
                        >
                          Every unused code of this batch becomes cancelled and can no longer be redeemed. Codes already redeemed stay as
                          they are.
                        </ConfirmedAction>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </TableCard>
      {jobs.hasNextPage && (
        <Group justify="flex-end">
          <Button size="xs" variant="default" onClick={() => void jobs.fetchNextPage()} loading={jobs.isFetchingNextPage}>
            Load more jobs
          </Button>
        </Group>
      )}
    </>
  );
}

import { useEffect } from 'react';
import { Alert, Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download, ok } from '../../api/client';
import { ErrorNote, StatusBadge, fmt, fmtDate } from '../../components/common';
import { ConfirmedAction } from '../../components/ConfirmedAction';
import { WorkflowLink } from '../../components/WorkflowLink';

const RUNNING = ['pending', 'running'];

/**
 * One distribution as it runs: progress (assigned of members, polled while it runs), its workflow, the
 * member_id,code CSV once it completed, and cancel (its unredeemed codes go back to the pool) behind a dialog.
 */
export function DistributionProgress({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const distribution = useQuery({
    queryKey: ['distribution', id],
    queryFn: () => ok(api.GET('/v1/distributions/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && !RUNNING.includes(q.state.data.status) ? false : 800),
  });
  const cancel = useMutation({
    mutationFn: () => ok(api.POST('/v1/distributions/{id}/cancel', { params: { path: { id } }, body: {} })),
    onSuccess: (d) => queryClient.setQueryData(['distribution', id], d),
  });
  const d = distribution.data;
  const finished = Boolean(d && !RUNNING.includes(d.status));
  useEffect(() => {
    // The pool's codes, counts and the preview's unused codes change once it is done (or cancelled).
    if (finished) for (const key of ['codes', 'stats', 'distribution-preview']) void queryClient.invalidateQueries({ queryKey: [key] });
  }, [finished, d?.status]);
  if (!d) return <ErrorNote error={distribution.error} />;
  return (
    <Paper withBorder p="md" radius="md" data-testid="distribution-progress">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="sm">
            <Text fw={600}>Distribution {d.id.slice(0, 8)}</Text>
            <StatusBadge status={d.status} />
          </Group>
          <WorkflowLink workflowId={d.workflowId} />
        </Group>
        <Progress
          value={d.members ? Math.min(100, (d.assigned / d.members) * 100) : 0}
          animated={!finished}
          color={d.status === 'failed' || d.status === 'cancelled' ? 'red' : 'indigo'}
          aria-label="Distribution progress"
        />
        <Text size="sm">
          <b>{fmt(d.assigned)}</b> of {fmt(d.members)} members have their code
          {d.skipped ? ` · ${fmt(d.skipped)} list lines left out` : ''}
          {d.topUpBatchId ? ' · the pool was topped up first' : ''} · started {fmtDate(d.startedAt ?? d.createdAt)}
        </Text>
        {d.error && <Alert color="red">Failed: {d.error}</Alert>}
        {d.status === 'cancelled' && (
          <Alert color="yellow">Cancelled: {fmt(d.returned)} codes not yet redeemed went back to the pool.</Alert>
        )}
        <ErrorNote error={cancel.error} />
        <Group>
          {d.status === 'completed' && (
            <Button variant="default" onClick={() => void download(`/v1/distributions/${d.id}/export`, `distribution-${d.id}.csv`)}>
              Download member_id,code CSV
            </Button>
          )}
          {d.status !== 'cancelled' && (
            <ConfirmedAction
              variant="light"
              label="Cancel distribution"
              title={`Cancel distribution ${d.id.slice(0, 8)}?`}
              confirmLabel="Cancel and return its codes"
              onConfirm={() => cancel.mutate()}
            >
              It stops, and every code it gave a member that is not redeemed yet goes back to the pool: members who already got one in an
              e-mail can no longer use it. Redeemed codes stay as they are.
            </ConfirmedAction>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

import { Button, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { EmptyState, ErrorNote, StatusBadge, fmtDate } from '../../components/common';
import { DataTable, TableCard } from '../../components/DataTable';

/** One webhook's deliveries, newest first, refreshed while open; each can be sent again (same message id). */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const queryClient = useQueryClient();
  const key = ['webhook', webhookId, 'deliveries'];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: () => ok(api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: webhookId }, query: { limit: 100 } } })),
    refetchInterval: 3000,
  });
  const redeliver = useMutation({
    mutationFn: (id: string) => ok(api.POST('/v1/webhook-deliveries/{id}/redeliver', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const list = deliveries.data?.deliveries ?? [];
  return (
    <Stack>
      <ErrorNote error={deliveries.error ?? redeliver.error} />
      {deliveries.isSuccess && list.length === 0 ? (
        <EmptyState title="No deliveries yet">Deliveries appear here once an event this webhook subscribes to happens.</EmptyState>
      ) : (
        <TableCard>
          <DataTable label="Deliveries" columns={['Event', 'Status', 'Attempts', 'Last response', 'Next attempt', 'Created', '']} miw={820}>
            {list.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <Text size="sm">{d.type}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {d.messageId}
                  </Text>
                </Table.Td>
                <Table.Td miw={140}>
                  <StatusBadge status={d.status} />
                </Table.Td>
                <Table.Td>{d.attempts}</Table.Td>
                <Table.Td>
                  <Text size="sm">{d.lastStatusCode ?? '–'}</Text>
                  {d.lastError && (
                    <Text size="xs" c="red">
                      {d.lastError}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{fmtDate(d.nextAttemptAt)}</Table.Td>
                <Table.Td>{fmtDate(d.createdAt)}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => redeliver.mutate(d.id)}
                    loading={redeliver.isPending && redeliver.variables === d.id}
                  >
                    Redeliver
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        </TableCard>
      )}
    </Stack>
  );
}

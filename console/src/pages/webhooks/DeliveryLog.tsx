import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { EmptyState, ErrorNote, StatusBadge, fmtDate } from '../../components/common';
import { DataTable, TableCard } from '../../components/DataTable';

const PAGE = 100;

/**
 * One webhook's deliveries, newest first, a page at a time ("Load more" follows nextCursor), refreshed while open;
 * each can be sent again (same message id). A refresh reads the loaded pages again from the first cursor on, so
 * deliveries that arrive meanwhile push the others down without any falling between pages.
 */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const queryClient = useQueryClient();
  const key = ['webhook', webhookId, 'deliveries'];
  const deliveries = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) =>
      ok(api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: webhookId }, query: { limit: PAGE, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 3000,
  });
  const redeliver = useMutation({
    mutationFn: (id: string) => ok(api.POST('/v1/webhook-deliveries/{id}/redeliver', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const list = deliveries.data?.pages.flatMap((page) => page.deliveries) ?? [];
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
      {list.length > 0 && (
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {list.length} {list.length === 1 ? 'delivery' : 'deliveries'} shown{deliveries.hasNextPage ? '' : ', all of them'}
          </Text>
          {deliveries.hasNextPage && (
            <Button size="xs" variant="default" onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage}>
              Load more
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}

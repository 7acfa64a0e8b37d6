import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { EmptyState, ErrorNote, fmtDate } from '../../components/common';
import { TableCard } from '../../components/DataTable';
import { DiffList } from '../../components/DiffList';

const ACTIONS: Record<string, string> = {
  create: 'Created',
  update: 'Changed',
  restore_rules: 'Restored rules',
};

/** The campaign's history (GET /v1/audit-log), newest first: who changed what, with each change's diff. */
export function HistoryPanel({ id, timeZone }: { id: string; timeZone: string }) {
  const history = useInfiniteQuery({
    queryKey: ['audit-log', 'campaign', id],
    queryFn: ({ pageParam }) =>
      ok(api.GET('/v1/audit-log', { params: { query: { entity: 'campaign', id, limit: 20, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const entries = history.data?.pages.flatMap((page) => page.entries) ?? [];
  if (history.isSuccess && entries.length === 0) return <EmptyState title="No history yet">Changes to this campaign show here.</EmptyState>;
  return (
    <Stack>
      <ErrorNote error={history.error} />
      <TableCard>
        <Table verticalSpacing="sm" miw={720} aria-label="History">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>Changes</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.id} data-testid={`history-${e.id}`}>
                <Table.Td>
                  <Text size="sm">{fmtDate(e.at, timeZone)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{e.actor}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {ACTIONS[e.action] ?? e.action}
                  </Text>
                  {typeof e.detail?.restoredFrom === 'number' && (
                    <Text size="xs" c="dimmed">
                      {`version ${String(e.detail.restoredFrom)} as version ${String(e.detail.rulesVersion)}`}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <DiffList changes={e.diff} label={`Changes of ${ACTIONS[e.action] ?? e.action} at ${e.at}`} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableCard>
      {history.hasNextPage && (
        <Group>
          <Button variant="default" onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
            Older changes
          </Button>
        </Group>
      )}
    </Stack>
  );
}

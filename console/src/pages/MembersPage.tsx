import { useState } from 'react';
import { Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { EmptyState, ErrorNote, PageHeader, StatCard, fmt, fmtDate } from '../components/common';
import { DataTable, TableCard } from '../components/DataTable';
import { can, useMe } from '../session';
import { RollBackAction } from './RollBackAction';

function Member({ id }: { id: string }) {
  const me = useMe();
  const member = useQuery({ queryKey: ['member', id], queryFn: () => ok(api.GET('/v1/members/{id}', { params: { path: { id } } })) });
  const ledger = useQuery({
    queryKey: ['ledger', id],
    queryFn: () => ok(api.GET('/v1/members/{id}/transactions', { params: { path: { id } } })),
  });
  const eligible = useQuery({
    queryKey: ['eligible', id],
    queryFn: () =>
      ok(api.GET('/v1/members/{id}/eligible-rewards', { params: { path: { id } } })) as Promise<{
        rewards?: Array<{ id: string; name: string; pointsCost: number }>;
      }>,
  });
  const m = member.data;
  if (member.error) return <ErrorNote error={member.error} />;
  if (!m) return <Text c="dimmed">Loading…</Text>;
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <StatCard label="Balance" value={`${fmt(m.balance)} pts`} />
        <StatCard label="Tier" value={m.tier ?? '–'} />
        <StatCard label="Enrolled" value={m.enrolledAt ?? '–'} />
        <StatCard
          label="Segments / tags"
          value={
            <Group gap={4}>
              {[...m.segments, ...m.tags].map((s) => (
                <Badge key={s} variant="light">
                  {s}
                </Badge>
              ))}
              {m.segments.length + m.tags.length === 0 && '–'}
            </Group>
          }
        />
      </SimpleGrid>
      <Paper withBorder p="md" radius="md">
        <Title order={4} mb="sm">
          Eligible rewards
        </Title>
        <ErrorNote error={eligible.error} />
        {(eligible.data?.rewards ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            None right now.
          </Text>
        ) : (
          <Group gap="xs">
            {eligible.data!.rewards!.map((r) => (
              <Badge key={r.id} size="lg" variant="outline">
                {r.name} · {fmt(r.pointsCost)} pts
              </Badge>
            ))}
          </Group>
        )}
      </Paper>
      <TableCard>
        <Title order={4} p="md" pb={0}>
          Points ledger
        </Title>
        <ErrorNote error={ledger.error} />
        <DataTable
          label="Points ledger"
          columns={['When', 'Points', 'Source', 'Reference', can(me, 'rollBack') && '']}
          verticalSpacing="xs"
          miw={560}
        >
          {(ledger.data?.transactions ?? []).map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>
                <Text size="xs">{fmtDate(t.createdAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={t.kind === 'credit' ? 'teal' : 'red'} fw={600}>
                  {t.kind === 'credit' ? '+' : '−'}
                  {fmt(t.points)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{t.source}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {t.reference}
                </Text>
              </Table.Td>
              {can(me, 'rollBack') && (
                <Table.Td>
                  <RollBackAction entry={t} ledger={ledger.data!.transactions} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </DataTable>
        {ledger.isSuccess && ledger.data.transactions.length === 0 && (
          <Text size="sm" c="dimmed" p="md">
            No points yet.
          </Text>
        )}
      </TableCard>
    </Stack>
  );
}

export default function MembersPage() {
  const [input, setInput] = useState('');
  const [id, setId] = useState<string | null>(null);
  return (
    <Stack>
      <PageHeader title="Members" subtitle="Look a member up: profile, points balance, ledger and the rewards they can get." />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setId(input.trim() || null);
        }}
      >
        <Group align="flex-end">
          <TextInput label="Member id" value={input} onChange={(e) => setInput(e.currentTarget.value)} w={280} />
          <Button type="submit">Look up</Button>
        </Group>
      </form>
      {id ? (
        <Member key={id} id={id} />
      ) : (
        <EmptyState title="Type a member id">Members are created by your systems through the API (PUT /v1/members/:id).</EmptyState>
      )}
    </Stack>
  );
}

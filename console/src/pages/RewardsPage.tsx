import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok, raw } from '../api/client';
import { can, useMe } from '../session';
import { Choice, EmptyState, ErrorNote, PageHeader, fmt } from '../components/common';
import { DataTable, TableCard } from '../components/DataTable';

interface Reward {
  id: string;
  name: string;
  active: boolean;
  type: string;
  pointsCost: number;
  value?: string;
  shortDescription?: string;
  certificates: { total: number; unused: number; issued: number; redeemed: number };
}

function CreateReward({ onDone }: { onDone: () => void }) {
  const [mode, setMode] = useState<'form' | 'legacy'>('form');
  const [form, setForm] = useState({ id: '', name: '', type: 'coupon_based_reward', pointsCost: 100, value: '', shortDescription: '' });
  const [legacy, setLegacy] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [ignored, setIgnored] = useState<string[] | null>(null);
  const submit = async () => {
    setError(null);
    try {
      const body = mode === 'form' ? { ...form, ...(form.value ? {} : { value: undefined }) } : JSON.parse(legacy);
      const created = await (
        await raw(`/v1/rewards${mode === 'legacy' ? '?format=legacy' : ''}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
      if (created.ignoredFields?.length) setIgnored(created.ignoredFields);
      else onDone();
    } catch (e) {
      setError(e);
    }
  };
  if (ignored)
    return (
      <Stack>
        <Alert color="yellow" title="Created; some legacy fields were ignored">
          {ignored.join(', ')}
        </Alert>
        <Button onClick={onDone}>Done</Button>
      </Stack>
    );
  return (
    <Stack>
      <Choice label="How" value={mode} onChange={setMode} options={{ form: 'Fill in a form', legacy: 'Paste legacy JSON' }} />
      {mode === 'form' ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Id" value={form.id} onChange={(e) => setForm({ ...form, id: e.currentTarget.value })} required />
          <TextInput label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} required />
          <Select
            label="Type"
            value={form.type}
            allowDeselect={false}
            onChange={(v) => setForm({ ...form, type: v ?? 'coupon_based_reward' })}
            data={['coupon_based_reward', 'material_reward', 'fixed_amount_discount']}
          />
          <NumberInput
            label="Points cost"
            min={0}
            value={form.pointsCost}
            onChange={(v) => setForm({ ...form, pointsCost: Number(v) || 0 })}
          />
          <TextInput
            label="Value"
            placeholder="$5"
            value={form.value}
            onChange={(e) => setForm({ ...form, value: e.currentTarget.value })}
          />
          <TextInput
            label="Short description"
            value={form.shortDescription}
            onChange={(e) => setForm({ ...form, shortDescription: e.currentTarget.value })}
          />
        </SimpleGrid>
      ) : (
        <Textarea
          label="Legacy reward JSON"
          description="The vendor's export shape; fields we don't use are listed after creation."
          autosize
          minRows={8}
          value={legacy}
          onChange={(e) => setLegacy(e.currentTarget.value)}
          ff="monospace"
        />
      )}
      <ErrorNote error={error} />
      <Button onClick={() => void submit()}>Create reward</Button>
    </Stack>
  );
}

function Eligibility({ rewards }: { rewards: Reward[] }) {
  const [memberId, setMemberId] = useState('');
  const [rewardId, setRewardId] = useState<string | null>(null);
  const [ask, setAsk] = useState<{ memberId: string; rewardId: string } | null>(null);
  const answer = useQuery({
    queryKey: ['explain', ask],
    enabled: Boolean(ask),
    queryFn: () =>
      ok(
        api.GET('/v1/members/{id}/eligible-rewards', {
          params: { path: { id: ask!.memberId }, query: { explain: ask!.rewardId } as never },
        }),
      ) as Promise<{
        eligible: boolean;
        active: boolean;
        failedConditions: Array<{ fact?: string; path?: string; operator: string; value?: unknown; factValue?: unknown }>;
      }>,
  });
  const a = answer.data;
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={4} mb="sm">
        Why can (or can't) a member get a reward?
      </Title>
      <Group align="flex-end">
        <TextInput label="Member id" value={memberId} onChange={(e) => setMemberId(e.currentTarget.value)} />
        <Select
          label="Reward"
          data={rewards.map((r) => ({ value: r.id, label: r.name }))}
          value={rewardId}
          onChange={setRewardId}
          searchable
        />
        <Button variant="light" disabled={!memberId || !rewardId} onClick={() => setAsk({ memberId, rewardId: rewardId! })}>
          Explain
        </Button>
      </Group>
      <ErrorNote error={answer.error} />
      {a && (
        <Stack mt="sm" gap="xs">
          <Badge color={a.eligible ? 'green' : 'red'} size="lg">
            {a.eligible ? 'Eligible' : 'Not eligible'}
          </Badge>
          {!a.active && <Text size="sm">The reward is not active.</Text>}
          {a.failedConditions.map((f, i) => (
            <Text size="sm" key={i}>
              <Code>{f.path ?? f.fact}</Code> {f.operator} <Code>{JSON.stringify(f.value)}</Code>: the member has{' '}
              <Code>{JSON.stringify(f.factValue)}</Code>
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

export default function RewardsPage() {
  const me = useMe();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const rewards = useQuery({ queryKey: ['rewards'], queryFn: () => ok(api.GET('/v1/rewards')) as Promise<{ rewards: Reward[] }> });
  const list = rewards.data?.rewards ?? [];
  return (
    <Stack>
      <PageHeader
        title="Rewards"
        subtitle="What members can spend points on, with their certificate (code) counts."
        actions={can(me, 'createRewards') && <Button onClick={() => setCreating(true)}>New reward</Button>}
      />
      <ErrorNote error={rewards.error} />
      {rewards.isSuccess && list.length === 0 ? (
        <EmptyState title="No rewards yet">Create one by form, or paste a reward exported from the previous platform.</EmptyState>
      ) : (
        <TableCard>
          <DataTable
            label="Rewards"
            columns={['Reward', 'Type', 'Cost', 'Certificates: unused / issued / redeemed / total', 'Active']}
            verticalSpacing="sm"
            miw={720}
          >
            {list.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {r.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {r.id}
                    {r.value ? ` · ${r.value}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{r.type}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{fmt(r.pointsCost)} pts</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" className="stat-value">
                    {fmt(r.certificates.unused)} / {fmt(r.certificates.issued)} / {fmt(r.certificates.redeemed)} /{' '}
                    {fmt(r.certificates.total)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={r.active ? 'green' : 'gray'} variant="light">
                    {r.active ? 'active' : 'inactive'}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        </TableCard>
      )}
      <Eligibility rewards={list} />
      <Modal opened={creating} onClose={() => setCreating(false)} title="New reward" size="lg">
        <CreateReward
          onDone={() => {
            setCreating(false);
            void queryClient.invalidateQueries({ queryKey: ['rewards'] });
          }}
        />
      </Modal>
    </Stack>
  );
}

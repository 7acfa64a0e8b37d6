import { useState } from 'react';
import { Badge, Button, Group, Modal, MultiSelect, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok, type Schemas } from '../../api/client';
import { EmptyState, ErrorNote, PageHeader, StatusBadge } from '../../components/common';
import { DataTable, TableCard } from '../../components/DataTable';
import { ConfirmedAction } from '../../components/ConfirmedAction';
import { CreateWebhook } from './CreateWebhook';
import { DeliveryLog } from './DeliveryLog';
import { NOTIFICATION_TYPES } from '../../api/enums';

type Webhook = Schemas['Webhook'];
type Patch = Schemas['UpdateWebhookRequest'];

function EditEvents({ webhook, onSave }: { webhook: Webhook; onSave: (events: Webhook['events']) => void }) {
  const [events, setEvents] = useState<string[]>(webhook.events);
  return (
    <Stack>
      <MultiSelect label="Events" data={NOTIFICATION_TYPES} value={events} onChange={setEvents} searchable />
      <Button disabled={events.length === 0} onClick={() => onSave(events as Webhook['events'])}>
        Save events
      </Button>
    </Stack>
  );
}

/** Webhooks: subscriptions of URLs to notification types, with their delivery logs (marketers and admins). */
export default function WebhooksPage() {
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Webhook | null>(null);
  const [logOf, setLogOf] = useState<Webhook | null>(null);
  const webhooks = useQuery({ queryKey: ['webhooks'], queryFn: () => ok(api.GET('/v1/webhooks')) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: Patch }) =>
      ok(api.PATCH('/v1/webhooks/{id}', { params: { path: { id } }, body: patch })),
    onSuccess: () => {
      setEditing(null);
      return refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => ok(api.DELETE('/v1/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const list = webhooks.data?.webhooks ?? [];
  return (
    <Stack>
      <PageHeader
        title="Webhooks"
        subtitle="URLs the notifications are POSTed to, signed with each webhook's secret."
        actions={<Button onClick={() => setCreating(true)}>New webhook</Button>}
      />
      <ErrorNote error={webhooks.error ?? update.error ?? remove.error} />
      {webhooks.isSuccess && list.length === 0 ? (
        <EmptyState title="No webhooks yet">Create one to have notifications sent to your systems.</EmptyState>
      ) : (
        <TableCard>
          <DataTable label="Webhooks" columns={['URL', 'Events', 'Status', 'Description', '']} verticalSpacing="sm" miw={900}>
            {list.map((w) => (
              <Table.Tr key={w.id}>
                <Table.Td>
                  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {w.url}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {w.events.map((e) => (
                      <Badge key={e} variant="outline" size="sm" tt="none">
                        {e}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={w.status} />
                </Table.Td>
                <Table.Td>{w.description ?? '–'}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="xs"
                      variant="light"
                      color={w.status === 'active' ? 'yellow' : 'teal'}
                      onClick={() => update.mutate({ id: w.id, patch: { status: w.status === 'active' ? 'paused' : 'active' } })}
                    >
                      {w.status === 'active' ? 'Pause' : 'Resume'}
                    </Button>
                    <Button size="xs" variant="subtle" onClick={() => setEditing(w)}>
                      Edit events
                    </Button>
                    <Button size="xs" variant="subtle" onClick={() => setLogOf(w)}>
                      Deliveries
                    </Button>
                    <ConfirmedAction
                      label="Delete"
                      title="Delete this webhook?"
                      confirmLabel="Delete webhook"
                      onConfirm={() => remove.mutate(w.id)}
                    >
                      The webhook to {w.url} and its delivery log are deleted; nothing more is sent to it.
                    </ConfirmedAction>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        </TableCard>
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title="New webhook" size="lg">
        {creating && <CreateWebhook onCreated={() => void refresh()} onDone={() => setCreating(false)} />}
      </Modal>
      <Modal opened={Boolean(editing)} onClose={() => setEditing(null)} title="Edit events">
        {editing && <EditEvents webhook={editing} onSave={(events) => update.mutate({ id: editing.id, patch: { events } })} />}
      </Modal>
      <Modal opened={Boolean(logOf)} onClose={() => setLogOf(null)} title={`Deliveries to ${logOf?.url ?? ''}`} size="90%">
        {logOf && <DeliveryLog webhookId={logOf.id} />}
      </Modal>
    </Stack>
  );
}

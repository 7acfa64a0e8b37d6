import { useState } from 'react';
import { Alert, Button, Code, CopyButton, Group, MultiSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { api, ok, type Schemas } from '../../api/client';
import { ErrorNote } from '../../components/common';
import { NOTIFICATION_TYPES } from '../../api/enums';

type Events = Schemas['CreateWebhookRequest']['events'];

/** The signing secret, shown this once: the API never answers it again. */
function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="yellow" title="Copy the signing secret now">
        It won't be shown again. Receivers verify each notification's signature with it.
      </Alert>
      <Code block aria-label="Signing secret" data-testid="webhook-secret">
        {secret}
      </Code>
      <Group justify="space-between">
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button variant="light" color={copied ? 'teal' : 'blue'} onClick={copy}>
              {copied ? 'Copied' : 'Copy secret'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}

export function CreateWebhook({ onCreated, onDone }: { onCreated: () => void; onDone: () => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => ok(api.POST('/v1/webhooks', { body: { url, events: events as Events, ...(description ? { description } : {}) } })),
    onSuccess: onCreated,
  });
  // A replayed create (same Idempotency-Key) has no secret: it was shown to the first answer only.
  if (create.data) return <SecretOnce secret={create.data.secret ?? '(shown to the first answer only)'} onDone={onDone} />;
  return (
    <Stack>
      <TextInput
        label="URL"
        placeholder="https://example.com/hooks/loyalty"
        value={url}
        onChange={(e) => setUrl(e.currentTarget.value)}
        required
      />
      <MultiSelect label="Events" data={NOTIFICATION_TYPES} value={events} onChange={setEvents} searchable required />
      <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize />
      <ErrorNote error={create.error} />
      <Button onClick={() => create.mutate()} loading={create.isPending} disabled={!url || events.length === 0}>
        Create webhook
      </Button>
    </Stack>
  );
}

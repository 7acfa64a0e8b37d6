import { useState } from 'react';
import { Button, Modal, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { ErrorNote } from '../../components/common';
import { CodesStep } from '../wizard/EventAndCodes';
import { codeSpec, initialDraft, iso, type Draft } from '../wizard/draft';

/**
 * More codes for the campaign's pool: the wizard's code settings, with the same live keyspace check, and an optional
 * expiry for the whole batch (a wall-clock time of the campaign's zone, like its dates).
 */
export function GenerateMore({ id, timeZone }: { id: string; timeZone: string }) {
  const [opened, setOpened] = useState(false);
  const [draft, setDraft] = useState<Draft>(initialDraft);
  const [expiresAt, setExpiresAt] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();
  const generate = async () => {
    setBusy(true);
    setError(null);
    try {
      await ok(
        api.POST('/v1/code-batches', {
          body: { ...codeSpec(draft), pool: { type: 'campaign', id }, ...(expiresAt ? { expiresAt: iso(expiresAt, timeZone) } : {}) },
        }),
      );
      setOpened(false);
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant="light" onClick={() => setOpened(true)}>
        Generate more codes
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Generate more codes" size="xl">
        <Stack>
          <CodesStep draft={{ ...draft, generate: true }} set={(c) => setDraft((d) => ({ ...d, ...c, generate: true }))} errors={{}} />
          <TextInput
            type="datetime-local"
            label="Codes expire at (optional)"
            description={`In the campaign's time zone (${timeZone}). After it an entered code is refused as expired.`}
            value={expiresAt}
            onChange={(e) => setExpiresAt(e.currentTarget.value)}
            w={280}
          />
          <ErrorNote error={error} />
          <Button onClick={() => void generate()} loading={busy}>
            Start generating
          </Button>
        </Stack>
      </Modal>
    </>
  );
}

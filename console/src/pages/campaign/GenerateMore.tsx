import { useState } from 'react';
import { Button, Modal, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { ErrorNote } from '../../components/common';
import { CodesStep } from '../wizard/EventAndCodes';
import { codeSpec, initialDraft, type Draft } from '../wizard/draft';

/** More codes for the campaign's pool: the wizard's code settings, with the same live keyspace check. */
export function GenerateMore({ id }: { id: string }) {
  const [opened, setOpened] = useState(false);
  const [draft, setDraft] = useState<Draft>(initialDraft);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();
  const generate = async () => {
    setBusy(true);
    setError(null);
    try {
      await ok(api.POST('/v1/code-batches', { body: { ...codeSpec(draft), pool: { type: 'campaign', id } } }));
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
          <ErrorNote error={error} />
          <Button onClick={() => void generate()} loading={busy}>
            Start generating
          </Button>
        </Stack>
      </Modal>
    </>
  );
}

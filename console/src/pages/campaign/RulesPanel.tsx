import { lazy, Suspense, useState } from 'react';
import { Alert, Button, Group, Loader, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { api, ok, ApiProblem } from '../../api/client';
import { can, useMe } from '../../session';
import type { ServerError } from '../../components/RulesEditor';

const RulesEditor = lazy(() => import('../../components/RulesEditor'));

/**
 * The saved rules in the editor; saving is a PATCH, and the server's save-time errors land on their line. The
 * PATCH carries If-Match with the version the editor was opened on: if another marketer saved meanwhile, the
 * API answers 412 and this one is told to reload instead of overwriting their change.
 */
export function RulesPanel({ id, version, text, onText }: { id: string; version: number; text: string; onText: (t: string) => void }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [serverError, setServerError] = useState<ServerError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setSaved(false);
    setServerError(null);
    try {
      let rules;
      try {
        rules = JSON.parse(text);
      } catch (e) {
        return setServerError({ field: 'rules', message: `not valid JSON: ${(e as Error).message}` });
      }
      await ok(
        api.PATCH('/v1/campaigns/{id}', { params: { path: { id } }, body: { rules } as never, headers: { 'If-Match': `"${version}"` } }),
      );
      setSaved(true);
      void queryClient.invalidateQueries({ queryKey: ['campaign', id] });
    } catch (e) {
      const p = e as ApiProblem;
      if (p.status === 412) {
        setServerError({
          field: 'rules',
          message: 'Someone changed this campaign since you opened it: reload the page to see their change, then redo yours.',
        });
      } else {
        setServerError({ field: p.field ?? 'rules', message: p.message });
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Suspense fallback={<Loader aria-label="Loading the editor" />}>
        <RulesEditor
          value={text}
          onChange={(t) => {
            onText(t);
            setSaved(false);
          }}
          serverError={serverError}
        />
      </Suspense>
      {saved && (
        <Alert color="teal" role="status">
          Rules saved. New events use them at once.
        </Alert>
      )}
      {can(me, 'editCampaigns') && (
        <Group>
          <Button onClick={() => void save()} loading={busy}>
            Save rules
          </Button>
        </Group>
      )}
    </Stack>
  );
}

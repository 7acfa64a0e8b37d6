import { useEffect, useState } from 'react';
import { Alert, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, ok, type Schemas } from '../../api/client';
import { fmt } from '../../components/common';
import { shareInWords } from './keyspace-words';

type Spec = Schemas['CreateCodeBatchRequest'];

/** Debounces a value: the keyspace check runs when typing pauses, not on every key. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [JSON.stringify(value), ms]);
  return v;
}

/**
 * Live keyspace feedback for the generation settings being typed (`POST /v1/code-batches/keyspace-check`, which
 * writes nothing). A verdict is shown only once it answers the current inputs: while typing pauses are awaited
 * and the request runs, the panel says it is checking, so a stale verdict is never read as the current one.
 */
export function KeyspacePanel({ spec }: { spec: Spec }) {
  const asked = useDebounced(spec, 250);
  const check = useQuery({
    queryKey: ['keyspace', asked],
    queryFn: () => ok(api.POST('/v1/code-batches/keyspace-check', { body: asked })),
    retry: false,
  });
  const current = JSON.stringify(asked) === JSON.stringify(spec) && !check.isFetching;
  const verdict = check.data;
  return (
    <div aria-live="polite" aria-busy={!current} data-testid="keyspace">
      {!current ? (
        <Text size="sm" c="dimmed">
          Checking the keyspace…
        </Text>
      ) : check.error ? (
        <Alert color="red" title="These settings are refused">
          {(check.error as Error).message}
        </Alert>
      ) : verdict ? (
        <Alert
          color={verdict.ok ? 'teal' : 'orange'}
          title={
            verdict.ok
              ? 'Keyspace is fine'
              : `Length ${asked.length} can't hold ${fmt(asked.quantity)} codes safely; use at least ${verdict.minLength}`
          }
        >
          <Text size="sm">
            {verdict.ok
              ? `${fmt(asked.quantity)} codes take ${shareInWords(asked.quantity, BigInt(verdict.free))} of the ` +
                `${BigInt(verdict.free).toLocaleString('en-US')} free combinations of ${asked.length} characters.`
              : verdict.message}
          </Text>
          <Group gap="lg" mt={6}>
            <Text size="xs" c="dimmed">
              Alphabet: {verdict.alphabetSize} characters
            </Text>
            <Text size="xs" c="dimmed">
              Most in one request now: {BigInt(verdict.maxQuantity).toLocaleString('en-US')}
            </Text>
          </Group>
        </Alert>
      ) : null}
    </div>
  );
}

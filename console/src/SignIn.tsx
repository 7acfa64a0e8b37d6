import { useState } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { api, ok, session, ApiProblem } from './api/client';
import type { Me } from './session';

/** Asks for an API key (kept in sessionStorage: gone when the tab closes) and checks it with GET /v1/me. */
export function SignIn({ onSignedIn, initialError }: { onSignedIn: (me: Me) => void; initialError?: string }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(initialError);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    session.set(key.trim());
    try {
      const me = await ok(api.GET('/v1/me'));
      if (me.role === 'producer') {
        session.clear();
        setError(
          'This is a producer key: producers send events through the API and have no console. Use a marketer, operator or admin key.',
        );
      } else onSignedIn(me);
    } catch (e) {
      session.clear();
      setError(
        e instanceof ApiProblem && e.status === 401 ? 'That API key is not valid.' : `Could not reach the API: ${(e as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={440} maw="100%">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Stack>
            <div>
              <Title order={2}>Loyalty codes</Title>
              <Text c="dimmed" size="sm">
                Campaigns, codes and rewards console
              </Text>
            </div>
            <PasswordInput
              label="API key"
              description="Kept for this browser tab only. npm start prints the dev keys."
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              autoFocus
              required
            />
            {error && (
              <Alert color="red" title="Not signed in" role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy} disabled={!key.trim()}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

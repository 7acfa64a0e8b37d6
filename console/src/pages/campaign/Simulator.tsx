import { lazy, Suspense, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { api, ok, ApiProblem, type Schemas } from '../../api/client';
import { Choice, ErrorNote, fmt } from '../../components/common';

const RulesEditor = lazy(() => import('../../components/RulesEditor'));

type Outcome = Schemas['SimulationResult'];
type Replay = Schemas['ReplayResult'];

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const show = (v: unknown) => (v === undefined ? '–' : JSON.stringify(v));

function OutcomeCard({ result }: { result: Outcome }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid="simulation-result">
      <Group gap="sm" mb="xs">
        <Badge size="lg" color={result.outcome === 'redeemed' ? 'green' : 'red'}>
          {result.outcome}
        </Badge>
        {result.reason && (
          <Badge size="lg" variant="outline" color="red">
            {result.reason}
          </Badge>
        )}
        <Text size="sm">{fmt(result.points ?? 0)} points</Text>
        <Text size="xs" c="dimmed">
          Simulated: nothing was written.
        </Text>
      </Group>
      {result.effects && result.effects.length > 0 && (
        <Text size="sm">
          Effects: <Code>{JSON.stringify(result.effects)}</Code>
        </Text>
      )}
      {result.failedConditions && result.failedConditions.length > 0 && (
        <Table mt="sm" withTableBorder aria-label="Failed conditions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rule</Table.Th>
              <Table.Th>Condition</Table.Th>
              <Table.Th>Expected</Table.Th>
              <Table.Th>Member's value</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.failedConditions.map((f, i) => (
              <Table.Tr key={i}>
                <Table.Td>{f.rule}</Table.Td>
                <Table.Td>
                  <Code>
                    {f.fact}
                    {f.path ? ` ${f.path}` : ''}
                  </Code>{' '}
                  {f.operator}
                </Table.Td>
                <Table.Td>
                  <Code>{show(f.value)}</Code>
                </Table.Td>
                <Table.Td>
                  <Code>{show(f.factValue)}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

/** "Try it": a dry run of the campaign (or of a draft rule set) for one member, and a what-if replay. */
export function Simulator({ id, rulesText }: { id: string; rulesText: string }) {
  const [who, setWho] = useState<'member' | 'profile'>('member');
  const [memberId, setMemberId] = useState('');
  const [profile, setProfile] = useState({ tier: '', segments: '', tags: '', balance: 0 });
  const [code, setCode] = useState('');
  const [attributes, setAttributes] = useState('{}');
  const [useDraft, setUseDraft] = useState(false);
  const [draft, setDraft] = useState(rulesText);
  const [result, setResult] = useState<Outcome | null>(null);
  const [replay, setReplay] = useState<Replay | null>(null);
  const [limit, setLimit] = useState(1000);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async <T,>(call: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      return await call();
    } catch (e) {
      // A draft that is not JSON fails before any request: say so like the API would.
      setError(e instanceof SyntaxError ? new ApiProblem(0, 'invalid_json', `the draft rules are not valid JSON: ${e.message}`) : e);
      return null;
    } finally {
      setBusy(false);
    }
  };
  const path = { params: { path: { id } } };
  const draftRules = () => (useDraft ? { rules: JSON.parse(draft) } : {});
  const simulate = async () => {
    let attrs: object;
    try {
      attrs = JSON.parse(attributes || '{}');
    } catch {
      return setError(new ApiProblem(0, 'invalid_json', 'Event attributes must be a JSON object'));
    }
    const member =
      who === 'member'
        ? { memberId }
        : {
            member: {
              ...(profile.tier ? { tier: profile.tier } : {}),
              segments: list(profile.segments),
              tags: list(profile.tags),
              balance: profile.balance,
            },
          };
    setResult(
      await run(() => {
        const body = { ...member, ...(code ? { code } : {}), attributes: attrs, ...draftRules() } as Schemas['SimulateRequest'];
        return ok(api.POST('/v1/campaigns/{id}/simulate', { ...path, body }));
      }),
    );
  };
  const runReplay = async () =>
    setReplay(await run(() => ok(api.POST('/v1/campaigns/{id}/replay', { ...path, body: { rules: JSON.parse(draft), limit } }))));

  return (
    <Stack>
      <Text c="dimmed" size="sm">
        See what would happen before it happens: the same decision code as a real event, and nothing is written.
      </Text>
      <Paper withBorder p="md" radius="md">
        <Stack>
          <Choice label="Who" value={who} onChange={setWho} options={{ member: 'An existing member', profile: 'A made-up profile' }} />
          {who === 'member' ? (
            <TextInput label="Member id" value={memberId} onChange={(e) => setMemberId(e.currentTarget.value)} required />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 4 }}>
              <TextInput
                label="Tier"
                placeholder="gold"
                value={profile.tier}
                onChange={(e) => setProfile({ ...profile, tier: e.currentTarget.value })}
              />
              <TextInput
                label="Segments"
                placeholder="comma separated"
                value={profile.segments}
                onChange={(e) => setProfile({ ...profile, segments: e.currentTarget.value })}
              />
              <TextInput
                label="Tags"
                placeholder="comma separated"
                value={profile.tags}
                onChange={(e) => setProfile({ ...profile, tags: e.currentTarget.value })}
              />
              <NumberInput label="Balance" value={profile.balance} onChange={(v) => setProfile({ ...profile, balance: Number(v) || 0 })} />
            </SimpleGrid>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Code"
              description="Optional: test a real code of the campaign"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
            />
            <Textarea
              label="Event attributes (JSON)"
              autosize
              minRows={1}
              value={attributes}
              onChange={(e) => setAttributes(e.currentTarget.value)}
            />
          </SimpleGrid>
          <Switch
            label="Use a draft rule set instead of the saved rules"
            checked={useDraft}
            onChange={(e) => setUseDraft(e.currentTarget.checked)}
          />
          {useDraft && (
            <Suspense fallback={<Loader />}>
              <RulesEditor value={draft} onChange={setDraft} label="Draft rules" />
            </Suspense>
          )}
          <Group>
            <Button onClick={() => void simulate()} loading={busy}>
              Simulate
            </Button>
          </Group>
        </Stack>
      </Paper>
      <ErrorNote error={error} />
      {result && <OutcomeCard result={result} />}
      <Paper withBorder p="md" radius="md">
        <Title order={4}>What-if replay</Title>
        <Text size="sm" c="dimmed" mb="sm">
          Runs the draft rules (switch on "Use a draft rule set" to edit them) over the campaign's last recorded events and compares.
        </Text>
        <Group align="flex-end">
          <NumberInput label="Last N events" min={1} max={10000} value={limit} onChange={(v) => setLimit(Number(v) || 1)} w={160} />
          <Button variant="light" onClick={() => void runReplay()} loading={busy}>
            Replay
          </Button>
        </Group>
        {replay && (
          <Stack mt="md" gap="xs" data-testid="replay-result">
            <Table withTableBorder aria-label="Replay totals">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{fmt(replay.events)} events</Table.Th>
                  <Table.Th>Redeemed</Table.Th>
                  <Table.Th>Refused</Table.Th>
                  <Table.Th>Points</Table.Th>
                  <Table.Th>Budget used</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(['current', 'draft'] as const).map((k) => (
                  <Table.Tr key={k}>
                    <Table.Td>{k === 'current' ? 'Saved rules' : 'Draft rules'}</Table.Td>
                    <Table.Td>{fmt(replay[k].redeemed)}</Table.Td>
                    <Table.Td>{fmt(replay[k].rejected)}</Table.Td>
                    <Table.Td>{fmt(replay[k].points)}</Table.Td>
                    <Table.Td>{fmt(replay.budgetUsed[k])}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {replay.changed.length === 0 ? (
              <Alert color="teal">No outcome would change.</Alert>
            ) : (
              <Text size="sm">
                {fmt(replay.changed.length)} events would change, e.g.{' '}
                {replay.changed
                  .slice(0, 3)
                  .map((c) => `${c.memberId}: ${c.current.outcome} → ${c.draft.outcome}`)
                  .join('; ')}
              </Text>
            )}
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}

import { useMemo, useState } from 'react';
import { Alert, Button, Checkbox, FileInput, Group, Paper, SimpleGrid, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, ok, raw, type Schemas } from '../../api/client';
import { Choice, ErrorNote, StatCard, fmt } from '../../components/common';

type Filter = Schemas['MemberFilter'];
type Preview = Schemas['DistributionPreview'];
type Distribution = Schemas['Distribution'];
type AudienceKind = 'filter' | 'list';

/** Why a top-up can't cover the shortfall, in a marketer's words (the API's codes, README "Distributing codes"). */
const NO_TOP_UP: Record<string, string> = {
  no_generation_to_top_up: 'this pool was never generated, so there is no code shape to generate more of: add codes first',
  top_up_refused: "the shortfall is above the generation cap or the code shape's keyspace: add codes first",
};

/** A CSV member list goes as the request body, the options in the query string (as the API takes it). */
async function sendList<T>(path: string, query: Record<string, string>, file: File): Promise<T> {
  const response = await raw(`${path}?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv' },
    body: await file.text(),
  });
  return (await response.json()) as T;
}

/**
 * "Send codes to members": choose an audience (a filter over tier, segments and tags, or a CSV of member_id), see
 * how many members it holds against the pool's unused codes (and whether a top-up could cover a shortfall), then
 * start the distribution. The preview is the API's own count, so what it shows is what the start acts on.
 */
export function SendCodes({ campaignId, onStarted }: { campaignId: string; onStarted: (distribution: Distribution) => void }) {
  const pool = { type: 'campaign' as const, id: campaignId };
  const [kind, setKind] = useState<AudienceKind>('filter');
  const [tier, setTier] = useState('');
  const [segments, setSegments] = useState<string[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [topUp, setTopUp] = useState(false);
  const typed = useMemo<Filter>(
    () => ({ type: 'filter', ...(tier.trim() ? { tier: tier.trim() } : {}), segments, tags }),
    [tier, segments, tags],
  );
  // Counted once typing pauses, not on every key.
  const [filter] = useDebouncedValue(typed, 300);

  const preview = useQuery({
    queryKey: ['distribution-preview', campaignId, kind, kind === 'filter' ? filter : [file?.name, file?.size, file?.lastModified]],
    enabled: kind === 'filter' || Boolean(file),
    queryFn: (): Promise<Preview> =>
      kind === 'filter'
        ? ok(api.POST('/v1/distributions/preview', { body: { pool, audience: filter } }))
        : sendList('/v1/distributions/preview', { pool: `campaign:${campaignId}` }, file!),
  });
  const start = useMutation({
    // One id per click: a retried request (lost answer) finds the same distribution instead of a second one.
    mutationFn: (): Promise<Distribution> => {
      const id = crypto.randomUUID();
      return kind === 'filter'
        ? ok(api.POST('/v1/distributions', { body: { id, pool, audience: filter, topUp } }))
        : sendList('/v1/distributions', { id, pool: `campaign:${campaignId}`, topUp: String(topUp) }, file!);
    },
    onSuccess: onStarted,
  });

  const p = kind === 'filter' || file ? preview.data : undefined;
  const short = Boolean(p && p.shortfall > 0);
  const ready = p && p.members > 0 && (!short || (topUp && p.topUp === 'available'));
  return (
    <Paper withBorder p="md" radius="md">
      <Stack>
        <div>
          <Text fw={600}>Send codes to members</Text>
          <Text size="sm" c="dimmed">
            Each member of the audience gets one unique code of this campaign's pool, which only that member can redeem. Download the
            member_id,code list for your e-mail tool when it is done.
          </Text>
        </div>
        <Choice<AudienceKind>
          label="Audience"
          value={kind}
          onChange={setKind}
          options={{ filter: 'Members matching a filter', list: 'A CSV of member ids' }}
        />
        {kind === 'filter' ? (
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label="Tier" placeholder="Any tier" value={tier} onChange={(e) => setTier(e.currentTarget.value)} />
            <TagsInput label="Segments (all of)" placeholder="Type and press Enter" value={segments} onChange={setSegments} clearable />
            <TagsInput label="Tags (all of)" placeholder="Type and press Enter" value={tags} onChange={setTags} clearable />
          </SimpleGrid>
        ) : (
          <Group align="flex-end">
            <FileInput
              label="Member list (CSV)"
              description={
                <>
                  A header row with <code>member_id</code>; unknown ids and repeats are left out.
                </>
              }
              placeholder="Choose a file"
              accept=".csv,text/csv"
              value={file}
              onChange={setFile}
              clearable
              clearButtonProps={{ 'aria-label': 'Clear the chosen member list' }}
              w={320}
            />
          </Group>
        )}
        <ErrorNote error={preview.error} />
        {p && (
          <Stack gap="xs" data-testid="distribution-preview">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <StatCard
                label="Members in the audience"
                value={fmt(p.members)}
                hint={p.skipped ? `${fmt(p.skipped)} lines left out` : undefined}
              />
              <StatCard label="Unused codes in the pool" value={fmt(p.unusedCodes)} />
              <StatCard label="Short by" value={fmt(p.shortfall)} hint={short ? 'codes' : 'enough codes'} />
            </SimpleGrid>
            {p.members === 0 && <Alert color="yellow">No registered member is in this audience.</Alert>}
            {short &&
              (p.topUp === 'available' ? (
                <Checkbox
                  label={`Generate the ${fmt(p.shortfall)} missing codes first (like the pool's latest generation)`}
                  checked={topUp}
                  onChange={(e) => setTopUp(e.currentTarget.checked)}
                />
              ) : (
                <Alert color="yellow">
                  The pool is {fmt(p.shortfall)} codes short and can't be topped up: {NO_TOP_UP[p.topUp] ?? p.topUp}.
                </Alert>
              ))}
          </Stack>
        )}
        <ErrorNote error={start.error} />
        <Group>
          <Button onClick={() => start.mutate()} loading={start.isPending} disabled={!ready}>
            {p && p.members > 0 ? `Send codes to ${fmt(p.members)} members` : 'Send codes'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

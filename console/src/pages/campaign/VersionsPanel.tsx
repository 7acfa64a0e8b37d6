import { useState } from 'react';
import { Alert, Badge, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { can, useMe } from '../../session';
import { ErrorNote, fmtDate } from '../../components/common';
import { ConfirmedAction } from '../../components/ConfirmedAction';
import { TableCard } from '../../components/DataTable';
import { DiffList } from '../../components/DiffList';

/**
 * The campaign's saved rule sets: compare any two (the API's diff, as in the history) and restore an old one,
 * which saves its rules as a new version. The restore carries If-Match with the campaign version the page shows.
 */
export function VersionsPanel({ id, version, timeZone }: { id: string; version: number; timeZone: string }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const versions = useQuery({
    queryKey: ['rule-versions', id],
    queryFn: () => ok(api.GET('/v1/campaigns/{id}/rule-versions', { params: { path: { id } } })),
  });
  const list = versions.data?.versions ?? [];
  const current = versions.data?.current;
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const older = from ?? (list[1] ? String(list[1].version) : null);
  const newer = to ?? (list[0] ? String(list[0].version) : null);
  const comparison = useQuery({
    queryKey: ['rule-versions', id, newer, older],
    enabled: older !== null && newer !== null,
    queryFn: () =>
      ok(
        api.GET('/v1/campaigns/{id}/rule-versions/{version}', {
          params: { path: { id, version: Number(newer) }, query: { against: Number(older) } },
        }),
      ),
  });
  const restore = useMutation({
    mutationFn: (n: number) =>
      ok(
        api.POST('/v1/campaigns/{id}/rule-versions/{version}/restore', {
          params: { path: { id, version: n }, header: { 'if-match': `"${version}"` } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const options = list.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));
  return (
    <Stack>
      <ErrorNote error={versions.error ?? restore.error ?? comparison.error} />
      {restore.isSuccess && (
        <Alert color="teal" role="status">
          {`Restored as version ${restore.data.rulesVersion}. New events use these rules at once.`}
        </Alert>
      )}
      <TableCard>
        <Table verticalSpacing="sm" miw={640} aria-label="Rule versions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Saved</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>Rules</Table.Th>
              {can(me, 'editCampaigns') && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((v) => (
              <Table.Tr key={v.version} data-testid={`rule-version-${v.version}`}>
                <Table.Td>
                  <Group gap="xs">
                    <Text size="sm" fw={500}>{`Version ${v.version}`}</Text>
                    {v.version === current && <Badge variant="light">in force</Badge>}
                  </Group>
                  {v.restoredFrom !== null && <Text size="xs" c="dimmed">{`restores version ${v.restoredFrom}`}</Text>}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{fmtDate(v.createdAt, timeZone)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{v.createdBy ?? '–'}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{v.rules.map((r) => r.name).join(', ')}</Text>
                </Table.Td>
                {can(me, 'editCampaigns') && (
                  <Table.Td>
                    {v.version !== current && (
                      <ConfirmedAction
                        label={`Restore version ${v.version}`}
                        title={`Restore version ${v.version}?`}
                        confirmLabel="Restore"
                        onConfirm={() => restore.mutate(v.version)}
                      >
                        {`Its rules are saved as a new version and decide every event from now on. Version ${current} stays in the list and can be restored again.`}
                      </ConfirmedAction>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableCard>
      {list.length > 1 && (
        <Stack gap="xs">
          <Title order={3} size="h5">
            Compare versions
          </Title>
          <Group>
            <Select label="From" data={options} value={older} onChange={setFrom} allowDeselect={false} w={160} />
            <Select label="To" data={options} value={newer} onChange={setTo} allowDeselect={false} w={160} />
          </Group>
          {comparison.data?.diff && <DiffList changes={comparison.data.diff} label={`Changes from version ${older} to version ${newer}`} />}
        </Stack>
      )}
    </Stack>
  );
}

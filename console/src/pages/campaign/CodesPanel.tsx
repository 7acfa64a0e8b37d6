import { useState } from 'react';
import { Button, Group, Select, Stack, Table, Text, TextInput, type ComboboxData } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download, ok } from '../../api/client';
import { CODE_STATUSES } from '../../api/enums';
import { can, useMe } from '../../session';
import { EmptyState, ErrorNote, StatusBadge, fmtDate } from '../../components/common';
import { ConfirmedAction } from '../../components/ConfirmedAction';
import { DataTable, TableCard } from '../../components/DataTable';

const PAGE = 25;
/** The search's `expired` filter: past their expiry, or not (codes without one never expire). */
const EXPIRY_CHOICES = [
  { value: 'true', label: 'Expired' },
  { value: 'false', label: 'Not expired' },
];

/** A filter of the codes table: "Any" until a value is chosen, with a named button that clears it. */
function FilterSelect(props: { label: string; data: ComboboxData; value: string | null; onChange: (value: string | null) => void }) {
  return (
    <Select
      {...props}
      placeholder="Any"
      clearable
      clearButtonProps={{ 'aria-label': `Clear the ${props.label.toLowerCase()} filter` }}
      w={150}
    />
  );
}

/** The pool's codes: search by prefix, filter by status, expiry and member, keyset paging (next / previous). */
export function CodesPanel({ pool, filename }: { pool: string; filename: string }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [prefix, setPrefix] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [member, setMember] = useState('');
  const [expired, setExpired] = useState<string | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const filters = {
    pool,
    ...(prefix ? { prefix } : {}),
    ...(status ? { status } : {}),
    ...(member ? { member } : {}),
    ...(expired ? { expired } : {}),
  };
  const cursor = cursors[cursors.length - 1];
  const codes = useQuery({
    queryKey: ['codes', filters, cursor],
    queryFn: () => ok(api.GET('/v1/codes', { params: { query: { ...filters, limit: PAGE, ...(cursor ? { cursor } : {}) } as never } })),
    placeholderData: (previous) => previous,
  });
  const cancel = useMutation({
    mutationFn: ({ code, reason }: { code: string; reason: string }) =>
      ok(api.POST('/v1/codes/{code}/cancel', { params: { path: { code } }, body: { reason } })),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const reset = (fn: () => void) => {
    fn();
    setCursors([]);
  };
  const list = codes.data?.codes ?? [];
  const query = new URLSearchParams(filters as Record<string, string>).toString();
  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Code starts with…"
          value={prefix}
          onChange={(e) => reset(() => setPrefix(e.currentTarget.value))}
        />
        <FilterSelect label="Status" data={CODE_STATUSES} value={status} onChange={(v) => reset(() => setStatus(v))} />
        <FilterSelect label="Expiry" data={EXPIRY_CHOICES} value={expired} onChange={(v) => reset(() => setExpired(v))} />
        <TextInput label="Member" placeholder="Member id" value={member} onChange={(e) => reset(() => setMember(e.currentTarget.value))} />
        <Button variant="default" onClick={() => void download(`/v1/codes/export?${query}`, filename)}>
          Export CSV
        </Button>
      </Group>
      <ErrorNote error={codes.error ?? cancel.error} />
      {codes.isSuccess && list.length === 0 && cursors.length === 0 ? (
        <EmptyState title="No codes match">Generate codes or import a CSV; codes show here as soon as their job commits them.</EmptyState>
      ) : (
        <TableCard>
          <DataTable
            label="Codes"
            columns={['Code', 'Status', 'Member', 'Created', 'Redeemed', 'Expires', can(me, 'cancelCodes') && '']}
            verticalSpacing="xs"
            striped
            miw={640}
          >
            {list.map((c) => (
              <Table.Tr key={c.code}>
                <Table.Td>
                  <Text ff="monospace" size="sm">
                    {c.code}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={c.status} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{c.memberId ?? '–'}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{fmtDate(c.createdAt)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{fmtDate(c.redeemedAt)}</Text>
                </Table.Td>
                <Table.Td>
                  {/* An expired code stays unused: say so next to its date, or it looks redeemable. */}
                  <Text size="xs" c={c.expiresAt && Date.parse(c.expiresAt) <= Date.now() ? 'red' : undefined}>
                    {fmtDate(c.expiresAt)}
                    {c.expiresAt && Date.parse(c.expiresAt) <= Date.now() ? ' (expired)' : ''}
                  </Text>
                </Table.Td>
                {can(me, 'cancelCodes') && (
                  <Table.Td>
                    {(c.status === 'unused' || c.status === 'reserved') && (
                      <ConfirmedAction
                        label="Cancel"
                        title={`Cancel code ${c.code}?`}
                        confirmLabel="Cancel code"
                        reason={{ label: 'Reason', initial: 'cancelled from the console' }}
                        onConfirm={(reason) => cancel.mutate({ code: c.code, reason })}
                      >
                        The code can no longer be redeemed. This cannot be undone.
                      </ConfirmedAction>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </DataTable>
        </TableCard>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          Page {cursors.length + 1} · {PAGE} per page, in code order
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="default" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={!codes.data?.nextCursor}
            onClick={() => setCursors([...cursors, codes.data!.nextCursor!])}
          >
            Next
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

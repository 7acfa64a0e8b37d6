import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Group, Menu, Progress, Table, Text } from '@mantine/core';
import { api, download, ok, type Schemas } from '../api/client';
import { type RequestedCampaignStatus } from '../api/enums';
import { can, useMe } from '../session';
import { Link, useRoute } from '../router';
import { EmptyState, ErrorNote, PageHeader, StatusBadge, fmt, fmtDate } from '../components/common';
import { DataTable, TableCard } from '../components/DataTable';

type Campaign = Schemas['Campaign'];

function CampaignRow({ campaign }: { campaign: Campaign }) {
  const me = useMe();
  const { navigate } = useRoute();
  const queryClient = useQueryClient();
  const stats = useQuery({
    queryKey: ['stats', campaign.id],
    queryFn: () => ok(api.GET('/v1/campaigns/{id}/stats', { params: { path: { id: campaign.id } } })),
  });
  const setStatus = useMutation({
    mutationFn: (status: RequestedCampaignStatus) =>
      ok(api.PATCH('/v1/campaigns/{id}', { params: { path: { id: campaign.id } }, body: { status } as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['campaigns'] }),
  });
  const s = stats.data;
  const budget = s?.budget;
  const isActive = campaign.status === 'active';
  return (
    <Table.Tr>
      <Table.Td>
        <Link to={`/campaigns/${encodeURIComponent(campaign.id)}`}>
          <Text fw={600} span>
            {campaign.name}
          </Text>
        </Link>
        <Text size="xs" c="dimmed">
          {campaign.id}
        </Text>
      </Table.Td>
      <Table.Td>
        <StatusBadge status={campaign.status} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{campaign.startsAt ? fmtDate(campaign.startsAt, campaign.timeZone) : 'No start'}</Text>
        <Text size="xs" c="dimmed">
          {campaign.endsAt ? `until ${fmtDate(campaign.endsAt, campaign.timeZone)}` : 'No end'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" className="stat-value">
          {fmt(s?.codes.redeemed)} / {fmt(s?.codes.unused)}
        </Text>
        <Text size="xs" c="dimmed">
          redeemed / remaining
        </Text>
      </Table.Td>
      <Table.Td miw={140}>
        {budget ? (
          <>
            <Progress
              value={(budget.used / budget.cap) * 100}
              color={budget.used / budget.cap > 0.9 ? 'red' : 'indigo'}
              aria-label={`Budget used ${budget.used} of ${budget.cap}`}
            />
            <Text size="xs" c="dimmed" mt={4}>
              {fmt(budget.used)} of {fmt(budget.cap)} {budget.kind}
            </Text>
          </>
        ) : (
          <Text size="xs" c="dimmed">
            No budget
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button variant="default" size="xs" aria-label={`Actions for ${campaign.name}`}>
              Actions
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => navigate(`/campaigns/${encodeURIComponent(campaign.id)}`)}>Show</Menu.Item>
            <Menu.Item
              onClick={() =>
                void download(`/v1/codes/export?pool=${encodeURIComponent('campaign:' + campaign.id)}`, `${campaign.id}-codes.csv`)
              }
            >
              Export codes (CSV)
            </Menu.Item>
            {can(me, 'editCampaigns') &&
              (isActive ? (
                <Menu.Item onClick={() => setStatus.mutate('paused')}>Pause</Menu.Item>
              ) : (
                <Menu.Item onClick={() => setStatus.mutate('active')}>Activate</Menu.Item>
              ))}
          </Menu.Dropdown>
        </Menu>
        {setStatus.error && (
          <Text size="xs" c="red" role="alert">
            {setStatus.error.message}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function CampaignsPage() {
  const me = useMe();
  const { navigate } = useRoute();
  const campaigns = useQuery({ queryKey: ['campaigns'], queryFn: () => ok(api.GET('/v1/campaigns')) });
  const list = campaigns.data?.campaigns ?? [];
  return (
    <>
      <PageHeader
        title="Campaigns"
        subtitle="Codes, rules and budgets of every campaign, in display order."
        actions={can(me, 'editCampaigns') && <Button onClick={() => navigate('/campaigns/new')}>New campaign</Button>}
      />
      <ErrorNote error={campaigns.error} />
      {campaigns.isSuccess && list.length === 0 ? (
        <EmptyState title="No campaigns yet">
          A campaign turns codes entered by members into points or coupons.{' '}
          {can(me, 'editCampaigns')
            ? 'Start with "New campaign": the wizard walks you through codes, rules and budget.'
            : 'A marketer creates them.'}
        </EmptyState>
      ) : (
        <TableCard>
          <DataTable
            label="Campaigns"
            columns={['Campaign', 'Status', 'Dates', 'Codes', 'Budget', '']}
            verticalSpacing="sm"
            highlightOnHover
            miw={860}
          >
            {list.map((c) => (
              <CampaignRow key={c.id} campaign={c} />
            ))}
          </DataTable>
        </TableCard>
      )}
      {campaigns.isLoading && (
        <Group p="md">
          <Text c="dimmed">Loading campaigns…</Text>
        </Group>
      )}
    </>
  );
}

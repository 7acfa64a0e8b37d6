import { useEffect, useState } from 'react';
import { Button, Group, Stack, Tabs, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download, ok } from '../../api/client';
import { type RequestedCampaignStatus } from '../../api/enums';
import { can, useMe } from '../../session';
import { Link } from '../../router';
import { ErrorNote, PageHeader, StatusBadge, fmtDate } from '../../components/common';
import { Overview } from './Overview';
import { LifecycleLine } from './LifecycleLine';
import { CodesPanel } from './CodesPanel';
import { ImportPanel } from './ImportPanel';
import { GenerateMore } from './GenerateMore';
import { RulesPanel } from './RulesPanel';
import { Simulator } from './Simulator';
import { HistoryPanel } from './HistoryPanel';
import { VersionsPanel } from './VersionsPanel';
import { SendCodes } from './SendCodes';
import { DistributionProgress } from './DistributionProgress';

export default function CampaignPage({ id }: { id: string }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const campaign = useQuery({ queryKey: ['campaign', id], queryFn: () => ok(api.GET('/v1/campaigns/{id}', { params: { path: { id } } })) });
  const [tab, setTab] = useState<string | null>('overview');
  const [rulesText, setRulesText] = useState('');
  // The distribution started last from this page: kept across tabs, so its progress is there when coming back.
  const [distributionId, setDistributionId] = useState<string | null>(null);
  useEffect(() => {
    if (campaign.data) setRulesText(JSON.stringify(campaign.data.rules, null, 2));
  }, [campaign.data?.id, campaign.data?.rulesVersion]);
  const setStatus = useMutation({
    mutationFn: (status: RequestedCampaignStatus) =>
      ok(api.PATCH('/v1/campaigns/{id}', { params: { path: { id } }, body: { status } as never })),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const c = campaign.data;
  if (campaign.error) return <ErrorNote error={campaign.error} />;
  if (!c) return <Text c="dimmed">Loading the campaign…</Text>;
  const pool = `campaign:${c.id}`;
  return (
    <>
      <Text size="sm" mb={4}>
        <Link to="/campaigns">← Campaigns</Link>
      </Text>
      <PageHeader
        title={
          <Group gap="sm">
            {c.name}
            <StatusBadge status={c.status} />
          </Group>
        }
        subtitle={
          <>
            {`${c.id} · event "${c.trigger.event}" (code in "${c.trigger.codeAttribute}") · ${c.startsAt ? fmtDate(c.startsAt, c.timeZone) : 'no start'} → ${c.endsAt ? fmtDate(c.endsAt, c.timeZone) : 'no end'}`}
            <LifecycleLine id={c.id} timeZone={c.timeZone ?? 'UTC'} />
          </>
        }
        actions={
          <>
            <Button
              variant="default"
              onClick={() => void download(`/v1/codes/export?pool=${encodeURIComponent(pool)}`, `${c.id}-codes.csv`)}
            >
              Export codes
            </Button>
            {can(me, 'editCampaigns') &&
              (c.status === 'active' ? (
                <Button color="yellow" variant="light" onClick={() => setStatus.mutate('paused')} loading={setStatus.isPending}>
                  Pause
                </Button>
              ) : (
                <Button onClick={() => setStatus.mutate('active')} loading={setStatus.isPending}>
                  Activate
                </Button>
              ))}
          </>
        }
      />
      <ErrorNote error={setStatus.error} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">Dashboard</Tabs.Tab>
          <Tabs.Tab value="codes">Codes</Tabs.Tab>
          <Tabs.Tab value="rules">Rules</Tabs.Tab>
          <Tabs.Tab value="versions">Versions</Tabs.Tab>
          <Tabs.Tab value="try">Try it</Tabs.Tab>
          {/* The audit log is for admins and marketers (README "Roles"): an operator gets no tab that answers 403. */}
          {can(me, 'readHistory') && <Tabs.Tab value="history">History</Tabs.Tab>}
          {can(me, 'distribute') && <Tabs.Tab value="send">Send to members</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Overview id={c.id} timeZone={c.timeZone ?? 'UTC'} />
        </Tabs.Panel>
        <Tabs.Panel value="codes">
          <Stack>
            <Group>
              <GenerateMore id={c.id} timeZone={c.timeZone ?? 'UTC'} />
            </Group>
            <CodesPanel pool={pool} filename={`${c.id}-codes.csv`} />
            <ImportPanel pool={pool} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="rules">
          <RulesPanel id={c.id} version={c.version} text={rulesText} onText={setRulesText} />
        </Tabs.Panel>
        <Tabs.Panel value="versions">
          <VersionsPanel id={c.id} version={c.version} timeZone={c.timeZone ?? 'UTC'} />
        </Tabs.Panel>
        <Tabs.Panel value="try">
          <Simulator id={c.id} rulesText={rulesText} />
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <HistoryPanel id={c.id} timeZone={c.timeZone ?? 'UTC'} />
        </Tabs.Panel>
        <Tabs.Panel value="send">
          <Stack>
            {distributionId && <DistributionProgress id={distributionId} />}
            <SendCodes campaignId={c.id} onStarted={(d) => setDistributionId(d.id)} />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

import { lazy, Suspense, useState } from 'react';
import { Group, Loader, Paper, Progress, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { api, ok } from '../../api/client';
import { EmptyState, ErrorNote, StatCard, fmt } from '../../components/common';
import { JobsTable } from '../../components/JobsTable';

const TimeseriesChart = lazy(() => import('../../components/TimeseriesChart'));
const PALETTE = ['#e8590c', '#c2255c', '#7048e8', '#1098ad', '#5c940d', '#f08c00', '#495057'];

/** Every bucket start from `from` to `to` in the campaign's zone (a local day may last 23 or 25 hours), in ms. */
export function bucketStarts(from: string, to: string, bucket: 'hour' | 'day', timeZone: string): number[] {
  const end = DateTime.fromISO(to, { zone: timeZone });
  const times: number[] = [];
  for (let t = DateTime.fromISO(from, { zone: timeZone }).startOf(bucket); t <= end; t = t.plus({ [bucket]: 1 })) times.push(t.toMillis());
  return times;
}

function Chart({ id, timeZone }: { id: string; timeZone: string }) {
  const [bucket, setBucket] = useState<'hour' | 'day'>('hour');
  const series = useQuery({
    queryKey: ['timeseries', id, bucket],
    queryFn: () => ok(api.GET('/v1/campaigns/{id}/stats/timeseries', { params: { path: { id }, query: { bucket } } })),
    refetchInterval: 5000,
  });
  const points = series.data?.points ?? [];
  const reasons = [...new Set(points.flatMap((p) => Object.keys(p.rejected)))].sort();
  // The API sends only buckets with events: the chart shows every bucket of the range, empty ones as zero.
  const byTime = new Map(points.map((p) => [Date.parse(p.at), p]));
  const times = series.data ? bucketStarts(series.data.from, series.data.to, bucket, timeZone) : [];
  const at = (t: number) => byTime.get(t);
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Redemptions over time ({timeZone})</Title>
        <SegmentedControl
          size="xs"
          value={bucket}
          onChange={(v) => setBucket(v as 'hour' | 'day')}
          data={[
            { value: 'hour', label: 'Hourly' },
            { value: 'day', label: 'Daily' },
          ]}
          aria-label="Bucket"
        />
      </Group>
      <ErrorNote error={series.error} />
      {series.isSuccess && points.length === 0 ? (
        <EmptyState title="No redemptions yet">Codes entered by members show here by {bucket}, with refusals by reason.</EmptyState>
      ) : (
        <Suspense fallback={<Loader aria-label="Loading the chart" />}>
          <TimeseriesChart
            times={times.map((t) => t / 1000)}
            timeZone={timeZone}
            series={[
              { label: 'redeemed', color: '#2f9e44', values: times.map((t) => at(t)?.redeemed ?? 0) },
              ...reasons.map((r, i) => ({
                label: r,
                color: PALETTE[i % PALETTE.length],
                values: times.map((t) => at(t)?.rejected[r] ?? 0),
              })),
            ]}
          />
        </Suspense>
      )}
    </Paper>
  );
}

export function Overview({ id, timeZone }: { id: string; timeZone: string }) {
  const stats = useQuery({
    queryKey: ['stats', id],
    queryFn: () => ok(api.GET('/v1/campaigns/{id}/stats', { params: { path: { id } } })),
    refetchInterval: 3000,
  });
  const s = stats.data;
  const rejections = Object.entries(s?.rejections ?? {});
  return (
    <Stack>
      <ErrorNote error={stats.error} />
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} data-testid="stats">
        <StatCard label="Codes" value={fmt(s?.codes.total)} />
        <StatCard label="Redeemed" value={fmt(s?.codes.redeemed)} hint={`${fmt(s?.redemptions)} redemptions`} />
        <StatCard label="Remaining" value={fmt(s?.codes.unused)} />
        <StatCard label="Cancelled" value={fmt(s?.codes.cancelled)} />
        <StatCard label="Points issued" value={fmt(s?.pointsIssued)} />
        <StatCard
          label="Budget used"
          value={s?.budget ? fmt(s.budget.used) : 'No cap'}
          hint={
            s?.budget && (
              <>
                <Progress value={(s.budget.used / s.budget.cap) * 100} size="sm" my={4} aria-label="Budget used" />
                of {fmt(s.budget.cap)} {s.budget.kind} · {fmt(s.budget.left)} left
              </>
            )
          }
        />
      </SimpleGrid>
      <Chart id={id} timeZone={timeZone} />
      {rejections.length > 0 && (
        <Paper withBorder p="md" radius="md">
          <Title order={4} mb="sm">
            Refused events by reason
          </Title>
          <Table aria-label="Rejections by reason">
            <Table.Tbody>
              {rejections.map(([reason, n]) => (
                <Table.Tr key={reason}>
                  <Table.Td>{reason}</Table.Td>
                  <Table.Td ta="right">{fmt(n)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <div>
        <Title order={4} mb="sm">
          Jobs
        </Title>
        <JobsTable pool={`campaign:${id}`} />
      </div>
      {stats.isLoading && <Text c="dimmed">Loading…</Text>}
    </Stack>
  );
}
